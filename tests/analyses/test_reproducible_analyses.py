"""`--reproducible` in compare (one year's plans and roadmaps), batch, insights, the
frontier and the roadmap: every plan's searches stop at a set amount of work (scenarios
near the baseline, re-plans, points and years are edited models), so the same inputs and
seed give the same plans; each output says so only then."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result

from planner import api
from planner.analyses.batch import task_key
from planner.analyses.compare_narrative import REPEATS
from planner.analyses.roadmap import _cut_by_the_clock, _year_seconds, plan_roadmap
from planner.cli import cli
from planner.core.audience import Audience
from planner.core.results import CUT_BY_THE_CLOCK, Plan, Repeats
from planner.reports.roadmap_files import RoadmapShown
from planner.reports.roadmap_narrative import proof_sentence
from planner.workbook.generate import generate_org
from planner.workbook.template import write_workbook
from tests.helpers.busy import as_if_slower

LIMIT = "4"
WORKBOOK_REPEATS = Repeats(1, 1).sentence()


@pytest.fixture(autouse=True)
def _busy_machine(monkeypatch):
    """Every plan here is sized as for a machine at 60 % of the measured work rates:
    the tests assert that no search was cut, whatever the runner's load."""
    as_if_slower(monkeypatch)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _workbooks(folder: Path) -> list[Path]:
    """An organisation CP-SAT proves optimal in a fraction of a second, so that its plans
    repeat however busy the machine is (tests/solve/test_reproducible.py checks searches
    that stop on their work), and the same with a tenth more budget."""
    org = generate_org(psws=40, services=10, regions=1, seed=3)
    richer = replace(org, policy=replace(org.policy, budget=org.policy.budget * 1.1))
    paths = [folder / "org.xlsx", folder / "richer.xlsx"]
    write_workbook(paths[0], org)
    write_workbook(paths[1], richer)
    return paths


def _plans(out: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text("utf-8")) for p in out.glob("*/plan.json")}


def _placements(plan: dict) -> list[tuple[str, str, str]]:
    return sorted((a["psw_id"], a["role_id"], a["service_id"]) for a in plan["assignments"])


def test_a_reproducible_comparison_gives_the_same_plans_and_says_so(tmp_path):
    """Fails if compare does not plan every scenario (the one near the baseline is an
    edited model) reproducibly."""
    paths = [str(p) for p in _workbooks(tmp_path)]
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        done = run("compare", *paths, "-o", str(out), "--time-limit", LIMIT, "--jobs", "1",
                   "--reproducible")
        assert done.exit_code == 0, done.output
    first, second = (_plans(out) for out in outs)
    assert set(first) == {"org", "richer"}
    for name, plan in first.items():
        assert plan["strategy"]["reproducible"] and plan["model_stats"][CUT_BY_THE_CLOCK] == 0
        assert (plan["objective"], _placements(plan)) == (
            second[name]["objective"], _placements(second[name]))
    comparison = json.loads((outs[0] / "comparison.json").read_text("utf-8"))
    assert comparison["repeats"] and comparison["narrative"][-1] == REPEATS
    page = BeautifulSoup((outs[0] / "comparison.html").read_text("utf-8"), "html.parser")
    assert REPEATS in page.get_text(" ")


def test_a_comparison_on_the_clock_does_not_say_it_repeats(tmp_path):
    paths = [str(p) for p in _workbooks(tmp_path)]
    done = run("compare", *paths, "-o", str(tmp_path / "out"), "--time-limit", "2",
               "--jobs", "1")
    assert done.exit_code == 0, done.output
    comparison = json.loads((tmp_path / "out" / "comparison.json").read_text("utf-8"))
    assert not comparison["repeats"] and REPEATS not in comparison["narrative"]


