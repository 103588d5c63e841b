"""`for_user` itself: region subtrees, unit grants, the widest grant winning, no grant seeing nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from xuncha.core.masking import mask_id_card, mask_params, mask_phone
from xuncha.core.testing.world import make_user
from xuncha.org import services
from xuncha.org.models import Cadre, Region, Unit


def names(qs):
    return set(qs.values_list("name", flat=True))


@pytest.mark.django_db
def test_city_office_sees_its_counties_and_county_office_only_its_own(world):
    assert names(Unit.objects.for_user(world.users["city_office"])) == {"江城市财政局", "青阳县教育局", "桐溪县教育局"}
    assert names(Unit.objects.for_user(world.users["office_a"])) == {"青阳县教育局"}
    assert names(Region.objects.for_user(world.users["office_a"])) == {"青阳县"}
    assert names(Region.objects.for_user(world.users["city_office"])) == {"江城市", "青阳县", "桐溪县"}


@pytest.mark.django_db
def test_no_grant_sees_nothing_and_admins_hold_no_business_data(world):
    for who in ("nobody", "sysadmin", "secadmin", "auditor"):
        assert not Unit.objects.for_user(world.users[who]).exists(), who
        assert not Cadre.objects.for_user(world.users[who]).exists(), who
        assert not Region.objects.for_user(world.users[who]).exists(), who


@pytest.mark.django_db
def test_unit_grant_sees_only_that_unit(world):
    liaison = world.users["liaison_a"]
    assert names(Unit.objects.for_user(liaison)) == {"青阳县教育局"}
    assert not Cadre.objects.for_user(liaison).exists()  # the liaison's role holds no cadre permission
    assert not Unit.objects.for_user(liaison, "change").exists()


@pytest.mark.django_db
def test_widest_grant_wins(world):
    both = make_user("both", ("leader", world.county_a), ("office_admin", world.county_b))
    assert names(Unit.objects.for_user(both)) == {"青阳县教育局", "桐溪县教育局"}
    # Changing is allowed only where a grant holds the change permission.
    assert names(Unit.objects.for_user(both, "change")) == {"桐溪县教育局"}
    wide = make_user("wide", ("leader", world.county_a), ("leader", world.city))
    assert len(names(Unit.objects.for_user(wide))) == 3


@pytest.mark.django_db
def test_revoked_grant_and_inactive_user_see_nothing(world):
    user = world.users["office_a"]
    user.grants.update(is_active=False)
    user = type(user).objects.get(pk=user.pk)  # a new request: no cached grants
    assert not Unit.objects.for_user(user).exists()
    other = world.users["office_b"]
    other.is_active = False
    assert not Unit.objects.for_user(other).exists()


@pytest.mark.django_db
def test_deleted_rows_are_hidden_from_everyone(world):
    services.cadre_delete(actor=world.users["office_b"], instance=world.cadre_b)
    assert not Cadre.objects.for_user(world.users["city_office"]).filter(pk=world.cadre_b.pk).exists()
    assert Cadre.all_objects.filter(pk=world.cadre_b.pk, is_deleted=True).exists()


@pytest.mark.django_db
def test_service_refuses_to_move_a_record_out_of_scope(world):
    office_a = world.users["office_a"]
    data = {"name": world.unit_a.name, "region": world.county_b, "category": "organ", "level": "section",
            "managing_authority": "county"}
    with pytest.raises(PermissionDenied):
        services.unit_update(actor=office_a, instance=world.unit_a, data=data)
    world.unit_a.refresh_from_db()
    assert world.unit_a.region == world.county_a


@pytest.mark.django_db
def test_cadres_follow_their_unit_to_a_new_region(world):
    city = world.users["city_office"]
    data = {"name": world.unit_a.name, "region": world.county_b, "category": "organ", "level": "section",
            "managing_authority": "county"}
    services.unit_update(actor=city, instance=world.unit_a, data=data)
    world.cadre_a.refresh_from_db()
    assert world.cadre_a.region == world.county_b
    assert not Cadre.objects.for_user(world.users["office_a"]).filter(pk=world.cadre_a.pk).exists()


def test_masking():
    assert mask_id_card("110101199003071234") == "110101********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_params({"password": "x", "new_password1": "y", "id_card": "110101199003071234", "name": "甲"}) == {
        "password": "******", "new_password1": "******", "id_card": "110101********1234", "name": "甲"}


@pytest.mark.django_db
def test_personal_numbers_are_masked_on_every_screen(world, login):
    client = login(world.users["office_a"])
    pages = [f"/org/cadres/{world.cadre_a.pk}/", "/org/cadres/", f"/org/cadres/{world.cadre_a.pk}/edit/",
             f"/org/cadres/{world.cadre_a.pk}/history/", "/api/cadres/", f"/api/cadres/{world.cadre_a.pk}/"]
    for url in pages:
        body = client.get(url).content.decode()
        assert "110101199003071234" not in body and "13812345678" not in body, url
    detail = client.get(f"/org/cadres/{world.cadre_a.pk}/").content.decode()
    assert "110101********1234" in detail and "138****5678" in detail
