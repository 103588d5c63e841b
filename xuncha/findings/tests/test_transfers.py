"""Transfers (移交): the 3-month deadline in calendar months, the Word letter read back, overdue and
due-soon flags, the reminders (idempotent), the command and the task, and the archive counts."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from docx import Document

from xuncha.documents.reading import docx_text
from xuncha.findings import selectors, services, tasks
from xuncha.findings.models import ClueReminder
from xuncha.findings.workflow import add_months

from .factories import SECRET_PERSON, SECRET_SUMMARY, D, clue, confirmed, draft, transfer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day, due", [
    (D(2025, 11, 30), D(2026, 2, 28)), (D(2023, 11, 30), D(2024, 2, 29)), (D(2026, 11, 29), D(2027, 2, 28)),
    (D(2026, 1, 31), D(2026, 4, 30)), (D(2026, 10, 15), D(2027, 1, 15)), (D(2026, 12, 31), D(2027, 3, 31)),
])
def test_deadline_is_three_calendar_months(day, due):
    assert add_months(day, 3) == due


def test_transfer_sets_the_deadline_from_the_setting(fw, settings):
    item = clue(fw)
    moved = transfer(fw, [item], day=D(2025, 11, 30))
    assert moved.due_date == D(2026, 2, 28)
    settings.FINDINGS_DISPOSITION_MONTHS = 2
    assert transfer(fw, [clue(fw)], day=D(2026, 8, 31)).due_date == D(2026, 10, 31)
    item.refresh_from_db()
    assert item.status == "transferred" and item.transfer == moved


def test_transfer_letter_in_official_layout(fw):
    first, second = clue(fw), clue(fw, fw.member2, summary="违规插手工程招投标")
    moved = transfer(fw, [first, second], day=D(2026, 9, 1))
    from xuncha.core.files import read_bytes

    data = read_bytes(moved.letter)
    text = docx_text(data)
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0] == "机密"
    assert lines[1] == "青巡移〔2026〕1号"
    assert lines[2] == "关于移交青阳县教育局有关问题线索的函"
    assert lines[3] == "中共青阳县纪律检查委员会 青阳县监察委员会："
    assert "发现涉及有关人员的问题线索2条" in text
    assert "请于2026年12月1日前将处置情况" in text
    assert "中共青阳县委巡察工作领导小组办公室" in text and "2026年9月1日" in text
    assert "附件：问题线索清单（共2条）" in text
    rows = [line.split("\t") for line in text.splitlines() if "\t" in line]
    assert rows[0] == ["序号", "线索编号", "涉及人员", "主要问题", "来源"]
    assert rows[1][1] == first.number and rows[1][2] == f"{SECRET_PERSON}（青阳县教育局，副局长）"
    assert rows[1][3] == SECRET_SUMMARY and rows[2][3] == "违规插手工程招投标" and rows[1][4] == "个别谈话"
    document = Document(io.BytesIO(data))
    marking = document.paragraphs[0].runs[0]
    assert marking.font.size.pt == 16
    title = next(p for p in document.paragraphs if p.text.startswith("关于移交"))
    assert title.runs[0].font.size.pt == 22 and title.alignment == 1  # 2号, centred
    section = document.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28


def test_transfer_refusals(fw):
    item = clue(fw)
    with pytest.raises(PermissionDenied):
        transfer(fw, [item], actor=fw.leader)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        transfer(fw, [item], day=D(2099, 1, 1))
    other = clue(fw, fw.leader_b, inspection=fw.inspection_b, unit=fw.world.unit_b)
    with pytest.raises(ValidationError, match="不属于本巡察任务"):
        transfer(fw, [item, other])
    transfer(fw, [item])
    with pytest.raises(ValidationError, match="已移交，不能重复移交"):
        transfer(fw, [item])
    with pytest.raises(ValidationError, match="不能再修改或删除"):
        services.clue_delete(actor=fw.office, clue=item)


def test_disposition_rules(fw):
    item = clue(fw)
    with pytest.raises(ValidationError, match="尚未移交"):
        services.disposition_create(actor=fw.office, clue=item, data={"kind": "talk", "date": D(2026, 9, 1),
                                                                      "result": "—"})
    transfer(fw, [item], day=D(2026, 9, 1))
    with pytest.raises(PermissionDenied):
        services.disposition_create(actor=fw.leader, clue=item, data={"kind": "talk", "date": D(2026, 9, 2),
                                                                      "result": "—"})
    with pytest.raises(ValidationError, match="不能早于移交日期"):
        services.disposition_create(actor=fw.office, clue=item, data={"kind": "talk", "date": D(2026, 8, 2),
                                                                      "result": "—"})
    services.disposition_create(actor=fw.office, clue=item, data={"kind": "case", "date": D(2026, 10, 2),
                                                                  "result": "已立案审查。"})
    item.refresh_from_db()
    assert item.status == "disposed"


def test_overdue_and_due_soon_flags():
    assert selectors.clue_flags(D(2026, 11, 30), True, D(2026, 12, 1)).overdue
    assert selectors.clue_flags(D(2026, 11, 30), True, D(2026, 12, 3)).overdue_days == 3
    soon = selectors.clue_flags(D(2026, 11, 30), True, D(2026, 11, 20))
    assert soon.due_soon and not soon.overdue and soon.days_left == 10
    assert not selectors.clue_flags(D(2026, 11, 30), True, D(2026, 10, 1)).due_soon
    assert not selectors.clue_flags(D(2026, 11, 30), False, D(2026, 12, 30)).overdue  # disposed: no flag


def test_reminders_once_per_transfer_kind_and_deadline(fw):
    late, soon, done = clue(fw), clue(fw), clue(fw)
    overdue_transfer = transfer(fw, [late], day=D(2026, 6, 1))  # due 9-1
    soon_transfer = transfer(fw, [soon], day=D(2026, 8, 25))  # due 11-25
    done_transfer = transfer(fw, [done], day=D(2026, 6, 1))
    services.disposition_create(actor=fw.office, clue=done, data={"kind": "closed", "date": D(2026, 7, 1),
                                                                  "result": "予以了结。"})
    today = D(2026, 11, 15)
    assert services.reminders_create_due(today=today) == 2
    assert services.reminders_create_due(today=today) == 0  # twice: nothing twice
    kinds = dict(ClueReminder.objects.values_list("transfer_id", "kind"))
    assert kinds == {overdue_transfer.pk: "overdue", soon_transfer.pk: "due_soon"}
    assert done_transfer.pk not in kinds
    message = ClueReminder.objects.get(transfer=overdue_transfer).message
    assert "已逾期 75 天" in message and "尚有 1 条未反馈处置情况" in message and overdue_transfer.number in message
    # the due-soon one becomes overdue: one more reminder, once
    assert services.reminders_create_due(today=D(2026, 11, 26)) == 1
    assert services.reminders_create_due(today=D(2026, 11, 27)) == 0
    assert ClueReminder.objects.filter(transfer=soon_transfer).count() == 2
    # a disposition handles the open reminders of its transfer
    services.disposition_create(actor=fw.office, clue=late, data={"kind": "talk", "date": D(2026, 11, 20),
                                                                  "result": "谈话函询。"})
    assert not ClueReminder.objects.filter(transfer=overdue_transfer, handled_at__isnull=True).exists()


def test_command_and_task_create_reminders_idempotently(fw, capsys):
    transfer(fw, [clue(fw)], day=D(2026, 6, 1))
    call_command("findings_reminders", "--date", "2026-11-30")
    assert "已生成 1 条线索处置提醒" in capsys.readouterr().out
    call_command("findings_reminders", "--date", "2026-11-30")
    assert "已生成 0 条" in capsys.readouterr().out
    assert tasks.create_due_reminders.delay("2026-12-01").get() == 0
    assert ClueReminder.objects.count() == 1
    from django.core.management.base import CommandError
    with pytest.raises(CommandError, match="日期格式"):
        call_command("findings_reminders", "--date", "30/11/2026")


def test_finding_counts_for_the_archive_checklist(fw):
    confirmed(fw)
    confirmed(fw)
    draft(fw)
    first, _second = clue(fw), clue(fw)
    transfer(fw, [first])
    assert selectors.finding_counts(fw.inspection) == {"drafts": 1, "confirmed": 2, "clues": 2, "transferred": 1}
    assert selectors.finding_counts(fw.inspection_b) == {"drafts": 0, "confirmed": 0, "clues": 0, "transferred": 0}
