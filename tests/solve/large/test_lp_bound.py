"""The LP bound (`lp_bound`): a true bound, worked by hand on a tiny organisation, and silent.
Timing is not tested here (see bench/)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from planner.core.results import Status
from planner.solve.candidates import enumerate_candidates
from planner.solve.large.lp_bound import Placements, lp_bound, placements_of
from planner.solve.model import build_model, canonical, placement_points
from planner.solve.planning import plan
from tests.helpers.orgs import psw, random_org, role, service, tiny_org
from tests.helpers.paths import ROOT


@pytest.mark.parametrize("seed", range(6))
def test_the_lp_bound_is_never_below_the_proven_optimum(seed):
    org = random_org(seed, people=12)
    best = plan(org)
    assert best.status is Status.OPTIMAL
    bound = lp_bound(canonical(org))
    assert bound.value >= best.objective - 1e-6
    assert bound.value == pytest.approx(bound.lp_value)  # converged: the LP optimum


def test_the_lp_bound_of_a_hand_worked_organisation():
    # One service needing 1.5 FTE, two full-time people: the LP takes the better one whole
    # and half of the other; the tier menu counts at its most (one tier offered).
    org = tiny_org(psws=[psw("A", readiness=3), psw("B", readiness=4)],
                   services=[service("S1", demand_fte=1.5)], roles=[role("R", saliency=3)],
                   min_saliency_tiers=3, weight_saliency_tier=30)
    org = canonical(org)
    points = sorted((placement_points(c, org) for c in build_model(org).candidates),
                    reverse=True)
    assert len(points) == 2
    assert lp_bound(org).value == pytest.approx(points[0] + points[1] / 2 + 30, abs=0.02)


def test_the_lp_bound_prints_nothing_on_stdout():
    # HiGHS prints a banner once per process when first created; the planner's output
    # (and a consultant's notebook) must not carry it. A fresh process, so it is the first.
    code = ("from tests.helpers.orgs import tiny_org; "
            "from planner.solve.large.lp_bound import lp_bound; "
            "from planner.solve.model import canonical; lp_bound(canonical(tiny_org()))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout == ""


def test_placements_enumerated_in_two_halves_are_the_placements_enumerated_at_once():
    org = canonical(random_org(5))
    once, halves = placements_of(org), placements_of(org, split=True)
    for name in Placements.__dataclass_fields__:
        assert np.array_equal(getattr(once, name), getattr(halves, name)), name
    assert len(once.person) == len(enumerate_candidates(org))


def test_the_placement_arrays_name_each_placement_and_each_persons_best_service():
    org = canonical(random_org(6))
    cols = lp_bound(org).relaxation.cols
    candidates = enumerate_candidates(org)
    assert cols.keys(org) == [c.key for c in candidates]
    best: dict[str, tuple[float, str]] = {}
    for c in candidates:  # the first placement worth most, unless one is locked
        worth = float("inf") if c.locked else c.score.fit + c.score.autonomy
        if worth > best.get(c.psw.psw_id, (-float("inf"), ""))[0]:
            best[c.psw.psw_id] = (worth, c.service.service_id)
    assert cols.best_service(org) == {p: s for p, (_, s) in best.items()}
