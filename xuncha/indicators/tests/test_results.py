"""Recording results per inspection: the group of the inspection records and sees; another group,
the other county's office and the unit's liaison see nothing; pages and API keep constant queries."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xuncha.core.models import ChangeLog
from xuncha.core.testing.resources import covers
from xuncha.indicators import selectors, services
from xuncha.indicators.models import DecisionCheck, DecisionItem, IndicatorResult, InspectionChecklist

from .factories import builtin, field, leaf

pytestmark = pytest.mark.django_db
covers("indicators:inspection_checklist", "indicators:inspection_checklist_bind", "indicators:inspection_result_record",
       "indicators:inspection_results_export", "indicators:inspection_decisions",
       "indicators:inspection_decision_record", "indicators:indicatorresult_detail", "indicators:indicatorresult_file",
       "indicators:decisioncheck_detail", "indicators:decisioncheck_file")


def _record(client, inspection, unit, indicator, result, **extra):
    return client.post(reverse("indicators:inspection_result_record", args=[inspection.pk]),
                       {"unit": unit.pk, "indicator": indicator.pk, "result": result, **extra}, HTTP_HX_REQUEST="true")


def test_group_records_results_with_the_quick_buttons(world, login):
    f = field(world)
    client = login(f.member)
    page = client.get(reverse("indicators:inspection_checklist", args=[f.inspection.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "机关部门巡察指标模板（按单位类别）" in body and "0 / 39" in body
    item = leaf(builtin(), "2.2.1")
    response = _record(client, f.inspection, world.unit_a, item, "problem")
    assert response.status_code == 200
    row = response.content.decode()
    assert f'id="ind-{item.pk}"' in row and "btn-danger" in row and "请填写情况说明" in row
    assert f'id="progress-{world.unit_a.pk}" hx-swap-oob="true">1 / 39<' in row
    result = IndicatorResult.objects.get(inspection=f.inspection, unit=world.unit_a, indicator=item)
    assert result.result == "problem" and result.authority == world.county_a and result.created_by == f.member
    response = _record(client, f.inspection, world.unit_a, item, "", notes="抽查2025年公务接待，3批次无公函。")
    result.refresh_from_db()
    assert result.result == "problem" and result.notes == "抽查2025年公务接待，3批次无公函。"
    assert ChangeLog.objects.filter(object_id=str(result.pk), content_type__model="indicatorresult").count() == 2
    assert InspectionChecklist.objects.get(inspection=f.inspection).indicator_set == builtin()
    # The village gets the village template, and progress counts per unit.
    body = client.get(reverse("indicators:inspection_checklist", args=[f.inspection.pk]),
                      {"unit": f.township.pk}).content.decode()
    assert "村（社区）巡察指标模板（按单位类别）" in body and "1 / 39" in body and "0 / 18" in body
    assert "农村集体“三资”管理情况" in body and "党的领导融入公司治理情况" not in body


def test_results_are_checked_against_the_inspection(world):
    f = field(world)
    s = builtin()
    with pytest.raises(ValidationError, match="不是本次巡察的对象"):
        services.result_record(actor=f.leader, inspection=f.inspection, unit=world.unit_b,
                               indicator=leaf(s, "1.1.1"), result="compliant")
    with pytest.raises(ValidationError, match="不是三级指标"):
        services.result_record(actor=f.leader, inspection=f.inspection, unit=world.unit_a,
                               indicator=leaf(s, "1.1"), result="compliant")
    with pytest.raises(ValidationError, match="检查结果应为"):
        services.result_record(actor=f.leader, inspection=f.inspection, unit=world.unit_a,
                               indicator=leaf(s, "1.1.1"), result="maybe")
    assert not IndicatorResult.all_objects.exists()


def test_recording_needs_the_group_on_site(world):
    from xuncha.planning.tests.factories import started

    f = field(world)
    _, waiting = started(f.pw.a, [f.pw.a.units[2]], number=3, stage="prepare")
    with pytest.raises(ValidationError, match="巡察组进驻后才能记录检查结果"):
        services.result_record(actor=world.users["office_a"], inspection=waiting, unit=f.pw.a.units[2],
                               indicator=leaf(builtin(), "1.1.1"), result="compliant")
    assert not IndicatorResult.all_objects.exists()


def test_other_group_other_county_and_liaison_see_nothing(world, login):
    f = field(world)
    item = leaf(builtin(), "1.1.1")
    mine = services.result_record(actor=f.leader, inspection=f.inspection, unit=world.unit_a, indicator=item,
                                  result="compliant")
    url = reverse("indicators:inspection_checklist", args=[f.inspection.pk])
    detail = reverse("indicators:indicatorresult_detail", args=[mine.pk])
    for username, user, code in (("other group", f.other_leader, 404), ("group B", f.leader_b, 404),
                                 ("office B", world.users["office_b"], 404), ("liaison", world.users["liaison_a"], 403)):
        client = login(user)
        assert client.get(url).status_code == code, username
        assert client.get(detail).status_code == code, username
        assert _record(client, f.inspection, world.unit_a, item, "problem").status_code == code, username
        api = client.get(reverse("api:indicatorresult-list")).json() if code == 404 else None
        if api is not None:
            assert api["count"] == 0, username
    mine.refresh_from_db()
    assert mine.result == "compliant"
    # The other group sees its own inspection's checklist, not ours.
    assert login(f.other_leader).get(reverse("indicators:inspection_checklist", args=[f.other.pk])).status_code == 200
    # The office of the county and the leader read; the leader cannot record.
    assert login(world.users["office_a"]).get(url).status_code == 200
    leader = login(world.users["leader_a"])
    assert leader.get(url).status_code == 200
    assert _record(leader, f.inspection, world.unit_a, item, "problem").status_code == 403


def test_checklist_page_query_count_is_constant(world, login):
    f = field(world)
    client = login(f.leader)
    url = reverse("indicators:inspection_checklist", args=[f.inspection.pk])
    s = builtin()
    items = list(s.templates.get(kind="organ").items.order_by("order"))
    services.result_record(actor=f.leader, inspection=f.inspection, unit=world.unit_a, indicator=items[0],
                           result="compliant")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for item in items[1:25]:
        services.result_record(actor=f.leader, inspection=f.inspection, unit=world.unit_a, indicator=item,
                               result="problem", notes="问题。")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    client.get(reverse("api:indicatorresult-list"))  # warm the first-call caches
    with CaptureQueriesContext(connection) as api_many:
        assert client.get(reverse("api:indicatorresult-list")).json()["count"] == 25
    for item in items[25:]:
        services.result_record(actor=f.leader, inspection=f.inspection, unit=world.unit_a, indicator=item,
                               result="compliant")
    with CaptureQueriesContext(connection) as api_more:
        assert client.get(reverse("api:indicatorresult-list")).json()["count"] == len(items)
    assert len(api_more.captured_queries) == len(api_many.captured_queries)


def test_evidence_upload_download_and_remove(world, login):
    f = field(world)
    result = services.result_record(actor=f.leader, inspection=f.inspection, unit=world.unit_a,
                                    indicator=leaf(builtin(), "2.3.1"), result="problem", notes="账实不符。")
    client = login(f.member)
    url = reverse("indicators:indicatorresult_detail", args=[result.pk])
    response = client.post(url, {"action": "upload", "file": SimpleUploadedFile("会计凭证.pdf", b"%PDF-1.4 evidence")})
    assert response.status_code == 302
    stored = result.evidence_files.get()
    assert stored.original_name == "会计凭证.pdf"
    body = client.get(url).content.decode()
    assert "会计凭证.pdf" in body
    download = client.get(reverse("indicators:indicatorresult_file", args=[result.pk]), {"file": stored.pk})
    assert download.status_code == 200 and download.content == b"%PDF-1.4 evidence"
    assert client.get(reverse("indicators:indicatorresult_file", args=[result.pk]), {"file": 999999}).status_code == 404
    # Another group cannot download it.
    assert login(f.other_leader).get(reverse("indicators:indicatorresult_file", args=[result.pk]),
                                     {"file": stored.pk}).status_code == 404
    client = login(f.member)
    response = client.post(url, {"action": "upload", "file": SimpleUploadedFile("空.pdf", b"")})
    assert "提交的是空文件" in response.content.decode()
    client.post(url, {"action": "remove", "file": stored.pk})
    assert not result.evidence_files.exists()
    client.post(url, {"action": "notes", "notes": "账实不符，差额 2.3 万元。"})
    result.refresh_from_db()
    assert result.notes == "账实不符，差额 2.3 万元。" and result.result == "problem"


def test_binding_can_change_only_before_results(world, login):
    f = field(world)
    office = world.users["office_a"]
    from .factories import draft_copy

    own = draft_copy(world, "a")
    services.indicatorset_publish(actor=office, instance=own)
    client = login(f.leader)
    response = client.post(reverse("indicators:inspection_checklist_bind", args=[f.inspection.pk]),
                           {"indicator_set": builtin().pk})
    assert response.status_code == 302
    assert InspectionChecklist.objects.get(inspection=f.inspection).indicator_set == builtin()
    services.result_record(actor=f.leader, inspection=f.inspection, unit=world.unit_a,
                           indicator=leaf(builtin(), "1.1.1"), result="compliant")
    client.post(reverse("indicators:inspection_checklist_bind", args=[f.inspection.pk]), {"indicator_set": own.pk})
    assert InspectionChecklist.objects.get(inspection=f.inspection).indicator_set == builtin()
    with pytest.raises(ValidationError, match="不能更换"):
        services.checklist_bind(actor=f.leader, inspection=f.inspection, indicator_set=own)


def test_problem_areas_group_problems_by_level_one(world):
    f = field(world)
    s = builtin()
    for code, value in (("3.1.1", "problem"), ("2.2.1", "problem"), ("2.3.1", "problem"), ("1.1.1", "compliant")):
        services.result_record(actor=f.leader, inspection=f.inspection, unit=world.unit_a, indicator=leaf(s, code),
                               result=value, notes="说明。")
    services.result_record(actor=f.other_leader, inspection=f.other, unit=f.pw.a.units[1], indicator=leaf(s, "1.1.2"),
                           result="problem", notes="另一组。")
    areas = selectors.problem_areas(f.inspection)
    assert [a.area.code for a in areas] == ["2", "3"]
    assert [r.indicator.code for r in areas[0].results] == ["2.2.1", "2.3.1"]
    assert selectors.problem_areas(f.inspection, user=f.other_leader) == []
    assert [a.area.code for a in selectors.problem_areas(f.inspection, user=f.member)] == ["2", "3"]


def test_results_export_is_the_groups_ledger(world, login):
    import io

    from openpyxl import load_workbook

    f = field(world)
    services.result_record(actor=f.leader, inspection=f.inspection, unit=world.unit_a,
                           indicator=leaf(builtin(), "2.2.1"), result="problem", notes="超标准接待。")
    response = login(f.leader).get(reverse("indicators:inspection_results_export", args=[f.inspection.pk]))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:5] == ("青阳县教育局", "落实全面从严治党战略部署情况", "2.2.1", "公务接待、公务用车和办公用房管理情况", "存在问题")
    assert login(f.member).get(reverse("indicators:inspection_results_export",
                                       args=[f.inspection.pk])).status_code == 403  # members do not export
    assert login(f.other_leader).get(reverse("indicators:inspection_results_export",
                                             args=[f.inspection.pk])).status_code == 404


def test_decision_checklist(world, login):
    f = field(world)
    client = login(f.member)
    url = reverse("indicators:inspection_decisions", args=[f.inspection.pk])
    body = client.get(url, {"unit": f.township.pk}).content.decode()
    assert "市委关于规范农村集体“三资”管理的工作部署" in body  # applies to villages
    assert "深化国有企业改革" not in body  # SOEs only
    decision = DecisionItem.objects.get(title__contains="规范农村集体")
    response = client.post(reverse("indicators:inspection_decision_record", args=[f.inspection.pk]), {
        "unit": f.township.pk, "decision": decision.pk, "status": "partial", "notes": "清产核资尚未完成。"})
    assert response.status_code == 302
    check = DecisionCheck.objects.get(inspection=f.inspection, unit=f.township, decision=decision)
    assert check.status == "partial" and check.notes == "清产核资尚未完成。" and check.authority == world.county_a
    response = client.post(reverse("indicators:inspection_decision_record", args=[f.inspection.pk]), {
        "unit": f.township.pk, "decision": decision.pk, "status": "bogus"})
    check.refresh_from_db()
    assert check.status == "partial"
    detail = reverse("indicators:decisioncheck_detail", args=[check.pk])
    assert client.post(detail, {"file": SimpleUploadedFile("清产核资台账.xlsx", b"ledger")}).status_code == 302
    stored = check.evidence_files.get()
    assert client.get(reverse("indicators:decisioncheck_file", args=[check.pk]), {"file": stored.pk}).content == b"ledger"
    for user in (f.other_leader, f.leader_b, world.users["office_b"]):
        other = login(user)
        assert other.get(url).status_code == 404
        assert other.get(detail).status_code == 404
        assert other.get(reverse("indicators:decisioncheck_file", args=[check.pk]), {"file": stored.pk}).status_code == 404
    assert login(world.users["liaison_a"]).get(detail).status_code == 403


def test_api_results_for_the_group(world, login):
    f = field(world)
    client = login(f.member)
    item = leaf(builtin(), "1.1.1")
    response = client.post(reverse("api:indicatorresult-list"), {
        "inspection": f.inspection.pk, "unit": world.unit_a.pk, "indicator": item.pk, "result": "compliant"},
        content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.patch(reverse("api:indicatorresult-detail", args=[pk]), {"result": "problem", "notes": "问题。"},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["result_label"] == "存在问题"
    response = client.post(reverse("api:indicatorresult-list"), {
        "inspection": f.inspection.pk, "unit": world.unit_b.pk, "indicator": item.pk, "result": "compliant"},
        content_type="application/json")
    assert response.status_code == 400  # county B's unit is no target (and not even visible)
    other = login(f.other_leader)
    assert other.get(reverse("api:indicatorresult-detail", args=[pk])).status_code == 404
    assert other.patch(reverse("api:indicatorresult-detail", args=[pk]), {"result": "compliant"},
                       content_type="application/json").status_code == 404
    assert other.post(reverse("api:indicatorresult-list"), {
        "inspection": f.inspection.pk, "unit": world.unit_a.pk, "indicator": item.pk, "result": "compliant"},
        content_type="application/json").status_code == 404
    decision = DecisionItem.objects.filter(kinds=[]).first()
    client = login(f.member)
    response = client.post(reverse("api:decisioncheck-list"), {
        "inspection": f.inspection.pk, "unit": world.unit_a.pk, "decision": decision.pk, "status": "done"},
        content_type="application/json")
    assert response.status_code == 201, response.content
    assert client.get(reverse("api:decisioncheck-list")).json()["count"] == 1
    assert login(world.users["liaison_a"]).get(reverse("api:decisioncheck-list")).status_code == 403
