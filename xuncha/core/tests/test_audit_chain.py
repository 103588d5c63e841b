"""The logs are append-only and HMAC-chained: no code path edits them, and tampering is detected."""

import pytest
from django.core.management import call_command
from django.db import connection

from xuncha.core.audit import verify_chain
from xuncha.core.models import AppendOnlyError, ChangeLog, LoginLog, OperationLog


def _append_logins(n):
    return [LoginLog.append(username=f"u{i}", event="failure", reason="密码错误", ip="127.0.0.1") for i in range(n)]


@pytest.mark.django_db
def test_rows_are_linked_in_order():
    rows = _append_logins(3)
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[1].prev_mac == rows[0].mac and rows[2].prev_mac == rows[1].mac
    assert verify_chain(LoginLog).ok


@pytest.mark.django_db
def test_orm_cannot_update_or_delete():
    row = _append_logins(1)[0]
    with pytest.raises(AppendOnlyError):
        LoginLog.objects.filter(pk=row.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        LoginLog.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        row.delete()
    row.reason = "改过"
    with pytest.raises(AppendOnlyError):
        row.save()


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_edited_row_is_detected(capsys):
    rows = _append_logins(4)
    _raw(f"UPDATE {LoginLog._meta.db_table} SET reason = %s WHERE id = %s", ["登录成功", rows[1].pk])
    report = verify_chain(LoginLog)
    assert not report.ok
    assert any("序号 2" in p and "篡改" in p for p in report.problems)
    with pytest.raises(SystemExit) as exited:
        call_command("verify_audit_chain")
    assert exited.value.code == 1
    assert "篡改" in capsys.readouterr().out


@pytest.mark.django_db
def test_deleted_row_and_truncated_tail_are_detected():
    rows = _append_logins(5)
    _raw(f"DELETE FROM {LoginLog._meta.db_table} WHERE id = %s", [rows[2].pk])
    problems = verify_chain(LoginLog).problems
    assert any("缺失" in p for p in problems)
    _raw(f"DELETE FROM {LoginLog._meta.db_table} WHERE id = %s", [rows[4].pk])
    assert any("链尾" in p for p in verify_chain(LoginLog).problems)


@pytest.mark.django_db
def test_clean_chain_passes_the_command(capsys):
    _append_logins(2)
    OperationLog.append(module="组织机构", action="新增", method="POST", path="/org/units/add/", params={},
                        status_code=302, outcome="success", duration_ms=5)
    call_command("verify_audit_chain")
    out = capsys.readouterr().out
    assert "登录日志：2 条，校验通过" in out and "操作日志：1 条，校验通过" in out


@pytest.mark.django_db
def test_change_log_json_survives_the_round_trip():
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(LoginLog)
    ChangeLog.append(content_type_id=ct.pk, object_id="1", object_repr="对象", action="update",
                     before={"名称": "旧", "金额": "1.50", "列表": [1, 2]}, after={"名称": "新"})
    assert verify_chain(ChangeLog).ok
