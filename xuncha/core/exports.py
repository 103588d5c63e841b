"""Exports of a filtered list: at once when small, as a background job with progress when large."""

from __future__ import annotations

from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from .models import Job


def export_sync(resource, queryset, user) -> bytes:
    from .excel import export_workbook

    return export_workbook(resource, queryset, user)


def export_start(*, resource, actor, query: str) -> Job:
    from .tasks import run_export_job

    job = Job.objects.create(kind="export", title=f"导出{resource.label}", user=actor,
                             params={"resource": resource.key, "query": query})
    transaction.on_commit(lambda: run_export_job.delay(job.pk))
    return job


def run_export(job: Job) -> None:
    """Rebuild the list's query for the job's owner, write the workbook, keep it by hash."""
    from .excel import export_workbook, report_progress
    from .files import store_bytes
    from .resources import REGISTRY
    from .selectors import export_queryset

    claimed = Job.objects.filter(pk=job.pk, status=Job.Status.PENDING).update(status=Job.Status.RUNNING)
    if not claimed:
        return  # delivered twice: the first delivery does the work
    resource = REGISTRY[job.params["resource"]]
    queryset = export_queryset(resource, job.user, QueryDict(job.params.get("query", "")))
    total = queryset.count()
    Job.objects.filter(pk=job.pk).update(total=total)
    content = export_workbook(resource, queryset, job.user,
                              progress=lambda done: report_progress(job, done, total))
    stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
    stored = store_bytes(content, name=f"{resource.label}_{stamp}.xlsx", user=job.user,
                         content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         max_bytes=2 * 1024 ** 3)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SUCCEEDED, progress=total, finished_at=timezone.now(),
        message=f"导出完成：共 {total} 条。", result={"file_id": stored.pk})
