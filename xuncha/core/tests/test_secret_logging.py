"""Confidential parameters (a reporter's name, a clue's content) never reach the operation log or
the change history, while the fact that something was done still does."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import ResolverMatch
from django.views import View

from xuncha.core.changelog import SECRET_VALUE, snapshot
from xuncha.core.middleware import SECRET_PARAMS, OperationLogMiddleware, params_are_secret, secret_params
from xuncha.core.models import OperationLog
from xuncha.core.resources import REGISTRY


def _request(func, **post):
    request = RequestFactory().post("/org/units/add/?q=王举报", data=post)
    request.resolver_match = ResolverMatch(func, (), {}, url_name="unit_add", app_names=["org"],
                                           namespaces=["org"], route="org/units/add/")
    return request


class Secret(View):
    log_params = False


def test_views_declare_their_parameters_secret():
    plain = View.as_view()
    assert not params_are_secret(_request(plain))
    assert params_are_secret(_request(Secret.as_view()))
    assert params_are_secret(_request(secret_params(lambda request: None)))
    resource = REGISTRY["org:unit"]
    from xuncha.core.views import ResourceCreateView

    assert not params_are_secret(_request(ResourceCreateView.as_view(resource=resource)))
    resource.log_params = False
    try:
        assert params_are_secret(_request(ResourceCreateView.as_view(resource=resource)))
    finally:
        resource.log_params = True


@pytest.mark.django_db
def test_secret_parameters_are_not_written_to_the_operation_log(world):
    middleware = OperationLogMiddleware(lambda request: HttpResponse("ok"))
    request = _request(Secret.as_view(), reporter_name="王举报", content="反映某局长收受礼金")
    request.user = world.users["office_a"]
    middleware(request)
    row = OperationLog.objects.order_by("-seq").first()
    assert row.params == {"参数": SECRET_PARAMS}
    assert row.path == "/org/units/add/"  # the route pattern: no query string, no token in the path
    assert "王举报" not in str(row.params)

    request = _request(View.as_view(), name="青阳县某局")
    request.user = world.users["office_a"]
    middleware(request)
    assert OperationLog.objects.order_by("-seq").first().params["name"] == "青阳县某局"


@pytest.mark.django_db
def test_history_records_that_a_secret_field_is_set_but_not_its_value(world):
    cadre = world.cadre_a
    cadre.history_secret = ("name", "remarks")
    data = snapshot(cadre)
    assert data["name"] == SECRET_VALUE
    assert data["remarks"] == ""  # empty stays empty: "not given" is not a secret
    assert "张青阳" not in str(data)
