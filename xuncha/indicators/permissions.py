"""Permission strings of indicators (`indicators:<model>:<action>`) and what the default roles hold.

The library (sets, their indicators and templates share `indicatorset`) and the decision checklist
are reference data edited by the office and read by every business role of the authority; the
results are records of an inspection, written by its own group. A unit's liaison holds nothing.
"""

CRUD = ("view", "add", "change", "delete", "export")

ACTION_LABELS = {"publish": "发布", "import": "导入"}

DECLARED = [
    ("indicators", "indicatorset", "指标体系", (*CRUD, "import", "publish")),
    ("indicators", "decisionitem", "重大决策部署", (*CRUD, "import")),
    ("indicators", "indicatorresult", "指标检查结果", ("view", "add", "change", "export")),
    ("indicators", "decisioncheck", "决策部署落实检查", ("view", "add", "change", "export")),
]


def _all() -> list[str]:
    return [f"{app}:{model}:{action}" for app, model, _, actions in DECLARED for action in actions]


_LIBRARY_VIEW = ["indicators:indicatorset:view", "indicators:decisionitem:view"]
_RECORDS = ["indicators:indicatorresult:view", "indicators:indicatorresult:add", "indicators:indicatorresult:change",
            "indicators:decisioncheck:view", "indicators:decisioncheck:add", "indicators:decisioncheck:change"]

ROLE_DEFAULTS = {
    "office_admin": _all(),
    "leader": [*_LIBRARY_VIEW, "indicators:indicatorset:export", "indicators:indicatorresult:view",
               "indicators:decisioncheck:view"],
    # Over their own group only (a "group" grant): the published library and their inspections' results.
    "group_leader": [*_LIBRARY_VIEW, *_RECORDS, "indicators:indicatorresult:export"],
    "group_member": [*_LIBRARY_VIEW, *_RECORDS],
    "supervisor": _LIBRARY_VIEW,
}
