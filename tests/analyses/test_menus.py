"""Choice menus: alternatives that keep every rule and the plan near its optimum."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from planner.analyses.menus import (
    RANKED,
    REOPTIMISED,
    PinTask,
    choice_menus,
    shortlists,
    solve_pinned_whole,
)
from planner.analyses.pins import NEARBY, Neighbourhood
from planner.core.eligibility import placement_block
from planner.core.errors import UsageError
from planner.reports.menus_excel import write_menus
from planner.solve.model import build_model, objective_points
from planner.solve.planning import plan
from planner.solve.solver import SolveLimits, keeps_every_rule
from planner.solve.values import PlanValues
from planner.workbook.read import read_org
from tests.helpers.orgs import psw, random_org, role, service, tiny_org
from tests.helpers.paths import SAMPLES

WITHIN = 0.05


def menu_org():
    """Five people, two roles, three services; one is locked, one excluded from S3."""
    people = [psw("A", readiness=4, preferred_roles=("HIGH",)),
              psw("B", readiness=3, topics=("housing",)),
              psw("C", readiness=3, preferred_roles=("GEN",), exclude_services=("S3",)),
              psw("D", readiness=2, available_fte=0.6),
              psw("E", readiness=3, lock=True, current_role="GEN", current_service="S2")]
    return tiny_org(
        psws=people,
        roles=[role("GEN", saliency=2), role("HIGH", saliency=4, min_climate=4)],
        services=[service("S1", demand_fte=2.0, climate=4), service("S2", demand_fte=2.0),
                  service("S3", demand_fte=1.0, climate=2, setting="housing")],
    )


@pytest.fixture(scope="module")
def optimum():
    return plan(menu_org())


@pytest.fixture(scope="module")
def menus(optimum):
    return choice_menus(menu_org(), optimum, within=WITHIN, jobs=1)


def test_every_alternative_keeps_the_rules_and_differs_from_the_placement(menus, optimum):
    org = menu_org()
    assert menus.method == REOPTIMISED
    offered = [(m, a) for m in menus.menus for a in m.alternatives]
    assert offered
    for menu, alt in offered:
        person = org.psws_by_id[menu.psw_id]
        role_, service_ = org.roles_by_id[alt.role_id], org.services_by_id[alt.service_id]
        assert placement_block(person, role_, service_) is None
        assert (alt.role_id, alt.service_id) not in menu.placed
    assert all(len(m.alternatives) <= 3 for m in menus.menus)


def test_every_alternative_is_within_the_stated_share_of_the_optimum(menus, optimum):
    for menu in menus.menus:
        for alt in menu.alternatives:
            assert alt.objective >= (1 - WITHIN) * optimum.objective - 1e-6
            assert alt.cost_points == pytest.approx(max(0.0, optimum.objective - alt.objective),
                                                    abs=0.01)
            assert alt.others_moved is not None and alt.status in (NEARBY, "optimal")
        costs = [a.cost_points for a in menu.alternatives]
        assert costs == sorted(costs)  # cheapest first


def test_a_locked_person_gets_no_menu(menus):
    (locked,) = [m for m in menus.menus if m.psw_id == "E"]
    assert locked.alternatives == () and locked.note.startswith("locked")


def test_a_large_organisation_falls_back_to_a_labelled_ranking(tmp_path, optimum):
    ranked = choice_menus(menu_org(), optimum, time_budget=0.0, jobs=1)
    assert ranked.method == RANKED == "ranked by individual fit, not re-optimised"
    assert "more than the time budget" in ranked.reason
    alternatives = [a for m in ranked.menus for a in m.alternatives]
    assert alternatives and all(a.status == "ranked" and a.cost_points is None
                                for a in alternatives)
    for menu in ranked.menus:  # best individual fit + autonomy first
        scores = [a.fit + a.autonomy for a in menu.alternatives]
        assert scores == sorted(scores, reverse=True)
    write_menus(ranked, tmp_path)
    data = json.loads((tmp_path / "menus.json").read_text())
    assert data["method"] == RANKED and data["audience"] == "hr"
    sheet = load_workbook(tmp_path / "menus.xlsx")["Menus"]
    assert RANKED in sheet["A1"].value
    hows = {row[12] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert hows == {RANKED}


def test_written_menus_hold_one_row_per_person_and_alternative(tmp_path, menus):
    write_menus(menus, tmp_path)
    data = json.loads((tmp_path / "menus.json").read_text())
    assert [m["psw_id"] for m in data["menus"]] == ["A", "B", "C", "D", "E"]
    sheet = load_workbook(tmp_path / "menus.xlsx")["Menus"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == sum(max(1, len(m.alternatives)) for m in menus.menus)
    assert sheet["A2"].value.startswith("For HR only")


def test_a_plan_of_another_organisation_is_refused(optimum):
    other = tiny_org(psws=[psw("Z")])
    with pytest.raises(UsageError, match="another input"):
        choice_menus(other, optimum)
    with pytest.raises(UsageError, match="within"):
        choice_menus(menu_org(), optimum, within=2.0)


def third_service_org():
    """A in S1 and B in S2, each in post; S3 is as good for B, who may not work in S1.
    Moving A to S2 costs little only if B moves to S3: a service that is neither A's
    current nor new one, so the nearby re-solve cannot do it."""
    people = [psw("A", current_role="R1", current_service="S1"),
              psw("B", current_role="R1", current_service="S2", exclude_services=("S1",))]
    services = [service(s, demand_fte=1.0) for s in ("S1", "S2", "S3")]
    return tiny_org(psws=people, services=services, weight_move=1.0)


def whole_model_pin(org, optimum, key):
    """The pinned placement re-solved on the whole model, to the proven optimum."""
    limits = SolveLimits(time_limit=60, seed=org.policy.seed, greedy_fallback=False)
    (outcome,) = solve_pinned_whole(PinTask(org, PlanValues.of_plan(optimum), (key,), limits, 0.0))
    assert outcome.status == "optimal"
    return outcome


def test_an_alternative_proven_nearby_costs_what_the_whole_model_gives(menus, optimum):
    # on this small organisation the best plan with each pin moves only people near it, so
    # the nearby re-solve (everyone else held) finds the whole model's optimum
    org = menu_org()
    nearby = [(m.psw_id, a) for m in menus.menus for a in m.alternatives if a.status == NEARBY]
    assert nearby and menus.proven_nearby >= len(nearby)
    for psw_id, alt in nearby:
        whole = whole_model_pin(org, optimum, (psw_id, alt.role_id, alt.service_id))
        assert alt.objective == pytest.approx(whole.objective, abs=0.005)
        assert alt.cost_points == pytest.approx(optimum.objective - whole.objective, abs=0.005)
        assert alt.others_moved == whole.others_moved


@pytest.mark.parametrize("seed", [1, 2])
def test_a_nearby_plan_is_a_whole_plan_that_keeps_every_rule_at_the_objective_stated(seed):
    # lone peers discouraged, a tier menu, positions to recruit for and a budget: the rules
    # and helper variables beyond the two services still hold and still count
    org = random_org(seed)
    optimum = plan(org)
    built = build_model(org)
    nearby = Neighbourhood(built, PlanValues.of_plan(optimum))
    limits = SolveLimits(time_limit=30, seed=org.policy.seed, work_limit=1.0)
    found = 0
    for cands in shortlists(built, optimum, 5).values():
        for cand in cands:
            outcome = nearby.solve(cand.key, limits)
            if outcome.start is None:
                continue
            found += 1
            assert cand.key in outcome.start.placements
            assert keeps_every_rule(built, outcome.start)
            objective = objective_points(built.objective_terms, outcome.start.variables(built))
            assert outcome.objective == pytest.approx(objective, abs=0.005)
            assert outcome.objective <= optimum.objective + 1e-6
    assert found


def test_an_alternative_the_nearby_re_solve_misses_is_found_on_the_whole_model():
    org = third_service_org()
    optimum = plan(org)
    assert {(a.psw_id, a.service_id) for a in optimum.assignments} == {("A", "S1"), ("B", "S2")}
    made = choice_menus(org, optimum, within=0.10, jobs=1)
    (menu_a,) = [m for m in made.menus if m.psw_id == "A"]
    offered = {a.service_id: a for a in menu_a.alternatives}
    assert offered["S3"].status == NEARBY  # an empty service: nobody else need move
    to_s2 = offered["S2"]  # B must go to S3 to make room
    assert to_s2.status == "optimal" and to_s2.others_moved == 1
    whole = whole_model_pin(org, optimum, ("A", "R1", "S2"))
    assert to_s2.objective == pytest.approx(whole.objective, abs=0.005)
    assert (made.pinned, made.proven_nearby, made.whole_model, made.whole_skipped) == (3, 2, 1, 0)
    assert "1 on the whole model" in made.reason


def test_whole_model_re_solves_beyond_the_budget_are_left_out_and_said_so():
    org = third_service_org()
    # the nearby re-solves take milliseconds; one whole-model re-solve is estimated at seconds
    made = choice_menus(org, plan(org), within=0.10, time_budget=1.0, jobs=1)
    assert made.method == REOPTIMISED
    (menu_a,) = [m for m in made.menus if m.psw_id == "A"]
    assert [a.service_id for a in menu_a.alternatives] == ["S3"]
    assert (made.whole_model, made.whole_skipped) == (0, 1)
    assert "1 more, not proven nearby" in made.reason


def test_the_same_organisation_gives_the_same_menus_however_the_work_is_shared(menus, optimum):
    # every re-solve stops at a deterministic work limit, on one worker: two processes
    # dealing the placements between them find what one process finds alone
    again = choice_menus(menu_org(), optimum, within=WITHIN, jobs=2)
    assert again.menus == menus.menus
    assert (again.proven_nearby, again.whole_model) == (menus.proven_nearby, menus.whole_model)
    assert choice_menus(menu_org(), optimum, within=WITHIN, jobs=1).menus == menus.menus


def test_the_regional_sample_gets_re_optimised_menus_within_the_default_budget():
    org = read_org(SAMPLES / "regional_service.xlsx")
    made = choice_menus(org)
    assert made.method == REOPTIMISED, made.reason
    offered = [a for m in made.menus for a in m.alternatives]
    assert len(offered) > len(made.menus)  # most people get a choice
    assert all(a.cost_points is not None and a.status != "ranked" for a in offered)
    assert made.proven_nearby > 0.8 * made.pinned and made.whole_skipped == 0
