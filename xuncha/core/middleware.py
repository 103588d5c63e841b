"""Request context for logs, and the operation log of every write and every sensitive read."""

from __future__ import annotations

import logging
import time

from django.urls import Resolver404, resolve

from . import context
from .masking import mask_params

logger = logging.getLogger(__name__)

MODULE_LABELS = {
    "org": "组织机构", "accounts": "用户与权限", "core": "基础平台", "api": "接口",
    "dupcheck": "报告雷同检测", "planning": "巡察规划", "teams": "巡察队伍",
}
ACTION_LABELS = {
    "list": "查询", "detail": "查看", "add": "新增", "edit": "修改", "delete": "删除", "restore": "恢复",
    "history": "查看历史", "export": "导出", "import": "导入", "import_template": "下载导入模板",
    "login": "登录", "logout": "退出", "password_change": "修改密码", "unlock": "解锁",
    "reset_password": "重置密码", "grant_add": "授权", "grant_revoke": "撤销授权", "role_edit": "修改角色权限",
    "job": "查看任务",
    "profile": "保存组建信息", "accept": "采纳建议", "evaluate": "考核", "upload": "上传", "decide": "决定",
    "status": "变更状态", "end": "结束抽调", "handle": "处理", "solve": "生成编组方案", "confirm": "确认",
    "liaison": "推荐联络员", "fill": "补充", "publish": "发布", "attendance": "登记签到", "propose": "生成建议",
    "transition": "流转", "start": "启动", "finish": "结束", "document": "生成文书", "ledger": "导出台账",
    "elevate": "提级", "populate": "纳入全部单位", "link": "关联", "unlink": "取消关联", "review": "统一把关",
    "result": "登记结果", "file": "上传附件", "reject": "退回",
}
_READS_LOGGED = {"detail", "history", "export", "import_template"}
# Names of the things acted on, for pages that are not Resources (those bring their own label).
ENTITY_LABELS = {
    "user": "用户", "grant": "授权", "role": "角色", "dictionary": "数据字典", "dictionary_item": "数据字典",
    "job": "后台任务", "operationlog": "操作日志", "loginlog": "登录日志", "token": "令牌", "schema": "接口描述",
    "docs": "接口文档",
    "document": "报告材料", "pair": "比对结果", "scan": "雷同检测", "dupcheckdocument": "报告材料",
    "dupcheckscan": "雷同检测",
    "round": "巡察轮次", "round_group": "巡察组", "inspectiongroup": "巡察组", "inspectiongroup_member": "巡察组成员",
    "groupmember": "巡察组成员", "groupmember_pledge": "承诺书", "evaluation": "人员考核", "reminder": "到期提醒",
    "crossplan": "交叉巡察编组", "crosspair": "交叉巡察组", "crosschecklistitem": "交叉巡察六统一",
    "quotacheckitem": "编制检查结果", "person": "一人一表一档",
    "plan": "五年规划", "plantarget": "规划对象", "annualplan": "年度计划", "inspection": "巡察任务",
    "jointround": "上下联动", "horizontalcheck": "横向联动", "proposal": "排期建议", "coverage": "覆盖情况",
    "priority": "重点对象排序", "alignment": "规划对标",
}


def entity_label(namespace: str, name: str) -> str:
    from .resources import REGISTRY

    resource = REGISTRY.get(f"{namespace}:{name}")
    if resource is None:
        resource = next((r for r in REGISTRY.values() if r.name == name), None) if namespace == "api" else None
    return resource.label if resource is not None else ENTITY_LABELS.get(name, name)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        ctx = context.RequestContext(
            user_id=user.pk if user is not None and user.is_authenticated else None,
            username=user.username if user is not None and user.is_authenticated else "",
            ip=context.client_ip(request),
        )
        request.request_id = ctx.request_id
        token = context.set_current(ctx)
        try:
            return self.get_response(request)
        finally:
            context.reset(token)


