"""Permission strings of surveys (`surveys:<model>:<action>`) and what the default roles hold.

Merged into the platform's list by `core.permissions.load_app_permissions()`; the data migration
`0002_permissions` adds them to existing roles (and loads the starting templates).

`surveys:survey:results` reads the tallies of a closed survey; `issue` prints answer slips;
`open`/`close` hand a survey out and end it. Nobody holds a permission on single answers: no page
or route shows one answer sheet.
"""

CRUD = ("view", "add", "change", "delete", "export")

ACTION_LABELS = {"issue": "发放答题码", "open": "开始测评", "close": "结束测评", "results": "查看结果"}

DECLARED = [
    ("surveys", "surveytemplate", "测评问卷模板", CRUD),
    ("surveys", "survey", "民主测评与问卷调查", (*CRUD, "issue", "open", "close", "results")),
]


def _all() -> list[str]:
    return [f"{app}:{model}:{action}" for app, model, _, actions in DECLARED for action in actions]


ROLE_DEFAULTS = {
    "office_admin": _all(),
    # Read-only: the templates and the aggregated results, never anything per person (there is none).
    "leader": ["surveys:surveytemplate:view", "surveys:survey:view", "surveys:survey:results",
               "surveys:survey:export"],
    # Over their own group only (a "group" grant): the surveys of the group's inspections.
    "group_leader": ["surveys:surveytemplate:view", "surveys:survey:view", "surveys:survey:add",
                     "surveys:survey:change", "surveys:survey:delete", "surveys:survey:issue",
                     "surveys:survey:open", "surveys:survey:close", "surveys:survey:results",
                     "surveys:survey:export"],
    "group_member": ["surveys:surveytemplate:view", "surveys:survey:view", "surveys:survey:issue",
                     "surveys:survey:results"],
}
