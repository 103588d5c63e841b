"""Background jobs of reporting: the archive export (eager by default; a worker runs it when a
broker is set)."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


def run_archive(job) -> None:
    """Re-check the owner's scope, build the zip, keep it by hash, report progress through the cache."""
    from django.core.cache import cache
    from django.utils import timezone

    from xuncha.core.excel import progress_key, report_progress
    from xuncha.core.files import store_bytes
    from xuncha.core.models import Job

    from .archive import build_archive
    from .models import ArchiveChecklist

    claimed = Job.objects.filter(pk=job.pk, status=Job.Status.PENDING).update(status=Job.Status.RUNNING)
    if not claimed:
        return  # delivered twice: the first delivery does the work
    secret = bool(job.params.get("secret"))
    checklist = ArchiveChecklist.objects.for_user(job.user, "secret" if secret else "export").select_related(
        "inspection", "inspection__round", "inspection__group").filter(pk=job.params.get("checklist")).first()
    if checklist is None:  # the grant was withdrawn meanwhile: export nothing
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, finished_at=timezone.now(),
                                             message="该巡察任务已不在您的授权范围内，未导出任何文件。")
        return
    content, count = build_archive(checklist.inspection, checklist, secret=secret,
                                   progress=lambda done, total: report_progress(job, done, total))
    stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
    label = "保密卷" if secret else "档案"
    stored = store_bytes(content, name=f"{checklist.inspection}{label}_{stamp}.zip", user=job.user,
                         content_type="application/zip", max_bytes=4 * 1024 ** 3)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SUCCEEDED, progress=count, total=count, finished_at=timezone.now(),
        message=f"导出完成：共 {count} 个文件，另附卷内目录。", result={"file_id": stored.pk, "files": count})
    cache.delete(progress_key(job.pk))


@shared_task
def run_archive_job(job_id: int) -> None:
    from django.utils import timezone

    from xuncha.core.models import Job

    job = Job.objects.select_related("user").filter(pk=job_id).first()
    if job is None:
        logger.warning("archive job %s no longer exists", job_id)
        return
    try:
        run_archive(job)
    except Exception:
        logger.exception("archive job %s failed", job_id)
        Job.objects.filter(pk=job_id).exclude(status=Job.Status.SUCCEEDED).update(
            status=Job.Status.FAILED, finished_at=timezone.now(),
            message=f"导出失败（系统错误）。请将任务编号 {job_id} 告知系统管理员。")
