"""Permission strings of rectification (`rectification:<model>:<action>`) and what the default roles hold.

Merged into the platform's list by `core.permissions.load_app_permissions()`; the data migration
`0002_permissions` adds them to existing roles.

Who does what: the unit's liaison writes the plan, its measures, the monthly progress and asks for
acceptance; the office approves or returns the plan (gate 1), publishes the results and runs the
回头看; the supervisor (督导组) accepts or returns a task (gate 3), runs the monthly supervision and
reviews the notice, which the office publishes.
"""

ACTION_LABELS = {"submit": "提交", "approve": "审批", "publish": "公开", "report": "报送进展", "apply": "申请验收",
                 "accept": "验收", "withhold": "设置不予公开", "run": "生成月度督导", "review": "审核"}

DECLARED = [
    ("rectification", "plan", "整改方案", ("view", "add", "change", "submit", "approve", "publish", "export")),
    ("rectification", "task", "整改任务", ("view", "add", "change", "delete", "report", "apply", "accept",
                                        "withhold", "export")),
    ("rectification", "revisit", "回头看检查", ("view", "add")),
    ("rectification", "supervisiongroup", "督导组", ("view", "add", "change", "delete", "export")),
    ("rectification", "supervision", "月度督导", ("view", "change", "run")),
    ("rectification", "notice", "整改督查通报", ("view", "change", "review", "publish", "export")),
    ("rectification", "reminder", "整改提醒", ("view", "change")),
    ("rectification", "dashboard", "成果运用", ("view", "export")),
]


def _all() -> list[str]:
    return [f"{app}:{model}:{action}" for app, model, _, actions in DECLARED for action in actions]


_VIEW = [f"rectification:{model}:view" for _, model, _, _ in DECLARED]

ROLE_DEFAULTS = {
    # Gate 3 is the supervisor's: the office does everything else.
    "office_admin": [p for p in _all() if p != "rectification:task:accept"],
    "leader": [*_VIEW, "rectification:plan:export", "rectification:task:export", "rectification:notice:export",
               "rectification:supervisiongroup:export",
               "rectification:dashboard:export"],
    "supervisor": [*_VIEW, "rectification:task:accept", "rectification:task:export",
                   "rectification:supervision:change", "rectification:supervision:run",
                   "rectification:notice:change", "rectification:notice:review", "rectification:notice:export",
                   "rectification:reminder:change", "rectification:dashboard:export"],
    # Over its own unit only (a "unit" grant): its plan, measures, progress and reminders, and the
    # confirmed problems of its own issued feedback (the scope rule in apps.py).
    "unit_liaison": ["rectification:plan:view", "rectification:plan:add", "rectification:plan:change",
                     "rectification:plan:submit", "rectification:task:view", "rectification:task:add",
                     "rectification:task:change", "rectification:task:delete", "rectification:task:report",
                     "rectification:task:apply", "rectification:reminder:view", "rectification:reminder:change",
                     "findings:problem:view"],
    # Over their own group (a "group" grant): follow the rectification of their inspections.
    "group_leader": ["rectification:plan:view", "rectification:task:view"],
    "group_member": ["rectification:plan:view", "rectification:task:view"],
}
