"""The trade-off between fit and autonomy, traced by the epsilon-constraint method.

Fit (competence, relatedness) and autonomy (choice, freedom to disclose) pull apart: the
role a person asks for is not always the one their readiness and lived experience suit
best. The frontier shows what one costs in the other, over every hard rule of the model.

Totals are FTE-weighted sums over the placements, Σ fte·fit and Σ fte·autonomy, in
FTE-points (one full-time placement scoring 70 adds 70). The method:

1. the extremes: maximise total fit alone, then total autonomy alone;
2. between the two extremes' autonomy, `levels` evenly spaced epsilons; for each,
   maximise total fit subject to total autonomy ≥ epsilon.

Each point's objective is augmented (Mavrotas's AUGMECON): the other total counts
1/`TIE_BREAK` as much, so among plans of equal fit the one with more autonomy wins and no
point is weakly dominated; the fit it can cost is at most (autonomy range)/`TIE_BREAK`.
A position to recruit costs one hundredth of a point, so a point recruits only what the
rules need (a supervisor). Every hard rule of the model stays.

    frontier, written = write_frontier(org, "out/frontier")
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from planner.analyses.workers import Variant, Workers
from planner.core import formatting
from planner.core.domain import Org
from planner.core.errors import UsageError
from planner.core.formatting import join_words, num, pct
from planner.core.results import Plan, Repeats, Status
from planner.solve.edits import StartFrom
from planner.solve.model import SCALE, BuiltModel, hundredths

DEFAULT_LEVELS = 6
MIN_POINT_SECONDS = 5.0
TIE_BREAK = 1000
FIT, AUTONOMY = "fit", "autonomy"
METHOD = (
    "Epsilon-constraint method: maximise total fit, then total autonomy, alone (the two "
    "extremes); then, for evenly spaced levels between the extremes' autonomy, maximise "
    "total fit subject to total autonomy at least that level. Totals are FTE-weighted "
    "sums over the placements (FTE-points). Each objective counts the other total "
    f"1/{TIE_BREAK} as much as a tie-break, so no point is beaten on both totals when "
    "solved to optimality. Every hard rule of the model holds at every point."
)


@dataclass(frozen=True)
class FrontierObjective:
    """Maximise total `primary` (fit or autonomy), the other as a tie-break; with an
    `epsilon`, total autonomy must reach it (FTE-points)."""

    primary: str
    epsilon: float | None = None

    def apply(self, built: BuiltModel) -> None:
        fit, autonomy = weighted_scores(built, FIT), weighted_scores(built, AUTONOMY)
        main, other = (fit, autonomy) if self.primary == FIT else (autonomy, fit)
        terms = [(x, TIE_BREAK * m + o) for x, m, o in zip(built.x, main, other, strict=True)]
        terms += [(slot.var, -1) for slot in built.vacancies]
        built.objective_terms = terms
        built.model.maximize(cp_model.LinearExpr.weighted_sum(
            [v for v, _ in terms], [c for _, c in terms]))
        built.rules.append(f"frontier objective: maximise total {self.primary}")
        if self.epsilon is not None:
            least = math.ceil(round(self.epsilon * SCALE, 6))
            built.model.add(cp_model.LinearExpr.weighted_sum(built.x, autonomy) >= least)
            built.rules.append(f"frontier: total autonomy ≥ {self.epsilon:,.2f} FTE-points")


def weighted_scores(built: BuiltModel, score: str) -> list[int]:
    """fte × fit (or autonomy) of each candidate, in hundredths of an FTE-point."""
    return [hundredths(c.fte * getattr(c.score, score)) for c in built.candidates]


@dataclass(frozen=True)
class FrontierPoint:
    """One plan on the frontier, with the totals it reaches and how well it was solved.

    `objective` is the organisation's usual weighted objective of this plan, so it
    compares with the recommended plan; `gap` is that of the point's own problem.
    """

    number: int
    label: str
    epsilon: float | None
    total_fit: float
    total_autonomy: float
    mean_fit: float
    mean_autonomy: float
    coverage: float
    top_choice_share: float
    objective: float | None
    status: str
    gap: float | None
    solve_seconds: float
    folder: str
    dominated: bool = False
    plan: Plan | None = field(default=None, compare=False, repr=False)

    def as_json(self) -> dict:
        fields = dict(self.__dict__)
        fields.pop("plan")
        return fields


@dataclass(frozen=True)
class Frontier:
    """The points from most fit (first) to most autonomy (last), and the recommended
    plan (the usual objective's optimum) for reference."""

    points: tuple[FrontierPoint, ...]
    recommended: FrontierPoint | None
    seconds_per_point: float
    levels: int
    source: str = ""
    input_sha256: str = ""
    infeasible: bool = False  # no point has a plan because none keeps the rules
    # of every plan made (`trace_frontier(reproducible=True)`)
    repeats: Repeats = field(default_factory=Repeats)


EPSILON_MARGIN = 1.0  # FTE-points a start clears an epsilon by (totals are rounded)


def seconds_per_point(org: Org, levels: int, time_limit: float | None) -> float:
    """The time limit given, else the Policy's split over the points, at least
    `MIN_POINT_SECONDS` (a short solve still gives a plan; its gap says how good)."""
    if time_limit is not None:
        return time_limit
    return max(MIN_POINT_SECONDS, org.policy.time_limit / (levels + 2))


def trace_frontier(org: Org, *, levels: int = DEFAULT_LEVELS, time_limit: float | None = None,
                   jobs: int | None = None, reproducible: bool = False) -> Frontier:
    """Solve the two extremes (and the recommended plan), then `levels` epsilon points
    between them, each in a worker process; `time_limit` is per point. `reproducible`:
    every point's searches stop on their work (`planning.plan`)."""
    if levels < 1:
        raise UsageError(f"levels must be at least 1, got {levels}")
    seconds = seconds_per_point(org, levels, time_limit)
    with Workers(jobs) as workers:
        ends = workers.plan({
            "max fit": Variant(org, (FrontierObjective(FIT),), seconds),
            "max autonomy": Variant(org, (FrontierObjective(AUTONOMY),), seconds),
            "recommended": Variant(org, (), seconds),
        }, reproducible=reproducible)
        plans = {"max fit": ends["max fit"], "max autonomy": ends["max autonomy"]}
        epsilons = epsilon_levels(ends["max fit"], ends["max autonomy"], levels)
        plans |= workers.plan({
            _eps_label(eps): Variant(org, (start_for(eps, ends), FrontierObjective(FIT, eps)),
                                     seconds)
            for eps in epsilons
        }, reproducible=reproducible)
    points = _numbered([_point(label, plan, _epsilon(label, epsilons))
                        for label, plan in plans.items() if plan.kpis is not None])
    recommended = ends["recommended"]
    reference = (_point("recommended", recommended, None) if recommended.kpis else None)
    infeasible = any(plan.status is Status.INFEASIBLE for plan in plans.values())
    return Frontier(points, reference, seconds, levels, org.source, org.input_sha256[:12],
                    infeasible=not points and infeasible,
                    repeats=Repeats.of([*plans.values(), recommended]))


def start_for(epsilon: float, ends: dict[str, Plan]) -> StartFrom:
    """The plan known with the most total fit among those clear of `epsilon` total
    autonomy (the max-autonomy plan always is; the recommended plan often is, with more
    fit, so a point planned part by part does not start below it). A start that keeps the
    epsilon, so the point has a plan from its start."""
    clear = [plan for label, plan in ends.items() if plan.kpis is not None and (
        label == "max autonomy" or total(plan, AUTONOMY) >= epsilon + EPSILON_MARGIN)]
    return StartFrom.of(max(clear, key=lambda plan: total(plan, FIT)))


def epsilon_levels(max_fit: Plan, max_autonomy: Plan, levels: int) -> list[float]:
    """`levels` evenly spaced autonomy totals strictly between the extremes' (none when
    either extreme has no plan, or when they are within a hundredth of a point)."""
    if max_fit.kpis is None or max_autonomy.kpis is None:
        return []
    low, high = total(max_fit, AUTONOMY), total(max_autonomy, AUTONOMY)
    if high - low < 1 / SCALE:
        return []
    step = (high - low) / (levels + 1)
    return [math.floor((low + k * step) * SCALE) / SCALE for k in range(1, levels + 1)]


def total(plan: Plan, score: str) -> float:
    """Σ fte × fit (or autonomy) over the plan's placements, in FTE-points."""
    return sum(hundredths(a.fte * getattr(a, score)) for a in plan.assignments) / SCALE


def _eps_label(epsilon: float) -> str:
    return f"autonomy ≥ {epsilon:,.2f}"


def _epsilon(label: str, epsilons: Sequence[float]) -> float | None:
    return next((eps for eps in epsilons if _eps_label(eps) == label), None)


def _point(label: str, plan: Plan, epsilon: float | None) -> FrontierPoint:
    kpis = plan.kpis
    assert kpis is not None
    return FrontierPoint(
        number=0, label=label, epsilon=epsilon,
        total_fit=round(total(plan, FIT), 2), total_autonomy=round(total(plan, AUTONOMY), 2),
        mean_fit=kpis.mean_fit, mean_autonomy=kpis.mean_autonomy, coverage=kpis.coverage,
        top_choice_share=kpis.top_choice_share, objective=plan.objective,
        status=plan.status.value, gap=plan.gap, solve_seconds=plan.solve_seconds,
        folder="", plan=plan,
    )


def _numbered(points: list[FrontierPoint]) -> tuple[FrontierPoint, ...]:
    """From most fit to most autonomy, numbered from 1, each with its folder and whether
    another point beats it on both totals (possible only when a solve was cut short)."""
    ordered = sorted(points, key=lambda p: (p.total_autonomy, -p.total_fit))
    return tuple(
        replace(p, number=n, folder=f"point-{n:02d}", dominated=_dominated(p, ordered))
        for n, p in enumerate(ordered, start=1)
    )


def _dominated(point: FrontierPoint, others: Sequence[FrontierPoint]) -> bool:
    tol = 1 / SCALE
    return any(
        o.total_fit >= point.total_fit - tol and o.total_autonomy >= point.total_autonomy - tol
        and (o.total_fit > point.total_fit + tol or o.total_autonomy > point.total_autonomy + tol)
        for o in others
    )


# -- reading the frontier -----------------------------------------------------------------


def knee(frontier: Frontier) -> FrontierPoint | None:
    """The interior point that keeps the most of the autonomy gain for the least of the
    fit cost (the largest share gained minus share lost), when the extremes differ."""
    points = frontier.points
    if len(points) < 3:
        return None
    first, last = points[0], points[-1]
    gain, cost = last.total_autonomy - first.total_autonomy, first.total_fit - last.total_fit
    if gain <= 0 or cost <= 0:
        return None
    return max(points[1:-1], key=lambda p: (p.total_autonomy - first.total_autonomy) / gain
               - (first.total_fit - p.total_fit) / cost)


def frontier_sentences(frontier: Frontier) -> list[str]:
    """The frontier in plain words: what honouring preferences costs in fit, the knee,
    the recommended plan, and how well the points were solved."""
    points = frontier.points
    if not points and frontier.infeasible:
        return ["No plan satisfies the rules, so there is no trade-off to show."]
    if not points:
        return [f"No plan was found in the {frontier.seconds_per_point:g} s given to each "
                f"point, so there is no trade-off to show yet: allow more time per point "
                f"(--time-limit)."]
    found = [_cost_sentence(points[0], points[-1]), _knee_sentence(frontier)]
    if frontier.recommended is not None:
        r = frontier.recommended
        found.append(
            f"The recommended plan (the usual objective, which also weighs coverage, "
            f"continuity and a menu of saliency tiers) has total fit {num(r.total_fit)} "
            f"and total autonomy {num(r.total_autonomy)}.")
    again = frontier.repeats.sentence()
    return [s for s in (*found, _solved_sentence(points), again) if s]


def _cost_sentence(first: FrontierPoint, last: FrontierPoint) -> str:
    gain = last.total_autonomy - first.total_autonomy
    cost = first.total_fit - last.total_fit
    if first is last or gain < 1 / SCALE:
        return ("Fit and autonomy do not pull apart here: the plan with the most fit also "
                "has the most autonomy the rules allow.")
    return (
        f"Honouring preferences as far as the rules allow (point {last.number}) raises total "
        f"autonomy from {num(first.total_autonomy)} to {num(last.total_autonomy)} FTE-points "
        f"({_signed_pct(gain, first.total_autonomy)}) and costs {num(max(cost, 0.0))} "
        f"FTE-points of total fit ({_signed_pct(-cost, first.total_fit)}): mean fit per "
        f"placement goes from {formatting.points(first.mean_fit)} to "
        f"{formatting.points(last.mean_fit)}, the share with their first-choice role from "
        f"{pct(first.top_choice_share)} to {pct(last.top_choice_share)}.")


def _knee_sentence(frontier: Frontier) -> str | None:
    best = knee(frontier)
    if best is None:
        return None
    first, last = frontier.points[0], frontier.points[-1]
    kept = (best.total_autonomy - first.total_autonomy) / (last.total_autonomy
                                                           - first.total_autonomy)
    paid = (first.total_fit - best.total_fit) / (first.total_fit - last.total_fit)
    return (f"Point {best.number} is the knee of the curve: it gains {pct(kept)} of that "
            f"autonomy for {pct(paid)} of the fit it costs.")


def _solved_sentence(points: Sequence[FrontierPoint]) -> str:
    cut = [p for p in points if p.status != Status.OPTIMAL.value]
    if not cut:
        return "Every point is proven optimal for its own problem."
    text = (f"{'Point' if len(cut) == 1 else 'Points'} "
            f"{join_words([str(p.number) for p in cut], limit=10)} stopped at {_limit(cut)} "
            f"({_gaps(cut)}), so the true frontier may lie further out")
    dominated = [str(p.number) for p in points if p.dominated]
    if dominated:
        text += f"; point {join_words(dominated)} is beaten on both totals by another point"
    return text + "."


def _limit(cut: Sequence[FrontierPoint]) -> str:
    """What stopped the points cut short: the time limit, or their set amount of work
    (reproducible points no search of which the clock cut)."""
    repeating = sum(p.plan is not None and p.plan.repeats for p in cut)
    if not repeating:
        return "the time limit"
    if repeating < len(cut):
        return "the time limit or a set amount of work"
    return "a set amount of work"


def _gaps(cut: Sequence[FrontierPoint]) -> str:
    """How far from optimal the points cut short are, as far as known: a point planned
    part by part (a large organisation for its time: `planner.analyses.variants`) has no bound."""
    gaps = [p.gap for p in cut if p.gap is not None]
    if not gaps:
        return "gap unknown: too large to search whole in the time, planned part by part"
    known = "" if len(gaps) == len(cut) else " where known"
    return f"gap up to {pct(max(gaps), 2)}{known}"


def _signed_pct(change: float, base: float) -> str:
    return f"{change / base:+.1%}" if base else "–"
