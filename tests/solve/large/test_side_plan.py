"""The plan the second core finds from the Lagrangian master (`side_plan`): the dive, then
the completion, the search near the LP and the polish, each better plan sent as it is
found.
Timing is not tested here (see bench/)."""

from __future__ import annotations

import numpy as np
import pytest

from planner.solve.large import polish as polish_module
from planner.solve.large import side_bound
from planner.solve.large import side_plan as side_plan_module
from planner.solve.large.lp_bound import lp_bound
from planner.solve.large.polish import PartSolver
from planner.solve.large.side_plan import NEAR_SECONDS, near_seconds_for, search_plan
from planner.solve.model import build_model, canonical
from planner.solve.planning import plan
from planner.solve.solver import SolveResult
from planner.solve.values import PlanValues
from planner.workbook.generate import generate_org
from planner.workbook.read import read_org
from tests.helpers.large import converged, poor_plan
from tests.helpers.orgs import psw, random_org, role, service, tiny_org, two_region_org
from tests.helpers.paths import SAMPLES


def test_the_side_search_sends_better_plans_ending_at_the_optimum_of_a_small_org():
    org = two_region_org()
    search, keys = converged(org)
    sent: list[SolveResult] = []
    search_plan(org, search, keys, deadline=np.inf, seed=0, on_plan=sent.append)
    best = plan(org, time_limit=20)
    assert sent and [p.objective for p in sent] == sorted(p.objective for p in sent)
    assert sent[-1].objective == pytest.approx(best.objective)


def test_random_orgs_get_side_plans_that_keep_every_rule():
    for seed in range(3):
        org = canonical(random_org(seed, people=12))
        search, keys = converged(org)
        sent: list[SolveResult] = []
        search_plan(org, search, keys, deadline=np.inf, seed=0, on_plan=sent.append)
        built = build_model(org, prune=True)
        for side_plan in sent:
            adopted = side_bound.adopt(built, poor_plan(built), side_plan)
            assert adopted.objective == pytest.approx(side_plan.objective)


@pytest.mark.parametrize("name", ["community_agency.xlsx", "regional_service.xlsx"])
def test_side_plans_of_the_samples_keep_locked_people_where_they_are(name):
    org = canonical(read_org(SAMPLES / name))
    locked = {(p.psw_id, p.current_role, p.current_service) for p in org.psws if p.lock}
    assert locked  # the samples lock someone: the dive must keep them
    search, keys = converged(org)
    sent: list[SolveResult] = []
    search_plan(org, search, keys, deadline=np.inf, seed=0, on_plan=sent.append)
    assert sent
    assert locked <= sent[-1].values.placements
    built = build_model(org, prune=True)
    adopted = side_bound.adopt(built, poor_plan(built), sent[-1])
    assert adopted.objective == pytest.approx(sent[-1].objective)
    assert adopted.objective <= plan(org).objective + 1e-6


def test_the_side_search_gives_the_same_plans_every_run(monkeypatch):
    # Parts stopped by CP-SAT's deterministic time, not the clock: the same plans each run.
    monkeypatch.setattr(polish_module, "POLISH_WORK", 0.05)
    org = canonical(generate_org(psws=60, services=16, regions=2, seed=5))
    runs = []
    for _ in range(2):
        search, keys = converged(org)
        sent: list[SolveResult] = []
        search_plan(org, search, keys, deadline=np.inf, seed=0, on_plan=sent.append)
        runs.append([(p.objective, p.values) for p in sent])
    assert runs[0] and runs[0] == runs[1]


def test_the_completed_side_plan_is_searched_near_the_lp_before_the_polish(monkeypatch):
    """A poor completion (nobody placed) comes back better from the search near the LP,
    keeping every rule, and the polish starts from that. (Fails without the search.)"""
    org = canonical(generate_org(psws=60, services=16, regions=2, seed=5))
    search, keys = converged(org)
    built = build_model(org, prune=True)
    poor = poor_plan(built)
    monkeypatch.setattr(side_plan_module.PartSolver, "solve", lambda self, *args, **kwargs: poor)
    polished: list[SolveResult] = []
    monkeypatch.setattr(side_plan_module, "polish",
                        lambda solver, start, *args, **kwargs: polished.append(start))
    sent: list[SolveResult] = []
    search_plan(org, search, keys, deadline=np.inf, seed=0, on_plan=sent.append,
                built=built, relaxation=lp_bound(org).relaxation)
    assert sent[0] is poor and len(sent) == 2
    assert sent[1].objective > poor.objective + 1.0
    assert side_bound.adopt(built, poor, sent[1]).objective == pytest.approx(sent[1].objective)
    assert polished == [sent[1]]


def test_a_completion_that_a_region_fixed_whole_leaves_without_a_plan_frees_that_region():
    """The dive held both of N's services with a peer each and no supervisor, and left
    only S's service free: supervision in N cannot be met with N held, so the completion
    finds no plan. It frees N whole and tries again: C supervises in N. (Fails without
    the retry.)"""
    org = canonical(tiny_org(
        psws=[psw("A", region="N", experience=0), psw("B", region="N", experience=0),
              psw("C", region="N", experience=4), psw("D", region="S", experience=0)],
        roles=[role("PEER"), role("SUP", supervisor=True, min_experience=3)],
        services=[service("N1", region="N", demand_fte=1.0),
                  service("N2", region="N", demand_fte=1.0),
                  service("S1", region="S", demand_fte=1.0)],
        supervisor_span=5))
    built = build_model(org, prune=True)
    solver = PartSolver(built)
    index = built.candidate_index
    held = PlanValues.of_model(built, [index["A", "PEER", "N1"], index["B", "PEER", "N2"]],
                               [0] * len(built.vacancies))
    assert solver.solve(held, {"S1"}, 1.0, 10.0, 0) is None  # N held: no plan
    found = side_plan_module._completed(org, solver, held, {"S1"}, np.inf, seed=0)
    assert found is not None
    assert solver.rows.keeps(found.values.array(built))
    assert ("C", "SUP", "N1") in found.values.placements or (
        ("C", "SUP", "N2") in found.values.placements)


def test_a_reproducible_childs_search_near_the_lp_works_a_share_of_a_short_limit():
    """On its work, the search near the LP has NEAR_SECONDS at the default minute and its
    share of a shorter limit: at 20 s the work of 8 s left the polish after it no time."""
    assert near_seconds_for(60.0) == near_seconds_for(300.0) == NEAR_SECONDS
    assert near_seconds_for(20.0) == pytest.approx(NEAR_SECONDS / 3)
