"""The input contract (README, A tour of the workbook) applied to the raw sheets of a workbook.

`check_org` turns the sheets that `workbook` read into a validated `Org`, collecting every
problem at once as an `Issue`. It reads like the contract:

    tables      -> columns present, cells typed and in range, ids unique (tables.py)
    topics      -> the built-in list plus the Topics sheet
    policy      -> Policy sheet keys and values
    references  -> every role, service, setting and topic named exists
    demand      -> demand_fte given, or derived by WISN
    placements  -> current_service, current_role and lock agree
    warnings    -> people who fit no role, services no role can serve
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, TypeVar, get_type_hints

from planner.core import eligibility
from planner.core.domain import (
    BUILTIN_TOPICS,
    PSW,
    SETTINGS,
    TARGETS,
    LonePeer,
    Org,
    Policy,
    Region,
    Role,
    Service,
    Target,
)
from planner.core.errors import Issue, Severity
from planner.core.wisn import available_hours_per_fte, wisn_steps
from planner.workbook.cells import CellError, Suggester, parse_cell, shown, suggestion
from planner.workbook.schema import (
    CATEGORY_ALLOWANCE_MOST,
    INDIVIDUAL_ALLOWANCE_MOST,
    INPUT_SHEETS,
    POLICY_NOTES,
    Column,
    Kind,
)
from planner.workbook.tables import Issues, RawSheet, Record, Table, read_table

# Services columns that size demand from workload (WISN), and its allowances.
WORKLOAD_COLUMNS = frozenset({"annual_contacts", "minutes_per_contact"})
ALLOWANCE_COLUMNS = ("category_allowance_pct", "individual_allowance_hours")
REQUIRED_SHEETS: tuple[str, ...] = tuple(s.name for s in INPUT_SHEETS if s.required)
NOUNS = {"Services": "service", "Roles": "role", "PSWs": "PSW"}
# (sheet, column, what the column names): every item named must exist.
REFERENCES: tuple[tuple[str, str, str], ...] = (
    ("Services", "topics", "topic"),
    ("Roles", "topics", "topic"),
    ("Roles", "settings", "setting"),
    ("Roles", "targets", "target"),
    ("PSWs", "topics", "topic"),
    ("PSWs", "preferred_roles", "role"),
    ("PSWs", "preferred_settings", "setting"),
    ("PSWs", "current_service", "service"),
    ("PSWs", "current_role", "role"),
    ("PSWs", "exclude_services", "service"),
)
# Policy key -> (low, high, low_open); a key not listed is a number >= 0.
POLICY_LIMITS: dict[str, tuple[float | None, float | None, bool]] = {
    "vacancy_cost_factor": (0, 1, False),
    "min_peers": (1, 100, False),
    "max_positions_per_psw": (1, 10, False),
    "supervisor_span": (1, 1000, False),
    "min_saliency_tiers": (0, 3, False),
    "wisn_hours_per_day": (0, 24, True),
    "wisn_days_per_week": (0, 7, True),
    "wisn_weeks_per_year": (0, 53, True),
    "wisn_annual_leave_days": (0, 366, False),
    "wisn_public_holidays": (0, 366, False),
    "wisn_sick_days": (0, 366, False),
    "wisn_training_days": (0, 366, False),
    "wisn_category_allowance_pct": (0, CATEGORY_ALLOWANCE_MOST, False),
    "wisn_individual_allowance_hours": (0, INDIVIDUAL_ALLOWANCE_MOST, False),
    "time_limit": (0, 86_400, True),
    "seed": (0, 2**31 - 1, False),
    "k": (1, 1000, False),
    "stretch_months": (0, 120, True),
    "stretch_per_supervisor": (0, 100, False),
    "attrition_rate": (0, 1, False),
    "recruit_months": (0, 60, False),
    "hire_readiness": (1, 5, False),
    "hire_experience": (0, 5, False),
    "budget_growth_pct": (-100, 1000, True),
    "demand_growth_pct": (-100, 1000, True),
    "roadmap_discount": (0, 1, False),
    "education_months": (0, 120, True),
    "education_step": (0, 4, False),
}
POLICY_TYPES: dict[str, Any] = get_type_hints(Policy)
CURRENCY_CODE_LETTERS = 3  # ISO 4217: GBP, EUR, USD
CURRENCY_SIGN_MOST = 4  # a sign: '£', '€', 'US$', 'R$'
TOPIC_CODE = re.compile(r"[^\s,]+")  # no spaces, no commas (and lower case)

T = TypeVar("T")


@dataclass(frozen=True)
class RawWorkbook:
    """What `workbook` read from a file, before any rule of the contract is applied."""

    sheets: dict[str, RawSheet]  # by canonical sheet name
    other_sheets: tuple[str, ...] = ()  # sheets (or CSV files) that are not input sheets
    source: str = ""
    input_sha256: str = ""


@dataclass(frozen=True)
class ValidationReport:
    """Every problem found, and the Org when there was no error (warnings allowed)."""

    issues: tuple[Issue, ...]
    org: Org | None

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)


# --- WISN ---------------------------------------------------------------------------------


def workload_demand_fte(annual_contacts: float, minutes_per_contact: float,
                        policy: Policy) -> float:
    """FTE a workload needs by the WHO WISN method with the Policy's allowances, rounded
    to 2 decimals (`core.wisn` has every step). Raises ValueError when the Policy leaves
    no working time."""
    return wisn_steps(annual_contacts, minutes_per_contact, policy).required_fte


# --- what the warnings ask of roles ------------------------------------------------------


def fits_role(psw: PSW, role: Role) -> bool:
    """The person passes the role's own rules: readiness (with stretch), experience, topics."""
    return eligibility.person_role_block(psw, role) is None


