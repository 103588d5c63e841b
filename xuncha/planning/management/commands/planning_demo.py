"""Build planning's demo data on top of org's: `manage.py planning_demo [--seed 1] [--if-empty]`."""

from django.core.management.base import BaseCommand, CommandError

from xuncha.org.models import Region
from xuncha.planning.demo import build_planning_demo
from xuncha.planning.models import FiveYearPlan


class Command(BaseCommand):
    help = "生成巡察规划演示数据：市和两个县的五年规划、本年度计划与轮次、巡察任务、上下联动和提级巡察。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="随机种子：相同种子生成相同数据")
        parser.add_argument("--if-empty", action="store_true", help="已有规划数据时跳过")
        parser.add_argument("--seconds", type=float, default=2.0, help="每个规划生成排期建议的求解时间上限")

    def handle(self, *args, seed, if_empty, seconds, **options):
        if not Region.objects.filter(name="江城市").exists():
            raise CommandError("请先运行 manage.py demo_data 生成组织机构演示数据。")
        if FiveYearPlan.all_objects.exists():
            if if_empty:
                self.stdout.write("已有巡察规划数据，跳过规划演示数据生成。")
                return
            raise CommandError("已有巡察规划数据。请使用新的演示数据库，或加 --if-empty 跳过。")
        summary = build_planning_demo(seed=seed, proposal_seconds=seconds)
        self.stdout.write(self.style.SUCCESS(
            f"巡察规划演示数据已生成：五年规划 {summary['plans']} 个，轮次 {summary['rounds']} 个，"
            f"上下联动 {summary['joint_rounds']} 项。group_leader 已获青阳县上下联动轮次第一巡察组的授权。"))
