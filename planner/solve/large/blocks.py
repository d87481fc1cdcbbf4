"""Large organisations, block by block, with a true bound from the LP of the whole model.

From a few hundred thousand candidate placements on (or when the time limit is short
for the model: `strategy`), CP-SAT on the whole model spends its time limit in presolve
and the root LP and returns little better than the greedy start. This path instead:

1. solves the LP relaxation of the whole model by column generation (`lp_bound`):
   a true upper bound, and a picture of where the budget and each person go;
2. cuts the organisation into blocks of services (a region, or part of a large region),
   each with the people the LP sends there (locked people go with their locked service)
   and the share of the budget the LP spends there (and of its region's budget, if it
   has one);
3. solves each block's own model with CP-SAT, a share each of a budget of CP-SAT's
   deterministic work fixed from counts, so the plan is the same every run (`work`; two
   at a time, one in a forked child, when the second core is free: `child`);
4. joins the block plans. Every rule holds for the whole: demand, lone peers and
   availability are per service or person, each block keeps supervision within its own
   part of a region and the budget shares add up to no more than the budget (a region's
   shares to no more than the region's budget);
5. searches the joined plan again as a whole, on a model of only the placements near the
   LP's solution (`near_lp`): no block sees the whole organisation, and the LP does;
6. without a side bound (`strategy`), improves the plan a few services at a time
   with the rest held (`block_polish`): on the whole model where it builds in a small
   share of the time, else each part on the model of its neighbourhood, the parts where
   the plan falls furthest short of the LP first; reproducible, within its share of the
   work, else (on the clock) for the rest of the time limit.

The plan is `feasible` with the gap to the LP bound; it is never called optimal unless it
meets the bound. People are only offered placements inside their block (and the plan's
own), so explanations of an unassigned person speak of the positions in their block.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
from ortools.sat.python import cp_model

from planner.core.domain import Org, Region
from planner.core.results import Status
from planner.solve.candidates import Candidate
from planner.solve.greedy import greedy_start
from planner.solve.large.block_polish import SHARE, Joined, PolishOn, polished
from planner.solve.large.child import Forked
from planner.solve.large.lp_bound import LpBound, Relaxation, RelaxationInfeasible, lp_bound
from planner.solve.large.near_lp import FOUND, near_the_lp, width_for
from planner.solve.large.neighbourhood import with_placements
from planner.solve.large.surplus import SurplusKept, without_surplus_supervisors
from planner.solve.large.work import WHOLE_BUILT_PER_SECOND, WORK_PER_SECOND, WorkBudget
from planner.solve.model import (
    BuiltModel,
    VacancySlot,
    budget_limit,
    budget_units,
    build_model,
    objective_of,
    region_budget_limits,
)
from planner.solve.regions import region_parts
from planner.solve.solver import (
    CLOCK_CUTS,
    Progress,
    SolveLimits,
    SolveResult,
    add_hints,
    against_bound,
    better_of,
    relative_gap,
    solve,
)
from planner.solve.values import PlanValues

BLOCK_PEOPLE = 80  # people per block, about: CP-SAT proves such blocks optimal in seconds
MIN_BLOCK_SECONDS = 0.25
MIN_BLOCK_WORK = MIN_BLOCK_SECONDS * WORK_PER_SECOND
REPORT_EVERY_SECONDS = 5.0
BLOCK_PHASE_SHARE = 0.6  # of the time after the LP: solving blocks; the rest: merging them
# of the blocks' work, for the joined plan's search near the LP's solution (`near_lp`),
# taken before the blocks and merges share the rest (it also gets what the merges leave)
NEAR_LP_SHARE = 0.4
WAIT_SECONDS = 5.0  # beyond its time limit, how long a block solved in a child may take


class BlocksFailed(Exception):
    """No joined plan this way (a block with locked people found no plan, or even the LP
    relaxation is infeasible); the whole model then finds one or names the conflict."""


@dataclass(frozen=True)
class Block:
    """BlockPlan of the organisation solved on its own."""

    services: tuple[str, ...]
    psws: tuple[str, ...]
    budget: float | None
    # its share of each budgeted region's budget, for the regions of its services
    region_budgets: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class InBlocks:
    """The plan of `plan_in_blocks`, the model it is a plan of (the blocks' view, or the
    whole model when polished on it) and the LP's solution (for a later search near it)."""

    built: BuiltModel
    result: SolveResult
    relaxation: Relaxation | None = None


