"""Build the demo data set: `manage.py demo_data [--seed 1] [--scale 1] [--if-empty]`."""

from django.core.management.base import BaseCommand, CommandError

from xuncha.org.demo.generator import DEMO_PASSWORD, DEMO_USERS, DemoBuilder
from xuncha.org.models import Region


class Command(BaseCommand):
    help = "生成演示数据（一个市、十个县区、约 1000 个单位、约 10000 名干部和各角色的演示账号）。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="随机种子：相同种子生成相同数据")
        parser.add_argument("--scale", type=int, default=1, help="规模倍数（基准测试用，如 10）")
        parser.add_argument("--if-empty", action="store_true", help="数据库已有数据时跳过")

    def handle(self, *args, seed, scale, if_empty, **options):
        if Region.all_objects.exists():
            if if_empty:
                self.stdout.write("数据库中已有数据，跳过演示数据生成。")
                self.print_logins()
                return
            raise CommandError("数据库中已有数据。请使用空数据库，或加 --if-empty 跳过。")
        summary = DemoBuilder(seed=seed, scale=scale).build()
        self.stdout.write(self.style.SUCCESS(
            f"演示数据已生成：区域 {summary['regions']} 个，被巡察对象 {summary['units']} 个，干部 {summary['cadres']} 名，"
            f"工作经历 {summary['work_history']} 条，家庭成员 {summary['family']} 条。"))
        self.print_logins()

    def print_logins(self):
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for demo in DEMO_USERS:
            self.stdout.write(f"  {demo.username:<16} {demo.note}")
