"""Create the due clue-disposition reminders: `manage.py findings_reminders [--date 2026-11-30]`.

Run daily (cron or Celery beat, task `findings.create_due_reminders`); running it twice a day, or
again after a failure, creates nothing twice."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from xuncha.findings.tasks import create_due_reminders


class Command(BaseCommand):
    help = "生成问题线索处置反馈的到期和逾期提醒（重复运行不会重复提醒）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, date=None, **options):
        if date:
            try:
                datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from None
        created = create_due_reminders(date)  # in this process, whatever the broker
        self.stdout.write(self.style.SUCCESS(f"已生成 {created} 条线索处置提醒。"))
