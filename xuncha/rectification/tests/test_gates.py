"""The three gates: the plan (start), monthly progress, acceptance — permissions, conditions, log."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from xuncha.core.models import AppendOnlyError, ChangeLog
from xuncha.core.services import ScopeViolation
from xuncha.rectification import services
from xuncha.rectification.models import GateLog, RectificationTask

from .factories import approved_plan, plan_with_tasks, setup, upload, with_evidence

pytestmark = pytest.mark.django_db


def test_plan_needs_a_measure_for_every_confirmed_problem(world):
    rw = setup(world, problems=2)
    plan = services.plan_create(actor=rw.liaison, feedback=rw.feedback, summary="总体安排")
    services.task_create(actor=rw.liaison, plan=plan, problem=rw.problems[0],
                         data={"kind": "correct", "content": "纠正", "responsible": "张三",
                               "deadline": timezone.localdate() + datetime.timedelta(days=30)})
    with pytest.raises(ValidationError) as error:
        services.plan_submit(actor=rw.liaison, plan=plan)
    assert "还有 1 个问题没有整改措施" in " ".join(error.value.messages)
    assert rw.problems[1].title in " ".join(error.value.messages)
    plan.refresh_from_db()
    assert plan.status == "draft" and not GateLog.objects.filter(plan=plan).exists()


def test_report_due_two_months_after_feedback(world):
    issued = timezone.make_aware(datetime.datetime(2026, 12, 31, 10, 0))
    rw = setup(world, issued=issued)
    plan = services.plan_create(actor=rw.liaison, feedback=rw.feedback)
    assert plan.feedback_on == datetime.date(2026, 12, 31)
    assert plan.report_due == datetime.date(2027, 2, 28)


def test_unissued_feedback_cannot_start_a_plan(world):
    rw = setup(world)
    rw.feedback.issued_at = None
    with pytest.raises(ValidationError, match="尚未印发"):
        services.plan_create(actor=rw.office, feedback=rw.feedback)


def test_only_one_plan_per_feedback(world):
    rw = setup(world)
    services.plan_create(actor=rw.liaison, feedback=rw.feedback)
    with pytest.raises(ValidationError, match="已有整改方案"):
        services.plan_create(actor=rw.liaison, feedback=rw.feedback)


def test_measure_only_against_own_confirmed_problems(world):
    from .factories import make_problem

    rw = setup(world)
    plan = services.plan_create(actor=rw.liaison, feedback=rw.feedback)
    draft = make_problem(rw.inspection, rw.unit, "底稿", status="draft")
    data = {"kind": "correct", "content": "纠正", "responsible": "张三",
            "deadline": timezone.localdate() + datetime.timedelta(days=30)}
    with pytest.raises(ValidationError) as error:
        services.task_create(actor=rw.liaison, plan=plan, problem=draft, data=data)
    assert "已确认" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.task_create(actor=rw.liaison, plan=plan, problem=rw.problems[0],
                             data={**data, "kind": "", "deadline": datetime.date(2000, 1, 1), "responsible": " "})
    assert set(error.value.message_dict) == {"kind", "deadline", "responsible"}


def test_gate_one_submit_approve_starts_every_task(world):
    rw = setup(world)
    plan = plan_with_tasks(rw, kinds=("correct", "rules"))
    # The liaison may not approve its own plan; the office may.
    services.plan_submit(actor=rw.liaison, plan=plan, opinion="请审批。")
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=rw.liaison, plan=plan)
    services.plan_approve(actor=rw.office, plan=plan, opinion="同意。")
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.decided_by == rw.office
    tasks = RectificationTask.objects.filter(plan=plan)
    assert tasks.count() == 4 and set(tasks.values_list("status", flat=True)) == {"progress"}
    actions = list(GateLog.objects.filter(plan=plan).values_list("action", flat=True))
    assert actions[:2] == ["plan_submit", "plan_approve"] and actions.count("start") == 4
    # Once submitted the measures are frozen for the unit.
    with pytest.raises(ValidationError, match="已提交"):
        services.task_update(actor=rw.liaison, task=tasks.first(), data={"content": "换个说法"})


def test_gate_one_return_needs_reasons_and_allows_resubmission(world):
    rw = setup(world)
    plan = plan_with_tasks(rw)
    services.plan_submit(actor=rw.liaison, plan=plan)
    with pytest.raises(ValidationError, match="退回理由"):
        services.plan_return(actor=rw.office, plan=plan, reason="  ")
    services.plan_return(actor=rw.office, plan=plan, reason="措施过于笼统，请细化到具体事项。")
    plan.refresh_from_db()
    assert plan.status == "returned" and "细化" in plan.return_reason
    task = RectificationTask.objects.filter(plan=plan).first()
    services.task_update(actor=rw.liaison, task=task, data={"content": "逐项细化的措施"})
    services.plan_submit(actor=rw.liaison, plan=plan)
    plan.refresh_from_db()
    assert plan.status == "submitted" and plan.return_reason == ""
    assert list(GateLog.objects.filter(plan=plan).values_list("action", flat=True)) == [
        "plan_submit", "plan_return", "plan_submit"]


def test_other_county_office_cannot_approve(world):
    rw = setup(world)
    plan = plan_with_tasks(rw)
    services.plan_submit(actor=rw.liaison, plan=plan)
    with pytest.raises(ScopeViolation):
        services.plan_approve(actor=world.users["office_b"], plan=plan)
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_no_evidence_no_acceptance(world):
    rw = setup(world, problems=1)
    approved_plan(rw)
    task = RectificationTask.objects.get(plan__unit=rw.unit)
    with pytest.raises(ValidationError, match="没有任何佐证材料"):
        services.task_apply(actor=rw.liaison, task=task)
    # A progress report without files is still no evidence.
    services.task_report_progress(actor=rw.liaison, task=task, month=timezone.localdate(), content="正在整改。",
                                  percent=50)
    with pytest.raises(ValidationError, match="没有任何佐证材料"):
        services.task_apply(actor=rw.liaison, task=task)
    with_evidence(task, rw.liaison)
    services.task_apply(actor=rw.liaison, task=task, opinion="已完成。")
    task.refresh_from_db()
    assert task.status == "review"


def test_acceptance_by_the_supervisor_only(world):
    rw = setup(world, problems=1)
    approved_plan(rw)
    task = with_evidence(RectificationTask.objects.get(plan__unit=rw.unit), rw.liaison)
    services.task_apply(actor=rw.liaison, task=task)
    for user in (rw.liaison, rw.office):
        with pytest.raises(PermissionDenied):
            services.task_accept(actor=user, task=task)
    services.task_accept(actor=rw.supervisor, task=task, opinion="佐证齐全。")
    task.refresh_from_db()
    assert task.status == "accepted" and task.closed_at is not None


def test_supervisor_of_other_county_cannot_accept(world):
    from xuncha.core.testing.world import make_user

    rw = setup(world, problems=1)
    approved_plan(rw)
    task = with_evidence(RectificationTask.objects.get(plan__unit=rw.unit), rw.liaison)
    services.task_apply(actor=rw.liaison, task=task)
    stranger = make_user("supervisor_other", ("supervisor", world.county_b))
    with pytest.raises(ScopeViolation):
        services.task_accept(actor=stranger, task=task)


def test_send_back_returns_to_progress_with_reasons(world):
    rw = setup(world, problems=1)
    approved_plan(rw)
    task = with_evidence(RectificationTask.objects.get(plan__unit=rw.unit), rw.liaison)
    services.task_apply(actor=rw.liaison, task=task)
    with pytest.raises(ValidationError, match="退回理由"):
        services.task_send_back(actor=rw.supervisor, task=task, reason="")
    services.task_send_back(actor=rw.supervisor, task=task, reason="佐证材料不能证明已整改到位。")
    task.refresh_from_db()
    assert task.status == "progress"
    row = GateLog.objects.filter(task=task).last()
    assert row.action == "send_back" and row.from_status == "review" and row.to_status == "progress"
    assert "不能证明" in row.opinion and row.username == rw.supervisor.username


def test_kind_specific_records_before_acceptance(world):
    rw = setup(world, problems=1)
    approved_plan(rw, kinds=("accountability", "rules"))
    accountability = RectificationTask.objects.get(kind="accountability", plan__unit=rw.unit)
    rules = RectificationTask.objects.get(kind="rules", plan__unit=rw.unit)
    for task in (accountability, rules):
        with_evidence(task, rw.liaison)
    with pytest.raises(ValidationError, match="被问责人员和处理方式"):
        services.task_apply(actor=rw.liaison, task=accountability)
    with pytest.raises(ValidationError, match="制度名称"):
        services.task_apply(actor=rw.liaison, task=rules)
    services.task_update(actor=rw.liaison, task=accountability, data={
        "accountable_persons": "李某（办公室主任）", "accountability_method": "admonish",
        "accountability_detail": "对其进行诫勉谈话"})
    services.task_update(actor=rw.liaison, task=rules, data={"rule_name": "公务接待管理办法",
                                                             "rule_document": upload("公务接待管理办法.pdf", b"rule text")})
    services.task_apply(actor=rw.liaison, task=accountability)
    services.task_apply(actor=rw.liaison, task=rules)
    rules.refresh_from_db()
    assert rules.rule_document.original_name == "公务接待管理办法.pdf"


def test_progress_is_monthly_and_only_while_in_progress(world):
    rw = setup(world, problems=1)
    plan = plan_with_tasks(rw)
    task = RectificationTask.objects.get(plan=plan)
    with pytest.raises(ValidationError, match="推进中的任务"):
        services.task_report_progress(actor=rw.liaison, task=task, month=timezone.localdate(), content="x")
    services.plan_submit(actor=rw.liaison, plan=plan)
    services.plan_approve(actor=rw.office, plan=plan)
    month = timezone.localdate()
    first = services.task_report_progress(actor=rw.liaison, task=task, month=month, content="一", percent=30,
                                          uploads=[upload("a.pdf", b"a")])
    second = services.task_report_progress(actor=rw.liaison, task=task, month=month, content="二", percent=60,
                                           uploads=[upload("b.pdf", b"b")])
    assert first.pk == second.pk and second.evidence.count() == 2 and second.percent == 60
    with pytest.raises(ValidationError, match="未来月份"):
        services.task_report_progress(actor=rw.liaison, task=task, month=month + datetime.timedelta(days=40),
                                      content="x")
    with pytest.raises(ValidationError, match="0 到 100"):
        services.task_report_progress(actor=rw.liaison, task=task, month=month, content="x", percent=120)


def test_gate_log_is_append_only_and_changes_are_in_the_change_log(world):
    rw = setup(world, problems=1)
    plan = approved_plan(rw)
    row = GateLog.objects.filter(plan=plan).first()
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        GateLog.objects.filter(plan=plan).update(opinion="改")
    with pytest.raises(AppendOnlyError):
        GateLog.objects.filter(plan=plan).delete()
    change = ChangeLog.objects.filter(object_id=str(plan.pk), content_type__model="rectificationplan",
                                      action="update").order_by("id").last()
    assert change.before["status"] == "submitted" and change.after["status"] == "approved"
