"""The decision checklist (重大决策部署清单) as a Resource: list, filters, form, services, export, import.
The indicator sets are a tree with versions and have their own pages (views.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from xuncha.core.excel import ImportColumn, ImportSpec
from xuncha.core.resources import Column, Resource
from xuncha.org.models import Region
from xuncha.org.resources import _resolve_by_name

from . import choices as c
from . import filters, forms, services
from .models import DecisionItem

ISSUER_BY_LABEL = {label: value for value, label in c.Issuer.choices}


def _authority_resolver(user, text):
    return _resolve_by_name(forms.authorities(user, "indicators:decisionitem:add"), text, "巡察主体")


def _issuer_resolver(user, text):
    if text in ISSUER_BY_LABEL:
        return ISSUER_BY_LABEL[text]
    if text in c.Issuer.values:
        return text
    raise ValidationError(f"“{text}”不是可选的决策主体（可选：{'、'.join(ISSUER_BY_LABEL)}）")


decisionitem_resource = Resource(
    model=DecisionItem, namespace="indicators", name="decisionitem", label="重大决策部署",
    columns=[
        Column("title", "决策部署", sort="title", link=True),
        Column("issuer", "决策主体", sort="issuer", render=lambda d: d.get_issuer_display()),
        Column("doc_number", "文件文号"),
        Column("issued_on", "印发日期", sort="issued_on"),
        Column("kinds_label", "适用对象类型"),
        Column("authority_label", "巡察主体", sort="authority__path"),
        Column("is_active", "启用"),
    ],
    detail_fields=[
        Column("title", "决策部署"), Column("issuer", "决策主体", render=lambda d: d.get_issuer_display()),
        Column("doc_number", "文件文号"), Column("issued_on", "印发日期"), Column("requirement", "贯彻落实要求"),
        Column("kinds_label", "适用对象类型"), Column("authority_label", "巡察主体"), Column("is_active", "启用"),
        Column("order", "排序"),
    ],
    filterset_class=filters.DecisionItemFilterSet, form_class=forms.DecisionItemForm,
    create=services.decisionitem_create, update=services.decisionitem_update, delete=services.decisionitem_delete,
    select_related=("authority",), default_sort="order", row_edit_links=False,
    search_hint="按决策部署名称或文号查找",
    importer=ImportSpec(columns=[
        ImportColumn("巡察主体", "authority", kind="fk", required=True, resolve=_authority_resolver,
                     choices=lambda user: list(forms.authorities(user, "indicators:decisionitem:add")
                                               .values_list("name", flat=True)),
                     export=lambda d: d.authority.name if d.authority_id else "平台内置"),
        ImportColumn("决策主体", "issuer", kind="fk", required=True, resolve=_issuer_resolver,
                     choices=lambda user: list(ISSUER_BY_LABEL), export=lambda d: d.get_issuer_display()),
        ImportColumn("决策部署", "title", required=True),
        ImportColumn("文件文号", "doc_number"),
        ImportColumn("印发日期", "issued_on", kind="date"),
        ImportColumn("贯彻落实要求", "requirement", required=True),
        ImportColumn("适用对象类型", "kinds", note="用“、”分隔，如：机关部门、国有企业；留空表示全部类型",
                     export=lambda d: "、".join(dict(c.TargetKind.choices)[k] for k in d.kinds)),
        ImportColumn("启用", "is_active", kind="bool"),
        ImportColumn("排序", "order"),
    ], instructions=["5. 适用对象类型可选：机关部门、国有企业、事业单位、乡镇（街道）、村（社区）。"]),
)

RESOURCES = [decisionitem_resource]

__all__ = ["decisionitem_resource", "RESOURCES", "Region"]
