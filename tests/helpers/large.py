"""What the tests of `planner.solve.large` start from: a converged Lagrangian search, and a
plan of the model that places nobody (or few), as a solver result."""

from __future__ import annotations

from planner.core.domain import Org
from planner.core.results import Status
from planner.solve.large.lagrange import ServicePlans
from planner.solve.large.lp_bound import lp_bound
from planner.solve.model import BuiltModel, objective_points
from planner.solve.solver import SolveResult
from planner.solve.values import PlanValues


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
