"""Supervision groups (督导组) as a Resource: list, detail, form, history, export and API pages come
from the kernel. Everything else of rectification is a workflow with explicit views."""

from __future__ import annotations

from xuncha.core.resources import Column, Resource

from . import filters, forms, services
from .models import SupervisionGroup


def _regions(group) -> str:
    return "、".join(r.name for r in group.regions.all()) or "本级全部"


def _members(group) -> str:
    return "、".join(u.display_name for u in group.members.all())


supervisiongroup_resource = Resource(
    model=SupervisionGroup, namespace="rectification", name="supervisiongroup", label="督导组",
    columns=[
        Column("name", "督导组名称", sort="name"),
        Column("authority.name", "巡察主体", sort="authority__path"),
        Column("leader_name", "组长"),
        Column("regions", "督导范围", render=_regions),
        Column("members", "成员", render=_members),
        Column("is_active", "启用", render=lambda g: "是" if g.is_active else "否"),
    ],
    detail_fields=[
        Column("name", "督导组名称"), Column("authority.name", "巡察主体"), Column("leader_name", "组长"),
        Column("regions", "督导范围", render=_regions), Column("members", "成员", render=_members),
        Column("is_active", "启用", render=lambda g: "是" if g.is_active else "否"),
    ],
    filterset_class=filters.SupervisionGroupFilterSet, form_class=forms.SupervisionGroupForm,
    create=services.supervisiongroup_create, update=services.supervisiongroup_update,
    delete=services.supervisiongroup_delete, select_related=("authority",),
    prefetch_related=("regions", "members"), default_sort="authority__path", search_hint="名称或组长",
)

RESOURCES = [supervisiongroup_resource]
