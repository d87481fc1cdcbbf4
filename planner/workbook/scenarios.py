"""What-if scenarios: named lists of overrides on the baseline organisation (the Scenarios
sheet: README, A tour of the workbook).

    scenarios = read_scenarios("org.xlsx")      # its Scenarios sheet, or a scenarios workbook
    orgs = scenario_orgs(org, scenarios)        # {"baseline": org, "More budget": ..., ...}
    orgs, scenarios = load_scenario_orgs("org.xlsx", "what_if.xlsx")   # both, in one go

`scenario_sheet` reads the rows into typed `Override`s; this module applies them to the
typed Org with `dataclasses.replace`. The result of an `add` or `scale` must stay in the
column's range, as the workbook validator would require (never clamped). The changed
organisation then goes through the validator's own cross-checks (`check_org` on its rows
as cells: references, placements), so a scenario cannot make an organisation the workbook
would refuse. A service sized by workload (WISN) is sized again when its workload or the
Policy's working time changes. Every problem of every scenario is located on its Scenarios
row and raised at once, as one ValidationError, before anything is solved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from planner.core.domain import LonePeer, Org, Policy, Service
from planner.core.errors import Issue, UsageError, ValidationError
from planner.workbook.cells import CellError, Suggester, parse_cell
from planner.workbook.read import read_raw
from planner.workbook.scenario_sheet import (
    ALL_ROWS,
    BASELINE,
    POLICY_SHEET,
    Change,
    Override,
    Scenario,
    parse_scenarios,
)
from planner.workbook.schema import SCENARIOS, SHEETS_BY_NAME, Column, Kind
from planner.workbook.tables import Issues, RawRow, RawSheet
from planner.workbook.template import cell_value
from planner.workbook.validation import (
    POLICY_TYPES,
    RawWorkbook,
    check_org,
    policy_column,
    workload_demand_fte,
)

__all__ = ["BASELINE", "Change", "Override", "Scenario", "apply_scenario", "cross_check",
           "load_scenario_orgs", "read_scenarios", "scenario_orgs"]

# Sheet -> (Org field holding its rows, id column).
ENTITY_SHEETS: dict[str, tuple[str, str]] = {
    "Services": ("services", "service_id"),
    "Roles": ("roles", "role_id"),
    "PSWs": ("psws", "psw_id"),
}
WORKLOAD = frozenset({"annual_contacts", "minutes_per_contact"})
DECIMALS = 6  # add and scale results are rounded, so that 0.1 + 0.2 is 0.3
NO_WORKING_TIME = ("the wisn_* keys leave no working time per FTE, so demand cannot be "
                   "derived from annual_contacts and minutes_per_contact")


def read_scenarios(path: str | Path) -> list[Scenario]:
    """The scenarios of the Scenarios sheet of a workbook (or Scenarios.csv in a folder).

    A workbook without the sheet has none. Raises ValidationError listing every problem
    found without the organisation; ids and filters are checked when applied.
    """
    scenarios, issues = parse_scenarios(read_raw(path).sheets.get(SCENARIOS.name))
    if issues:
        raise ValidationError(issues)
    return scenarios


def apply_scenario(org: Org, scenario: Scenario) -> Org:
    """The organisation with the scenario's overrides; ValidationError lists every problem."""
    changed, issues = _applied(org, scenario, _known_errors(org))
    if issues:
        raise ValidationError(issues)
    return changed


def scenario_orgs(org: Org, scenarios: Sequence[Scenario]) -> dict[str, Org]:
    """{"baseline": org, name: changed org, ...}; every problem of every scenario at once."""
    orgs, issues, known = {BASELINE: org}, [], _known_errors(org)
    for scenario in scenarios:
        orgs[scenario.name], found = _applied(org, scenario, known)
        issues.extend(found)
    if issues:
        raise ValidationError(in_order(issues))
    return orgs


def in_order(issues: Iterable[Issue]) -> list[Issue]:
    """Sheet by sheet (in workbook order), then row by row, column by column."""
    collected = Issues()
    for issue in issues:
        collected.add(issue)
    return list(collected.in_order())


def cross_check(org: Org) -> tuple[Issue, ...]:
    """The errors the workbook validator finds in an organisation, its rows read as cells."""
    return check_org(as_raw_workbook(org)).errors


def as_raw_workbook(org: Org) -> RawWorkbook:
    """The organisation as the cells a workbook would hold (demand_fte always given)."""
    sheets = {}
    for sheet, (field, _) in ENTITY_SHEETS.items():
        names = SHEETS_BY_NAME[sheet].column_names
        sheets[sheet] = _raw_sheet(sheet, names, [
            tuple(cell_value(getattr(row, name)) for name in names)
            for row in getattr(org, field)])
    sheets["Topics"] = _raw_sheet("Topics", ("topic", "label"), list(org.topics.items()))
    sheets[POLICY_SHEET] = _raw_sheet(POLICY_SHEET, ("key", "value"), [
        (key, cell_value(getattr(org.policy, key))) for key in POLICY_TYPES])
    return RawWorkbook(sheets, (), org.source, org.input_sha256)