def plan_in_blocks(
    org: Org, limits: SolveLimits, progress: Callable[[Progress], None] | None = None,
    side_by_side: bool = False, polish: PolishOn | None = None,
    polish_until: float | None = None,
) -> InBlocks:
    """Solve a large (canonical) organisation block by block; see the module docstring.
    With `side_by_side`, two blocks (or two merges) are solved at once, one of them in a
    forked child on the spare core, each with twice the time. The joined plan is then
    searched again near the LP's solution (`near_lp`). With `polish`, it is then improved
    part by part on the whole model or on each part's neighbourhood (`block_polish`); the
    whole model is then returned in place of the blocks' view.
    Raises BlocksFailed when it finds no plan."""
    start = time.perf_counter()
    limits = replace(limits, presolve=False)  # blocks and merges are small models
    try:
        bound = lp_bound(org, split=side_by_side)
    except RelaxationInfeasible as error:
        raise BlocksFailed(str(error)) from error

    def left() -> float:
        return limits.time_limit - (time.perf_counter() - start)

    reported = [-math.inf]

    def report(plan: list[BlockPlan] | SolveResult) -> None:
        """The joined plan of every block (or the polish's plan), against the LP bound, at
        most every few seconds."""
        now = time.perf_counter() - start
        if progress is not None and now - reported[0] >= REPORT_EVERY_SECONDS:
            reported[0] = now
            objective = (plan.objective or 0.0 if isinstance(plan, SolveResult)
                         else objective_of(org, *_joined_plan(plan)))
            progress(Progress(now, objective, bound.value, relative_gap(objective, bound.value)))

    blocks = make_blocks(org, bound)
    width = 2 if side_by_side else 1
    # the schedule is in CP-SAT's work, fixed before the first block (`work`): the same
    # plan on every run; the clock only guards the deadline (`_guarded`)
    work = WorkBudget.for_blocks(limits.time_limit, bound.candidates,
                                 _placements_within(org, blocks, bound),
                                 whole=polish is PolishOn.WHOLE_MODEL)
    polishing = work.split(0.0 if polish is None else SHARE[polish])
    near = work.split(NEAR_LP_SHARE)
    merging = work.split(1 - BLOCK_PHASE_SHARE)
    parts: list[BlockPlan] = []
    for i in range(0, len(blocks), width):
        batches = math.ceil((len(blocks) - i) / width)
        jobs = [_Job(block) for block in blocks[i:i + width]]
        solved = _solve_blocks(org, jobs, _guarded(limits, work, batches, left()))
        work.spend(p.result for p in solved)
        parts += solved
    report(parts)
    merging.left += max(0.0, work.left)  # what the blocks left unspent
    parts = _merge_neighbours(org, parts, limits, left, report, merging, width)
    built, result = join(org, parts, bound, time.perf_counter() - start, blocks=len(blocks))
    whole = None
    if polish is PolishOn.WHOLE_MODEL:
        if left() >= bound.candidates / WHOLE_BUILT_PER_SECOND:
            whole = build_model(org, prune=True)
        else:
            CLOCK_CUTS.add()  # the polish is left out for want of time
    near.left += max(0.0, merging.left)  # what the merges left unspent
    built, result = _near_the_lp(org, bound, built, result, near, start + limits.time_limit,
                                 limits.seed, whole)
    report(result)
    if polish is None or (polish is PolishOn.WHOLE_MODEL and whole is None):
        return InBlocks(built, result, bound.relaxation)
    polishing.left += max(0.0, near.left)  # what the search near the LP left unspent
    built, result = polished(Joined(built, result, len(blocks), len(parts), bound.relaxation),
                             _polish_work(polishing, limits),
                             max(start + limits.time_limit, polish_until or -math.inf),
                             limits.seed, report, polish, whole)
    return InBlocks(built, result, bound.relaxation)


def _polish_work(polishing: WorkBudget, limits: SolveLimits) -> WorkBudget | None:
    """The block plan's polish: reproducible, its share of the work; else the rest of the
    time limit on the clock (None). The steps before it end on their work, counted at rates
    below the measured ones, and left 15 to 28 s of the minute unused from 2,000 PSWs on
    (bench/README.md); a plan on the clock makes no claim to repeat."""
    return polishing if limits.reproducible else None


