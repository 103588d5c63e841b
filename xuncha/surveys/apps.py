from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "xuncha.surveys"
    label = "surveys"
    verbose_name = "民主测评与问卷调查"

    def ready(self):
        from xuncha.core.menu import MenuItem, register
        from xuncha.planning.workflow import register_stage_condition

        from .rules import open_surveys_block_report

        register_stage_condition("report", open_surveys_block_report)
        register("巡察工作", icon="clipboard-check", order=30, items=[
            MenuItem("民主测评与问卷", "surveys:survey_list", "surveys:survey:view", "ui-checks"),
            MenuItem("测评问卷模板", "surveys:surveytemplate_list", "surveys:surveytemplate:view", "journal-text"),
        ])
        try:
            from xuncha.planning.panels import InspectionPanel, register_inspection_panel
        except ImportError:  # the inspection page's panels are not in this checkout yet
            return

        def _count(inspection, user):
            from .models import Survey

            return Survey.objects.for_user(user).filter(inspection=inspection).count()

        register_inspection_panel(InspectionPanel(
            "民主测评与问卷", "surveys:inspection_surveys", "surveys:survey:view", icon="ui-checks", order=40,
            count=_count))
