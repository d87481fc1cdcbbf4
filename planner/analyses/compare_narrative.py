"""The comparison in words: the main trade-off of each scenario against the baseline.

Pure functions of a `Comparison` (already built for its audience, so a suppressed count of
people reads "fewer than 5 people"); a compared value and its change read as in the
report's tables (`formatting.by_unit`, `formatting.signed`).

    "More budget (Policy: budget × 1.2) raises coverage from 85% to 93% at an extra cost of
     361,600 a year; mean autonomy falls 1.2 points as 7 people move."
"""

from __future__ import annotations

from planner.analyses.measures import REGION_BUDGET, REGION_COST, Comparison
from planner.core.formatting import (
    by_unit,
    join_words,
    money,
    plural,
    points,
)
from planner.core.results import Repeats

SMALL_SHARE = 0.005  # half a percentage point of coverage: "keeps coverage"
SMALL_POINTS = 0.5  # of a 0-100 mean score
SMALL_MONEY = 1.0
SMALL_FTE = 0.05
REPEATS = Repeats(1, 1).sentence("inputs and seed")  # when every plan compared repeats


def comparison_narrative(c: Comparison) -> list[str]:
    """The baseline in one sentence, the scenario with most coverage, then each trade-off
    (and, when every plan repeats, that they do)."""
    sentences = [baseline_sentence(c)]
    if c.measure("coverage").values[0] is not None:
        best = best_coverage_sentence(c)
        sentences += [best] if best else []
        sentences += [trade_off_sentence(c, i) for i in range(1, len(c.scenarios))]
    return sentences + ([REPEATS] if c.repeats else [])


def baseline_sentence(c: Comparison) -> str:
    coverage, planned, cost = (c.measure(k).values[0]
                               for k in ("coverage", "planned_coverage", "cost"))
    others = len(c.scenarios) - 1
    compared = f"{plural(others, 'scenario')} compared with the baseline"
    if coverage is None:
        return (f"{compared}: the baseline has no plan ({c.scenarios[0].status}), so no "
                "change can be measured against it.")
    return (f"{compared}, which fills {by_unit(coverage, 'share')} of demand "
            f"({by_unit(planned, 'share')} with recruitment) at {by_unit(cost, 'money')} "
            f"a year.")


def best_coverage_sentence(c: Comparison) -> str | None:
    """The scenario that leaves least demand unmet (with recruitment), in FTE: a ratio
    alone would let a scenario that shrinks demand read as a gain."""
    unmet = c.measure("unmet_fte")
    cuts = [(d, i) for i, d in enumerate(unmet.deltas) if d is not None and i]
    if not cuts:
        return None
    cut, index = min(cuts, key=lambda item: (item[0], item[1]))
    if cut > -SMALL_FTE:
        return "No scenario leaves less demand unmet than the baseline, with recruitment."
    planned = c.measure("planned_coverage")
    return (f"{c.scenarios[index].name} leaves the least demand unmet: "
            f"{by_unit(unmet.values[index], 'fte')} FTE with recruitment, against "
            f"{by_unit(unmet.values[0], 'fte')} (coverage with recruitment "
            f"{by_unit(planned.values[index], 'share')}).")


def trade_off_sentence(c: Comparison, index: int) -> str:
    """What the scenario does to coverage and cost, and what it costs people."""
    info = c.scenarios[index]
    said = ([f"on top of {info.base}"] if info.base else []) + list(info.changes)
    label = f"{info.name} ({join_words(said, limit=2)})" if said else info.name
    if c.measure("coverage").values[index] is None:
        return f"{label} has no plan: {_no_plan(info.status)}."
    lost = _lost_phrase(c, index)
    sentence = (f"{label}: {lost}; it {_coverage_phrase(c, index)}" if lost
                else f"{label} {_coverage_phrase(c, index)}")
    sentence += _cost_phrase(c, index)
    side = [clause for clause in (_people_phrase(c, index), _recruit_phrase(c, index),
                                  _region_phrase(c, index)) if clause]
    return sentence + (f"; {join_words(side)}" if side else "") + _unpriced(c, index) + "."


def _lost_phrase(c: Comparison, index: int) -> str:
    """People who lose a placement or their post, first: '12 more people are left
    without a placement'."""
    parts = []
    for key, one, many in (("unassigned", "is left without a placement",
                            "are left without a placement"),
                           ("moves", "loses their current post", "lose their current post")):
        value, base = c.measure(key).values[index], c.measure(key).values[0]
        delta = c.measure(key).deltas[index]
        if isinstance(delta, int | float) and delta > 0:
            parts.append(f"{plural(int(delta), 'more person', 'more people')} "
                         f"{one if delta == 1 else many}")
        elif isinstance(value, str) and value != base:  # suppressed for directors
            parts.append(f"{value} people {many}, against {base}")
    return join_words(parts)