def can_serve(role: Role, service: Service) -> bool:
    """The role is deployable in the service's setting and is generic or shares a topic."""
    relevant = role.generic or not service.topics or bool(set(role.topics) & set(service.topics))
    return relevant and eligibility.setting(role, service) is None


# --- the whole check ----------------------------------------------------------------------


def check_org(book: RawWorkbook) -> ValidationReport:
    """Apply every rule of the input contract; build the Org when no rule is broken."""
    issues = Issues()
    _check_sheets_present(book, issues)
    tables = {name: read_table(raw, issues) for name, raw in book.sheets.items()}
    topics = _read_topics(tables.get("Topics"), issues)
    policy = _read_policy(tables.get("Policy"), issues)
    _check_not_empty(tables, issues)
    _check_references(tables, _known_names(tables, topics), issues)
    _derive_demand(tables.get("Services"), policy, issues)
    _check_placements(tables.get("PSWs"), issues)
    _check_regions(tables.get("Regions"), tables.get("Services"), issues)
    _warn_unused_target_saliency(tables.get("Roles"), issues)
    services = _build(tables.get("Services"), _service)
    roles = _build(tables.get("Roles"), _role)
    psws = _build(tables.get("PSWs"), _psw)
    regions = _build(tables.get("Regions"), lambda values: Region(**values))
    if roles and not issues.has_errors("Roles"):
        _warn_unfit_psws(tables.get("PSWs"), psws, roles, issues)
        _warn_unserved_services(tables.get("Services"), services, roles, issues)
    org = None
    if not issues.has_errors():
        org = Org(services=tuple(services.values()), roles=tuple(roles.values()),
                  psws=tuple(psws.values()), policy=policy, topics=topics,
                  source=book.source, input_sha256=book.input_sha256,
                  regions=tuple(regions.values()))
    return ValidationReport(issues.in_order(), org)


def _check_sheets_present(book: RawWorkbook, issues: Issues) -> None:
    for name in REQUIRED_SHEETS:
        if name not in book.sheets:
            hint = suggestion(name, book.other_sheets)
            issues.add(Issue(name, f"required sheet {name!r} is missing{hint}"))


def _check_not_empty(tables: dict[str, Table], issues: Issues) -> None:
    for name, noun in NOUNS.items():
        table = tables.get(name)
        if table is not None and table.complete and not table.records:
            issues.add(Issue(name, f"the sheet has no data rows; add at least one {noun}"))


# --- Topics and Policy --------------------------------------------------------------------


def _read_topics(table: Table | None, issues: Issues) -> dict[str, str]:
    """The built-in topics, extended (or relabelled) by the Topics sheet."""
    topics = dict(BUILTIN_TOPICS)
    if table is None:
        return topics
    for record in table.records:
        code = record.values.get("topic")
        if code is None or "topic" in record.bad:
            continue
        if not TOPIC_CODE.fullmatch(code) or code != code.lower():
            example = re.sub(r"[\s,]+", "_", code.lower())
            issues.at(table, record.row, "topic",
                      f"topic code {code!r} must be lower case without spaces, "
                      f"e.g. {example!r}")
            continue
        topics[code] = record.values.get("label") or topics.get(code, code)
    return topics


