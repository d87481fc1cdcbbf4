"""The restricted master LP of the Lagrangian bound (`lagrange_master`): its repair columns."""

from __future__ import annotations

import numpy as np

from planner.solve.large.lagrange_master import Master
from planner.solve.large.lp_bound import lp_bound
from planner.solve.model import canonical
from tests.helpers.orgs import psw, service, tiny_org


def test_the_master_says_when_the_plans_held_overspend_the_budget():
    # Two services, each with an empty plan and a plan costing 60 % of the budget: both
    # costly plans at once overspend, so the master needs its budget repair column.
    org = canonical(tiny_org(psws=[psw("A"), psw("B")],
                             services=[service("S1"), service("S2")], budget=100_000))
    rows = lp_bound(org).relaxation.rows
    scale = np.ones(rows.count)
    master = Master(rows, 2, scale)
    empty = [np.array([], dtype=np.int64)] * 2
    master.add_plans(np.zeros(2), np.array([0, 1]), empty, [np.zeros(0)] * 2)
    costly = [np.array([p, rows.budget]) for p in (0, 1)]
    master.add_plans(np.full(2, 10.0), np.array([0, 1]), costly,
                     [np.array([1.0, 60_000.0])] * 2)
    master.solve()
    assert not master.repaired()  # the master itself takes one costly plan and the empty
    master.set_uppers(np.array([0, 1]), 0.0)  # hold both services to their costly plans
    master.solve()
    assert master.repaired()
    master.set_uppers(np.array([0]), 1.0)  # S1 may be empty again
    master.solve()
    assert not master.repaired()