def _unpriced(c: Comparison, index: int) -> str:
    """A scenario that warms a climate: what its staff education costs a year, or that it
    is not counted (no Policy climate_step_cost)."""
    education = c.measure("education_cost").values[index]
    if education is None and c.measure("coverage").values[index] is not None:
        return ("; what raising the climate takes (staff education) is not counted: set "
                "Policy climate_step_cost to count it")
    if isinstance(education, int | float) and education > 0:
        return f"; raising the climate takes staff education costing {money(education)} a year"
    return ""


def _coverage_phrase(c: Comparison, index: int) -> str:
    """Coverage, and beside it the unmet demand in FTE: shrinking demand raises the ratio
    without covering anything more."""
    coverage, planned = c.measure("coverage"), c.measure("planned_coverage")
    unmet = c.measure("unmet_fte")
    now = by_unit(coverage.values[index], "share")
    beside = (f" (unmet with recruitment {by_unit(unmet.values[0], 'fte')} → "
              f"{by_unit(unmet.values[index], 'fte')} FTE)")
    delta = coverage.deltas[index] or 0.0
    if abs(delta) >= SMALL_SHARE:
        verb = "raises" if delta > 0 else "lowers"
        return (f"{verb} coverage from {by_unit(coverage.values[0], 'share')} to "
                f"{now}{beside}")
    planned_delta = planned.deltas[index] or 0.0
    if abs(planned_delta) >= SMALL_SHARE:
        verb = "raises" if planned_delta > 0 else "lowers"
        return (f"keeps coverage at {now} but {verb} coverage with recruitment from "
                f"{by_unit(planned.values[0], 'share')} to "
                f"{by_unit(planned.values[index], 'share')}{beside}")
    return f"keeps coverage at {now}"


def _cost_phrase(c: Comparison, index: int) -> str:
    delta = c.measure("cost").deltas[index]
    if delta is None:
        return ""
    if abs(delta) < SMALL_MONEY:
        return " at the same cost"
    if delta > 0:
        return f" at an extra cost of {money(delta)} a year"
    return f" and saves {money(-delta)} a year"


def _people_phrase(c: Comparison, index: int) -> str:
    """'mean autonomy falls 1.2 points as 7 people move'."""
    changes = []
    for key, label in (("mean_fit", "mean fit"), ("mean_autonomy", "mean autonomy")):
        delta = c.measure(key).deltas[index]
        if delta is not None and abs(delta) >= SMALL_POINTS:
            changes.append(f"{label} {'rises' if delta > 0 else 'falls'} "
                           f"{points(abs(delta))} points")
    quality = join_words(changes)
    moved = c.measure("moved_vs_baseline").values[index]
    if not moved:
        return quality
    movers = f"{plural(moved, 'person', 'people')} {'moves' if moved == 1 else 'move'}"
    return f"{quality} as {movers}" if quality else movers


def _recruit_phrase(c: Comparison, index: int) -> str:
    delta = c.measure("vacancies").deltas[index]
    if not delta:
        return ""
    n = abs(int(delta))
    return (f"{n} {'more' if delta > 0 else 'fewer'} "
            f"{'position is' if n == 1 else 'positions are'} to be recruited")


def _region_phrase(c: Comparison, index: int) -> str:
    """'spending in North falls 28,824 and in East rises 28,824 a year': where spending
    moves between regions, in a scenario that changes a region's own budget."""
    budgets = [m for m in c.kpis if m.key.startswith(REGION_BUDGET)]
    if not any(m.values[index] != m.values[0] for m in budgets):
        return ""
    changes = []
    for m in c.kpis:
        delta = m.deltas[index]
        if m.key.startswith(REGION_COST) and delta is not None and abs(delta) >= SMALL_MONEY:
            changes.append(f"in {m.key.removeprefix(REGION_COST)} "
                           f"{'rises' if delta > 0 else 'falls'} {money(abs(delta))}")
    return f"spending {join_words(changes)} a year" if changes else ""


def _no_plan(status: str) -> str:
    if status == "infeasible":
        return "its rules cannot all hold"
    return "the time limit passed before a plan was found"
