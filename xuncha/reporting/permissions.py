"""Permission strings of reporting (`reporting:<model>:<action>`) and what the default roles hold.

Merged into the platform's list by `core.permissions.load_app_permissions()`; the data migration
`0002_permissions` adds them to existing roles.
"""

CRUD = ("view", "add", "change", "delete", "export")

ACTION_LABELS = {"submit": "提交", "review": "统一把关", "issue": "印发", "secret": "导出保密卷"}

DECLARED = [
    ("reporting", "report", "巡察报告", ("view", "add", "change", "submit", "review", "export")),
    ("reporting", "feedback", "反馈意见", ("view", "add", "change", "issue", "export")),
    ("reporting", "meeting", "反馈会", ("view", "add", "change", "delete")),
    ("reporting", "archive", "立卷归档", ("view", "add", "change", "export", "secret")),
]


def _all() -> list[str]:
    return [f"{app}:{model}:{action}" for app, model, _, actions in DECLARED for action in actions]


ROLE_DEFAULTS = {
    "office_admin": _all(),
    "leader": ["reporting:report:view", "reporting:feedback:view", "reporting:meeting:view",
               "reporting:archive:view"],
    # Over their own group only (a "group" grant).
    "group_leader": ["reporting:report:view", "reporting:report:add", "reporting:report:change",
                     "reporting:report:submit", "reporting:report:export",
                     "reporting:feedback:view", "reporting:feedback:add", "reporting:feedback:change",
                     "reporting:feedback:export",
                     "reporting:meeting:view", "reporting:meeting:add", "reporting:meeting:change",
                     "reporting:archive:view", "reporting:archive:add", "reporting:archive:change",
                     "reporting:archive:export"],
    "group_member": ["reporting:report:view", "reporting:report:add", "reporting:report:change",
                     "reporting:feedback:view", "reporting:meeting:view", "reporting:archive:view"],
    "supervisor": ["reporting:feedback:view", "reporting:meeting:view"],
    # Over their own unit (a "unit" grant): the issued feedback of the unit and nothing else
    # (the scope rule in apps.py).
    "unit_liaison": ["reporting:feedback:view"],
}
