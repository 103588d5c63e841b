"""Demo data of reporting, on top of planning's demo: for every demo inspection in 报告 or later, its
report (drafts and submitted ones for the inspections in 报告, approved for those past it), the
feedback to each target unit (issued once the inspection is in 反馈 or later, with a feedback meeting),
and the closing checklist (complete for the archived inspection, half-ticked for those in 整改).

The planning demo walks inspections to 反馈…归档 before any report exists (its transitions run with
reporting's stage conditions suspended); the reports of those inspections are backfilled here as
approved versions generated from what the inspection holds. Everything else goes through the
services, with the demo office accounts as actors. Deterministic.

    build_reporting_demo()           # `manage.py reporting_demo [--if-empty]` calls it
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from xuncha.accounts.models import Grant, User
from xuncha.org.models import Cadre
from xuncha.planning.choices import STAGE_ORDER, Stage
from xuncha.planning.models import Inspection

from . import choices as c
from . import services, sources
from .models import ArchiveChecklist, ArchiveItem, Feedback, InspectionReport, ReviewEntry

LATER = [Stage.REPORT, Stage.FEEDBACK, Stage.TRANSFER, Stage.RECTIFY, Stage.ARCHIVED]
LIAISON_UNIT = "青阳县教育局"


def _at_least(inspection, stage: str) -> bool:
    return STAGE_ORDER.index(inspection.stage) >= STAGE_ORDER.index(stage)


class ReportingDemo:
    def __init__(self, today: datetime.date | None = None):
        self.today = today or timezone.localdate()
        self.summary = {"reports": 0, "approved": 0, "submitted": 0, "feedback": 0, "issued": 0, "meetings": 0,
                        "archives": 0, "liaison_feedback": 0}
        self._offices: dict[int, User] = {}

    def office_for(self, inspection) -> User:
        """The demo office account of the inspection's authority (or of a region above it)."""
        if inspection.authority_id not in self._offices:
            grants = Grant.objects.filter(role__code="office_admin", scope_kind="region", is_active=True,
                                          user__is_active=True).select_related("user", "region")
            path = inspection.authority.path
            reaching = sorted((g for g in grants if path.startswith(g.region.path)),
                              key=lambda g: -len(g.region.path))
            if not reaching:
                raise RuntimeError(f"演示数据中没有{inspection.authority.name}的巡察办管理员账号。")
            self._offices[inspection.authority_id] = reaching[0].user
        return self._offices[inspection.authority_id]

    # --- reports --------------------------------------------------------------------------------

    def backfill_approved_report(self, inspection, office) -> InspectionReport:
        """An inspection the planning demo walked past 报告: its report, generated and approved."""
        targets = services._targets(inspection)
        report = InspectionReport(inspection=inspection, title=services.documents.report_title(inspection, targets),
                                  created_by=office)
        with transaction.atomic():
            report.save()
            number = 1
            services._add_report_version(report, data=services.report_draft_bytes(report),
                                         name=f"{report.title}（第{number}稿）.docx", source=c.VersionSource.GENERATED,
                                         note="系统根据已确认问题生成", actor=office)
            when = timezone.make_aware(datetime.datetime.combine(
                inspection.report_date or inspection.round.end_date, datetime.time(10, 0)))
            report.submitted_at, report.submitted_by = when, office
            report.approved_at, report.approved_by = when + datetime.timedelta(days=3), office
            InspectionReport.all_objects.filter(pk=report.pk).update(
                status=c.ReportStatus.APPROVED, current=report.current, submitted_at=report.submitted_at,
                submitted_by=office, approved_at=report.approved_at, approved_by=office)
            for action, text in ((c.ReviewAction.SUBMIT, "巡察报告已按要求报送，请审阅。"),
                                 (c.ReviewAction.COMMENT, "问题定性准确，事实清楚；建议进一步压实整改主体责任。"),
                                 (c.ReviewAction.APPROVE, "经统一把关，同意报送巡察工作领导小组。")):
                ReviewEntry.objects.create(report=report, action=action, text=text, version=report.current,
                                           username=office.username, created_by=office)
        self.summary["approved"] += 1
        report.refresh_from_db()
        return report

    def report_in_review(self, inspection, office, *, submit: bool) -> InspectionReport:
        """An inspection in 报告: a generated draft, submitted to the unified review when `submit`."""
        report = services.report_generate(actor=office, inspection=inspection)
        if submit:
            report = services.report_submit(actor=office, report=report, note="巡察报告初稿已修改完善，请统一把关。")
            services.report_comment(actor=office, report=report, text="第二部分问题请补充具体事实和数据。")
            self.summary["submitted"] += 1
        return report

    # --- feedback -------------------------------------------------------------------------------

    def feedback(self, inspection, office) -> None:
        existing = {f.unit_id: f for f in Feedback.objects.filter(inspection=inspection)}
        for feedback in existing.values():
            if feedback.current_id is None:  # written by another demo without its document
                services._add_feedback_version(feedback, data=services.feedback_draft_bytes(feedback),
                                               name=f"{feedback.unit.name}反馈意见（第1稿）.docx",
                                               source=c.VersionSource.GENERATED, note="系统根据审定的巡察报告生成",
                                               actor=office)
                Feedback.all_objects.filter(pk=feedback.pk).update(current=feedback.current)
        services.feedback_generate(actor=office, inspection=inspection)
        issued_on = min(inspection.feedback_date or self.today, self.today)
        for index, feedback in enumerate(Feedback.objects.filter(inspection=inspection).select_related("unit")):
            self.summary["feedback"] += 1
            if not feedback.is_issued:
                feedback = services.feedback_issue(
                    actor=office, feedback=feedback, issued_on=issued_on,
                    issue_number=f"{inspection.authority.name[:2]}巡反〔{issued_on.year}〕{inspection.pk}-{index + 1}号")
            self.summary["issued"] += 1
            if feedback.unit.name == LIAISON_UNIT:
                self.summary["liaison_feedback"] += 1
            if not feedback.meetings.exists():
                cadres = list(Cadre.objects.filter(unit=feedback.unit).order_by("id")[:3])
                held = max(issued_on, inspection.stationed_date or issued_on)
                services.meeting_create(actor=office, feedback=feedback, data={
                    "held_on": held, "place": f"{feedback.unit.name}会议室",
                    "presided_by": f"{inspection.authority.name}委巡察工作领导小组办公室主任",
                    "attending_cadres": cadres,
                    "attending_names": f"{inspection.authority.name}委常委、组织部部长\n{inspection.group.name}全体成员",
                    "minutes": "巡察组组长代表巡察组反馈巡察发现的主要问题，提出整改意见和建议；"
                               "被巡察单位党组织书记作表态发言，表示诚恳接受、全面整改。"})
                self.summary["meetings"] += 1

    # --- archive --------------------------------------------------------------------------------

    def archive(self, inspection, office, *, complete: bool) -> None:
        if ArchiveChecklist.objects.filter(inspection=inspection).exists():
            return
        checklist = services.archive_open(actor=office, inspection=inspection)
        items = list(checklist.items.all())
        if not complete:
            for item in items[:2]:
                services.archive_tick(actor=office, item=item, done=True, note="已核对")
        else:
            # The planning demo archived this inspection already, and the service keeps an archived
            # inspection's list frozen: the list is written as it stood when the office archived it.
            done = timezone.make_aware(datetime.datetime.combine(
                inspection.archived_date or self.today, datetime.time(9, 0)))
            ArchiveItem.objects.filter(checklist=checklist).update(done_at=done, done_by=office, note="已核对")
            ArchiveChecklist.all_objects.filter(pk=checklist.pk).update(
                archive_number=f"{inspection.authority.name[:2]}巡档〔{inspection.round.year}〕{inspection.pk}号",
                completed_at=done, completed_by=office,
                counts={row.key: row.value for row in sources.archive_counts(inspection)})
        self.summary["archives"] += 1

    def build(self) -> dict:
        inspections = Inspection.objects.filter(stage__in=LATER).select_related(
            "round", "group", "authority").order_by("round__year", "authority__path", "round__number",
                                                     "group__number", "id")
        with transaction.atomic():
            for inspection in inspections:
                if InspectionReport.objects.filter(inspection=inspection).exists():
                    continue
                office = self.office_for(inspection)
                self.summary["reports"] += 1
                if inspection.stage == Stage.REPORT:
                    # The inspection of the liaison's unit keeps its draft, for the demo group leader
                    # (who holds that group) to submit; the others wait in the unified review.
                    liaison_unit = inspection.target_links.filter(unit__name=LIAISON_UNIT).exists()
                    self.report_in_review(inspection, office, submit=not liaison_unit)
                    continue
                self.backfill_approved_report(inspection, office)
                self.feedback(inspection, office)
                if _at_least(inspection, Stage.TRANSFER):
                    self.archive(inspection, office, complete=inspection.stage == Stage.ARCHIVED)
        return self.summary


def build_reporting_demo(**kwargs) -> dict:
    return ReportingDemo(**kwargs).build()
