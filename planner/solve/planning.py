"""`plan(org) -> Plan`: the one entry point of solving, for an organisation as it is or
with edits an analysis adds to its model.

The strategy (`strategy.choose_strategy`) says which path solves it; `plan.json` records
it. The paths: the whole model by CP-SAT (`whole`; its plan then searched near the LP,
`large.near_lp`), block by block against the LP bound (`large.blocks`), or a start
improved part by part (`edits`). A forked child on the spare core tightens the bound and
may offer a better plan (`large.side_bound`); beside one that does, the time the blocks
leave polishes their plan on the whole model.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from planner.core.domain import Org
from planner.core.errors import UsageError
from planner.core.results import CUT_BY_THE_CLOCK, Plan, Status
from planner.solve.assemble import plan_of
from planner.solve.edits import Edit, plan_edited
from planner.solve.large import blocks, near_lp
from planner.solve.large.block_polish import (
    Joined,
    PolishOn,
    polish_stats,
    polished_on_whole,
)
from planner.solve.large.polish import MIN_PART_WORK, PartSolver, polished_plan
from planner.solve.large.side_bound import NoSideBound, SideBound, side_bound
from planner.solve.large.work import (
    PLAN_WORK_PER_SECOND,
    WHOLE_BUILT_PER_SECOND,
    WorkBudget,
    counted_seconds,
    whole_search_work,
)
from planner.solve.model import BuiltModel, build_model, canonical
from planner.solve.solver import (
    CLOCK_CUTS,
    Progress,
    SolveLimits,
    SolveResult,
    relative_gap,
    scores_more,
)
from planner.solve.strategy import SolvePath, Strategy, choose_strategy
from planner.solve.whole import solve_whole

# beside a side child, the block plan is polished in the time the blocks leave when it
# leaves at least this long once the whole model is built (`_beside_the_child`)
TAIL_SECONDS = 3.0
# the whole model's plan: the share of the time kept from CP-SAT, after the searches near
# the LP (`near_lp.WHOLE_SHARE`), for the polish in parts that grow (`_polished_whole`)
WHOLE_POLISH_SHARE = 0.15
# the same, reproducible: CP-SAT's work on the whole model goes at a rate that falls far
# on some shapes as its search goes on (`work.PLAN_WORK_PER_SECOND`), the polish's parts
# at one that holds, so the polish has a larger share and the search the rest. Against
# three quarters of the seconds at 0.4 a second, on six organisations of five of the
# suite's shapes (58-s plans, 2026-12-08): none cut by the clock where three had been;
# plans 9 and 13 points better on two, the same on one, 9 and 18 poorer on two, and 129
# (0.13 %) poorer on the bundled 600-PSW sample, whose search found more in its longer
# work; from the CLI on six fresh ones, none cut where five had been, better on four
# (bench/README.md)
COUNTED_POLISH_SHARE = 0.3
MIN_FALLBACK_SECONDS = 2.0  # for the whole model, after its build (and blocks that found no plan)
# placements of the whole model built (and a plan checked on it) per second: 63,651 in
# 1.8 s at 600 PSWs on the bench machine (planner 0.1.0, 2026-12-06), with room
CHECK_BUILD_PER_SECOND = 30_000


def plan(
    org: Org,
    *,
    edits: tuple[Edit, ...] = (),
    time_limit: float | None = None,
    seed: int | None = None,
    deterministic: bool = True,
    reproducible: bool = False,
    progress: Callable[[Progress], None] | None = None,
) -> Plan:
    """Plan the role mix, placements and recruitment for an organisation.

    `time_limit` and `seed` default to the org's Policy. `edits` add rules, an objective
    or a start to the model (the analyses). An infeasible organisation gives a Plan with
    status `infeasible` and `conflicts` naming rules that cannot all hold.
    `reproducible`: every search stops on its work, not the clock (`SolveLimits`), and
    model_stats count the searches the clock cut all the same (0: the plan repeats).
    """
    if reproducible and not deterministic:
        raise UsageError("a reproducible plan needs one search worker (not --fast)")
    limits = limits_for(org, time_limit=time_limit, seed=seed, deterministic=deterministic,
                        reproducible=reproducible)
    strategy = choose_strategy(org, limits, edited=bool(edits))
    before = CLOCK_CUTS.count
    if edits:
        planned, strategy = plan_edited(org, edits, limits, strategy)
    else:
        planned, strategy = _plan_unedited(org, limits, strategy, progress)
    if limits.reproducible:  # how many searches the clock cut (0: the plan repeats)
        planned = replace(planned, model_stats={**planned.model_stats,
                                                CUT_BY_THE_CLOCK: CLOCK_CUTS.count - before})
    return replace(planned, strategy=strategy.as_json())


def limits_for(
    org: Org, *, time_limit: float | None = None, seed: int | None = None,
    deterministic: bool = True, reproducible: bool = False,
) -> SolveLimits:
    """Solver limits: the arguments given, else the org's Policy."""
    return SolveLimits(
        time_limit=org.policy.time_limit if time_limit is None else time_limit,
        seed=org.policy.seed if seed is None else seed,
        deterministic=deterministic,
        reproducible=reproducible,
    )


