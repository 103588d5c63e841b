"""The org records as Resources: their lists, filters, forms, services, export and import."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from xuncha.core.excel import ImportColumn, ImportSpec
from xuncha.core.masking import mask_id_card, mask_phone
from xuncha.core.resources import Column, Resource

from . import choices as c
from . import filters, forms, services
from .models import Cadre, Region, Unit


def _region_names(user, permission: str) -> list[str]:
    return list(Region.objects.for_user_perm(user, permission).values_list("name", flat=True))


def _resolve_by_name(queryset, text: str, what: str):
    """Find one record by exact name (or by 编号 written as #123); ambiguous names are refused."""
    if text.startswith("#") and text[1:].isdigit():
        found = queryset.filter(pk=int(text[1:])).first()
        if found is None:
            raise ValidationError(f"编号“{text}”的{what}不存在或不在您的授权范围内")
        return found.pk
    matches = list(queryset.filter(name=text).values_list("pk", flat=True)[:2])
    if not matches:
        raise ValidationError(f"{what}“{text}”不存在或不在您的授权范围内")
    if len(matches) > 1:
        raise ValidationError(f"{what}“{text}”有重名，请改填“#编号”")
    return matches[0]


def _region_resolver(permission: str):
    return lambda user, text: _resolve_by_name(Region.objects.for_user_perm(user, permission), text, "区域")


def _unit_resolver(permission: str | None):
    def resolve(user, text):
        qs = Unit.objects.for_user_perm(user, permission) if permission else Unit.objects.for_user(user, "view")
        return _resolve_by_name(qs, text, "单位")

    return resolve


region_resource = Resource(
    model=Region, namespace="org", name="region", label="区域",
    columns=[
        Column("name", "名称", sort="name"),
        Column("code", "行政区划代码", sort="code"),
        Column("level", "层级", render=lambda r: r.get_level_display()),
        Column("parent.name", "上级区域"),
    ],
    filterset_class=filters.RegionFilterSet, form_class=forms.RegionForm,
    create=services.region_create, update=services.region_update, delete=services.region_delete,
    select_related=("parent",), default_sort="path",
    detail_template="org/region_detail.html",
    extra_context=lambda request, region: {
        "children": Region.objects.for_user(request.user).filter(parent=region),
        "unit_count": Unit.objects.for_user(request.user).filter(region__path__startswith=region.path).count(),
    },
)

unit_resource = Resource(
    model=Unit, namespace="org", name="unit", label="被巡察对象",
    columns=[
        Column("name", "单位名称", sort="name"),
        Column("region.name", "所属区域", sort="region__path"),
        Column("category", "单位类别", sort="category", dict_code=c.DICT_UNIT_CATEGORY),
        Column("level", "层级", sort="level", dict_code=c.DICT_UNIT_LEVEL),
        Column("managing_authority", "管理权限", sort="managing_authority", dict_code=c.DICT_MANAGING_AUTHORITY),
        Column("system", "所属系统", dict_code=c.DICT_UNIT_SYSTEM),
        Column("social_attention", "社会关注度", sort="social_attention", dict_code=c.DICT_SOCIAL_ATTENTION),
        Column("low_rank_high_power", "职级不高权力较大", sort="low_rank_high_power"),
        Column("special_fund_scale", "专项资金（万元）", sort="special_fund_scale"),
    ],
    detail_fields=[
        Column("name", "单位名称"), Column("short_name", "简称"), Column("credit_code", "统一社会信用代码"),
        Column("region.name", "所属区域"), Column("parent.name", "上级单位"),
        Column("category", "单位类别", dict_code=c.DICT_UNIT_CATEGORY),
        Column("level", "层级", dict_code=c.DICT_UNIT_LEVEL),
        Column("managing_authority", "管理权限", dict_code=c.DICT_MANAGING_AUTHORITY),
        Column("system", "所属系统", dict_code=c.DICT_UNIT_SYSTEM),
        Column("social_attention", "社会关注度", dict_code=c.DICT_SOCIAL_ATTENTION),
        Column("low_rank_high_power", "职级不高权力较大"),
        Column("special_fund_scale", "专项资金规模（万元）"),
        Column("address", "地址"), Column("remarks", "备注"),
    ],
    filterset_class=filters.UnitFilterSet, form_class=forms.UnitForm,
    create=services.unit_create, update=services.unit_update, delete=services.unit_delete,
    select_related=("region", "parent"), default_sort="region__path",
    detail_template="org/unit_detail.html",
    extra_context=lambda request, unit: {
        "cadres": Cadre.objects.for_user(request.user).filter(unit=unit).order_by("name")[:200],
        "cadre_count": Cadre.objects.for_user(request.user).filter(unit=unit).count(),
        "children": Unit.objects.for_user(request.user).filter(parent=unit).order_by("name"),
    },
    importer=ImportSpec(columns=[
        ImportColumn("单位名称", "name", required=True),
        ImportColumn("简称", "short_name"),
        ImportColumn("统一社会信用代码", "credit_code"),
        ImportColumn("所属区域", "region", kind="fk", required=True,
                     choices=lambda user: _region_names(user, "org:unit:add"),
                     resolve=_region_resolver("org:unit:add"), export=lambda u: u.region.name),
        ImportColumn("上级单位", "parent", kind="fk", resolve=_unit_resolver(None),
                     note="填写上级单位的全称（系统内已有的单位），重名时填写“#编号”",
                     export=lambda u: u.parent.name if u.parent_id else ""),
        ImportColumn("单位类别", "category", kind="dict", required=True, dict_code=c.DICT_UNIT_CATEGORY),
        ImportColumn("层级", "level", kind="dict", required=True, dict_code=c.DICT_UNIT_LEVEL),
        ImportColumn("管理权限", "managing_authority", kind="dict", required=True, dict_code=c.DICT_MANAGING_AUTHORITY),
        ImportColumn("所属系统", "system", kind="dict", dict_code=c.DICT_UNIT_SYSTEM),
        ImportColumn("社会关注度", "social_attention", kind="dict", dict_code=c.DICT_SOCIAL_ATTENTION),
        ImportColumn("职级不高权力较大", "low_rank_high_power", kind="bool"),
        ImportColumn("专项资金规模（万元）", "special_fund_scale", kind="decimal"),
        ImportColumn("地址", "address"),
        ImportColumn("备注", "remarks"),
    ]),
)


def _skills_text(cadre: Cadre) -> str:
    return "、".join(s.label for s in cadre.skills.all())


cadre_resource = Resource(
    model=Cadre, namespace="org", name="cadre", label="干部",
    columns=[
        Column("name", "姓名", sort="name"),
        Column("unit.name", "工作单位", sort="unit__name"),
        Column("post", "职务", sort="post"),
        Column("rank", "职级", sort="rank", dict_code=c.DICT_CADRE_RANK),
        Column("region.name", "所属区域", sort="region__path"),
        Column("skills", "专长", render=_skills_text),
        Column("phone", "手机号", render=lambda x: mask_phone(x.phone)),
    ],
    detail_fields=[
        Column("name", "姓名"), Column("gender", "性别", dict_code=c.DICT_GENDER), Column("birth_date", "出生日期"),
        Column("id_card", "身份证号", render=lambda x: mask_id_card(x.id_card)),
        Column("phone", "手机号", render=lambda x: mask_phone(x.phone)),
        Column("unit.name", "工作单位"), Column("region.name", "所属区域"), Column("post", "职务"),
        Column("rank", "职级", dict_code=c.DICT_CADRE_RANK), Column("skills", "专长", render=_skills_text),
        Column("remarks", "备注"),
    ],
    filterset_class=filters.CadreFilterSet, form_class=forms.CadreForm,
    form_template="org/cadre_form.html",
    create=services.cadre_create, update=services.cadre_update, delete=services.cadre_delete,
    # region_id, not region__path: with 100,000 cadres a sort through the join costs seconds on deep pages,
    # and regions are numbered in tree order when they are created.
    select_related=("unit", "region"), prefetch_related=("skills",), default_sort="region_id",
    detail_template="org/cadre_detail.html",
    extra_context=lambda request, cadre: {
        "work_history": cadre.work_history.select_related("unit"),
        "family": cadre.family.select_related("unit"),
    },
    importer=ImportSpec(columns=[
        ImportColumn("姓名", "name", required=True),
        ImportColumn("性别", "gender", kind="dict", dict_code=c.DICT_GENDER),
        ImportColumn("出生日期", "birth_date", kind="date"),
        ImportColumn("身份证号", "id_card", masked=True, export=lambda x: mask_id_card(x.id_card),
                     note="导出文件中为脱敏显示，按编号更新时保留原值"),
        ImportColumn("手机号", "phone", masked=True, export=lambda x: mask_phone(x.phone)),
        ImportColumn("工作单位", "unit", kind="fk", required=True,
                     resolve=_unit_resolver("org:cadre:add"), note="填写单位全称，重名时填写“#编号”",
                     export=lambda x: x.unit.name),
        ImportColumn("职务", "post", required=True),
        ImportColumn("职级", "rank", kind="dict", required=True, dict_code=c.DICT_CADRE_RANK),
        ImportColumn("专长", "skills", kind="multi_dict", dict_code=c.DICT_CADRE_SKILL, export=_skills_text),
        ImportColumn("备注", "remarks"),
    ], instructions=["5. 工作经历、家庭成员请在干部详情页中维护。"]),
)

RESOURCES = [region_resource, unit_resource, cadre_resource]
