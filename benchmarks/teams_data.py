"""(helper) Realistic synthetic people for the teams benchmarks, as `xuncha.teams.recusal` data.

Counties sit on a ring; a county's neighbours are the two on either side. Each person holds a
current post in their county and up to two earlier ones (mostly in the same county, sometimes a
neighbour, 1–8 years each); three in ten have a spouse working in a unit (mostly their own county),
some a sibling; one in a hundred has declared recusal for a neighbour's unit. Target units have a
leadership (局长, two 副局长) whose careers also cross county lines now and then, so all five recusal
rules fire. City cadres (the cross groups' leaders) sometimes served in a county recently.
"""

from __future__ import annotations

import datetime
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from xuncha.teams import recusal  # noqa: E402

TODAY = datetime.date(2026, 11, 30)
SKILLS = ("finance", "audit", "discipline", "organization", "law", "writing", "petition", "engineering")
SKILL_WEIGHTS = (3, 3, 3, 2, 2, 2, 1, 1)
STAFF_POSTS = ("科员", "副科长", "科长", "干事", "副主任科员", "主任科员", "办公室主任")


@dataclass
class World:
    counties: list[tuple[int, str]]
    units: dict[int, list[int]]  # county id -> unit ids
    unit_county: dict[int, int]
    unit_names: dict[int, str]
    targets: list[recusal.Target]
    members: dict[int, list[recusal.Person]]  # county id -> its pool
    city_leaders: list[recusal.Person]
    declarations: list[recusal.Declaration] = field(default_factory=list)
    skills: dict[int, frozenset[str]] = field(default_factory=dict)
    workload: dict[int, int] = field(default_factory=dict)


class Generator:
    def __init__(self, seed: int = 1):
        self.rng = random.Random(seed)
        self.next_id = 1

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    def _career(self, home_units, away_units, *, current_unit, current_post, cross_rate: float,
                years_back: int = 16) -> tuple[recusal.Post, ...]:
        start = TODAY - datetime.timedelta(days=self.rng.randint(365, 8 * 365))
        posts = [recusal.Post(current_unit, f"单位{current_unit}", current_post, start, None)]
        end = start - datetime.timedelta(days=1)
        for _ in range(self.rng.randint(0, 2)):
            begin = end - datetime.timedelta(days=self.rng.randint(365, 6 * 365))
            if begin < TODAY - datetime.timedelta(days=365 * years_back):
                break
            pool = away_units if away_units and self.rng.random() < cross_rate else home_units
            unit = self.rng.choice(pool)
            posts.append(recusal.Post(unit, f"单位{unit}", self.rng.choice(STAFF_POSTS + ("副局长", "局长")), begin, end))
            end = begin - datetime.timedelta(days=1)
        return tuple(posts)

    def _relatives(self, home_units, away_units) -> tuple[recusal.Relative, ...]:
        relatives = []
        roll = self.rng.random()
        if roll < 0.3:
            pool = away_units if away_units and self.rng.random() < 0.1 else home_units
            relatives.append(recusal.Relative("配偶", f"配偶{self.next_id}", self.rng.choice(pool), "", "科员"))
        elif roll < 0.38:
            relatives.append(recusal.Relative("兄弟姐妹", f"亲属{self.next_id}", self.rng.choice(home_units), "", ""))
        return tuple(relatives)

    def _skills(self) -> frozenset[str]:
        return frozenset(self.rng.choices(SKILLS, SKILL_WEIGHTS, k=self.rng.choice((1, 1, 2))))

    def world(self, n_counties: int, *, per_county: int = 14, units_per_county: int = 30, targets_per_county: int = 3,
              city_leaders: int | None = None) -> World:
        counties = [(i, f"第{i}县") for i in range(1, n_counties + 1)]
        units, unit_county, unit_names = {}, {}, {}
        for cid, name in counties:
            units[cid] = [self._id() for _ in range(units_per_county)]
            for k, u in enumerate(units[cid]):
                unit_county[u] = cid
                unit_names[u] = f"{name}单位{k + 1}"
        city_units = [self._id() for _ in range(40)]

        def neighbours(cid):
            return [((cid - 1 + d) % n_counties) + 1 for d in (-2, -1, 1, 2) if n_counties > 2]

        def away(cid):
            return [u for nb in neighbours(cid) for u in units[nb]]

        world = World(counties, units, unit_county, unit_names, [], {}, [])
        for cid, _ in counties:
            for unit in units[cid][:targets_per_county]:
                leaders = []
                for post in ("党组书记、局长", "党组成员、副局长", "党组成员、副局长"):
                    pid = self._id()
                    career = self._career(units[cid], away(cid) + city_units, current_unit=unit, current_post=post,
                                          cross_rate=0.2)
                    leaders.append(recusal.Person(pid, f"领导{pid}", career, (), post))
                world.targets.append(recusal.Target(unit, unit_names[unit], {}, tuple(leaders)))
            world.members[cid] = []
            for j in range(per_county):
                pid = self._id()
                home = units[cid]
                person = recusal.Person(
                    pid, f"县{cid}干部{pid}",
                    self._career(home, away(cid), current_unit=self.rng.choice(home), current_post=self.rng.choice(
                        STAFF_POSTS), cross_rate=0.15),
                    self._relatives(home, away(cid)))
                world.members[cid].append(person)
                # a curated pool: at least two people for each of 财务, 审计, 纪检
                world.skills[pid] = self._skills() | ({SKILLS[j % 3]} if j < 6 else set())
                world.workload[pid] = self.rng.choice((0, 0, 0, 1, 1, 2))
                if self.rng.random() < 0.01:
                    target = self.rng.choice([t for t in world.targets if world.unit_county[t.unit_id] != cid] or
                                             world.targets)
                    world.declarations.append(recusal.Declaration(pid, target.unit_id, "self", "曾在该单位挂职"))
        all_county_units = [u for cid in units for u in units[cid]]
        for _ in range(city_leaders if city_leaders is not None else int(n_counties * 1.3) + 2):
            pid = self._id()
            career = self._career(city_units, all_county_units, current_unit=self.rng.choice(city_units),
                                  current_post=self.rng.choice(("局长", "副局长")), cross_rate=0.25)
            world.city_leaders.append(recusal.Person(pid, f"市干部{pid}", career, self._relatives(city_units,
                                                                                               all_county_units)))
            world.skills[pid] = self._skills()
            world.workload[pid] = self.rng.choice((0, 0, 1))
        return world