def _plan_unedited(org: Org, limits: SolveLimits, strategy: Strategy,
                   progress: Callable[[Progress], None] | None) -> tuple[Plan, Strategy]:
    began = time.perf_counter()
    ordered = canonical(org)
    work = strategy.side_work
    with side_bound(ordered, limits, work) if work is not None else NoSideBound() as side:
        if strategy.path is SolvePath.BLOCKS:
            in_blocks = _leaving_time_to_check(limits, strategy)
            try:
                planned = blocks.plan_in_blocks(
                    ordered, in_blocks, progress, side_by_side=strategy.side_by_side,
                    polish=strategy.polish, polish_until=_polish_until(strategy, limits, began))
            except blocks.BlocksFailed:
                # no plan this way: the whole model finds one or names the conflict, in
                # the time left
                strategy = strategy.fell_back("the blocks found no plan")
            else:
                return _beside_the_child(ordered, planned, side, strategy, in_blocks, began,
                                         progress), strategy
        return _plan_whole(org, ordered, limits, began, side, progress), strategy


def _plan_whole(org: Org, ordered: Org, limits: SolveLimits, began: float,
                side: SideBound | NoSideBound,
                progress: Callable[[Progress], None] | None) -> Plan:
    """The whole model, solved by CP-SAT in three quarters of the time left; its plan (or
    the side child's, when better) then searched near the LP (`near_lp`) in the next tenth
    and polished in parts that grow (`polish`) in the rest; then the child's plan once
    more, when it sent a better one meanwhile. Reproducible (`limits`), each step has the
    work of its share of the seconds counted before it starts (`work.counted_seconds`)."""
    whole = build_model(org, prune=True)
    searching = _time_left(limits, began)
    deadline = time.perf_counter() + searching.time_limit
    polishing = searching.time_limit * WHOLE_POLISH_SHARE
    counted = (Counted.of(counted_seconds(limits.time_limit, len(whole.candidates)))
               if limits.reproducible else None)
    # reproducible: each step's work from the counted seconds, the deadline a guard
    near_until = deadline - polishing if counted is None else deadline
    near_work = None if counted is None else counted.near
    polish_work = None if counted is None else WorkBudget.for_polish(counted.polish)

    def improve(built: BuiltModel, result: SolveResult) -> SolveResult:
        taken = side.improve(built, result)
        near = near_lp.near_the_lp_of_the_whole(ordered, built, taken, near_until,
                                                limits.seed, near_work)
        found, parts = _polished_whole(built, near, deadline, limits.seed, polish_work)
        if limits.reproducible:
            side.settle(deadline - time.perf_counter())  # the converged bound, if it comes
        later = side.plan_for(built, found)  # the child searched on meanwhile
        if later is None:
            built.stats = {**built.size(), **({near_lp.FOUND: 1} if near is not taken else {}),
                           **polish_stats(parts, near, found)}
        return side.tighten(later or found)

    share = near_lp.WHOLE_SHARE + WHOLE_POLISH_SHARE
    kept = replace(searching, time_limit=searching.time_limit * (1 - share))
    if counted is not None:  # on its work; the clock guards the deadline
        kept = replace(searching, work_limit=counted.search_work)
    return solve_whole(org, whole, kept, progress, improve=improve, stop=side.proven)


@dataclass(frozen=True)
class Counted:
    """A reproducible plan's steps on the whole model, from the seconds counted before the
    first starts (`work.counted_seconds`): CP-SAT's search the work of what the searches
    near the LP (`near_lp.WHOLE_SHARE`) and the polish (COUNTED_POLISH_SHARE) leave, at
    PLAN_WORK_PER_SECOND up to PLAN_WORK_AT_PACE; theirs, the work of their seconds at
    their own rates."""

    search: float  # seconds
    near: float
    polish: float

    @classmethod
    def of(cls, seconds: float) -> Counted:
        near, polish = seconds * near_lp.WHOLE_SHARE, seconds * COUNTED_POLISH_SHARE
        return cls(seconds - near - polish, near, polish)

    @property
    def search_work(self) -> float:
        """CP-SAT's work limit on the whole model: its seconds' work, at most the work it
        does at pace (a longer limit leaves the rest of its seconds unused)."""
        return whole_search_work(self.search, PLAN_WORK_PER_SECOND)


