"""Permission strings of teams (`teams:<model>:<action>`) and what the default roles hold.

Merged into the platform's list by `core.permissions.load_app_permissions()`; the data migration
`0002_seed` adds them to existing roles and loads the app's dictionaries.
"""

CRUD = ("view", "add", "change", "delete", "export")

ACTION_LABELS = {"decide": "决定"}

DECLARED = [
    ("teams", "member", "巡察组成员", (*CRUD, "propose")),
    ("teams", "pool", "组长库和人才库", CRUD),
    ("teams", "evaluation", "巡察人员考核", ("view", "add", "change", "decide", "export")),
    ("teams", "recusal", "回避", CRUD),
    ("teams", "cross", "交叉巡察", ("view", "add", "change", "propose", "approve")),
    ("teams", "secondment", "人员抽调", CRUD),
    ("teams", "reminder", "到期提醒", ("view", "change")),
    ("teams", "pledge", "承诺书", ("view", "add", "export")),
    ("teams", "honour", "荣誉证书", CRUD),
    ("teams", "quota", "巡察机构编制", CRUD),
    ("teams", "quotacheck", "编制落实检查", (*CRUD, "publish")),
    ("teams", "training", "培训", CRUD),
]


def _all() -> list[str]:
    return [f"{app}:{model}:{action}" for app, model, _, actions in DECLARED for action in actions]


_VIEW = [f"teams:{model}:view" for _, model, _, _ in DECLARED]

ROLE_DEFAULTS = {
    "office_admin": _all(),
    "leader": [*_VIEW, *(f"teams:{m}:export" for m in ("member", "pool", "evaluation", "secondment", "honour",
                                                       "quota", "quotacheck", "training"))],
    # Over their own group (a "group" grant): its members, pledges, secondments and reminders.
    "group_leader": ["teams:member:view", "teams:pledge:view", "teams:pledge:add", "teams:pledge:export",
                     "teams:secondment:view", "teams:reminder:view", "teams:reminder:change"],
    "group_member": ["teams:member:view", "teams:pledge:view", "teams:pledge:export"],
}
