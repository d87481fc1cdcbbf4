"""A time limit spent as CP-SAT's deterministic work, so that a plan solved in many parts
(`blocks`) is the same plan on every run.

The clock differs from run to run; CP-SAT's own measure of the work it has done does not
(with one worker). A schedule that gives each part a share of what is left in seconds
makes each part's plan, and so the whole, depend on how fast the machine ran that
moment. Here the parts share a budget of work fixed before the first part starts, from
the time limit and the size of the model alone, and each part's own work, not its
seconds, is taken off it. The clock only guards the deadline: should a run fall behind
(a loaded machine), the parts left are cut short and the plan, still within its time,
may differ from another run's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from planner.solve.solver import SolveResult

# CP-SAT's deterministic time per second of the clock on the block and merge models,
# measured on the bench machine (planner 0.1.0, 2026-12-06): 0.24 to 0.68 for one solve;
# over the solves of whole block-path runs, 0.29 to 0.35 on five organisations of the
# suite's shapes (seed 105327) and up to 0.45 on others. Set below the lowest, so that a
# run ends on its work and not on the clock; on the others it ends seconds early
WORK_PER_SECOND = 0.27
# placements of the whole model enumerated and bounded by its LP (`lp_bound`) per second
# (1.59 M in 9.0 s at 5,000 PSWs on the bench machine), with room
LP_PLACEMENTS_PER_SECOND = 150_000
# placements of the blocks' own models built (with their greedy starts) per second: 25,000
# to 27,000 at 2,000 and 5,000 PSWs on the bench machine; the merges build about as many
# again, counted here as twice the blocks'
BUILT_PLACEMENTS_PER_SECOND = 12_500
# placements of the whole model built and read into rows for the polish of a block plan
# (`block_polish`) per second: 146,376 in 4.4 s, 310,406 in 10.2 s, 651,731 in 24.5 s on
# the bench machine, with room
WHOLE_BUILT_PER_SECOND = 25_000
# CP-SAT's deterministic time per second on the polish's parts (the whole model with all
# but about twelve services held, presolved): 0.53 to 0.97 a part, 0.65 over a run of 45
# parts (1,000 PSWs, 2026-12-06), set below the lowest
POLISH_WORK_PER_SECOND = 0.45
# the same on parts solved on their neighbourhood's model (`neighbourhood`), each part's
# build counted in its seconds: 0.45 at 1,000 PSWs, 0.39 to 0.43 at 2,000, 0.31 at 5,000
# over whole runs (2026-12-06), set below the lowest
NEIGHBOURHOOD_WORK_PER_SECOND = 0.3
# seconds kept back from the schedule: a part is not started with less than half a second
# left (`polish.MIN_SECONDS`), and two runs of the same 10-s plan (160 PSWs, polished on
# the whole model) ended 0.8 to 1.3 s before the limit on the bench machine (2026-12-06),
# too close to it for a slower or busier machine to end on its work every run
RESERVE_SECONDS = 1.0
# CP-SAT's deterministic time per second of the clock on a whole model, one worker, for a
# reproducible schedule of an analysis's edited model: 0.34 to 0.50 beside HiGHS, 0.47 to
# 0.97 with no child (bench/README.md, 2026-12-06 and -07); at 0.4 no step of 21
# reproducible runs beside the Lagrangian bound alone was cut by the clock (the slowest
# ended at 54.7 s of 60)
WHOLE_WORK_PER_SECOND = 0.4
# the same for the organisation's own whole model (a plan's search from its greedy start),
# whose rate falls as the search goes on, on some shapes far: in a 58-s reproducible plan
# (2026-12-08) the search did 16.5 to 16.9 units at 0.40 to 0.54 a second on five
# organisations of S01, S03, S04, S06 and S09's shapes, but only 11.3 and 15.6 units in
# 57 s on two of S02's (everyone travels) and 14.5 on one of S09's, each then cut by the
# clock; its first 8.4 units took 15.5 to 24.7 s on six of them, those three included.
# Counted at 0.25 on six tenths of the seconds (`planning.Counted`), the search has about
# 8.5 units in a minute
PLAN_WORK_PER_SECOND = 0.25
# and at most this much work, whatever the limit: the slowing comes with the work done, not
# the seconds (at 118 s, 0.25 a second gave S02's shape 17.4 units, and the clock cut it
# at 15.8); every organisation above did its first 8.4 units in 25 s or less. An edited
# model's search too (`edits`): a scenario near its baseline at 58 s, 22 units at 0.4, was
# cut at 11.1 on S02's shape and at 19.1 on the bundled sample; capped, neither was cut
# (the sample's plan 0.21 % under the cut one's)
PLAN_WORK_AT_PACE = 8.5
MIN_COUNTED_SECONDS = 2.0  # a reproducible schedule's least, however large the model


def whole_search_work(seconds: float, rate: float) -> float:
    """CP-SAT's work limit for a reproducible search of a whole model given `seconds` at
    `rate`: their work, at most the work it does at pace (PLAN_WORK_AT_PACE)."""
    return min(seconds * rate, PLAN_WORK_AT_PACE)


def counted_seconds(time_limit: float, placements: int) -> float:
    """The seconds a reproducible plan of a whole model of `placements` schedules its
    work in: `time_limit` less the reserve and building the model, both from counts (the
    clock's reading differs from run to run)."""
    return max(MIN_COUNTED_SECONDS, time_limit - RESERVE_SECONDS
               - placements / WHOLE_BUILT_PER_SECOND)


@dataclass
class WorkBudget:
    """CP-SAT work (its deterministic time) still to be shared among parts."""

    left: float

    @classmethod
    def for_blocks(cls, seconds: float, placements: int, in_blocks: int,
                   whole: bool = False) -> WorkBudget:
        """The work of `seconds`, less RESERVE_SECONDS, the time the LP bound of the
        whole model's `placements` takes, the time building the block and merge models
        takes (the `in_blocks` placements within a block) and, with `whole`, the time
        building the whole model takes (for the polish), all from counts."""
        overhead = (RESERVE_SECONDS + placements / LP_PLACEMENTS_PER_SECOND
                    + in_blocks / BUILT_PLACEMENTS_PER_SECOND
                    + (placements / WHOLE_BUILT_PER_SECOND if whole else 0.0))
        return cls(max(0.0, seconds - overhead) * WORK_PER_SECOND)

    @classmethod
    def of_seconds(cls, seconds: float) -> WorkBudget:
        """The work of `seconds`, all of them CP-SAT's."""
        return cls(max(0.0, seconds) * WORK_PER_SECOND)

    @classmethod
    def for_polish(cls, seconds: float) -> WorkBudget:
        """The work of `seconds` on the polish's parts (at POLISH_WORK_PER_SECOND)."""
        return cls.of_seconds(seconds).at_rate(POLISH_WORK_PER_SECOND)

    def at_rate(self, rate: float) -> WorkBudget:
        """The same seconds of work on models CP-SAT works through at `rate` a second
        (this budget is counted at WORK_PER_SECOND)."""
        return WorkBudget(self.left / WORK_PER_SECOND * rate)

    def spend_at_rate(self, work: float, rate: float) -> None:
        """Take off `work` done on models CP-SAT works through at `rate` a second."""
        self.left -= work / rate * WORK_PER_SECOND

    def split(self, share: float) -> WorkBudget:
        """A `share` of what is left, taken off this budget into a budget of its own."""
        taken = self.left * share
        self.left -= taken
        return WorkBudget(taken)

    def share(self, parts: int, least: float) -> float:
        """One part's work when `parts` parts share what is left (at least `least`)."""
        return max(least, self.left / max(1, parts))

    def spend(self, results: Iterable[SolveResult]) -> None:
        """Take off the work of parts solved at once (on two cores: the larger)."""
        self.left -= max((r.work for r in results), default=0.0)

    def has(self, least: float) -> bool:
        return self.left >= least
