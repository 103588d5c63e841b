"""A small, fixed world for tests: a province, a city, two counties (A: 青阳县, B: 桐溪县),
a few units and cadres in each, and one user per role with the grants the roles imply."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from xuncha.accounts.models import Grant, Role, User
from xuncha.org.models import Cadre, Region, Unit

PASSWORD = "Test@Pass2026"


def make_region(name: str, code: str, level: str, parent: Region | None) -> Region:
    region = Region.objects.create(name=name, code=code, level=level, parent=parent)
    region.path = f"{parent.path if parent else '/'}{region.pk}/"
    region.save(update_fields=["path"])
    return region


def make_unit(name: str, region: Region, **extra) -> Unit:
    values = {"category": "organ", "level": "section", "managing_authority": "county", "system": "education",
              "social_attention": "medium"}
    values.update(extra)
    return Unit.objects.create(name=name, region=region, **values)


def make_cadre(name: str, unit: Unit, **extra) -> Cadre:
    values = {"post": "科员", "rank": "staff", "gender": "male"}
    values.update(extra)
    return Cadre.objects.create(name=name, unit=unit, region=unit.region, **values)


def make_user(username: str, *grants: tuple[str, object], must_change: bool = False) -> User:
    """grants: (role_code, scope) where scope is a Region, a Unit or None for a global grant."""
    user = User(username=username, full_name=username, password_changed_at=timezone.now(),
                must_change_password=must_change)
    user.set_password(PASSWORD)
    user.save()
    for role_code, scope in grants:
        role = Role.objects.get(code=role_code)
        if scope is None:
            Grant.objects.create(user=user, role=role, scope_kind="global")
        elif isinstance(scope, Region):
            Grant.objects.create(user=user, role=role, scope_kind="region", region=scope)
        else:
            Grant.objects.create(user=user, role=role, scope_kind="unit", unit=scope)
    return user


@dataclass
class World:
    province: Region
    city: Region
    county_a: Region
    county_b: Region
    unit_city: Unit
    unit_a: Unit
    unit_b: Unit
    cadre_a: Cadre
    cadre_b: Cadre
    users: dict[str, User] = field(default_factory=dict)

    def region_for(self, side: str) -> Region:
        return {"a": self.county_a, "b": self.county_b, "city": self.city}[side]


def build_world() -> World:
    province = make_region("江淮省", "990000", "province", None)
    city = make_region("江城市", "990100", "city", province)
    county_a = make_region("青阳县", "990121", "county", city)
    county_b = make_region("桐溪县", "990122", "county", city)
    unit_city = make_unit("江城市财政局", city, level="county_dept", managing_authority="city")
    unit_a = make_unit("青阳县教育局", county_a)
    unit_b = make_unit("桐溪县教育局", county_b)
    cadre_a = make_cadre("张青阳", unit_a, id_card="110101199003071234", phone="13812345678")
    cadre_b = make_cadre("李桐溪", unit_b)
    world = World(province, city, county_a, county_b, unit_city, unit_a, unit_b, cadre_a, cadre_b)
    world.users = {
        "city_office": make_user("city_office", ("office_admin", city)),
        "office_a": make_user("office_a", ("office_admin", county_a)),
        "office_b": make_user("office_b", ("office_admin", county_b)),
        "leader_a": make_user("leader_a", ("leader", county_a)),
        "liaison_a": make_user("liaison_a", ("unit_liaison", unit_a)),
        "sysadmin": make_user("sysadmin", ("sys_admin", None)),
        "secadmin": make_user("secadmin", ("sec_admin", None)),
        "auditor": make_user("auditor", ("auditor", None)),
        "nobody": make_user("nobody"),
    }
    return world