def _describe(request) -> tuple[str, str] | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    url_name = match.url_name or ""
    namespace = match.namespaces[0] if match.namespaces else ""
    if request.path_info.startswith("/api/"):
        module = "接口·" + entity_label("api", url_name.split("-")[0]) if url_name else "接口"
        action = {"GET": "查询", "POST": "新增", "PUT": "修改", "PATCH": "修改", "DELETE": "删除"}.get(
            request.method, request.method)
        return module, action
    model, _, verb = url_name.rpartition("_") if "_" in url_name else ("", "", url_name)
    for composite in ("import_template", "reset_password", "grant_add", "grant_revoke", "role_edit",
                      "password_change"):
        if url_name.endswith(composite):
            model, verb = url_name[: -len(composite)].rstrip("_"), composite
    if request.method == "GET" and verb not in _READS_LOGGED:
        return None
    module = MODULE_LABELS.get(namespace, namespace) + (f"·{entity_label(namespace, model)}" if model else "")
    return module, ACTION_LABELS.get(verb, verb)


SECRET_PARAMS = "［保密内容，不予记录］"


def params_are_secret(request) -> bool:
    """True when the view handling `request` says its parameters must not reach the operation log.

    A class-based view or DRF viewset sets `log_params = False`; a function view gets the attribute
    set on it; a generic Resource page is declared with `log_params=False`. The auditor reads the
    operation log: it must not become a copy of who reported whom.
    """
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    func = match.func
    holders = [func, getattr(func, "view_class", None), getattr(func, "cls", None),
               (getattr(func, "view_initkwargs", None) or {}).get("resource")]
    return any(getattr(holder, "log_params", True) is False for holder in holders if holder is not None)


def secret_params(view):
    """Decorator for function views whose parameters are never logged (see `params_are_secret`)."""
    view.log_params = False
    return view


class OperationLogMiddleware:
    """Writes one chained OperationLog row per write (POST/PUT/PATCH/DELETE) and per sensitive read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(("/static/", "/favicon")):
            return self.get_response(request)
        started = time.monotonic()
        response = self.get_response(request)
        try:
            self._log(request, response, started)
        except Exception:  # a log failure must be seen, but must not hide the response from the user
            logger.exception("operation log write failed")
        return response

    def _log(self, request, response, started):
        from .models import OperationLog

        described = _describe(request)
        if described is None or request.path_info.startswith("/accounts/login"):
            return  # logins are in the login log
        module, action = described
        status = response.status_code
        if status in (401, 403):
            outcome = OperationLog.Outcome.DENIED
        elif status >= 400 or getattr(request, "_operation_failed", False):
            outcome = OperationLog.Outcome.FAILURE
        else:
            outcome = OperationLog.Outcome.SUCCESS
        if params_are_secret(request):
            # Petitions, reporters and clues: the log says that something was done, never what was said.
            # The route pattern, not the path: a one-time survey token or a petition's receipt
            # number in the URL is itself something the log must not keep.
            route = getattr(request.resolver_match, "route", None)
            params, logged_path = {"参数": SECRET_PARAMS}, (f"/{route}" if route else request.path_info)
        else:
            params = {k: (v if len(v) > 1 else v[0]) for k, v in request.GET.lists()}
            if request.method == "POST":
                params.update({k: (v if len(v) > 1 else v[0]) for k, v in request.POST.lists()})
                params.update({k: f"[文件] {f.name}（{f.size} 字节）" for k, f in request.FILES.items()})
            logged_path = request.get_full_path()
        user = getattr(request, "user", None)
        OperationLog.append(
            module=module[:64], action=action[:64], method=request.method, path=logged_path[:500],
            params=mask_params({k: str(v)[:500] for k, v in params.items()}),
            user_id_value=user.pk if user is not None and user.is_authenticated else None,
            username=user.username if user is not None and user.is_authenticated else "",
            ip=context.client_ip(request), status_code=status, outcome=outcome,
            duration_ms=int((time.monotonic() - started) * 1000), request_id=getattr(request, "request_id", ""),
        )