def _polished_whole(built: BuiltModel, result: SolveResult, deadline: float,
                    seed: int, work: WorkBudget | None = None) -> tuple[SolveResult, int]:
    """`result` (a plan of `built`, the whole model), or a better one found by the polish
    in parts that grow until `deadline` (perf_counter) or, if given, `work` (on the
    polish's parts) is spent, with the parts solved. CP-SAT's one worker branches on the
    whole model, and in its last seconds seldom finds more; the parts re-solve a region or
    two exactly (bench/README.md)."""
    if result.objective is None or result.bound is None or result.status is Status.OPTIMAL:
        return result, 0
    if work is not None and not work.has(MIN_PART_WORK):
        return result, 0  # too little work counted for one part: left out on every run
    if work is None and deadline - time.perf_counter() < MIN_FALLBACK_SECONDS:
        CLOCK_CUTS.add()
        return result, 0
    # reproducible, a run that has fallen behind is cut by the polish's own guard
    solver = PartSolver(built)
    polished = polished_plan(solver, result, deadline, seed, lambda _: None, work, grow=True,
                             shuffle=True)
    return (polished if scores_more(polished, result) else result), solver.parts


def _time_left(limits: SolveLimits, began: float) -> SolveLimits:
    """The limits less the time taken since `began` (building the model: seconds at
    100,000 placements; the blocks, when they found no plan), at least a little (never
    more than the limit itself)."""
    left = limits.time_limit - (time.perf_counter() - began)
    least = min(limits.time_limit, MIN_FALLBACK_SECONDS)
    return replace(limits, time_limit=max(least, left))


def _leaving_time_to_check(limits: SolveLimits, strategy: Strategy) -> SolveLimits:
    """The blocks' limits: beside a side child, less the time to build the whole model and
    check the child's plan on it after them (`_block_or_side_plan`), so the plan keeps to
    its time limit."""
    if not strategy.seeks_side_plans:
        return limits
    check = strategy.candidates / CHECK_BUILD_PER_SECOND
    return replace(limits, time_limit=max(MIN_FALLBACK_SECONDS, limits.time_limit - check))


def _polish_until(strategy: Strategy, limits: SolveLimits, began: float) -> float | None:
    """The block plan's polish on the whole model goes on to the time limit from `began`
    (perf_counter): that model checks the child's plan too, so the time the blocks keep
    to build one for the check (`_leaving_time_to_check`) is the polish's."""
    return began + limits.time_limit if strategy.polish is PolishOn.WHOLE_MODEL else None


def _beside_the_child(org: Org, planned: blocks.InBlocks, side: SideBound | NoSideBound,
                      strategy: Strategy, limits: SolveLimits, began: float,
                      progress: Callable[[Progress], None] | None) -> Plan:
    """The block plan, or the side child's when it scores more, with the lowest bound.
    The blocks end on their work, often well before the time of `limits` from `began`
    (perf_counter) is up, and the child's plans of that time are the ones to weigh. Where
    the child seeks plans of its own (`strategy`: no polish of the block plan), the time
    left polishes the block plan on the whole model meanwhile, its parts growing as they
    find nothing better: the child's polish ends at a local optimum of its own plan, and
    the block plan's may lie higher (bench/README.md). HiGHS first searches it near the
    LP's solution, as the blocks' own polish does on the clock (`block_polish`)."""
    built, result = planned.built, planned.result
    whole = built if strategy.polish is PolishOn.WHOLE_MODEL and not built.is_view else None
    deadline = began + limits.time_limit
    left = deadline - time.perf_counter()
    if (strategy.seeks_side_plans and strategy.polish is None
            and left >= strategy.candidates / WHOLE_BUILT_PER_SECOND + TAIL_SECONDS):
        whole = build_model(org, prune=True)
        size = built.size()
        joined = Joined(built, result, size["blocks"], size["blocks_after_merging"],
                        relaxation=planned.relaxation)
        built, result = polished_on_whole(joined, whole, None, deadline, limits.seed,
                                          _reporting(progress, began, result.bound),
                                          grow=True, shuffle=True)
    side.settle(deadline - time.perf_counter())
    return _block_or_side_plan(org, built, result, side, whole)


def _reporting(progress: Callable[[Progress], None] | None, began: float,
               bound: float | None) -> Callable[[SolveResult], None]:
    """Each better plan of the polish, as progress since `began` (perf_counter), against
    `bound` (the plan's: a part's own bound is not one of the whole)."""
    def report(result: SolveResult) -> None:
        if progress is not None and result.objective is not None and bound is not None:
            progress(Progress(time.perf_counter() - began, result.objective, bound,
                              relative_gap(result.objective, bound)))
    return report


def _block_or_side_plan(org: Org, built: BuiltModel, result: SolveResult,
                        side: SideBound | NoSideBound, whole: BuiltModel | None = None) -> Plan:
    """The block plan, or the side child's plan when it scores more: that one is a plan
    of the whole model (`whole` if built), which is then built to check it (a few seconds
    past the limit, only when the child's plan is there and better). Its model_stats are
    the whole model's own, not those of the block plan polished on it."""
    if side.offers_more_than(result):
        whole = whole or build_model(org, prune=True)
        taken = side.plan_for(whole, result)
        if taken is not None:
            return plan_of(replace(whole, stats=None), side.tighten(taken))
    return plan_of(built, side.tighten(result))
