"""Generated tests for every Resource (pages and API), NetBox style.

An app declares, per model, how to make a record in a region and valid form data for one; it gets
tests of list, detail, create, edit, soft delete, history, export, import template and the API,
each as anonymous, without a grant, with a read-only grant, in scope and out of scope:

    TestUnitResource = resource_tests(ResourceSpec(resource=unit_resource, make=..., form_data=...))

A route these tests exercise is recorded in COVERED_ROUTES; test_url_walk fails for any route of
the URL configuration that no test declares.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from xuncha.core.models import ChangeLog
from xuncha.core.resources import Resource

COVERED_ROUTES: set[str] = set()
WALK_OBJECTS: list[Callable] = []


def covers(*url_names: str) -> None:
    """Declare that explicit tests exercise these routes (checked by the URL walk)."""
    COVERED_ROUTES.update(url_names)


def walk_objects(fn: Callable) -> Callable:
    """Register `fn(world) -> {model key of a route name: a county-B record}` for the URL walk.

    The walk asks every route with a `pk` for a record the county-A officer must not reach; an app
    whose routes name its own models registers how to make one (decorate a function in its tests).
    """
    WALK_OBJECTS.append(fn)
    return fn


@dataclass
class ResourceSpec:
    resource: Resource
    make: Callable  # (world, region, index) -> a new record placed in region
    form_data: Callable  # (world, region) -> POST data for a valid new record in region
    edit: tuple[str, str]  # (field, new value) for the edit test
    text: Callable = str  # what of a record shows up in its list row and export
    api_basename: str = ""
    writer: str = "office_a"  # a user who may add/change/delete in county A
    reader: str = "leader_a"  # a user who may only view county A


def result_rows(html: str) -> str:
    """The list's result table only (the filter form echoes what was searched)."""
    start = html.index('id="result-table"')
    return html[start: html.index("</table>", start)]


def _routes(resource: Resource) -> list[str]:
    return [p.name for p in resource.urls()]


