import pytest


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The answer throttle counts in the cache; each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sw(world):
    from .factories import setup

    return setup(world)
