"""Roadmaps compared (`planner compare ORG --roadmap`), through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from openpyxl import load_workbook

from planner.analyses.roadmap import plan_roadmap
from planner.cli import cli
from planner.workbook.generate import generate_org
from planner.workbook.read import read_org
from planner.workbook.scenario_sheet import SCENARIOS
from planner.workbook.template import write_workbook

SENIOR = "Recruit senior peers now"
GROW = "Grow our own"


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("roadmaps")
    org = generate_org(30, 6, regions=2, seed=8)
    rows = ((SENIOR, "Policy", "hire_readiness", "value", "set", 5, "Hire the ready"),
            (GROW, "PSWs", "*", "stretch", "set", "yes", "Supported stretch for all"),
            (GROW, "Policy", "stretch_per_supervisor", "value", "set", 4, None))
    workbook = write_workbook(folder / "org.xlsx", org, scenarios=rows)
    for audience in ("hr", "director"):
        result = CliRunner().invoke(cli, ["compare", str(workbook), "--roadmap", "--years",
                                          "2", "--time-limit", "5", "--jobs", "1",
                                          "--audience", audience, "-o",
                                          str(folder / audience)])
        assert result.exit_code == 0, result.output
    return workbook, folder


def test_each_scenario_has_its_roadmap_and_the_comparison_matches_them(compared) -> None:
    workbook, folder = compared
    data = json.loads((folder / "hr" / "roadmaps.json").read_text())
    assert [s["name"] for s in data["scenarios"]] == ["baseline", SENIOR, GROW]
    assert data["scenarios"][1]["description"] == "Hire the ready"
    alone = plan_roadmap(read_org(workbook), years=2, time_limit=5)
    covered = [r for r in data["rows"] if r["key"] == "planned_coverage"]
    assert [r["values"][0] for r in covered] == [y.planned_coverage for y in alone.years]
    for scenario in data["scenarios"]:
        own = json.loads((folder / "hr" / scenario["slug"] / "roadmap.json").read_text())
        assert [y["planned_coverage"] for y in own["years"]] == [
            r["values"][data["scenarios"].index(scenario)] for r in covered]


def test_directors_see_small_counts_of_people_suppressed(compared) -> None:
    _, folder = compared
    director = json.loads((folder / "director" / "roadmaps.json").read_text())
    hr = json.loads((folder / "hr" / "roadmaps.json").read_text())
    for mine, full in zip(director["rows"], hr["rows"], strict=True):
        if mine["key"] == "filled_high_fte":  # an FTE that fewer than k people fill
            assert all(v == "<5" or v == f for v, f in zip(mine["values"], full["values"],
                                                            strict=True))
            continue
        expected = [v if mine["unit"] != "people" or v == 0 or v >= 5 else "<5"
                    for v in full["values"]]
        assert mine["values"] == expected
    own = json.loads((folder / "director" / "baseline" / "roadmap.json").read_text())
    assert own["pathways"] == [] and own["audience"] == "director"


def test_the_page_and_workbook_show_every_scenario(compared) -> None:
    _, folder = compared
    page = BeautifulSoup((folder / "hr" / "roadmaps.html").read_text(), "html.parser")
    names = [a.get_text() for a in page.select("#scenarios-table tbody th a")]
    assert names == ["baseline", SENIOR, GROW]
    assert len(page.select("#years-table tbody tr")) == 2 * 8  # years x measures
    book = load_workbook(folder / "hr" / "roadmaps.xlsx")
    header = [c.value for c in book["Roadmaps"][3]]
    assert header[3:] == ["baseline", SENIOR, GROW]


def test_the_scenarios_column_is_in_the_schema() -> None:
    assert "description" in SCENARIOS.column_names
