"""After each round the office evaluates every member (优秀/称职/基本称职/不称职 with comments); the
system proposes admissions of the excellent and removals of the poor; the office decides."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.core.services import require_perm, scoped_create, scoped_update

from .. import choices as c
from ..models import Evaluation, GroupMember, PoolEntry
from ._common import authority_chain_q, errors
from .pools import pool_entry_admit, pool_entry_exit

GRADES = ("excellent", "competent", "basic", "incompetent")


def proposal_for(member: GroupMember, grade: str) -> str:
    """优秀 → into the talent pool (or, for a 组长/副组长 already there, the leader pool);
    不称职 → out of the pools the person is in; otherwise nothing."""
    entries = list(PoolEntry.objects.filter(authority_chain_q(member.authority), cadre_id=member.cadre_id,
                                            status__in=(c.EntryStatus.ACTIVE, c.EntryStatus.SUSPENDED)))
    kinds = {e.kind for e in entries}
    if grade == "excellent":
        if c.PoolKind.TALENT not in kinds and c.PoolKind.LEADER not in kinds:
            return c.Proposal.ADMIT_TALENT
        if member.role in (c.MemberRole.LEADER, c.MemberRole.DEPUTY) and c.PoolKind.LEADER not in kinds:
            return c.Proposal.ADMIT_LEADER
        return c.Proposal.NONE
    if grade == "incompetent" and entries:
        return c.Proposal.REMOVE
    return c.Proposal.NONE


def evaluation_save(*, actor, member: GroupMember, grade: str, comments: str = "",
                    evaluated_on: datetime.date | None = None) -> Evaluation:
    """Record (or correct) a member's evaluation; the proposal follows the grade. A decision already
    taken is kept: correcting the grade afterwards does not undo it."""
    if grade not in GRADES:
        raise errors(grade="请选择考核等次。")
    if grade in ("basic", "incompetent") and not comments.strip():
        raise errors(comments="评为基本称职或不称职的，须填写考核评语说明理由。")
    evaluated_on = evaluated_on or timezone.localdate()
    proposal = proposal_for(member, grade)
    existing = Evaluation.objects.filter(member=member).first()
    if existing is None:
        evaluation = Evaluation(member=member, authority_id=member.authority_id, round_id=member.round_id,
                                grade=grade, comments=comments, evaluated_on=evaluated_on, proposal=proposal,
                                decision=c.Decision.PENDING if proposal != c.Proposal.NONE else c.Decision.NONE)
        return scoped_create(actor=actor, instance=evaluation)

    def change(e: Evaluation) -> None:
        e.grade, e.comments, e.evaluated_on = grade, comments, evaluated_on
        if e.decision in (c.Decision.NONE, c.Decision.PENDING):
            e.proposal = proposal
            e.decision = c.Decision.PENDING if proposal != c.Proposal.NONE else c.Decision.NONE

    return scoped_update(actor=actor, instance=existing, changes=change)


def evaluation_decide(*, actor, evaluation: Evaluation, accept: bool, note: str = "") -> Evaluation:
    """The office's decision on a proposal; accepting it admits or removes the person, with the
    evaluation named as the reason in the pool's record."""
    require_perm(actor, "teams:evaluation:decide")
    if evaluation.decision != c.Decision.PENDING:
        raise ValidationError("该考核没有待决定的建议。")
    if not accept and not note.strip():
        raise errors(note="不采纳建议的，请填写说明。")
    member = evaluation.member
    round_ = member.round
    grade_label = {"excellent": "优秀", "incompetent": "不称职"}.get(evaluation.grade, evaluation.grade)
    reason = f"{round_}考核{grade_label}（{member.group.name}）" + (f"：{note}" if note else "")
    with transaction.atomic():
        if accept:
            if evaluation.proposal in (c.Proposal.ADMIT_TALENT, c.Proposal.ADMIT_LEADER):
                kind = c.PoolKind.LEADER if evaluation.proposal == c.Proposal.ADMIT_LEADER else c.PoolKind.TALENT
                pool_entry_admit(actor=actor, authority=member.authority, kind=kind, cadre=member.cadre,
                                 reason=reason, evaluation=evaluation)
            elif evaluation.proposal == c.Proposal.REMOVE:
                for entry in PoolEntry.objects.filter(authority_chain_q(member.authority), cadre_id=member.cadre_id,
                                                      status__in=(c.EntryStatus.ACTIVE, c.EntryStatus.SUSPENDED)):
                    pool_entry_exit(actor=actor, entry=entry, reason=reason, evaluation=evaluation)

        def change(e: Evaluation) -> None:
            e.decision = c.Decision.ACCEPTED if accept else c.Decision.REJECTED
            e.decision_note, e.decided_at, e.decided_by = note, timezone.now(), actor

        return scoped_update(actor=actor, instance=evaluation, changes=change, action="decide")
