"""Walks the whole URL configuration: every route is covered by a declared test, and no route
answers 200 to a stranger, to a user without a grant, or with another county's record."""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import xuncha
from xuncha.core.models import DictType, Job
from xuncha.core.testing.resources import COVERED_ROUTES, WALK_OBJECTS


def _import_every_test_module() -> None:
    """Every app's test modules declare the routes they cover (`covers`, `resource_tests`) and the
    records the walk may ask for (`walk_objects`): import them all, whichever test runs first."""
    for module in pkgutil.walk_packages(xuncha.__path__, "xuncha."):
        if ".tests." in module.name and module.name.rsplit(".", 1)[-1].startswith(("test_", "walk")):
            importlib.import_module(module.name)


_import_every_test_module()

# Routes a stranger may open, and why.
PUBLIC = {
    "accounts:login": "登录页",
    "api:token": "以用户名和密码换取令牌（错误时 400）",
    "rectification:public": "整改情况公开页（无需登录；只含已公开、未设为不予公开的事项）",
    "surveys:answer": "凭一次性答题码匿名作答（未知或已用的答题码一律拒绝）",
    "api:surveyanswer-list": "凭答题码提交答卷（仅 POST；未知或已用的答题码一律拒绝）",
}
# Routes any logged-in user may open: they show no record (the schema describes routes, not data).
ANY_USER = {"core:home", "accounts:password_change", "api:schema", "api:docs"}
# Routes that exist only as a POST action (a GET answers 405).
POST_ONLY = {"accounts:logout", "accounts:user_unlock", "accounts:user_grant_add", "accounts:grant_revoke"}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _walk(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", entry


def named_routes() -> dict[str, URLPattern]:
    routes = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        if name.startswith("api:") and (name.endswith("-root") or "format" in str(pattern.pattern)):
            continue  # DRF's API root and its ".json" suffix twins
        routes.setdefault(name, pattern)
    return routes


def test_every_route_is_covered_by_a_test():
    missing = sorted(set(named_routes()) - COVERED_ROUTES - set(PUBLIC))
    assert not missing, f"routes without a declared test: {missing}"


def _url_for(name, world):
    """A URL for the route, pointing at a record the test user must not reach (county B)."""
    pattern = named_routes()[name]
    keys = set(pattern.pattern.regex.groupindex)
    if not keys:
        return reverse(name)
    kwargs = {}
    if "code" in keys:
        kwargs["code"] = DictType.objects.first().code
    if "pk" in keys:
        model = name.split(":")[1].split("_")[0].split("-")[0]
        objects = {
            "region": world.county_b, "unit": world.unit_b, "cadre": world.cadre_b,
            "user": world.users["office_b"], "grant": world.users["office_b"].grants.first(),
            "role": world.users["office_b"].grants.first().role,
            "job": Job.objects.create(kind="import", title="他人的任务", user=world.users["office_b"]),
            "dictionary": DictType.objects.first().items.first(),
        }
        for make in WALK_OBJECTS:
            objects.update(make(world))
        kwargs["pk"] = objects[model].pk
    return reverse(name, kwargs=kwargs)


@pytest.mark.django_db
def test_no_route_answers_200_to_a_stranger(world, client):
    for name in named_routes():
        if name in PUBLIC:
            continue
        response = client.get(_url_for(name, world))
        assert response.status_code in (302, 401, 403, 405), (name, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], name


@pytest.mark.django_db
def test_no_route_answers_200_to_a_user_without_grants(world, login):
    client = login(world.users["nobody"])
    for name in named_routes():
        if name in PUBLIC or name in ANY_USER:
            continue
        response = client.get(_url_for(name, world))
        assert response.status_code in (403, 404, 405), (name, response.status_code)


@pytest.mark.django_db
def test_county_officer_never_reaches_the_other_county(world, login):
    """With the rights of an office administrator, county A's officer still gets 403/404 for
    every route that names a county-B record or an administrator's page."""
    client = login(world.users["office_a"])
    for name, pattern in named_routes().items():
        if name in PUBLIC or not pattern.pattern.regex.groupindex:
            continue
        response = client.get(_url_for(name, world))
        assert response.status_code in (403, 404, 405), (name, response.status_code)


@pytest.mark.django_db
def test_post_only_routes_refuse_get(world, login):
    client = login(world.users["secadmin"])
    for name in POST_ONLY:
        assert client.get(_url_for(name, world)).status_code == 405, name
