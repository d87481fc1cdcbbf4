"""Parts of a plan re-solved on a model of the part's neighbourhood, not of the whole.

`polish` re-solves a plan a few services at a time with the rest held. On the whole model
that needs the whole model built first: seconds per 100,000 placements, more than a
minute's run can spare from 2,000 PSWs on. Yet a part's own model (`submodel`) only ever
holds the free services' placements of the people it may move (those placed in the free
services, and those placed nowhere); every other placement is held at the plan's value,
which is 1 for the plan's own placements and 0 for the rest.

So each part here is solved on the model of the placements that can be other than 0: the
plan's own placements (held, outside the free services) and every placement of the free
services open to the people it may move, dominated ones left out as the whole model
leaves them out (`candidates.drop_dominated`). It is built with every rule of the whole
model (`build_model(placements=...)`), so a plan it gives keeps every rule of the whole
model and scores there what it scores here. Building it takes 0.1 to 0.7 s for a dozen
services (1,000 to 5,000 PSWs); the part's own model is then the same as on the whole
model.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace

from planner.core.domain import Org
from planner.solve.candidates import Candidate, drop_dominated, enumerate_candidates
from planner.solve.large.polish import PartSolver
from planner.solve.model import BuiltModel, build_model, placement_points
from planner.solve.solver import SolveResult
from planner.solve.values import PlacementKey, PlanValues

MIN_SEARCH_SECONDS = 0.05  # a part whose build took its time still gets this long to search


class NeighbourhoodParts:
    """Solves parts of a (canonical) organisation's plans, each on the model of its
    neighbourhood (see the module docstring); `known` holds at least every placement of
    the plans it is given."""

    def __init__(self, org: Org, known: list[Candidate]):
        self.org = org
        self.known: dict[PlacementKey, Candidate] = {c.key: c for c in known}
        self.work = 0.0  # CP-SAT's deterministic time over every part solved
        self.parts = 0  # parts solved

    def solve(self, plan: PlanValues, free: set[str], work: float, seconds: float, seed: int,
              hint: PlanValues | None = None) -> SolveResult | None:
        """The best plan CP-SAT finds within `work` and `seconds` that keeps `plan`
        outside the `free` services, from `hint`; None when it finds none. Building the
        part's model counts in its `seconds`."""
        deadline = time.perf_counter() + seconds
        built = self.model(plan, free)
        solver = PartSolver(built)
        found = solver.solve(plan, free, work, max(MIN_SEARCH_SECONDS,
                                                   deadline - time.perf_counter()), seed, hint)
        self.work += solver.work
        self.parts += solver.parts
        if found is not None:
            self.known.update((c.key, c) for c in built.candidates
                              if c.key in found.values.placements)
        return found

    def model(self, plan: PlanValues, free: set[str]) -> BuiltModel:
        """The model of the plan's placements and the free services' placements open to
        the people placed in them or nowhere."""
        placed = {psw for psw, _, _ in plan.placements}
        inside = {psw for psw, _, service in plan.placements if service in free}
        movable = replace(
            self.org,
            services=tuple(s for s in self.org.services if s.service_id in free),
            psws=tuple(p for p in self.org.psws if p.psw_id in inside or p.psw_id not in placed),
        )
        open_here = self.allowed(movable)
        held = [self.known[key] for key in sorted(plan.placements) if key[2] not in free]
        return build_model(self.org, placements=sorted(held + open_here, key=_order))

    def allowed(self, movable: Org) -> list[Candidate]:
        """Every placement of `movable` that the whole model holds (none dominated)."""
        allowed = enumerate_candidates(movable)
        if self.org.policy.max_positions_per_psw > 1:
            return allowed  # the whole model keeps them all: a person may hold both
        points = {id(c): placement_points(c, self.org) for c in allowed}
        return drop_dominated(allowed, lambda c: points[id(c)])

    def view(self, built: BuiltModel, plan: PlanValues) -> BuiltModel:
        """`built` (a view of the organisation's placements, as `blocks.join` makes), with
        the plan's placements it lacks added, so the plan reads on it."""
        return with_placements(built, plan, self.known)


def with_placements(built: BuiltModel, plan: PlanValues,
                    known: Mapping[PlacementKey, Candidate]) -> BuiltModel:
    """A view `built` of the organisation's placements (as `blocks.join` makes), with the
    plan's placements it lacks (from `known`) added, so the plan reads on it. The view's
    `x` then come from more than one model: `PlanValues.variables` does not apply."""
    index = built.candidate_index
    extra = [known[key] for key in sorted(plan.placements) if key not in index]
    if not extra:
        return built
    x = [built.model.new_bool_var(f"x[{c.key}]") for c in extra]
    points = [placement_points(c, built.org) for c in extra]
    return replace(built, candidates=built.candidates + extra, x=built.x + x,
                   points=built.points + points)


def _order(cand: Candidate) -> tuple[str, str, str]:
    """The whole model's order of placements: by person, then role and service."""
    return cand.key
