"""Which path solves an organisation: the one place that decides, from one table.

Every plan (`planning.plan`, with or without edits) asks `choose_strategy`, and
`plan.json` records the answer. The table (`THRESHOLDS`) compares the placements the
whole model would hold (`estimated_candidates`, counted without scoring any) with fixed
sizes and with the time limit:

| placements (N), time limit T          | no edits              | with edits (analyses) |
|---------------------------------------|-----------------------|-----------------------|
| N < large and N <= blocks/s x T       | whole model           | whole model           |
| N >= large or N > blocks/s x T        | blocks                |                       |
|   no side plan (N >= side_plan_below  | blocks, then polished |                       |
|   or no side bound beside them)       |                       |                       |
| N >= large or N > edited/s x T        |                       | part by part          |

On a machine with a core to spare (`child.spare_core`) a plan puts it to work, a second
engine on the side (`large.side_bound`): beside CP-SAT on the whole model, HiGHS on it
(N >= highs_from; from side_bound_from on, after the Lagrangian bound and plans from it);
beside the blocks, the Lagrangian bound (side_bound_from <= N < lagrange_below, with plans
from it below side_plan_below); else, on the block path, two blocks at a time
(`large.blocks`). A reproducible plan's child keeps to what repeats (`_on_its_work`).
docs/solver.md explains each path.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from enum import StrEnum

from planner.core import eligibility
from planner.core.domain import Org
from planner.solve.large.block_polish import PolishOn
from planner.solve.large.child import spare_core
from planner.solve.large.side_bound import SideWork
from planner.solve.solver import SolveLimits


@dataclass(frozen=True)
class Thresholds:
    """The table: each threshold of the path choice, written here only."""

    # from this many placements CP-SAT on the whole model spends its time in presolve
    # and the root LP: blocks (and, for a model with edits, part by part)
    large: int = 150_000
    # placements CP-SAT on the whole model handles per second of the time limit; beyond
    # it, blocks
    blocks_per_second: int = 1_000
    # the same for a model with edits (an objective or rules of an analysis), whose
    # greedy start knows none of them; beyond it, part by part from a start that does
    edited_per_second: int = 2_500
    # the same, reproducible: its search has WHOLE_WORK_PER_SECOND (0.4) units of work a
    # second, where the clock gives it 0.8 to 1.8 (roadmap years of 11,000 to 17,000
    # placements, 2026-12-07), and with that it often found no plan from its start; part
    # by part from 1,000 per second, 3-year roadmaps of four generated organisations of
    # 250 to 400 PSWs were worth 1.6 to 4.4 % more (bench/README.md)
    edited_reproducible_per_second: int = 1_000
    # beside blocks of a model this large, the Lagrangian bound and plans from it (below
    # it the blocks' own LP bound is close); beside the whole model, those for half the
    # time before HiGHS (below it HiGHS alone proves sooner)
    side_bound_from: int = 20_000
    # beside blocks, the Lagrangian bound up to this many placements, where it converges
    # within the minute on one core (SMOOTHING 0.95: 37 to 49 s at 157,000 to 159,000;
    # measured to 173,555, bench/README.md); above, blocks two at a time instead
    lagrange_below: int = 180_000
    # beside blocks below this many placements the bound converges with time to spare and
    # the child's plan from it (`side_plan`) takes the place of the polish; from here on
    # it seldom converges in time for one, and the block plan is polished (a child's plan
    # that does come is still weighed against it)
    side_plan_below: int = 150_000
    # beside the whole model from this many placements, HiGHS on it; below, CP-SAT
    # proves its plans in a second or two and a second engine would only race it
    highs_from: int = 5_000
    # a block plan without a side bound is then polished (`large.block_polish`; beside a
    # side bound, the side plan is the better one): on the whole model up to this many
    # placements per second of the time limit, where its build takes about a seventh of
    # the time; above, each part on its neighbourhood's model
    polish_per_second: int = 3_500


THRESHOLDS = Thresholds()


class SolvePath(StrEnum):
    WHOLE = "whole model"  # CP-SAT on the whole model (`solver.solve`)
    BLOCKS = "blocks"  # block by block against the LP bound (`large.blocks`)
    PART_BY_PART = "part by part"  # a start improved part by part (`large.polish`)


@dataclass(frozen=True)
class Strategy:
    """How one plan is solved, and why."""

    path: SolvePath
    side_by_side: bool  # blocks two at a time, one in a forked child
    side_work: SideWork | None  # what a forked child beside the plan does (None: none)
    candidates: int  # placements the whole model would hold, estimated
    reason: str
    polish: PolishOn | None = None  # what the block plan is then polished on
    reproducible: bool = False  # every search stops on its work (`SolveLimits.reproducible`)

    @property
    def side_bound(self) -> bool:
        """A forked child seeks a better plan and bound meanwhile."""
        return self.side_work is not None

    @property
    def seeks_side_plans(self) -> bool:
        """The child sends plans of its own (not only a bound)."""
        return self.side_work not in (None, SideWork.CONVERGED_BOUND)

    @property
    def uses_second_core(self) -> bool:
        return self.side_bound or self.side_by_side

    def fell_back(self, why: str) -> Strategy:
        """The whole model after all (the block path found no plan)."""
        return replace(self, path=SolvePath.WHOLE, side_by_side=False, polish=None,
                       reason=f"{self.reason}; {why}, so the whole model")

    def as_json(self) -> dict[str, object]:
        return {**asdict(self), "path": self.path.value, "side_bound": self.side_bound,
                "side_work": None if self.side_work is None else self.side_work.value,
                "polish": None if self.polish is None else self.polish.value}


def choose_strategy(org: Org, limits: SolveLimits, edited: bool = False) -> Strategy:
    """The path that solves `org` (with edits to its model when `edited`) within
    `limits`, by the table `THRESHOLDS`."""
    table = THRESHOLDS
    count = estimated_candidates(org)
    seconds = limits.time_limit
    spare = spare_core(limits)
    if edited:
        per_second = (table.edited_reproducible_per_second if limits.reproducible
                      else table.edited_per_second)
        large = count >= table.large or count > per_second * seconds
        path = SolvePath.PART_BY_PART if large else SolvePath.WHOLE
        return Strategy(path, False, None, count,
                        _reason(count, seconds, large, per_second, edited),
                        reproducible=limits.reproducible)
    large = count >= table.large or count > table.blocks_per_second * seconds
    path = SolvePath.BLOCKS if large else SolvePath.WHOLE
    work = _side_work(count, large, spare)
    if limits.reproducible:  # a child's plans come when its clock lets them: the bound
        work = _on_its_work(work, count)  # once converged, and a plan on its work
    side_plan = work is SideWork.LAGRANGE and count < table.side_plan_below
    polish = None if not large or side_plan else (
        PolishOn.WHOLE_MODEL if count <= table.polish_per_second * seconds
        else PolishOn.NEIGHBOURHOODS)
    return Strategy(path, large and spare and work is None, work, count,
                    _reason(count, seconds, large, table.blocks_per_second, edited), polish,
                    limits.reproducible)


_LAGRANGIAN = (SideWork.LAGRANGE, SideWork.LAGRANGE_THEN_HIGHS)


def _on_its_work(work: SideWork | None, count: int) -> SideWork | None:
    """The child of a reproducible plan in place of `work`: beside blocks below
    `side_plan_below`, the converged bound and one plan from its master, each step on
    its work; beside larger blocks and the whole model, the converged bound alone (there
    the bound converges too late for the plan to come in time on most runs, and HiGHS,
    and the plans of the Lagrangian half, have no work to stop on: bench/README.md);
    else none."""
    if work is SideWork.LAGRANGE and count < THRESHOLDS.side_plan_below:
        return SideWork.CONVERGED_PLAN
    return SideWork.CONVERGED_BOUND if work in _LAGRANGIAN else None


def _side_work(count: int, large: bool, spare: bool) -> SideWork | None:
    """What a spare core does beside the plan: beside the whole model, HiGHS on it (a
    portfolio of engines), from `side_bound_from` on after the Lagrangian bound and plans
    from it for half the time, HiGHS then starting from the best of them (measured in
    bench/README.md against HiGHS alone); beside blocks, which no engine sees whole, the Lagrangian
    bound of the whole model and plans from it; None when no core is spare or the model
    is too small (or, for blocks, too large for the bound to converge) for it to pay."""
    table = THRESHOLDS
    if not spare:
        return None
    if not large:
        if count < table.highs_from:
            return None
        return SideWork.HIGHS if count < table.side_bound_from else SideWork.LAGRANGE_THEN_HIGHS
    return SideWork.LAGRANGE if table.side_bound_from <= count < table.lagrange_below else None


def _reason(count: int, seconds: float, large: bool, per_second: int, edited: bool) -> str:
    model = "a model with edits" if edited else "the model"
    if not large:
        return f"{model} holds {count:,} placements: CP-SAT solves it whole"
    if count >= THRESHOLDS.large:
        return f"{model} holds {count:,} placements, too many to solve whole"
    return (f"{model} holds {count:,} placements, more than {per_second:,} per second of "
            f"the {seconds:g} s time limit")


def estimated_candidates(org: Org) -> int:
    """Placements the whole model would hold (exclusions aside), counted from the roles
    each person may take and the services of each role per region, scoring none."""
    per_region: dict[str, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for service in org.services:
        for role in org.roles:
            if eligibility.role_service_block(role, service) is None:
                per_region[role.role_id][service.region or None] += 1
    count = 0
    for psw in org.psws:
        for role in org.roles:
            if eligibility.person_role_block(psw, role) is not None:
                continue
            regions = per_region[role.role_id]
            if psw.travel or not psw.region:
                count += sum(regions.values())
            else:
                count += regions.get(psw.region, 0) + regions.get(None, 0)
    return count
