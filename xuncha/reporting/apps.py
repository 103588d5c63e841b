from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "xuncha.reporting"
    label = "reporting"
    verbose_name = "巡察报告、反馈与归档"

    def ready(self):
        from xuncha.core.menu import MenuItem, register
        from xuncha.core.scoping import register_scope_rule
        from xuncha.planning.panels import InspectionPanel, register_inspection_panel
        from xuncha.planning.workflow import register_stage_condition

        from . import conditions
        from .models import ArchiveChecklist, Feedback, InspectionReport
        from .rules import feedback_unit_rule

        # A unit's liaison sees the issued feedback of its own unit, and nothing else of reporting.
        register_scope_rule(Feedback, "unit", feedback_unit_rule)

        # 报告 → 反馈 needs the report approved in the unified review; 整改 → 归档 the checklist complete.
        register_stage_condition("feedback", conditions.feedback_reasons)
        register_stage_condition("archive", conditions.archive_reasons)

        def count(model):
            return lambda inspection, user: model.objects.for_user(user, "view").filter(
                inspection=inspection).count()

        register_inspection_panel(InspectionPanel(
            "巡察报告", "reporting:inspection_report", "reporting:report:view", icon="file-earmark-word", order=70,
            count=count(InspectionReport), hint="生成报告初稿、上传修改稿、提交统一把关"))
        register_inspection_panel(InspectionPanel(
            "反馈意见", "reporting:inspection_feedback", "reporting:report:view", icon="send", order=75,
            count=count(Feedback), hint="各被巡察单位的反馈意见、印发和反馈会"))
        register_inspection_panel(InspectionPanel(
            "立卷归档", "reporting:inspection_archive", "reporting:archive:view", icon="archive", order=80,
            count=count(ArchiveChecklist), hint="归档统计、归档事项、档号和材料导出"))

        register("报告与归档", icon="file-earmark-text", order=45, items=[
            MenuItem("巡察报告", "reporting:report_list", "reporting:report:view", "file-earmark-word"),
            MenuItem("统一把关", "reporting:review_rounds", "reporting:report:review", "clipboard2-check"),
            # A unit's liaison (feedback permission only) is sent on to 本单位巡察反馈.
            MenuItem("反馈意见", "reporting:feedback_list", "reporting:feedback:view", "send"),
            MenuItem("立卷归档", "reporting:archive_list", "reporting:archive:view", "archive"),
        ])
