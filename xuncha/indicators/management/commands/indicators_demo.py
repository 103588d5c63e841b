"""Build indicators' demo data on top of planning's: `manage.py indicators_demo [--seed 1] [--if-empty]`."""

from django.core.management.base import BaseCommand, CommandError

from xuncha.indicators.demo import build_indicators_demo
from xuncha.indicators.models import IndicatorResult
from xuncha.planning.models import Inspection


class Command(BaseCommand):
    help = "生成巡察指标体系演示数据：为处于了解阶段及以后的巡察任务记录指标检查结果和重大决策部署落实情况。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="随机种子：相同种子生成相同数据")
        parser.add_argument("--if-empty", action="store_true", help="已有指标检查结果时跳过")

    def handle(self, *args, seed, if_empty, **options):
        if not Inspection.all_objects.exists():
            raise CommandError("请先运行 manage.py planning_demo 生成巡察规划演示数据。")
        if IndicatorResult.all_objects.exists():
            if if_empty:
                self.stdout.write("已有指标检查结果，跳过指标体系演示数据生成。")
                return
            raise CommandError("已有指标检查结果。请使用新的演示数据库，或加 --if-empty 跳过。")
        summary = build_indicators_demo(seed=seed)
        self.stdout.write(self.style.SUCCESS(
            f"巡察指标体系演示数据已生成：指标检查结果 {summary['results']} 条，决策部署落实检查 {summary['checks']} 条。"))
