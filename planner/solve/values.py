"""A plan's values: the one type that carries a plan between the solver, its parts and
processes, and the Plan.

A plan decides two things: who is placed where, and how many positions of each role each
service recruits for. `PlanValues` holds them by ids, so they mean the same in every
model of the organisation (rebuilt, a block's, one with rules or an objective added),
pickle to another process, and serve as a solver's start. Turning them into a model's
variables (and back) are its methods; the helper variables (lone peers, tiers offered)
follow from the decisions by the model's own `derived` rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from planner.core.results import Plan
from planner.solve.candidates import Candidate, dominating
from planner.solve.model import BuiltModel, placement_points

PlacementKey = tuple[str, str, str]  # (psw_id, role_id, service_id)
PositionKey = tuple[str, str]  # (role_id, service_id) of positions to recruit for


@dataclass(frozen=True)
class PlanValues:
    """The placements a plan makes and the positions it recruits for, by ids."""

    placements: frozenset[PlacementKey] = frozenset()
    positions: Mapping[PositionKey, int] = field(default_factory=dict)  # counts above 0

    def __post_init__(self) -> None:
        kept = {key: n for key, n in sorted(self.positions.items()) if n > 0}
        object.__setattr__(self, "positions", kept)

    # -- made from --------------------------------------------------------------------

    @classmethod
    def of_plan(cls, plan: Plan) -> PlanValues:
        return cls(frozenset((a.psw_id, a.role_id, a.service_id) for a in plan.assignments),
                   {(v.role_id, v.service_id): v.positions for v in plan.vacancies})

    @classmethod
    def of_model(cls, built: BuiltModel, chosen: Iterable[int],
                 vacancies: Sequence[int]) -> PlanValues:
        """From a model's candidate indices placed and positions per vacancy slot."""
        return cls(frozenset(built.candidates[i].key for i in chosen),
                   {slot.key: int(n) for slot, n in zip(built.vacancies, vacancies, strict=True)})

    @classmethod
    def of_variables(cls, built: BuiltModel, values: np.ndarray) -> PlanValues:
        """From the value of every variable of the model (by proto index)."""
        x_index = np.fromiter((var.index for var in built.x), dtype=np.int64, count=len(built.x))
        chosen = np.flatnonzero(values[x_index]).tolist()
        return cls.of_model(built, chosen, [int(values[s.var.index]) for s in built.vacancies])

    # -- read on a model --------------------------------------------------------------

    def chosen(self, built: BuiltModel) -> list[int]:
        """The model's candidate indices of the placements it holds, ascending."""
        index = built.candidate_index
        return sorted(index[key] for key in self.placements if key in index)

    def vacancies(self, built: BuiltModel) -> list[int]:
        """Positions per vacancy slot of the model, at most as many as the slot holds."""
        return [min(self.positions.get(slot.key, 0), slot.max_positions)
                for slot in built.vacancies]

    def fits(self, built: BuiltModel) -> bool:
        """Whether the model holds every placement and position of the plan."""
        index, slots = built.candidate_index, {s.key: s for s in built.vacancies}
        return (all(key in index for key in self.placements)
                and all(key in slots and n <= slots[key].max_positions
                        for key, n in self.positions.items()))

    def undominated(self, built: BuiltModel) -> PlanValues:
        """The plan with each placement the model left out as dominated (`built.dominated`,
        a pruned model) swapped for one of the model's that dominates it: a plan of the
        model, keeping every rule and scoring no less. Another model's search (near the
        LP, of the blocks' placements) may have chosen either of two placements that tie.
        As it is when it holds a placement that is neither."""
        index = built.candidate_index
        missing = [key for key in self.placements if key not in index]
        if not missing:
            return self
        weak = {c.key: c for c in built.dominated}
        people = {key[0] for key in missing}
        own: dict[str, list[Candidate]] = defaultdict(list)
        for cand in built.candidates:
            if cand.psw.psw_id in people:
                own[cand.psw.psw_id].append(cand)
        swaps: dict[PlacementKey, PlacementKey] = {}
        for key in missing:
            strong = None if key not in weak else dominating(
                weak[key], own[key[0]], lambda c: placement_points(c, built.org))
            if strong is None:
                return self
            swaps[key] = strong.key
        return PlanValues(frozenset(swaps.get(key, key) for key in self.placements),
                          self.positions)

    def variables(self, built: BuiltModel) -> dict[int, int]:
        """The value of every variable of the model (by proto index): the decisions the
        model holds (others are left out), the helpers derived from them."""
        placed = set(self.chosen(built))
        values = {var.index: int(i in placed) for i, var in enumerate(built.x)}
        for slot, n in zip(built.vacancies, self.vacancies(built), strict=True):
            values[slot.var.index] = n
        for var, rule in built.derived:
            values[var.index] = rule(values)
        return values

    def array(self, built: BuiltModel) -> np.ndarray:
        """`variables` as one array over every variable of the model."""
        values = np.zeros(len(built.model.proto.variables), dtype=np.int64)
        pairs = self.variables(built)
        values[list(pairs)] = list(pairs.values())
        return values

    # -- changed ----------------------------------------------------------------------

    def joined(self, other: PlanValues) -> PlanValues:
        """Both plans at once (parts of one organisation with no person or position in
        common, such as two blocks)."""
        return PlanValues(self.placements | other.placements,
                          {**self.positions, **other.positions})

    def count(self) -> int:
        """Placements and positions to recruit for, in all."""
        return len(self.placements) + sum(self.positions.values())
