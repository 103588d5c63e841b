"""Permission strings of fieldwork (`fieldwork:<model>:<action>`) and what the default roles hold.

Merged into the platform's list by `core.permissions.load_app_permissions()`; the data migration
`0002_permissions` adds them to existing roles.

`fieldwork:reporter:view` is the one permission that shows who reported a petition. By default only
the group leader (over the own group) and the office (over its region) hold it; never a group
member, a leader, a supervisor, a unit's liaison or one of the three administrators.
"""

CRUD = ("view", "add", "change", "delete", "export")

ACTION_LABELS = {"handle": "办理"}

METHODS = ("hearingreport", "talk", "petition", "documentrequest", "meetingattendance", "visit")

DECLARED = [
    ("fieldwork", "hearingreport", "听取汇报", CRUD),
    ("fieldwork", "talk", "个别谈话", CRUD),
    ("fieldwork", "petition", "信访举报", (*CRUD, "handle")),
    ("fieldwork", "reporter", "举报人信息", ("view", "change")),
    ("fieldwork", "documentrequest", "调阅清单", CRUD),
    ("fieldwork", "meetingattendance", "列席会议", CRUD),
    ("fieldwork", "visit", "走访下沉", CRUD),
]

REPORTER_VIEW = "fieldwork:reporter:view"
REPORTER_CHANGE = "fieldwork:reporter:change"


def _all() -> list[str]:
    return [f"{app}:{model}:{action}" for app, model, _, actions in DECLARED for action in actions]


def _methods(*actions: str) -> list[str]:
    return [f"fieldwork:{model}:{action}" for model in METHODS for action in actions]


ROLE_DEFAULTS = {
    "office_admin": _all(),
    # Read-only over the region: the records, never the reporters.
    "leader": _methods("view", "export"),
    # Over their own group (a "group" grant).
    "group_leader": [*_methods(*CRUD), "fieldwork:petition:handle", REPORTER_VIEW, REPORTER_CHANGE],
    "group_member": _methods("view", "add", "change", "export"),
}
