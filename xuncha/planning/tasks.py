"""Background jobs of planning. Eager by default; a Celery worker runs them when a broker is set."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def run_proposal(proposal_id: int) -> None:
    """Solve one plan proposal (the page polls the proposal until it is ready)."""
    from django.utils import timezone

    from xuncha.core.models import Job

    from .models import PlanProposal
    from .services import proposal_fail, proposal_run

    try:
        proposal_run(proposal_id=proposal_id)
    except Exception:  # the page must say the job failed, not spin for ever
        logger.exception("plan proposal %s failed", proposal_id)
        message = f"生成排期建议失败（系统错误）。请将任务编号 {proposal_id} 告知系统管理员。"
        proposal_fail(proposal_id=proposal_id, message=message)
        job_id = PlanProposal.objects.filter(pk=proposal_id).values_list("job_id", flat=True).first()
        if job_id:
            Job.objects.filter(pk=job_id).exclude(status=Job.Status.SUCCEEDED).update(
                status=Job.Status.FAILED, finished_at=timezone.now(), message=message)
