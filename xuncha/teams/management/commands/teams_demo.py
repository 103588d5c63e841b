"""Build the teams demo data: `manage.py teams_demo [--seed 1] [--if-empty]` (after `demo_data`)."""

from django.core.management.base import BaseCommand, CommandError

from xuncha.accounts.models import User
from xuncha.teams.models import PoolEntry


class Command(BaseCommand):
    help = "生成巡察队伍演示数据（组长库、人才库、巡察组、交叉巡察、抽调、编制、培训），须先运行 demo_data。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="随机种子：相同种子生成相同数据")
        parser.add_argument("--if-empty", action="store_true", help="已有巡察队伍数据时跳过")

    def handle(self, *args, seed, if_empty, **options):
        from xuncha.teams.demo import TeamsDemo

        if PoolEntry.all_objects.exists():
            if if_empty:
                self.stdout.write("已有巡察队伍数据，跳过。")
                return
            raise CommandError("已有巡察队伍数据。请使用新的演示数据库，或加 --if-empty 跳过。")
        if not User.objects.filter(username="city_office").exists():
            raise CommandError("请先运行 manage.py demo_data 生成基础演示数据。")
        summary = TeamsDemo(seed=seed).build()
        self.stdout.write(self.style.SUCCESS(
            f"巡察队伍演示数据已生成：入库人员 {summary['pool_entries']} 人次，巡察组 {summary['groups']} 个，"
            f"巡察组成员 {summary['members']} 人次，交叉编组状态：{summary.get('cross_status', '—')}。"))
        for line in summary.get("proposals_failed", []):
            self.stdout.write(self.style.WARNING(f"未能自动配备：{line}"))
