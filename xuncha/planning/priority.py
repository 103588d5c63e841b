"""The priority score of special-inspection targets (专项巡察重点对象排序): transparent arithmetic.

Each factor turns a raw figure into 0–100 points; the score is the weighted mean of the points:

    score = Σ weight_i × points_i ÷ Σ weight_i

| factor | points |
| --- | --- |
| 社会关注度 | 高 100, 中 50, 低 or not set 0 |
| 职级不高权力较大 | yes 100, no 0 |
| 专项资金规模 | funds ÷ reference × 100, at most 100 |
| 信访举报量 | petitions ÷ reference × 100, at most 100 |
| 上次巡察发现问题 | problems ÷ reference × 100, at most 100 |
| 距上次巡察年数 | years ÷ reference × 100, at most 100; never inspected 100 |

Pure functions over plain data; the ranking page shows every factor of every score.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Weights", "UnitFacts", "Factor", "Score", "score", "rank", "ATTENTION_POINTS"]

ATTENTION_POINTS = {"high": 100.0, "medium": 50.0, "low": 0.0}
ATTENTION_LABELS = {"high": "高", "medium": "中", "low": "低"}


@dataclass(frozen=True)
class Weights:
    attention: int = 20
    power: int = 15
    fund: int = 15
    petition: int = 20
    problem: int = 15
    years: int = 15
    fund_ref: float = 10000.0
    petition_ref: int = 20
    problem_ref: int = 20
    years_ref: int = 5

    @property
    def total(self) -> int:
        return self.attention + self.power + self.fund + self.petition + self.problem + self.years


@dataclass(frozen=True)
class UnitFacts:
    unit_id: int
    name: str
    category: str = ""
    system: str = ""
    social_attention: str = ""
    low_rank_high_power: bool = False
    special_fund: float | None = None  # 万元
    petitions: int | None = None
    problems: int | None = None
    last_year: int | None = None  # the last year the unit was inspected


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    raw: str
    points: float
    weight: int
    contribution: float  # points × weight ÷ total weight: the factor's share of the score


@dataclass(frozen=True)
class Score:
    facts: UnitFacts
    total: float
    factors: tuple[Factor, ...]


def _ratio(value: float | None, reference: float) -> float:
    if not value or reference <= 0:
        return 0.0
    return min(100.0, float(value) * 100.0 / float(reference))


def _num(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.2f}".rstrip("0").rstrip(".")


def score(facts: UnitFacts, weights: Weights, year: int) -> Score:
    years_since = None if facts.last_year is None else max(year - facts.last_year, 0)
    rows = [
        ("attention", "社会关注度", ATTENTION_LABELS.get(facts.social_attention, "未填"),
         ATTENTION_POINTS.get(facts.social_attention, 0.0), weights.attention),
        ("power", "职级不高权力较大", "是" if facts.low_rank_high_power else "否",
         100.0 if facts.low_rank_high_power else 0.0, weights.power),
        ("fund", "专项资金规模", "未填" if facts.special_fund is None else f"{_num(facts.special_fund)} 万元",
         _ratio(facts.special_fund, weights.fund_ref), weights.fund),
        ("petition", "信访举报量", "未填" if facts.petitions is None else f"{facts.petitions} 件",
         _ratio(facts.petitions, weights.petition_ref), weights.petition),
        ("problem", "上次巡察发现问题", "未填" if facts.problems is None else f"{facts.problems} 个",
         _ratio(facts.problems, weights.problem_ref), weights.problem),
        ("years", "距上次巡察年数", "从未巡察" if years_since is None else f"{years_since} 年",
         100.0 if years_since is None else _ratio(years_since, weights.years_ref), weights.years),
    ]
    total_weight = weights.total
    factors = tuple(
        Factor(key, label, raw, round(points, 1), weight,
               round(points * weight / total_weight, 1) if total_weight else 0.0)
        for key, label, raw, points, weight in rows)
    total = sum(points * weight for _, _, _, points, weight in rows) / total_weight if total_weight else 0.0
    return Score(facts=facts, total=round(total, 1), factors=factors)


def rank(units: list[UnitFacts], weights: Weights, year: int) -> list[Score]:
    """Highest score first; equal scores by name (then id), so the order is stable."""
    return sorted((score(u, weights, year) for u in units), key=lambda s: (-s.total, s.facts.name, s.facts.unit_id))
