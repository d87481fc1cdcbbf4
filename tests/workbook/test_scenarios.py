"""Scenarios: overrides read from the Scenarios sheet and applied to the typed Org.

Rows are written as (scenario, sheet, id, column, change, value), numbered from spreadsheet
row 2. The workbook cases use the base organisation of tests/helpers/workbooks.py (Services S1
inpatient climate 3, S2 community sized by workload; Roles WARD, NAV; PSWs P1-P3).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.core.domain import LonePeer, Org
from planner.core.errors import ValidationError
from planner.solve.planning import plan
from planner.workbook.read import read_org
from planner.workbook.scenarios import (
    BASELINE,
    load_scenario_orgs,
    read_scenarios,
    scenario_orgs,
)
from planner.workbook.schema import SCENARIOS
from planner.workbook.validation import workload_demand_fte
from tests.helpers.orgs import psw, role, service, tiny_org
from tests.helpers.scenario_rows import Row, applied, errors, scenarios, workbook
from tests.helpers.workbooks import BASE_SHEETS, org_sheets, write_csv_folder, write_xlsx

# --- what a scenario changes ------------------------------------------------------------


def ward_org() -> Org:
    """A ward at climate 3 where the high-saliency role needs climate 4."""
    return tiny_org(
        psws=[psw("A", readiness=5, preferred_roles=("HIGH",))],
        roles=[role("HIGH", saliency=5, min_climate=4), role("LOW", saliency=2)],
        services=[service("WARD", demand_fte=1.0, climate=3, setting="inpatient")],
    )


@pytest.mark.parametrize("change", [("add", 1), ("set", 4)], ids=["add", "set"])
def test_raising_a_ward_climate_opens_its_high_saliency_role(change: tuple[str, int]) -> None:
    org = ward_org()
    assert {a.role_id for a in plan(org).assignments} == {"LOW"}
    warmer = applied(org, ("Warmer", "Services", "WARD", "climate", *change))
    assert warmer.services_by_id["WARD"].climate == 4
    assert [(a.role_id, a.service_id) for a in plan(warmer).assignments] == [("HIGH", "WARD")]


def test_budget_scaled_down_and_up_moves_coverage_the_same_way() -> None:
    org = tiny_org(psws=[psw(p) for p in "ABCD"], services=[service("S1", demand_fte=4.0)],
                   budget=60_000.0)
    orgs = scenario_orgs(org, scenarios(("Less", "Policy", "budget", "value", "scale", 0.5),
                                        ("More", "Policy", "budget", "value", "scale", 2)))
    assert [o.policy.budget for o in orgs.values()] == [60_000, 30_000, 120_000]
    coverage = {name: plan(o).kpis.coverage for name, o in orgs.items()}
    assert coverage["Less"] < coverage[BASELINE] < coverage["More"]


def test_policy_keys_are_typed_by_the_policy() -> None:
    org = applied(tiny_org(), ("Rules", "Policy", "lone_peer", "value", "set", "Forbid"),
                  ("Rules", "Policy", "min_peers", "value", "add", 1),
                  ("Rules", "Policy", "allow_vacancies", "value", "set", "yes"))
    assert org.policy.lone_peer is LonePeer.FORBID
    assert (org.policy.min_peers, org.policy.allow_vacancies) == (3, True)


def test_filters_and_star_change_the_right_rows() -> None:
    org = tiny_org(services=[service("W1", setting="inpatient", climate=2),
                            service("W2", setting="inpatient", climate=3, region="North"),
                            service("C1", setting="community", climate=2)])
    ward = applied(org, ("Wards", "Services", "setting=inpatient", "climate", "add", 1))
    assert [s.climate for s in ward.services] == [3, 4, 2]
    north = applied(org, ("N", "Services", "setting=inpatient & region=North", "climate",
                          "set", 5))
    assert [s.climate for s in north.services] == [2, 5, 2]
    everyone = applied(org, ("All", "Services", "*", "demand_fte", "scale", 1.5))
    assert [s.demand_fte for s in everyone.services] == [3.0, 3.0, 3.0]


def test_a_list_filter_matches_rows_holding_the_item_and_add_appends() -> None:
    org = tiny_org(psws=[psw("A", topics=("housing", "rights")), psw("B", topics=("rights",))])
    more = applied(org, ("T", "PSWs", "topics=housing", "topics", "add", "Trauma, rights"))
    assert [p.topics for p in more.psws] == [("housing", "rights", "trauma"), ("rights",)]


def test_overrides_apply_in_row_order_on_a_copy() -> None:
    org = tiny_org()
    changed = applied(org, ("S", "Services", "S1", "climate", "set", 2),
                      ("S", "Services", "S1", "climate", "add", 2))
    assert changed.services_by_id["S1"].climate == 4
    assert org.services_by_id["S1"].climate == 4 and changed is not org
    assert changed.source == "[S]"


def test_workload_demand_is_sized_again(tmp_path: Path) -> None:
    orgs, _ = load_scenario_orgs(workbook(
        tmp_path, ("Busier", "Services", "S2", "annual_contacts", "scale", 2),
        ("Shorter days", "Policy", "wisn_hours_per_day", "value", "set", 5),
        ("Given", "Services", "S2", "demand_fte", "set", 3)))
    base = orgs[BASELINE].services_by_id["S2"]
    assert orgs["Busier"].services_by_id["S2"].demand_fte == workload_demand_fte(
        6000, 45, orgs[BASELINE].policy)
    assert orgs["Shorter days"].services_by_id["S2"].demand_fte > base.demand_fte
    given = orgs["Given"].services_by_id["S2"]
    assert (given.demand_fte, given.demand_from_workload) == (3.0, False)


def test_a_person_changed_is_described_without_id_or_values_for_directors() -> None:
    (scenario,) = scenarios(("Ready", "PSWs", "P7", "readiness", "set", 5),
                            ("Ready", "PSWs", "*", "travel", "set", "yes"),
                            ("Ready", "Policy", "budget", "value", "scale", 1.2))
    assert scenario.changes() == ("PSWs P7: readiness = 5", "PSWs *: travel = yes",
                                  "Policy: budget × 1.2")
    assert scenario.changes(private=True)[:2] == ("PSWs, one person: readiness changed",
                                                  "PSWs *: travel = yes")


# --- reading ------------------------------------------------------------------------------


def test_the_org_workbook_and_a_csv_folder_both_give_scenarios(tmp_path: Path) -> None:
    (in_org,) = read_scenarios(workbook(tmp_path, *BASE_SHEETS["Scenarios"][1:]))
    folder = write_csv_folder(tmp_path / "csv", {"Scenarios": BASE_SHEETS["Scenarios"]})
    (in_csv,) = read_scenarios(folder)
    assert in_org == in_csv
    assert (in_org.name, in_org.overrides[0].value) == ("More budget", 1.2)


def test_a_separate_scenarios_workbook_replaces_the_sheet(tmp_path: Path) -> None:
    other = write_xlsx(tmp_path / "what_if.xlsx", {"Scenarios": [
        list(SCENARIOS.column_names), ["Warm", "Services", "S1", "climate", "add", 2]]})
    orgs, listed = load_scenario_orgs(workbook(tmp_path), other)
    assert list(orgs) == [BASELINE, "Warm"] and listed[0].name == "Warm"
    assert orgs["Warm"].services_by_id["S1"].climate == 5
    assert read_org(tmp_path / "org.xlsx").services_by_id["S1"].climate == 3


# --- errors, located and all at once ----------------------------------------------------


def test_bad_overrides_are_all_reported_at_once_with_their_cells(tmp_path: Path) -> None:
    assert errors(
        tmp_path,
        ("A", "Services", "S01", "climate", "set", 4),
        ("A", "Services", "S1", "climat", "set", 4),
        ("A", "Service", "S1", "climate", "set", 4),
        ("A", "Services", "S1", "name", "add", 1),
        ("A", "Services", "S1", "climate", "set", "warm"),
        ("A", "Policy", "budgte", "value", "scale", 2),
        ("A", "Services", "setting=forensic", "climate", "add", 1),
    ) == [
        "Scenarios!C2: no Services row with service_id 'S01'; did you mean 'S1'?",
        "Scenarios!D3: Services has no column 'climat'; did you mean 'climate'?",
        "Scenarios!B4: sheet must be one of Services, Roles, PSWs, Regions, Policy, got 'Service'; "
        "did you mean 'Services'?",
        "Scenarios!E5: add needs a number or list column, but name is text; use set",
        "Scenarios!F6: climate must be a whole number from 1 to 5, got 'warm'",
        "Scenarios!C7: unknown policy key 'budgte'; did you mean 'budget'?",
        "Scenarios!C8: filter 'setting=forensic' matches no Services row (no row has "
        "setting 'forensic')",
    ]


def test_a_set_out_of_range_stays_an_error_where_add_is_capped(tmp_path: Path) -> None:
    assert errors(tmp_path, ("Hot", "Services", "S1", "climate", "set", 6)) == [
        "Scenarios!F2: climate must be a whole number from 1 to 5, got 6"]
    orgs, _ = load_scenario_orgs(workbook(tmp_path, ("Hot", "Services", "*", "climate",
                                                     "add", 2)))
    assert [s.climate for s in orgs["Hot"].services] == [5, 5]


def test_the_changed_org_passes_the_workbooks_cross_checks(tmp_path: Path) -> None:
    assert errors(tmp_path, ("Move", "PSWs", "P2", "current_service", "set", "S3"),
                  ("Move", "Roles", "NAV", "settings", "set", "ward")) == [
        "Scenarios!F2: after this change, PSWs 'P2': current_service names unknown service "
        "'S3'",
        "Scenarios!F3: after this change, Roles 'NAV': settings names unknown setting "
        "'ward'",
    ]


@pytest.mark.parametrize(("row", "message"), [
    (("S", "Services", "S1", "service_id", "set", "S9"),
     "D2: service_id is the id of a row and cannot be changed by a scenario; add_row "
     "copies a row under a new id"),
    (("S", "Roles", "WARD", "min_experience", "scale", -1),
     "F2: the factor to scale min_experience by must be a number >= 0, got -1"),
    (("S", "Roles", "NAV", "min_climate", "add", 1),
     "F2: after min_climate + 1, Roles 'NAV': min_climate is blank, so there is nothing to "
     "add; use set"),
    (("S", "Services", "settng=inpatient", "climate", "add", 1),
     "C2: filter 'settng=inpatient': Services has no column 'settng'; did you mean "
     "'setting'?"),
    (("S", "Policy", "budget", "climate", "set", 1),
     "D2: a Policy change names the key in id and 'value' in column, got 'climate'"),
    (("baseline", "Policy", "budget", "value", "set", 1),
     "A2: the name 'baseline' is kept for the plan without changes; give the scenario "
     "another name"),
])
def test_each_kind_of_bad_row_is_located(tmp_path: Path, row: Row, message: str) -> None:
    assert errors(tmp_path, row) == [f"Scenarios!{message}"]


def test_names_that_differ_only_in_case_are_refused(tmp_path: Path) -> None:
    assert errors(tmp_path, ("More", "Policy", "budget", "value", "scale", 2),
                  ("more", "Policy", "budget", "value", "scale", 3)) == [
        "Scenarios!A3: scenario 'more' differs from 'More' (row 2) only in case; spell both "
        "the same"]


def test_workbook_errors_and_scenario_errors_come_together(tmp_path: Path) -> None:
    sheets = org_sheets({"Services": {(2, "climate"): 9}})
    sheets["Scenarios"].append(["X", "Services", "S1", "climat", "set", 4])
    with pytest.raises(ValidationError) as caught:
        load_scenario_orgs(write_xlsx(tmp_path / "org.xlsx", sheets))
    assert [i.sheet for i in caught.value.issues] == ["Services", "Scenarios"]
