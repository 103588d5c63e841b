import pytest


@pytest.fixture
def pw(world):
    """The world with a 2026–2030 plan and a 2026 annual plan for the city and both counties."""
    from .factories import build

    return build(world)
