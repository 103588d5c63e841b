"""Build reporting's demo data on top of planning's: `manage.py reporting_demo [--if-empty]`."""

from django.core.management.base import BaseCommand, CommandError

from xuncha.planning.models import Inspection
from xuncha.reporting.demo import build_reporting_demo
from xuncha.reporting.models import InspectionReport


class Command(BaseCommand):
    help = "生成巡察报告、反馈意见与立卷归档演示数据：报告阶段及以后的巡察任务的报告、统一把关、反馈意见、反馈会和归档清单。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="已有巡察报告数据时跳过")

    def handle(self, *args, if_empty, **options):
        if not Inspection.all_objects.exists():
            raise CommandError("请先运行 manage.py planning_demo 生成巡察任务演示数据。")
        if InspectionReport.all_objects.exists():
            if if_empty:
                self.stdout.write("已有巡察报告数据，跳过报告与归档演示数据生成。")
                return
            raise CommandError("已有巡察报告数据。请使用新的演示数据库，或加 --if-empty 跳过。")
        s = build_reporting_demo()
        self.stdout.write(self.style.SUCCESS(
            f"报告与归档演示数据已生成：巡察报告 {s['reports']} 份（已审定 {s['approved']} 份，待把关 {s['submitted']} 份），"
            f"反馈意见 {s['feedback']} 份（已印发 {s['issued']} 份，其中青阳县教育局 {s['liaison_feedback']} 份），"
            f"反馈会 {s['meetings']} 次，归档清单 {s['archives']} 份。"))
