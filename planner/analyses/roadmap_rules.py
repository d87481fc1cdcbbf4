"""The rules a roadmap adds to each year's model (`solve.edits.Edit`s).

A roadmap plans year by year (`analyses.roadmap`); each year's model is `plan`'s, with
every rule of it, and these on top:

- `SupportedStretch`: a stretch placement needs a peer supervisor in post in its region
  (at most `stretch_per_supervisor` each), so that every stretch is supported and counts
  towards readiness (competence grown with support, not strain);
- `RecruitableOnly`: a position to recruit only for roles the people one can recruit
  (Policy `hire_readiness`, `hire_experience`) may take;
- `KeepRecruiting`: positions recruited for in an earlier year whose hires are not in
  post yet stay open;
- `Progression`: points for a step up, a supported stretch or a move to a higher saliency
  role of the same career track (autonomy over one's career, competence grown), valued as
  next year's (`roadmap_discount`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from planner.core import eligibility
from planner.core.domain import PSW, Org, Role
from planner.solve.candidates import Candidate
from planner.solve.edits import Edit
from planner.solve.greedy import greedy_start
from planner.solve.model import SCALE, BuiltModel, build_model, hundredths
from planner.solve.values import PlanValues


@dataclass(frozen=True)
class SupportedStretch:
    """Stretch placements of a region: at most `per_supervisor` per peer supervisor placed
    there (a supervisor position still to recruit supports nobody yet)."""

    per_supervisor: int

    def apply(self, built: BuiltModel) -> None:
        stretch: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        supervisors: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for var, cand in zip(built.x, built.candidates, strict=True):
            region = cand.service.region or ""
            if cand.stretch:
                stretch[region].append(var)
            if cand.role.supervisor:
                supervisors[region].append(var)
        for region, xs in sorted(stretch.items()):
            support = cp_model.LinearExpr.sum(supervisors[region]) if supervisors[region] else 0
            built.model.add(cp_model.LinearExpr.sum(xs) <= self.per_supervisor * support)
        built.rules.append(f"supported stretch: at most {self.per_supervisor} stretch "
                           "placements per peer supervisor placed in the region")


def recruitable(role: Role, readiness: int, experience: int) -> bool:
    """Whether a new hire of this readiness (every target) and experience may take the
    role (no stretch: a new hire is not placed above their readiness)."""
    hire = new_hire("hire", role, readiness, experience, available_fte=role.fte)
    return eligibility.person_role_block(hire, role) is None


def new_hire(psw_id: str, role: Role, readiness: int, experience: int,
             available_fte: float, **placement: object) -> PSW:
    """A person recruited for `role`: the hire profile, the role's topics as lived
    experience, ready for every target at `readiness`."""
    return PSW(psw_id, readiness, available_fte, name=f"New hire ({role.title})",
               topics=role.topics, experience=experience, readiness_staff=readiness,
               readiness_leadership=readiness, **placement)  # type: ignore[arg-type]


@dataclass(frozen=True)
class RecruitableOnly:
    """No position to recruit for a role the people one can recruit may not take."""

    readiness: int
    experience: int

    def apply(self, built: BuiltModel) -> None:
        for slot in built.vacancies:
            if not recruitable(slot.role, self.readiness, self.experience):
                built.model.add(slot.var == 0)
        built.rules.append(f"recruitable: positions to recruit only for roles a new hire "
                           f"(readiness {self.readiness}, experience {self.experience}) "
                           "may take")


@dataclass(frozen=True)
class KeepRecruiting:
    """Positions ((role_id, service_id), count) recruited for earlier, not in post yet."""

    positions: tuple[tuple[tuple[str, str], int], ...]

    def apply(self, built: BuiltModel) -> None:
        wanted = dict(self.positions)
        for slot in built.vacancies:
            if slot.key in wanted:
                built.model.add(slot.var >= min(wanted[slot.key], slot.max_positions))
        if wanted:
            built.rules.append("recruiting: positions recruited for in an earlier year stay "
                               "open until their hires are in post")


@dataclass(frozen=True)
class Progression:
    """`points` per FTE for each step up: a (supported) stretch placement, or a role of
    higher saliency on the career track of the person's current role."""

    points: float

    def apply(self, built: BuiltModel) -> None:
        org = built.org
        extra = [(var, hundredths(self.points * cand.fte))
                 for var, cand in zip(built.x, built.candidates, strict=True)
                 if is_step_up(cand, org.roles_by_id)]
        if not extra or self.points == 0:
            return
        built.objective_terms = [*built.objective_terms, *extra]
        built.model.maximize(cp_model.LinearExpr.weighted_sum(
            [v for v, _ in built.objective_terms], [c for _, c in built.objective_terms]))
        built.rules.append(f"progression: {self.points:g} points per FTE of a step up")


def is_step_up(cand: Candidate, roles: dict[str, Role]) -> bool:
    """A stretch placement, or a move up the career track of the person's current role."""
    if cand.stretch:
        return True
    current = roles.get(cand.psw.current_role or "")
    return bool(current and current.career_track
                and current.career_track == cand.role.career_track
                and cand.role.saliency > current.saliency)


def greedy_roadmap_start(org: Org, edits: tuple[Edit, ...], readiness: int,
                         experience: int) -> PlanValues:
    """The greedy plan (`solve.greedy`) of `org`'s model with `edits`, valued as the
    edited objective, without stretch placements (a locked one aside) and recruiting
    only for roles a new hire may take: a start that keeps the roadmap's rules wherever
    the greedy plan keeps the model's, so a large organisation's year is improved part by
    part from it rather than searched whole."""
    built = build_model(org)
    for edit in edits:
        edit.apply(built)
    value = {var.index: coef / SCALE for var, coef in built.objective_terms}
    kept = [i for i, c in enumerate(built.candidates) if c.locked or not c.stretch]
    view = replace(built, candidates=[built.candidates[i] for i in kept],
                   x=[built.x[i] for i in kept],
                   points=[value.get(built.x[i].index, 0.0) for i in kept],
                   vacancies=[slot for slot in built.vacancies
                              if recruitable(slot.role, readiness, experience)])
    return greedy_start(view)
