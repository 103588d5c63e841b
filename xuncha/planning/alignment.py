"""The alignment check (规划对标): a county's five-year and annual plans against the city's.

Pure functions over plain data. The city and the county should plan the same kinds of targets in
the same year, and run their rounds in the same order (DOMAIN.md, stage 1). Every difference is
listed, in Chinese, with the year and (for rounds) the round it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["PlanSide", "Difference", "compare"]


@dataclass
class PlanSide:
    """What one authority planned: kinds of targets per year (五年规划), and per year its rounds in
    order as (number, kind label, kinds of targets)."""

    name: str  # 江城市委
    planned_kinds: dict[int, set[str]] = field(default_factory=dict)
    rounds: dict[int, list[tuple[int, str, set[str]]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Difference:
    section: str  # "五年规划", "轮次顺序", "轮次对象"
    year: int
    round_no: int | None
    message: str


def _kinds(values: set[str]) -> str:
    return "、".join(f"「{v}」" for v in sorted(values))


def compare(city: PlanSide, county: PlanSide, years: list[int]) -> list[Difference]:
    diffs: list[Difference] = []
    for year in years:
        ours, theirs = county.planned_kinds.get(year, set()), city.planned_kinds.get(year, set())
        if theirs - ours:
            diffs.append(Difference("五年规划", year, None,
                                    f"{year} 年：{city.name}安排了{_kinds(theirs - ours)}，{county.name}未安排。"))
        if ours - theirs:
            diffs.append(Difference("五年规划", year, None,
                                    f"{year} 年：{county.name}安排了{_kinds(ours - theirs)}，{city.name}未安排。"))
    for year in years:
        city_rounds = sorted(city.rounds.get(year, []))
        county_rounds = sorted(county.rounds.get(year, []))
        for i in range(max(len(city_rounds), len(county_rounds))):
            position = i + 1
            mine = county_rounds[i] if i < len(county_rounds) else None
            upper = city_rounds[i] if i < len(city_rounds) else None
            where = f"{year} 年第 {position} 轮"
            if upper is None:
                diffs.append(Difference("轮次顺序", year, position,
                                        f"{where}：{county.name}安排了「{mine[1]}」，{city.name}没有第 {position} 轮。"))
                continue
            if mine is None:
                diffs.append(Difference("轮次顺序", year, position,
                                        f"{where}：{city.name}安排了「{upper[1]}」，{county.name}没有第 {position} 轮。"))
                continue
            if upper[1] != mine[1]:
                diffs.append(Difference("轮次顺序", year, position,
                                        f"{where}：{city.name}为「{upper[1]}」，{county.name}为「{mine[1]}」。"))
            if upper[2] - mine[2]:
                diffs.append(Difference("轮次对象", year, position,
                                        f"{where}：{city.name}巡察了{_kinds(upper[2] - mine[2])}，{county.name}未巡察。"))
            if mine[2] - upper[2]:
                diffs.append(Difference("轮次对象", year, position,
                                        f"{where}：{county.name}巡察了{_kinds(mine[2] - upper[2])}，{city.name}未巡察。"))
    return diffs