def resource_tests(spec: ResourceSpec):
    """Build the test class for one Resource."""
    r = spec.resource
    api = spec.api_basename or r.name
    COVERED_ROUTES.update(f"{r.namespace}:{name}" for name in _routes(r))
    COVERED_ROUTES.update({f"api:{api}-list", f"api:{api}-detail"})

    def url(view, *args):
        return reverse(r.url_name(view), args=args)

    @pytest.mark.django_db
    class GeneratedResourceTests:
        # --- anonymous and no grant ------------------------------------------------------

        def test_anonymous_is_sent_to_login(self, world, client):
            obj = spec.make(world, world.county_a, 1)
            for view, args in self._page_routes(obj):
                response = client.get(url(view, *args))
                assert response.status_code == 302, (view, response.status_code)
                assert "/accounts/login/" in response["Location"]
            assert client.get(reverse(f"api:{api}-list")).status_code in (401, 403)

        def test_user_without_grant_gets_403(self, world, login):
            client = login(world.users["nobody"])
            obj = spec.make(world, world.county_a, 1)
            for view, args in self._page_routes(obj):
                response = client.get(url(view, *args))
                assert response.status_code == 403, (view, response.status_code)
                assert "权限" in response.content.decode()
            assert client.get(reverse(f"api:{api}-list")).status_code == 403
            assert client.get(reverse(f"api:{api}-detail", args=[obj.pk])).status_code == 403

        # --- in scope ------------------------------------------------------------------------

        def test_list_shows_in_scope_and_hides_out_of_scope(self, world, login):
            mine = spec.make(world, world.county_a, 1)
            theirs = spec.make(world, world.county_b, 2)
            client = login(world.users[spec.writer])
            body = result_rows(client.get(url("list"), {"per_page": 100}).content.decode())
            assert spec.text(mine) in body
            assert spec.text(theirs) not in body

        def test_filter_cannot_reach_out_of_scope_rows(self, world, login):
            theirs = spec.make(world, world.county_b, 2)
            client = login(world.users[spec.writer])
            for params in ({"region": world.county_b.pk}, {"within": world.county_b.pk},
                           {"q": spec.text(theirs)}):
                body = result_rows(client.get(url("list"), params).content.decode())
                assert spec.text(theirs) not in body, params

        def test_out_of_scope_record_is_404_everywhere(self, world, login):
            theirs = spec.make(world, world.county_b, 2)
            client = login(world.users[spec.writer])
            for view in ("detail", "history", "edit", "delete"):
                if r.url_name(view).split(":")[1] in _routes(r):
                    assert client.get(url(view, theirs.pk)).status_code == 404, view
            if r.delete:
                assert client.post(url("delete", theirs.pk)).status_code == 404
                theirs.refresh_from_db()
                assert not theirs.is_deleted
            assert client.get(reverse(f"api:{api}-detail", args=[theirs.pk])).status_code == 404
            assert client.delete(reverse(f"api:{api}-detail", args=[theirs.pk])).status_code == 404

        def test_detail_and_history_in_scope(self, world, login):
            mine = spec.make(world, world.county_a, 1)
            client = login(world.users[spec.reader])
            assert client.get(url("detail", mine.pk)).status_code == 200
            assert client.get(url("history", mine.pk)).status_code == 200

        def test_read_only_role_cannot_write(self, world, login):
            mine = spec.make(world, world.county_a, 1)
            client = login(world.users[spec.reader])
            if r.create:
                assert client.get(url("add")).status_code == 403
                assert client.post(url("add"), spec.form_data(world, world.county_a)).status_code == 403
            if r.update:
                assert client.get(url("edit", mine.pk)).status_code == 403
            if r.delete:
                assert client.post(url("delete", mine.pk)).status_code == 403
            api_response = client.post(reverse(f"api:{api}-list"), spec.form_data(world, world.county_a))
            assert api_response.status_code == 403

        def test_create_edit_delete_are_logged(self, world, login):
            client = login(world.users[spec.writer])
            data = spec.form_data(world, world.county_a)
            response = client.post(url("add"), data)
            assert response.status_code == 302, response.content.decode()[:3000]
            obj = r.model.objects.order_by("-pk").first()
            created = ChangeLog.objects.filter(object_id=str(obj.pk), action="create")
            assert created.count() == 1
            field, value = spec.edit
            edit_data = {**data, field: value}
            response = client.post(url("edit", obj.pk), edit_data)
            assert response.status_code == 302, response.content.decode()[:3000]
            obj.refresh_from_db()
            assert getattr(obj, field) == value
            update = ChangeLog.objects.get(object_id=str(obj.pk), action="update",
                                           content_type__model=r.model._meta.model_name)
            assert update.after[field] == value and update.before[field] != value
            assert update.username == spec.writer
            history = client.get(url("history", obj.pk)).content.decode()
            assert value in history
            response = client.post(url("delete", obj.pk))
            assert response.status_code == 302
            assert not r.model.objects.filter(pk=obj.pk).exists()
            assert r.model.all_objects.get(pk=obj.pk).is_deleted
            assert ChangeLog.objects.filter(object_id=str(obj.pk), action="delete").count() == 1

        def test_create_outside_scope_is_refused_and_changes_nothing(self, world, login):
            client = login(world.users[spec.writer])
            before = r.model.all_objects.count()
            logs_before = ChangeLog.objects.count()
            response = client.post(url("add"), spec.form_data(world, world.county_b))
            assert response.status_code == 200  # the form comes back with the field named
            assert "有误" in response.content.decode()
            assert r.model.all_objects.count() == before
            assert ChangeLog.objects.count() == logs_before

        def test_empty_form_names_the_required_fields(self, world, login):
            client = login(world.users[spec.writer])
            body = client.post(url("add"), {}).content.decode()
            form = r.form_class(user=world.users[spec.writer])
            required = [f.label for f in form.fields.values() if f.required]
            assert required
            for label in required:
                assert f"「{label}」" in body, label

        def test_export_is_limited_to_scope(self, world, login):
            mine = spec.make(world, world.county_a, 1)
            theirs = spec.make(world, world.county_b, 2)
            client = login(world.users[spec.reader])
            response = client.get(url("export"))
            if response.status_code == 403:
                client = login(world.users[spec.writer])
                response = client.get(url("export"))
            assert response.status_code == 200
            wb = load_workbook(io.BytesIO(response.content), read_only=True)
            cells = {str(c) for row in wb.worksheets[0].iter_rows(values_only=True) for c in row if c is not None}
            assert spec.text(mine) in cells
            assert spec.text(theirs) not in cells

        def test_import_template_downloads(self, world, login):
            client = login(world.users[spec.writer])
            response = client.get(url("import_template"))
            assert response.status_code == 200
            wb = load_workbook(io.BytesIO(response.content))
            assert wb.worksheets[0].cell(1, 2).value.rstrip("*") == r.importer.columns[0].header

        def test_api_lists_only_scope(self, world, login):
            mine = spec.make(world, world.county_a, 1)
            theirs = spec.make(world, world.county_b, 2)
            client = login(world.users[spec.reader])
            data = client.get(reverse(f"api:{api}-list")).json()
            ids = {row["id"] for row in data["results"]}
            assert mine.pk in ids and theirs.pk not in ids
            assert client.get(reverse(f"api:{api}-detail", args=[mine.pk])).status_code == 200

        def test_api_create_in_scope(self, world, login):
            client = login(world.users[spec.writer])
            response = client.post(reverse(f"api:{api}-list"), spec.form_data(world, world.county_a))
            assert response.status_code == 201, response.content.decode()[:2000]
            response = client.post(reverse(f"api:{api}-list"), spec.form_data(world, world.county_b))
            assert response.status_code == 400

        def test_list_query_count_is_constant(self, world, login):
            client = login(world.users[spec.writer])
            for i in range(3):
                spec.make(world, world.county_a, 10 + i)
            client.get(url("list"))  # warm the per-process dictionary cache
            client.get(reverse(f"api:{api}-list"))
            with CaptureQueriesContext(connection) as few:
                assert client.get(url("list")).status_code == 200
            for i in range(20):
                spec.make(world, world.county_a, 100 + i)
            with CaptureQueriesContext(connection) as many:
                assert client.get(url("list")).status_code == 200
            assert len(many.captured_queries) == len(few.captured_queries)
            with CaptureQueriesContext(connection) as api_many:
                assert client.get(reverse(f"api:{api}-list")).status_code == 200
            for i in range(20):
                spec.make(world, world.county_a, 200 + i)
            with CaptureQueriesContext(connection) as api_more:
                assert client.get(reverse(f"api:{api}-list")).status_code == 200
            assert len(api_more.captured_queries) == len(api_many.captured_queries)

        # --- helpers -------------------------------------------------------------------------

        def _page_routes(self, obj):
            routes = [("list", ()), ("detail", (obj.pk,)), ("history", (obj.pk,)), ("export", ())]
            if r.create:
                routes.append(("add", ()))
            if r.update:
                routes.append(("edit", (obj.pk,)))
            if r.delete:
                routes.append(("delete", (obj.pk,)))
            if r.importer:
                routes += [("import", ()), ("import_template", ())]
            return routes

    # Tests of an operation the resource does not offer are removed, not skipped.
    if not (r.create and r.update and r.delete):
        del GeneratedResourceTests.test_create_edit_delete_are_logged
    if not r.create:
        del GeneratedResourceTests.test_create_outside_scope_is_refused_and_changes_nothing
        del GeneratedResourceTests.test_empty_form_names_the_required_fields
        del GeneratedResourceTests.test_api_create_in_scope
    if not r.importer:
        del GeneratedResourceTests.test_import_template_downloads
    GeneratedResourceTests.__name__ = f"Test{r.model.__name__}Resource"
    return GeneratedResourceTests