def _near_the_lp(org: Org, bound: LpBound, built: BuiltModel, result: SolveResult,
                 work: WorkBudget, deadline: float, seed: int, whole: BuiltModel | None,
                 ) -> tuple[BuiltModel, SolveResult]:
    """The joined plan, or a better one found near the LP's solution (`near_lp`), with
    the blocks' view holding it. With `whole` (built for the polish), only the whole
    model's placements are added, so the plan stays a plan of it."""
    known = {c.key: c for c in built.candidates}
    allowed = None if whole is None else {c.key: c for c in whole.candidates}
    near = near_the_lp(org, bound.relaxation, result, known, work, deadline, seed, allowed,
                       width_for(len(org.psws)))
    if near.result is result or near.built is None:
        return built, result
    found = {c.key: c for c in near.built.candidates}
    view = with_placements(built, near.result.values, found)
    view.stats = {**view.size(), FOUND: 1}
    return view, near.result


def _placements_within(org: Org, blocks: list[Block], bound: LpBound) -> int:
    """Placements of the whole model whose person and service share a block: about what
    the blocks' own models hold."""
    if bound.relaxation is None:
        return 0
    cols = bound.relaxation.cols
    of_service = {sid: b for b, block in enumerate(blocks) for sid in block.services}
    of_person = {pid: b for b, block in enumerate(blocks) for pid in block.psws}
    service_block = np.array([of_service[s.service_id] for s in org.services])
    person_block = np.array([of_person.get(p.psw_id, -1) for p in org.psws])
    return int(np.count_nonzero(person_block[cols.person] == service_block[cols.service]))


def _guarded(limits: SolveLimits, work: WorkBudget, parts: int, seconds_left: float
             ) -> SolveLimits:
    """One of `parts` parts' share of `work`, within twice its share of the seconds left
    (a part stops on its work well before, unless the run has fallen behind)."""
    seconds = min(seconds_left, 2 * seconds_left / parts)
    return replace(limits, time_limit=max(MIN_BLOCK_SECONDS, seconds),
                   work_limit=work.share(parts, MIN_BLOCK_WORK))


def _merge_neighbours(org: Org, parts: list[BlockPlan], limits: SolveLimits,
                      left: Callable[[], float], report: Callable[[list[BlockPlan]], None],
                      work: WorkBudget, width: int = 1) -> list[BlockPlan]:
    """Re-solve neighbouring blocks two by two, starting from their joined plans, while
    `work` is left (and time): people may then cross the border between them, and budget
    left unspent anywhere goes where it adds most (shared equally by merges solved at
    once, `width`). A merge never lowers the objective: it starts from the plans it joins
    and keeps them when it finds nothing better."""
    def more() -> bool:
        if not work.has(MIN_BLOCK_WORK):
            return False
        if left() <= MIN_BLOCK_SECONDS:
            CLOCK_CUTS.add()  # merges left out for want of time
            return False
        return True

    while len(parts) > 1 and more():
        merged: list[BlockPlan] = []
        for k in range(0, len(parts), 2 * width):
            pairs = [parts[j:j + 2] for j in range(k, min(k + 2 * width, len(parts)), 2)]
            whole = [pair for pair in pairs if len(pair) == 2]
            if not whole or not more():
                merged += [p for pair in pairs for p in pair]
                continue
            batches = math.ceil((len(parts) - k) / (2 * width))
            unspent = _unspent(org, merged + parts[k:])
            jobs = [_merged_job(a, b, unspent, len(whole)) for a, b in whole]
            solved = _solve_blocks(org, jobs, _guarded(limits, work, batches, left()))
            work.spend(p.result for p in solved)
            merged += solved
            merged += [p for pair in pairs if len(pair) == 1 for p in pair]
            report(merged + parts[k + 2 * width:])
        parts = merged
    return parts


def _merged_job(a: BlockPlan, b: BlockPlan, unspent: Unspent, ways: int) -> _Job:
    """Two blocks as one, with what they spend of each budget and a `ways`-th of what no
    block spends."""
    spent = a.spend_by_region + b.spend_by_region
    budget = None if unspent.budget is None else spent.total() + unspent.budget // ways
    regions = {region: spent[region] + unspent.regions[region] // ways
               for region in a.block.region_budgets.keys() | b.block.region_budgets.keys()}
    block = Block(a.block.services + b.block.services, a.block.psws + b.block.psws, budget,
                  regions)
    return _Job(block, start=a.result.values.joined(b.result.values))


