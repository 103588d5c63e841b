"""Coverage arithmetic of a five-year plan (全覆盖): pure functions over plain data.

Rules (docs/planning.md explains them for the office):
- A plan's *base* is its targets that are not elevated: the units the authority itself must cover.
  An elevated target (a county unit lifted into the city's plan) is listed apart in the city's plan
  and never counted in the city's figures: the county counts it, as covered by the city.
- A unit is *covered* in year Y when an inspection of it entered 进驻 (or a later stage) in a round of
  year Y, by the plan's own authority or by an authority above it (提级, 交叉, 上下联动 by the city),
  in a round that is not a 回头看. A unit inspected twice is covered once, in the first year.
- *Scheduled*: in an inspection not yet started. *Late*: planned for a past year and not covered.
- *Stale*: not inspected for at least N years (or never), counting inspections before the term and the
  office's own record of inspections before the system (`last_inspected_year`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

__all__ = ["TargetIn", "HitIn", "TargetStatus", "YearRow", "CoverageReport", "compute", "STATUS_LABELS"]

COVERED, SCHEDULED, LATE, PLANNED, UNPLANNED = "covered", "scheduled", "late", "planned", "unplanned"
STATUS_LABELS = {COVERED: "已覆盖", SCHEDULED: "已安排", LATE: "逾期未覆盖", PLANNED: "计划中", UNPLANNED: "未安排年度"}


@dataclass(frozen=True)
class TargetIn:
    unit_id: int
    name: str
    category: str = ""
    system: str = ""
    planned_year: int | None = None
    planned_round: int | None = None
    is_fixed: bool = False
    is_elevated: bool = False
    last_inspected_year: int | None = None  # the office's record from before the system
    target_id: int | None = None  # the plan row, for links


@dataclass(frozen=True)
class HitIn:
    """One inspection of a unit that counts for the plan (own authority or one above it)."""

    unit_id: int
    year: int
    started: bool  # 进驻 or later
    by_upper: bool  # by an authority above the plan's (the city)
    by_label: str = ""  # "江城市委（提级巡察）"
    round_label: str = ""
    inspection_id: int | None = None


@dataclass
class TargetStatus:
    target: TargetIn
    status: str
    covered_year: int | None = None
    covered_by: str = ""
    covered_by_upper: bool = False
    scheduled_year: int | None = None
    last_year: int | None = None
    years_since: int | None = None
    round_label: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class YearRow:
    year: int
    planned: int = 0
    covered: int = 0
    covered_as_planned: int = 0
    covered_by_upper: int = 0
    scheduled: int = 0
    late: int = 0
    cumulative: int = 0
    cumulative_rate: float = 0.0
    is_past: bool = False


@dataclass
class CoverageReport:
    years: list[int]
    rows: list[TargetStatus]
    elevated: list[TargetStatus]
    per_year: list[YearRow]
    total: int = 0
    covered: int = 0
    covered_by_upper: int = 0
    scheduled: int = 0
    planned: int = 0
    late: int = 0
    unplanned: int = 0
    stale_years: int = 5
    stale: list[TargetStatus] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return round(self.covered * 100.0 / self.total, 1) if self.total else 0.0

    @property
    def status_counts(self) -> dict[str, int]:
        return {COVERED: self.covered, SCHEDULED: self.scheduled, LATE: self.late, PLANNED: self.planned,
                UNPLANNED: self.unplanned}


def _status(target: TargetIn, hits: list[HitIn], years: list[int], this_year: int) -> TargetStatus:
    first, last = years[0], years[-1]
    in_term = sorted((h for h in hits if first <= h.year <= last), key=lambda h: (not h.started, h.year))
    started = [h for h in in_term if h.started]
    done_years = [h.year for h in hits if h.started and h.year <= this_year]
    last_year = max([*done_years, *([target.last_inspected_year] if target.last_inspected_year else [])],
                    default=None)
    result = TargetStatus(target=target, status=UNPLANNED, last_year=last_year,
                          years_since=(this_year - last_year) if last_year is not None else None)
    if started:
        hit = min(started, key=lambda h: (h.year, h.by_upper))  # own authority first in a tie
        result.status, result.covered_year = COVERED, hit.year
        result.covered_by, result.covered_by_upper, result.round_label = hit.by_label, hit.by_upper, hit.round_label
        return result
    pending = [h for h in in_term if not h.started]
    if pending:
        result.scheduled_year = min(h.year for h in pending)
        result.round_label = min(pending, key=lambda h: h.year).round_label
    if target.planned_year is not None and target.planned_year < this_year:
        result.status = LATE
    elif pending:
        result.status = SCHEDULED
    elif target.planned_year is not None:
        result.status = PLANNED
    return result


def compute(targets: list[TargetIn], hits: list[HitIn], years: list[int], *, today: datetime.date,
            stale_years: int = 5) -> CoverageReport:
    """The coverage of one plan: per target, per year and overall; elevated targets apart."""
    by_unit: dict[int, list[HitIn]] = {}
    for hit in hits:
        by_unit.setdefault(hit.unit_id, []).append(hit)
    this_year = today.year
    rows, elevated = [], []
    for target in targets:
        status = _status(target, by_unit.get(target.unit_id, []), years, this_year)
        (elevated if target.is_elevated else rows).append(status)
    report = CoverageReport(years=list(years), rows=rows, elevated=elevated, per_year=[],
                            total=len(rows), stale_years=stale_years)
    per_year = {y: YearRow(year=y, is_past=y < this_year) for y in years}
    for row in rows:
        t = row.target
        if t.planned_year in per_year:
            per_year[t.planned_year].planned += 1
        if row.status == COVERED:
            report.covered += 1
            year_row = per_year[row.covered_year]
            year_row.covered += 1
            if row.covered_by_upper:
                report.covered_by_upper += 1
                year_row.covered_by_upper += 1
            if row.covered_year == t.planned_year:
                year_row.covered_as_planned += 1
        else:
            if row.status == LATE:
                report.late += 1
                if t.planned_year in per_year:
                    per_year[t.planned_year].late += 1
            elif row.status == SCHEDULED:
                report.scheduled += 1
            elif row.status == PLANNED:
                report.planned += 1
            else:
                report.unplanned += 1
            if row.scheduled_year in per_year:
                per_year[row.scheduled_year].scheduled += 1
        if row.years_since is None or row.years_since >= stale_years:
            report.stale.append(row)
    cumulative = 0
    for y in years:
        cumulative += per_year[y].covered
        per_year[y].cumulative = cumulative
        per_year[y].cumulative_rate = round(cumulative * 100.0 / report.total, 1) if report.total else 0.0
    report.per_year = [per_year[y] for y in years]
    report.stale.sort(key=lambda r: (r.last_year is not None, r.last_year or 0, r.target.name))
    return report
