"""Reference data written once: a `Resource` describes a model's list, filters, form, services,
export and import; `resource.urls()` gives its pages, like NetBox's per-model view registry.

Adding a model's pages means declaring a Resource; the generated views, the menu and the generated
permission tests (core/testing) all read the same declaration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.urls import path

REGISTRY: dict[str, Resource] = {}


@dataclass
class Column:
    """A list/export column: `accessor` is a dotted attribute path; `sort` an ORM ordering key."""

    accessor: str
    label: str
    sort: str | None = None
    link: bool = False
    render: Callable[[Any], Any] | None = None
    dict_code: str | None = None

    def value(self, obj):
        if self.render is not None:
            return self.render(obj)
        value = obj
        for part in self.accessor.split("."):
            value = getattr(value, part, None) if value is not None else None
        if self.dict_code:
            from . import dictionaries

            return dictionaries.label(self.dict_code, value)
        if isinstance(value, bool):
            return "是" if value else "否"
        return "" if value is None else value


@dataclass
class Resource:
    model: type[models.Model]
    namespace: str
    name: str
    label: str
    columns: list[Column]
    filterset_class: type | None = None
    form_class: type | None = None
    create: Callable | None = None  # service(actor=, data=) -> instance
    update: Callable | None = None  # service(actor=, instance=, data=) -> instance
    delete: Callable | None = None  # service(actor=, instance=)
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    search_hint: str = ""
    default_sort: str | None = None
    detail_template: str = "core/resource_detail.html"
    list_template: str = "core/resource_list.html"
    form_template: str = "core/resource_form.html"
    importer: Any = None  # core.excel.ImportSpec
    export_columns: list[Column] | None = None
    detail_fields: list[Column] = field(default_factory=list)
    extra_context: Callable[[Any, Any], dict] | None = None  # (request, obj) -> context for detail
    # False where the change permission does not tell whether a row is editable (a county reads the
    # city's plans): the row's own page decides.
    row_edit_links: bool = True
    # False for records whose content is confidential (petitions, clues): the operation log then
    # records the action without the submitted parameters (core.middleware.params_are_secret).
    log_params: bool = True

    def __post_init__(self):
        REGISTRY[self.key] = self

    @property
    def key(self) -> str:
        return f"{self.namespace}:{self.name}"

    def perm(self, action: str) -> str:
        from .scoping import permission_for

        return permission_for(self.model, action)

    def queryset(self, user, action: str = "view"):
        qs = self.model.objects.for_user(user, action)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def url_name(self, view: str) -> str:
        return f"{self.namespace}:{self.name}_{view}"

    @property
    def sortable(self) -> dict[str, str]:
        return {c.accessor: c.sort for c in self.columns if c.sort}

    def urls(self) -> list:
        from . import views as v

        n, kw = self.name, {"resource": self}
        patterns = [
            path(f"{n}s/", v.ResourceListView.as_view(**kw), name=f"{n}_list"),
            path(f"{n}s/export/", v.ResourceExportView.as_view(**kw), name=f"{n}_export"),
            path(f"{n}s/<int:pk>/", v.ResourceDetailView.as_view(**kw), name=f"{n}_detail"),
            path(f"{n}s/<int:pk>/history/", v.ResourceHistoryView.as_view(**kw), name=f"{n}_history"),
        ]
        if self.create:
            patterns.append(path(f"{n}s/add/", v.ResourceCreateView.as_view(**kw), name=f"{n}_add"))
        if self.update:
            patterns.append(path(f"{n}s/<int:pk>/edit/", v.ResourceEditView.as_view(**kw), name=f"{n}_edit"))
        if self.delete:
            patterns.append(path(f"{n}s/<int:pk>/delete/", v.ResourceDeleteView.as_view(**kw), name=f"{n}_delete"))
        if self.importer:
            patterns += [
                path(f"{n}s/import/", v.ResourceImportView.as_view(**kw), name=f"{n}_import"),
                path(f"{n}s/import/template/", v.ResourceImportTemplateView.as_view(**kw),
                     name=f"{n}_import_template"),
            ]
        return patterns
