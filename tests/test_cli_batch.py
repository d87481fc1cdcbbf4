"""`planner batch` and `--scheduler` through the command line, on a Dask cluster of two
worker processes: what the portfolio files hold, parsed (JSON, Excel cells, HTML)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from planner import api
from planner.analyses.compare import comparison_to_json
from planner.cli import cli
from tests.helpers.batch import write_orgs

SIZES = (8, 10, 12, 15)
SCENARIOS = (("Budget +10%", "Policy", "budget", "value", "scale", 1.1),
             ("Warmer services", "Services", "*", "climate", "add", 1))
LIMIT = "5"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def director_batch(dask_cluster: str, tmp_path_factory: pytest.TempPathFactory
                   ) -> tuple[Path, Result]:
    """Four organisations without scenarios of their own, and a scenarios workbook for
    all of them, planned on the cluster for directors."""
    folder = tmp_path_factory.mktemp("orgs")
    write_orgs(folder, SIZES)
    (scenarios,) = write_orgs(tmp_path_factory.mktemp("what-if"), (8,), SCENARIOS)
    out = tmp_path_factory.mktemp("batch")
    result = run("batch", str(folder), "-o", str(out), "--scenarios", str(scenarios),
                 "--scheduler", dask_cluster, "--time-limit", LIMIT, "--audience", "director")
    return out, result


def test_batch_on_a_cluster_writes_a_portfolio_row_per_organisation_and_scenario(
        director_batch):
    out, result = director_batch
    assert result.exit_code == 0, result.output
    portfolio = json.loads((out / "portfolio.json").read_text("utf-8"))
    rows = portfolio["rows"]
    assert [(r["org"], r["scenario"]) for r in rows] == [
        (f"org-{n}", scenario) for n in range(1, 5)
        for scenario in ("baseline", "Budget +10%", "Warmer services")]
    assert {r["status"] for r in rows} == {"optimal"}
    for row in rows:
        plan = json.loads((out / row["folder"] / "plan.json").read_text("utf-8"))
        assert plan["audience"] == "director"
        assert row["coverage"] == plan["kpis"]["coverage"]
    assert portfolio["narrative"][0] == "4 organisations, 12 plans: 12 planned (12 proven optimal)."
    assert "12/12 done" in result.stderr and "0 failed" in result.stderr


def test_a_directors_portfolio_shows_small_counts_of_people_as_under_k(director_batch):
    out, _ = director_batch
    rows = json.loads((out / "portfolio.json").read_text("utf-8"))["rows"]
    small = [r for r in rows if isinstance(r["high_positions"], str)]
    assert small and all(r["high_positions"] == "<5" and r["high_share"] is None for r in small)
    sheet = load_workbook(out / "portfolio.xlsx")["Portfolio"]
    header = [cell.value for cell in sheet[3]]
    high, hidden = header.index("High-saliency positions"), header.index("Fewer than 5 people in")
    for row, cells in zip(rows, sheet.iter_rows(min_row=4, values_only=True), strict=True):
        assert (cells[0], cells[1]) == (row["org"], row["scenario"])
        assert cells[header.index("Staff")] == row["staff"]
        if isinstance(row["high_positions"], str):
            assert cells[high] is None and "High-saliency positions" in cells[hidden]
        else:
            assert cells[high] == row["high_positions"]


def test_the_portfolio_page_links_each_row_to_its_report(director_batch):
    out, _ = director_batch
    soup = BeautifulSoup((out / "portfolio.html").read_text("utf-8"), "html.parser")
    rows = soup.select("#portfolio-table tbody tr")
    assert len(rows) == 12
    for row in rows:
        link = row.select_one("a")
        assert (out / link["href"]).is_file()
        assert row.select_one("td.status").get_text() == "optimal"
        shown = row.select_one('td[data-figure="high_positions"]').get_text()
        assert shown == "<5" or int(shown) >= 5
    assert soup.select_one(".badge").get_text() == "Director report: aggregates only"
    assert soup.select_one("#summary p").get_text().startswith("4 organisations")


def test_compare_with_a_scheduler_gives_the_plans_it_gives_here(dask_cluster, tmp_path):
    (path,) = write_orgs(tmp_path, (10,), SCENARIOS)
    result = run("compare", str(path), "-o", str(tmp_path / "cluster"), "--scheduler",
                 dask_cluster, "--time-limit", LIMIT, "--quiet")
    assert result.exit_code == 0, result.output
    here = api.compare(path, tmp_path / "here", time_limit=float(LIMIT), jobs=1)
    on_cluster = json.loads((tmp_path / "cluster" / "comparison.json").read_text("utf-8"))
    assert on_cluster["kpis"] == json.loads(comparison_to_json(here.comparison))["kpis"]


def test_an_unreachable_scheduler_is_said_in_one_line_with_exit_code_2(tmp_path):
    (path,) = write_orgs(tmp_path, (8,))
    result = run("batch", str(path), "-o", str(tmp_path / "out"), "--scheduler",
                 "tcp://127.0.0.1:9")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
