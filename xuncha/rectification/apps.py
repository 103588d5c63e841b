from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "xuncha.rectification"
    label = "rectification"
    verbose_name = "整改落实与成果运用"

    def ready(self):
        from xuncha.core.scoping import register_scope_rule
        from xuncha.findings.models import Problem

        from .rules import problem_unit_rule

        # A unit's liaison sees the confirmed problems of its own issued feedback, nothing else of findings.
        register_scope_rule(Problem, "unit", problem_unit_rule)
