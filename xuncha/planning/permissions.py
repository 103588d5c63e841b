"""Permission strings of planning (`planning:<model>:<action>`) and what the default roles hold.

Merged into the platform's list by `core.permissions.load_app_permissions()`; the data migration
`0002_permissions` adds them to existing roles.
"""

CRUD = ("view", "add", "change", "delete", "export")

ACTION_LABELS = {"report": "提交报告", "review": "统一把关"}

DECLARED = [
    ("planning", "plan", "五年巡察规划", (*CRUD, "propose")),
    ("planning", "annualplan", "年度巡察计划", CRUD),
    ("planning", "round", "巡察轮次", (*CRUD, "transition")),
    ("planning", "inspection", "巡察任务", ("view", "add", "change", "delete", "transition", "report")),
    ("planning", "jointround", "上下联动巡察", ("view", "add", "change", "review")),
    ("planning", "horizontalcheck", "协同检查", ("view", "add", "change")),
    ("planning", "priority", "重点对象排序", ("view", "change")),
    ("planning", "riskinput", "单位风险信息", (*CRUD, "import")),
]


def _all() -> list[str]:
    return [f"{app}:{model}:{action}" for app, model, _, actions in DECLARED for action in actions]


_VIEW = [f"planning:{model}:view" for _, model, _, _ in DECLARED]

ROLE_DEFAULTS = {
    "office_admin": _all(),
    "leader": [*_VIEW, "planning:plan:export", "planning:annualplan:export", "planning:round:export",
               "planning:riskinput:export"],
    # Over their own group only (a "group" grant): the group's inspections and targets.
    "group_leader": ["planning:inspection:view", "planning:inspection:report"],
    "group_member": ["planning:inspection:view"],
    "supervisor": ["planning:round:view", "planning:inspection:view"],
}
