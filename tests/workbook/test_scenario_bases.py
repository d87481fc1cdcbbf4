"""What a scenario says of itself: a description, and the scenario it builds on (`base`);
and what the sheet says of a filter or change it cannot hold.

Rows are (scenario, sheet, id, column, change, value, description, base): description is
column G of the Scenarios sheet, base column H.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from planner.cli import cli
from planner.workbook.scenario_sheet import ELSEWHERE
from planner.workbook.scenarios import applied_scenarios
from tests.helpers.orgs import service, tiny_org
from tests.helpers.scenario_rows import apply_errors, noted, parse_errors, scenarios, workbook

WARMER = ("Warmer", "Services", "S1", "climate", "set", 4, "Staff education in S1")


def test_a_scenario_applies_its_bases_changes_first_at_any_remove() -> None:
    org = tiny_org(services=[service("S1", climate=2)], budget=100_000)
    orgs, listed = applied_scenarios(org, scenarios(
        ("Warmest", "Services", "S1", "climate", "add", 1, None, "Warmer"),
        WARMER,
        ("Lean and warm", "Policy", "budget", "value", "scale", 0.9, None, "Warmest")))
    # set to 4 first, then + 1: the other way round would leave 4
    assert orgs["Warmest"].services[0].climate == 5
    assert (orgs["Lean and warm"].services[0].climate, orgs["Lean and warm"].policy.budget) \
        == (5, 90_000)
    assert orgs["Warmer"].policy.budget == 100_000  # a base is not changed by what builds on it
    warmest, warmer, lean = listed
    assert (warmest.base, warmer.base, lean.base) == ("Warmer", "", "Warmest")
    assert [o.row for o in lean.applied] == [3, 2, 4]  # the farthest base's rows first
    assert lean.changes() == ("Policy: budget × 0.9",)  # its own; the base is named apart


def test_the_notes_of_a_combined_scenario_include_its_bases() -> None:
    org = tiny_org(services=[service("S1", climate=5), service("S2", climate=3)])
    _, (_, combined) = applied_scenarios(org, scenarios(
        ("Climate +1", "Services", "*", "climate", "add", 1),
        ("Close S2 too", "Services", "S2", None, "remove", None, None, "Climate +1")))
    assert combined.note_words() == ("climate + 1: already 5 in 1 service (S1)",)


def test_baseline_as_a_base_is_no_base() -> None:
    changed, scenario = noted(tiny_org(services=[service("S1", climate=2)]),
                              (*WARMER, "baseline"))
    assert (changed.services[0].climate, scenario.base, scenario.inherited) == (4, "", ())


def test_one_description_a_scenario_repeated_or_left_blank() -> None:
    (warmer,) = scenarios(WARMER, ("Warmer", "Services", "S1", "min_peers", "set", 2),
                          (*WARMER[:5], 3, "Staff education in S1"))
    assert warmer.description == "Staff education in S1"
    assert parse_errors(WARMER, ("Warmer", "Services", "S1", "min_peers", "set", 2,
                                 "Warmer wards")) == [
        "Scenarios!G3: scenario 'Warmer' has another description on row 2 ('Staff education "
        "in S1'); a scenario has one description: repeat it on its rows or leave them blank"]
    assert parse_errors((*WARMER, "A"), ("B", "Policy", "budget", "value", "scale", 2),
                        ("A", "Policy", "k", "value", "set", 3),
                        ("Warmer", "Policy", "k", "value", "set", 3, None, "B")) == [
        "Scenarios!H5: scenario 'Warmer' has another base on row 2 ('A'); a scenario has one "
        "base: repeat it on its rows or leave them blank"]


@pytest.mark.parametrize(("rows", "messages"), [
    ([WARMER, ("Leaner", "Policy", "budget", "value", "scale", 0.9, None, "Warmr")],
     ["Scenarios!H3: base 'Warmr' is not a scenario of this sheet; did you mean 'Warmer'?"]),
    ([(*WARMER, "Warmer")],
     ["Scenarios!H2: scenario 'Warmer' builds on itself; name another scenario as its "
      "base, or leave base blank"]),
    ([(*WARMER, "Leaner"), ("Leaner", "Policy", "budget", "value", "scale", 0.9, None,
                            "Warmer"),
      ("Later", "Policy", "k", "value", "set", 3, None, "Leaner")],
     ["Scenarios!H2: the bases go round in a circle ('Warmer' on 'Leaner' on 'Warmer'); one "
      "of these scenarios must build on none (base blank)",
      "Scenarios!H3: the bases go round in a circle ('Leaner' on 'Warmer' on 'Leaner'); one "
      "of these scenarios must build on none (base blank)"]),
])
def test_an_unknown_base_or_a_circle_of_bases_is_located(rows: list[tuple],
                                                         messages: list[str]) -> None:
    assert parse_errors(*rows) == messages


def test_a_bases_problem_is_said_once_not_again_for_each_scenario_built_on_it() -> None:
    assert apply_errors(tiny_org(), ("Warmer", "Services", "S9", "climate", "set", 4),
                        ("Leaner", "Policy", "budget", "value", "set", 1, None, "Warmer")) == [
        "Scenarios!C2: no Services row with service_id 'S9'"]


# --- what the sheet cannot hold ---------------------------------------------------------


@pytest.mark.parametrize(("target", "says"), [
    ("region=North or region=South", "'or' is not written here: several values of one "
     "column are column=a|b (region=North|South)"),
    ("climate<3 and region=North", "conditions are joined by & (setting=inpatient & "
     "climate<3)"),
    ("climate=>3", "write >= or <=, the = second"),
    ("not region=North", "write column!=value"),
])
def test_a_filter_written_as_another_query_language_says_how_it_is_written_here(
        target: str, says: str) -> None:
    (message,) = parse_errors(("F", "Services", target, "climate", "set", 4))
    assert message.startswith(f"Scenarios!C2: filter {target!r}: {says}")
    assert "a filter is column=value, column!=value, column<value" in message


def test_an_id_that_reads_as_a_filter_of_another_language_says_how_to_write_it() -> None:
    (message,) = apply_errors(tiny_org(), ("F", "Services", "climate between 2 and 4",
                                           "climate", "set", 4))
    assert message.startswith(
        "Scenarios!C2: no Services row with service_id 'climate between 2 and 4'; if it is "
        "meant as a filter, a range is two conditions joined by &: climate>=2 & climate<=4")


def test_an_unsupported_sheet_or_change_points_to_comparing_two_workbooks() -> None:
    assert parse_errors(("F", "Topics", "gambling", "label", "set", "Betting"),
                        ("G", "Services", "S1", None, "merge", "S2")) == [
        "Scenarios!B2: sheet must be one of Services, Roles, PSWs, Regions, Policy, got 'Topics'"
        + ELSEWHERE,
        "Scenarios!E3: change must be one of set, add, scale, remove, add_row, got 'merge'"
        + ELSEWHERE]


# --- what the comparison shows ----------------------------------------------------------


COMPARED = (
    ("Warmer wards", "Services", "setting=inpatient", "climate", "set", 4,
     "Staff education raises the ward's climate"),
    ("Leaner on warmer wards", "Policy", "budget", "value", "scale", 0.9,
     "Budget -10 % on top of warmer wards", "Warmer wards"),
)


@pytest.fixture(scope="module", params=["hr", "director"])
def compared(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp(request.param)
    result = CliRunner().invoke(cli, ["compare", str(workbook(folder, *COMPARED)), "-o",
                                      str(folder / "out"), "--jobs", "1", "--time-limit", "10",
                                      "--audience", request.param, "--quiet"])
    assert result.exit_code == 0, result.output
    return folder / "out"


def test_the_comparison_says_what_each_scenario_stands_for_and_builds_on(
        compared: Path) -> None:
    comparison = json.loads((compared / "comparison.json").read_text("utf-8"))
    _, warmer, leaner = comparison["scenarios"]
    assert any(sentence.startswith("Leaner on warmer wards (on top of Warmer wards and "
                                   "Policy: budget × 0.9)") for sentence in comparison["narrative"])
    assert (warmer["description"], warmer["base"]) == (
        "Staff education raises the ward's climate", "")
    assert (leaner["description"], leaner["base"], leaner["changes"]) == (
        "Budget -10 % on top of warmer wards", "Warmer wards", ["Policy: budget × 0.9"])
    plan = json.loads((compared / leaner["slug"] / "plan.json").read_text("utf-8"))
    assert plan["policy"]["budget"] == 180_000  # its own change, on top of ...
    assert {s["service_id"]: s["climate"] for s in plan["services"]} == {"S1": 4, "S2": 4}

    soup = BeautifulSoup((compared / "comparison.html").read_text("utf-8"), "html.parser")
    row = soup.select_one(f'tr[data-scenario="{leaner["slug"]}"]')
    assert row.select_one("th .description").get_text() == "Budget -10 % on top of warmer wards"
    assert row.select_one("p.base").get_text() == "Builds on Warmer wards"

    sheet = openpyxl.load_workbook(compared / "comparison.xlsx")["Scenarios"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    header = next(r for r in rows if "Description" in r)
    by_name = {r[0]: r for r in rows[rows.index(header) + 1:]}
    line = by_name["Leaner on warmer wards"]
    assert (line[header.index("Description")], line[header.index("Builds on")]) == (
        "Budget -10 % on top of warmer wards", "Warmer wards")
    assert by_name["Warmer wards"][header.index("Builds on")] is None
