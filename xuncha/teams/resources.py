"""The reference-like records of teams as Resources: pool entries, recusal declarations,
secondments, honours, staffing quotas, quota checks and training sessions. Their list, detail, form,
history and export pages and their API come from the Resource; workflows on them (exits,
reminders, notices, attendance) are explicit views in views/."""

from __future__ import annotations

from xuncha.core.resources import Column, Resource

from . import choices as c
from . import filters, forms, services
from .models import (
    Honour,
    PoolEntry,
    QuotaCheck,
    RecusalDeclaration,
    Secondment,
    StaffingQuota,
    TrainingSession,
)


def _specialities(entry: PoolEntry) -> str:
    return "、".join(s.label for s in entry.specialities.all())


def _pool_context(request, entry):
    from .forms import PoolStatusForm
    from .selectors import person_file

    file = person_file(request.user, entry.cadre_id)
    return {"file": file, "status_form": PoolStatusForm(initial={"date": None}),
            "events": [e for e in file.events if e.entry_id == entry.pk]}


pool_resource = Resource(
    model=PoolEntry, namespace="teams", name="pool", label="组长库和人才库",
    columns=[
        Column("cadre.name", "姓名", sort="cadre__name"),
        Column("cadre.unit.name", "工作单位", sort="cadre__unit__name"),
        Column("cadre.post", "职务"),
        Column("kind", "库别", sort="kind", render=lambda e: e.get_kind_display()),
        Column("authority.name", "所属库", sort="authority__path"),
        Column("specialities", "专长", render=_specialities),
        Column("status", "状态", sort="status", render=lambda e: e.get_status_display()),
        Column("entry_date", "入库日期", sort="entry_date"),
        Column("source", "入库来源", dict_code=c.DICT_POOL_SOURCE),
    ],
    detail_fields=[
        Column("cadre.name", "姓名"), Column("cadre.unit.name", "工作单位"), Column("cadre.post", "职务"),
        Column("kind", "库别", render=lambda e: e.get_kind_display()), Column("authority.name", "所属库"),
        Column("status", "状态", render=lambda e: e.get_status_display()),
        Column("specialities", "专长", render=_specialities), Column("entry_date", "入库日期"),
        Column("source", "入库来源", dict_code=c.DICT_POOL_SOURCE), Column("entry_reason", "入库理由"),
        Column("exit_date", "出库日期"), Column("exit_reason", "出库理由"), Column("remarks", "备注"),
    ],
    filterset_class=filters.PoolEntryFilterSet, form_class=forms.PoolEntryForm,
    create=services.pool_entry_create, update=services.pool_entry_update, delete=services.pool_entry_delete,
    select_related=("cadre", "cadre__unit", "authority"), prefetch_related=("specialities",),
    default_sort="authority__path", search_hint="姓名或单位",
    detail_template="teams/pool_detail.html", extra_context=_pool_context,
)

declaration_resource = Resource(
    model=RecusalDeclaration, namespace="teams", name="declaration", label="回避申请",
    columns=[
        Column("cadre.name", "人员", sort="cadre__name"),
        Column("unit.name", "回避单位", sort="unit__name"),
        Column("kind", "类型", sort="kind", render=lambda d: d.get_kind_display()),
        Column("reason", "回避事由"),
        Column("declared_on", "提出日期", sort="declared_on"),
        Column("is_active", "有效", sort="is_active"),
        Column("authority.name", "受理机构"),
    ],
    detail_fields=[
        Column("cadre.name", "人员"), Column("cadre.unit.name", "人员所在单位"), Column("unit.name", "回避单位"),
        Column("kind", "类型", render=lambda d: d.get_kind_display()), Column("reason", "回避事由"),
        Column("declared_on", "提出日期"), Column("is_active", "有效"), Column("authority.name", "受理机构"),
        Column("remarks", "备注"),
    ],
    filterset_class=filters.DeclarationFilterSet, form_class=forms.DeclarationForm,
    create=services.declaration_create, update=services.declaration_update, delete=services.declaration_delete,
    select_related=("cadre", "cadre__unit", "unit", "authority"), default_sort="-declared_on",
)


def _secondment_context(request, secondment):
    from .models import TeamReminder

    return {"reminders": TeamReminder.objects.for_user(request.user, "view").filter(secondment=secondment)}


secondment_resource = Resource(
    model=Secondment, namespace="teams", name="secondment", label="人员抽调",
    columns=[
        Column("cadre.name", "抽调人员", sort="cadre__name"),
        Column("from_unit.name", "派出单位", sort="from_unit__name"),
        Column("group", "管理巡察组", render=lambda s: s.group.scope_label if s.group_id else "—"),
        Column("start_date", "开始日期", sort="start_date"),
        Column("end_date", "结束日期", sort="end_date"),
        Column("is_young_training", "年轻干部跟班学习", sort="is_young_training"),
        Column("status", "状态", sort="status", render=lambda s: s.get_status_display()),
        Column("authority.name", "抽调机构"),
    ],
    detail_fields=[
        Column("cadre.name", "抽调人员"), Column("from_unit.name", "派出单位"),
        Column("group", "管理巡察组", render=lambda s: s.group.scope_label if s.group_id else "—"),
        Column("start_date", "开始日期"), Column("end_date", "结束日期"),
        Column("is_young_training", "年轻干部跟班学习"), Column("letter_no", "抽调函文号"),
        Column("status", "状态", render=lambda s: s.get_status_display()), Column("authority.name", "抽调机构"),
        Column("remarks", "备注"),
    ],
    filterset_class=filters.SecondmentFilterSet, form_class=forms.SecondmentForm,
    create=services.secondment_create, update=services.secondment_update, delete=services.secondment_delete,
    select_related=("cadre", "from_unit", "group", "authority"), default_sort="end_date",
    detail_template="teams/secondment_detail.html", extra_context=_secondment_context,
)

