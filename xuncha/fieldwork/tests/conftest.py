import pytest


@pytest.fixture(autouse=True)
def _clear_throttle_cache():
    """The intake rate limit lives in the cache: no test inherits another's submissions."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fieldwork_world(request):
    """Plans, inspections and group users exist before a test starts counting rows or log entries."""
    if "world" in request.fixturenames:
        from .factories import setup

        setup(request.getfixturevalue("world"))
    yield
