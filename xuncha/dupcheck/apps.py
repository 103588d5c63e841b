from django.apps import AppConfig


def _documents_of_reachable_units(grant):
    """Kinds of grant other than region/unit/global (an inspection group's, added by planning) reach the
    documents of the units they reach: whatever rule decides a grant's units decides its reports."""
    from django.db.models import Q

    from xuncha.core.scoping import grant_q
    from xuncha.org.models import Unit

    units = grant_q(Unit, grant)
    if units is None:
        return None
    return Q(unit__in=Unit.objects.filter(units).values("pk"))


class DupcheckConfig(AppConfig):
    name = "xuncha.dupcheck"
    label = "dupcheck"
    verbose_name = "述职述廉报告雷同检测"

    def ready(self):
        from xuncha.core.menu import MenuItem, register
        from xuncha.core.scoping import register_scope_rule

        from .models import Document

        register("巡察工作", icon="clipboard-check", order=30, items=[
            MenuItem("报告雷同检测", "dupcheck:document_list", "dupcheck:document:view", "files"),
            MenuItem("雷同检测任务", "dupcheck:scan_list", "dupcheck:scan:add", "search"),
        ])
        register_scope_rule(Document, "group", _documents_of_reachable_units)