def test_reproducible_roadmaps_compared_repeat_and_say_so(tmp_path):
    """Fails if compare --roadmap does not pass --reproducible to every year's plan."""
    paths = [str(p) for p in _workbooks(tmp_path)]
    out = tmp_path / "out"
    done = run("compare", *paths, "-o", str(out), "--roadmap", "--years", "2",
               "--time-limit", LIMIT, "--jobs", "1", "--reproducible", "--quiet")
    assert done.exit_code == 0, done.output
    for name in ("org", "richer"):
        for year in (1, 2):
            plan = json.loads((out / name / f"year-{year}" / "plan.json").read_text("utf-8"))
            assert plan["strategy"]["reproducible"]
            assert plan["model_stats"][CUT_BY_THE_CLOCK] == 0
        assert json.loads((out / name / "roadmap.json").read_text("utf-8"))["repeats"]
    comparison = json.loads((out / "roadmaps.json").read_text("utf-8"))
    assert comparison["repeats"] and comparison["narrative"][-1] == REPEATS


def _insights(out: Path) -> tuple[dict, list[str]]:
    report = json.loads((out / "insights.json").read_text("utf-8"))
    page = BeautifulSoup((out / "insights.html").read_text("utf-8"), "html.parser")
    summary = [p.get_text(" ", strip=True) for p in page.select("#summary p")]
    return report, summary


def test_reproducible_insights_give_the_same_insights_and_say_so(tmp_path):
    """Fails if insights do not plan every re-plan reproducibly."""
    (path, _) = _workbooks(tmp_path)
    reports = []
    for out in (tmp_path / "a", tmp_path / "b"):
        done = run("insights", str(path), "-o", str(out), "--time-limit", LIMIT, "--jobs",
                   "1", "--reproducible")
        assert done.exit_code == 0, done.output
        assert WORKBOOK_REPEATS in done.output
        reports.append(_insights(out))
    (first, summary), (second, _) = reports
    assert first["repeats"] and summary[-1] == WORKBOOK_REPEATS
    assert first["insights"] == second["insights"]
    assert first["budget_curve"] == second["budget_curve"]


def test_insights_on_the_clock_do_not_say_they_repeat(tmp_path):
    (path, _) = _workbooks(tmp_path)
    done = run("insights", str(path), "-o", str(tmp_path / "out"), "--time-limit", "2",
               "--jobs", "1")
    assert done.exit_code == 0, done.output
    report, summary = _insights(tmp_path / "out")
    assert not report["repeats"] and WORKBOOK_REPEATS not in summary


def test_a_reproducible_frontier_repeats_and_says_so(tmp_path):
    """Fails if the frontier's points are not planned reproducibly."""
    (path, _) = _workbooks(tmp_path)
    out = tmp_path / "out"
    done = run("frontier", str(path), "-o", str(out), "--levels", "1", "--time-limit", LIMIT,
               "--jobs", "1", "--reproducible", "--quiet")
    assert done.exit_code == 0, done.output
    frontier = json.loads((out / "frontier.json").read_text("utf-8"))
    assert frontier["repeats"] and frontier["summary"][-1] == WORKBOOK_REPEATS
    for point in out.glob("point-*/plan.json"):
        assert json.loads(point.read_text("utf-8"))["model_stats"][CUT_BY_THE_CLOCK] == 0
    page = BeautifulSoup((out / "frontier.html").read_text("utf-8"), "html.parser")
    assert WORKBOOK_REPEATS in page.get_text(" ")


def test_a_reproducible_roadmap_repeats_and_says_so(tmp_path):
    """Fails if the roadmap's years are not planned reproducibly."""
    (path, _) = _workbooks(tmp_path)
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        done = run("roadmap", str(path), "-o", str(out), "--years", "2", "--time-limit",
                   "12", "--reproducible", "--quiet")
        assert done.exit_code == 0, done.output
    for year in (1, 2):
        first, second = (json.loads((out / f"year-{year}" / "plan.json").read_text("utf-8"))
                         for out in outs)
        assert first["strategy"]["reproducible"] and first["model_stats"][CUT_BY_THE_CLOCK] == 0
        assert _placements(first) == _placements(second)
    roadmap = json.loads((outs[0] / "roadmap.json").read_text("utf-8"))
    page = BeautifulSoup((outs[0] / "roadmap.html").read_text("utf-8"), "html.parser")
    assert roadmap["repeats"] and WORKBOOK_REPEATS in page.get_text(" ")


