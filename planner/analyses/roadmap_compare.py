"""Roadmaps side by side (`planner compare ORG --roadmap`): the baseline and each
scenario planned over the same years, compared year by year.

Each roadmap is planned in a worker process of its own (`workers.Workers.map`), so the
roadmaps are the ones `planner roadmap` gives. The comparison holds organisation-level
figures only, with counts of people below k as "<k" for directors; each roadmap's own
files (its audience's view) go to a folder of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from planner.analyses.compare import unique_slug
from planner.analyses.roadmap import Roadmap, people_in_tier, plan_roadmap
from planner.analyses.workers import Workers
from planner.core.audience import Audience, people_count
from planner.core.domain import Org
from planner.core.formatting import join_words, money, pct
from planner.core.results import Repeats
from planner.workbook.scenario_sheet import Scenario

Value = float | int | str | None


@dataclass(frozen=True)
class RoadmapTask:
    """One roadmap to plan, picklable for a worker process."""

    org: Org
    years: int
    time_limit: float | None  # each year's (None: the Policy's)
    seed: int | None
    reproducible: bool = False  # every year's searches stop on their work


def plan_roadmap_task(task: RoadmapTask) -> Roadmap:
    total = None if task.time_limit is None else task.time_limit * task.years
    return plan_roadmap(task.org, years=task.years, time_limit=total, seed=task.seed,
                        reproducible=task.reproducible)


@dataclass(frozen=True)
class RoadmapColumn:
    """One scenario's roadmap in the comparison."""

    name: str
    slug: str  # the folder of its roadmap files
    description: str
    changes: tuple[str, ...]
    value: float
    reached_higher_tier: Value
    hires: int  # positions scheduled for recruitment over the years


@dataclass(frozen=True)
class YearRow:
    """One measure in one year, for every scenario (baseline first)."""

    year: int
    key: str
    label: str
    unit: str  # share, fte, money, people, positions
    values: tuple[Value, ...]


@dataclass(frozen=True)
class RoadmapComparison:
    audience: str
    k: int
    years: int
    scenarios: tuple[RoadmapColumn, ...]
    rows: tuple[YearRow, ...]
    narrative: tuple[str, ...]
    repeats: bool = False  # every year's plan of every roadmap: the same again on this machine


def plan_roadmaps(orgs: Mapping[str, Org], *, years: int, time_limit: float | None = None,
                  seed: int | None = None, jobs: int | None = None,
                  reproducible: bool = False) -> dict[str, Roadmap]:
    """Every organisation's roadmap, in parallel, under the same names (baseline first).
    `reproducible`: every year's searches stop on their work (`plan_roadmap`)."""
    tasks = {name: RoadmapTask(org, years, time_limit, seed, reproducible)
             for name, org in orgs.items()}
    with Workers(jobs) as workers:
        made = workers.map(plan_roadmap_task, tasks)
    return {name: made[name] for name in orgs}


# (key, label, unit, the figure of a year)
MEASURES = (
    ("planned_coverage", "Demand covered with recruitment", "share"),
    ("coverage", "Demand filled by staff", "share"),
    ("cover_low", "Cover as people leave (5th percentile)", "share"),
    ("filled_high_fte", "High-saliency FTE filled", "fte"),  # "<k" when fewer fill it
    ("to_recruit_fte", "FTE to recruit", "fte"),
    ("stretch_placements", "Supported stretch placements", "people"),
    ("progressions", "People stepping up", "people"),
    ("cost", "Cost", "money"),
)


def compare_roadmaps(roadmaps: Mapping[str, Roadmap], scenarios: Mapping[str, Scenario],
                     audience: Audience, k: int) -> RoadmapComparison:
    """The roadmaps year by year, measure by measure, and what differs in words."""
    audience = Audience(audience)
    taken: set[str] = set()
    columns = []
    for name, roadmap in roadmaps.items():
        scenario = scenarios.get(name)
        columns.append(RoadmapColumn(
            name, unique_slug(name, taken), scenario.description if scenario else "",
            scenario.changes(private=audience is Audience.DIRECTOR) if scenario else (),
            roadmap.value, people_count(roadmap.reached_higher_tier, k, audience),
            sum(h.positions for h in roadmap.hires)))
    years = min(len(r.years) for r in roadmaps.values())
    rows = tuple(YearRow(year, key, label, unit,
                         tuple(_figure(r, year, key, unit, k, audience)
                               for r in roadmaps.values()))
                 for year in range(1, years + 1) for key, label, unit in MEASURES)
    repeats = sum((r.repeats for r in roadmaps.values()), Repeats())
    return RoadmapComparison(audience.value, k, years, tuple(columns), rows,
                             tuple(_narrative(roadmaps, years, k, audience, repeats)),
                             repeats.every)


def _figure(roadmap: Roadmap, year: int, key: str, unit: str, k: int,
            audience: Audience) -> Value:
    summary = roadmap.years[year - 1]
    if key == "cover_low":
        return summary.cover_range[0]
    if key == "filled_high_fte":  # the FTE of fewer than k people would tell theirs
        people = people_in_tier(roadmap.plans[year - 1], "high")
        if isinstance(people_count(people, k, audience), str):
            return people_count(people, k, audience)
        return next(t.filled_fte for t in summary.tiers if t.tier == "high")
    value = getattr(summary, key)
    return people_count(value, k, audience) if unit == "people" else value


def _narrative(roadmaps: Mapping[str, Roadmap], years: int, k: int,
               audience: Audience, repeats: Repeats) -> list[str]:
    """The last year of each scenario against the baseline's, in figures the roadmaps
    hold (organisation-level: no count of people; for directors no high-saliency FTE
    that fewer than k people fill)."""
    names = list(roadmaps)
    base = roadmaps[names[0]].years[years - 1]

    def few(name: str) -> bool:
        people = people_in_tier(roadmaps[name].plans[years - 1], "high")
        return isinstance(people_count(people, k, audience), str)

    sentences = [f"In year {years}, the baseline covers {pct(base.planned_coverage)} of "
                 f"demand with recruitment ({pct(base.cover_range[0])}-"
                 f"{pct(base.cover_range[2])} as people leave) at {money(base.cost)} a year."]
    for name in names[1:]:
        last = roadmaps[name].years[years - 1]
        high = round(_high(last) - _high(base), 2)
        parts = [f"covers {pct(last.planned_coverage)} with recruitment"]
        if not (few(names[0]) or few(name)):
            parts.append(f"{abs(high):g} FTE {'more' if high >= 0 else 'less'} filled in "
                         "high-saliency roles" if abs(high) >= 0.05 else
                         "as much high-saliency FTE filled")
        parts.append(f"costs {money(last.cost)} a year")
        sentences.append(f"{name}: in year {years} it {join_words(parts)}.")
    again = repeats.sentence("inputs and seed")
    return sentences + ([again] if again else [])


def _high(summary) -> float:
    return round(next(t.filled_fte for t in summary.tiers if t.tier == "high"), 2)
