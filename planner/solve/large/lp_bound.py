"""A true upper bound for large organisations: the LP relaxation of the whole model, solved
by column generation over every allowed placement (HiGHS).

Large organisations are planned block by block (`blocks`), so no single solver sees
the whole model; this bound is what makes the gap of such a plan honest.

The relaxation drops integrality and relaxes two objective terms upwards: the lone-peer
penalty (it only ever lowers the objective) and the saliency-tier menu (counted at its
most). Every other rule holds as in `planner.solve.model`, with the same integer units, so the
bound is a bound on the model's own objective.

Column generation ("sifting"): the LP starts with each person's best few placements and
every vacancy; the duals then price all placements at once (numpy) and the ones that would
raise the LP join it. The bound returned is the Lagrangian bound of the duals, which is a
true bound at every round, converged or not (weak duality); at convergence it is the LP
optimum.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field, replace

import highspy
import numpy as np

from planner.core.domain import Org
from planner.core.scoring import saliency_tier
from planner.solve.candidates import candidates_by_person, gc_paused
from planner.solve.highs import quiet_highs
from planner.solve.large.child import Forked
from planner.solve.model import (
    budget_limit,
    budget_units,
    hundredths,
    placement_points,
    region_budget_limits,
    vacancy_options,
    vacancy_value,
)

INF = highspy.kHighsInf
COLUMNS_PER_PERSON = 6  # placements per person that join the LP per round
MAX_ROUNDS = 60
TOLERANCE = 1e-6  # reduced cost (points) below which a placement cannot raise the LP
ENUMERATION_WAIT_SECONDS = 600.0  # for the child's half of the placements, at most


@dataclass(frozen=True)
class LpBound:
    """The bound and what the LP relaxation does, to guide a decomposition."""

    value: float  # objective points: no plan of the model scores more
    lp_value: float  # the restricted LP's own optimum (equals `value` at convergence)
    seconds: float
    rounds: int
    candidates: int  # placements priced
    columns: int  # placements in the final restricted LP
    service_spend: dict[str, float]  # budget the LP spends in each service
    psw_service: dict[str, str]  # the service the LP gives most of each person
    # the LP's rows, columns and final duals, to tighten the bound (`lagrange`)
    relaxation: Relaxation | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Relaxation:
    rows: Rows
    cols: Columns
    duals: np.ndarray
    placements: np.ndarray  # the LP's placement columns (indices into `cols`) ...
    values: np.ndarray  # ... and their values, between 0 and 1
    vacancies: np.ndarray  # the LP's positions of each vacancy column

    def service_points(self) -> np.ndarray:
        """The LP's objective points in each service (by the organisation's index): what
        its placements and positions there are worth at their values."""
        cols, services = self.cols, len(self.rows.service_index)
        placed = np.bincount(cols.service[self.placements],
                             self.values * cols.points[self.placements], services)
        return placed + np.bincount(cols.vac_service, self.vacancies * cols.vac_points,
                                    services)


class RelaxationInfeasible(Exception):
    """Even the LP relaxation has no solution: the full model will name the conflict."""


@dataclass(frozen=True)
class Placements:
    """Every allowed placement of some people as arrays, in enumeration order: the person
    (index into the organisation's people), role and service (indices), and what the LP
    and the blocks read of it."""

    person: np.ndarray
    role: np.ndarray
    service: np.ndarray
    fte: np.ndarray  # hundredths
    cost: np.ndarray  # budget units
    points: np.ndarray  # objective points
    worth: np.ndarray  # fit + autonomy: the person's own measure of the placement
    supervisor: np.ndarray
    locked: np.ndarray

    @staticmethod
    def joined(parts: list[Placements]) -> Placements:
        return Placements(*(np.concatenate([getattr(p, f) for p in parts])
                            for f in Placements.__dataclass_fields__))


def enumerate_placements(org: Org, first: int = 0, last: int | None = None) -> Placements:
    """The placements of `org`'s people from `first` to `last` (canonical order)."""
    people = org.psws[first:last]
    part = replace(org, psws=people)
    roles = {r.role_id: i for i, r in enumerate(org.roles)}
    services = {s.service_id: i for i, s in enumerate(org.services)}
    rows: list[tuple] = []
    add = rows.append
    with gc_paused():
        for index, own in enumerate(candidates_by_person(part), start=first):
            for cand in own:
                role = cand.role
                add((index, roles[role.role_id], services[cand.service.service_id],
                     hundredths(cand.fte), budget_units(cand.cost),
                     hundredths(placement_points(cand, org)) / 100,
                     cand.score.fit + cand.score.autonomy, role.supervisor, cand.locked))
        columns = list(zip(*rows, strict=True)) if rows else [()] * 9
    kinds = (np.int64, np.int32, np.int64, float, float, float, float, bool, bool)
    return Placements(*(np.array(c, dtype=k) for c, k in zip(columns, kinds, strict=True)))


def placements_of(org: Org, split: bool = False) -> Placements:
    """Every placement of `org` (canonical), enumerated in two halves at once (the second
    in a forked child) when `split`: the same arrays either way."""
    if not split or len(org.psws) < 2:
        return enumerate_placements(org)
    half = len(org.psws) // 2
    try:
        child = Forked(enumerate_placements, org, half)
    except OSError:  # no process to be had: one after the other
        return enumerate_placements(org)
    first = enumerate_placements(org, 0, half)
    second = child.result(timeout=ENUMERATION_WAIT_SECONDS)
    return Placements.joined([first, second if second is not None
                              else enumerate_placements(org, half)])


class Columns:
    """Every placement and vacancy as arrays: objective, bounds and matrix entries."""

    def __init__(self, org: Org, rows: Rows, placements: Placements):
        policy = org.policy
        self.placements = placements
        self.person = placements.person
        self.service = placements.service
        self.fte = placements.fte
        # what a column takes of its service's demand: a supervisor takes none
        self.demand_fte = np.where(placements.supervisor, 0.0, self.fte)
        self.cost = placements.cost
        self.points = placements.points
        self.locked = placements.locked
        span = float(policy.supervisor_span)
        vacancies = list(vacancy_options(org))
        self.sup_coef = np.where(placements.supervisor, span, -1.0)
        self.region = rows.service_region[self.service] if len(self.service) else self.service
        self.vac_service = np.array([rows.service_index[s.service_id] for _, s, _ in vacancies],
                                    dtype=np.int64)
        self.vac_fte = np.array([hundredths(r.fte) for r, _, _ in vacancies], dtype=float)
        self.vac_demand_fte = np.array([0.0 if r.supervisor else hundredths(r.fte)
                                        for r, _, _ in vacancies], dtype=float)
        self.vac_cost = np.array(
            [budget_units(policy.booked_cost(r))
             for r, _, _ in vacancies], dtype=float)
        self.vac_points = np.array(
            [hundredths(vacancy_value(r, s, org)) / 100 for r, s, _ in vacancies], dtype=float)
        self.vac_most = np.array([most for _, _, most in vacancies], dtype=float)
        self.vac_sup = np.array([span if r.supervisor else 0.0 for r, _, _ in vacancies])
        self.vac_region = (rows.service_region[self.vac_service] if vacancies
                           else self.vac_service)

    def __len__(self) -> int:
        return len(self.person)

    def keys(self, org: Org, which: np.ndarray | None = None) -> list[tuple[str, str, str]]:
        """(psw_id, role_id, service_id) of every placement (or of the columns `which`), in
        column order."""
        psws = [p.psw_id for p in org.psws]
        roles = [r.role_id for r in org.roles]
        services = [s.service_id for s in org.services]
        pick = slice(None) if which is None else which
        return [(psws[p], roles[r], services[s]) for p, r, s in zip(
            self.person[pick].tolist(), self.placements.role[pick].tolist(),
            self.service[pick].tolist(), strict=True)]

    def best_service(self, org: Org) -> dict[str, str]:
        """Each person's service of their locked placement, else of the placement worth
        most to them (the first, on a tie)."""
        worth = np.where(self.locked, np.inf, self.placements.worth)
        order = np.lexsort((np.arange(len(self)), -worth, self.person))
        people = self.person[order]
        first = order[np.flatnonzero(np.r_[True, people[1:] != people[:-1]])] if len(
            order) else order
        return {org.psws[int(self.person[c])].psw_id:
                org.services[int(self.service[c])].service_id for c in first}


class Rows:
    """Row layout: people, then services (demand), then budget, then the budgets of regions
    that have one, then supervision regions."""

    def __init__(self, org: Org):
        policy = org.policy
        self.people = len(org.psws)
        services = org.services
        self.service_index = {s.service_id: i for i, s in enumerate(services)}
        regions = sorted({s.region or "" for s in services})
        region_index = {r: i for i, r in enumerate(regions)}
        self.service_region = np.array([region_index[s.region or ""] for s in services],
                                       dtype=np.int64)
        self.first_service = self.people
        self.budget = self.first_service + len(services) if policy.budget is not None else None
        after = self.first_service + len(services) + (policy.budget is not None)
        limits = region_budget_limits(org)
        budgeted = [r for r in regions if r in limits]
        # per region (by index): the row of its budget, -1 for a region without one
        self.region_budget = np.full(len(regions), -1, dtype=np.int64)
        self.region_budget[[region_index[r] for r in budgeted]] = np.arange(
            after, after + len(budgeted), dtype=np.int64)
        after += len(budgeted)
        self.supervised = any(r.supervisor for r in org.roles)
        self.first_region = after
        count = after + (len(regions) if self.supervised else 0)
        self.lower = np.full(count, -INF)
        self.upper = np.full(count, INF)
        self.upper[: self.people] = policy.max_positions_per_psw
        self.upper[self.first_service: self.first_service + len(services)] = [
            hundredths(s.demand_fte) for s in services]
        if self.budget is not None:
            self.upper[self.budget] = float(budget_limit(policy))  # as the model books it
        self.upper[self.region_budget[self.region_budget >= 0]] = [limits[r] for r in budgeted]
        if self.supervised:  # the need, at least and (locked ones aside) at most
            self.lower[self.first_region:] = 0.0
            span = policy.supervisor_span
            self.upper[self.first_region:] = [span - 1 + span * n
                                              for n in _locked_supervisors(org, regions)]
        self.count = count

    @property
    def region_budgeted(self) -> bool:
        return bool((self.region_budget >= 0).any())

    @property
    def budget_rows(self) -> list[int]:
        """The rows of every budget: the organisation's, then the regions'."""
        regions = sorted(int(r) for r in self.region_budget if r >= 0)
        return ([] if self.budget is None else [self.budget]) + regions

    def region_budget_entries(self, region: np.ndarray,
                              cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row, value) of columns in `region` (indices) on their region's budget row: their
        cost, or 0 (on row 0, so dropped) where the region has no budget."""
        row = self.region_budget[region]
        return np.maximum(row, 0), np.where(row >= 0, cost, 0.0)


def _locked_supervisors(org: Org, regions: list[str]) -> list[int]:
    """Per region (in `regions` order): supervisors the workbook locks in their post."""
    supervisor = {r.role_id for r in org.roles if r.supervisor}
    locked = Counter(org.services_by_id[p.current_service].region or ""
                     for p in org.psws if p.lock and p.current_role in supervisor
                     and p.current_service in org.services_by_id)
    return [locked[region] for region in regions]


def lp_bound(org: Org, split: bool = False) -> LpBound:
    """The LP bound of `org` (already in canonical order, see `model.canonical`); its
    placements enumerated in two halves at once when `split` (a core is spare). The
    placements' arrays come with it (`relaxation.cols`). Raises RelaxationInfeasible when
    even the relaxation has no solution (locked placements beyond a limit)."""
    start = time.perf_counter()
    rows = Rows(org)
    cols = Columns(org, rows, placements_of(org, split))
    highs = _highs(rows)
    _add_vacancies(highs, rows, cols)
    in_lp = _starting_columns(cols)
    order = np.flatnonzero(in_lp)
    _add_placements(highs, rows, cols, order)
    rounds, value, lp_value = 0, float("inf"), float("inf")
    while rounds < MAX_ROUNDS:
        rounds += 1
        lp_value = _run(highs)
        duals = np.asarray(highs.getSolution().row_dual)
        reduced = reduced_costs(rows, cols, duals)
        value = min(value, _lagrangian_bound(rows, cols, duals, reduced))
        entering = best_per_person(cols, np.flatnonzero(~in_lp & (reduced > TOLERANCE)),
                                    reduced)
        if len(entering) == 0:
            break
        in_lp[entering] = True
        order = np.concatenate([order, entering])
        _add_placements(highs, rows, cols, entering)
    x = np.asarray(highs.getSolution().col_value)
    tiers = tier_allowance(org)
    return LpBound(
        value=value + tiers,
        lp_value=lp_value + tiers,
        seconds=time.perf_counter() - start,
        rounds=rounds,
        candidates=len(cols),
        columns=int(in_lp.sum()),
        service_spend=_service_spend(org, cols, x, order),
        psw_service=_psw_service(org, cols, x, order),
        relaxation=Relaxation(rows, cols, duals, order, x[len(cols.vac_service):],
                              x[: len(cols.vac_service)]),
    )


def _highs(rows: Rows) -> highspy.Highs:
    highs = quiet_highs()
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    empty_i, empty_v = np.array([], dtype=np.int32), np.array([], dtype=float)
    highs.addRows(rows.count, rows.lower, rows.upper, 0, empty_i, empty_i, empty_v)
    return highs


def _starting_columns(cols: Columns) -> np.ndarray:
    """Each person's best few placements by value, and every locked one."""
    chosen = cols.locked.copy()
    chosen[best_per_person(cols, np.arange(len(cols)), cols.points)] = True
    return chosen


def best_per_person(cols: Columns, which: np.ndarray, score: np.ndarray,
                    most: int = COLUMNS_PER_PERSON) -> np.ndarray:
    """The `most` placements of each person among `which` that score most (on a tie, the
    first)."""
    order = which[np.lexsort((-score[which], cols.person[which]))]  # by person, best first
    people = cols.person[order]
    rank = np.arange(len(order)) - np.searchsorted(people, people)
    return order[rank < most]


def _entries(rows: Rows, service, fte, cost, region, sup, person=None):
    """Matrix entries of a batch of columns, as (row indices, values) per column."""
    parts = []
    if person is not None:
        parts.append((person, np.ones(len(service))))
    parts.append((rows.first_service + service, fte))
    if rows.budget is not None:
        parts.append((np.full(len(service), rows.budget), cost))
    if rows.region_budgeted:
        parts.append(rows.region_budget_entries(region, cost))
    if rows.supervised:
        parts.append((rows.first_region + region, sup))
    index = np.stack([p[0] for p in parts], axis=1)
    value = np.stack([p[1] for p in parts], axis=1)
    return index, value


def _add_columns(highs, objective, lower, upper, index, value) -> None:
    n, k = index.shape
    if n == 0:
        return
    keep = value.ravel() != 0
    flat_index = index.ravel()[keep].astype(np.int32)
    flat_value = value.ravel()[keep].astype(float)
    per_column = keep.reshape(n, k).sum(axis=1)
    starts = np.concatenate([[0], np.cumsum(per_column)[:-1]]).astype(np.int32)
    highs.addCols(n, objective.astype(float), lower.astype(float), upper.astype(float),
                  len(flat_index), starts, flat_index, flat_value)


def _add_vacancies(highs, rows: Rows, cols: Columns) -> None:
    index, value = _entries(rows, cols.vac_service, cols.vac_demand_fte, cols.vac_cost,
                            cols.vac_region, cols.vac_sup)
    n = len(cols.vac_service)
    _add_columns(highs, cols.vac_points, np.zeros(n), cols.vac_most, index, value)


def _add_placements(highs, rows: Rows, cols: Columns, which: np.ndarray) -> None:
    index, value = _entries(rows, cols.service[which], cols.demand_fte[which], cols.cost[which],
                            cols.region[which], cols.sup_coef[which], cols.person[which])
    lower = cols.locked[which].astype(float)
    _add_columns(highs, cols.points[which], lower, np.ones(len(which)), index, value)


def _run(highs) -> float:
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RelaxationInfeasible(highs.modelStatusToString(highs.getModelStatus()))
    return float(highs.getInfo().objective_function_value)


def reduced_costs(rows: Rows, cols: Columns, duals: np.ndarray) -> np.ndarray:
    """Of every placement: its points less what it uses of each row at the duals' prices."""
    reduced = _priced(rows, duals, cols.points, cols.service, cols.demand_fte, cols.cost,
                      cols.region, cols.sup_coef)
    return reduced - duals[cols.person]


def vacancy_reduced_costs(rows: Rows, cols: Columns, duals: np.ndarray) -> np.ndarray:
    return _priced(rows, duals, cols.vac_points, cols.vac_service, cols.vac_demand_fte,
                   cols.vac_cost, cols.vac_region, cols.vac_sup)


def _priced(rows: Rows, duals, points, service, fte, cost, region, sup) -> np.ndarray:
    reduced = points - fte * duals[rows.first_service + service]
    if rows.budget is not None:
        reduced = reduced - cost * duals[rows.budget]
    if rows.region_budgeted:
        index, value = rows.region_budget_entries(region, cost)
        reduced = reduced - value * duals[index]
    if rows.supervised:
        reduced = reduced - sup * duals[rows.first_region + region]
    return reduced


def _lagrangian_bound(rows: Rows, cols: Columns, duals: np.ndarray,
                      reduced: np.ndarray) -> float:
    """max over the box of (c - A'y)x + y'b, for any duals y of the right sign: a true
    bound (weak duality). Duals of the wrong sign (solver tolerance) count as zero."""
    y = np.where(np.isfinite(rows.upper), np.maximum(duals, 0.0), 0.0) + np.where(
        np.isfinite(rows.lower), np.minimum(duals, 0.0), 0.0)
    if not np.array_equal(y, duals):
        reduced = reduced_costs(rows, cols, y)
    rhs = np.where(y > 0, rows.upper, 0.0) + np.where(y < 0, rows.lower, 0.0)
    total = float(np.dot(y, np.where(y != 0, rhs, 0.0)))
    total += float(np.where(cols.locked, reduced, np.maximum(reduced, 0.0)).sum())
    vac = vacancy_reduced_costs(rows, cols, y)
    total += float(np.dot(np.maximum(vac, 0.0), cols.vac_most))
    return total


def tier_allowance(org: Org) -> float:
    """The most the saliency-tier menu can add (relaxed out of the LP)."""
    policy = org.policy
    tiers = {saliency_tier(r.saliency) for r in org.roles}
    counted = min(policy.min_saliency_tiers, len(tiers))
    specialist = any(r.topics for r in org.roles)
    return hundredths(policy.weight_saliency_tier) / 100 * (counted + specialist)


def _service_spend(org: Org, cols: Columns, x: np.ndarray, order: np.ndarray) -> dict[str, float]:
    vacancies = len(cols.vac_service)
    spend = np.zeros(len(org.services))
    np.add.at(spend, cols.vac_service, cols.vac_cost * x[:vacancies])
    np.add.at(spend, cols.service[order], cols.cost[order] * x[vacancies:])
    return {s.service_id: float(v) for s, v in zip(org.services, spend, strict=True)}


def _psw_service(org: Org, cols: Columns, x: np.ndarray, order: np.ndarray) -> dict[str, str]:
    share = x[len(cols.vac_service):]
    best: dict[int, tuple[float, int]] = {}
    for column, value in zip(order, share, strict=True):
        person = int(cols.person[column])
        if value > 1e-6 and value > best.get(person, (0.0, 0))[0]:
            best[person] = (value, int(cols.service[column]))
    return {org.psws[p].psw_id: org.services[s].service_id for p, (_, s) in best.items()}
