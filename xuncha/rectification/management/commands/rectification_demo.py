"""Build the rectification demo data: `manage.py rectification_demo [--seed 1] [--if-empty]`
(after `demo_data` and `planning_demo`; after the findings and reporting demos where they exist)."""

from django.core.management.base import BaseCommand, CommandError

from xuncha.accounts.models import User
from xuncha.rectification.models import RectificationPlan


class Command(BaseCommand):
    help = "生成整改落实演示数据（整改方案、整改任务、月度督导、督查通报、公开、回头看），须先运行 demo_data 和 planning_demo。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="随机种子：相同种子生成相同数据")
        parser.add_argument("--if-empty", action="store_true", help="已有整改数据时跳过")

    def handle(self, *args, seed, if_empty, **options):
        from xuncha.planning.models import Inspection
        from xuncha.rectification.demo import RectificationDemo

        if RectificationPlan.all_objects.exists():
            if if_empty:
                self.stdout.write("已有整改数据，跳过。")
                return
            raise CommandError("已有整改数据。请使用新的演示数据库，或加 --if-empty 跳过。")
        if not User.objects.filter(username="city_office").exists():
            raise CommandError("请先运行 manage.py demo_data 生成基础演示数据。")
        if not Inspection.objects.filter(stage__in=("rectify", "archived")).exists():
            raise CommandError("没有处于整改或归档阶段的巡察任务，请先运行 manage.py planning_demo。")
        s = RectificationDemo(seed=seed).build()
        self.stdout.write(self.style.SUCCESS(
            f"整改落实演示数据已生成：整改方案 {s['plans']} 个，整改任务 {s['tasks']} 项（已验收 {s['accepted']} 项），"
            f"月度督导 {s['rounds']} 个，整改提醒 {s['reminders']} 条，回头看 {s['revisits']} 次。"))
        liaison = User.objects.filter(username="liaison2").prefetch_related("grants__unit").first()
        if liaison is not None:
            unit = next((g.unit.name for g in liaison.grants.all() if g.unit_id), "")
            self.stdout.write(f"被巡察单位视角：以 liaison2 登录（{unit}联络人，密码同其他演示账号），查看本单位的反馈和整改方案。")
