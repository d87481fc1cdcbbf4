"""What the tests of `planner.solve.large` start from: a converged Lagrangian search, a
plan of the model that places nobody (or few), as a solver result, an organisation whose
swapped plan is a local optimum of small parts, and a spy on the block plan's polish."""

from __future__ import annotations

from planner.core.domain import Org
from planner.core.results import Status
from planner.solve.large import block_polish, blocks
from planner.solve.large.lagrange import ServicePlans
from planner.solve.large.lp_bound import lp_bound
from planner.solve.large.near_lp import BEST_PER_PERSON
from planner.solve.large.polish import PartSolver
from planner.solve.model import SCALE, BuiltModel, canonical, objective_points
from planner.solve.solver import SolveResult
from planner.solve.strategy import THRESHOLDS, estimated_candidates
from planner.solve.values import PlacementKey, PlanValues
from tests.helpers.orgs import psw, role, service, tiny_org


def converged(org: Org) -> tuple[ServicePlans, list[tuple[str, str, str]]]:
    """The Lagrangian search of `org` (canonical), converged, and the key of each placement
    the LP bound saw, in the order of the search's columns."""
    relaxation = lp_bound(org).relaxation
    assert relaxation is not None
    search = ServicePlans(org, relaxation)
    search.converge(30)
    assert search.converged
    return search, relaxation.cols.keys(org)


def poor_plan(built: BuiltModel, chosen=(), vacancies=None) -> SolveResult:
    """A plan of the model that places nobody (or `chosen`), as a solver result."""
    vacancies = vacancies or [0] * len(built.vacancies)
    values = PlanValues.of_model(built, sorted(chosen), vacancies)
    objective = objective_points(built.objective_terms, values.variables(built))
    return SolveResult(Status.FEASIBLE, objective, objective + 10_000, 1.0, 1.0, values)


def swap_org() -> Org:
    """Four services of one region, two people each fitting one service by topic: the
    plan with the two swapped (`SWAPPED`) is a local optimum of any part holding one of S1
    and S2."""
    return canonical(tiny_org(
        psws=[psw("P1", topics=("vocational",)), psw("P2", topics=("health",))],
        roles=[role("R", saliency=2)],
        services=[service("S1", demand_fte=1.0, topics=("vocational",)),
                  service("S2", demand_fte=1.0, topics=("health",)),
                  service("S3", demand_fte=1.0, topics=("housing",)),
                  service("S4", demand_fte=1.0, topics=("trauma",))]))


SWAPPED = [("P1", "R", "S2"), ("P2", "R", "S1")]


def plan_of_placements(built: BuiltModel, placements: list[PlacementKey]) -> SolveResult:
    """The plan of `built` making `placements` (and recruiting for none), unbounded."""
    index = built.candidate_index
    values = PlanValues.of_model(built, sorted(index[key] for key in placements),
                                 [0] * len(built.vacancies))
    chosen = values.array(built)
    solver = PartSolver(built)
    assert solver.rows.keeps(chosen)
    return solver.result(chosen, Status.FEASIBLE, solver.rows.objective(chosen) / SCALE,
                         None, 0.0)


def spy_on_the_polish(monkeypatch) -> list[tuple[float, float]]:
    """A list that hears, at each call of the block plan's polish, the joined plan's
    objective and the polished one's. The search near the LP before the polish is kept
    to each person's BEST_PER_PERSON placements: at its widest it leaves the polish little
    to find on organisations as small as the tests'."""
    seen: list[tuple[float, float]] = []
    original = block_polish.polished

    def spy(joined, work, deadline, seed, on_better, on, whole=None):
        built, result = original(joined, work, deadline, seed, on_better, on, whole)
        seen.append((joined.result.objective, result.objective))
        return built, result

    monkeypatch.setattr(blocks, "polished", spy)
    monkeypatch.setattr(blocks, "width_for", lambda people: BEST_PER_PERSON)
    return seen


def between_edited_thresholds(org: Org) -> float:
    """A time limit at which a model of `org` with edits is solved whole on the clock and
    part by part when reproducible (between the two thresholds of `strategy`)."""
    per_second = (THRESHOLDS.edited_per_second + THRESHOLDS.edited_reproducible_per_second) / 2
    return estimated_candidates(org) / per_second
