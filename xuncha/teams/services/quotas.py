"""Staffing quotas (编制) per office and the city's check of each county's quotas."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.core import changelog
from xuncha.core.services import require_perm, scoped_create, scoped_soft_delete, scoped_update
from xuncha.org.models import Region

from .. import choices as c
from ..models import QuotaCheck, QuotaCheckItem, StaffingQuota
from ._common import assign, errors, log_create, log_update

QUOTA_FIELDS = ("region", "year", "office_name", "approved_posts", "filled_posts", "seconded_posts", "remarks")


def _check_quota(data: dict, instance: StaffingQuota | None = None) -> None:
    if data.get("approved_posts") is not None and data.get("filled_posts") is not None \
            and data["filled_posts"] > data["approved_posts"] + 50:
        raise errors(filled_posts="实有在编人数明显超过核定编制数，请核对。")
    if data.get("region") is not None and data.get("year"):
        clash = StaffingQuota.objects.filter(region=data["region"], year=data["year"])
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise errors(year=f"{data['region'].name}{data['year']}年的编制已登记。")


def quota_create(*, actor, data: dict) -> StaffingQuota:
    _check_quota(data)
    quota = StaffingQuota()
    assign(quota, data, QUOTA_FIELDS)
    return scoped_create(actor=actor, instance=quota)


def quota_update(*, actor, instance: StaffingQuota, data: dict) -> StaffingQuota:
    _check_quota(data, instance)
    return scoped_update(actor=actor, instance=instance, changes=lambda q: assign(q, data, QUOTA_FIELDS))


def quota_delete(*, actor, instance: StaffingQuota) -> StaffingQuota:
    return scoped_soft_delete(actor=actor, instance=instance)


CHECK_FIELDS = ("authority", "year", "title", "checked_on", "summary", "requirements")


def quotacheck_create(*, actor, data: dict) -> QuotaCheck:
    check = QuotaCheck()
    assign(check, data, CHECK_FIELDS)
    return scoped_create(actor=actor, instance=check, after_save=lambda saved: _fill(saved, actor))


def quotacheck_update(*, actor, instance: QuotaCheck, data: dict) -> QuotaCheck:
    if instance.status == c.QuotaCheckStatus.PUBLISHED:
        raise ValidationError("检查结果已通报，不能再修改。")
    return scoped_update(actor=actor, instance=instance, changes=lambda q: assign(q, data, CHECK_FIELDS))


def quotacheck_delete(*, actor, instance: QuotaCheck) -> QuotaCheck:
    if instance.status == c.QuotaCheckStatus.PUBLISHED:
        raise ValidationError("检查结果已通报，不能删除。")
    return scoped_soft_delete(actor=actor, instance=instance)


def _fill(check: QuotaCheck, actor) -> int:
    """One item per county below the checking authority, from that county's quota of the year."""
    counties = Region.objects.filter(parent_id=check.authority_id, is_deleted=False).order_by("path")
    quotas = {q.region_id: q for q in StaffingQuota.objects.filter(region__in=counties, year=check.year)}
    have = set(check.items.values_list("region_id", flat=True))
    created = 0
    for county in counties:
        if county.pk in have:
            continue
        quota = quotas.get(county.pk)
        approved = quota.approved_posts if quota else 0
        filled = quota.filled_posts if quota else 0
        short = quota is None or filled < approved
        finding = ("未登记本年度编制情况" if quota is None else
                   f"核定编制 {approved} 名，实有 {filled} 名，缺编 {approved - filled} 名" if short else
                   f"核定编制 {approved} 名，实有 {filled} 名，编制落实到位")
        item = QuotaCheckItem.objects.create(
            check_record=check, region=county, approved_posts=approved, filled_posts=filled,
            conclusion=c.QuotaConclusion.SHORT if short else c.QuotaConclusion.MET, finding=finding)
        log_create(item, actor)
        created += 1
    return created


def quotacheck_fill(*, actor, check: QuotaCheck) -> int:
    """Add the counties missing from the check (e.g. quotas registered after it was opened)."""
    require_perm(actor, "teams:quotacheck:change")
    if not QuotaCheck.objects.for_user(actor, "change").filter(pk=check.pk).exists():
        raise ValidationError("该检查不在您的授权范围内。")
    if check.status == c.QuotaCheckStatus.PUBLISHED:
        raise ValidationError("检查结果已通报，不能再修改。")
    with transaction.atomic():
        return _fill(check, actor)


ITEM_FIELDS = ("approved_posts", "filled_posts", "conclusion", "finding")


def quotacheck_item_update(*, actor, item: QuotaCheckItem, data: dict) -> QuotaCheckItem:
    require_perm(actor, "teams:quotacheck:change")
    if not QuotaCheckItem.objects.for_user(actor, "change").filter(pk=item.pk).exists():
        raise ValidationError("该检查结果不在您的授权范围内。")
    if item.check_record.status == c.QuotaCheckStatus.PUBLISHED:
        raise ValidationError("检查结果已通报，不能再修改。")
    with transaction.atomic():
        locked = QuotaCheckItem.objects.select_for_update().get(pk=item.pk)
        before = changelog.snapshot(locked)
        assign(locked, data, ITEM_FIELDS)
        locked.save()
        log_update(locked, before, actor)
    return locked


def quotacheck_publish(*, actor, check: QuotaCheck) -> QuotaCheck:
    if check.status == c.QuotaCheckStatus.PUBLISHED:
        raise ValidationError("检查结果已通报。")
    if not check.items.exists():
        raise ValidationError("检查中还没有任何县区的结果，不能通报。")

    def change(q: QuotaCheck) -> None:
        q.status, q.published_at = c.QuotaCheckStatus.PUBLISHED, timezone.now()

    return scoped_update(actor=actor, instance=check, changes=change, action="publish")
