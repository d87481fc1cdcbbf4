"""The fit-autonomy frontier: extremes, monotone trade-off, one readable plan per point."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from planner.analyses.frontier import (
    AUTONOMY,
    FIT,
    Frontier,
    FrontierObjective,
    epsilon_levels,
    frontier_sentences,
    start_for,
    total,
    trace_frontier,
)
from planner.analyses.workers import Variant, plan_variant
from planner.api import frontier as write_frontier
from planner.core.results import read_plan_json
from planner.solve import strategy
from planner.solve.edits import StartFrom
from planner.solve.planning import plan
from tests.helpers.orgs import best_per_person, psw, role, service, tiny_org, torn_org


@pytest.fixture(scope="module")
def frontier():
    return trace_frontier(torn_org(), levels=5, jobs=1)


def test_the_extremes_are_the_max_fit_and_max_autonomy_plans(frontier):
    first, last = frontier.points[0], frontier.points[-1]
    assert (first.label, last.label) == ("max fit", "max autonomy")
    assert first.total_fit == pytest.approx(best_per_person("fit"), abs=0.01)
    assert last.total_autonomy == pytest.approx(best_per_person("autonomy"), abs=0.01)
    assert first.total_autonomy < last.total_autonomy and first.total_fit > last.total_fit


def test_fit_does_not_rise_as_autonomy_rises(frontier):
    assert len(frontier.points) >= 5
    assert all(p.status == "optimal" and not p.dominated for p in frontier.points)
    autonomy = [p.total_autonomy for p in frontier.points]
    fit = [p.total_fit for p in frontier.points]
    assert autonomy == sorted(autonomy)
    assert all(a >= b - 1e-6 for a, b in itertools.pairwise(fit))


def test_every_point_keeps_its_epsilon(frontier):
    first, last = frontier.points[0].plan, frontier.points[-1].plan
    levels = epsilon_levels(first, last, 5)
    inner = [p for p in frontier.points if p.epsilon is not None]
    assert [p.epsilon for p in inner] == levels
    assert all(p.total_autonomy >= p.epsilon - 0.01 for p in inner)
    assert frontier.recommended is not None and frontier.recommended.objective >= max(
        p.objective for p in frontier.points) - 0.01  # the usual objective's optimum


def test_the_summary_says_what_preferences_cost_in_fit(frontier):
    lead = frontier_sentences(frontier)[0]
    assert lead.startswith("Honouring preferences as far as the rules allow")
    assert "costs" in lead and "of total fit" in lead


def test_written_frontier_has_a_readable_plan_per_point(tmp_path: Path):
    written = write_frontier(torn_org(), tmp_path, levels=2, jobs=2).written
    data = json.loads((tmp_path / "frontier.json").read_text())
    assert [p["folder"] for p in data["points"]] == [f"point-0{n}" for n in range(1, 5)]
    for point in data["points"]:
        plan = read_plan_json(tmp_path / point["folder"] / "plan.json")
        assert plan.objective == pytest.approx(point["objective"])
        assert (tmp_path / point["folder"] / "report.html").is_file()
        assert any(r.startswith("frontier objective") for r in plan.rules)
    soup = BeautifulSoup((tmp_path / "frontier.html").read_text(), "html.parser")
    links = [a["href"] for a in soup.select("#points-table tbody a")]
    assert links == [f"point-0{n}/report.html" for n in range(1, 5)]
    assert soup.select_one("#chart-frontier svg") is not None
    assert soup.select_one("#summary p.lead").get_text() == data["summary"][0]
    assert {p.name for p in written} >= {"frontier.json", "frontier.html", "plan.json"}
    for page in ("frontier.html", "frontier.json"):  # totals only: nobody is named
        assert "Person P" not in (tmp_path / page).read_text()


def test_an_interior_point_starts_from_the_plan_with_most_fit_that_keeps_its_epsilon():
    # P asks for LOW only, Q for LOW then MID: the usual objective puts P in LOW and Q in
    # MID (fit 154, autonomy 140), between max fit (170, 100) and max autonomy (138, 150)
    org = tiny_org(psws=[psw("P", preferred_roles=("LOW",)),
                         psw("Q", preferred_roles=("LOW", "MID"))],
                   roles=[role("LOW", saliency=1), role("MID", saliency=3)],
                   services=[service("S1", demand_fte=10.0)])
    ends = {"max fit": plan_variant(Variant(org, (FrontierObjective(FIT),))),
            "max autonomy": plan_variant(Variant(org, (FrontierObjective(AUTONOMY),))),
            "recommended": plan(org)}
    fit, free, usual = (ends[k] for k in ("max fit", "max autonomy", "recommended"))
    assert total(fit, AUTONOMY) < total(usual, AUTONOMY) < total(free, AUTONOMY)
    assert total(usual, FIT) > total(free, FIT)
    # clear of the recommended plan's autonomy: the recommended plan, which has more fit
    assert start_for(total(usual, AUTONOMY) - 1.5, ends) == StartFrom.of(usual)
    # above it (or within the margin): only the max-autonomy plan keeps the epsilon
    assert start_for(total(usual, AUTONOMY) - 0.5, ends) == StartFrom.of(free)
    assert start_for(total(fit, AUTONOMY) - 1.5, ends) == StartFrom.of(fit)


# -- frontiers without plans, or planned part by part ------------------------------------


@pytest.fixture
def too_large(monkeypatch):
    """Every edited variant counts as too large for CP-SAT's whole model in its time."""
    monkeypatch.setattr(strategy, "THRESHOLDS", strategy.Thresholds(edited_per_second=0))


def test_a_frontier_without_plans_says_whether_time_or_rules_stopped_it():
    timed_out = Frontier((), None, 7.5, 6)
    assert frontier_sentences(timed_out) == [
        "No plan was found in the 7.5 s given to each point, so there is no trade-off to "
        "show yet: allow more time per point (--time-limit)."]
    ruled_out = Frontier((), None, 7.5, 6, infeasible=True)
    assert frontier_sentences(ruled_out) == [
        "No plan satisfies the rules, so there is no trade-off to show."]


def test_a_frontier_planned_part_by_part_says_its_gap_is_unknown(too_large):
    frontier = trace_frontier(torn_org(), levels=1, jobs=1, time_limit=5)
    assert [p.status for p in frontier.points] == ["feasible"] * 3
    assert all(p.gap is None for p in frontier.points)
    assert frontier_sentences(frontier)[-1] == (
        "Points 1, 2 and 3 stopped at the time limit (gap unknown: too large to search "
        "whole in the time, planned part by part), so the true frontier may lie further out.")
