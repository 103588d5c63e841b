"""`manage.py verify_audit_chain`: exit 0 when every log chain verifies, 1 when tampering is found."""

import sys

from django.core.management.base import BaseCommand

from xuncha.core.audit import verify_all


class Command(BaseCommand):
    help = "校验变更记录、操作日志、登录日志的 HMAC-SM3 链，发现篡改、删除或插入时返回非零退出码。"

    def handle(self, *args, **options):
        failed = False
        for report in verify_all():
            if report.ok:
                self.stdout.write(self.style.SUCCESS(f"{report.label}：{report.rows} 条，校验通过。"))
            else:
                failed = True
                self.stdout.write(self.style.ERROR(f"{report.label}：{report.rows} 条，发现 {len(report.problems)} 处问题："))
                for problem in report.problems[:100]:
                    self.stdout.write(f"  - {problem}")
        if failed:
            sys.exit(1)
