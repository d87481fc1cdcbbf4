"""What the HTML report's templates show: the Plan (viewed for its audience) shaped into rows.

Pure functions from a Plan to small frozen rows; the templates only format and lay out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from planner.core.audience import Audience, privacy_k
from planner.core.domain import TARGET_WORDS, TARGETS
from planner.core.glossary import GLOSSARY, KEY_TERMS, STATUS_MEANINGS
from planner.core.kpis import KPIS
from planner.core.results import Assignment, Plan, RoleInfo, ServiceOutcome, Vacancy
from planner.core.scoring import AUTONOMY_COMPONENTS, FIT_COMPONENTS
from planner.reports.charts import report_charts
from planner.reports.narrative import (
    CLIMATE_DEFINITION,
    climate_barred,
    executive_summary,
)
from planner.workbook.schema import POLICY_NOTES

# A service needs attention when more than this share of its demand stays unmet.
UNMET_SHARE = 0.10
ATTENTION_DEFINITION = (
    f"A service needs attention when its disclosure climate keeps out a role its setting "
    f"allows (the role's minimum climate is higher), when it has a lone peer (a single PSW "
    f"in the team), or when more than {UNMET_SHARE:.0%} of its demand is neither filled nor "
    f"planned for recruitment; the Why column says which, and why demand stays unmet."
)
# Short names of the score components (scoring.py), for the HR placements table.
COMPONENT_LABELS = {
    "readiness_match": "readiness",
    "topic_overlap": "topics",
    "climate_support": "climate",
    "experience_headroom": "experience",
    "role_preference": "role choice",
    "setting_preference": "setting choice",
    "continuity": "continuity",
    "freedom_to_disclose": "freedom",
}


@dataclass(frozen=True)
class RoleTotal:
    """One role of the catalogue with its positions across all services."""

    role: RoleInfo
    filled_positions: int
    vacant_positions: int
    filled_fte: float
    vacant_fte: float


@dataclass(frozen=True)
class MixRow:
    """One (service, role) cell of the role mix."""

    service: ServiceOutcome | None
    service_id: str
    role_title: str
    role_id: str
    saliency: int | None
    filled_positions: int
    vacant_positions: int
    filled_fte: float
    vacant_fte: float


@dataclass(frozen=True)
class Attention:
    service: ServiceOutcome
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Placement:
    assignment: Assignment
    name: str
    role_title: str
    service_name: str
    points: tuple[str, ...]  # HR only: fit and autonomy points, one line each


@dataclass(frozen=True)
class UnassignedGroup:
    """People left unassigned for the same (neutral) reasons; the count is of people."""

    reasons: tuple[str, ...]
    people: int


def report_context(view: Plan, audience: Audience) -> dict[str, Any]:
    """Everything the templates need, from a plan already viewed for `audience`."""
    roles = {r.role_id: r for r in view.roles}
    services = {s.service_id: s for s in view.services}
    names = {p.psw_id: p.name for p in view.people}
    return {
        "plan": view,
        "kpis": view.kpis,
        "audience": audience.value,
        "director": audience is Audience.DIRECTOR,
        "k": privacy_k(view),
        "summary": executive_summary(view, audience),
        "charts": report_charts(view) if view.kpis else [],
        "role_totals": role_totals(view),
        "target_totals": target_totals(view),
        "mix_rows": mix_rows(view, roles, services),
        "mix_totals": mix_totals(view),
        "vacancies": [(v, roles.get(v.role_id), services.get(v.service_id))
                      for v in view.vacancies],
        "vacancy_totals": vacancy_totals(view.vacancies),
        "attention": attention(view),
        "placements": placements(view, roles, services, names),
        "unassigned_groups": unassigned_groups(view),
        "names": names,
        "weights": {k: v for k, v in view.policy.items()
                    if k.startswith(("weight_", "penalty_"))},
        "policy_notes": POLICY_NOTES,
        "climate_definition": CLIMATE_DEFINITION,
        "attention_definition": ATTENTION_DEFINITION,
        **plain_words(view),
    }


def plain_words(plan: Plan) -> dict[str, Any]:
    """What the report says in words a director uses: the reading key before the first
    figure, each key figure's meaning, what the status means, the glossary."""
    return {
        "reading_key": KEY_TERMS,
        "kpi_meanings": {key: kpi.meaning for key, kpi in KPIS.items()},
        "status_meaning": STATUS_MEANINGS.get(plan.status.value, ""),
        "glossary": GLOSSARY,
    }