def policy_column(key: str) -> Column:
    """The Policy key as a schema Column, so its value is parsed like any cell."""
    hint = POLICY_TYPES[key]
    kind = {bool: Kind.BOOL, int: Kind.INT, LonePeer: Kind.CHOICE,
            str | None: Kind.TEXT}.get(hint, Kind.FLOAT)
    low, high, low_open = POLICY_LIMITS.get(key, (0, None, False))
    choices = tuple(LonePeer) if kind is Kind.CHOICE else ()
    return Column(key, kind, POLICY_NOTES.get(key, ""), low=low, high=high,
                  low_open=low_open, choices=tuple(str(c) for c in choices))


def _read_policy(table: Table | None, issues: Issues) -> Policy:
    """Policy from the key/value rows; a blank value keeps the default."""
    settings: dict[str, Any] = {}
    if table is None:
        return Policy()
    for record in table.records:
        key = record.values.get("key")
        if key is None or "key" in record.bad:
            continue
        if key not in POLICY_TYPES:
            issues.at(table, record.row, "key",
                      f"unknown policy key {key!r}{suggestion(key, POLICY_TYPES)}")
            continue
        try:
            value = parse_cell(policy_column(key), record.values.get("value"))
            if key == "currency" and value is not None:
                value = currency_code(value)
        except CellError as error:
            issues.at(table, record.row, "value", str(error))
            continue
        if value is not None:
            settings[key] = LonePeer(value) if key == "lone_peer" else value
    return Policy(**settings)


def currency_code(text: str) -> str:
    """A Policy currency as the reports show it: a three-letter code, upper case ('gbp' ->
    'GBP'), or a currency sign of up to four characters ('£', 'US$'); raises CellError."""
    text = text.strip()
    if len(text) == CURRENCY_CODE_LETTERS and text.isascii() and text.isalpha():
        return text.upper()
    signs = [c for c in text if unicodedata.category(c) == "Sc"]  # Symbol, currency
    if signs and len(text) <= CURRENCY_SIGN_MOST and not any(c.isdigit() or c.isspace()
                                                             for c in text):
        return text
    raise CellError(f"currency must be a three-letter code such as GBP, EUR or USD, or a "
                    f"currency sign such as £, € or $, got {shown(text)}")


# --- references, demand, placements -------------------------------------------------------


def _known_names(tables: dict[str, Table], topics: dict[str, str]) -> dict[str, Collection[str]]:
    """What each kind of reference may name; a kind whose sheet is unusable is left out."""
    known: dict[str, Collection[str]] = {"topic": topics, "setting": SETTINGS,
                                         "target": TARGETS}
    for kind, sheet, id_column in (("role", "Roles", "role_id"),
                                   ("service", "Services", "service_id")):
        table = tables.get(sheet)
        if table is not None and id_column in table.positions:
            known[kind] = {r.values[id_column] for r in table.records if id_column in r.values}
    return known


def _check_references(tables: dict[str, Table], known: dict[str, Collection[str]],
                      issues: Issues) -> None:
    for sheet, column, kind in REFERENCES:
        table, names = tables.get(sheet), known.get(kind)
        if table is None or names is None:
            continue
        suggest = Suggester(names)
        for record in table.records:
            value = record.values.get(column)
            for item in value if isinstance(value, tuple) else (value,) if value else ():
                if item not in names:
                    record.bad.add(column)
                    issues.at(table, record.row, column,
                              f"{column} names unknown {kind} {item!r}{suggest(item)}")


def _derive_demand(table: Table | None, policy: Policy, issues: Issues) -> None:
    """demand_fte as given, or by WISN from annual_contacts and minutes_per_contact, with
    the service's allowances (blank: the Policy's)."""
    if table is None:
        return
    needs_wisn = []
    for record in table.records:
        if "demand_fte" in record.values:
            _warn_unused_allowances(table, record, issues)
            continue
        if record.bad & (WORKLOAD_COLUMNS | {"demand_fte", *ALLOWANCE_COLUMNS}):
            continue
        if record.values.keys() >= WORKLOAD_COLUMNS:
            needs_wisn.append(record)
            continue
        record.bad.add("demand_fte")
        issues.at(table, record.row, "demand_fte", "demand_fte is blank; give it, or give "
                  "both annual_contacts and minutes_per_contact to derive it (WISN)")
    if needs_wisn and available_hours_per_fte(policy) <= 0:
        issues.add(Issue("Policy", "the wisn_* keys leave no working time per FTE, so demand "
                         "cannot be derived from annual_contacts and minutes_per_contact"))
        for record in needs_wisn:
            record.bad.add("demand_fte")
        return
    for record in needs_wisn:
        values = record.values
        values["demand_fte"] = wisn_steps(
            values["annual_contacts"], values["minutes_per_contact"], policy,
            *(values.get(column) for column in ALLOWANCE_COLUMNS)).required_fte


