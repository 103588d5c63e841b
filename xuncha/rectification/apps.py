from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "xuncha.rectification"
    label = "rectification"
    verbose_name = "整改落实与成果运用"

    def ready(self):
        from xuncha.core.menu import MenuItem, register
        from xuncha.core.scoping import register_scope_rule
        from xuncha.findings.models import Problem

        from .rules import problem_unit_rule

        # A unit's liaison sees the confirmed problems of its own issued feedback, nothing else of findings.
        register_scope_rule(Problem, "unit", problem_unit_rule)

        from xuncha.planning.panels import InspectionPanel, register_inspection_panel

        from .models import RectificationTask

        register_inspection_panel(InspectionPanel(
            "整改落实", "rectification:inspection_plans", "rectification:plan:view", icon="check2-square", order=80,
            count=lambda inspection, user: RectificationTask.objects.for_user(user, "view").filter(
                inspection=inspection).count(),
            hint="被巡察单位的整改方案和整改任务"))

        register("整改落实", icon="check2-square", order=60, items=[
            MenuItem("整改方案", "rectification:plan_list", "rectification:plan:view", "journal-check"),
            MenuItem("整改任务", "rectification:task_list", "rectification:task:view", "list-check"),
            MenuItem("整改提醒", "rectification:reminder_list", "rectification:reminder:view", "bell"),
            MenuItem("月度督导", "rectification:supervision_list", "rectification:supervision:view", "calendar-month"),
            MenuItem("督导组", "rectification:supervisiongroup_list", "rectification:supervisiongroup:view",
                     "people"),
            MenuItem("成果运用", "rectification:dashboard", "rectification:dashboard:view", "bar-chart-line"),
        ])
