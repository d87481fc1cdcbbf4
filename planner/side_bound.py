"""The bound on the side: the second core tightens the bound while the first one plans.

CP-SAT plans with one deterministic worker, so on a machine with two cores one is idle.
From a few tens of thousands of placements on, CP-SAT's own bound is loose at the time
limit (the 600-PSW sample: 0.3 % after 60 s), and so is the LP bound of the block path.
A child process computes the LP bound and then the Lagrangian bound
(`planner.lagrange`), sending each lower value as it finds one; when the plan is done the
lowest value received replaces the plan's bound if it is lower. The plan itself is the
same with or without it: only its bound and gap change, and they depend on how far the
child got in the time (as CP-SAT's own bound does).

The child is forked (it needs nothing re-imported and no `__main__` guard); where fork is
not available, or there is one core, or the plan uses several CP-SAT workers, or several
plans run side by side (scenarios, insights), there is no child and plans keep their own
bound.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from multiprocessing.connection import Connection
from types import TracebackType

from planner.cores import Child, spare_core
from planner.domain import Org
from planner.results import Status
from planner.solve import SolveLimits, SolveResult, relative_gap

SIDE_FROM_CANDIDATES = 20_000  # below this CP-SAT proves its own plans optimal in seconds
# from this many the child's column generation does not converge in the time and takes
# memory bandwidth from the plan (2,000 PSWs: bound 0.03 % lower, plan 0.4 % worse)
SIDE_BELOW_CANDIDATES = 150_000


class SideBound(Child):
    """A child process that tightens the bound of `org` (canonical) for `seconds`."""

    running = True

    def __init__(self, org: Org, seconds: float):
        self.best = math.inf
        super().__init__(_tighten, org, seconds)

    def tighten(self, result: SolveResult) -> SolveResult:
        """`result` with the lowest bound the child has sent, if it is lower."""
        self._drain()
        if result.objective is None or result.bound is None or self.best >= result.bound:
            return result
        bound = max(self.best, result.objective)  # a true bound is never below a plan
        gap = relative_gap(result.objective, bound)
        status = Status.OPTIMAL if gap == 0 else result.status
        return replace(result, bound=bound, gap=gap, status=status)

    def __enter__(self) -> SideBound:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    def _drain(self) -> None:
        try:
            while self.receive.poll(0):
                self.best = min(self.best, self.receive.recv())
        except (EOFError, OSError):  # the child ended (or failed): keep what it sent
            pass


class NoSideBound:
    """Stands in where no child runs: plans keep their own bound."""

    running = False

    def tighten(self, result: SolveResult) -> SolveResult:
        return result

    def __enter__(self) -> NoSideBound:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def side_bound(org: Org, limits: SolveLimits, candidates: int) -> SideBound | NoSideBound:
    """A child tightening the bound when it can help: a model of `candidates` placements
    large enough that CP-SAT will not prove it, a spare core and fork."""
    if not side_bound_helps(candidates) or not spare_core(limits):
        return NoSideBound()
    try:
        return SideBound(org, limits.time_limit)
    except OSError:  # no process to be had (limits of the machine): keep the plan's bound
        return NoSideBound()


def side_bound_helps(candidates: int) -> bool:
    """Whether a model of `candidates` placements is in the range where the child's bound
    is worth its core."""
    return SIDE_FROM_CANDIDATES <= candidates < SIDE_BELOW_CANDIDATES


def _tighten(org: Org, seconds: float, send: Connection) -> None:
    """In the child: the LP bound, then the Lagrangian bound, each lower value sent."""
    from planner.lagrange import lagrangian_bound
    from planner.lp_bound import lp_bound

    start = time.perf_counter()
    try:
        bound = lp_bound(org)
        send.send(bound.value)
        if bound.relaxation is not None:
            left = seconds - (time.perf_counter() - start)
            lagrangian_bound(org, bound.relaxation, left, on_bound=send.send)
    except Exception:  # no bound to give, or nobody listening: the plan keeps its own
        pass
    finally:
        send.close()
