"""Inspection groups of a round, their profile (临时党组织, 动员会) and members.

Every member added is checked against recusal for the group's targets, and against the rules of
composition: 5–7 people, one 组长 from a leader pool, one party-group secretary, one conduct
supervisor, nobody in two groups of the same round.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from xuncha.core.services import scoped_create, scoped_soft_delete, scoped_update
from xuncha.planning.models import InspectionGroup, InspectionTarget

from .. import choices as c
from .. import recusal
from ..models import GroupMember, GroupProfile, PoolEntry
from ._common import assign, authority_chain_q, errors, today

PROFILE_FIELDS = ("party_org_kind", "party_org_established", "mobilisation_date", "remarks")


def inspection_group_create(*, actor, round, name: str = "", remarks: str = "") -> InspectionGroup:
    """A new group in the round: planning's own service (the next 第N巡察组, named for grants)."""
    from xuncha.planning import services as planning_services

    return planning_services.group_create(actor=actor, round=round, name=name, remarks=remarks)


def group_profile_save(*, actor, group: InspectionGroup, data: dict) -> GroupProfile:
    profile = GroupProfile.objects.filter(group=group).first()
    if profile is None:
        profile = GroupProfile(group=group, authority_id=group.authority_id)
        assign(profile, data, PROFILE_FIELDS)
        return scoped_create(actor=actor, instance=profile)
    return scoped_update(actor=actor, instance=profile, changes=lambda p: assign(p, data, PROFILE_FIELDS))


def group_target_units(group_ids) -> dict[int, list[tuple[int, str]]]:
    """{group id: [(unit id, unit name)]} of the groups' live inspections."""
    result: dict[int, list[tuple[int, str]]] = {gid: [] for gid in group_ids}
    rows = InspectionTarget.objects.filter(inspection__group_id__in=list(group_ids),
                                           inspection__is_deleted=False).values_list(
        "inspection__group_id", "unit_id", "unit__name").order_by("unit__name", "unit_id")
    for gid, unit_id, name in rows:
        if (unit_id, name) not in result[gid]:
            result[gid].append((unit_id, name))
    return result


def recusal_errors(cadre, unit_ids, *, on: datetime.date | None = None) -> list[str]:
    """Every reason `cadre` may not inspect one of the units (empty: allowed)."""
    if not unit_ids:
        return []
    blocked = recusal.blocks_for([cadre.pk], unit_ids, today=on or today())
    names = recusal.load_targets(unit_ids)
    lines = []
    for (_, unit_id), blocks in sorted(blocked.items()):
        for block in blocks:
            lines.append(f"回避{names[unit_id].name}：{block.text}")
    return lines


def active_pool_entry(cadre, authority, kind: str | None = None) -> PoolEntry | None:
    """The cadre's active entry in a pool kept by `authority` or an office above it."""
    qs = PoolEntry.objects.filter(authority_chain_q(authority), cadre=cadre, status=c.EntryStatus.ACTIVE)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "-authority__path").first()


def _live_members(group):
    return GroupMember.objects.filter(group=group).select_related("cadre")


def _check_roles(group, cadre, role: str, secretary: bool, supervisor: bool, exclude_pk=None) -> dict:
    problems = {}
    others = [m for m in _live_members(group) if m.pk != exclude_pk]
    if role == c.MemberRole.LEADER:
        leader = next((m for m in others if m.role == c.MemberRole.LEADER), None)
        if leader:
            problems["role"] = f"{group.name}已有组长{leader.cadre.name}。"
        elif active_pool_entry(cadre, group.authority, c.PoolKind.LEADER) is None:
            problems["role"] = f"组长须从组长库中选配：{cadre.name}不在组长库中（或已出库、暂停使用）。"
    if secretary:
        holder = next((m for m in others if m.is_party_secretary), None)
        if holder:
            problems["is_party_secretary"] = f"本组临时党组织书记已由{holder.cadre.name}担任。"
    if supervisor:
        holder = next((m for m in others if m.is_conduct_supervisor), None)
        if holder:
            problems["is_conduct_supervisor"] = f"本组作风监督员已由{holder.cadre.name}担任。"
    return problems


def member_add(*, actor, group: InspectionGroup, cadre, role: str = c.MemberRole.MEMBER,
               is_party_secretary: bool = False, is_conduct_supervisor: bool = False, duty: str = "",
               joined_on: datetime.date | None = None, remarks: str = "", pool_entry: PoolEntry | None = None,
               check_pool: bool = True) -> GroupMember:
    """Add `cadre` to `group`. Refused, naming the field and the reason, when the group is full, the
    role is taken, the cadre is in another group of the round, or recusal forbids one of the targets."""
    with transaction.atomic():
        group = InspectionGroup.objects.select_for_update().select_related("round", "authority").get(pk=group.pk)
        if _live_members(group).filter(cadre=cadre).exists():
            raise errors(cadre=f"{cadre.name}已是本组成员。")
        other = GroupMember.objects.filter(round_id=group.round_id, cadre=cadre).exclude(
            group=group).select_related("group").first()
        if other:
            raise errors(cadre=f"{cadre.name}已是本轮{other.group.name}成员，同一轮次每人只参加一个巡察组。")
        count = _live_members(group).count()
        if count >= c.GROUP_SIZE_MAX:
            raise ValidationError(f"巡察组人数应为 {c.GROUP_SIZE_MIN}—{c.GROUP_SIZE_MAX} 人：{group.name}已有 {count} 人。")
        problems = _check_roles(group, cadre, role, is_party_secretary, is_conduct_supervisor) if check_pool else {}
        units = [u for u, _ in group_target_units([group.pk])[group.pk]]
        reasons = recusal_errors(cadre, units)
        if reasons:
            problems["cadre"] = f"不能安排{cadre.name}：" + "；".join(reasons)
        if problems:
            raise ValidationError(problems)
        member = GroupMember(
            group=group, round_id=group.round_id, authority_id=group.authority_id, cadre=cadre, role=role,
            is_party_secretary=is_party_secretary, is_conduct_supervisor=is_conduct_supervisor, duty=duty,
            joined_on=joined_on or today(), remarks=remarks,
            pool_entry=pool_entry or active_pool_entry(cadre, group.authority))
        return scoped_create(actor=actor, instance=member)


MEMBER_FIELDS = ("role", "is_party_secretary", "is_conduct_supervisor", "duty", "remarks")


def member_update(*, actor, instance: GroupMember, data: dict) -> GroupMember:
    role = data.get("role", instance.role)
    problems = _check_roles(instance.group, instance.cadre, role if role != instance.role else "",
                            data.get("is_party_secretary", False) and not instance.is_party_secretary,
                            data.get("is_conduct_supervisor", False) and not instance.is_conduct_supervisor,
                            exclude_pk=instance.pk)
    if problems:
        raise ValidationError(problems)
    return scoped_update(actor=actor, instance=instance, changes=lambda m: assign(m, data, MEMBER_FIELDS))


def member_remove(*, actor, instance: GroupMember) -> GroupMember:
    return scoped_soft_delete(actor=actor, instance=instance)
