"""County-B findings records for the URL walk (`core.tests.test_url_walk`): one per model key that the
findings route names start with (problem_…, clue_…, cluetransfer_…, cluereminder_…, api:problem-…).
Routes named inspection_… take an inspection: planning's walk gives county B's."""

from __future__ import annotations

import datetime

from xuncha.core.testing.resources import walk_objects


@walk_objects
def findings_walk_objects(world) -> dict:
    cached = getattr(world, "_findings_walk", None)
    if cached is not None:
        return cached
    from xuncha.findings.models import Clue, ClueReminder, ClueTransfer, Problem
    from xuncha.planning.tests.walk import planning_walk_objects

    inspection = planning_walk_objects(world)["inspection"]
    day = datetime.date(2026, 6, 1)
    problem = Problem.objects.create(inspection=inspection, number=1, unit=world.unit_b, kind="other",
                                     title="桐溪县的问题（走查）", description="—")
    transfer = ClueTransfer.objects.create(inspection=inspection, number="桐巡移〔2026〕1号", receiver_kind="discipline",
                                           receiver_name="桐溪县纪委监委", transfer_date=day,
                                           due_date=datetime.date(2026, 9, 1))
    clue = Clue.objects.create(inspection=inspection, number="XS2026-B-001", seq=1, summary="—", content="—",
                               source="talk", status="transferred", transfer=transfer)
    reminder = ClueReminder.objects.create(kind="overdue", transfer=transfer, authority=world.county_b,
                                           group=inspection.group, due_date=transfer.due_date, message="走查提醒")
    cached = {"problem": problem, "clue": clue, "cluetransfer": transfer, "cluereminder": reminder}
    world._findings_walk = cached
    return cached