def _warn_unused_allowances(table: Table, record: Record, issues: Issues) -> None:
    """Allowances beside a demand_fte given outright are not applied: the given number
    already says what the service needs, so adding to it would count support work twice."""
    for column in ALLOWANCE_COLUMNS:
        if column in record.values:
            issues.at(table, record.row, column, f"{column} is not applied: demand_fte is "
                      "given, and WISN allowances apply only to demand derived from "
                      "annual_contacts and minutes_per_contact", Severity.WARNING)


def _warn_unused_target_saliency(table: Table | None, issues: Issues) -> None:
    """A saliency for a target the role does not disclose to is not used."""
    if table is None:
        return
    for record in table.records:
        targets = record.values.get("targets") or (Target.SERVICE_USERS.value,)
        for target in (Target.STAFF, Target.LEADERSHIP):
            column = f"saliency_{target.value}"
            if column in record.values and target.value not in targets:
                issues.at(table, record.row, column, f"{column} is not used: the role's "
                          f"targets ({', '.join(targets)}) do not include {target.value}",
                          Severity.WARNING)


def _check_placements(table: Table | None, issues: Issues) -> None:
    """A current placement names both service and role; a lock needs one."""
    if table is None:
        return
    for record in table.records:
        if record.bad & {"current_service", "current_role", "lock"}:
            continue
        service = record.values.get("current_service")
        role = record.values.get("current_role")
        if record.values.get("lock") and not (service and role):
            record.bad.add("lock")
            issues.at(table, record.row, "lock",
                      "lock = yes needs both current_service and current_role")
        elif bool(service) != bool(role):
            blank, given = ("current_role", "current_service") if service else (
                "current_service", "current_role")
            record.bad.add(blank)
            issues.at(table, record.row, blank,
                      f"{blank} is blank but {given} is given; give both or neither")


def _check_regions(table: Table | None, services: Table | None, issues: Issues) -> None:
    """Each region of the Regions sheet is the region of a service."""
    if table is None or services is None or not services.complete:
        return
    served = sorted({r.values["region"] for r in services.records if "region" in r.values})
    suggest = Suggester(served)
    for record in table.records:
        region = record.values.get("region")
        if region is None or region in served:
            continue
        record.bad.add("region")
        known = f"the Services sheet's regions are {', '.join(served)}" if served else \
            "no service gives a region"
        issues.at(table, record.row, "region", f"no service is in region {region!r}"
                  f"{suggest(region)} ({known})")


# --- objects and warnings -----------------------------------------------------------------


def _build(table: Table | None, make: Callable[[dict[str, Any]], T]) -> dict[int, T]:
    """One object per row without problems, by spreadsheet row."""
    if table is None or not table.complete:
        return {}
    return {r.row: make(r.values) for r in table.records if not r.bad}


def _service(values: dict[str, Any]) -> Service:
    return Service(**{"name": values["service_id"], **values})


def _role(values: dict[str, Any]) -> Role:
    return Role(**{"title": values["role_id"], **values})


def _psw(values: dict[str, Any]) -> PSW:
    return PSW(**values)


def _warn_unfit_psws(table: Table | None, psws: dict[int, PSW], roles: dict[int, Role],
                     issues: Issues) -> None:
    # The message names no readiness or topic: those are health data (README, Privacy).
    if table is None:
        return
    for row, psw in psws.items():
        if not any(fits_role(psw, role) for role in roles.values()):
            issues.at(table, row, "psw_id", f"{psw.psw_id!r} fits no role (each needs more "
                      "readiness, more experience or a topic the person has not listed); "
                      "they cannot be placed", Severity.WARNING)


def _warn_unserved_services(table: Table | None, services: dict[int, Service],
                            roles: dict[int, Role], issues: Issues) -> None:
    if table is None:
        return
    for row, service in services.items():
        if any(can_serve(role, service) for role in roles.values()):
            continue
        topics = f" shares its topics ({', '.join(service.topics)}) or" if service.topics else ""
        issues.at(table, row, "service_id", f"no role can serve {service.service_id!r}: none "
                  f"deployable in {service.setting!r}{topics} is generic", Severity.WARNING)
