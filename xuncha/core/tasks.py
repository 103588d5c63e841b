"""Background jobs of the kernel. Eager by default; a worker runs them when a broker is set."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def run_import_job(job_id: int) -> None:
    from django.core.cache import cache
    from django.utils import timezone

    from .excel import progress_key, run_import
    from .models import Job

    job = Job.objects.select_related("user", "input_file").filter(pk=job_id).first()
    if job is None:  # deleted while queued: nothing to do, and nothing to report to
        logger.warning("import job %s no longer exists", job_id)
        return
    try:
        run_import(job)
    except Exception:  # the page must say the job failed, not spin for ever
        logger.exception("import job %s failed", job_id)
        # The rows are written in one transaction, which the error rolled back: nothing was written.
        Job.objects.filter(pk=job_id).exclude(status=Job.Status.SUCCEEDED).update(
            status=Job.Status.FAILED, finished_at=timezone.now(),
            message=f"导入失败（系统错误），未写入任何数据。请将任务编号 {job_id} 告知系统管理员。")
        cache.delete(progress_key(job_id))


@shared_task
def run_export_job(job_id: int) -> None:
    from django.utils import timezone

    from .exports import run_export
    from .models import Job

    job = Job.objects.select_related("user").filter(pk=job_id).first()
    if job is None:
        logger.warning("export job %s no longer exists", job_id)
        return
    try:
        run_export(job)
    except Exception:
        logger.exception("export job %s failed", job_id)
        Job.objects.filter(pk=job_id).exclude(status=Job.Status.SUCCEEDED).update(
            status=Job.Status.FAILED, finished_at=timezone.now(),
            message=f"导出失败（系统错误）。请将任务编号 {job_id} 告知系统管理员。")
