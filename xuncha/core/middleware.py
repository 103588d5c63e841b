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
    "indicators": "巡察指标体系", "fieldwork": "巡察方式方法", "surveys": "民主测评", "findings": "问题与线索",
    "reporting": "报告反馈归档", "rectification": "整改落实",
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
    "result": "登记结果", "file": "附件", "reject": "退回",
    "alignment": "规划对标", "answer": "提交答卷", "apply": "申请验收", "approve": "审批", "archive": "归档",
    "back": "退回", "bind": "关联", "chart": "查看图表", "check": "检查", "checklist": "检查清单", "close": "结束",
    "clues": "问题线索", "clusters": "雷同聚类", "comment": "提出意见", "copy": "复制", "coverage": "覆盖情况",
    "dashboard": "成果运用", "decisions": "重大决策部署清单", "dispose": "登记处置", "download": "下载",
    "evaluations": "考核", "feedback": "反馈", "generate": "生成", "groups": "巡察组", "home": "首页",
    "hours": "工时", "hub": "巡察工作", "index": "首页", "intake": "信访受理", "issue": "印发", "item": "事项",
    "letter": "下载移交函", "meeting": "会议", "notice": "督查通报", "open": "开始", "overview": "总览",
    "plans": "整改方案", "preview": "预览", "problems": "问题清单", "progress": "进度", "public": "公开",
    "qr": "二维码", "ranking": "排序", "record": "登记", "regenerate": "重新生成", "remove": "移除",
    "report": "报告", "results": "结果", "return": "退回", "revisit": "回头看", "rounds": "轮次",
    "run": "执行", "submit": "提交", "surveys": "民主测评", "talkplan": "谈话计划", "tick": "确认事项",
    "weights": "权重", "withhold": "不予公开", "word": "生成文书",
}
# Reads that are logged: a record opened, its history, and anything that leaves the platform as a file.
_READS_LOGGED = {"detail", "history", "export", "import_template", "download", "letter", "file", "word", "talkplan"}
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
    "annualplan_round": "巡察轮次", "plan_target": "规划对象", "round_inspection": "巡察任务", "pledge": "承诺书",
    "recusal": "回避", "recusalcheck": "回避审查", "groupproposal": "组队建议", "unit": "被巡察单位",
    "scan_word": "雷同检测报告", "document_file": "报告材料",
    "indicatorset": "指标体系", "indicator": "指标", "indicatorset_indicator": "指标", "indicatortemplate": "指标模板",
    "indicatorresult": "指标检查结果", "decisioncheck": "重大决策部署落实检查", "inspection_checklist": "指标检查清单",
    "inspection_check": "指标检查", "inspection_result": "指标检查结果", "inspection_results": "指标检查结果",
    "inspection_decision": "重大决策部署落实检查",
    "hearingreport_file": "听取汇报附件", "talk_file": "谈话记录附件", "petition_file": "信访举报附件",
    "petitionreporter": "举报人信息", "documentrequest_file": "调阅材料附件", "meetingattendance_file": "列席会议附件",
    "visit_file": "走访附件", "inspection_intake": "信访受理码",
    "survey": "民主测评", "inspection_survey": "民主测评", "surveyanswer": "答卷",
    "problem": "问题", "clue": "问题线索", "cluetransfer": "线索移交", "cluereminder": "线索处置提醒",
    "inspection_problem": "问题底稿", "inspection_problems": "问题清单", "inspection_clue": "问题线索",
    "inspection_transfer": "线索移交",
    "report": "巡察报告", "reportversion": "巡察报告版本", "inspectionreport": "巡察报告", "review": "统一把关",
    "inspection_report": "巡察报告", "feedback": "反馈意见", "feedbackversion": "反馈意见版本",
    "feedback_meeting": "反馈会议", "feedbackmeeting": "反馈会议", "inspection_feedback": "反馈意见",
    "liaisonfeedback": "本单位巡察反馈", "my": "本单位巡察反馈", "archive": "立卷归档",
    "archivechecklist": "立卷归档", "archiveitem": "归档事项", "archivejob": "归档导出", "inspection_archive": "立卷归档",
    "plan_task": "整改任务", "task": "整改任务", "task_send": "整改任务", "supervision": "督导",
    "notice": "整改督查通报", "dashboard": "成果运用", "rectplan": "整改方案", "recttask": "整改任务",
    "rectnotice": "整改督查通报", "rectreminder": "整改提醒", "rectdashboard": "成果运用",
    "supervisionround": "月度督导",
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
