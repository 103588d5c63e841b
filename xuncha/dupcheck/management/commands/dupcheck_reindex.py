"""Rebuild the duplicate-text index from the stored documents: `manage.py dupcheck_reindex`.

Needed when textsim's index parameters change (a scan then fails with “查重索引的参数…不一致”). The
index holds derived data only; documents, matches and scans are kept. Run a batch scan afterwards
to refresh the matches with the new parameters.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from xuncha.dupcheck import detection
from xuncha.dupcheck.models import Document
from xuncha.dupcheck.store import DjangoStore


class Command(BaseCommand):
    help = "按当前参数重建报告雷同检测的查重索引（材料、比对结果和检测任务均保留）。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=200, help="每批建立索引的材料数")

    def handle(self, *args, batch, **options):
        DjangoStore().clear()
        ids = list(Document.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch):
            detection.index_documents(list(Document.objects.filter(pk__in=ids[start:start + batch]).order_by("pk")))
        self.stdout.write(self.style.SUCCESS(f"查重索引已重建：共 {len(ids)} 份材料。请发起一次批量检测以更新比对结果。"))
