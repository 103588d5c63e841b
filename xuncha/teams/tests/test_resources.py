"""Generated page, API and permission tests for the teams Resources (pool entries, recusal
declarations, secondments, honours, quotas, quota checks, training sessions)."""

import datetime

from xuncha.core.testing.resources import ResourceSpec, resource_tests
from xuncha.core.testing.world import make_cadre
from xuncha.teams.models import (
    Honour,
    PoolEntry,
    QuotaCheck,
    RecusalDeclaration,
    Secondment,
    StaffingQuota,
    TrainingSession,
)
from xuncha.teams.resources import (
    declaration_resource,
    honour_resource,
    pool_resource,
    quota_resource,
    quotacheck_resource,
    secondment_resource,
    training_resource,
)

from .factories import serial


def _unit(world, region):
    return {world.county_a.pk: world.unit_a, world.county_b.pk: world.unit_b}.get(region.pk, world.unit_city)


def _cadre(world, region, stem="人员"):
    return make_cadre(f"{stem}{region.code[-2:]}{serial()}", _unit(world, region))


# --- pools ------------------------------------------------------------------------------------------


def _pool(world, region, i):
    return PoolEntry.objects.create(authority=region, kind="talent", cadre=_cadre(world, region, "库员"),
                                    entry_date=datetime.date(2026, 1, 5), source="org_recommend", entry_reason="组织推荐")


def _pool_form(world, region):
    return {"authority": region.pk, "kind": "talent", "cadre": f"#{_cadre(world, region, '新库员').pk}",
            "entry_date": "2026-01-05", "source": "org_recommend", "entry_reason": "巡察工作需要"}


TestPoolResource = resource_tests(ResourceSpec(
    resource=pool_resource, make=_pool, form_data=_pool_form, edit=("entry_reason", "改后的入库理由"),
    text=lambda e: e.cadre.name, api_basename="pool"))


# --- declarations ---------------------------------------------------------------------------------------


def _declaration(world, region, i):
    return RecusalDeclaration.objects.create(
        authority=region, kind="self", cadre=_cadre(world, region), unit=_unit(world, region),
        reason=f"回避事由{region.code}{i}", declared_on=datetime.date(2026, 11, 1))


def _declaration_form(world, region):
    return {"authority": region.pk, "kind": "self", "cadre": f"#{_cadre(world, region).pk}",
            "unit": _unit(world, region).pk, "reason": "曾在该单位工作", "declared_on": "2026-11-01", "is_active": "on"}


TestDeclarationResource = resource_tests(ResourceSpec(
    resource=declaration_resource, make=_declaration, form_data=_declaration_form, edit=("reason", "改后的回避事由"),
    text=lambda d: d.reason, api_basename="declaration"))


# --- secondments ---------------------------------------------------------------------------------------


def _secondment(world, region, i):
    cadre = _cadre(world, region, "抽调")
    return Secondment.objects.create(authority=region, cadre=cadre, from_unit=cadre.unit,
                                     start_date=datetime.date(2026, 3, 1), end_date=datetime.date(2027, 2, 28))


def _secondment_form(world, region):
    return {"authority": region.pk, "cadre": f"#{_cadre(world, region, '抽调').pk}", "start_date": "2026-03-01",
            "end_date": "", "letter_no": "青巡〔2026〕1号"}


TestSecondmentResource = resource_tests(ResourceSpec(
    resource=secondment_resource, make=_secondment, form_data=_secondment_form, edit=("letter_no", "青巡〔2026〕9号"),
    text=lambda s: s.cadre.name, api_basename="secondment"))


# --- honours --------------------------------------------------------------------------------------------


def _honour(world, region, i):
    return Honour.objects.create(authority=region, cadre=_cadre(world, region), title=f"优秀巡察干部{region.code}{i}",
                                 level="county", issuer="县委巡察工作领导小组", awarded_on=datetime.date(2026, 6, 1))


def _honour_form(world, region):
    return {"authority": region.pk, "cadre": f"#{_cadre(world, region).pk}", "title": "优秀巡察干部",
            "level": "county", "issuer": "县委巡察工作领导小组", "awarded_on": "2026-06-01"}


TestHonourResource = resource_tests(ResourceSpec(
    resource=honour_resource, make=_honour, form_data=_honour_form, edit=("title", "巡察工作先进个人"),
    text=lambda h: h.title, api_basename="honour"))


# --- quotas and quota checks ------------------------------------------------------------------------------


def _quota(world, region, i):
    return StaffingQuota.objects.create(region=region, year=2000 + i, office_name=f"{region.name}巡察办{i}",
                                        approved_posts=12, filled_posts=9)


def _quota_form(world, region):
    return {"region": region.pk, "year": "2026", "office_name": f"{region.name}委巡察办", "approved_posts": "12",
            "filled_posts": "10", "seconded_posts": "3"}


TestQuotaResource = resource_tests(ResourceSpec(
    resource=quota_resource, make=_quota, form_data=_quota_form, edit=("office_name", "改名后的巡察办"),
    text=lambda q: q.office_name, api_basename="quota"))


def _quotacheck(world, region, i):
    return QuotaCheck.objects.create(authority=region, year=2026, title=f"编制检查{region.code}{i}",
                                     checked_on=datetime.date(2026, 10, 1))


def _quotacheck_form(world, region):
    return {"authority": region.pk, "year": "2026", "title": "2026年编制落实检查", "checked_on": "2026-10-01"}


TestQuotaCheckResource = resource_tests(ResourceSpec(
    resource=quotacheck_resource, make=_quotacheck, form_data=_quotacheck_form, edit=("title", "改后的检查名称"),
    text=lambda q: q.title, api_basename="quotacheck"))


# --- training -------------------------------------------------------------------------------------------


def _training(world, region, i):
    return TrainingSession.objects.create(authority=region, title=f"进驻前培训{region.code}{i}",
                                          held_on=datetime.date(2026, 12, 1), hours=4)


def _training_form(world, region):
    return {"authority": region.pk, "title": "巡察业务培训", "held_on": "2026-12-01", "hours": "3.5",
            "location": "县委党校"}


TestTrainingResource = resource_tests(ResourceSpec(
    resource=training_resource, make=_training, form_data=_training_form, edit=("title", "改后的培训"),
    text=lambda t: t.title, api_basename="training"))
