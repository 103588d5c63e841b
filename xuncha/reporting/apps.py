from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "xuncha.reporting"
    label = "reporting"
    verbose_name = "巡察报告、反馈与归档"

    def ready(self):
        from xuncha.core.scoping import register_scope_rule

        from .models import Feedback
        from .rules import feedback_unit_rule

        # A unit's liaison sees the issued feedback of its own unit, and nothing else of reporting.
        register_scope_rule(Feedback, "unit", feedback_unit_rule)

        # Stage conditions (feedback needs the approved report, archive the complete checklist):
        # registered in a following commit together with the helpers other apps' tests need.
