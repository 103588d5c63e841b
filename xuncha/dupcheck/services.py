"""Every write of the duplicate check: uploads, deletes, starting and running scans.

Keyword-only, one transaction each; documents go through core.services (permission, scope re-check
inside the transaction, change log). Background work starts only after the commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.core.excel import report_progress
from xuncha.core.files import store_bytes
from xuncha.core.models import Job
from xuncha.core.scoping import has_perm
from xuncha.core.services import require_perm, scoped_create, scoped_soft_delete
from xuncha.org.models import Cadre, Unit

from . import choices as c
from . import detection, intake
from .models import Document, Scan
from .store import DjangoStore

__all__ = ["UploadResult", "document_upload", "document_delete", "scan_start", "scan_execute",
           "scan_progress", "MAX_SCAN_DOCUMENTS"]

MAX_SCAN_DOCUMENTS = 5000
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_CONTENT_TYPES = {".docx": DOCX_TYPE, ".pdf": "application/pdf", ".txt": "text/plain"}


@dataclass
class UploadResult:
    documents: list[Document]
    scan: Scan | None


def _cadre_for(file: intake.IncomingFile, cadres: list[Cadre]) -> tuple[Cadre | None, str]:
    """The cadre a file belongs to: a name in the file name, else the 姓名 line of the text."""
    in_name = [x for x in cadres if x.name and x.name in file.filename]
    if in_name:
        longest = max(len(x.name) for x in in_name)
        in_name = [x for x in in_name if len(x.name) == longest]  # 张三丰 rather than 张三
        if len(in_name) == 1:
            return in_name[0], ""
        return None, f"文件名中的“{in_name[0].name}”在该单位有 {len(in_name)} 名同名干部，请逐个上传并选择干部"
    author = file.author_in_text
    by_text = [x for x in cadres if author and x.name == author]
    if len(by_text) == 1:
        return by_text[0], ""
    if len(by_text) > 1:
        return None, f"正文中的“{author}”在该单位有同名干部，请逐个上传并选择干部"
    return None, "无法确定是哪位干部的材料：请在文件名中写明干部姓名，或在上传时选择干部"


def _plan_upload(*, actor, files: list[intake.IncomingFile], unit: Unit, cadre: Cadre | None,
                 year: int | None, kind: str) -> list[tuple[intake.IncomingFile, Cadre, int]]:
    """Who and which year each file is, or ValidationError naming every file that cannot be placed."""
    permission = "dupcheck:document:add"
    if cadre is not None and cadre.unit_id != unit.pk:
        raise ValidationError({"cadre": "所选干部不属于所选单位。"})
    cadres = [cadre] if cadre is not None else list(
        Cadre.objects.for_user_perm(actor, permission).filter(unit=unit).only("pk", "name", "unit_id", "region_id"))
    visible = Document.objects.for_user(actor, "view")
    errors: list[str] = []
    planned = []
    seen: dict[tuple, str] = {}
    for file in files:
        who, why = (cadre, "") if cadre is not None else _cadre_for(file, cadres)
        when = year or intake.infer_year(file)
        if who is None:
            errors.append(f"“{file.display}”：{why}。")
            continue
        if when is None:
            errors.append(f"“{file.display}”：无法从文件名或标题识别年度，请在上传时填写年度。")
            continue
        key = (file.sha256, who.pk, when, kind)
        if key in seen:
            errors.append(f"“{file.display}”：与本次上传的“{seen[key]}”内容完全相同。")
            continue
        seen[key] = file.display
        earlier = visible.filter(file__sha256=file.sha256, cadre=who, year=when, kind=kind).first()
        if earlier is not None:
            errors.append(f"“{file.display}”：该文件已于 {timezone.localtime(earlier.uploaded_at):%Y-%m-%d %H:%M} "
                          f"上传为“{earlier}”（编号 {earlier.pk}），未重复保存。")
            continue
        planned.append((file, who, when))
    if errors:
        raise ValidationError({"file": errors})
    return planned


def document_upload(*, actor, upload, unit: Unit, kind: str, cadre: Cadre | None = None, year: int | None = None,
                    meeting: str = "") -> UploadResult:
    """Store the reports of one upload (a file or a .zip) and start their check against the index.

    All or nothing: when any file is refused (unreadable, empty, too large, unplaceable, already
    uploaded) nothing is stored and ValidationError names each file and why, in Chinese.
    """
    require_perm(actor, "dupcheck:document:add")
    files = intake.read_upload_files(upload)
    planned = _plan_upload(actor=actor, files=files, unit=unit, cadre=cadre, year=year, kind=kind)
    now = timezone.now()
    documents: list[Document] = []
    with transaction.atomic():
        for file, who, when in planned:
            suffix = "." + file.filename.rsplit(".", 1)[-1].lower() if "." in file.filename else ""
            stored = store_bytes(file.data, name=file.filename, content_type=_CONTENT_TYPES.get(suffix, ""),
                                 user=actor, max_bytes=intake.file_limit())
            doc = Document(cadre=who, unit_id=who.unit_id, region_id=who.region_id, year=when, kind=kind,
                           meeting=(meeting or "").strip()[:100], file=stored, filename=file.filename[:255],
                           author=who.name[:50], text=file.text, char_count=len(file.text), uploaded_at=now)
            documents.append(scoped_create(actor=actor, instance=doc))
        detection.index_documents(documents)
        scan = _create_scan(actor=actor, mode=c.ScanMode.UPLOAD, documents=documents,
                            criteria={"files": [f.display for f, _, _ in planned]})
    return UploadResult(documents, scan)


def document_delete(*, actor, document: Document) -> Document:
    """Soft delete (the change log keeps the before) and take the document out of the index."""
    with transaction.atomic():
        deleted = scoped_soft_delete(actor=actor, instance=document)
        DjangoStore().remove(document.doc_id)
    return deleted


# --- scans --------------------------------------------------------------------------------------


def _scan_title(mode: str, count: int) -> str:
    return f"雷同检测·{c.ScanMode(mode).label}（{count} 份材料）"


def _create_scan(*, actor, mode: str, documents: list[Document], criteria: dict) -> Scan:
    from .tasks import run_scan_job

    job = Job.objects.create(kind="dupcheck_scan", title=_scan_title(mode, len(documents)), user=actor, total=100,
                             params={"mode": mode, "documents": len(documents)})
    scan = Scan.objects.create(job=job, mode=mode, criteria=criteria, created_by=actor)
    scan.subjects.set(documents)
    job.params["scan"] = scan.pk
    job.save(update_fields=["params"])
    transaction.on_commit(lambda: run_scan_job.delay(scan.pk))
    return scan


def scan_start(*, actor, mode: str, documents, criteria: dict | None = None) -> Scan:
    """Start a batch check of `documents` (a queryset; only those the actor sees are taken)."""
    require_perm(actor, "dupcheck:scan:add")
    if mode not in c.CHOSEN_MODES:
        raise ValidationError({"mode": "请选择比对方式。"})
    chosen = list(Document.objects.for_user(actor, "view").filter(pk__in=documents.values("pk")).order_by("pk"))
    if not chosen:
        raise ValidationError("没有符合条件的材料，请调整筛选条件。")
    if len(chosen) > MAX_SCAN_DOCUMENTS:
        raise ValidationError(f"一次最多检测 {MAX_SCAN_DOCUMENTS} 份材料（当前 {len(chosen)} 份），请缩小筛选范围。")
    with transaction.atomic():
        return _create_scan(actor=actor, mode=mode, documents=chosen, criteria=criteria or {})


def _progress_key(scan_id: int) -> str:
    return f"xuncha:dupcheck:scan:{scan_id}:progress"


def scan_progress(scan: Scan) -> tuple[int, str]:
    """(percent, phase) of a running scan, from the cache."""
    live = cache.get(_progress_key(scan.pk))
    if scan.job.is_finished:
        return 100 if scan.job.status == Job.Status.SUCCEEDED else scan.job.percent, ""
    if live:
        return live
    return (0, "进行中") if scan.job.status == Job.Status.RUNNING else (0, "排队中")


def _reporter(scan: Scan) -> Callable[[float, str], None]:
    last = [-1, ""]

    def report(fraction: float, label: str) -> None:
        percent = min(99, int(fraction * 100))
        if (percent, label) != tuple(last):
            last[:] = [percent, label]
            cache.set(_progress_key(scan.pk), (percent, label), 3600)
            report_progress(scan.job, percent, 100)

    return report


def scan_execute(*, scan: Scan) -> None:
    """Run a scan for its owner (called by the background task). Precondition: the job is RUNNING."""
    owner = scan.created_by
    visible = Document.objects.for_user(owner, "view")
    subjects = list(visible.filter(pk__in=scan.subjects.values("pk")).order_by("pk"))
    if scan.mode == c.ScanMode.UPLOAD:  # compared with the whole index; shown only within scopes
        subjects = list(Document.objects.filter(pk__in=scan.subjects.values("pk")).order_by("pk"))
    groups = detection.plan_groups(scan.mode, subjects, visible)
    detection.run_check(groups, _reporter(scan))
    from .selectors import scan_result

    result = scan_result(owner, scan) if has_perm(owner, "dupcheck:document:view") else None
    flagged = len(result.flagged) if result else 0
    clusters = len(result.clusters) if result else 0
    summary = {"documents": len(subjects), "flagged": flagged, "clusters": clusters,
               "pairs": len(result.pairs) if result else 0}
    Scan.objects.filter(pk=scan.pk).update(summary=summary)
    Job.objects.filter(pk=scan.job_id).update(
        status=Job.Status.SUCCEEDED, progress=100, total=100, finished_at=timezone.now(),
        message=f"检测完成：共检测 {len(subjects)} 份材料，疑似雷同 {flagged} 份，近乎相同 {clusters} 组。",
        result={"scan": scan.pk, **summary})
    cache.delete(_progress_key(scan.pk))
