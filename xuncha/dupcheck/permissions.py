"""Permission strings of the duplicate-report check, merged by core.permissions.load_app_permissions().

`dupcheck:document:*` governs the reports and everything derived from them (matches, scores,
exports); `dupcheck:scan:add` lets a person start a batch check. A scan is seen only by the person
who started it, like every background job.
"""

DECLARED = [
    ("dupcheck", "document", "报告材料", ("view", "add", "delete", "export")),
    ("dupcheck", "scan", "雷同检测", ("add",)),
]

_WORK = ["dupcheck:document:view", "dupcheck:document:add", "dupcheck:scan:add"]

ROLE_DEFAULTS = {
    "office_admin": [*_WORK, "dupcheck:document:delete", "dupcheck:document:export"],
    "group_leader": _WORK,
    "group_member": _WORK,
    "leader": ["dupcheck:document:view", "dupcheck:document:export"],
}
