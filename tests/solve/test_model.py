"""The optimisation model: a plan counted outside CP-SAT (`objective_of`) as CP-SAT counts it."""

from __future__ import annotations

import pytest

from planner.solve.model import build_model, objective_of
from planner.solve.outcome import chosen_candidates
from planner.solve.planning import limits_for
from planner.solve.solver import solve
from tests.helpers.orgs import psw, random_org, tiny_org

LONE = tiny_org(psws=[psw("A")], lone_peer="discourage", min_saliency_tiers=3,
                weight_saliency_tier=30)  # one person: a lone peer is the best plan


@pytest.mark.parametrize("org", [random_org(seed, people=10) for seed in range(4)] + [LONE])
def test_objective_of_counts_a_plan_as_the_solver_does(org):
    built = build_model(org, prune=True)
    result = solve(built, limits_for(org))
    vacancies = list(zip(built.vacancies, result.values.vacancies(built), strict=True))
    assert objective_of(built.org, chosen_candidates(built, result), vacancies) == (
        pytest.approx(result.objective))
