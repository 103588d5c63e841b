"""The permission strings of the platform (`app:model:action`, RuoYi style) and the default roles.

Every permission a view, an API route or a menu entry asks for is declared with a Chinese label, so
that the role editor can list them and a test can check that nothing asks for an unknown string.
The kernel's own are declared here; a later app declares its own in `<app>/permissions.py` with
`DECLARED` (same shape as below) and `ROLE_DEFAULTS` ({role code: [permissions]}), which
`load_app_permissions()` merges in when the apps are ready.
"""

from __future__ import annotations

CRUD = ("view", "add", "change", "delete", "export")
ACTION_LABELS = {
    "view": "查看",
    "add": "新增",
    "change": "修改",
    "delete": "删除",
    "export": "导出",
    "import": "导入",
    "unlock": "解锁",
    "restore": "恢复",
    "approve": "审批",
    "transition": "流转",
    "accept": "验收",
    "transfer": "移交",
    "publish": "发布",
    "propose": "生成建议",
}

# (app, model, Chinese name, actions)
_DECLARED: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("org", "region", "区域", CRUD),
    ("org", "unit", "被巡察对象", (*CRUD, "import")),
    ("org", "cadre", "干部", (*CRUD, "import")),
    ("core", "dictionary", "数据字典", ("view", "change")),
    ("core", "operationlog", "操作日志", ("view",)),
    ("core", "loginlog", "登录日志", ("view",)),
    ("accounts", "user", "用户", ("view", "add", "change", "unlock")),
    ("accounts", "grant", "角色授权", ("view", "add", "delete")),
    ("accounts", "role", "角色", ("view", "change")),
]

PERMISSIONS: dict[str, str] = {}
for _app, _model, _label, _actions in _DECLARED:
    for _action in _actions:
        PERMISSIONS[f"{_app}:{_model}:{_action}"] = f"{_label}·{ACTION_LABELS[_action]}"


def perm(app: str, model: str, action: str) -> str:
    """Return the permission string, refusing strings nobody declared (a typo would silently deny)."""
    code = f"{app}:{model}:{action}"
    if code not in PERMISSIONS:
        raise KeyError(f"undeclared permission {code}")
    return code


def _all(app: str, model: str, actions=CRUD) -> list[str]:
    return [f"{app}:{model}:{a}" for a in actions]


ORG_READ = ["org:region:view", "org:unit:view", "org:cadre:view"]
ORG_ALL = _all("org", "region") + _all("org", "unit", (*CRUD, "import")) + _all("org", "cadre", (*CRUD, "import"))

# code -> (Chinese name, description, default permissions). Created by a data migration; the
# security administrator can change a role's permissions later.
DEFAULT_ROLES: dict[str, tuple[str, str, list[str]]] = {
    "office_admin": ("巡察办管理员", "本区域及下级区域的规划、队伍、对象与统计", ORG_ALL),
    "leader": ("领导", "本区域数据只读", [*ORG_READ, "org:region:export", "org:unit:export", "org:cadre:export"]),
    "group_leader": ("巡察组组长", "本组本轮的对象与材料", ["org:region:view", "org:unit:view", "org:cadre:view"]),
    "group_member": ("巡察组组员", "本组本轮的对象与材料", ["org:region:view", "org:unit:view", "org:cadre:view"]),
    "supervisor": ("督导组", "所督导区域的整改任务", ["org:region:view", "org:unit:view"]),
    "unit_liaison": ("被巡察单位联络人", "仅本单位的反馈与整改任务", ["org:unit:view"]),
    "sys_admin": ("系统管理员", "用户账号与数据字典（三员之一）", [
        "core:dictionary:view", "core:dictionary:change",
        "accounts:user:view", "accounts:user:add", "accounts:user:change",
    ]),
    "sec_admin": ("安全管理员", "角色、授权与账号解锁（三员之一）", [
        "accounts:user:view", "accounts:user:unlock",
        "accounts:grant:view", "accounts:grant:add", "accounts:grant:delete",
        "accounts:role:view", "accounts:role:change",
    ]),
    "auditor": ("安全审计员", "查阅操作日志与登录日志（三员之一）", [
        "core:operationlog:view", "core:loginlog:view",
    ]),
}


def declare(app: str, model: str, label: str, actions, action_labels: dict[str, str] | None = None) -> None:
    """Declare `app:model:action` strings (from an app's permissions.py)."""
    ACTION_LABELS.update(action_labels or {})
    for action in actions:
        PERMISSIONS[f"{app}:{model}:{action}"] = f"{label}·{ACTION_LABELS.get(action, action)}"


APP_ROLE_DEFAULTS: dict[str, dict[str, list[str]]] = {}  # app label -> role code -> permissions


def load_app_permissions() -> None:
    """Merge every installed app's permissions.py (called from CoreConfig.ready)."""
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("xuncha.") or config.label in ("core", "org", "accounts"):
            continue
        try:
            module = importlib.import_module(f"{config.name}.permissions")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.permissions":
                raise
            continue
        for app, model, label, actions in getattr(module, "DECLARED", []):
            declare(app, model, label, actions, getattr(module, "ACTION_LABELS", None))
        APP_ROLE_DEFAULTS[config.label] = getattr(module, "ROLE_DEFAULTS", {})
        for code, permissions in APP_ROLE_DEFAULTS[config.label].items():
            DEFAULT_ROLES[code][2].extend(p for p in permissions if p not in DEFAULT_ROLES[code][2])
