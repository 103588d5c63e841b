"""Permission strings of findings (`findings:<model>:<action>`) and what the default roles hold.

Merged into the platform's list by `core.permissions.load_app_permissions()`; the data migration
`0002_permissions` adds them to existing roles.

Clues are the most protected data: only the group leader (over the own group) and the office read
them; a group member may register one (and read what they wrote); the leader, the supervisor, the
unit's liaison and the three administrators never see one.
"""

ACTION_LABELS = {"review": "审核", "confirm": "确认", "reopen": "重新打开", "dispose": "登记处置情况"}

DECLARED = [
    ("findings", "problem", "问题底稿与问题清单",
     ("view", "add", "change", "delete", "export", "review", "confirm", "reopen")),
    ("findings", "clue", "问题线索", ("view", "add", "change", "delete", "transfer", "dispose")),
]


def _all() -> list[str]:
    return [f"{app}:{model}:{action}" for app, model, _, actions in DECLARED for action in actions]


ROLE_DEFAULTS = {
    "office_admin": _all(),
    # Read-only roles see the confirmed problem list only (`Problem.scope_q_for_grant`), never clues.
    "leader": ["findings:problem:view", "findings:problem:export"],
    "supervisor": ["findings:problem:view"],
    # Over their own group (a "group" grant).
    "group_leader": ["findings:problem:view", "findings:problem:add", "findings:problem:change",
                     "findings:problem:delete", "findings:problem:export", "findings:problem:review",
                     "findings:problem:confirm",
                     "findings:clue:view", "findings:clue:add", "findings:clue:change", "findings:clue:delete"],
    "group_member": ["findings:problem:view", "findings:problem:add", "findings:problem:change",
                     "findings:problem:delete", "findings:problem:export", "findings:clue:add"],
}
