"""An independent check that a plan keeps every hard rule, used by end-to-end tests."""

from __future__ import annotations

from collections import Counter, defaultdict

from planner.core import eligibility
from planner.core.domain import PSW, LonePeer, Org, Role
from planner.core.results import Assignment, Plan

TOL = 1e-6


def assert_plan_keeps_the_rules(org: Org, plan: Plan) -> None:
    psws, roles, services = org.psws_by_id, org.roles_by_id, org.services_by_id
    per_person: dict[str, float] = defaultdict(float)
    per_service: dict[str, float] = defaultdict(float)
    peers: Counter[str] = Counter()
    cost = 0.0
    for a in plan.assignments:
        p, r, s = psws[a.psw_id], roles[a.role_id], services[a.service_id]
        if not a.locked:
            assert eligibility.placement_block(p, r, s) is None, a
            _assert_ready_for_every_target(p, r, a)
        assert a.fte == round(min(p.available_fte, r.fte), 2)
        per_person[a.psw_id] += a.fte
        if not r.supervisor:  # a supervisor is not frontline cover
            per_service[a.service_id] += a.fte
        peers[a.service_id] += 1
        cost += a.fte * r.cost_per_fte
    for v in plan.vacancies:
        if not roles[v.role_id].supervisor:
            per_service[v.service_id] += v.fte
        cost += v.cost
        assert eligibility.role_service_block(roles[v.role_id], services[v.service_id]) is None
    for psw_id, fte in per_person.items():
        assert fte <= psws[psw_id].available_fte + TOL
    for sid, fte in per_service.items():
        assert fte <= services[sid].demand_fte + TOL, sid
    if org.policy.budget is not None:
        assert cost <= org.policy.budget + 1e-6
    if org.policy.lone_peer is LonePeer.FORBID:
        for sid, n in peers.items():
            assert n >= (services[sid].min_peers or org.policy.min_peers)
    _assert_supervised(org, plan)
    _assert_within_region_budgets(org, plan)
    for p in org.psws:
        if p.lock:
            assert any(a.psw_id == p.psw_id and a.locked for a in plan.assignments)
    assert_kpis_add_up(plan)


def _assert_ready_for_every_target(p: PSW, r: Role, a: Assignment) -> None:
    """Worked out from the workbook's columns, not from `eligibility`: the person reaches
    the role's saliency with each of its targets, or is one level short with one target
    and accepts stretch; the placement is a stretch exactly when short somewhere."""
    asked = {"service_users": r.saliency, "staff": r.saliency_staff or r.saliency,
             "leadership": r.saliency_leadership or r.saliency}
    ready = {"service_users": p.readiness, "staff": p.readiness_staff or p.readiness,
             "leadership": p.readiness_leadership or p.readiness}
    short = [asked[t] - ready[t] for t in r.targets or ("service_users",)
             if asked[t] > ready[t]]
    assert not short or (p.stretch and short == [1]), a
    assert a.stretch == bool(short), a


def _assert_within_region_budgets(org: Org, plan: Plan) -> None:
    """Per region with a budget (the Regions sheet), its services' positions, filled (FTE x
    cost per FTE) and to recruit (as booked), cost no more than it; plan.json says so."""
    services = org.services_by_id
    cost: dict[str | None, float] = defaultdict(float)
    for a in plan.assignments:
        cost[services[a.service_id].region] += a.fte * org.roles_by_id[a.role_id].cost_per_fte
    for v in plan.vacancies:
        cost[services[v.service_id].region] += v.cost
    budgets = {r.region: r.budget for r in org.regions if r.budget is not None}
    for region, budget in budgets.items():
        assert cost[region] <= budget + 1e-6, region
    assert {(c.region, c.budget) for c in plan.regions} == {
        (region, budget) for region, budget in budgets.items()
        if any(s.region == region for s in org.services)}
    for shown in plan.regions:
        assert abs(shown.cost - cost[shown.region]) < 0.01, shown.region


def _assert_supervised(org: Org, plan: Plan) -> None:
    """Per region, the supervisor positions (placed or to recruit) are the need of its
    placed staff, one per `supervisor_span` rounded up: no fewer, and no more besides the
    locked ones."""
    roles, services = org.roles_by_id, org.services_by_id
    if not any(r.supervisor for r in org.roles):
        return
    supervisors: Counter[str] = Counter()
    staff: Counter[str] = Counter()
    locked: Counter[str] = Counter()
    for a in plan.assignments:
        region = services[a.service_id].region or ""
        (supervisors if roles[a.role_id].supervisor else staff)[region] += 1
        locked[region] += a.locked and roles[a.role_id].supervisor
    for v in plan.vacancies:
        if roles[v.role_id].supervisor:
            supervisors[services[v.service_id].region or ""] += v.positions
    span = org.policy.supervisor_span
    for region in set(staff) | set(supervisors):
        need = -(-staff[region] // span)
        assert need <= supervisors[region] <= need + locked[region], region


def assert_kpis_add_up(plan: Plan) -> None:
    k = plan.kpis
    supervisor = {r.role_id for r in plan.roles if r.supervisor}
    filled = sum(a.fte for a in plan.assignments if a.role_id not in supervisor)
    assert abs(k.filled_fte - filled) < 0.01
    assert k.placed + k.unassigned == len(plan.people)
    assert k.vacancies == sum(v.positions for v in plan.vacancies)
    assert abs(sum(s.filled_fte for s in plan.services) - filled) < 0.05
