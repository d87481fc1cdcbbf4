"""A plan from the Lagrangian master: fix services to one plan each, re-price, repeat.

When the column generation of `lagrange` has converged, its master LP mixes whole
service plans and is close to the best plans, but many services mix two or more
plans. The dive fixes the services whose mix is (nearly) one plan, else
the services whose heaviest plan weighs most, takes their people out of every other
service, prices new plans for the services left, and repeats. It stops with
`LEAVE_SERVICES` services left, or earlier when fixing one more plan would break a rule
that links services (the budget, supervision in a region: the master then needs a repair
column); `polish` completes the plan exactly from there.

A heuristic: it finds a plan, it proves nothing (the bound is the Lagrangian one).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from planner.solve.large.lagrange import ServicePlan, ServicePlans

FIX_WEIGHT = 0.99  # a service whose heaviest plan weighs this much is fixed to it
FIX_SHARE = 0.1  # else this share of the services left, those with the heaviest plans
PRICING_ROUNDS = 10  # rounds of column generation between two fixings, at most
LEAVE_SERVICES = 10  # services left for the exact completion


@dataclass(frozen=True)
class Fixed:
    """The services the dive fixed, each to one plan."""

    plans: dict[int, ServicePlan]  # service index -> its plan

    def placements(self) -> np.ndarray:
        """Relaxation columns placed in the fixed services."""
        parts = [p.placements for p in self.plans.values()]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def dive(search: ServicePlans, deadline: float, left_out: np.ndarray | None = None,
         leave: int = LEAVE_SERVICES) -> Fixed:
    """Fix services of a converged `search` until `leave` are left, a fixing would need
    a repair, or `deadline` (perf_counter) passes. `left_out` marks relaxation columns no
    plan may use (placements the model prunes). The search is spent afterwards: its
    master and pricing are held to the fixed plans."""
    state = _Dive(search, left_out)
    services = len(search.org.services)
    while len(state.fixed) < services - leave and time.perf_counter() < deadline:
        if not state.step(most=services - leave - len(state.fixed)):
            break
    return Fixed({s: search.plans[k] for s, k in sorted(state.fixed.items())})


class _Dive:
    def __init__(self, search: ServicePlans, left_out: np.ndarray | None):
        self.search = search
        self.problem = search.problem
        self.master = search.master
        self.cols = search.problem.cols
        self.fixed: dict[int, int] = {}  # service -> plan column
        self.used = np.zeros(self.problem.rows.people, dtype=bool)
        self._plan_of: list[np.ndarray] = []  # per plan: its column, once per placement
        self._person_of: list[np.ndarray] = []  # per plan: the people it places
        self.left_out = np.zeros(len(self.cols), dtype=bool) if left_out is None else left_out
        self.problem.open &= ~self.left_out
        self._leave_out_unfit(0)

    def step(self, most: int) -> bool:
        """Price, then fix some services (`most` at most); False when nothing more can be
        fixed."""
        self._price()
        weights = self.master.plan_values()
        picked = self._picked(weights)[:most]
        saved = (dict(self.fixed), self.used.copy(), self.problem.open.copy(),
                 self.master.uppers())
        for service, plan in picked:
            self._fix(service, plan)
        self.master.solve()
        if self.master.repaired() and len(picked) > 1:
            self._restore(saved)
            self._fix(*picked[0])
            self.master.solve()
        if not picked or self.master.repaired():
            self._restore(saved)
            self.master.solve()
            return False
        return True

    def _price(self) -> None:
        """Column generation for the services not fixed, at the master's duals."""
        problem = self.problem
        for _ in range(PRICING_ROUNDS):
            _, duals, convexity = self.master.solve()
            left = np.array([s for s in range(len(self.search.org.services))
                             if s not in self.fixed], dtype=np.int64)
            choice = problem.choose(problem.clipped(duals), only=left)
            known = len(self.search.plans)
            if not self.search.add(choice, duals, convexity, skip=self.fixed.__contains__):
                break
            self._leave_out_unfit(known)
        self.master.solve()

    def _leave_out_unfit(self, first: int) -> None:
        """Out of the master: plans from `first` on that no plan of the model can be
        (one person placed twice, which the relaxation allows, or a placement left out)."""
        cols = self.cols
        unfit = [k for k in range(first, len(self.search.plans))
                 if self.left_out[self.search.plans[k].placements].any()
                 or _twice(cols.person[self.search.plans[k].placements])]
        self.master.set_uppers(np.array(unfit, dtype=np.int64), 0.0)

    def _picked(self, weights: np.ndarray) -> list[tuple[int, int]]:
        """(service, plan column) to fix: the sure ones, else the heaviest few; never a
        plan that places one person twice (the relaxation allows it) or someone already
        placed."""
        heaviest: dict[int, tuple[float, int]] = {}
        uppers = self.master.uppers()
        for k, plan in enumerate(self.search.plans):
            if plan.service in self.fixed or uppers[k] < 0.5 or not self._fits(plan):
                continue
            if weights[k] > heaviest.get(plan.service, (-1.0, -1))[0]:
                heaviest[plan.service] = (float(weights[k]), k)
        ranked = sorted(heaviest.items(), key=lambda item: (-item[1][0], item[0]))
        sure = [(s, k) for s, (w, k) in ranked if w >= FIX_WEIGHT]
        if sure:
            return sure
        return [(s, k) for s, (_, k) in ranked[: max(1, int(len(ranked) * FIX_SHARE))]]

    def _fits(self, plan: ServicePlan) -> bool:
        people = self.cols.person[plan.placements]
        return not _twice(people) and not self.used[people].any()

    def _fix(self, service: int, plan: int) -> None:
        """Hold `service` to `plan`; its people leave every other service's plans."""
        if not self._fits(self.search.plans[plan]):
            return  # it shares a person with a plan fixed in this step
        self.fixed[service] = plan
        people = self.cols.person[self.search.plans[plan].placements]
        self.used[people] = True
        self.problem.open &= ~self.used[self.cols.person]
        plans, persons = self._incidence()
        services = np.array([p.service for p in self.search.plans])
        off = np.union1d(np.flatnonzero(services == service),
                         plans[np.isin(persons, people)])
        self.master.set_uppers(off[off != plan], 0.0)

    def _incidence(self) -> tuple[np.ndarray, np.ndarray]:
        """(plan column, person) for every placement of every plan the master holds."""
        plans = self.search.plans
        if len(self._plan_of) < len(plans):
            new = plans[len(self._plan_of):]
            self._person_of += [self.cols.person[p.placements] for p in new]
            self._plan_of += [np.full(len(p.placements), len(self._plan_of) + k)
                              for k, p in enumerate(new)]
        return (np.concatenate(self._plan_of or [np.zeros(0, dtype=np.int64)]),
                np.concatenate(self._person_of or [np.zeros(0, dtype=np.int64)]))

    def _restore(self, saved) -> None:
        fixed, used, open_, uppers = saved
        self.fixed = fixed
        self.used[:] = used
        self.problem.open[:] = open_
        self.master.set_uppers(np.arange(len(uppers)), uppers)


def _twice(people: np.ndarray) -> bool:
    return len(np.unique(people)) < len(people)
