"""Create the due rectification reminders: `manage.py rectification_reminders [--date 2026-11-30]`.

Run daily (cron or Celery beat, task `rectification.create_due_reminders`); running it twice creates
nothing twice. E-mails go out where a mail server is configured."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from xuncha.rectification.services import reminders_create_due


class Command(BaseCommand):
    help = "生成整改到期提醒（整改情况报告和整改任务到期前 15 天及逾期；重复运行不会重复提醒）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, date=None, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from None
        created = reminders_create_due(today=day)
        self.stdout.write(self.style.SUCCESS(f"已生成 {created} 条整改提醒。"))