def test_a_reproducible_roadmap_not_proven_stopped_at_its_work():
    """Its summary names the years not proven optimal as stopped at a set amount of work,
    not at the time limit, only when every year's plan repeats."""
    org = generate_org(psws=12, services=3, regions=1, seed=2)
    made = plan_roadmap(org, years=1, time_limit=4, reproducible=True)
    (year,) = made.years
    open_year = replace(made, years=(replace(year, status="feasible", gap=0.001),))
    shown = RoadmapShown(open_year, Audience.HR, 5)
    assert proof_sentence(shown) == (
        "Not proven optimal within a set amount of work: year 1 (feasible, gap 0.10%).")
    on_the_clock = replace(open_year, plans=tuple(
        replace(p, strategy={**p.strategy, "reproducible": False}) for p in made.plans))
    assert "within the time limit" in proof_sentence(RoadmapShown(on_the_clock, Audience.HR, 5))


def test_a_reproducible_batch_plans_each_task_on_its_work(tmp_path):
    (path, _) = _workbooks(tmp_path)
    out = tmp_path / "out"
    done = run("batch", str(path), "-o", str(out), "--time-limit", LIMIT, "--jobs", "1",
               "--reproducible", "--quiet")
    assert done.exit_code == 0, done.output
    (plan,) = _plans(out / "org").values()
    assert plan["strategy"]["reproducible"] and plan["model_stats"][CUT_BY_THE_CLOCK] == 0
    portfolio = json.loads((out / "portfolio.json").read_text("utf-8"))
    assert portfolio["rows"][0]["repeats"]
    assert portfolio["narrative"][1].startswith(
        "Every search of every plan stopped at a set amount of work")


def test_a_reproducible_task_is_not_the_task_on_the_clock():
    """A rerun with --reproducible plans again what a run without it finished (and the
    keys of tasks on the clock are those written before the flag existed)."""
    on_the_clock = task_key("ab", None, 5.0, 1, Audience.HR)
    assert task_key("ab", None, 5.0, 1, Audience.HR, reproducible=True) != on_the_clock
    assert task_key("ab", None, 5.0, 1, Audience.HR, reproducible=False) == on_the_clock
    before = json.dumps(["ab", ["baseline"], 5.0, 1, "hr"])  # the key's text until then
    assert on_the_clock == hashlib.sha256(before.encode()).hexdigest()


def test_a_reproducible_year_has_an_even_share_of_the_whole_time():
    """Its share is the same every run: not of the time the clock says is left (a year
    before that ended early leaves it unchanged); on the clock, the time left is shared."""
    now = time.perf_counter()
    assert _year_seconds(now + 40, 30.0, 3, 2, True) == (10.0, False)
    share, cut = _year_seconds(now + 40, 30.0, 3, 2, False)
    assert share == pytest.approx(20.0, abs=0.1) and not cut


def test_a_reproducible_year_the_clock_left_behind_counts_as_cut():
    """Years before that overran leave it less than its share: it plans in what is left
    and counts a cut, so the roadmap makes no repeat claim."""
    share, cut = _year_seconds(time.perf_counter() + 10.0, 30.0, 3, 2, True)
    assert share == pytest.approx(5.0, abs=0.1) and cut
    planned = replace(_any_plan(), model_stats={CUT_BY_THE_CLOCK: 0},
                      strategy={"reproducible": True})
    assert planned.repeats and not _cut_by_the_clock(planned).repeats


def _any_plan() -> Plan:
    org = generate_org(psws=8, services=3, regions=1, seed=1)
    return api.plan(org, time_limit=2)


def test_what_a_report_says_of_plans_that_repeat():
    assert Repeats(0, 4).sentence() is None and not Repeats(0, 0).every
    assert Repeats(4, 4).every and Repeats(4, 4).sentence() == (
        "Every search of every plan stopped at a set amount of work: the same workbook and "
        "seed give these plans again on this machine.")
    assert (Repeats(1, 2) + Repeats(2, 2)).sentence("inputs and seed") == (
        "Every search of 3 of the 4 plans stopped at a set amount of work: the same inputs "
        "and seed give them again on this machine.")
