"""The report's life: generated draft, uploaded versions (docx only, validated, nothing stored on
refusal), submission by the group leader, the office's unified review (comments, return with
reasons, approval), and the stage condition: no feedback before the report is approved."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xuncha.core.models import ChangeLog, StoredFile
from xuncha.planning import services as planning_services
from xuncha.planning.tests.factories import make_inspection, make_round
from xuncha.reporting import services
from xuncha.reporting.choices import ReportStatus
from xuncha.reporting.models import InspectionReport, ReportVersion, ReviewEntry

from .factories import docx_upload

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def _advance_to_feedback(rw):
    return planning_services.inspection_advance(actor=rw.office, inspection=rw.inspection, to_stage="feedback")


def test_review_flow_from_draft_to_approval_gates_the_feedback_step(rw, login):
    with pytest.raises(ValidationError) as refused:
        _advance_to_feedback(rw)
    assert "尚未形成巡察报告" in " ".join(refused.value.messages)

    page = reverse("reporting:inspection_report", args=[rw.inspection.pk])
    member = login(rw.member)
    assert "生成报告初稿" in member.get(page).content.decode()
    member.post(reverse("reporting:inspection_report_generate", args=[rw.inspection.pk]))
    report = InspectionReport.objects.get(inspection=rw.inspection)
    assert report.status == ReportStatus.DRAFT and report.versions.count() == 1
    assert ChangeLog.objects.filter(object_id=str(report.pk), action="create").exists()
    # A member may draft but not submit.
    assert member.post(reverse("reporting:report_submit", args=[report.pk])).status_code == 403

    leader = login(rw.leader)
    response = leader.post(reverse("reporting:report_submit", args=[report.pk]), {"note": "请审阅。"}, follow=True)
    assert "已提交巡察办统一把关" in _messages(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == rw.leader
    # Frozen while under review: no upload.
    response = leader.post(reverse("reporting:report_upload", args=[report.pk]), {"file": docx_upload()}, follow=True)
    assert "不能修改" in _messages(response) and report.versions.count() == 1
    with pytest.raises(ValidationError) as refused:
        _advance_to_feedback(rw)
    assert "「待把关」" in " ".join(refused.value.messages)

    # The office reviews on the round page: a return needs reasons.
    office = login(rw.office)
    review = reverse("reporting:round_review", args=[rw.inspection.round_id])
    page_text = office.get(review).content.decode()
    assert f'id="report-{report.pk}"' in page_text and "审定通过" in page_text
    response = office.post(reverse("reporting:report_return", args=[report.pk]), {"reasons": "", "from": "review"},
                           follow=True)
    assert "退回须填写理由" in _messages(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    office.post(reverse("reporting:report_comment", args=[report.pk]), {"text": "问题定性要准确。", "from": "review"})
    office.post(reverse("reporting:report_return", args=[report.pk]), {"reasons": "第二部分事实需补充。"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert list(ReviewEntry.objects.filter(report=report).values_list("action", flat=True)) == [
        "submit", "comment", "return"]

    leader = login(rw.leader)
    response = leader.post(reverse("reporting:report_upload", args=[report.pk]),
                           {"file": docx_upload("补充事实后的报告"), "note": "按把关意见修改"}, follow=True)
    assert "第2稿" in _messages(response)
    leader.post(reverse("reporting:report_submit", args=[report.pk]))
    office = login(rw.office)
    office.post(reverse("reporting:report_approve", args=[report.pk]), {"opinion": "同意。", "from": "review"})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.approved_by == rw.office
    assert [v.number for v in report.versions.all()] == [2, 1]  # every version kept
    assert report.current.number == 2
    _advance_to_feedback(rw)
    rw.inspection.refresh_from_db()
    assert rw.inspection.stage == "feedback"


def test_the_other_county_and_other_groups_never_reach_the_report(rw, login, pw):
    from xuncha.planning.tests.factories import group_user

    report = services.report_generate(actor=rw.member, inspection=rw.inspection)
    version = report.current
    for user in (pw.world.users["office_b"], pw.world.users["liaison_a"]):
        client = login(user)
        assert client.get(reverse("reporting:inspection_report", args=[rw.inspection.pk])).status_code in (403, 404)
        assert client.get(reverse("reporting:reportversion_download", args=[version.pk])).status_code in (403, 404)
    other_group = make_inspection(pw.a, rw.inspection.round, [pw.a.units[2]], actor=pw.a.actor).group
    stranger = group_user("gl_other", "group_leader", other_group)
    client = login(stranger)
    assert client.get(reverse("reporting:inspection_report", args=[rw.inspection.pk])).status_code == 404
    assert client.get(reverse("reporting:reportversion_download", args=[version.pk])).status_code == 404
    # The city office sees the county's report (its region and below) and may review it.
    city = login(pw.city.actor)
    assert city.get(reverse("reporting:reportversion_download", args=[version.pk])).status_code == 200


@pytest.mark.parametrize("name, content, message", [
    ("报告.txt", "纯文本".encode(), "只能上传 Word 文档（.docx 格式）"),
    ("报告.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, "不支持旧版 Word（.doc）"),
    ("报告.docx", b"this is not a zip at all", "文件已损坏或不是有效的 Word 文档"),
    ("报告.docx", b"PK\x03\x04" + b"\x00" * 60, "文件已损坏或不是有效的 Word 文档"),
])
def test_upload_refuses_what_is_not_a_docx_and_stores_nothing(rw, login, name, content, message):
    report = services.report_generate(actor=rw.member, inspection=rw.inspection)
    stored_before, versions_before = StoredFile.objects.count(), ReportVersion.objects.count()
    client = login(rw.member)
    response = client.post(reverse("reporting:report_upload", args=[report.pk]),
                           {"file": SimpleUploadedFile(name, content), "note": "坏文件"}, follow=True)
    assert message in _messages(response)
    assert StoredFile.objects.count() == stored_before and ReportVersion.objects.count() == versions_before
    report.refresh_from_db()
    assert report.current.number == 1


def test_a_zip_without_a_word_document_is_refused_and_identical_uploads_are_stored_once(rw):
    import io
    import zipfile

    report = services.report_generate(actor=rw.member, inspection=rw.inspection)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "不是 Word")
    with pytest.raises(ValidationError) as refused:
        services.report_upload(actor=rw.member, report=report, upload=SimpleUploadedFile("伪装.docx", buffer.getvalue()))
    assert "file" in refused.value.message_dict
    data = docx_upload("同一份").read()
    first = services.report_upload(actor=rw.member, report=report, upload=SimpleUploadedFile("甲.docx", data))
    second = services.report_upload(actor=rw.member, report=report, upload=SimpleUploadedFile("乙.docx", data))
    assert first.number == 2 and second.number == 3 and first.file_id == second.file_id  # by SHA-256


def test_submit_needs_the_report_stage_and_a_document(pw):
    from xuncha.planning.tests.factories import group_user, started

    _, inspection = started(pw.b, [pw.world.unit_b], stage="understand")
    member = group_user("m_b", "group_member", inspection.group)
    leader = group_user("l_b", "group_leader", inspection.group)
    report = services.report_generate(actor=member, inspection=inspection)
    with pytest.raises(ValidationError) as refused:
        services.report_submit(actor=leader, report=report)
    assert "须先将巡察任务转入「报告」阶段" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        services.report_approve(actor=pw.b.actor, report=report)  # not submitted


def test_report_list_and_review_pages_run_a_constant_number_of_queries(pw, login):
    office = pw.a.actor
    rnd = make_round(pw.a, number=2)

    def add_report(index):
        from xuncha.core.testing.world import make_unit

        unit = make_unit(f"青阳县测试单位{index}", pw.world.county_a)
        inspection = make_inspection(pw.a, rnd, [unit], group_name=f"第{index}组")
        report = InspectionReport.objects.create(inspection=inspection, title=f"报告{index}")
        ReviewEntry.objects.create(report=report, action="comment", text="意见", username="x")
        return report

    add_report(1)
    client = login(office)
    urls = [reverse("reporting:report_list"), reverse("reporting:round_review", args=[rnd.pk]),
            reverse("reporting:review_rounds")]
    for url in urls:
        client.get(url)  # warm the caches (menu, dictionaries)
    few = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        few[url] = len(queries.captured_queries)
    for index in range(2, 6):
        add_report(index)
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert len(queries.captured_queries) == few[url], url
    assert response.content.decode().count("进入把关") == 1
    assert client.get(urls[1]).content.decode().count('class="card mb-3" id="report-') == 5


def test_the_review_of_a_joint_round_gathers_the_reports_of_its_rounds(pw, login):
    import datetime

    from xuncha.planning.tests.factories import advance

    d = datetime.date
    joint = planning_services.jointround_create(actor=pw.city.actor, data={
        "authority": pw.world.city, "year": 2026, "title": "教育系统上下联动", "system": "education",
        "plan_text": "统一方案", "training_date": d(2026, 2, 20), "mobilisation_date": d(2026, 3, 2)})
    city_round, county_round = make_round(pw.city, kind="joint"), make_round(pw.a, kind="joint")
    city_inspection = make_inspection(pw.city, city_round, [pw.city.units[1]])
    county_inspection = make_inspection(pw.a, county_round, [pw.world.unit_a])
    for side, rnd in ((pw.city, city_round), (pw.a, county_round)):
        planning_services.jointround_link(actor=pw.city.actor, joint=joint, round=rnd)
        planning_services.round_start(actor=side.actor, round=rnd)
    advance(city_inspection, pw.city.actor, "report")
    advance(county_inspection, pw.a.actor, "report")
    city_report = services.report_generate(actor=pw.city.actor, inspection=city_inspection)
    county_report = services.report_generate(actor=pw.a.actor, inspection=county_inspection)
    services.report_submit(actor=pw.a.actor, report=county_report)
    city = login(pw.city.actor)
    page = city.get(reverse("reporting:round_review", args=[city_round.pk])).content.decode()
    assert f'id="report-{city_report.pk}"' in page and f'id="report-{county_report.pk}"' in page
    assert "上下联动巡察「教育系统上下联动」" in page
    county = login(pw.a.actor)
    page = county.get(reverse("reporting:round_review", args=[county_round.pk])).content.decode()
    assert f'id="report-{county_report.pk}"' in page and f'id="report-{city_report.pk}"' not in page
