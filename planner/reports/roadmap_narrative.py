"""The roadmap's executive summary: plain sentences written from its figures.

As `narrative` does for a plan: each function takes the roadmap as its audience sees it
(`RoadmapShown`) and returns a sentence, or None when there is nothing to say. Counts of
people go through `RoadmapShown.count`, so a director never reads a group smaller than k;
counts are given year by year, never added up (a total beside shown years would give a
suppressed year back).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from planner.analyses.roadmap import COVER_PERCENTILES, COVER_SAMPLES, Hire, YearSummary
from planner.core.formatting import fte, join_words, money, pct, plural
from planner.core.results import Status
from planner.reports.roadmap_files import RoadmapShown, recruit_start_words


def roadmap_summary(shown: RoadmapShown) -> list[str]:
    """The summary's sentences, coverage first."""
    if not shown.roadmap.years:
        return []
    makers: list[Callable[[RoadmapShown], str | None]] = [
        coverage_sentence, leaving_sentence, recruitment_sentence, career_sentence,
        reached_sentence, cost_sentence, proof_sentence, repeats_sentence,
    ]
    return [s for s in (make(shown) for make in makers) if s]


def coverage_sentence(shown: RoadmapShown) -> str:
    """Demand covered with recruitment (and by staff) in the first and the last year."""
    years = shown.roadmap.years
    first, last = years[0], years[-1]
    text = (f"In year 1 the roadmap covers {pct(first.planned_coverage)} of the "
            f"{fte(first.demand_fte)} FTE of peer support that services need with the "
            f"positions it recruits ({pct(first.coverage)} filled by staff)")
    if len(years) == 1:
        return text + "."
    return (f"{text}; by year {last.year}, {pct(last.planned_coverage)} of "
            f"{fte(last.demand_fte)} FTE ({pct(last.coverage)} filled by staff).")


def leaving_sentence(shown: RoadmapShown) -> str:
    """FTE lost to people leaving, and the year whose cover falls lowest as they leave."""
    roadmap = shown.roadmap
    rate = roadmap.settings.get("attrition_rate")
    low_year = min(roadmap.years, key=lambda y: (y.cover_range[0], y.year))
    low, _, high = low_year.cover_range
    lost = [y for y in roadmap.years if y.lost_fte > 0]
    text = ""
    if lost:
        taken = [f"{fte(y.lost_fte)} FTE going into year {y.year}" for y in lost]
        text = (f"People leaving ({pct(rate)} of available FTE a year) take "
                f"{join_words(taken)}. ")
    return (f"{text}As people leave within a year, demand covered with recruitment falls to "
            f"between {pct(low)} and {pct(high)} in year {low_year.year}, the lowest year "
            f"(the {_nth(COVER_PERCENTILES[0])} to {_nth(COVER_PERCENTILES[-1])} percentile "
            f"of {COVER_SAMPLES} sampled leaving patterns).")


def recruitment_sentence(shown: RoadmapShown) -> str:
    """How many positions to recruit, needed when, and when to start."""
    hires = shown.roadmap.hires
    if not hires:
        return "The roadmap recruits nobody: staff fill every position it opens."
    by_year: dict[int, list[Hire]] = defaultdict(list)
    for hire in hires:
        by_year[hire.year_needed].append(hire)
    parts = [f"{plural(sum(h.positions for h in group), 'position')} "
             f"({fte(sum(h.fte for h in group))} FTE) for year {year}, starting "
             f"{recruit_start_words(min(h.start_month for h in group))}"
             for year, group in sorted(by_year.items())]
    cost = sum(h.cost for h in hires)
    return (f"The roadmap recruits {join_words(parts, limit=10)}; "
            f"{money(cost)} a year once all are in post.")


def career_sentence(shown: RoadmapShown) -> str:
    """Supported stretch placements and steps up to a higher-saliency role, by year."""
    years = shown.roadmap.years
    stretch = _by_year(shown, years, "stretch_placements")
    steps = _by_year(shown, years[1:], "progressions")
    text = f"Supported stretch placements (one level above readiness, under a peer " \
           f"supervisor): {stretch}"
    return text + (f"; people stepping up to a higher-saliency role: {steps}." if steps
                   else ".")


def reached_sentence(shown: RoadmapShown) -> str:
    """What supported stretch yields: people of today's staff at a higher readiness tier
    after the last year."""
    roadmap = shown.roadmap
    reached = shown.count(roadmap.reached_higher_tier)
    if isinstance(reached, str):
        who = f"fewer than {shown.k}"
    else:
        who = f"{reached:,}" if reached else "none"
    verb = "reaches" if reached in (0, 1) else "reach"
    return (f"By the end of year {roadmap.years[-1].year}, {who} of today's staff {verb} a "
            f"higher readiness tier (low 1–2, middle 3, high 4–5) than today.")


def cost_sentence(shown: RoadmapShown) -> str:
    """Cost each year against that year's budget."""
    years = shown.roadmap.years
    if all(y.budget is None for y in years):
        costs = join_words([f"{money(y.cost)} in year {y.year}" for y in years], limit=10)
        return f"The roadmap costs {costs}; no budget was set."
    over = [y for y in years if y.budget is not None and y.cost > y.budget]
    shares = join_words([f"{money(y.cost)} ({pct(y.cost / y.budget, 1)} of "
                         f"{money(y.budget)}) in year {y.year}"
                         for y in years if y.budget], limit=10)
    if over:
        named = join_words([f"year {y.year}" for y in over])
        return f"The roadmap costs {shares}: over the budget in {named}."
    return f"The roadmap costs {shares}: within the budget every year."


def proof_sentence(shown: RoadmapShown) -> str:
    """Whether each year's plan is proven optimal, or the gap left at the time limit (or,
    every year's plan repeating, at its set amount of work)."""
    years = shown.roadmap.years
    open_years = [y for y in years if y.status != Status.OPTIMAL.value]
    if not open_years:
        return "Every year's plan is proven optimal."
    named = join_words([_open(y) for y in open_years], limit=10)
    limit = "a set amount of work" if shown.roadmap.repeats.every else "the time limit"
    return f"Not proven optimal within {limit}: {named}."


def repeats_sentence(shown: RoadmapShown) -> str | None:
    """That the same workbook and seed give the years' plans again, when they do
    (`planner roadmap --reproducible`)."""
    return shown.roadmap.repeats.sentence()


def _open(year: YearSummary) -> str:
    gap = f", gap {pct(year.gap, 2)}" if year.gap is not None else ""
    return f"year {year.year} ({year.status}{gap})"


def _by_year(shown: RoadmapShown, years: tuple[YearSummary, ...], key: str) -> str:
    return ", ".join(f"{shown.count(getattr(y, key))} in year {y.year}" for y in years)


def _nth(n: int) -> str:
    return f"{n}th"
