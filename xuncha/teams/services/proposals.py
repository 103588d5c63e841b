"""The group proposer applied to a round: candidates from the pools, recusal against each group's
targets, the CP-SAT proposal (`solvers.proposer`), and the office's acceptance."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from xuncha.core import dictionaries
from xuncha.org import choices as org_choices
from xuncha.org.models import Cadre
from xuncha.planning.models import InspectionGroup

from .. import choices as c
from .. import recusal
from ..models import GroupMember, PoolEntry
from ..solvers import proposer
from ._common import today
from .groups import group_target_units, member_add


@dataclass
class ProposalView:
    """What the proposer page shows: the result, the people by id, each group's targets."""

    result: proposer.Result
    groups: list
    candidates: dict[int, proposer.Candidate] = field(default_factory=dict)
    cadres: dict[int, Cadre] = field(default_factory=dict)
    targets: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    blocked_count: int = 0
    pool_size: int = 0


def workloads(cadre_ids, *, since_year: int, exclude_round_id: int | None = None) -> dict[int, int]:
    """Groups each cadre served in rounds from `since_year` on (the recent work to spread)."""
    from django.db.models import Count

    qs = GroupMember.objects.filter(cadre_id__in=list(cadre_ids), round__year__gte=since_year)
    if exclude_round_id:
        qs = qs.exclude(round_id=exclude_round_id)
    return dict(qs.values_list("cadre_id").annotate(n=Count("id")).values_list("cadre_id", "n"))


def pool_candidates(user, authority, *, since_year: int, exclude_round_id=None) -> dict[int, proposer.Candidate]:
    """Active entries of the pools kept by `authority` that the user may see, as proposer candidates."""
    entries = (PoolEntry.objects.for_user(user, "view").filter(authority=authority, status=c.EntryStatus.ACTIVE)
               .select_related("cadre").prefetch_related("specialities", "cadre__skills"))
    people: dict[int, dict] = {}
    for entry in entries:
        person = people.setdefault(entry.cadre_id, {"cadre": entry.cadre, "skills": set(), "lead": False})
        person["skills"].update(s.value for s in entry.specialities.all())
        person["skills"].update(s.value for s in entry.cadre.skills.all())
        person["lead"] |= entry.kind == c.PoolKind.LEADER
    loads = workloads(people, since_year=since_year, exclude_round_id=exclude_round_id)
    return {
        pk: proposer.Candidate(pk, p["cadre"].name, frozenset(p["skills"]), p["lead"], loads.get(pk, 0),
                               recusal.leadership_level(p["cadre"].post))
        for pk, p in people.items()
    }


def proposal_build(*, actor, round, groups, needs: dict[str, int], size_min: int = c.GROUP_SIZE_MIN,
                   size_max: int = c.GROUP_SIZE_MAX, preferred: int = 6, time_limit: float = 10.0) -> ProposalView:
    """Propose members for `groups` (of `round`, already checked to be in the user's scope). Nothing
    is written: the office accepts the proposal group by group (`proposal_apply`)."""
    groups = list(groups)
    candidates = pool_candidates(actor, round.authority, since_year=round.year - 1, exclude_round_id=round.pk)
    group_ids = [g.pk for g in groups]
    busy = set(GroupMember.objects.filter(round=round).exclude(group_id__in=group_ids).values_list("cadre_id",
                                                                                                  flat=True))
    current = {}
    for m in GroupMember.objects.filter(group_id__in=group_ids).select_related("cadre"):
        current.setdefault(m.group_id, []).append(m)
        if m.cadre_id not in candidates:  # a member from outside the pools stays in the group
            candidates[m.cadre_id] = proposer.Candidate(m.cadre_id, m.cadre.name, frozenset(
                s.value for s in m.cadre.skills.all()), False, 0, recusal.leadership_level(m.cadre.post))
    pool = [cand for pk, cand in sorted(candidates.items()) if pk not in busy]
    targets = group_target_units(group_ids)
    unit_ids = sorted({u for units in targets.values() for u, _ in units})
    blocked_units = recusal.blocks_for([cand.id for cand in pool], unit_ids, today=today()) if unit_ids else {}
    unit_groups: dict[int, list[int]] = {}
    for gid, units in targets.items():
        for u, _ in units:
            unit_groups.setdefault(u, []).append(gid)
    blocked = {(pid, gid) for (pid, u) in blocked_units for gid in unit_groups.get(u, ())}
    skills = tuple(sorted((s, n) for s, n in needs.items() if n > 0))
    needs_list = []
    for g in groups:
        members = current.get(g.pk, [])
        leader = next((m.cadre_id for m in members if m.role == c.MemberRole.LEADER), None)
        needs_list.append(proposer.GroupNeed(g.pk, g.name, skills, size_min, size_max, preferred,
                                             tuple(m.cadre_id for m in members), leader))
    labels = dict(dictionaries.labels(org_choices.DICT_CADRE_SKILL))
    result = proposer.propose(pool, needs_list, blocked, params=proposer.Params(time_limit=time_limit), labels=labels)
    cadres = Cadre.objects.in_bulk([p.candidate_id for placed in result.groups.values() for p in placed])
    return ProposalView(result=result, groups=groups, candidates={cand.id: cand for cand in pool}, cadres=cadres,
                        targets=targets, blocked_count=len(blocked), pool_size=len(pool))


def proposal_apply(*, actor, group: InspectionGroup, rows: list[dict]) -> list[GroupMember]:
    """Add the accepted people (rows: cadre, role, is_party_secretary, is_conduct_supervisor) to the
    group, each checked again (recusal, roles, size); all or nothing."""
    added = []
    problems = []
    with transaction.atomic():
        existing = set(GroupMember.objects.filter(group=group).values_list("cadre_id", flat=True))
        ordered = sorted(rows, key=lambda r: c.ROLE_ORDER.get(r["role"], 9))
        for row in ordered:
            cadre = row["cadre"]
            if cadre.pk in existing:
                continue
            try:
                added.append(member_add(actor=actor, group=group, cadre=cadre, role=row["role"],
                                        is_party_secretary=row.get("is_party_secretary", False),
                                        is_conduct_supervisor=row.get("is_conduct_supervisor", False)))
            except ValidationError as error:
                problems.append(f"{cadre.name}：{'；'.join(error.messages)}")
        if problems:
            raise ValidationError(problems)  # leaving the block rolls back the ones already added
    return added
