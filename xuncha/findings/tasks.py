"""Background jobs of findings: the daily disposition reminders of transferred clues (Celery beat or
cron runs `findings_reminders`; both call `services.reminders_create_due`)."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="findings.create_due_reminders")
def create_due_reminders(today: str | None = None) -> int:
    """Create the due-soon and overdue reminders of clue transfers; safe to run repeatedly."""
    import datetime

    from .services import reminders_create_due

    day = datetime.date.fromisoformat(today) if today else None
    created = reminders_create_due(today=day)
    logger.info("findings reminders created: %s", created)
    return created
