"""What-if scenarios: named lists of overrides on the baseline organisation (the Scenarios
sheet: README, A tour of the workbook).

    scenarios = read_scenarios("org.xlsx")      # its Scenarios sheet, or a scenarios workbook
    orgs = scenario_orgs(org, scenarios)        # {"baseline": org, "More budget": ..., ...}
    orgs, scenarios = load_scenario_orgs("org.xlsx", "what_if.xlsx")   # both, in one go

`scenario_sheet` reads the rows into typed `Override`s; this module applies them to the
typed Org with `dataclasses.replace` (whole rows removed and copied: `scenario_rows`). An
`add` or `scale` whose result lies beyond the column's range stops at the range's limit,
so that "climate + 1 everywhere" means what a consultant says by it; never silently: the
scenario's notes say where (`applied_scenarios`, then the comparison). A `set` out of range
stays an error, and so does a result no limit can mend (not a whole number, or at an open
limit such as available_fte 0). The changed organisation then goes through the
validator's own cross-checks (`check_org` on its rows as cells: references, placements),
so a scenario cannot make an organisation the workbook would refuse. A service sized by
workload (WISN) is sized again when its workload or the Policy's working time changes.
Every problem of every scenario is located on its Scenarios row and raised at once, as one
ValidationError, before anything is solved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from planner.core.domain import LonePeer, Org, Policy, Service
from planner.core.errors import Issue, UsageError, ValidationError
from planner.core.wisn import required_fte, service_steps
from planner.workbook.cells import CellError, Suggester, parse_cell
from planner.workbook.read import read_raw
from planner.workbook.scenario_filters import matches, spelled_otherwise, unmatched_hint
from planner.workbook.scenario_notes import Note, capped_note
from planner.workbook.scenario_rows import RowsChanged, add_rows, remove_rows
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
)

__all__ = ["BASELINE", "Change", "Override", "Scenario", "applied_scenarios", "apply_scenario",
           "cross_check", "load_scenario_orgs", "read_scenarios", "scenario_orgs"]

# Sheet -> (Org field holding its rows, id column).
ENTITY_SHEETS: dict[str, tuple[str, str]] = {
    "Services": ("services", "service_id"),
    "Roles": ("roles", "role_id"),
    "PSWs": ("psws", "psw_id"),
    "Regions": ("regions", "region"),
}
WORKLOAD = frozenset({"annual_contacts", "minutes_per_contact", "category_allowance_pct",
                      "individual_allowance_hours"})
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
    changed, _, issues = _applied(org, scenario, _known_errors(org))
    if issues:
        raise ValidationError(issues)
    return changed


def scenario_orgs(org: Org, scenarios: Sequence[Scenario]) -> dict[str, Org]:
    """{"baseline": org, name: changed org, ...}; every problem of every scenario at once."""
    return applied_scenarios(org, scenarios)[0]


def applied_scenarios(org: Org, scenarios: Sequence[Scenario]
                      ) -> tuple[dict[str, Org], list[Scenario]]:
    """{"baseline": org, name: changed org, ...}, and the scenarios with notes of what
    applying them did beyond their rows' words (values capped, rows a filter removed,
    references dropped with them), for the comparison to list. Every problem of every
    scenario at once (ValidationError)."""
    orgs, noted, issues, known = {BASELINE: org}, [], [], _known_errors(org)
    for scenario in scenarios:
        orgs[scenario.name], notes, found = _applied(org, scenario, known)
        noted.append(replace(scenario, notes=notes))
        issues.extend(found)
    if issues:  # a base's problem is its own and every scenario's built on it: said once
        raise ValidationError(in_order(dict.fromkeys(issues)))
    return orgs, noted


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


def _applied(org: Org, scenario: Scenario, known: set[Issue]
             ) -> tuple[Org, tuple[Note, ...], list[Issue]]:
    """The changed organisation, its notes, and the problems (none: it is valid)."""
    work = _Working(org, scenario)
    issues = [issue for o in scenario.applied for issue in work.apply(o)]
    changed, unsized = work.org()
    # the cross-check runs even when an override failed: every problem at once
    issues += unsized + [work.blame(i) for i in cross_check(changed)
                         if _unlocated(i) not in known]
    return (org if issues else changed), tuple(work.notes), issues


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
        self.notes: list[Note] = []  # what the overrides did beyond their words
        self.origin: dict[str, str] = {}  # a copied service's id -> the baseline's it copies

    def apply(self, override: Override) -> list[Issue]:
        """Apply one override to every row it selects; the problems, if any."""
        if override.sheet == POLICY_SHEET:
            return self._apply_policy(override)
        rows = self.rows[override.sheet]
        indices, issue = _selected(rows, override)
        if issue:
            return [issue]
        if override.change is Change.REMOVE:
            return self._rows_changed(override, remove_rows(self.rows, override, indices))
        if override.change is Change.ADD_ROW:
            return self._rows_changed(override, add_rows(self.rows, override, indices[0]))
        failed, capped = [], {}
        for index in indices:
            try:
                rows[index], limit, already = self._changed_row(rows[index], override)
            except CellError as error:
                failed.append(f"{override.sheet} {_row_id(override.sheet, rows[index])!r}: "
                              f"{error}")
                continue
            if limit is not None:
                capped.setdefault(limit, []).append(
                    (_row_id(override.sheet, rows[index]), already))
        self.notes += [capped_note(override.row, override.operation, override.column,
                                   override.sheet, limit, rows_capped)
                       for limit, rows_capped in capped.items()]
        if not failed:
            return []
        more = f" (and {len(failed) - 1} more rows)" if len(failed) > 1 else ""
        return [_issue(override, "value", f"after {override.operation}, {failed[0]}{more}")]

    def _rows_changed(self, override: Override, changed: RowsChanged) -> list[Issue]:
        """Notes and blame for rows removed or copied. A copy inherits what touched its
        original (a workload scaled before the copy sizes the copy again too), and a copied
        service remembers the baseline's row it stems from (WISN)."""
        self.notes += changed.notes
        for key in changed.touched:
            if override.change is Change.ADD_ROW:
                inherited = self.touched.get((key[0], override.target), [])
                self.touched[key] = list(inherited)
                if key[0] == "Services":
                    self.origin[key[1]] = self.origin.get(override.target, override.target)
            self.touched.setdefault(key, []).append(override)
        return changed.issues

    def _changed_row(self, row: Any, override: Override) -> tuple[Any, float | None, bool]:
        """The row changed, the limit its value was capped at (if any), and whether the
        value stood at that limit already."""
        column = SHEETS_BY_NAME[override.sheet].column(override.column)
        old = getattr(row, override.column)
        new, limit = _changed(column, override.change, old, override.value)
        self.touched.setdefault((override.sheet, _row_id(override.sheet, row)),
                                []).append(override)
        already = limit is not None and old == limit
        if override.column == "demand_fte":  # demand given outright: no longer from workload
            return replace(row, demand_fte=new, annual_contacts=None,
                           minutes_per_contact=None), limit, already
        return replace(row, **{override.column: new}), limit, already

    def _apply_policy(self, override: Override) -> list[Issue]:
        key = override.column
        try:
            new, limit = _changed(policy_column(key), override.change,
                                  getattr(self.policy, key), override.value)
        except CellError as error:
            return [_issue(override, "value", f"after {override.operation}, Policy: {error}")]
        if limit is not None:
            self.notes.append(capped_note(override.row, override.operation, key, "", limit, ()))
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
            issues = [_issue(self.wisn or self.scenario.applied[-1], "value",
                             f"after this change, {NO_WORKING_TIME}")]
        base, name = self.base.source, self.scenario.name
        return replace(self.base, services=services, roles=tuple(self.rows["Roles"]),
                       psws=tuple(self.rows["PSWs"]), regions=tuple(self.rows["Regions"]),
                       policy=self.policy,
                       source=f"{base} [{name}]" if base else f"[{name}]"), issues

    def _demand(self, service: Service) -> Service:
        """WISN demand again when the workload or the working time changed.

        A changed workload always sizes the service again; a changed working time only
        where the workbook left demand_fte to WISN (it gives the same number as WISN).
        """
        touched = {o.column for o in self.touched.get(("Services", service.service_id), ())}
        if not service.demand_from_workload or not (touched & WORKLOAD or self.wisn):
            return service
        # a copy (add_row) is sized as the baseline's row it copies
        before = self.base.services_by_id[self.origin.get(service.service_id,
                                                          service.service_id)]
        if not touched & WORKLOAD and before.demand_fte != _wisn_demand(before, self.base.policy):
            return service
        return replace(service, demand_fte=required_fte(service, self.policy))

    def blame(self, issue: Issue) -> Issue:
        """A validator error of the changed org, located on the override that caused it."""
        key = self._issue_key(issue)
        overrides = self.touched.get(key, ())
        chosen = next((o for o in reversed(overrides) if o.column == issue.column),
                      overrides[-1] if overrides else self.scenario.applied[-1])
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
        chosen = [i for i, row in enumerate(rows) if matches(row, override.filters)]
        if chosen:
            return chosen, None
        return [], _issue(override, "id", f"filter {override.target!r} matches no {sheet} row"
                          f"{unmatched_hint(override.filters, rows)}")
    ids = [_row_id(sheet, row) for row in rows]
    if override.target in ids:
        return [ids.index(override.target)], None
    id_column = ENTITY_SHEETS[sheet][1]
    otherwise = spelled_otherwise(override.target)
    hint = f"; if it is meant as a filter, {otherwise}" if otherwise else Suggester(ids)(
        override.target)
    return [], _issue(override, "id", f"no {sheet} row with {id_column} "
                      f"{override.target!r}{hint}")


