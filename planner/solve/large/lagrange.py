"""A tighter true bound: each service solved whole, only the rows that link services priced.

The LP bound (`lp_bound`) lets a service be filled to exactly its demand with
fractions of people, and a lone peer costs it nothing; most of the distance between the LP
and the best plans is there. This bound keeps, per service, what the LP relaxes: whole
placements and whole vacant positions within the demand, and the lone-peer rule
(`service_knapsack` solves each service exactly). Only the rows that link
services are priced (Lagrangian relaxation): a person's one position, the budget (and
each region's), and supervision per region. For any prices of the right sign the value is
a true bound (weak duality): every plan of the model is a plan per service, which the
prices only overvalue.
Two more relaxations keep it so: a person may be counted in two services (or twice in one,
in placements of different FTE), and the saliency-tier menu counts at its most, as in the
LP.

The prices start at the LP's duals and improve by column generation (Dantzig-Wolfe): a
master LP (`lagrange_master`) mixes the service plans found so far; its duals,
smoothed towards the best prices so far, price the next plans. The lowest value seen is
the bound; it stops when it meets the master's value (nothing lower exists) or at the
time limit.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from planner.core.domain import LonePeer, Org
from planner.solve.large.lagrange_master import REPAIR_POINTS, Master
from planner.solve.large.lp_bound import (
    Relaxation,
    reduced_costs,
    tier_allowance,
    vacancy_reduced_costs,
)
from planner.solve.large.service_knapsack import Services, best_per_service, chosen, grouped
from planner.solve.model import hundredths

NEG = -np.inf
# prices tried: this share of the best prices so far, the rest the master's. Alone on one
# core (2026-12-06, seeds drawn after the change), 0.95 converged in about half the time
# of 0.8 on every organisation tried: S05's shape 23.7 -> 14.6 s, S07's 25.8 -> 9.7 s,
# S08's 73.7 -> 36.9 s and 104.8 -> 49.4 s (bench/README.md); while few plans are in the
# master its duals swing far from the LP's, which are already close to the best prices
SMOOTHING = 0.95
CLOSE = 1e-5  # relative distance of bound and master at which the bound stops


@dataclass(frozen=True)
class LagrangeBound:
    value: float  # objective points: no plan of the model scores more
    at_lp_duals: float  # the value at the LP's own duals (the first round)
    rounds: int
    seconds: float


@dataclass(frozen=True)
class _Choice:
    """The best plan of every service at some prices, as column indices."""

    value: float
    placements: np.ndarray  # indices into the relaxation's placements
    vacancies: np.ndarray  # positions per vacancy column


def lagrangian_bound(org: Org, relaxation: Relaxation, seconds: float,
                     on_bound: Callable[[float], None] | None = None) -> LagrangeBound:
    """The bound after at most `seconds` of column generation (at least the value at the
    LP's duals). `on_bound` hears every lower value as it is found."""
    return ServicePlans(org, relaxation).converge(seconds, on_bound)


@dataclass(frozen=True)
class ServicePlan:
    """One service's plan, as the master holds it: relaxation columns placed and vacant
    positions (vacancy column -> positions)."""

    service: int
    placements: np.ndarray
    vacancies: dict[int, int]


class ServicePlans:
    """Column generation over whole-service plans: the master LP, the plans it mixes
    (`plans[k]` is master plan column k) and the best prices so far. `converge` gives the
    bound; `dive` then fixes services one plan each to find a plan."""

    def __init__(self, org: Org, relaxation: Relaxation):
        self.start = time.perf_counter()
        self.org = org
        self.problem = problem = PricingProblem(org, relaxation)
        self.master = Master(problem.rows, len(org.services), problem.scale)
        self.plans: list[ServicePlan] = []
        self.prices = problem.start_prices()
        self.choice = problem.choose(self.prices)
        self.best = problem.value(self.prices, self.choice)
        self.converged = False
        if math.isfinite(self.best):
            self.add(problem.locked_only())
            self.add(problem.rounded(relaxation))
            self.add(self.choice)

    def converge(self, seconds: float, on_bound: Callable[[float], None] | None = None,
                 smoothing: float = SMOOTHING) -> LagrangeBound:
        """Improve the prices for at most `seconds`; the lowest value seen is the bound."""
        problem = self.problem
        first = self.best
        if not math.isfinite(first):  # no plan at all: the LP or the model will say why
            return LagrangeBound(math.inf, math.inf, 0, time.perf_counter() - self.start)
        report = on_bound or (lambda _value: None)
        report(self.best + problem.tiers)
        rounds = 0
        while time.perf_counter() - self.start < seconds:
            rounds += 1
            floor, duals, convexity = self.master.solve()
            if self.best - floor <= CLOSE * max(1.0, abs(self.best)):
                self.converged = True  # the bound meets the master's plans: no lower
                break
            at_master = problem.clipped(duals)
            added = 0
            for trial in (smoothing * self.prices + (1 - smoothing) * at_master, at_master):
                choice = problem.choose(trial)
                value = problem.value(trial, choice)
                if value < self.best:
                    self.best, self.prices = value, trial
                    report(self.best + problem.tiers)
                added = self.add(choice, duals, convexity)
                if added:
                    break
            if not added:
                self.converged = True  # the master's optimum is the relaxation's
                break
        return LagrangeBound(value=self.best + problem.tiers, at_lp_duals=first + problem.tiers,
                             rounds=rounds, seconds=time.perf_counter() - self.start)

    def add(self, choice: _Choice, duals: np.ndarray | None = None,
            convexity: np.ndarray | None = None, skip: Callable[[int], bool] | None = None,
            ) -> int:
        """The services' plans in `choice` as master columns (with duals, only those that
        would raise the master; `skip` leaves out services). Returns how many."""
        values, services, rows, coefs = self.problem.plans(choice, duals, convexity)
        if skip is not None:
            keep = [k for k, s in enumerate(services.tolist()) if not skip(s)]
            values, services = values[keep], services[keep]
            rows, coefs = [rows[k] for k in keep], [coefs[k] for k in keep]
        self.plans += _service_plans(self.problem.cols, choice, services,
                                     len(self.org.services))
        self.master.add_plans(values, services, rows, coefs)
        return len(services)


def _service_plans(cols, choice: _Choice, services: np.ndarray,
                   count: int) -> list[ServicePlan]:
    """The plan of each of `services` (of `count`) in `choice`."""
    ix = choice.placements[np.argsort(cols.service[choice.placements], kind="stable")]
    cut = np.searchsorted(cols.service[ix], np.arange(count + 1))
    vac = np.flatnonzero(choice.vacancies > 0)
    plans = []
    for s in services.tolist():
        own = vac[cols.vac_service[vac] == s]
        plans.append(ServicePlan(s, ix[cut[s]: cut[s + 1]],
                                 {int(v): round(float(choice.vacancies[v])) for v in own}))
    return plans


class PricingProblem:
    """The relaxation's arrays with each service's constants, and the price rows.

    `open` marks the placement columns a service's plan may still use; the dive
    (`dive`) closes those of people it has placed.
    """

    def __init__(self, org: Org, relaxation: Relaxation):
        self.rows, self.cols = relaxation.rows, relaxation.cols
        self.lp_duals = relaxation.duals
        rows, cols = self.rows, self.cols
        self.tiers = tier_allowance(org)
        self.demand = demand = slice(rows.first_service,
                                     rows.first_service + len(org.services))
        self.priced = np.ones(rows.count, dtype=bool)
        self.priced[demand] = False
        self.rhs = np.where(np.isfinite(rows.upper), rows.upper,
                            np.where(np.isfinite(rows.lower), rows.lower, 0.0))
        self.upper_row = np.isfinite(rows.upper)  # <= rows take prices >= 0, >= rows <= 0
        # both ends finite (supervision: the need, at least and at most): a price of either
        # sign, the end it prices by its sign
        self.ranged = self.upper_row & np.isfinite(rows.lower)
        self.scale = np.ones(rows.count)
        for row in rows.budget_rows:  # budget rows in units of a person's cost
            self.scale[row] = max(1.0, rows.upper[row] / max(1, rows.people))
        capacity = rows.upper[demand].astype(np.int64)
        unit = np.zeros(len(capacity), dtype=np.int64)
        np.gcd.at(unit, cols.service, cols.demand_fte.astype(np.int64))
        np.gcd.at(unit, cols.vac_service, cols.vac_demand_fte.astype(np.int64))
        unit = np.maximum(unit, 1)  # sums of FTEs are multiples of it: demand rounds down
        # what each column takes of its service's demand (a supervisor takes none)
        self.weight = cols.demand_fte.astype(np.int64) // unit[cols.service]
        self.vac_weight = cols.vac_demand_fte.astype(np.int64) // unit[cols.vac_service]
        locked_people = np.zeros(rows.people, dtype=bool)
        self.one_position = org.policy.max_positions_per_psw == 1
        if self.one_position:
            locked_people[cols.person[cols.locked]] = True
        self.open = ~cols.locked & ~locked_people[cols.person]
        count = len(org.services)
        locked_weight = np.bincount(cols.service[cols.locked], self.weight[cols.locked], count)
        locked_count = np.bincount(cols.service[cols.locked], minlength=count)
        need, penalty = _lone_peer_rule(org)
        levels = int(need.max(initial=1)) + 1 if (need > 1).any() else 1
        lone = np.zeros((count, levels))
        for level in range(1, levels):
            lone[:, level] = np.where(level < need, -penalty, 0.0)
        self.services = Services(capacity // unit - locked_weight.astype(np.int64),
                                 np.minimum(locked_count, levels - 1), lone)
        self.floor = np.where(need > 1, -penalty, 0.0)
        self.need, self.penalty = need, penalty
        self.service_region = rows.service_region

    def start_prices(self) -> np.ndarray:
        """The LP's duals, clipped to the right sign, with demand left to the services."""
        return self.clipped(self.lp_duals)

    def value(self, prices: np.ndarray, choice: _Choice) -> float:
        """The Lagrangian bound at `prices` (tier allowance aside)."""
        rhs = np.where(self.ranged & (prices < 0), self.rows.lower, self.rhs)
        return float(np.dot(prices, rhs)) + choice.value

    def choose(self, prices: np.ndarray, only: np.ndarray | None = None) -> _Choice:
        """The best plan of each service at `prices` (demand, whole positions, lone peers);
        with `only` (service indices), of those services alone (the value is then no
        bound: the dive, `dive`, prices the services it has not fixed)."""
        rows, cols = self.rows, self.cols
        reduced = reduced_costs(rows, cols, prices)
        vac_reduced = vacancy_reduced_costs(rows, cols, prices)
        services, service, vac_service = self.services, cols.service, cols.vac_service
        open_, open_vac = self.open, vac_reduced > 0
        if only is not None:  # the table holds those services alone, numbered 0, 1, ...
            number = np.full(len(self.need), -1)
            number[only] = np.arange(len(only))
            services = Services(services.room[only], services.start[only],
                                services.lone[only])
            service, vac_service = number[service], number[vac_service]
            open_, open_vac = open_ & (service >= 0), open_vac & (vac_service >= 0)
        which = np.flatnonzero(open_ & (reduced > self.floor[cols.service]))
        if self.one_position:
            which = _best_of_each_person(which, service[which], self.weight[which],
                                         cols.person[which], reduced[which])
        peers = grouped(which, service[which], self.weight[which], reduced[which],
                        services.room, losing=services.lone.shape[1] - 2)
        free_vac = open_vac & (self.vac_weight == 0)  # take no demand: as many as may be
        open_vac = np.flatnonzero(open_vac & (self.vac_weight > 0))
        vacancies = grouped(open_vac, vac_service[open_vac], self.vac_weight[open_vac],
                            vac_reduced[open_vac], services.room, most_each=1)
        best = best_per_service(services, peers, reduced[peers.items], vacancies,
                                vac_reduced[vacancies.items])
        if not np.isfinite(best.value).all():
            return _Choice(NEG, np.zeros(0, dtype=np.int64), np.zeros(0))
        placed = peers.items[chosen(peers, best.peers)]
        positions = np.zeros(len(cols.vac_service))
        positions[vacancies.items] = best.vacancies[vacancies.service, vacancies.slot]
        positions[free_vac] = cols.vac_most[free_vac]
        total = float(best.value.sum() + reduced[cols.locked].sum()
                      + np.dot(vac_reduced[free_vac], cols.vac_most[free_vac]))
        return _Choice(total, np.concatenate((np.flatnonzero(cols.locked), placed)), positions)

    def clipped(self, duals: np.ndarray) -> np.ndarray:
        """Duals as prices: of the right sign, none on demand."""
        y = np.where(self.upper_row, np.maximum(duals, 0.0), np.minimum(duals, 0.0))
        return np.where(self.priced, np.where(self.ranged, duals, y), 0.0)

    def locked_only(self) -> _Choice:
        """Every service with its locked placements alone (a plan mix the master can
        always take)."""
        locked = np.flatnonzero(self.cols.locked)
        return _Choice(0.0, locked, np.zeros(len(self.cols.vac_service)))

    def rounded(self, relaxation: Relaxation) -> _Choice:
        """A plan near the LP's: placements by LP value, each while its person is free
        and its service has room (a good first mix for the master)."""
        cols = self.cols
        ix, share = relaxation.placements, relaxation.values
        ranked = np.lexsort((-cols.points[ix], -share))  # most of it in the LP first
        order = ix[ranked][share[ranked] > 1e-6]
        room = self.rows.upper[self.demand].copy()
        free = self.rows.upper[: self.rows.people].copy()
        taken = []
        for column in order.tolist():
            person, service = cols.person[column], cols.service[column]
            fte = cols.demand_fte[column]
            if free[person] >= 1 and room[service] >= fte:
                free[person] -= 1
                room[service] -= fte
                taken.append(column)
        positions = np.floor(relaxation.vacancies + 1e-6)
        for column in np.argsort(-cols.vac_points, kind="stable").tolist():
            service, fte = cols.vac_service[column], cols.vac_demand_fte[column]
            if fte > 0:
                positions[column] = min(positions[column], room[service] // fte)
                room[service] -= positions[column] * fte
        return _Choice(0.0, np.array(taken, dtype=np.int64), positions)

    def plans(self, choice: _Choice, duals: np.ndarray | None = None,
              convexity: np.ndarray | None = None):
        """Each service's plan in `choice` as a master column (points, service, rows,
        coefficients); with duals, only those that would raise the master."""
        rows, cols = self.rows, self.cols
        count = len(self.need)
        ix = choice.placements
        service = cols.service[ix]
        vac = choice.vacancies

        def per_service(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            return (np.bincount(service, a, count)
                    + np.bincount(cols.vac_service, b * vac, count))

        peers = np.bincount(service, minlength=count)
        lone = (peers > 0) & (peers < self.need)
        value = (per_service(cols.points[ix], cols.vac_points)
                 - np.where(lone, np.minimum(self.penalty, REPAIR_POINTS), 0.0))
        cost = per_service(cols.cost[ix], cols.vac_cost)
        sup = per_service(cols.sup_coef[ix], cols.vac_sup)
        pairs, times = np.unique(np.stack((service, cols.person[ix])), axis=1,
                                 return_counts=True)
        cut = np.searchsorted(pairs[0], np.arange(count + 1))
        index, coefs = [], []
        for s in range(count):
            people = pairs[1, cut[s]: cut[s + 1]]
            extra_i, extra_c = [], []
            if rows.budget is not None:
                extra_i.append(rows.budget)
                extra_c.append(cost[s])
            if rows.region_budget[self.service_region[s]] >= 0:
                extra_i.append(rows.region_budget[self.service_region[s]])
                extra_c.append(cost[s])
            if rows.supervised and sup[s] != 0:
                extra_i.append(rows.first_region + self.service_region[s])
                extra_c.append(sup[s])
            index.append(np.concatenate((people, extra_i)).astype(np.int64))
            coefs.append(np.concatenate((times[cut[s]: cut[s + 1]], extra_c)).astype(float))
        services = np.arange(count)
        if duals is not None and convexity is not None:
            gain = value - convexity - np.array([np.dot(duals[i], c)
                                                 for i, c in zip(index, coefs, strict=True)])
            services = np.flatnonzero(gain > 1e-7)
        return (value[services], services, [index[s] for s in services],
                [coefs[s] for s in services])


def _best_of_each_person(which, service, weight, person, value) -> np.ndarray:
    """Of one person's placements of one size in one service, the one worth most (when
    each person takes one position at most)."""
    order = np.lexsort((-value, person, weight, service))
    keep = np.ones(len(order), dtype=bool)
    s, w, p = service[order], weight[order], person[order]
    keep[1:] = (s[1:] != s[:-1]) | (w[1:] != w[:-1]) | (p[1:] != p[:-1])
    return which[order[keep]]


def _lone_peer_rule(org: Org) -> tuple[np.ndarray, np.ndarray]:
    """Per service: peers a team needs (1: no rule) and the points a lone peer costs."""
    policy = org.policy
    if policy.lone_peer is LonePeer.ALLOW:
        return np.ones(len(org.services), dtype=np.int64), np.zeros(len(org.services))
    need = np.array([org.min_peers(s) for s in org.services], dtype=np.int64)
    cost = (np.inf if policy.lone_peer is LonePeer.FORBID
            else hundredths(policy.penalty_lone_peer) / 100)
    return need, np.where(need > 1, cost, 0.0)
