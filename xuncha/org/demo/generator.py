"""A deterministic demo city: one province, one city, ten counties/districts, about 1,000 units and
10,000 cadres at scale 1 (and about ten times more at --scale 10), plus one login per role.

Everything comes from `random.Random(seed)`, so the same seed builds the same data.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from xuncha.accounts.models import Grant, Role, User
from xuncha.core.models import DictItem

from ..models import Cadre, FamilyRelation, Region, Unit, WorkHistory
from ..validators import id_card_check_digit
from . import names as n

DEMO_PASSWORD = "Xuncha@2026"
CHINESE_ORDINALS = "一二三四五六七八九十"


@dataclass
class DemoUser:
    username: str
    full_name: str
    role: str
    scope: str  # "global", a region name, or "unit:<unit name>"
    note: str


DEMO_USERS = [
    DemoUser("city_office", "周巡察", "office_admin", n.CITY[0], "市委巡察办管理员：全市及所辖县区"),
    DemoUser("county_office", "吴青阳", "office_admin", "青阳县", "青阳县委巡察办管理员：仅青阳县"),
    DemoUser("county_office2", "郑桐溪", "office_admin", "桐溪县", "桐溪县委巡察办管理员：仅桐溪县"),
    DemoUser("leader", "王领导", "leader", n.CITY[0], "市领导：全市只读"),
    DemoUser("group_leader", "陈组长", "group_leader", "unit:青阳县教育局", "巡察组组长（巡察组范围待“巡察组”功能上线，暂以被巡察单位授权）"),
    DemoUser("supervisor", "林督导", "supervisor", "青阳县", "督导组：青阳县"),
    DemoUser("liaison", "赵联络", "unit_liaison", "unit:青阳县教育局", "被巡察单位联络人：仅青阳县教育局"),
    DemoUser("sysadmin", "系统管理员", "sys_admin", "global", "系统管理员：用户与数据字典"),
    DemoUser("secadmin", "安全管理员", "sec_admin", "global", "安全管理员：角色、授权与解锁"),
    DemoUser("auditor", "审计管理员", "auditor", "global", "安全审计员：操作日志与登录日志"),
]


class DemoBuilder:
    def __init__(self, seed: int = 1, scale: int = 1, today: datetime.date | None = None):
        self.rng = random.Random(seed)
        self.scale = max(1, scale)
        self.today = today or datetime.date(2026, 11, 30)
        self.skills = {}
        self.region_code: dict[int, str] = {}
        self.id_serial = 0

    # --- regions ----------------------------------------------------------------------------

    def _region(self, name, code, level, parent):
        region = Region.objects.create(name=name, code=code, level=level, parent=parent)
        region.path = f"{parent.path if parent else '/'}{region.pk}/"
        region.save(update_fields=["path"])
        self.region_code[region.pk] = code
        return region

    def build_regions(self):
        province = self._region(*n.PROVINCE, "province", None)
        self.city = self._region(*n.CITY, "city", province)
        self.counties = [self._region(name, code, "county", self.city) for name, code in n.COUNTIES]

    # --- units ------------------------------------------------------------------------------

    def _unit(self, name, region, category, level, authority, system, attention="low", lrhp=False, fund=None,
              parent=None):
        return Unit(name=name, region=region, category=category, level=level, managing_authority=authority,
                    system=system, social_attention=attention, low_rank_high_power=lrhp,
                    special_fund_scale=fund, parent=parent)

    def _fund(self, has_funds: bool, base: int):
        if not has_funds:
            return None
        return round(self.rng.uniform(0.2, 1.0) * base * self.rng.choice((1, 1, 2, 5)), 2)

    def _region_units(self, region, prefix: str, is_city: bool) -> list[Unit]:
        level = "county_dept" if is_city else "section"
        authority = "city" if is_city else "county"
        fund_base = 20000 if is_city else 5000
        units: list[Unit] = []
        depts = {}
        for stem, category, system, attention, lrhp, funds in n.DEPARTMENTS:
            unit = self._unit(prefix + stem, region, category, level, authority, system, attention, lrhp,
                              self._fund(funds, fund_base))
            depts[system] = depts.get(system) or unit
            units.append(unit)
        for stem in (n.SECONDARY if is_city else n.SECONDARY[:6]):
            name, system, lrhp = stem
            units.append(self._unit(prefix + name, region, "secondary", "section", authority, system,
                                    self.rng.choice(("high", "medium")), lrhp, self._fund(True, fund_base // 2)))
        for stem in (n.SOES if is_city else n.SOES[:4]):
            units.append(self._unit(prefix + stem, region, "soe", level, authority, "soe", "medium", False,
                                    self._fund(True, fund_base * 3)))
        for stem, category, system in (n.INSTITUTIONS if is_city else n.INSTITUTIONS[:8]):
            units.append(self._unit(prefix + stem, region, category, "section", authority, system, "medium"))
        for stem in (n.MASS_ORGS if is_city else n.MASS_ORGS[:3]):
            units.append(self._unit(prefix + stem, region, "mass_org", level, authority, "party", "low"))
        return units

    def build_units(self):
        city_units = self._region_units(self.city, self.city.name, True)
        Unit.objects.bulk_create(city_units, batch_size=1000)
        villages_per_county = max(10, 100 * self.scale - 73)
        for county in self.counties:
            units = self._region_units(county, county.name, False)
            Unit.objects.bulk_create(units, batch_size=1000)
            townships = []
            for i, stem in enumerate(n.TOWNSHIP_STEMS[:12]):
                kind = "街道" if county.name.endswith("区") and i % 2 == 0 else "镇"
                townships.append(self._unit(f"{county.name}{stem}{kind}", county, "township", "section", "county",
                                            "grassroots", self.rng.choice(("high", "medium", "low")), False,
                                            self._fund(True, 800)))
            Unit.objects.bulk_create(townships, batch_size=1000)
            villages = []
            for v in range(villages_per_county):
                township = townships[v % len(townships)]
                k = v // len(townships)
                stem = n.VILLAGE_STEMS[k % len(n.VILLAGE_STEMS)]
                ordinal = "" if k < len(n.VILLAGE_STEMS) else CHINESE_ORDINALS[(k // len(n.VILLAGE_STEMS)) % 10]
                kind = "社区" if township.name.endswith("街道") else "村"
                villages.append(self._unit(f"{township.name}{stem}{ordinal}{kind}", county, "village", "village",
                                           "county", "grassroots", self.rng.choice(("medium", "low", "low")),
                                           self.rng.random() < 0.15, self._fund(self.rng.random() < 0.5, 150),
                                           parent=township))
            Unit.objects.bulk_create(villages, batch_size=2000)

    # --- cadres -----------------------------------------------------------------------------

    def _name(self) -> str:
        surname = self.rng.choice(n.SURNAMES)
        given = self.rng.choice(n.GIVEN) + (self.rng.choice(n.GIVEN) if self.rng.random() < 0.7 else "")
        return surname + given

    def _birth(self, rank: str) -> datetime.date:
        oldest = {"division_1": 1965, "division_2": 1967, "section_1": 1968, "section_2": 1972}.get(rank, 1966)
        youngest = {"division_1": 1978, "division_2": 1982, "section_1": 1986, "section_2": 1990}.get(rank, 2000)
        return datetime.date(self.rng.randint(oldest, youngest), self.rng.randint(1, 12), self.rng.randint(1, 28))

    def _id_card(self, region_id: int, birth: datetime.date, gender: str) -> str:
        self.id_serial = (self.id_serial + 1) % 500
        serial = self.id_serial * 2 + (1 if gender == "male" else 0)
        body = f"{self.region_code[region_id]}{birth:%Y%m%d}{serial:03d}"
        return body + id_card_check_digit(body)

    def _phone(self) -> str:
        return self.rng.choice(("13", "15", "17", "18", "19")) + f"{self.rng.randint(0, 999999999):09d}"

    def build_cadres(self):
        self.skills = {i.value: i for i in DictItem.objects.filter(dict_type__code="cadre_skill")}
        units = list(Unit.objects.order_by("pk").values_list("pk", "region_id", "category", "name"))
        by_region: dict[int, list[int]] = {}
        for pk, region_id, _, _ in units:
            by_region.setdefault(region_id, []).append(pk)
        cadres: list[Cadre] = []
        for pk, region_id, category, _ in units:
            posts = list(n.POSTS.get(category, n.POSTS["institution"]))
            filler = {"village": ("村民小组长", "village"), "soe": ("业务主管", "enterprise")}.get(category, ("工作人员", "staff"))
            while len(posts) < self.rng.randint(8, 12):
                posts.append(filler)
            for post, rank in posts:
                gender = "male" if self.rng.random() < 0.68 else "female"
                birth = self._birth(rank)
                cadres.append(Cadre(
                    name=self._name(), gender=gender, birth_date=birth,
                    id_card=self._id_card(region_id, birth, gender), phone=self._phone(), unit_id=pk,
                    region_id=region_id, post=post, rank=rank))
        Cadre.objects.bulk_create(cadres, batch_size=2000)
        self._cadre_details(by_region)

    def _cadre_details(self, by_region):
        rows = Cadre.objects.order_by("pk").values_list("pk", "unit_id", "region_id", "post", "birth_date")
        unit_names = dict(Unit.objects.values_list("pk", "name"))
        history, family, skill_links = [], [], []
        Through = Cadre.skills.through
        skill_items = list(self.skills.values())
        for pk, unit_id, region_id, post, birth in rows:
            start = self.today - datetime.timedelta(days=self.rng.randint(200, 3000))
            history.append(WorkHistory(cadre_id=pk, unit_id=unit_id, unit_name=unit_names[unit_id], post=post,
                                       start_date=start))
            earlier_end = start
            for _ in range(self.rng.randint(0, 2)):
                other = self.rng.choice(by_region[region_id])
                begin = earlier_end - datetime.timedelta(days=self.rng.randint(700, 2500))
                if begin.year < birth.year + 22:
                    break
                history.append(WorkHistory(cadre_id=pk, unit_id=other, unit_name=unit_names[other],
                                           post=self.rng.choice(("科员", "副科长", "科长", "副主任", "干事")),
                                           start_date=begin, end_date=earlier_end - datetime.timedelta(days=1)))
                earlier_end = begin
            roll = self.rng.random()
            if roll < 0.3:
                other = self.rng.choice(by_region[region_id])
                family.append(FamilyRelation(cadre_id=pk, relation="spouse", name=self._name(), unit_id=other,
                                             unit_name=unit_names[other],
                                             post=self.rng.choice(("科员", "教师", "医生", "会计", "工作人员"))))
            elif roll < 0.38:
                family.append(FamilyRelation(cadre_id=pk, relation=self.rng.choice(("sibling", "child", "parent")),
                                             name=self._name(), unit_name="个体经营", post=""))
            if skill_items and self.rng.random() < 0.45:
                for item in self.rng.sample(skill_items, self.rng.choice((1, 1, 2))):
                    skill_links.append(Through(cadre_id=pk, dictitem_id=item.pk))
        WorkHistory.objects.bulk_create(history, batch_size=5000)
        FamilyRelation.objects.bulk_create(family, batch_size=5000)
        Through.objects.bulk_create(skill_links, batch_size=5000)

    # --- users ------------------------------------------------------------------------------

    def build_users(self):
        roles = {r.code: r for r in Role.objects.all()}
        regions = {r.name: r for r in Region.objects.all()}
        now = timezone.now()
        for demo in DEMO_USERS:
            user = User(username=demo.username, full_name=demo.full_name, password_changed_at=now,
                        must_change_password=False)
            user.set_password(DEMO_PASSWORD)
            user.save()
            if demo.scope == "global":
                Grant.objects.create(user=user, role=roles[demo.role], scope_kind="global")
            elif demo.scope.startswith("unit:"):
                unit = Unit.objects.get(name=demo.scope[5:])
                Grant.objects.create(user=user, role=roles[demo.role], scope_kind="unit", unit=unit)
            else:
                Grant.objects.create(user=user, role=roles[demo.role], scope_kind="region", region=regions[demo.scope])

    def build(self) -> dict:
        with transaction.atomic():
            self.build_regions()
            self.build_units()
            self.build_cadres()
            self.build_users()
        return {"regions": Region.objects.count(), "units": Unit.objects.count(), "cadres": Cadre.objects.count(),
                "work_history": WorkHistory.objects.count(), "family": FamilyRelation.objects.count()}
