"""Choice menus: alternatives that keep every rule and the plan near its optimum."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from planner.analyses.menus import RANKED, REOPTIMISED, choice_menus
from planner.core.eligibility import placement_block
from planner.core.errors import UsageError
from planner.reports.menus_excel import write_menus
from planner.solve.planning import plan
from tests.helpers.orgs import psw, role, service, tiny_org

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
            assert alt.others_moved is not None and alt.status == "optimal"
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