def role_totals(plan: Plan) -> list[RoleTotal]:
    """Positions and FTE per role over all services, by saliency then role id."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0.0])
    for cell in plan.role_mix:
        row = sums[cell.role_id]
        row[0] += cell.filled_positions
        row[1] += cell.vacant_positions
        row[2] += cell.filled_fte
        row[3] += cell.vacant_fte
    return [
        RoleTotal(r, int(sums[r.role_id][0]), int(sums[r.role_id][1]),
                  round(sums[r.role_id][2], 2), round(sums[r.role_id][3], 2))
        for r in sorted(plan.roles, key=lambda r: (r.saliency, r.role_id))
        if r.role_id in sums
    ]


@dataclass(frozen=True)
class TargetTotal:
    """The positions of the roles that disclose mainly to one target (service users,
    staff, leadership), over all services."""

    target: str
    words: str  # 'service users', 'staff', 'leaders'
    roles: tuple[RoleInfo, ...]
    filled_positions: int
    vacant_positions: int
    filled_fte: float
    vacant_fte: float


def target_totals(plan: Plan) -> list[TargetTotal]:
    """The role mix by the target each role discloses mainly to, every target listed."""
    totals = role_totals(plan)
    rows = []
    for target in TARGETS:
        mine = [t for t in totals if t.role.main_target == target]
        rows.append(TargetTotal(
            target, TARGET_WORDS[target], tuple(t.role for t in mine),
            sum(t.filled_positions for t in mine), sum(t.vacant_positions for t in mine),
            round(sum(t.filled_fte for t in mine), 2), round(sum(t.vacant_fte for t in mine), 2)))
    return rows


def mix_rows(plan: Plan, roles: dict[str, RoleInfo],
             services: dict[str, ServiceOutcome]) -> list[MixRow]:
    """The role mix cell by cell (services × roles), in service then role order."""
    rows = []
    for cell in plan.role_mix:
        role = roles.get(cell.role_id)
        rows.append(MixRow(
            service=services.get(cell.service_id),
            service_id=cell.service_id,
            role_title=role.title if role else cell.role_id,
            role_id=cell.role_id,
            saliency=role.saliency if role else None,
            filled_positions=cell.filled_positions,
            vacant_positions=cell.vacant_positions,
            filled_fte=cell.filled_fte,
            vacant_fte=cell.vacant_fte,
        ))
    return rows


def mix_totals(plan: Plan) -> tuple[int, int, float, float]:
    """Filled and vacant positions and FTE over the whole role mix."""
    cells = plan.role_mix
    return (sum(c.filled_positions for c in cells), sum(c.vacant_positions for c in cells),
            round(sum(c.filled_fte for c in cells), 2), round(sum(c.vacant_fte for c in cells), 2))


def attention(plan: Plan) -> list[Attention]:
    """Services whose climate keeps out a role, with a lone peer or much unmet demand
    (ATTENTION_DEFINITION), each with the reason in words."""
    barred = {s.service_id: roles for s, roles in climate_barred(plan)}
    flagged = []
    for s in plan.services:
        flags = []
        if s.service_id in barred:
            kept = ", ".join(f"{r.title} (needs {r.min_climate})" for r in barred[s.service_id])
            flags.append(f"climate {s.climate} keeps out {kept}")
        if s.lone_peer:
            flags.append("lone peer")
        if s.demand_fte and s.unmet_fte > UNMET_SHARE * s.demand_fte:
            flags.append(f"unmet demand ({s.unmet_fte / s.demand_fte:.0%}): "
                         f"{s.shortfall or 'see the services table'}")
        if flags:
            flagged.append(Attention(s, tuple(flags)))
    return flagged


def placements(plan: Plan, roles: dict[str, RoleInfo], services: dict[str, ServiceOutcome],
               names: dict[str, str]) -> list[Placement]:
    """Placements in person order; names and points only where the view keeps them."""
    rows = []
    for a in sorted(plan.assignments, key=lambda a: (a.psw_id, a.service_id, a.role_id)):
        role, service = roles.get(a.role_id), services.get(a.service_id)
        rows.append(Placement(
            assignment=a,
            name=names.get(a.psw_id, ""),
            role_title=role.title if role else a.role_id,
            service_name=service.name if service else "",
            points=points_lines(a.components),
        ))
    return rows


def points_lines(components: dict[str, float]) -> tuple[str, ...]:
    """'fit: readiness 40, topics 15, …' and 'autonomy: …' from a placement's components."""
    lines = []
    for label, names in (("fit", FIT_COMPONENTS), ("autonomy", AUTONOMY_COMPONENTS)):
        parts = [f"{COMPONENT_LABELS.get(n, n)} {round(components[n], 1):g}"
                 for n in names if n in components]
        if parts:
            lines.append(f"{label}: {', '.join(parts)}")
    return tuple(lines)


def unassigned_groups(plan: Plan) -> list[UnassignedGroup]:
    """Unassigned people grouped by their reasons, largest group first."""
    counts = Counter(u.reasons for u in plan.unassigned)
    return [UnassignedGroup(reasons, n)
            for reasons, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def vacancy_totals(vacancies: tuple[Vacancy, ...]) -> tuple[int, float, float]:
    """Positions, FTE and cost of all vacancies."""
    return (sum(v.positions for v in vacancies), round(sum(v.fte for v in vacancies), 2),
            round(sum(v.cost for v in vacancies), 2))
