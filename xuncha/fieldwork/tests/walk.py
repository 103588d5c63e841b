"""County-B fieldwork records for the URL walk (`core.tests.test_url_walk`): one per model key that
the fieldwork route names start with (talk_…, petition_…, api:petition-…). They hang on planning's
county-B walk inspection (its plans are made once per world)."""

from __future__ import annotations

from xuncha.core.testing.resources import covers, walk_objects

# The public intake (no login) answers 403 to an unknown code and 405 to a GET of the API route;
# both are exercised in test_intake.
covers("fieldwork:intake", "api:petition-intake")


@walk_objects
def fieldwork_walk_objects(world) -> dict:
    cached = getattr(world, "_fieldwork_walk", None)
    if cached is not None:
        return cached
    import datetime

    from xuncha.fieldwork import services
    from xuncha.fieldwork.models import (
        DocumentRequest,
        HearingReport,
        MeetingAttendance,
        Petition,
        PetitionReporter,
        Talk,
        Visit,
    )
    from xuncha.planning.tests.walk import planning_walk_objects

    inspection = planning_walk_objects(world)["inspection"]
    day = datetime.date(2026, 3, 5)

    def place(model, **values):
        return model.objects.create(inspection=inspection, authority_id=inspection.authority_id, **values)

    petition = place(Petition, channel="letter", received_date=day, category="other", content="走查用信访件",
                     receipt_no=services.new_receipt_no(day))
    PetitionReporter.objects.create(petition=petition, name="走查举报人", phone="13900000000")
    cached = {
        "hearingreport": place(HearingReport, report_date=day, reporter="书记", topic="走查汇报"),
        "talk": place(Talk, interviewee_name="走查对象", category="staff", planned_date=day),
        "petition": petition,
        "petitionreporter": petition,  # the reporter's page is addressed by its petition
        "documentrequest": place(DocumentRequest, title="走查调阅", requested_date=day, due_date=day),
        "meetingattendance": place(MeetingAttendance, meeting_date=day, kind="committee", title="走查会议"),
        "visit": place(Visit, level="visit", visit_date=day, place="走查地点"),
    }
    world._fieldwork_walk = cached
    return cached