def _raw_sheet(name: str, header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> RawSheet:
    return RawSheet(name, header, tuple(RawRow(n, r) for n, r in enumerate(rows, start=2)))


def _applied(org: Org, scenario: Scenario, known: set[Issue]) -> tuple[Org, list[Issue]]:
    """The changed organisation and the problems (none: it is valid)."""
    work = _Working(org, scenario)
    issues = [issue for o in scenario.overrides for issue in work.apply(o)]
    changed, unsized = work.org()
    # the cross-check runs even when an override failed: every problem at once
    issues += unsized + [work.blame(i) for i in cross_check(changed)
                         if _unlocated(i) not in known]
    return (org if issues else changed), issues


def _known_errors(org: Org) -> set[Issue]:
    """Errors the baseline has already (e.g. an Org built in code): not a scenario's doing."""
    return {_unlocated(i) for i in cross_check(org)}


def _unlocated(issue: Issue) -> Issue:
    return replace(issue, cell=None)


class _Working:
    """A scenario being applied: the organisation's rows, and which override touched what."""

    def __init__(self, org: Org, scenario: Scenario) -> None:
        self.base, self.scenario = org, scenario
        self.rows = {sheet: list(getattr(org, field))
                     for sheet, (field, _) in ENTITY_SHEETS.items()}
        self.policy = org.policy
        self.touched: dict[tuple[str, str], list[Override]] = {}
        self.wisn: Override | None = None  # the last change to WISN working time

    def apply(self, override: Override) -> list[Issue]:
        """Apply one override to every row it selects; the problems, if any."""
        if override.sheet == POLICY_SHEET:
            return self._apply_policy(override)
        rows = self.rows[override.sheet]
        indices, issue = _selected(rows, override)
        if issue:
            return [issue]
        failed = []
        for index in indices:
            try:
                rows[index] = self._changed_row(rows[index], override)
            except CellError as error:
                failed.append(f"{override.sheet} {_row_id(override.sheet, rows[index])!r}: "
                              f"{error}")
        if not failed:
            return []
        more = f" (and {len(failed) - 1} more rows)" if len(failed) > 1 else ""
        return [_issue(override, "value", f"after {override.operation}, {failed[0]}{more}")]

    def _changed_row(self, row: Any, override: Override) -> Any:
        column = SHEETS_BY_NAME[override.sheet].column(override.column)
        new = _changed(column, override.change, getattr(row, override.column), override.value)
        self.touched.setdefault((override.sheet, _row_id(override.sheet, row)),
                                []).append(override)
        if override.column == "demand_fte":  # demand given outright: no longer from workload
            return replace(row, demand_fte=new, annual_contacts=None, minutes_per_contact=None)
        return replace(row, **{override.column: new})

    def _apply_policy(self, override: Override) -> list[Issue]:
        key = override.column
        try:
            new = _changed(policy_column(key), override.change, getattr(self.policy, key),
                           override.value)
        except CellError as error:
            return [_issue(override, "value", f"after {override.operation}, Policy: {error}")]
        self.policy = replace(self.policy, **{key: LonePeer(new) if key == "lone_peer" else new})
        self.touched.setdefault((POLICY_SHEET, key), []).append(override)
        if key.startswith("wisn_"):
            self.wisn = override
        return []

    def org(self) -> tuple[Org, list[Issue]]:
        """The changed organisation (services sized by workload sized again)."""
        try:
            services, issues = tuple(self._demand(s) for s in self.rows["Services"]), []
        except ValueError:
            services = tuple(self.rows["Services"])
            issues = [_issue(self.wisn or self.scenario.overrides[-1], "value",
                             f"after this change, {NO_WORKING_TIME}")]
        base, name = self.base.source, self.scenario.name
        return replace(self.base, services=services, roles=tuple(self.rows["Roles"]),
                       psws=tuple(self.rows["PSWs"]), policy=self.policy,
                       source=f"{base} [{name}]" if base else f"[{name}]"), issues

    def _demand(self, service: Service) -> Service:
        """WISN demand again when the workload or the working time changed.

        A changed workload always sizes the service again; a changed working time only
        where the workbook left demand_fte to WISN (it gives the same number as WISN).
        """
        touched = {o.column for o in self.touched.get(("Services", service.service_id), ())}
        if not service.demand_from_workload or not (touched & WORKLOAD or self.wisn):
            return service
        before = self.base.services_by_id[service.service_id]
        if not touched & WORKLOAD and before.demand_fte != _wisn_demand(before, self.base.policy):
            return service
        demand = workload_demand_fte(service.annual_contacts, service.minutes_per_contact,
                                     self.policy)
        return replace(service, demand_fte=demand)

    def blame(self, issue: Issue) -> Issue:
        """A validator error of the changed org, located on the override that caused it."""
        key = self._issue_key(issue)
        overrides = self.touched.get(key, ())
        chosen = next((o for o in reversed(overrides) if o.column == issue.column),
                      overrides[-1] if overrides else self.scenario.overrides[-1])
        where = f"{key[0]} {key[1]!r}" if key[1] else key[0]
        return _issue(chosen, "value", f"after this change, {where}: {issue.message}")

    def _issue_key(self, issue: Issue) -> tuple[str, str]:
        rows = self.rows.get(issue.sheet, [])
        if issue.row is not None and 2 <= issue.row < len(rows) + 2:
            return issue.sheet, _row_id(issue.sheet, rows[issue.row - 2])
        return issue.sheet, ""


def _selected(rows: list[Any], override: Override) -> tuple[list[int], Issue | None]:
    """Indices of the rows an override changes, or the issue saying it selects none."""
    sheet = override.sheet
    if override.target == ALL_ROWS:
        return list(range(len(rows))), None
    if override.filters:
        chosen = [i for i, row in enumerate(rows) if _matches(row, override.filters)]
        if chosen:
            return chosen, None
        return [], _issue(override, "id", f"filter {override.target!r} matches no {sheet} row")
    ids = [_row_id(sheet, row) for row in rows]
    if override.target in ids:
        return [ids.index(override.target)], None
    id_column = ENTITY_SHEETS[sheet][1]
    return [], _issue(override, "id", f"no {sheet} row with {id_column} "
                      f"{override.target!r}{Suggester(ids)(override.target)}")


def _matches(row: Any, filters: Iterable[tuple[str, Any]]) -> bool:
    """Every filter holds; a list column holds when it contains the filter's items."""
    for name, wanted in filters:
        have = getattr(row, name)
        if wanted is None:
            if have not in (None, "", ()):
                return False
        elif isinstance(have, tuple) and isinstance(wanted, tuple):
            if not set(wanted) <= set(have):
                return False
        elif have != wanted:
            return False
    return True


def _changed(column: Column, change: Change, old: Any, value: Any) -> Any:
    """The new value; raises CellError when the result breaks the column's rule."""
    if change is Change.SET:
        return value
    if column.kind is Kind.LIST:
        return tuple(dict.fromkeys((*old, *value)))
    if old is None:
        raise CellError(f"{column.name} is blank, so there is nothing to {change}; use set")
    result = round(old + value if change is Change.ADD else old * value, DECIMALS)
    return parse_cell(column, result)  # the workbook's range rule, never a clamp


def _wisn_demand(service: Service, policy: Policy) -> float | None:
    try:
        return workload_demand_fte(service.annual_contacts, service.minutes_per_contact, policy)
    except ValueError:
        return None


def _row_id(sheet: str, row: Any) -> str:
    return str(getattr(row, ENTITY_SHEETS[sheet][1]))


def _issue(override: Override, column: str, message: str) -> Issue:
    return Issue(SCENARIOS.name, message, override.row, column, override.cell(column))


def load_scenario_orgs(workbook: str | Path | Org, scenarios_path: str | Path | None = None,
                       ) -> tuple[dict[str, Org], list[Scenario]]:
    """Read an organisation and its scenarios, and apply them: every problem at once.

    `workbook` is an organisation workbook (or CSV folder), or an Org already read. The
    scenarios are the workbook's own Scenarios sheet, or that of `scenarios_path` (a
    workbook or CSV folder with a Scenarios sheet) when given. Raises ValidationError
    with the problems of the organisation and of every scenario together.
    """
    if isinstance(workbook, Org):
        sheets, org, problems = {}, workbook, []
    else:
        raw = read_raw(workbook)
        report = check_org(raw)
        sheets, org, problems = raw.sheets, report.org, list(report.errors)
    if scenarios_path is not None:
        sheets = read_raw(scenarios_path).sheets
        if SCENARIOS.name not in sheets:
            raise UsageError(f"{scenarios_path} has no Scenarios sheet (or Scenarios.csv)")
    scenarios, issues = parse_scenarios(sheets.get(SCENARIOS.name))
    if org is None:  # the header of the workbook's own Scenarios sheet is reported once
        raise ValidationError(in_order(dict.fromkeys([*problems, *issues])))
    try:
        orgs = scenario_orgs(org, scenarios)
    except ValidationError as error:
        raise ValidationError(in_order([*issues, *error.issues])) from None
    if issues:
        raise ValidationError(issues)
    return orgs, scenarios