@dataclass(frozen=True)
class Unspent:
    """What the block plans leave of the budget and of each region's, in model units."""

    budget: int | None
    regions: dict[str, int]


def _unspent(org: Org, parts: list[BlockPlan]) -> Unspent:
    spent = sum((p.spend_by_region for p in parts), Counter[str]())
    limit = budget_limit(org.policy)
    return Unspent(None if limit is None else max(0, limit - spent.total()),
                   {region: max(0, most - spent[region])
                    for region, most in region_budget_limits(org).items()})


def make_blocks(org: Org, bound: LpBound) -> list[Block]:
    """Regions, cut into parts of about BLOCK_PEOPLE people's worth of services; each
    person where the LP (else their best placement, else their locked one) puts them;
    budget as the LP spends it."""
    best_service = bound.relaxation.cols.best_service(org) if bound.relaxation else {}
    most = max(1, round(BLOCK_PEOPLE * len(org.services) / max(1, len(org.psws))))
    groups = region_parts(org, most)  # canonical: services sorted by id
    block_of = {sid: b for b, ids in enumerate(groups) for sid in ids}
    people: list[list[str]] = [[] for _ in groups]
    for psw in org.psws:
        service = _home_service(psw, bound, best_service)
        if service is not None:
            people[block_of[service]].append(psw.psw_id)
    spend = [sum(bound.service_spend[s] for s in ids) for ids in groups]
    shares = _budget_shares(org.policy.budget, spend)
    regions = _region_budget_shares(org, groups, spend)
    return [Block(tuple(ids), tuple(ps), share, own)
            for ids, ps, share, own in zip(groups, people, shares, regions, strict=True)]


def join(org: Org, parts: list[BlockPlan], bound: LpBound, seconds: float,
         blocks: int) -> tuple[BuiltModel, SolveResult]:
    """One model-shaped view of the block plans, and the joined plan with the LP bound."""
    built = BuiltModel(org, cp_model.CpModel(), [], [], [], is_view=True)
    joined = PlanValues()
    for part in parts:
        joined = joined.joined(part.result.values)
        built.candidates += part.built.candidates
        built.x += part.built.x
        built.vacancies += part.built.vacancies
        built.dominated += part.built.dominated
        built.points += part.built.points
    built.rules = list(parts[0].built.rules) if parts else []
    built.stats = {
        "candidates": bound.candidates,
        "vacancy_slots": len(built.vacancies),
        "variables": sum(len(p.built.model.proto.variables) for p in parts),
        "constraints": sum(len(p.built.model.proto.constraints) for p in parts),
        "blocks": blocks,
        "blocks_after_merging": len(parts),
    }
    try:
        joined = without_surplus_supervisors(built, joined)
    except SurplusKept as error:
        raise BlocksFailed(str(error)) from error
    chosen = [built.candidates[i] for i in joined.chosen(built)]
    objective = objective_of(org, chosen, list(zip(built.vacancies, joined.vacancies(built),
                                                   strict=True)))
    return built, against_bound(objective, bound.value, seconds, joined)


def _joined_plan(parts: list[BlockPlan]
                 ) -> tuple[list[Candidate], list[tuple[VacancySlot, int]]]:
    chosen = [p.built.candidates[i] for p in parts for i in p.chosen]
    vacancies = [pair for p in parts
                 for pair in zip(p.built.vacancies, p.vacancies, strict=True)]
    return chosen, vacancies


@dataclass(frozen=True)
class BlockPlan:
    """A block with its model and its plan."""

    block: Block
    built: BuiltModel
    result: SolveResult

    @property
    def chosen(self) -> list[int]:
        return self.result.values.chosen(self.built)

    @property
    def vacancies(self) -> list[int]:
        return self.result.values.vacancies(self.built)

    @property
    def spend_by_region(self) -> Counter[str]:
        """Budget the plan spends in each region ('': services without one), in the model's
        units (see `model.budget_units`)."""
        spend: Counter[str] = Counter()
        for i in self.chosen:
            cand = self.built.candidates[i]
            spend[cand.service.region or ""] += budget_units(cand.cost)
        for slot, n in zip(self.built.vacancies, self.vacancies, strict=True):
            spend[slot.service.region or ""] += n * budget_units(slot.booked_cost)
        return spend

    @property
    def spend(self) -> int:
        """Budget the plan spends, in the model's units."""
        return self.spend_by_region.total()


