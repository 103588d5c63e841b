"""The URL walk's three refusals, for reporting's own routes only (the platform walk runs them for
every app; this keeps reporting's share quick to run and independent of unfinished sibling apps)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from xuncha.core.testing.resources import WALK_OBJECTS

from . import walk  # noqa: F401  (registers the walk objects)

pytestmark = pytest.mark.django_db


def _walk(patterns, prefix=""):
    # The platform walk's enumeration (core/tests/test_url_walk.py), without importing that module:
    # it imports every app's tests, and a sibling app's unfinished test must not break these.
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _walk(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", entry


def named_routes():
    routes = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        if name.startswith("api:") and (name.endswith("-root") or "format" in str(pattern.pattern)):
            continue
        routes.setdefault(name, pattern)
    return routes

MINE = ("reporting:", "api:inspectionreport", "api:feedback", "api:liaisonfeedback", "api:archivechecklist")


def _mine():
    return {name: p for name, p in named_routes().items() if name.startswith(MINE)}


def _url(name, pattern, world):
    from django.urls import reverse

    if "pk" not in pattern.pattern.regex.groupindex:
        return reverse(name)
    from xuncha.planning.tests.walk import planning_walk_objects

    objects = dict(planning_walk_objects(world))
    from .walk import reporting_walk_objects

    objects.update(reporting_walk_objects(world))
    key = name.split(":")[1].split("_")[0].split("-")[0]
    return reverse(name, kwargs={"pk": objects[key].pk})


def test_reporting_routes_are_all_declared():
    from xuncha.core.testing.resources import COVERED_ROUTES

    from . import test_routes_declared  # noqa: F401

    assert WALK_OBJECTS
    missing = sorted(set(_mine()) - COVERED_ROUTES)
    assert len(_mine()) >= 35 and not missing, missing


def test_reporting_routes_refuse_strangers_users_without_grants_and_the_other_county(world, client):
    routes = _mine()
    for name, pattern in routes.items():
        response = client.get(_url(name, pattern, world))
        assert response.status_code in (302, 401, 403, 405), (name, response.status_code)
    client.force_login(world.users["nobody"])
    for name, pattern in routes.items():
        assert client.get(_url(name, pattern, world)).status_code in (403, 404, 405), name
    client.force_login(world.users["office_a"])
    for name, pattern in routes.items():
        if not pattern.pattern.regex.groupindex:
            continue
        assert client.get(_url(name, pattern, world)).status_code in (403, 404, 405), name
