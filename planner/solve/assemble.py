"""A solution of a model turned into the Plan that plan.json, the reports and the analyses
read: assignments, vacancies, who is unassigned and why, the tables and the KPIs."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, replace
from datetime import UTC, datetime

from planner.core.domain import Org, Target
from planner.core.formatting import in_currency
from planner.core.results import Assignment, Plan, ServiceOutcome, Unassigned, Vacancy
from planner.core.version import __version__
from planner.solve.candidates import Candidate
from planner.solve.explain import Explainer, conflict_sentences
from planner.solve.model import BuiltModel, VacancySlot, canonical, placement_points
from planner.solve.outcome import (
    chosen_candidates,
    compute_kpis,
    people_outcomes,
    region_costs,
    role_infos,
    role_mix,
    service_outcomes,
)
from planner.solve.solver import SolveResult


def plan_of(built: BuiltModel, result: SolveResult) -> Plan:
    """The Plan of a solution of `built`: placements, vacancies, reasons, tables, KPIs."""
    with in_currency(built.org.policy.currency):  # the reasons state amounts
        return _plan_of(built, result)


def _plan_of(built: BuiltModel, result: SolveResult) -> Plan:
    org = built.org
    chosen = chosen_candidates(built, result)
    why = Explainer(built, result, chosen)
    assignments = tuple(_assignment(c, org) for c in chosen)
    vacancies = tuple(
        Vacancy(
            role_id=slot.role.role_id,
            service_id=slot.service.service_id,
            positions=n,
            fte=round(n * slot.role.fte, 2),
            cost=round(n * slot.booked_cost, 2),
            profile=_recruit_profile(slot),
            reason=why.vacancy(slot),
        )
        for slot, n in zip(built.vacancies, result.values.vacancies(built), strict=True)
        if n > 0
    )
    placed = {c.psw.psw_id for c in chosen}
    unassigned = tuple(
        Unassigned(p.psw_id, tuple(why.unassigned(p)), why.unassigned_reason(p))
        for p in sorted(org.psws, key=lambda p: p.psw_id)
        if p.psw_id not in placed
    )
    services = tuple(_with_shortfall(s, why, org)
                     for s in service_outcomes(org, chosen, vacancies))
    people = people_outcomes(org, chosen)
    return _plan(
        org, built, result,
        assignments=assignments,
        vacancies=vacancies,
        unassigned=unassigned,
        services=services,
        regions=region_costs(org, chosen, vacancies),
        role_mix=role_mix(chosen, vacancies),
        people=people,
        kpis=compute_kpis(org, chosen, vacancies, unassigned, services, people),
    )


def _with_shortfall(outcome: ServiceOutcome, why: Explainer, org: Org) -> ServiceOutcome:
    found = why.shortfall(org.services_by_id[outcome.service_id], outcome.unmet_fte)
    if found is None:
        return outcome
    return replace(outcome, shortfall_cause=found.cause, shortfall=found.sentence)


def plan_without_solution(org: Org, built: BuiltModel, result: SolveResult) -> Plan:
    """The Plan when there is no solution: the status, and the conflict when infeasible."""
    with in_currency(org.policy.currency):
        conflicts = tuple(conflict_sentences(list(result.conflicts), org))
    return _plan(org, built, result, conflicts=conflicts)


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
        model_stats=built.size(),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        **parts,
    )


def content_sha256(org: Org) -> str:
    """A stable hash of an org built in code (no input file): keys director pseudonyms."""
    return hashlib.sha256(repr(canonical(org)).encode("utf-8")).hexdigest()


def _assignment(cand: Candidate, org: Org) -> Assignment:
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


def _recruit_profile(slot: VacancySlot) -> dict:
    """Who to recruit: the least readiness the role needs, the topics the service needs."""
    role, service = slot.role, slot.service
    wanted_topics = sorted(set(role.topics) & set(service.topics)) or list(role.topics)
    return {
        "title": role.title,
        # readiness asked with service users (None: a role that does not disclose to
        # them), and with each other target ({"staff": 3})
        "min_readiness": role.asks.get(Target.SERVICE_USERS.value),
        "min_readiness_by_target": {t: s for t, s in role.asks.items()
                                    if t != Target.SERVICE_USERS},
        "topics": wanted_topics or sorted(service.topics),
        "setting": service.setting,
        "region": service.region,
        "min_experience": role.min_experience,
        "fte": role.fte,
    }


def _policy_dict(org: Org) -> dict:
    return {k: (v.value if hasattr(v, "value") else v) for k, v in asdict(org.policy).items()}
