"""`planner roadmap` end to end through the CLI: the files, for each audience."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from openpyxl import load_workbook

from planner.cli import cli
from planner.workbook.generate import generate_org
from planner.workbook.template import write_workbook


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("roadmap-cli")
    return write_workbook(folder / "org.xlsx", generate_org(24, 6, regions=2, seed=31))


@pytest.mark.parametrize("audience", ["hr", "director"])
def test_the_roadmap_writes_every_year_for_its_audience(workbook: Path, tmp_path: Path,
                                                       audience: str) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["roadmap", str(workbook), "-o", str(out), "--years",
                                      "2", "--time-limit", "20", "--audience", audience])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("year 1: ") and "roadmap value" in result.output
    data = json.loads((out / "roadmap.json").read_text())
    assert [y["year"] for y in data["years"]] == [1, 2]
    assert data["audience"] == audience and bool(data["pathways"]) == (audience == "hr")
    for year in (1, 2):
        plan = json.loads((out / f"year-{year}" / "plan.json").read_text())
        assert plan["audience"] == audience
        assert bool(plan["people"]) == (audience == "hr")
        book = load_workbook(out / f"year-{year}" / "plan.xlsx")
        assert ("People" in book.sheetnames) == (audience == "hr")
    page = BeautifulSoup((out / "roadmap.html").read_text(), "html.parser")
    links = {a["href"] for a in page.select("a[href]")}
    assert {"year-1/report.html", "year-2/plan.json"} <= links


def test_the_input_workbook_is_never_written(workbook: Path, tmp_path: Path) -> None:
    before = workbook.read_bytes()
    result = CliRunner().invoke(cli, ["roadmap", str(workbook), "-o", str(tmp_path / "o"),
                                      "--years", "1", "--time-limit", "10"])
    assert result.exit_code == 0, result.output
    assert workbook.read_bytes() == before


def test_years_beyond_the_range_are_a_usage_error(workbook: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["roadmap", str(workbook), "-o", str(tmp_path),
                                      "--years", "11"])
    assert result.exit_code == 2 and "years" in result.output.lower()