def _changed(column: Column, change: Change, old: Any, value: Any) -> tuple[Any, float | None]:
    """The new value, and the limit of the column's range it was capped at (None: not
    capped); raises CellError when the result breaks a rule no limit mends."""
    if change is Change.SET:
        return value, None
    if column.kind is Kind.LIST:
        return tuple(dict.fromkeys((*old, *value))), None
    if old is None:
        raise CellError(f"{column.name} is blank, so there is nothing to {change}; use set")
    result = round(old + value if change is Change.ADD else old * value, DECIMALS)
    limit = _limit_passed(column, result)
    return parse_cell(column, result if limit is None else limit), limit


def _limit_passed(column: Column, result: float) -> float | None:
    """The limit of the column's range `result` lies beyond, if any. An open limit (more
    than 0) has no value to stop at: the result stays out of range, an error."""
    if column.high is not None and result > column.high:
        return column.high
    if column.low is not None and result < column.low and not column.low_open:
        return column.low
    return None


def _wisn_demand(service: Service, policy: Policy) -> float | None:
    """WISN's demand for the service's workload and allowances (`core.wisn`); None without
    a workload or working time."""
    steps = service_steps(service, policy)
    return None if steps is None else steps.required_fte


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
    with the problems of the organisation and of every scenario together. The scenarios
    returned carry the notes of what applying them did (`applied_scenarios`).
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
        orgs, noted = applied_scenarios(org, scenarios)
    except ValidationError as error:
        raise ValidationError(in_order([*issues, *error.issues])) from None
    if issues:
        raise ValidationError(issues)
    return orgs, noted
