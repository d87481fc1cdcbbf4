"""The fit-autonomy frontier: extremes, monotone trade-off, one readable plan per point."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import psw, role, service, tiny_org

from planner.analyses.frontier import epsilon_levels, frontier_sentences, trace_frontier
from planner.api import frontier as write_frontier
from planner.core.results import read_plan_json
from planner.solve.candidates import enumerate_candidates


def torn_org():
    """Four people ready for a middle-saliency role (the better fit) who ask for the
    low-saliency one (the freer choice): fit and autonomy pull apart."""
    people = [psw(f"P{n}", readiness=3, preferred_roles=("LOW",)) for n in range(1, 5)]
    people[3] = psw("P4", readiness=3, preferred_roles=("LOW",), available_fte=0.5)
    return tiny_org(psws=people, roles=[role("LOW", saliency=1), role("MID", saliency=3)],
                    services=[service("S1", demand_fte=10.0)])


def best_per_person(score: str) -> float:
    """What the extremes must reach: nothing limits them but one position per person."""
    best: dict[str, float] = {}
    for c in enumerate_candidates(torn_org()):
        value = c.fte * getattr(c.score, score)
        best[c.psw.psw_id] = max(best.get(c.psw.psw_id, 0.0), value)
    return round(sum(best.values()), 2)


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
    from planner.analyses.frontier import AUTONOMY, FIT, FrontierObjective, start_for, total
    from planner.analyses.workers import Variant, plan_variant
    from planner.solve.edits import StartFrom
    from planner.solve.planning import plan

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