honour_resource = Resource(
    model=Honour, namespace="teams", name="honour", label="荣誉证书",
    columns=[
        Column("cadre.name", "获奖人员", sort="cadre__name"),
        Column("title", "荣誉名称", sort="title"),
        Column("level", "荣誉级别", sort="level", dict_code=c.DICT_HONOUR_LEVEL),
        Column("issuer", "颁发单位"),
        Column("awarded_on", "颁发日期", sort="awarded_on"),
        Column("certificate_no", "证书编号"),
        Column("authority.name", "登记机构"),
    ],
    filterset_class=filters.HonourFilterSet, form_class=forms.HonourForm,
    create=services.honour_create, update=services.honour_update, delete=services.honour_delete,
    select_related=("cadre", "authority"), default_sort="-awarded_on",
)

quota_resource = Resource(
    model=StaffingQuota, namespace="teams", name="quota", label="巡察机构编制",
    columns=[
        Column("office_name", "机构名称", sort="office_name"),
        Column("region.name", "所属区域", sort="region__path"),
        Column("year", "年度", sort="year"),
        Column("approved_posts", "核定编制数", sort="approved_posts"),
        Column("filled_posts", "实有在编人数", sort="filled_posts"),
        Column("shortfall", "缺编人数"),
        Column("seconded_posts", "抽调在岗人数"),
    ],
    filterset_class=filters.QuotaFilterSet, form_class=forms.QuotaForm,
    create=services.quota_create, update=services.quota_update, delete=services.quota_delete,
    select_related=("region",), default_sort="region__path",
)


def _quotacheck_context(request, check):
    from xuncha.core.scoping import has_perm

    from .models import QuotaCheckItem

    items = list(QuotaCheckItem.objects.for_user(request.user, "view").filter(check_record=check)
                 .select_related("region"))
    return {"items": items, "can_publish": has_perm(request.user, "teams:quotacheck:publish"),
            "short_count": sum(1 for i in items if i.conclusion == c.QuotaConclusion.SHORT)}


quotacheck_resource = Resource(
    model=QuotaCheck, namespace="teams", name="quotacheck", label="编制落实检查",
    columns=[
        Column("title", "检查名称", sort="title"),
        Column("year", "年度", sort="year"),
        Column("authority.name", "检查机关"),
        Column("checked_on", "检查日期", sort="checked_on"),
        Column("status", "状态", render=lambda q: q.get_status_display()),
    ],
    detail_fields=[
        Column("title", "检查名称"), Column("year", "年度"), Column("authority.name", "检查机关"),
        Column("checked_on", "检查日期"), Column("status", "状态", render=lambda q: q.get_status_display()),
        Column("summary", "总体情况"), Column("requirements", "整改要求"),
    ],
    filterset_class=filters.QuotaCheckFilterSet, form_class=forms.QuotaCheckForm,
    create=services.quotacheck_create, update=services.quotacheck_update, delete=services.quotacheck_delete,
    select_related=("authority",), default_sort="-year",
    detail_template="teams/quotacheck_detail.html", extra_context=_quotacheck_context,
)


def _training_context(request, session):
    from .models import TrainingAttendance

    rows = list(TrainingAttendance.objects.for_user(request.user, "view").filter(session=session)
                .select_related("cadre", "cadre__unit"))
    return {"attendance": rows, "attended": sum(1 for r in rows if r.attended)}


training_resource = Resource(
    model=TrainingSession, namespace="teams", name="training", label="培训",
    columns=[
        Column("title", "培训名称", sort="title"),
        Column("held_on", "培训日期", sort="held_on"),
        Column("hours", "学时", sort="hours"),
        Column("location", "地点"),
        Column("round", "所属轮次", render=lambda t: str(t.round) if t.round_id else "—"),
        Column("authority.name", "举办机构"),
    ],
    filterset_class=filters.TrainingFilterSet, form_class=forms.TrainingForm,
    create=services.training_create, update=services.training_update, delete=services.training_delete,
    select_related=("authority", "round"), default_sort="-held_on",
    detail_template="teams/training_detail.html", extra_context=_training_context,
)

RESOURCES = [pool_resource, declaration_resource, secondment_resource, honour_resource, quota_resource,
             quotacheck_resource, training_resource]

__all__ = ["RESOURCES", "pool_resource", "declaration_resource", "secondment_resource", "honour_resource",
           "quota_resource", "quotacheck_resource", "training_resource"]
