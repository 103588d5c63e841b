"""The demo builder on the test world: every kind of state appears, and --if-empty skips a second run."""

import io

import pytest
from django.core.management import call_command

from xuncha.rectification.models import (
    GateLog,
    RectificationPlan,
    RectificationTask,
    RevisitCheck,
    SupervisionNotice,
    SupervisionRound,
)

from .factories import setup

pytestmark = pytest.mark.django_db


def test_demo_builds_every_state_once(world):
    for _ in range(6):  # six units' worth of plans: drafting, returned, awaiting, approved
        setup(world, problems=2)
    out = io.StringIO()
    call_command("rectification_demo", stdout=out)
    assert "整改落实演示数据已生成" in out.getvalue()
    statuses = set(RectificationPlan.objects.values_list("status", flat=True))
    assert {"draft", "returned", "approved"} <= statuses
    assert RectificationPlan.objects.filter(published_at__isnull=False).count() == 1
    assert RectificationTask.objects.filter(withheld=True).count() == 1
    assert RectificationTask.objects.filter(status="accepted").exists()
    assert set(RectificationTask.objects.values_list("kind", flat=True)) == {"correct", "cleanup", "accountability",
                                                                            "rules"}
    assert RevisitCheck.objects.filter(result="fails").count() == 1
    assert SupervisionRound.objects.count() == 2
    assert SupervisionNotice.objects.filter(status="published").count() == 1
    assert GateLog.objects.filter(action="send_back").exists() or GateLog.objects.filter(action="accept").exists()
    # The demo accounts it makes open at once, like every other demo account (no forced password change).
    from xuncha.accounts.models import User

    made = User.objects.filter(username__in=["liaison2"]) | User.objects.filter(username__startswith="supervisor_")
    assert made.exists() and not made.filter(must_change_password=True).exists()
    plans = RectificationPlan.objects.count()
    call_command("rectification_demo", "--if-empty", stdout=out)
    assert "跳过" in out.getvalue() and RectificationPlan.objects.count() == plans
