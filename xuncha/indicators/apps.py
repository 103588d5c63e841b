from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "xuncha.indicators"
    label = "indicators"
    verbose_name = "巡察指标体系"

    def ready(self):
        from xuncha.core.menu import MenuItem, register

        register("巡察工作", icon="clipboard-check", order=30, items=[
            MenuItem("指标体系", "indicators:indicatorset_list", "indicators:indicatorset:view", "diagram-3"),
            MenuItem("重大决策部署", "indicators:decisionitem_list", "indicators:decisionitem:view", "list-check"),
        ])
        self._register_panels()

    @staticmethod
    def _register_panels() -> None:
        """The checklist pages on the inspection's page (planning.panels, when it is there)."""
        try:
            from xuncha.planning.panels import InspectionPanel, register_inspection_panel
        except ImportError:  # an older planning without panels: the lead links the URLs instead
            return

        def results(inspection, user):
            from .models import IndicatorResult

            return IndicatorResult.objects.for_user(user, "view").filter(inspection=inspection).count()

        def checks(inspection, user):
            from .models import DecisionCheck

            return DecisionCheck.objects.for_user(user, "view").filter(inspection=inspection).count()

        register_inspection_panel(InspectionPanel(
            "指标检查", "indicators:inspection_checklist", "indicators:indicatorresult:view", icon="ui-checks",
            order=10, count=results, hint="对照指标体系逐项记录检查结果"))
        register_inspection_panel(InspectionPanel(
            "重大决策部署落实", "indicators:inspection_decisions", "indicators:decisioncheck:view", icon="list-check",
            order=11, count=checks, hint="检查重大决策部署的贯彻落实情况"))
