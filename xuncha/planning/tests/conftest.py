import pytest

from xuncha.planning.workflow import conditions_suspended


@pytest.fixture(autouse=True)
def _planning_rules_only():
    """The planning tests are about planning's own rules; the conditions later apps add to the stage
    steps (fieldwork, reporting…) are tested by those apps."""
    with conditions_suspended():
        yield


@pytest.fixture
def pw(world):
    """The world with a 2026–2030 plan and a 2026 annual plan for the city and both counties."""
    from .factories import build

    return build(world)
