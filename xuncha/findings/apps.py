from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "xuncha.findings"
    label = "findings"
    verbose_name = "问题底稿与问题线索"

    def ready(self):
        from xuncha.core.menu import MenuItem, register
        from xuncha.planning.panels import InspectionPanel, register_inspection_panel
        from xuncha.planning.workflow import register_stage_condition

        from . import selectors
        from .models import Problem
        from .workflow import rectify_conditions, report_conditions

        # No report while problem drafts are on their way; no rectification before every clue is transferred.
        register_stage_condition("report", report_conditions)
        register_stage_condition("rectify", rectify_conditions)

        register("问题与线索", icon="exclamation-octagon", order=35, items=[
            MenuItem("问题清单", "findings:problem_list", "findings:problem:view", "list-check"),
            MenuItem("问题线索", "findings:clue_list", "findings:clue:add", "incognito"),
            MenuItem("线索移交", "findings:cluetransfer_list", "findings:clue:view", "send"),
            MenuItem("处置提醒", "findings:cluereminder_list", "findings:clue:view", "alarm"),
        ])
        register_inspection_panel(InspectionPanel(
            "问题底稿与问题清单", "findings:inspection_problems", "findings:problem:view", icon="list-check", order=60,
            count=lambda inspection, user: Problem.objects.for_user(user).filter(inspection=inspection).count()))
        register_inspection_panel(InspectionPanel(
            "问题线索", "findings:inspection_clues", "findings:clue:add", icon="incognito", order=61,
            count=lambda inspection, user: selectors.clue_base(user).filter(inspection=inspection).count(),
            hint="只有组长和巡察办可查看本组全部线索；组员只能看到本人登记的线索。"))
