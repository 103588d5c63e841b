"""The stage machine of an inspection, the start of a round, and the rules of dates: what is allowed,
what is refused and why (in Chinese), and the append-only transition log."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from xuncha.core.models import AppendOnlyError, ChangeLog
from xuncha.core.services import ScopeViolation
from xuncha.planning import services
from xuncha.planning.models import Inspection, StageTransition

from .factories import D, advance, dates, group_user, make_inspection, make_round, started

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError) -> str:
    return "；".join(error.messages)


def test_a_round_cannot_start_without_groups_and_targets(pw):
    rnd = make_round(pw.a)
    with pytest.raises(ValidationError) as refused:
        services.round_start(actor=pw.a.actor, round=rnd)
    assert "本轮尚未设置巡察组，不能启动。" in refused.value.messages
    group = services.group_create(actor=pw.a.actor, round=rnd)
    assert group.name == "第一巡察组" and group.full_name.startswith("青阳县2026年第一轮巡察")
    with pytest.raises(ValidationError) as refused:
        services.round_start(actor=pw.a.actor, round=rnd)
    assert "「第一巡察组」尚未确定巡察对象，不能启动。" in refused.value.messages
    services.inspection_create(actor=pw.a.actor, round=rnd, data={
        "group": group, "targets": [pw.world.unit_a], **dates(rnd.start_date, rnd.end_date)})
    services.round_start(actor=pw.a.actor, round=rnd)
    rnd.refresh_from_db()
    assert rnd.status == "started"
    assert ChangeLog.objects.filter(object_id=str(rnd.pk), content_type__model="round", action="update").exists()


def test_stages_move_one_step_at_a_time_with_a_log_row_each(pw):
    rnd = make_round(pw.a)
    inspection = make_inspection(pw.a, rnd, [pw.world.unit_a])
    with pytest.raises(ValidationError) as refused:
        services.inspection_advance(actor=pw.a.actor, inspection=inspection, to_stage="stationed")
    assert "尚未启动：须先设置巡察组和巡察对象，并启动本轮" in messages_of(refused.value)
    services.round_start(actor=pw.a.actor, round=rnd)
    with pytest.raises(ValidationError) as refused:
        services.inspection_advance(actor=pw.a.actor, inspection=inspection, to_stage="report")
    assert refused.value.messages == ["不能从「准备」转入「报告」。当前阶段可转入：「进驻」。"]
    row = services.inspection_advance(actor=pw.a.actor, inspection=inspection, to_stage="stationed",
                                      opinion="动员会已召开。")
    assert (row.from_stage, row.to_stage, row.opinion, row.username) == ("prepare", "stationed", "动员会已召开。",
                                                                         "office_a")
    assert row.created_at <= timezone.now()
    advance(inspection, pw.a.actor, "archived")
    assert inspection.stage == "archived"
    log = list(StageTransition.objects.filter(inspection=inspection).values_list("to_stage", flat=True))
    assert log == ["stationed", "understand", "report", "feedback", "transfer", "rectify", "archived"]
    with pytest.raises(ValidationError):
        services.inspection_advance(actor=pw.a.actor, inspection=inspection, to_stage="prepare")


def test_the_log_is_append_only_and_the_stage_field_protected(pw):
    _, inspection = started(pw.a, [pw.world.unit_a], stage="stationed")
    row = StageTransition.objects.filter(inspection=inspection).first()
    row.opinion = "改写"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        StageTransition.objects.filter(pk=row.pk).update(opinion="改写")
    with pytest.raises(AppendOnlyError):
        StageTransition.objects.filter(pk=row.pk).delete()
    with pytest.raises(AttributeError):
        inspection.stage = "archived"  # only a transition moves it


def test_sending_a_report_back_needs_an_opinion(pw):
    _, inspection = started(pw.a, [pw.world.unit_a], stage="report")
    with pytest.raises(ValidationError) as refused:
        services.inspection_advance(actor=pw.a.actor, inspection=inspection, to_stage="understand")
    assert "「退回补充了解」须填写意见，说明退回的理由。" in refused.value.messages
    services.inspection_advance(actor=pw.a.actor, inspection=inspection, to_stage="understand", opinion="谈话不够。")
    inspection.refresh_from_db()
    assert inspection.stage == "understand"


def test_the_group_leader_submits_the_report_and_nothing_else(pw):
    _, inspection = started(pw.a, [pw.world.unit_a], stage="stationed")
    leader = group_user("leader_g1", "group_leader", inspection.group)
    with pytest.raises(PermissionDenied) as refused:
        services.inspection_advance(actor=leader, inspection=inspection, to_stage="understand")
    assert "您没有「转入了解阶段」的权限。" in str(refused.value)
    advance(inspection, pw.a.actor, "understand")
    services.inspection_advance(actor=leader, inspection=inspection, to_stage="report", opinion="报告已报送。")
    inspection.refresh_from_db()
    assert inspection.stage == "report"
    # Another group's leader cannot even reach it.
    _, other = started(pw.a, [pw.a.units[1]], number=2, start=D(2026, 9, 1), end=D(2026, 10, 30), stage="understand")
    with pytest.raises(ScopeViolation):
        services.inspection_advance(actor=leader, inspection=other, to_stage="report")


def test_feedback_of_a_joint_round_waits_for_the_unified_review(pw):
    joint = services.jointround_create(actor=pw.city.actor, data={
        "authority": pw.world.city, "year": 2026, "title": "教育系统上下联动", "system": "education",
        "plan_text": "统一方案", "training_date": D(2026, 2, 20), "mobilisation_date": D(2026, 3, 2)})
    city_round = make_round(pw.city, kind="joint")
    county_round = make_round(pw.a, kind="joint")
    city_inspection = make_inspection(pw.city, city_round, [pw.city.units[1]])
    county_inspection = make_inspection(pw.a, county_round, [pw.world.unit_a])
    services.jointround_link(actor=pw.city.actor, joint=joint, round=city_round)
    services.jointround_link(actor=pw.city.actor, joint=joint, round=county_round)
    county_round.refresh_from_db()
    assert county_round.training_date == D(2026, 2, 20)  # one training session for all
    for side, rnd in ((pw.city, city_round), (pw.a, county_round)):
        services.round_start(actor=side.actor, round=rnd)
    advance(city_inspection, pw.city.actor, "report")
    advance(county_inspection, pw.a.actor, "understand")
    with pytest.raises(ValidationError) as refused:
        services.jointround_review(actor=pw.city.actor, joint=joint, opinion="同意")
    assert "尚有 1 个巡察组未提交巡察报告（「青阳县·第一巡察组」），不能统一把关。" in refused.value.messages
    advance(county_inspection, pw.a.actor, "report")
    with pytest.raises(ValidationError) as refused:
        services.inspection_advance(actor=pw.a.actor, inspection=county_inspection, to_stage="feedback")
    assert "须待牵头巡察机构对各组报告统一把关后才能反馈" in messages_of(refused.value)
    with pytest.raises(PermissionDenied):  # the county office cannot review the city's joint round
        services.jointround_review(actor=pw.a.actor, joint=joint, opinion="同意")
    services.jointround_review(actor=pw.city.actor, joint=joint, opinion="两份报告均按统一标准审核。")
    services.inspection_advance(actor=pw.a.actor, inspection=county_inspection, to_stage="feedback")


def test_archiving_waits_for_the_horizontal_checks(pw, login):
    _, inspection = started(pw.a, [pw.world.unit_a], stage="rectify")
    check = services.check_create(actor=pw.a.actor, inspection=inspection, data={
        "kind": "audit", "department": "审计局", "unit": pw.world.unit_a, "subject": "局长任期经济责任",
        "planned_start": D(2026, 3, 10), "planned_end": D(2026, 4, 30)})
    with pytest.raises(ValidationError) as refused:
        services.inspection_advance(actor=pw.a.actor, inspection=inspection, to_stage="archived")
    assert refused.value.messages == ["「经济责任审计（审计局）」尚未登记结果，不能归档。"]
    client = login(pw.a.actor)
    page = client.get(reverse("planning:inspection_detail", args=[inspection.pk])).content.decode()
    assert "尚未登记结果，不能归档" in page and "disabled" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("planning:horizontalcheck_result", args=[check.pk]), {
        "result_summary": "发现问题 3 个。", "completed_on": "2026-05-10",
        "file": SimpleUploadedFile("审计报告.txt", "审计发现问题 3 个".encode(), content_type="text/plain")})
    assert response.status_code == 302
    download = client.get(reverse("planning:horizontalcheck_file", args=[check.pk]))
    assert download.status_code == 200 and download.content == "审计发现问题 3 个".encode()
    services.inspection_advance(actor=pw.a.actor, inspection=inspection, to_stage="archived")


@pytest.mark.parametrize("changes,field,message", [
    ({"report_date": D(2026, 3, 1)}, "report_date", "「报告」日期不能早于「了解」日期（2026年3月4日）。"),
    ({"stationed_date": D(2026, 6, 1), "understand_date": D(2026, 6, 2)}, "stationed_date",
     "「进驻（动员会）」日期应在本轮进驻期间（2026年3月2日至2026年5月29日）内。"),
])
def test_inconsistent_stage_dates_are_refused(pw, changes, field, message):
    rnd = make_round(pw.a)
    group = services.group_create(actor=pw.a.actor, round=rnd)
    data = {"group": group, "targets": [pw.world.unit_a], **dates(rnd.start_date, rnd.end_date), **changes}
    with pytest.raises(ValidationError) as refused:
        services.inspection_create(actor=pw.a.actor, round=rnd, data=data)
    assert refused.value.message_dict[field] == [message]
    assert not Inspection.objects.filter(round=rnd).exists()


@pytest.mark.parametrize("start,end,training,field,message", [
    (D(2026, 5, 1), D(2026, 4, 1), None, "end_date", "「进驻结束日期」不能早于「进驻开始日期」（2026年5月1日）。"),
    (D(2027, 1, 5), D(2027, 3, 1), None, "start_date", "「进驻开始日期」应在 2026 年内（所属年度计划为 2026 年度）。"),
    (D(2026, 5, 1), D(2026, 6, 1), D(2026, 5, 2), "training_date", "「培训日期」应不晚于「进驻开始日期」"),
])
def test_inconsistent_round_dates_are_refused(pw, start, end, training, field, message):
    with pytest.raises(ValidationError) as refused:
        services.round_create(actor=pw.a.actor, annual_plan=pw.a.annual, data={
            "number": 1, "kind": "regular", "start_date": start, "end_date": end, "training_date": training})
    assert message in refused.value.message_dict[field][0]


def test_targets_must_belong_to_the_authority_and_a_round_once(pw):
    rnd = make_round(pw.city)
    make_inspection(pw.city, rnd, [pw.world.unit_city])
    group = services.group_create(actor=pw.city.actor, round=rnd)
    with pytest.raises(ValidationError) as refused:
        services.inspection_create(actor=pw.city.actor, round=rnd, data={
            "group": group, "targets": [pw.world.unit_city, pw.world.unit_a], **dates(rnd.start_date, rnd.end_date)})
    errors = refused.value.message_dict["targets"]
    assert "「江城市财政局」已是本轮「第一巡察组」的巡察对象。" in errors
    assert any("「青阳县教育局」是青阳县管理的单位：须先提级纳入江城市的五年规划" in e for e in errors)


def test_round_pages_show_only_the_steps_the_user_may_take(pw, login):
    rnd, inspection = started(pw.a, [pw.world.unit_a], stage="understand")
    leader = group_user("leader_g", "group_leader", inspection.group)
    client = login(leader)
    body = client.get(reverse("planning:inspection_detail", args=[inspection.pk])).content.decode()
    assert "提交巡察报告" in body and "退回补充了解" not in body and "转入整改" not in body
    assert client.get(reverse("planning:round_detail", args=[rnd.pk])).status_code == 403
    client = login(pw.a.actor)
    body = client.get(reverse("planning:round_detail", args=[rnd.pk])).content.decode()
    assert "提交巡察报告" in body
    response = client.post(reverse("planning:inspection_transition", args=[inspection.pk]),
                           {"to_stage": "feedback", "opinion": ""})
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "不能从「了解」转入「反馈」" in follow
    client = login(pw.world.users["leader_a"])  # read-only: sees no buttons, and a POST is refused
    body = client.get(reverse("planning:inspection_detail", args=[inspection.pk])).content.decode()
    assert "提交巡察报告" not in body
    assert client.post(reverse("planning:inspection_transition", args=[inspection.pk]),
                       {"to_stage": "report"}).status_code == 403


def test_round_start_through_the_page_explains_in_chinese(pw, login):
    rnd = make_round(pw.a)
    client = login(pw.a.actor)
    body = client.get(reverse("planning:round_detail", args=[rnd.pk])).content.decode()
    assert "启动本轮前须完成" in body and "本轮尚未设置巡察组" in body
    response = client.post(reverse("planning:round_start", args=[rnd.pk]), follow=True)
    assert "本轮尚未设置巡察组，不能启动。" in response.content.decode()
    client.post(reverse("planning:round_group_add", args=[rnd.pk]), {"name": ""})
    group = rnd.groups.get()
    response = client.post(reverse("planning:round_inspection_add", args=[rnd.pk]), {
        "group": group.pk, "targets": [pw.world.unit_a.pk, pw.a.units[1].pk],
        **{k: v.isoformat() for k, v in dates(rnd.start_date, rnd.end_date).items()}})
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(reverse("planning:round_start", args=[rnd.pk]), follow=True)
    assert "已启动" in response.content.decode()


def test_a_round_finishes_when_every_inspection_is_archived(pw, login):
    rnd, inspection = started(pw.a, [pw.world.unit_a], stage="rectify")
    client = login(pw.a.actor)
    body = client.post(reverse("planning:round_finish", args=[rnd.pk]), follow=True).content.decode()
    assert "尚有 1 项巡察任务未归档（「第一巡察组」），不能结束本轮。" in body
    advance(inspection, pw.a.actor, "archived")
    client.post(reverse("planning:round_finish", args=[rnd.pk]))
    rnd.refresh_from_db()
    assert rnd.status == "finished"
    with pytest.raises(ValidationError) as refused:
        services.group_create(actor=pw.a.actor, round=rnd)
    assert refused.value.messages == ["本轮已结束，不能再增加巡察组。"]


def test_other_apps_add_conditions_to_a_step(pw):
    from xuncha.planning import workflow

    _, inspection = started(pw.a, [pw.a.units[0]], stage="understand")
    condition = lambda inspection: [f"「{inspection.group.name}」尚有问题底稿未审核，不能提交报告。"]  # noqa: E731
    workflow.register_stage_condition("report", condition)
    try:
        with workflow.conditions_suspended(False), pytest.raises(ValidationError, match="尚有问题底稿未审核"):
            services.inspection_advance(actor=pw.a.actor, inspection=inspection, to_stage="report")
    finally:
        workflow._EXTRA_CONDITIONS["report"].remove(condition)
    services.inspection_advance(actor=pw.a.actor, inspection=inspection, to_stage="report")
    with pytest.raises(ValueError):
        workflow.register_stage_condition("no_such_step", condition)
