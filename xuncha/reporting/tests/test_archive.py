"""立卷归档: the checklist (items ticked by whom and when, archive number, counts), the archive step's
condition, and the export job: zip entries, safe names, the catalogue, the secret volume."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from xuncha.core.files import store_bytes
from xuncha.core.models import Job
from xuncha.planning import services as planning_services
from xuncha.planning.tests.factories import advance
from xuncha.reporting import services
from xuncha.reporting.archive import file_sources, safe_name
from xuncha.reporting.models import ArchiveChecklist, ArchiveItem

from .factories import at_feedback, make_clue

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_checklist_gates_the_archive_step(rw, login):
    at_feedback(rw)
    client = login(rw.leader)
    page = reverse("reporting:inspection_archive", args=[rw.inspection.pk])
    assert "建立归档清单" in client.get(page).content.decode()
    client.post(reverse("reporting:inspection_archive_open", args=[rw.inspection.pk]))
    checklist = ArchiveChecklist.objects.get(inspection=rw.inspection)
    items = list(checklist.items.all())
    assert [i.label for i in items][:3] == ["巡察报告已审定", "反馈意见已送达", "问题线索已移交"]
    advance(rw.inspection, rw.office, "rectify")
    with pytest.raises(ValidationError) as refused:
        planning_services.inspection_advance(actor=rw.office, inspection=rw.inspection, to_stage="archived")
    reasons = " ".join(refused.value.messages)
    assert "归档事项「巡察报告已审定」尚未确认完成" in reasons and "尚未填写档号" in reasons

    for item in items:
        client.post(reverse("reporting:archiveitem_tick", args=[item.pk]), {"done": "on", "note": "已核对"})
    done = ArchiveItem.objects.get(pk=items[0].pk)
    assert done.done_by == rw.leader and done.done_at is not None and done.note == "已核对"
    client.post(reverse("reporting:archiveitem_tick", args=[items[1].pk]), {})  # untick
    assert not ArchiveItem.objects.get(pk=items[1].pk).is_done
    client.post(reverse("reporting:archivechecklist_edit", args=[checklist.pk]), {"archive_number": "青巡档〔2026〕1号"})
    checklist.refresh_from_db()
    assert checklist.archive_number == "青巡档〔2026〕1号" and checklist.completed_at is None
    with pytest.raises(ValidationError) as refused:
        planning_services.inspection_advance(actor=rw.office, inspection=rw.inspection, to_stage="archived")
    assert "归档事项「反馈意见已送达」尚未确认完成" in " ".join(refused.value.messages)
    client.post(reverse("reporting:archiveitem_tick", args=[items[1].pk]), {"done": "on"})
    checklist.refresh_from_db()
    assert checklist.completed_at is not None and checklist.counts["confirmed"] == 4
    assert checklist.counts["problems"] == 1  # the one draft left
    page = client.get(page).content.decode()
    assert "巡察任务可以转入「归档」阶段" in page and "确认问题" in page
    planning_services.inspection_advance(actor=rw.office, inspection=rw.inspection, to_stage="archived")
    # Archived: the list is frozen.
    response = client.post(reverse("reporting:archiveitem_tick", args=[items[0].pk]), {}, follow=True)
    assert "已归档" in _messages(response) and ArchiveItem.objects.get(pk=items[0].pk).is_done
    # A duplicate archive number in the same authority is refused.
    assert client.get(reverse("reporting:archive_list")).status_code == 200


def test_archive_number_must_be_unique_per_authority(rw, pw):
    at_feedback(rw)
    checklist = services.archive_open(actor=rw.office, inspection=rw.inspection)
    services.archive_update(actor=rw.office, checklist=checklist, archive_number="青巡档〔2026〕1号")
    from xuncha.planning.tests.factories import started

    _, other = started(pw.a, [pw.a.units[2]], number=3, stage="report")
    from xuncha.planning.tests.factories import group_user

    from .factories import RW, approved

    rw2 = RW(pw, other, pw.a.actor, group_user("gl_a2", "group_leader", other.group),
             group_user("gm_a2", "group_member", other.group), [pw.a.units[2]])
    approved(rw2)
    advance(other, pw.a.actor, "feedback")
    second = services.archive_open(actor=rw.office, inspection=other)
    with pytest.raises(ValidationError) as refused:
        services.archive_update(actor=rw.office, checklist=second, archive_number="青巡档〔2026〕1号")
    assert "已被本级其他巡察任务使用" in refused.value.message_dict["archive_number"][0]


def _zip(client, job) -> zipfile.ZipFile:
    response = client.get(reverse("reporting:archivejob_download", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_archive_export_holds_the_files_and_a_catalogue_but_no_clue_or_reporter(rw, login, pw,
                                                                              django_capture_on_commit_callbacks):
    report, feedbacks = at_feedback(rw)
    evidence = store_bytes(b"evidence of problem 1", name="../../证据/调阅记录\x07.pdf", user=rw.member)
    rw.problems[0].evidence_files.add(evidence)
    clue = make_clue(rw.inspection, rw.units[0], "线索内容")
    clue_file = store_bytes(b"secret clue evidence", name="线索证据.pdf", user=rw.office)
    clue.evidence_files.add(clue_file)
    checklist = services.archive_open(actor=rw.office, inspection=rw.inspection)

    leader = login(rw.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = leader.post(reverse("reporting:archivechecklist_export", args=[checklist.pk]))
    job = Job.objects.get(user=rw.leader, kind="reporting_archive")
    assert response["Location"] == reverse("reporting:archivejob_detail", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED and job.result["files"] == 4, job.message
    page = leader.get(reverse("reporting:archivejob_detail", args=[job.pk])).content.decode()
    assert "下载压缩包" in page and "共 4 个文件" in page
    archive = _zip(leader, job)
    names = archive.namelist()
    assert "卷内目录.xlsx" in names
    assert all(".." not in n and "\\" not in n and "\x07" not in n and not n.startswith("/") for n in names)
    assert any(n.startswith("报告版本/") and n.endswith(".docx") for n in names)
    assert sum(n.startswith("反馈意见版本/") for n in names) == 2
    evidence_name = next(n for n in names if n.startswith("问题") or "调阅记录" in n)
    assert archive.read(evidence_name) == b"evidence of problem 1"
    assert all(archive.read(n) != b"secret clue evidence" for n in names)
    catalogue = load_workbook(io.BytesIO(archive.read("卷内目录.xlsx")))
    rows = list(catalogue["卷内目录"].iter_rows(min_row=3, values_only=True))
    assert len(rows) == 4 and {r[7] for r in rows} == set(names) - {"卷内目录.xlsx"}
    assert all(len(r[8]) == 64 for r in rows)
    counts = dict(catalogue["归档统计"].iter_rows(min_row=3, values_only=True))
    assert counts["确认问题"] == 4 and counts["问题线索"] == 1
    assert "线索内容" not in str(list(catalogue["卷内目录"].values))

    # The secret volume: the office only.
    assert leader.post(reverse("reporting:archivechecklist_export", args=[checklist.pk]),
                       {"secret": "1"}).status_code == 404
    office = login(rw.office)
    with django_capture_on_commit_callbacks(execute=True):
        office.post(reverse("reporting:archivechecklist_export", args=[checklist.pk]), {"secret": "1"})
    secret_job = Job.objects.get(user=rw.office, kind="reporting_archive_secret")
    secret = _zip(office, secret_job)
    assert any(secret.read(n) == b"secret clue evidence" for n in secret.namelist() if n != "卷内目录.xlsx")
    # A job belongs to its owner: nobody else sees it or its zip.
    for user in (rw.office, pw.world.users["office_b"], rw.member):
        client = login(user)
        assert client.get(reverse("reporting:archivejob_detail", args=[job.pk])).status_code in (403, 404)
        assert client.get(reverse("reporting:archivejob_download", args=[job.pk])).status_code in (403, 404)


def test_export_is_refused_outside_the_scope_and_rechecked_when_the_job_runs(rw, login, pw):
    at_feedback(rw)
    checklist = services.archive_open(actor=rw.office, inspection=rw.inspection)
    client = login(pw.world.users["office_b"])
    assert client.post(reverse("reporting:archivechecklist_export", args=[checklist.pk])).status_code == 404
    assert client.get(reverse("reporting:inspection_archive", args=[rw.inspection.pk])).status_code == 404
    # A job whose owner lost the scope meanwhile exports nothing.
    from xuncha.reporting.tasks import run_archive

    job = Job.objects.create(kind="reporting_archive", title="越权", user=pw.world.users["office_b"],
                             params={"checklist": checklist.pk, "secret": False})
    run_archive(job)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "不在您的授权范围内" in job.message and not job.result


def test_safe_names_and_secret_sources():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..\\..\\boot.ini") == "boot.ini"
    assert safe_name("b:c*?<>|.docx") == "b_c_____.docx"
    assert safe_name("...隐藏") == "隐藏"
    assert safe_name("") == "未命名文件"
    long = safe_name("很" * 200 + ".docx")
    assert len(long) == 80 and long.endswith(".docx")
    secret = {s.model._meta.model_name for s in file_sources() if s.secret}
    general = {s.model._meta.model_name for s in file_sources() if not s.secret}
    assert {"clue", "petition"} <= secret
    assert {"reportversion", "feedbackversion", "feedbackmeeting", "problem"} <= general
