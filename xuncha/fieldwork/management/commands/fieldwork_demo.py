"""Build fieldwork's demo data on top of planning's: `manage.py fieldwork_demo [--seed 1] [--if-empty]`."""

from django.core.management.base import BaseCommand, CommandError

from xuncha.fieldwork.demo import build_fieldwork_demo, has_data
from xuncha.planning.models import Inspection


class Command(BaseCommand):
    help = "生成巡察方式方法演示数据：进驻以后的巡察任务的听取汇报、谈话计划与记录、信访举报（含举报人）、调阅清单、列席会议和走访下沉。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="随机种子：相同种子生成相同数据")
        parser.add_argument("--if-empty", action="store_true", help="已有信访举报数据时跳过")

    def handle(self, *args, seed, if_empty, **options):
        if not Inspection.all_objects.exists():
            raise CommandError("请先运行 manage.py planning_demo 生成巡察规划演示数据。")
        if has_data():
            if if_empty:
                self.stdout.write("已有巡察工作数据，跳过巡察方式方法演示数据生成。")
                return
            raise CommandError("已有巡察工作数据。请使用新的演示数据库，或加 --if-empty 跳过。")
        s = build_fieldwork_demo(seed=seed)
        self.stdout.write(self.style.SUCCESS(
            f"巡察方式方法演示数据已生成：巡察任务 {s['inspections']} 个，个别谈话 {s['talks']} 人次，"
            f"信访举报 {s['petitions']} 件（登记举报人 {s['reporters']} 件），调阅清单 {s['requests']} 份，"
            f"走访下沉 {s['visits']} 次。"))
