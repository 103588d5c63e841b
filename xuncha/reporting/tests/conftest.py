import pytest


@pytest.fixture
def pw(world):
    """The world with a 2026–2030 plan and a 2026 annual plan for the city and both counties."""
    from xuncha.planning.tests.factories import build

    return build(world)


@pytest.fixture
def rw(pw):
    """County A's inspection of 青阳县教育局 and 青阳县卫生健康委员会 in 报告 stage, with its group's
    leader and member, an indicator tree and confirmed problems (see factories.build_reporting)."""
    from .factories import build_reporting

    return build_reporting(pw)
