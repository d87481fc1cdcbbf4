"""The Scenarios sheet read into typed overrides (the rules that need no organisation).

One row is one `Override`: on `sheet`, for the row with id `id`, for every row (`*`), or for
the rows a filter selects (`setting=inpatient`; several joined with `&`; a list column
matches when it holds the filter's items), `set`, `add` or `scale` one `column`. A Policy
key is addressed as `sheet=Policy, id=<key>, column=value`. Rows with the same scenario
name form one `Scenario`, whose overrides apply in row order (`scenarios.apply_scenario`).

Cells are parsed as `tables.read_table` parses every other sheet, and each value by the
changed column's schema Kind with the workbook's own rules and messages (`cells`): `set`
takes a value of the column, `add` an amount (or list items to append), `scale` a factor.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from planner.core.errors import Issue
from planner.workbook.cells import CellError, number_text, suggestion
from planner.workbook.schema import SCENARIOS, SHEETS_BY_NAME, Column, Kind
from planner.workbook.tables import Issues, RawSheet, Table, read_record, read_table

# read_table checks only the Scenarios header (tables.COLUMNS_ONLY); its rows are parsed
# here by the same two functions that parse every other sheet's rows.
from planner.workbook.tables import parse as parse_typed
from planner.workbook.validation import POLICY_TYPES, policy_column

BASELINE = "baseline"  # the name of the plan without changes
ALL_ROWS = "*"
FILTER_JOIN = "&"
POLICY_SHEET = "Policy"
POLICY_COLUMN = "value"
KIND_WORDS = {Kind.TEXT: "text", Kind.ID: "an id", Kind.BOOL: "yes/no",
              Kind.CHOICE: "a choice from a list", Kind.LIST: "a list",
              Kind.INT: "a whole number", Kind.FLOAT: "a number"}
NUMBER_KINDS = frozenset({Kind.INT, Kind.FLOAT})


class Change(StrEnum):
    SET = "set"
    ADD = "add"
    SCALE = "scale"


SYMBOLS = {Change.SET: "=", Change.ADD: "+", Change.SCALE: "×"}


@dataclass(frozen=True)
class Override:
    """One Scenarios row, typed: `value` is the new value, the amount to add or the factor."""

    row: int  # spreadsheet row of the Scenarios sheet
    sheet: str  # Services, Roles, PSWs or Policy
    target: str  # as written: an id, '*', a filter, or (Policy) the key
    column: str  # the column changed; for Policy, the key
    change: Change
    value: Any
    filters: tuple[tuple[str, Any], ...] = ()  # (column, value) when `target` is a filter
    cells: tuple[tuple[str, str], ...] = ()  # Scenarios column -> its cell, e.g. ("id", "C4")

    def cell(self, column: str) -> str | None:
        return dict(self.cells).get(column) or None

    @property
    def operation(self) -> str:
        """'climate + 1', 'budget × 1.2', 'topics = housing, rights'."""
        return f"{self.column} {SYMBOLS[self.change]} {value_words(self.value)}"

    def describe(self) -> str:
        """The change in words: 'Services S1: climate + 1', 'Policy: budget × 1.2'."""
        where = self.sheet if self.sheet == POLICY_SHEET else f"{self.sheet} {self.target}"
        return f"{where}: {self.operation}"

    def describe_private(self) -> str:
        """The change without one person's id, a group's filter or their values.

        PSWs rows are health data (README, Privacy); a change to everyone is not personal.
        """
        if self.sheet != "PSWs" or self.target == ALL_ROWS:
            return self.describe()
        who = "a group of people" if self.filters else "one person"
        return f"PSWs, {who}: {self.column} changed"


@dataclass(frozen=True)
class Scenario:
    """A named list of overrides on the baseline, applied in order."""

    name: str
    overrides: tuple[Override, ...]

    def changes(self, private: bool = False) -> tuple[str, ...]:
        """Each override in words (`private`: without a person's id or values)."""
        return tuple(o.describe_private() if private else o.describe() for o in self.overrides)


def value_words(value: Any) -> str:
    """A typed value as a sentence shows it: lists joined, yes/no, numbers with commas."""
    if isinstance(value, tuple):
        return ", ".join(value) or "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return number_text(value)
    return "(blank)" if value is None else str(value)


def parse_scenarios(raw: RawSheet | None) -> tuple[list[Scenario], list[Issue]]:
    """The scenarios of a raw Scenarios sheet, and every problem found in it."""
    if raw is None:
        return [], []
    issues = Issues()
    table = read_table(raw, issues)
    if not table.complete:
        return [], list(issues.in_order())
    overrides: dict[str, list[Override]] = {}
    spelling: dict[str, tuple[str, int]] = {BASELINE: (BASELINE, 0)}
    for raw_row in raw.rows:
        record = read_record(table, raw_row, issues)
        if record.bad:
            continue
        name = _scenario_name(table, record.row, record.values["scenario"], spelling, issues)
        # the value as the cell holds it: its changed column's Kind parses it, not TEXT
        cells = {**record.values, "value": raw_row.values[table.positions["value"]]}
        override = _override(table, record.row, cells, issues)
        if name is not None and override is not None:
            overrides.setdefault(name, []).append(override)
    return [Scenario(n, tuple(o)) for n, o in overrides.items()], list(issues.in_order())


def _scenario_name(table: Table, row: int, name: str, spelling: dict[str, tuple[str, int]],
                   issues: Issues) -> str | None:
    """The name, unless it is 'baseline' or differs from an earlier one only in case."""
    first, first_row = spelling.setdefault(name.lower(), (name, row))
    if first == name and first_row:
        return name
    if not first_row:
        issues.at(table, row, "scenario", f"the name {BASELINE!r} is kept for the plan "
                  "without changes; give the scenario another name")
    else:
        issues.at(table, row, "scenario", f"scenario {name!r} differs from {first!r} (row "
                  f"{first_row}) only in case; spell both the same")
    return None


def _override(table: Table, row: int, values: dict[str, Any], issues: Issues) -> Override | None:
    """The typed override of one row, or None once every problem in it is reported."""
    sheet, change, target = values["sheet"], Change(values["change"]), values["id"]
    found = len(issues.found)
    column = _changed_column(table, row, sheet, target, values["column"], issues)
    value = None
    if column is not None and _change_fits(table, row, column, change, issues):
        value = _parse_value(table, row, sheet, column, change, values["value"], issues)
    filters: tuple[tuple[str, Any], ...] = ()
    if sheet != POLICY_SHEET and target != ALL_ROWS and "=" in target:
        filters = _parse_filters(table, row, sheet, target, issues)
    if column is None or len(issues.found) > found:
        return None
    cells = tuple((c, table.cell(c, row) or "") for c in SCENARIOS.column_names)
    return Override(row, sheet, target, column.name, change, value, filters, cells)


def _changed_column(table: Table, row: int, sheet: str, target: str, name: str,
                    issues: Issues) -> Column | None:
    """The schema Column the row changes: a Policy key's, or a column of the sheet."""
    if sheet == POLICY_SHEET:
        if name.strip().lower() != POLICY_COLUMN:
            issues.at(table, row, "column", f"a Policy change names the key in id and "
                      f"{POLICY_COLUMN!r} in column, got {name!r}")
        key = target.strip().lower()
        if key not in POLICY_TYPES:
            issues.at(table, row, "id",
                      f"unknown policy key {target!r}{suggestion(key, POLICY_TYPES)}")
            return None
        return policy_column(key)
    schema, name = SHEETS_BY_NAME[sheet], name.strip().lower()
    if name not in schema.column_names:
        issues.at(table, row, "column", f"{sheet} has no column {name!r}"
                  f"{suggestion(name, schema.column_names)}")
        return None
    if schema.column(name).kind is Kind.ID:
        issues.at(table, row, "column",
                  f"{name} is the id of a row and cannot be changed by a scenario")
        return None
    return schema.column(name)


def _change_fits(table: Table, row: int, column: Column, change: Change,
                 issues: Issues) -> bool:
    """set fits any column; add a number or a list; scale a number."""
    allowed = {Change.SET: set(Kind), Change.ADD: NUMBER_KINDS | {Kind.LIST},
               Change.SCALE: NUMBER_KINDS}[change]
    if column.kind in allowed:
        return True
    needs = "a number or list column" if change is Change.ADD else "a number column"
    issues.at(table, row, "change", f"{change} needs {needs}, but {column.name} is "
              f"{KIND_WORDS[column.kind]}; use set")
    return False


def _parse_value(table: Table, row: int, sheet: str, column: Column, change: Change,
                 value: object, issues: Issues) -> Any:
    """The value as the column's Kind reads it: new value, amount to add, or factor."""
    if change is Change.SCALE:
        column = Column(f"the factor to scale {column.name} by", Kind.FLOAT, "", low=0)
    elif change is Change.ADD and column.kind is not Kind.LIST:
        column = replace(column, name=f"the amount to add to {column.name}", low=None,
                         high=None, low_open=False)
    try:
        return parse_typed(sheet, column, value)
    except CellError as error:
        issues.at(table, row, "value", str(error))
        return None


def _parse_filters(table: Table, row: int, sheet: str, target: str,
                   issues: Issues) -> tuple[tuple[str, Any], ...]:
    """'setting=inpatient & region=North' as ((column, typed value), ...)."""
    schema, filters = SHEETS_BY_NAME[sheet], []
    for part in (p.strip() for p in target.split(FILTER_JOIN)):
        name, _, text = (p.strip() for p in part.partition("="))
        name = name.lower()
        if name not in schema.column_names:
            issues.at(table, row, "id", f"filter {part!r}: {sheet} has no column "
                      f"{name!r}{suggestion(name, schema.column_names)}")
            continue
        try:
            filters.append((name, parse_typed(sheet, schema.column(name), text)))
        except CellError as error:
            issues.at(table, row, "id", f"filter {part!r}: {error}")
    return tuple(filters)
