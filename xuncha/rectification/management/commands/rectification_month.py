"""Run the monthly supervision cycle: `manage.py rectification_month [--month 2026-11] [--authority 江城市]`.

Run on the first working day of each month (cron or Celery beat, task `rectification.run_month`).
Idempotent: running a month again creates nothing and changes nothing."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from xuncha.org.models import Region
from xuncha.rectification.models import SupervisionGroup
from xuncha.rectification.services import run_month


class Command(BaseCommand):
    help = "生成月度督导（督导轮次、整改推进会、整改督查通报）；同一月份重复运行不会重复生成。"

    def add_arguments(self, parser):
        parser.add_argument("--month", help="月份（YYYY-MM，默认本月）")
        parser.add_argument("--authority", help="巡察主体名称（默认全部有督导组的巡察主体）")

    def handle(self, *args, month=None, authority=None, **options):
        try:
            day = datetime.date.fromisoformat(f"{month}-01") if month else timezone.localdate()
        except ValueError:
            raise CommandError("月份格式应为 YYYY-MM，例如 2026-11。") from None
        regions = Region.objects.filter(pk__in=SupervisionGroup.objects.filter(is_active=True).values("authority_id"))
        if authority:
            regions = regions.filter(name=authority)
            if not regions.exists():
                raise CommandError(f"“{authority}”没有启用的督导组。")
        totals = {"rounds": 0, "meetings": 0, "notices": 0}
        for region in regions.order_by("path"):
            for key, value in run_month(authority=region, year=day.year, month=day.month).items():
                totals[key] += value
        self.stdout.write(self.style.SUCCESS(
            f"{day.year}年{day.month}月督导：新建督导轮次 {totals['rounds']} 个，推进会 {totals['meetings']} 个，"
            f"督查通报 {totals['notices']} 份。"))
