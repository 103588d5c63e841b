import pytest


@pytest.fixture
def fw(world):
    """County A's inspection in 了解 with its group leader and two members; county B's inspection."""
    from .factories import build

    return build(world)
