"""Build findings' demo data: `manage.py findings_demo [--seed 1] [--if-empty]` (after `planning_demo`)."""

from django.core.management.base import BaseCommand, CommandError

from xuncha.findings.models import Clue, Problem
from xuncha.planning.models import Inspection


class Command(BaseCommand):
    help = "生成问题底稿、问题清单和问题线索演示数据（含移交、处置和逾期提醒），须先运行 planning_demo。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="随机种子：相同种子生成相同数据")
        parser.add_argument("--if-empty", action="store_true", help="已有问题或线索数据时跳过")

    def handle(self, *args, seed, if_empty, **options):
        from xuncha.findings.demo import build_findings_demo

        if Problem.all_objects.exists() or Clue.all_objects.exists():
            if if_empty:
                self.stdout.write("已有问题和线索数据，跳过。")
                return
            raise CommandError("已有问题和线索数据。请使用新的演示数据库，或加 --if-empty 跳过。")
        if not Inspection.objects.exists():
            raise CommandError("请先运行 manage.py planning_demo 生成巡察任务演示数据。")
        s = build_findings_demo(seed=seed)
        self.stdout.write(self.style.SUCCESS(
            f"问题与线索演示数据已生成：问题 {s['problems']} 条（已确认 {s['confirmed']} 条），线索 {s['clues']} 条，"
            f"移交 {s['transfers']} 次（逾期 {s['overdue']} 次），提醒 {s['reminders']} 条。"))
