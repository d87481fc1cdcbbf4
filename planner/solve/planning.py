"""`plan(org) -> Plan`: build the model, solve it, and turn the solution into a Plan."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import UTC, datetime

from planner.core.domain import Org
from planner.core.results import Assignment, Plan, Status, Unassigned, Vacancy
from planner.core.version import __version__
from planner.solve.explain import Explainer, conflict_sentences
from planner.solve.large import blocks
from planner.solve.large.child import spare_core
from planner.solve.large.side_bound import NoSideBound, SideBound, side_bound, side_bound_helps
from planner.solve.model import BuiltModel, build_model, canonical, placement_points
from planner.solve.outcome import (
    chosen_candidates,
    compute_kpis,
    people_outcomes,
    role_infos,
    role_mix,
    service_outcomes,
)
from planner.solve.solver import Progress, SolveLimits, SolveResult, solve


def plan(
    org: Org,
    *,
    time_limit: float | None = None,
    seed: int | None = None,
    deterministic: bool = True,
    progress: Callable[[Progress], None] | None = None,
) -> Plan:
    """Plan the role mix, placements and recruitment for an organisation.

    `time_limit` and `seed` default to the org's Policy. An infeasible organisation gives
    a Plan with status `infeasible` and `conflicts` naming rules that cannot all hold.
    A large organisation (or one too large for the time limit) is planned block by block
    against the LP bound of the whole model (`planner.solve.large.blocks`); the second core, when
    there is one, tightens the bound and, given the time, finds a plan of its own
    (`planner.solve.large.side_bound`), or, where that helps little, solves every other block.
    """
    limits = limits_for(org, time_limit=time_limit, seed=seed, deterministic=deterministic)
    candidates = blocks.estimated_candidates(org)
    ordered = canonical(org)
    with side_bound(ordered, limits, candidates) as side:
        if blocks.is_large(candidates, limits.time_limit):
            try:
                built, result = blocks.plan_in_blocks(
                    ordered, limits, progress, side_by_side=not side.running and spare_core(limits))
            except blocks.BlocksFailed:
                pass  # no plan this way: the whole model finds one or names the conflict
            else:
                return _block_or_side_plan(ordered, built, result, side)
        return solve_built(org, build_model(org, prune=True), limits, progress,
                           improve=side.improve)


def uses_second_core(org: Org, limits: SolveLimits) -> bool:
    """Whether `plan(org)` with these limits, in this process, puts the second core to
    work: the bound and plan on the side (`planner.solve.large.side_bound`) or blocks two at a time
    (`planner.solve.large.blocks`). Several such plans are best made one after another, each with
    both cores: side by side, each would be a different (poorer) plan than `plan` gives."""
    candidates = blocks.estimated_candidates(org)
    return spare_core(limits) and (side_bound_helps(candidates)
                                   or blocks.is_large(candidates, limits.time_limit))


def _block_or_side_plan(org: Org, built: BuiltModel, result: SolveResult,
                        side: SideBound | NoSideBound) -> Plan:
    """The block plan, or the side child's plan when it scores more: that one is a plan
    of the whole model, which is then built to check it (a few seconds past the limit,
    on the 600-PSW sample about 3 s; only when the child's plan is there and better)."""
    if side.offers_more_than(result):
        whole = build_model(org, prune=True)
        taken = side.plan_for(whole, result)
        if taken is not None:
            return _plan_from_solution(whole.org, whole, side.tighten(taken))
    return _plan_from_solution(built.org, built, side.tighten(result))


ADDED_RULES_CONFLICT = (
    "the rules added for this analysis (a pinned placement, a minimum total) cannot hold "
    "together with the organisation's own rules"
)


def limits_for(
    org: Org, *, time_limit: float | None = None, seed: int | None = None,
    deterministic: bool = True,
) -> SolveLimits:
    """Solver limits: the arguments given, else the org's Policy."""
    return SolveLimits(
        time_limit=org.policy.time_limit if time_limit is None else time_limit,
        seed=org.policy.seed if seed is None else seed,
        deterministic=deterministic,
    )


def solve_built(
    org: Org,
    built: BuiltModel,
    limits: SolveLimits,
    progress: Callable[[Progress], None] | None = None,
    improve: Callable[[BuiltModel, SolveResult], SolveResult] | None = None,
) -> Plan:
    """Solve a built model (perhaps with constraints or an objective of the caller's own,
    as the frontier and choice menus add) and turn the solution into a Plan. `improve`
    may put a better plan in place of the one found and lower its bound
    (`planner.solve.large.side_bound`; only for the org's own model: a plan or bound of the org says
    nothing of another objective or other rules)."""
    result = solve(built, limits, progress)
    if improve is not None and result.status is Status.FEASIBLE:
        result = improve(built, result)
    if result.status is Status.INFEASIBLE:
        explained = solve(build_model(org, explain=True), limits)
        if explained.status is not Status.INFEASIBLE:  # only the caller's own rules conflict
            explained = replace(result, conflicts=[ADDED_RULES_CONFLICT])
        return _plan_without_solution(org, built, explained)
    if result.status is Status.UNKNOWN:
        return _plan_without_solution(org, built, result)
    return _plan_from_solution(built.org, built, result)


def plan_of(built: BuiltModel, result: SolveResult) -> Plan:
    """The Plan of a solution of `built` found by other means than `solve_built`."""
    return _plan_from_solution(built.org, built, result)


def _plan_from_solution(org: Org, built: BuiltModel, result: SolveResult) -> Plan:
    chosen = chosen_candidates(built, result)
    why = Explainer(built, result, chosen)
    assignments = tuple(_assignment(c, org) for c in chosen)
    vacancies = tuple(
        Vacancy(
            role_id=slot.role.role_id,
            service_id=slot.service.service_id,
            positions=n,
            fte=round(n * slot.role.fte, 2),
            cost=round(n * slot.cost_per_position * org.policy.vacancy_cost_factor, 2),
            profile=_recruit_profile(slot),
            reason=why.vacancy(slot),
        )
        for slot, n in zip(built.vacancies, result.vacancies, strict=True)
        if n > 0
    )
    placed = {c.psw.psw_id for c in chosen}
    unassigned = tuple(
        Unassigned(p.psw_id, tuple(why.unassigned(p)))
        for p in sorted(org.psws, key=lambda p: p.psw_id)
        if p.psw_id not in placed
    )
    services = service_outcomes(org, chosen, vacancies)
    people = people_outcomes(org, chosen)
    return _plan(
        org, built, result,
        assignments=assignments,
        vacancies=vacancies,
        unassigned=unassigned,
        services=services,
        role_mix=role_mix(chosen, vacancies),
        people=people,
        kpis=compute_kpis(org, chosen, vacancies, unassigned, services, people),
    )


def _plan_without_solution(org: Org, built: BuiltModel, result: SolveResult) -> Plan:
    return _plan(org, built, result, conflicts=tuple(conflict_sentences(result.conflicts, org)))


def _plan(org: Org, built: BuiltModel, result: SolveResult, **parts) -> Plan:
    return Plan(
        planner_version=__version__,
        input_sha256=org.input_sha256 or content_sha256(org),
        source=org.source,
        status=result.status,
        objective=result.objective,
        bound=result.bound,
        gap=result.gap,
        solve_seconds=round(result.seconds, 3),
        policy=_policy_dict(org),
        kpis=parts.pop("kpis", None),
        rules=tuple(built.rules),
        roles=role_infos(org),
        model_stats=built.stats or {
            "candidates": len(built.candidates),
            "vacancy_slots": len(built.vacancies),
            "variables": len(built.model.proto.variables),
            "constraints": len(built.model.proto.constraints),
        },
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        **parts,
    )


def content_sha256(org: Org) -> str:
    """A stable hash of an org built in code (no input file): keys director pseudonyms."""
    return hashlib.sha256(repr(canonical(org)).encode("utf-8")).hexdigest()


def _assignment(cand, org: Org) -> Assignment:
    return Assignment(
        psw_id=cand.psw.psw_id,
        role_id=cand.role.role_id,
        service_id=cand.service.service_id,
        fte=cand.fte,
        fit=cand.score.fit,
        autonomy=cand.score.autonomy,
        score=round(placement_points(cand, org), 2),
        components=dict(cand.score.components),
        stretch=cand.stretch,
        preference_rank=cand.preference_rank,
        stays=cand.stays,
        locked=cand.locked,
        warnings=cand.warnings,
    )


def _recruit_profile(slot) -> dict:
    """Who to recruit: the least readiness the role needs, the topics the service needs."""
    role, service = slot.role, slot.service
    wanted_topics = sorted(set(role.topics) & set(service.topics)) or list(role.topics)
    return {
        "title": role.title,
        "min_readiness": role.saliency,
        "topics": wanted_topics or sorted(service.topics),
        "setting": service.setting,
        "region": service.region,
        "min_experience": role.min_experience,
        "fte": role.fte,
    }


def _policy_dict(org: Org) -> dict:
    return {k: (v.value if hasattr(v, "value") else v) for k, v in asdict(org.policy).items()}
