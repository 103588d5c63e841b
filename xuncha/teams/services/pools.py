"""The leader pool (组长库) and the talent pool (人才库): entry on good performance, exit on poor,
every change a `PoolEvent` with its date and reason (一人一表一档)."""

from __future__ import annotations

import datetime

from xuncha.core.services import scoped_create, scoped_soft_delete, scoped_update

from .. import choices as c
from ..models import PoolEntry, PoolEvent
from ._common import assign, errors, today

ENTRY_FIELDS = ("authority", "kind", "cadre", "entry_date", "source", "entry_reason", "remarks")
UPDATE_FIELDS = ("entry_date", "source", "entry_reason", "remarks")


def _event(entry: PoolEntry, action: str, date: datetime.date, reason: str, actor, evaluation=None) -> PoolEvent:
    return PoolEvent.objects.create(entry=entry, action=action, date=date, reason=reason, evaluation=evaluation,
                                    created_by=actor if getattr(actor, "is_authenticated", False) else None)


def _default_specialities(cadre):
    return list(cadre.skills.all())


def pool_entry_create(*, actor, data: dict, evaluation=None) -> PoolEntry:
    """Admit a cadre into a pool: the entry and its first event (入库) with the reason."""
    existing = PoolEntry.objects.filter(authority=data["authority"], kind=data["kind"], cadre=data["cadre"]).first()
    if existing is not None:
        where = f"{data['authority'].name}{existing.get_kind_display()}"
        hint = "，可在其档案页“重新入库”" if existing.status == c.EntryStatus.EXITED else ""
        raise errors(cadre=f"{data['cadre'].name}已在{where}中（{existing.get_status_display()}）{hint}。")
    entry = PoolEntry()
    assign(entry, data, ENTRY_FIELDS)
    specialities = data.get("specialities") or _default_specialities(data["cadre"])

    def first_event(saved: PoolEntry) -> None:
        _event(saved, c.PoolAction.ADMIT, saved.entry_date, saved.entry_reason, actor, evaluation)

    return scoped_create(actor=actor, instance=entry, m2m={"specialities": specialities}, after_save=first_event)


def pool_entry_update(*, actor, instance: PoolEntry, data: dict) -> PoolEntry:
    def change(entry: PoolEntry) -> None:
        assign(entry, data, UPDATE_FIELDS)
        if "specialities" in data:
            entry.specialities.set(data["specialities"])

    return scoped_update(actor=actor, instance=instance, changes=change)


def pool_entry_delete(*, actor, instance: PoolEntry) -> PoolEntry:
    """Remove an entry made by mistake (an exit is `pool_entry_exit`, which keeps the person's file)."""
    return scoped_soft_delete(actor=actor, instance=instance)


def _status_change(*, actor, entry: PoolEntry, action: str, allowed: tuple[str, ...], new_status: str,
                   date: datetime.date | None, reason: str, evaluation=None) -> PoolEntry:
    if not (reason or "").strip():
        raise errors(reason="请填写理由。")
    date = date or today()
    if entry.status not in allowed:
        raise errors(action=f"{entry}当前为“{entry.get_status_display()}”，不能{c.PoolAction(action).label}。")
    if date < entry.entry_date:
        raise errors(date="日期不能早于入库日期。")

    def change(locked: PoolEntry) -> None:
        if locked.status not in allowed:  # changed by someone else meanwhile
            raise errors(action=f"{locked}当前为“{locked.get_status_display()}”，不能{c.PoolAction(action).label}。")
        locked.status = new_status
        if action == c.PoolAction.EXIT:
            locked.exit_date, locked.exit_reason = date, reason
        elif action == c.PoolAction.READMIT:
            locked.exit_date, locked.exit_reason = None, ""
            locked.entry_date, locked.entry_reason = date, reason
        _event(locked, action, date, reason, actor, evaluation)

    return scoped_update(actor=actor, instance=entry, changes=change)


def pool_entry_exit(*, actor, entry: PoolEntry, reason: str, date: datetime.date | None = None,
                    evaluation=None) -> PoolEntry:
    return _status_change(actor=actor, entry=entry, action=c.PoolAction.EXIT, new_status=c.EntryStatus.EXITED,
                          allowed=(c.EntryStatus.ACTIVE, c.EntryStatus.SUSPENDED), date=date, reason=reason,
                          evaluation=evaluation)


def pool_entry_suspend(*, actor, entry: PoolEntry, reason: str, date: datetime.date | None = None) -> PoolEntry:
    return _status_change(actor=actor, entry=entry, action=c.PoolAction.SUSPEND, new_status=c.EntryStatus.SUSPENDED,
                          allowed=(c.EntryStatus.ACTIVE,), date=date, reason=reason)


def pool_entry_resume(*, actor, entry: PoolEntry, reason: str, date: datetime.date | None = None) -> PoolEntry:
    return _status_change(actor=actor, entry=entry, action=c.PoolAction.RESUME, new_status=c.EntryStatus.ACTIVE,
                          allowed=(c.EntryStatus.SUSPENDED,), date=date, reason=reason)


def pool_entry_readmit(*, actor, entry: PoolEntry, reason: str, date: datetime.date | None = None,
                       evaluation=None) -> PoolEntry:
    return _status_change(actor=actor, entry=entry, action=c.PoolAction.READMIT, new_status=c.EntryStatus.ACTIVE,
                          allowed=(c.EntryStatus.EXITED,), date=date, reason=reason, evaluation=evaluation)


STATUS_ACTIONS = {
    c.PoolAction.EXIT: pool_entry_exit,
    c.PoolAction.SUSPEND: pool_entry_suspend,
    c.PoolAction.RESUME: pool_entry_resume,
    c.PoolAction.READMIT: pool_entry_readmit,
}


def pool_entry_admit(*, actor, authority, kind: str, cadre, reason: str, date: datetime.date | None = None,
                     source: str = "evaluation", evaluation=None) -> PoolEntry:
    """Into the pool, whatever the state: a new entry, or the readmission of an exited one."""
    existing = PoolEntry.objects.filter(authority=authority, kind=kind, cadre=cadre).first()
    if existing is None:
        return pool_entry_create(actor=actor, evaluation=evaluation, data={
            "authority": authority, "kind": kind, "cadre": cadre, "entry_date": date or today(), "source": source,
            "entry_reason": reason})
    if existing.status == c.EntryStatus.EXITED:
        return pool_entry_readmit(actor=actor, entry=existing, reason=reason, date=date, evaluation=evaluation)
    if existing.status == c.EntryStatus.SUSPENDED:
        return pool_entry_resume(actor=actor, entry=existing, reason=reason, date=date)
    return existing
