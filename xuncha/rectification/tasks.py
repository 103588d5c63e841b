"""Background jobs of rectification: the monthly supervision cycle and the daily reminders (Celery
beat or cron runs `rectification_month` / `rectification_reminders`; both call the services)."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="rectification.run_month")
def run_month(year: int | None = None, month: int | None = None) -> dict:
    """The month's supervision round, progress meeting and notice for every supervision group of every
    authority (city and counties). Idempotent: safe to run again the same month."""
    from django.utils import timezone

    from xuncha.org.models import Region

    from .models import SupervisionGroup
    from .services import run_month as run

    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    totals = {"rounds": 0, "meetings": 0, "notices": 0}
    ids = SupervisionGroup.objects.filter(is_active=True).values_list("authority_id", flat=True).distinct()
    for authority in Region.objects.filter(pk__in=list(ids)).order_by("path"):
        for key, value in run(authority=authority, year=year, month=month).items():
            totals[key] += value
    logger.info("rectification month %s-%s: %s", year, month, totals)
    return totals


@shared_task(name="rectification.create_due_reminders")
def create_due_reminders(today: str | None = None) -> int:
    """Reminders of reports and tasks due within 15 days or overdue; safe to run repeatedly."""
    import datetime

    from .services import reminders_create_due

    created = reminders_create_due(today=datetime.date.fromisoformat(today) if today else None)
    logger.info("rectification reminders created: %s", created)
    return created
