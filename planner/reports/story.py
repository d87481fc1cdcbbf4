"""Plain-language text from a Plan: the console summary and `planner explain` stories.

Works from the Plan alone (read back from plan.json). The console summary holds no
personal data: no names, readiness or topics (README, Privacy).
"""

from __future__ import annotations

from planner.core.domain import TARGET_WORDS
from planner.core.errors import UsageError
from planner.core.results import Person, Plan, Status


def summary_lines(plan: Plan) -> list[str]:
    """A short console summary: status, proof, and the headline numbers."""
    lines = [f"status: {plan.status.value}  (solved in {plan.solve_seconds:.1f} s)"]
    if plan.status in (Status.INFEASIBLE, Status.UNKNOWN):
        if plan.status is Status.INFEASIBLE:
            lines.append("No plan satisfies all the rules. These cannot all hold:")
            lines += [f"  - {c}" for c in plan.conflicts]
        else:
            lines.append("The time limit passed before any plan was found; "
                         "raise --time-limit.")
        return lines
    k = plan.kpis
    assert k is not None
    proof = "proven optimal" if plan.status is Status.OPTIMAL else f"gap {plan.gap:.2%}"
    budget = f" of {k.budget:,.0f}" if k.budget is not None else ""
    lines += [
        f"objective: {plan.objective:,.2f}  bound: {plan.bound:,.2f}  ({proof})",
        f"coverage: {k.coverage:.0%} of {k.demand_fte:g} FTE demand filled, "
        f"{k.planned_coverage:.0%} with {k.vacancies} position(s) to recruit",
        f"placed: {k.placed}  unassigned: {k.unassigned}  moves: {k.moves}  "
        f"stretch placements: {k.stretch_placements}  lone peers: {k.lone_peers}",
        f"mean fit: {k.mean_fit:.1f}  mean autonomy: {k.mean_autonomy:.1f}  "
        f"top choice: {k.top_choice_share:.0%}",
        f"cost: {k.cost:,.0f}{budget}  saliency tiers offered: {k.saliency_tiers_offered}",
    ]
    return lines


def story(plan: Plan, item_id: str) -> str:
    """The story of one person (psw_id) or one service (service_id) in plain language."""
    person = next((p for p in plan.people if p.psw_id == item_id), None)
    if person is not None:
        return _person_story(plan, item_id)
    if any(s.service_id == item_id for s in plan.services):
        return _service_story(plan, item_id)
    raise UsageError(f"no person or service with id '{item_id}' in this plan")


def _person_story(plan: Plan, psw_id: str) -> str:
    placements = [a for a in plan.assignments if a.psw_id == psw_id]
    person = next(p for p in plan.people if p.psw_id == psw_id)
    lines = [f"{psw_id}:"]
    lines += [f"  {u.reason}" for u in plan.unassigned if u.psw_id == psw_id and u.reason]
    if person.current_role and person.current_service:
        today = f"{person.current_role} at {person.current_service}"
        lines.append(f"  loses their post today, {today}." if person.moved
                     else f"  keeps their post today, {today}.")
    for a in placements:
        rank = f"their choice #{a.preference_rank}" if a.preference_rank else "not among their "\
            "stated preferences"
        lines.append(f"  placed as {a.role_id} at {a.service_id} ({a.fte:g} FTE), {rank}.")
        lines.append(f"  fit {a.fit:.0f}/100, autonomy {a.autonomy:.0f}/100; points:")
        lines += [f"    {name.replace('_', ' ')}: {pts:g}" for name, pts in a.components.items()]
        lines += _target_lines(plan, person, a.role_id)
        if a.stretch:
            lines.append("  a stretch placement: one saliency level above readiness, "
                         "needs support.")
        if a.stays:
            lines.append("  keeps their current placement.")
        lines += [f"  warning: {w}" for w in a.warnings]
    for u in (u for u in plan.unassigned if u.psw_id == psw_id):
        lines.append("  not placed; in detail:")
        lines += [f"    {reason}" for reason in u.reasons]
    return "\n".join(lines)


def _target_lines(plan: Plan, person: Person, role_id: str) -> list[str]:
    """For a role that discloses beyond service users: whom to, what it asks of each
    target and how ready the person is with each."""
    role = next((r for r in plan.roles if r.role_id == role_id), None)
    if role is None or tuple(role.targets) == ("service_users",):
        return []
    ready = {"service_users": person.readiness,
             "staff": person.readiness_staff or person.readiness,
             "leadership": person.readiness_leadership or person.readiness}
    asks = "; ".join(f"{TARGET_WORDS[t]}: asks {role.asks.get(t, role.saliency)}, ready at "
                     f"{ready[t]}" for t in role.targets)
    return [f"  discloses mainly to {TARGET_WORDS[role.main_target]} ({asks})."]


def _service_story(plan: Plan, service_id: str) -> str:
    s = next(s for s in plan.services if s.service_id == service_id)
    lines = [
        f"{service_id} ({s.name}, {s.setting}, climate {s.climate}):",
        f"  demand {s.demand_fte:g} FTE: {s.filled_fte:g} filled, {s.vacant_fte:g} to "
        f"recruit, {s.unmet_fte:g} unmet; {s.peers} PSW(s).",
    ]
    if s.shortfall:
        lines.append(f"  {s.shortfall}")
    if s.lone_peer:
        lines.append("  a lone peer: only one PSW in the team.")
    for a in (a for a in plan.assignments if a.service_id == service_id):
        lines.append(f"  {a.psw_id} as {a.role_id} ({a.fte:g} FTE): fit {a.fit:.0f}, "
                     f"autonomy {a.autonomy:.0f}")
    for v in (v for v in plan.vacancies if v.service_id == service_id):
        lines.append(f"  recruit {v.positions} x {v.role_id} ({v.fte:g} FTE): {v.reason}")
    return "\n".join(lines)
