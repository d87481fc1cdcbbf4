"""`planner compare --reproducible` and `planner batch --reproducible`: every plan's
searches stop at a set amount of work (scenarios near the baseline are edited models), so
the same inputs and seed give the same plans; the comparison says so only then."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

from bs4 import BeautifulSoup
from click.testing import CliRunner, Result

from planner.analyses.batch import task_key
from planner.analyses.compare_narrative import REPEATS
from planner.cli import cli
from planner.core.audience import Audience
from planner.core.results import CUT_BY_THE_CLOCK
from planner.workbook.generate import generate_org
from planner.workbook.template import write_workbook

LIMIT = "4"


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


def test_reproducible_roadmaps_are_refused_with_a_message(tmp_path):
    paths = [str(p) for p in _workbooks(tmp_path)]
    done = run("compare", *paths, "-o", str(tmp_path / "out"), "--roadmap", "--reproducible")
    assert done.exit_code == 2
    assert "--reproducible plans one year's scenarios, not --roadmap" in done.output
    assert not (tmp_path / "out").exists()


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
