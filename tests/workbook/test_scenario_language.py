"""The scenario language a consultant speaks: remove and add_row, add and scale capped at a
column's range (and said so), and filters with comparisons, lists and `&`.

Each change is applied to a tiny hand-made organisation and read back from the changed
organisation and, where it changes who can be placed, from its plan.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from planner.analyses.compare import compare_plans
from planner.core.domain import Org
from planner.solve.planning import plan
from planner.workbook.scenarios import applied_scenarios, load_scenario_orgs
from tests.helpers.orgs import psw, role, service, tiny_org
from tests.helpers.scenario_rows import (
    applied,
    apply_errors,
    noted,
    parse_errors,
    scenarios,
    workbook,
)


def placed(org: Org) -> set[tuple[str, str]]:
    return {(a.psw_id, a.service_id) for a in plan(org).assignments}


# --- remove ------------------------------------------------------------------------------


def test_removing_a_service_drops_the_placements_and_exclusions_naming_it() -> None:
    org = tiny_org(services=[service("WARD", setting="inpatient"),
                             service("CRISIS", setting="crisis")],
                   psws=[psw("A", current_service="CRISIS", current_role="R1"),
                         psw("B", exclude_services=("CRISIS",))])
    assert placed(org) == {("A", "CRISIS"), ("B", "WARD")}
    changed, scenario = noted(org, ("No crisis team", "Services", "setting=crisis", None,
                                    "remove", None))
    assert [s.service_id for s in changed.services] == ["WARD"]
    a, b = changed.psws
    assert (a.current_service, a.current_role, b.exclude_services) == (None, None, ())
    assert placed(changed) == {("A", "WARD"), ("B", "WARD")}
    assert scenario.note_words() == (
        "removed 1 service (CRISIS)", "current placement in CRISIS dropped for 1 person (A)",
        "CRISIS dropped from the exclusions of 1 person (B)")
    # directors read counts of people, and nothing of what a person must avoid
    assert scenario.note_words("director") == (
        "removed 1 service (CRISIS)",
        "current placement in CRISIS dropped for fewer than 5 people")


def test_removing_a_role_drops_the_preferences_and_placements_naming_it() -> None:
    org = tiny_org(roles=[role("PEER"), role("CRISIS_PEER", saliency=4)],
                   psws=[psw("A", readiness=4, current_service="S1", current_role="CRISIS_PEER",
                             preferred_roles=("CRISIS_PEER", "PEER")),
                         psw("B", preferred_roles=("CRISIS_PEER",))])
    assert "CRISIS_PEER" in {a.role_id for a in plan(org).assignments}
    changed, scenario = noted(org, ("No crisis peers", "Roles", "CRISIS_PEER", None, "remove",
                                    None))
    assert [r.role_id for r in changed.roles] == ["PEER"]
    assert [p.preferred_roles for p in changed.psws] == [("PEER",), ()]
    assert changed.psws[0].current_role is None
    assert {a.role_id for a in plan(changed).assignments} == {"PEER"}
    assert scenario.note_words() == (
        "current placement as CRISIS_PEER dropped for 1 person (A)",
        "CRISIS_PEER dropped from the preferred roles of 2 people (A and B)")


def test_a_locked_person_left_without_a_placement_is_a_located_error_until_unlocked() -> None:
    org = tiny_org(services=[service("S1"), service("S2")],
                   psws=[psw("A", current_service="S2", current_role="R1", lock=True), psw("B")])
    assert apply_errors(org, ("Close", "Services", "S2", None, "remove", None)) == [
        "Scenarios!C2: removing Services 'S2' leaves PSWs 'A', locked in S2 as R1, without a "
        "placement; unlock them in a row before this one (PSWs, A, lock, set, no), or remove "
        "them too"]
    closed = applied(org, ("Close", "PSWs", "A", "lock", "set", "no"),
                     ("Close", "Services", "S2", None, "remove", None))
    assert (closed.psws[0].lock, closed.psws[0].current_service) == (False, None)


def test_removed_people_leave_the_plan_and_directors_read_only_how_many() -> None:
    org = tiny_org(psws=[psw("A"), psw("B", readiness=5), psw("C", readiness=5)])
    changed, scenario = noted(org, ("Fewer", "PSWs", "readiness>=5", None, "remove", None))
    assert [p.psw_id for p in changed.psws] == ["A"]
    assert placed(changed) == {("A", "S1")}
    assert scenario.changes(private=True) == ("PSWs, a group of people: removed",)
    assert scenario.note_words() == ("removed 2 people (B and C)",)
    assert scenario.note_words("director") == ("removed fewer than 5 people",)


# --- add_row -----------------------------------------------------------------------------


def test_add_row_copies_a_service_for_later_rows_to_change() -> None:
    org = tiny_org(services=[service("S1", demand_fte=1.0, region="North")])
    assert len(placed(org)) == 1
    bare = applied(org, ("Twin", "Services", "S1", None, "add_row", "S2"))
    assert bare.services[1] == replace(org.services[0], service_id="S2", name="S2")
    changed = applied(org, ("South", "Services", "S1", None, "add_row", "S2"),
                      ("South", "Services", "S2", "region", "set", "South"),
                      ("South", "Services", "S2", "name", "set", "South team"))
    assert changed.services[1] == replace(org.services[0], service_id="S2",
                                          name="South team", region="South")
    assert {s for _, s in placed(changed)} == {"S1", "S2"}


def test_add_row_hires_people_with_a_profile_and_none_of_their_history() -> None:
    org = tiny_org(services=[service("S1", demand_fte=4.0), service("S2")],
                   psws=[psw("A", readiness=4, topics=("housing",), current_service="S1",
                             current_role="R1", lock=True, exclude_services=("S2",),
                             preferred_roles=("R1",)), psw("B")])
    changed, scenario = noted(org, ("Hire three", "PSWs", "A", None, "add_row", "N1, N2, N3"),
                              ("Hire three", "PSWs", "psw_id=N3", "available_fte", "set", 0.5))
    a, _, *new = changed.psws
    assert [p.psw_id for p in new] == ["N1", "N2", "N3"]
    assert new[0] == replace(a, psw_id="N1", name="", current_service=None,
                             current_role=None, lock=False, exclude_services=())
    assert new[2].available_fte == 0.5
    assert {p for p, _ in placed(changed)} == {"A", "B", "N1", "N2", "N3"}
    assert scenario.changes(private=True) == (
        "PSWs: 3 new people with one person's profile",
        "PSWs, a group of people: available_fte changed")


def test_add_row_opens_a_new_role_type() -> None:
    org = tiny_org(roles=[role("NAV", saliency=2)], psws=[psw("A", readiness=5)])
    assert {a.role_id for a in plan(org).assignments} == {"NAV"}
    changed = applied(org, ("Trainer", "Roles", "NAV", None, "add_row", "TRAINER"),
                      ("Trainer", "Roles", "TRAINER", "saliency", "set", 5),
                      ("Trainer", "Roles", "TRAINER", "title", "set", "Peer trainer"))
    assert changed.roles_by_id["TRAINER"] == replace(org.roles[0], role_id="TRAINER",
                                                     title="Peer trainer", saliency=5)
    assert {a.role_id for a in plan(changed).assignments} == {"TRAINER"}


def test_a_copy_of_a_service_sized_by_workload_is_sized_as_its_original(
        tmp_path: Path) -> None:
    # the base workbook's S2 takes its demand from 3,000 contacts of 45 minutes (WISN)
    orgs, _ = load_scenario_orgs(workbook(
        tmp_path, ("Twin", "Services", "S2", None, "add_row", "S3"),
        ("Twin", "Policy", "wisn_hours_per_day", "value", "set", 5),
        ("Busier twin", "Services", "S2", None, "add_row", "S3"),
        ("Busier twin", "Services", "S3", "annual_contacts", "scale", 2),
        ("Twin of the busier", "Services", "S2", "annual_contacts", "scale", 2),
        ("Twin of the busier", "Services", "S2", None, "add_row", "S3")))
    before = orgs["baseline"].services_by_id["S2"].demand_fte
    twin = orgs["Twin"].services_by_id
    assert twin["S3"].demand_fte == twin["S2"].demand_fte > before
    busier = orgs["Busier twin"].services_by_id
    assert busier["S3"].demand_fte == pytest.approx(2 * before, abs=0.01)
    assert busier["S2"].demand_fte == before
    both = orgs["Twin of the busier"].services_by_id
    assert both["S3"].demand_fte == both["S2"].demand_fte == busier["S3"].demand_fte


@pytest.mark.parametrize(("row", "message"), [
    (("S", "Services", "S1", None, "add_row", "S1"),
     "F2: Services already has a row with service_id 'S1'; give the copy an id of its own"),
    (("S", "Services", "s1", None, "add_row", "S9"),
     "C2: no Services row with service_id 's1'; did you mean 'S1'?"),
])
def test_add_row_needs_a_row_to_copy_and_an_id_of_its_own(row: tuple, message: str) -> None:
    assert apply_errors(tiny_org(), row) == [f"Scenarios!{message}"]


@pytest.mark.parametrize(("row", "message"), [
    (("S", "Services", "S1", "climate", "remove", None),
     "D2: remove takes whole rows; leave column blank"),
    (("S", "Services", "S1", None, "remove", 1),
     "F2: remove takes no value; id (a row's id, '*' or a filter) says which rows go; leave "
     "value blank"),
    (("S", "Services", "setting=crisis", None, "add_row", "S9"),
     "C2: add_row copies one row: give its service_id, not '*' or a filter"),
    (("S", "PSWs", "P1", None, "add_row", None),
     "F2: add_row needs the new row's psw_id in value (several: comma-separated)"),
    (("S", "Policy", "budget", None, "remove", None),
     "E2: remove works on the rows of Services, Roles, PSWs and Regions; change a Policy key "
     "with set, add or scale"),
    (("S", "Services", "S1", None, "set", 4),
     "D2: column is blank; set, add and scale name the column they change (remove and "
     "add_row take whole rows)"),
    (("S", "Services", "S1", "climate", "add", None),
     "F2: value is blank; add needs the amount to add"),
    (("S", "Services", "S1", None, "delete", None),
     "E2: change must be one of set, add, scale, remove, add_row, got 'delete'; to delete, "
     "use remove"),
    (("S", "Services", "S1", "climate", "explode", 1),
     "E2: change must be one of set, add, scale, remove, add_row, got 'explode'; a change "
     "the Scenarios sheet cannot hold fits a workbook of its own: planner compare a.xlsx "
     "b.xlsx"),
])
def test_each_badly_written_row_change_is_located(row: tuple, message: str) -> None:
    assert parse_errors(row) == [f"Scenarios!{message}"]


# --- add and scale capped at the column's range -----------------------------------------


def test_climate_plus_one_everywhere_stops_at_five_and_says_where() -> None:
    org = tiny_org(services=[service("A", climate=5), service("B", climate=3),
                             service("C", climate=5)])
    changed, scenario = noted(org, ("Warmer", "Services", "*", "climate", "add", 1))
    assert [s.climate for s in changed.services] == [5, 4, 5]
    assert scenario.note_words() == ("climate + 1: already 5 in 2 services (A and C)",)


def test_more_hours_for_everyone_stop_at_full_time_for_people_counted_for_directors() -> None:
    org = tiny_org(psws=[psw("A", available_fte=0.6), psw("B", available_fte=0.9),
                         psw("C", available_fte=1.0)])
    changed, scenario = noted(org, ("More hours", "PSWs", "*", "available_fte", "add", 0.2))
    assert [p.available_fte for p in changed.psws] == [0.8, 1.0, 1.0]
    assert scenario.note_words() == ("available_fte + 0.2: capped at 1 for 2 people (B and C)",)
    # for directors without the amount, as the change itself reads
    assert scenario.note_words("director") == ("available_fte: capped at 1 for fewer than 5 "
                                               "people",)


def test_a_scale_below_the_range_stops_at_its_lower_limit() -> None:
    changed, scenario = noted(tiny_org(services=[service("S1", min_peers=2)]),
                              ("Smaller", "Services", "S1", "min_peers", "scale", 0.4))
    assert changed.services[0].min_peers == 1
    assert scenario.note_words() == ("min_peers × 0.4: capped at 1 in 1 service (S1)",)


def test_a_policy_key_is_capped_too() -> None:
    changed, scenario = noted(tiny_org(), ("Dear", "Policy", "vacancy_cost_factor", "value",
                                           "scale", 2))
    assert changed.policy.vacancy_cost_factor == 1.0
    assert scenario.note_words() == ("Policy: vacancy_cost_factor × 2 capped at 1",)


def test_an_open_limit_has_nothing_to_stop_at_and_stays_an_error() -> None:
    org = tiny_org()
    assert apply_errors(org, ("None", "PSWs", "*", "available_fte", "scale", 0)) == [
        "Scenarios!F2: after available_fte × 0, PSWs 'A': available_fte must be a number "
        "greater than 0 and at most 1, got 0 (and 1 more rows)"]
    assert parse_errors(("Hot", "Services", "S1", "climate", "set", 6)) == [
        "Scenarios!F2: climate must be a whole number from 1 to 5, got 6"]


# --- filters -----------------------------------------------------------------------------


def filter_org() -> Org:
    return tiny_org(services=[
        service("W1", setting="inpatient", climate=2, region="North", topics=("crisis", "housing")),
        service("W2", setting="inpatient", climate=4),
        service("C1", setting="crisis", climate=3, region="South", topics=("crisis",)),
        service("H1", setting="housing", climate=5, region="North")])


@pytest.mark.parametrize(("target", "chosen"), [
    ("climate<3", ["W1"]),
    ("climate<=3", ["W1", "C1"]),
    ("climate>3", ["W2", "H1"]),
    ("climate>=4", ["W2", "H1"]),
    ("climate < 2.5", ["W1"]),
    ("climate<9", ["W1", "W2", "C1", "H1"]),
    ("setting=inpatient", ["W1", "W2"]),
    ("Setting = Crisis", ["C1"]),
    ("setting!=inpatient", ["C1", "H1"]),
    ("setting=inpatient|crisis", ["W1", "W2", "C1"]),
    ("setting=inpatient & climate<3", ["W1"]),
    ("setting=inpatient|crisis & climate>=3 & region!=North", ["W2", "C1"]),
    ("region=", ["W2"]),
    ("region!=", ["W1", "C1", "H1"]),
    ("topics=crisis", ["W1", "C1"]),
    ("topics!=housing", ["W2", "C1", "H1"]),
    ("service_id=W2|H1", ["W2", "H1"]),
])
def test_each_filter_selects_the_rows_it_says(target: str, chosen: list[str]) -> None:
    changed = applied(filter_org(), ("F", "Services", target, "min_peers", "set", 3))
    assert [s.service_id for s in changed.services if s.min_peers == 3] == chosen


@pytest.mark.parametrize(("target", "message"), [
    ("climat<3", "Services has no column 'climat'; did you mean 'climate'?"),
    ("climate<warm", "climate must be a number, got 'warm'"),
    ("setting<3", "< compares numbers, but setting is a choice from a list; use = or != (a|b "
                  "for several values)"),
    ("setting=inpatiant", "setting must be one of inpatient, outpatient, community, crisis, "
                          "housing, vocational, primary_care, forensic, other, got "
                          "'inpatiant'; did you mean 'inpatient'?"),
    ("climate=7", "climate must be a whole number from 1 to 5, got '7'"),
    ("climate<2|3", "several values (a|b) go with = or !=, not with <"),
])
def test_a_wrong_filter_is_located_with_what_to_write(target: str, message: str) -> None:
    assert parse_errors(("F", "Services", target, "climate", "add", 1)) == [
        f"Scenarios!C2: filter {target!r}: {message}"]


def test_an_empty_condition_and_a_filter_matching_nothing_say_why() -> None:
    assert parse_errors(("F", "Services", "climate<3 &", "climate", "add", 1)) == [
        "Scenarios!C2: filter 'climate<3 &': a condition is empty (an '&' with nothing on "
        "one side)"]
    assert apply_errors(filter_org(), ("F", "Services", "region=Nort", "climate", "add", 1)) == [
        "Scenarios!C2: filter 'region=Nort' matches no Services row (no row has region "
        "'Nort'; did you mean 'North'?)"]


# --- what the comparison says -------------------------------------------------------------


def test_the_comparison_lists_each_scenarios_notes_and_who_comes_and_goes() -> None:
    org = tiny_org(services=[service("S1", climate=5), service("S2", climate=3)],
                   psws=[psw("A", current_service="S2", current_role="R1"), psw("B")])
    orgs, listed = applied_scenarios(org, scenarios(
        ("Warmer", "Services", "*", "climate", "add", 1),
        ("Close", "Services", "S2", None, "remove", None),
        ("Hire", "PSWs", "A", None, "add_row", "N1"),
        ("Fewer", "PSWs", "B", None, "remove", None)))
    plans = {name: plan(o) for name, o in orgs.items()}
    hr, director = compare_plans(plans, listed), compare_plans(plans, listed, "director")
    assert [s.notes for s in hr.scenarios] == [
        (), ("climate + 1: already 5 in 1 service (S1)",),
        ("current placement in S2 dropped for 1 person (A)",), (), ()]
    assert director.scenarios[2].notes == (
        "current placement in S2 dropped for fewer than 5 people",)
    # people a scenario adds or removes are neither "not placed" nor moved between roles
    assert {(f.scenario, f.before, f.after, f.people) for f in director.flows
            if "scenario" in f.before + f.after} == {
        ("Hire", "new in the scenario", "Role R1", "<5"),
        ("Fewer", "Role R1", "removed by the scenario", "<5")}
