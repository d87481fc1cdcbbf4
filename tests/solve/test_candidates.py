"""The fast path (dominated placements pruned) against the plain model: same optimum."""

from __future__ import annotations

import pytest

from planner.solve.candidates import drop_dominated
from planner.solve.model import build_model, objective_of, placement_points
from planner.solve.planning import limits_for
from planner.solve.solver import keeps_every_rule
from planner.solve.values import PlanValues
from planner.solve.whole import solve_whole
from tests.helpers.orgs import psw, random_org, role, tiny_org


@pytest.mark.parametrize("seed", range(6))
def test_pruned_model_has_the_same_optimum_as_the_plain_model(seed):
    org = random_org(seed, people=12)
    limits = limits_for(org)
    plain = solve_whole(org, build_model(org), limits)
    fast = solve_whole(org, build_model(org, prune=True), limits)
    assert fast.objective == pytest.approx(plain.objective)


def test_a_dearer_role_with_less_value_in_the_same_service_is_pruned():
    # Same tier (middle), same FTE: B costs more and scores less for the same person.
    org = tiny_org(psws=[psw("A", readiness=3)],
                   roles=[role("GOOD", saliency=3), role("DEAR", saliency=3,
                                                          cost_per_fte=40_000)])
    kept = drop_dominated(build_model(org).candidates, lambda c: placement_points(c, org))
    assert [c.role.role_id for c in kept] == ["GOOD"]


def test_other_tiers_and_supervisors_are_never_pruned_against_each_other():
    org = tiny_org(psws=[psw("A", readiness=4, experience=5)],
                   roles=[role("MID", saliency=3), role("HIGH", saliency=4, cost_per_fte=50_000),
                          role("SUP", saliency=3, supervisor=True, cost_per_fte=50_000)])
    kept = drop_dominated(build_model(org).candidates, lambda c: placement_points(c, org))
    assert {c.role.role_id for c in kept} == {"MID", "HIGH", "SUP"}


def test_a_locked_placement_is_never_pruned():
    org = tiny_org(psws=[psw("A", current_service="S1", current_role="DEAR", lock=True)],
                   roles=[role("GOOD", saliency=3), role("DEAR", saliency=3,
                                                          cost_per_fte=40_000)])
    built = build_model(org, prune=True)
    assert {c.role.role_id for c in built.candidates} == {"GOOD", "DEAR"}


def test_a_plan_holding_a_pruned_placement_becomes_a_plan_of_the_pruned_model():
    # a plan found on another model (near the LP, the blocks') placed A in the dearer role
    org = tiny_org(psws=[psw("A", readiness=3), psw("B", readiness=3)],
                   roles=[role("GOOD", saliency=3), role("DEAR", saliency=3,
                                                          cost_per_fte=40_000)])
    plain, pruned = build_model(org), build_model(org, prune=True)
    plan = PlanValues(frozenset({("A", "DEAR", "S1"), ("B", "GOOD", "S1")}))
    assert not plan.fits(pruned)
    taken = plan.undominated(pruned)
    assert taken.placements == {("A", "GOOD", "S1"), ("B", "GOOD", "S1")}
    assert taken.fits(pruned)
    assert keeps_every_rule(pruned, taken)
    assert objective_of(org, [pruned.candidates[i] for i in taken.chosen(pruned)], []) >= \
        objective_of(org, [plain.candidates[i] for i in plan.chosen(plain)], [])  # no less
    unknown = PlanValues(frozenset({("A", "NONE", "S1")}))
    assert unknown.undominated(pruned) is unknown  # no placement of the model's dominates it
