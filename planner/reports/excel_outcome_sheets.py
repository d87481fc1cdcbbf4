"""The sheets of the Excel plan on outcomes: recruitment, unassigned, services, people."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from openpyxl.worksheet.worksheet import Worksheet

from planner.core.domain import TARGET_WORDS
from planner.core.results import Person, ServiceOutcome, Vacancy
from planner.reports.excel_sheets import Rendering
from planner.reports.excel_table import (
    FTE,
    MONEY,
    PERCENT,
    WHOLE,
    CellValue,
    ReportColumn,
    TableArea,
    write_table,
    write_titles,
    yes_no,
)


def _listed(values: object) -> str | None:
    if isinstance(values, list | tuple):
        return ", ".join(str(v) for v in values) or None
    return None if values in (None, "") else str(values)


# the profile to recruit for (`Vacancy.profile`), a column each: `profile_cells`
PROFILE_COLUMNS = (
    ReportColumn("Min readiness", 10, WHOLE), ReportColumn("Other targets", 16, wrap=True),
    ReportColumn("Topics", 24, wrap=True),
    ReportColumn("Setting", 13), ReportColumn("Region", 12),
    ReportColumn("Min experience", 11, WHOLE),
)
RECRUITMENT_COLUMNS = (
    ReportColumn("Role", 14), ReportColumn("Role title", 28), ReportColumn("Service", 12),
    ReportColumn("Service name", 30), ReportColumn("Positions", 10, WHOLE),
    ReportColumn("FTE", 8, FTE), ReportColumn("Cost", 12, MONEY),
    *PROFILE_COLUMNS, ReportColumn("Reason", 60, wrap=True),
)


def recruitment_sheet(ws: Worksheet, r: Rendering) -> TableArea:
    write_titles(ws, "Recruitment: positions to recruit for, and whom to look for",
                 "Min readiness is the readiness to self-disclose to service users the role "
                 "needs (its saliency); other targets, the readiness it asks with staff or "
                 "leaders; topics are the lived experience the service's users need. Cost "
                 "is annual, as booked against the budget.")
    columns = [replace(c, number_format=r.number_format("money")) if c.header == "Cost" else c
               for c in RECRUITMENT_COLUMNS]
    rows = [_vacancy_row(v, r) for v in r.plan.vacancies]
    return write_table(ws, "Recruitment", columns, rows)


def _vacancy_row(v: Vacancy, r: Rendering) -> list[CellValue]:
    profile = v.profile
    title = profile.get("title") or r.roles.get(v.role_id, ("",))[0]
    return [v.role_id, title, v.service_id, r.service_names.get(v.service_id, ""),
            v.positions, v.fte, v.cost, *profile_cells(profile), v.reason]


def profile_cells(profile: dict) -> list[CellValue]:
    """The cells of PROFILE_COLUMNS: the readiness, lived experience, setting, region and
    experience a position to recruit asks."""
    return [profile.get("min_readiness"), _other_targets(profile),
            _listed(profile.get("topics")), _listed(profile.get("setting")),
            _listed(profile.get("region")), profile.get("min_experience")]


def _other_targets(profile: dict) -> str | None:
    """'staff 3+, leaders 4+': the readiness a position asks beyond service users."""
    asked = profile.get("min_readiness_by_target") or {}
    return ", ".join(f"{TARGET_WORDS[t]} {n}+" for t, n in asked.items()) or None


def unassigned_sheet(ws: Worksheet, r: Rendering) -> TableArea:
    if not r.hr:
        return _unassigned_groups_sheet(ws, r)
    write_titles(ws, "Unassigned: people with no placement",
                 "People on the staff with no placement, and the rules that decide it.")
    columns = [ReportColumn("Person", 14), ReportColumn("Name", 24),
               ReportColumn("Reasons", 100, wrap=True)]
    rows = [[u.psw_id, r.names.get(u.psw_id, ""), "\n".join(u.reasons)]
            for u in r.plan.unassigned]
    return write_table(ws, "Unassigned", columns, rows)


def _unassigned_groups_sheet(ws: Worksheet, r: Rendering) -> TableArea:
    """For directors: how many people are unplaced for each (neutral) reason, counts below
    k suppressed, so no row stands for one person."""
    write_titles(ws, "Unassigned: people with no placement, by reason",
                 r.privacy_note("Reasons name the category only."))
    counts = Counter("; ".join(u.reasons) for u in r.plan.unassigned)
    rows = [[reason, r.count(n), *r.privacy_cells(n)] for reason, n in sorted(counts.items())]
    return write_table(ws, "Unassigned", [ReportColumn("Reason", 60, wrap=True),
                                          ReportColumn("People", 10, WHOLE),
                                          *r.privacy_columns], rows)


PEERS = "Peers"
FACTOR = "0.000"  # WISN's allowance factors, as its worksheets show them
CONTACTS = "#,##0"
SERVICE_COLUMNS = (
    ReportColumn("Service", 12), ReportColumn("Name", 30), ReportColumn("Setting", 13),
    ReportColumn("Region", 12), ReportColumn("Climate", 9, WHOLE),
    ReportColumn("Demand FTE", 10, FTE), ReportColumn("Filled FTE", 10, FTE),
    ReportColumn("Vacant FTE", 10, FTE), ReportColumn("Unmet FTE", 10, FTE),
    ReportColumn("Coverage", 10, PERCENT), ReportColumn(PEERS, 8, WHOLE),
    ReportColumn("Lone peer", 9),
)
# WISN's steps from workload to required FTE, then how the plan's staff measure up to it.
WISN_COLUMNS = (
    ReportColumn("Workload (contacts)", 11, CONTACTS),
    ReportColumn("Standard workload", 11, CONTACTS), ReportColumn("Workload FTE", 10, FTE),
    ReportColumn("Category allowance factor", 11, FACTOR),
    ReportColumn("Individual allowance factor", 11, FACTOR),
    ReportColumn("Required FTE", 10, FTE), ReportColumn("WISN ratio", 10, FTE),
    ReportColumn("Workforce problem", 10, FTE),
)


def services_sheet(ws: Worksheet, r: Rendering) -> TableArea:
    note = ("Climate 1-5: how strongly the team values self-disclosure. Lone peer: a single "
            "PSW in the team. " + _wisn_note(r.plan.services))
    if not r.hr:
        note += " No head count: beside the FTE it would give small teams away."
    write_titles(ws, "Services: demand and FTE filled, to recruit and unmet", note)
    rows = [_service_row(s, r) for s in r.plan.services]
    return write_table(ws, "Services", service_columns(r), rows)


def _wisn_note(services: tuple[ServiceOutcome, ...]) -> str:
    """How to read the WISN columns, with the working time that all services share."""
    hours = next((s.wisn.available_hours for s in services if s.wisn), None)
    time = f" ({hours:,.1f} h a year)" if hours is not None else ""
    return ("WISN, for demand from workload: standard workload = contacts one FTE gives in "
            f"its available working time{time}; required FTE = workload / standard "
            "workload x category allowance factor + individual allowance factor; WISN "
            "ratio = filled / required; workforce problem = required - filled (a shortage "
            "is positive).")


def service_columns(r: Rendering) -> tuple[ReportColumn, ...]:
    """The Services columns; directors get no head count (see `_service_row`)."""
    columns = SERVICE_COLUMNS if r.hr else tuple(c for c in SERVICE_COLUMNS if c.header != PEERS)
    return columns + WISN_COLUMNS


def _service_row(s: ServiceOutcome, r: Rendering) -> list[CellValue]:
    """A service's outcome. For directors without the number of PSWs: the service's FTE
    is what a director plans with, and most teams have fewer than k PSWs, whose count
    beside their FTE (0.6 FTE, "<5") would give itself away."""
    coverage = round(s.filled_fte / s.demand_fte, 4) if s.demand_fte else None
    peers = [s.peers] if r.hr else []
    return [s.service_id, s.name, s.setting, s.region, s.climate, s.demand_fte, s.filled_fte,
            s.vacant_fte, s.unmet_fte, coverage, *peers, yes_no(s.lone_peer),
            *_wisn_cells(s)]


def _wisn_cells(s: ServiceOutcome) -> list[CellValue]:
    """WISN's steps, blank where demand was given outright (there are none to show; a
    plan.json older than the steps has its WISN ratio only)."""
    steps = s.wisn
    shown = [None] * (len(WISN_COLUMNS) - 2) if steps is None else [
        steps.annual_contacts, steps.standard_workload, steps.workload_fte,
        steps.category_allowance_factor, steps.individual_allowance_factor,
        steps.required_fte]
    return [*shown, s.wisn_ratio, s.workforce_problem]


PEOPLE_COLUMNS = (
    ReportColumn("Person", 14), ReportColumn("Name", 24), ReportColumn("Readiness", 10, WHOLE),
    ReportColumn("Readiness, staff", 10, WHOLE), ReportColumn("Readiness, leaders", 10, WHOLE),
    ReportColumn("Topics", 30, wrap=True), ReportColumn("Available FTE", 10, FTE),
    ReportColumn("Region", 12), ReportColumn("Preferred roles", 24, wrap=True),
    ReportColumn("Preferred settings", 24, wrap=True), ReportColumn("Placed FTE", 10, FTE),
    ReportColumn("Preference rank", 11, WHOLE), ReportColumn("Preference met", 18),
    ReportColumn("Post today", 24, wrap=True), ReportColumn("Post in the plan", 24, wrap=True),
    ReportColumn("Change", 14),
)


def people_sheet(ws: Worksheet, r: Rendering) -> TableArea:
    write_titles(ws, "People: profiles and outcomes (health data: HR only)",
                 "Readiness (1-5) to self-disclose (to service users, staff and leaders) "
                 "and lived-experience topics are special "
                 "category health data: do not share this sheet outside HR.")
    placed: dict[str, list[str]] = {}
    for a in r.plan.assignments:
        placed.setdefault(a.psw_id, []).append(f"{a.role_id} at {a.service_id}")
    rows = [_person_row(p, placed.get(p.psw_id, [])) for p in r.plan.people]
    return write_table(ws, "People", PEOPLE_COLUMNS, rows)


def preference_met(person: Person) -> str:
    """Whether the person got a role they asked for, in words."""
    if person.placed_fte <= 0:
        return "not placed"
    if not person.preferred_roles:
        return "no preference stated"
    if person.preference_rank is None:
        return "no"
    return "yes, first choice" if person.preference_rank == 1 else (
        f"yes, choice {person.preference_rank}")


def _person_row(p: Person, placed: list[str]) -> list[CellValue]:
    today = (f"{p.current_role} at {p.current_service}"
             if p.current_role and p.current_service else None)
    return [p.psw_id, p.name, p.readiness, p.readiness_staff or p.readiness,
            p.readiness_leadership or p.readiness, _listed(p.topics), p.available_fte, p.region,
            _listed(p.preferred_roles), _listed(p.preferred_settings), p.placed_fte,
            p.preference_rank, preference_met(p), today, "; ".join(placed) or "not placed",
            post_change(p, bool(placed))]


def post_change(person: Person, placed: bool) -> str | None:
    """What happens to a person's post today: kept, a move, or lost; blank without one."""
    if not (person.current_role and person.current_service):
        return None
    if not person.moved:
        return "keeps post"
    return "moves" if placed else "loses post"


def conflicts_sheet(ws: Worksheet, r: Rendering) -> TableArea:
    write_titles(ws, "Conflicts: why no plan exists",
                 "A small set of rules that cannot all hold; relax one of them and plan again.")
    columns = (ReportColumn("Number", 8, WHOLE), ReportColumn("Conflicting rule", 100, wrap=True))
    rows = [[n, sentence] for n, sentence in enumerate(r.plan.conflicts, start=1)]
    return write_table(ws, "Conflicts", columns, rows)
