"""Background jobs of the kernel. Eager by default; a worker runs them when a broker is set."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def run_import_job(job_id: int) -> None:
    from .excel import run_import
    from .models import Job

    job = Job.objects.select_related("user", "input_file").get(pk=job_id)
    try:
        run_import(job)
    except Exception as error:  # the page must say the job failed, not spin for ever
        from django.utils import timezone

        logger.exception("import job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, finished_at=timezone.now(),
                                              message=f"导入失败（系统错误），未写入任何数据：{error.__class__.__name__}")
