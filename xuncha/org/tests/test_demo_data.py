"""The demo data: about 1,000 units and 10,000 cadres in ten counties, deterministic from its seed,
with one working login per role."""

import pytest
from django.core.management import call_command

from xuncha.core.models import ChangeLog
from xuncha.org.demo.generator import DEMO_PASSWORD, DEMO_USERS, DemoBuilder
from xuncha.org.models import Cadre, Region, Unit
from xuncha.org.validators import id_card_check_digit


def test_same_seed_same_people():
    a, b, c = DemoBuilder(seed=7), DemoBuilder(seed=7), DemoBuilder(seed=8)
    names_a = [a._name() for _ in range(50)]
    assert names_a == [b._name() for _ in range(50)]
    assert names_a != [c._name() for _ in range(50)]


@pytest.mark.django_db
def test_demo_data_builds_a_city_and_logins(client, capsys):
    call_command("demo_data", seed=1)
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and "city_office" in out
    assert Region.objects.filter(level="county").count() == 10
    assert 900 <= Unit.objects.count() <= 1100
    assert 9000 <= Cadre.objects.count() <= 11000
    cadre = Cadre.objects.exclude(id_card="").first()
    assert id_card_check_digit(cadre.id_card[:17]) == cadre.id_card[17]
    assert not ChangeLog.objects.exists()  # bulk-loaded seed data, not user changes
    for demo in DEMO_USERS:
        response = client.post("/accounts/login/", {"username": demo.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, demo.username
        client.post("/accounts/logout/")
    # A second run refuses to mix data, or skips with --if-empty.
    call_command("demo_data", if_empty=True)
    assert "跳过" in capsys.readouterr().out
