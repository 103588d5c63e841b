"""The review workflow of a problem: each step, its permission, sending back, read-only once confirmed,
the office's reopen, and the stage conditions findings adds to an inspection."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError

from xuncha.core.models import AppendOnlyError, ChangeLog
from xuncha.findings import services
from xuncha.findings.models import Problem, ProblemTransition
from xuncha.planning import services as planning_services

from .factories import D, clue, confirmed, draft, problem_data, step, transfer

pytestmark = pytest.mark.django_db


def test_member_writes_submits_leader_reviews_and_confirms_with_the_meeting(fw):
    problem = draft(fw)
    assert problem.status == "draft" and problem.number == 1 and problem.created_by == fw.member
    step(problem, fw.member, "submit")
    assert problem.status == "submitted" and problem.submitted_at
    step(problem, fw.leader, "review", opinion="事实清楚。")
    assert problem.status == "reviewed" and problem.reviewed_by == fw.leader
    step(problem, fw.leader, "confirm", meeting="第一巡察组组务会", meeting_date=D(2026, 11, 20), opinion="同意列入问题清单。")
    assert problem.status == "confirmed" and problem.confirmed_by == fw.leader
    assert (problem.meeting, problem.meeting_date) == ("第一巡察组组务会", D(2026, 11, 20))
    log = list(ProblemTransition.objects.filter(problem=problem).values_list("from_status", "to_status", "username"))
    assert log == [("draft", "submitted", "fa_member"), ("submitted", "reviewed", "fa_leader"),
                   ("reviewed", "confirmed", "fa_leader")]
    assert "第一巡察组组务会（2026-11-20）研究确认" in ProblemTransition.objects.last().opinion
    assert list(Problem.objects.confirmed()) == [problem]
    assert ChangeLog.objects.filter(object_id=str(problem.pk), content_type__model="problem").count() == 4


def test_send_back_needs_a_reason_and_the_author_edits_and_resubmits(fw):
    problem = step(draft(fw), fw.member, "submit")
    with pytest.raises(ValidationError) as error:
        services.problem_transition(actor=fw.leader, problem=problem, step="send_back", opinion="  ")
    assert "须填写理由" in str(error.value)
    step(problem, fw.leader, "send_back", opinion="请补充会议记录页码。")
    assert problem.status == "returned" and problem.return_reason == "请补充会议记录页码。"
    services.problem_update(actor=fw.member, problem=problem, data=problem_data(fw, evidence="党组会议记录第12页"))
    problem.refresh_from_db()
    assert problem.evidence == "党组会议记录第12页"
    step(problem, fw.member, "submit")
    assert problem.status == "submitted"
    # sent back again after review
    step(problem, fw.leader, "review")
    step(problem, fw.leader, "send_back", opinion="定性不准。")
    assert problem.status == "returned"


def test_members_cannot_review_confirm_or_touch_other_members_drafts(fw):
    problem = step(draft(fw), fw.member, "submit")
    for name in ("review", "send_back"):
        with pytest.raises(PermissionDenied):
            services.problem_transition(actor=fw.member, problem=problem, step=name, opinion="x")
    other = draft(fw, fw.member2)
    with pytest.raises(ValidationError, match="本人撰写"):
        services.problem_update(actor=fw.member, problem=other, data=problem_data(fw, title="改"))
    with pytest.raises(ValidationError, match="本人撰写"):
        services.problem_transition(actor=fw.member, problem=other, step="submit")
    with pytest.raises(ValidationError, match="本人撰写"):
        services.problem_delete(actor=fw.member, problem=other)
    # the group leader may edit a member's draft
    services.problem_update(actor=fw.leader, problem=other, data=problem_data(fw, title="组长修改后的标题"))
    reviewed = step(step(draft(fw), fw.member, "submit"), fw.leader, "review")
    with pytest.raises(PermissionDenied):
        services.problem_transition(actor=fw.member, problem=reviewed, step="confirm", meeting="组务会",
                                    meeting_date=D(2026, 11, 1))
    # the other county's leader cannot reach it at all
    from xuncha.core.services import ScopeViolation
    with pytest.raises(ScopeViolation):
        services.problem_transition(actor=fw.leader_b, problem=reviewed, step="confirm", meeting="组务会",
                                    meeting_date=D(2026, 11, 1))


def test_confirm_needs_the_meeting_and_its_date(fw):
    problem = step(step(draft(fw), fw.member, "submit"), fw.leader, "review")
    with pytest.raises(ValidationError) as error:
        services.problem_transition(actor=fw.leader, problem=problem, step="confirm")
    assert "确认的会议" in str(error.value) and "会议日期" in str(error.value)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.problem_transition(actor=fw.leader, problem=problem, step="confirm", meeting="组务会",
                                    meeting_date=D(2099, 1, 1))
    problem.refresh_from_db()
    assert problem.status == "reviewed" and not ProblemTransition.objects.filter(to_status="confirmed").exists()


def test_a_step_from_the_wrong_status_is_refused_in_chinese(fw):
    problem = draft(fw)
    with pytest.raises(ValidationError, match="问题当前为「底稿」，不能执行「审核通过」"):
        services.problem_transition(actor=fw.leader, problem=problem, step="review")
    with pytest.raises(ValidationError, match="未知的操作"):
        services.problem_transition(actor=fw.leader, problem=problem, step="publish")


def test_confirmed_is_read_only_until_the_office_reopens_it(fw):
    problem = confirmed(fw)
    for actor in (fw.member, fw.leader, fw.office):
        with pytest.raises(ValidationError, match="已确认的问题为只读"):
            services.problem_update(actor=actor, problem=problem, data=problem_data(fw, title="改"))
        with pytest.raises(ValidationError, match="已确认的问题为只读"):
            services.problem_delete(actor=actor, problem=problem)
    with pytest.raises(PermissionDenied):
        services.problem_transition(actor=fw.leader, problem=problem, step="reopen", opinion="需修改")
    with pytest.raises(ValidationError, match="须填写理由"):
        services.problem_transition(actor=fw.office, problem=problem, step="reopen")
    step(problem, fw.office, "reopen", opinion="反馈前发现定性有误，重新研究。")
    assert problem.status == "reviewed" and problem.confirmed_at is None
    step(problem, fw.leader, "send_back", opinion="请按意见修改。")
    services.problem_update(actor=fw.member, problem=problem, data=problem_data(fw, title="修改后的标题"))
    problem.refresh_from_db()
    assert problem.title == "修改后的标题"


def test_transition_log_is_append_only(fw):
    problem = step(draft(fw), fw.member, "submit")
    row = ProblemTransition.objects.get(problem=problem)
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        ProblemTransition.objects.filter(pk=row.pk).update(opinion="x")
    with pytest.raises(AppendOnlyError):
        ProblemTransition.objects.filter(pk=row.pk).delete()
    with pytest.raises(ProtectedError):
        Problem.all_objects.filter(pk=problem.pk).delete()


def test_drafts_only_in_fieldwork_stages_and_about_targets(fw):
    with pytest.raises(ValidationError, match="不是本次巡察的对象"):
        draft(fw, unit=fw.world.unit_city)
    with pytest.raises(ValidationError, match="责任人须为被巡察单位的干部"):
        draft(fw, responsible_cadres=[fw.world.cadre_b])
    from xuncha.core.services import ScopeViolation
    with pytest.raises(ScopeViolation):
        draft(fw, inspection=fw.inspection_b)
    with pytest.raises(PermissionDenied):
        services.problem_create(actor=fw.supervisor, inspection=fw.inspection, data=problem_data(fw))
    confirmed(fw)
    planning_services.inspection_advance(actor=fw.office, inspection=fw.inspection, to_stage="report", opinion="")
    fw.inspection.refresh_from_db()
    with pytest.raises(ValidationError, match="只有在进驻、了解阶段"):
        draft(fw)


def test_numbers_run_per_inspection(fw):
    first, second = draft(fw), draft(fw, fw.member2)
    other = draft(fw, fw.leader_b, inspection=fw.inspection_b, unit=fw.world.unit_b, responsible_cadres=[])
    assert (first.number, second.number, other.number) == (1, 2, 1)
    services.problem_delete(actor=fw.member, problem=first)
    assert draft(fw).number == 3


# --- Stage conditions ---------------------------------------------------------------------------------


def test_report_is_blocked_while_drafts_are_unconfirmed(fw, settings):
    problem = step(draft(fw), fw.member, "submit")
    draft(fw, fw.member2)
    with pytest.raises(ValidationError) as error:
        planning_services.inspection_advance(actor=fw.office, inspection=fw.inspection, to_stage="report")
    message = str(error.value)
    assert "尚有 2 条问题底稿未经确认（底稿 1 条、待审核 1 条）" in message
    step(problem, fw.leader, "review")
    step(problem, fw.leader, "confirm", meeting="组务会", meeting_date=D(2026, 11, 1))
    services.problem_delete(actor=fw.member2, problem=Problem.objects.get(status="draft"))
    planning_services.inspection_advance(actor=fw.office, inspection=fw.inspection, to_stage="report")
    fw.inspection.refresh_from_db()
    assert fw.inspection.stage == "report"


def test_report_without_any_confirmed_problem_only_when_the_setting_asks(fw, settings):
    settings.FINDINGS_REPORT_REQUIRES_PROBLEM = True
    with pytest.raises(ValidationError, match="尚无已确认的问题"):
        planning_services.inspection_advance(actor=fw.office, inspection=fw.inspection, to_stage="report")
    confirmed(fw)
    planning_services.inspection_advance(actor=fw.office, inspection=fw.inspection, to_stage="report")


def test_rectification_waits_for_every_clue_to_be_transferred(fw):
    from xuncha.planning.tests.factories import advance
    from xuncha.reporting.conditions import suspended

    c = clue(fw)
    with suspended():  # reporting's own conditions (report approved before feedback) are not under test here
        advance(fw.inspection, fw.office, "transfer")
    with pytest.raises(ValidationError, match="尚有 1 条问题线索未移交"):
        planning_services.inspection_advance(actor=fw.office, inspection=fw.inspection, to_stage="rectify")
    transfer(fw, [c])
    planning_services.inspection_advance(actor=fw.office, inspection=fw.inspection, to_stage="rectify")