def _home_service(psw, bound: LpBound, best_service: dict[str, str]) -> str | None:
    if psw.lock and psw.psw_id in best_service:
        return best_service[psw.psw_id]  # the locked placement's service
    return bound.psw_service.get(psw.psw_id) or best_service.get(psw.psw_id)


def _budget_shares(budget: float | None, spend: list[float]) -> list[float | None]:
    """A budget cut in shares as the LP spends it (equal when it spends none)."""
    if budget is None:
        return [None] * len(spend)
    total = sum(spend)
    if total <= 0:
        return [math.floor(budget / len(spend))] * len(spend)
    return [math.floor(budget * s / total) for s in spend]


def _region_budget_shares(org: Org, groups: list[list[str]],
                          spend: list[float]) -> list[dict[str, float]]:
    """Each group's share of its region's budget (a group's services share a region)."""
    shares: list[dict[str, float]] = [{} for _ in groups]
    region = [org.services_by_id[ids[0]].region for ids in groups]
    for name, budget in org.region_budgets.items():
        members = [k for k, r in enumerate(region) if r == name]
        cut = _budget_shares(budget, [spend[k] for k in members])
        for k, share in zip(members, cut, strict=True):
            shares[k][name] = share if share is not None else budget
    return shares


@dataclass(frozen=True)
class _Job:
    """A block to solve, perhaps from a plan by keys that keeps its rules (a merge)."""

    block: Block
    start: PlanValues | None = None


@dataclass(frozen=True)
class _BlockModel:
    job: _Job
    built: BuiltModel
    known: PlanValues | None  # the start, when the block's model holds all of it


def _solve_blocks(org: Org, jobs: list[_Job], limits: SolveLimits) -> list[BlockPlan]:
    """Each job's block solved within `limits`; with two jobs, the first in a forked
    child (`child`) while this process solves the second. Should the child give
    no result, its block is solved here, briefly."""
    first = _block_model(org, jobs[0])
    if len(jobs) == 1:
        return [_finished(first, solve(first.built, limits))]
    try:
        child = Forked(solve, first.built, limits)
    except OSError:  # no process to be had (limits of the machine): one after the other
        half = replace(limits, time_limit=max(MIN_BLOCK_SECONDS, limits.time_limit / 2))
        return [_finished(first, solve(first.built, half)), *_solve_blocks(org, jobs[1:], half)]
    try:
        second = _block_model(org, jobs[1])
        second_result = solve(second.built, limits)
        first_result = child.result(timeout=limits.time_limit + WAIT_SECONDS)
        # the child counts its own cuts: the parent hears of them through the result
        CLOCK_CUTS.add(1 if first_result is None or first_result.on_the_clock else 0)
        first_result = (first_result
                        or solve(first.built, replace(limits, time_limit=MIN_BLOCK_SECONDS)))
    finally:
        child.stop()
    return [_finished(first, first_result), _finished(second, second_result)]


def _block_model(org: Org, job: _Job) -> _BlockModel:
    """One block's own model, with a complete hint for CP-SAT: the start plan of a merge,
    else the block's greedy plan (`greedy`): with the short times blocks get, a start
    CP-SAT need not find first."""
    wanted, people = set(job.block.services), set(job.block.psws)
    org_part = replace(
        org,
        services=tuple(s for s in org.services if s.service_id in wanted),
        psws=tuple(p for p in org.psws if p.psw_id in people),
        policy=replace(org.policy, budget=job.block.budget),
        regions=tuple(Region(name, share) for name, share in job.block.region_budgets.items()),
    )
    built = build_model(org_part, prune=True)
    known = job.start if job.start is not None and job.start.fits(built) else None
    add_hints(built.model, (known or greedy_start(built)).variables(built))
    return _BlockModel(job, built, known)


def _finished(model: _BlockModel, solved: SolveResult) -> BlockPlan:
    """The block's part: the start plan kept if nothing beats it; a block without a plan
    places nobody (or, with locked people, ends the block path). It keeps the work its
    solve took."""
    built, result = model.built, solved
    if model.known is not None:
        result = better_of(built, result, model.known, result.bound, result.seconds) or result
    if result.status in (Status.INFEASIBLE, Status.UNKNOWN):
        if any(p.lock for p in built.org.psws):
            raise BlocksFailed(f"no plan for the block of {model.job.block.services[0]}")
        result = SolveResult(result.status, 0.0, 0.0, 0.0, result.seconds)
    return BlockPlan(model.job.block, built, replace(result, work=solved.work))

