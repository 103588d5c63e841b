import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made there are still
# synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def world(db):
    from xuncha.core.testing.world import build_world

    return build_world()


@pytest.fixture
def login(client):
    """login(user) logs the test client in as that user and returns the client."""

    def _login(user):
        client.force_login(user, backend="xuncha.accounts.backends.LockoutModelBackend")
        return client

    return _login


@pytest.fixture(autouse=True)
def _fresh_dictionary_cache():
    from xuncha.core import dictionaries

    dictionaries.invalidate()
    yield
    dictionaries.invalidate()
