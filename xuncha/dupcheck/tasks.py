"""Background job of the duplicate check (Celery; eager unless a broker is configured)."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def run_scan_job(scan_id: int) -> None:
    from django.utils import timezone

    from textsim.errors import TextsimError
    from xuncha.core.models import Job

    from .models import Scan
    from .services import scan_execute

    scan = Scan.objects.select_related("job", "created_by").filter(pk=scan_id).first()
    if scan is None:
        logger.warning("dupcheck scan %s no longer exists", scan_id)
        return
    claimed = Job.objects.filter(pk=scan.job_id, status=Job.Status.PENDING).update(status=Job.Status.RUNNING)
    if not claimed:
        return  # delivered twice: the first delivery does the work
    try:
        scan_execute(scan=scan)
    except TextsimError as error:  # e.g. the index was built with other parameters
        logger.warning("dupcheck scan %s refused: %s", scan_id, error)
        Job.objects.filter(pk=scan.job_id).update(
            status=Job.Status.FAILED, finished_at=timezone.now(),
            message=f"检测未完成：{error.message}。如提示索引参数不一致，请系统管理员运行 manage.py dupcheck_reindex。")
    except Exception:  # the page must say the job failed, not spin for ever
        logger.exception("dupcheck scan %s failed", scan_id)
        Job.objects.filter(pk=scan.job_id).update(
            status=Job.Status.FAILED, finished_at=timezone.now(),
            message=f"检测失败（系统错误）。请将任务编号 {scan.job_id} 告知系统管理员。")
