"""Background jobs of teams: the daily secondment-expiry reminders (Celery beat or cron runs
`teams_reminders`; both call `services.reminders_create_due`)."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="teams.create_due_reminders")
def create_due_reminders(today: str | None = None) -> int:
    """Create the reminders that are due (secondments ending within 30 days); safe to run repeatedly."""
    import datetime

    from .services import reminders_create_due

    day = datetime.date.fromisoformat(today) if today else None
    created = reminders_create_due(today=day)
    logger.info("teams reminders created: %s", created)
    return created
