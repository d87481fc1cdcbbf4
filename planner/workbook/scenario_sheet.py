"""The Scenarios sheet read into typed overrides (the rules that need no organisation).

One row is one `Override`: on `sheet`, for the row with id `id`, for every row (`*`), or for
the rows a filter selects (`climate<3`, `setting=inpatient|crisis`, joined with `&`:
`scenario_filters`), `set`, `add` or `scale` one `column`, `remove` the rows, or
`add_row`: copy the row `id` as new rows whose ids `value` names, for later rows of the
scenario to change. A Policy key is addressed as `sheet=Policy, id=<key>, column=value`.
Rows with the same scenario name form one `Scenario`, whose overrides apply in row order
(`scenarios.apply_scenario`), after those of the scenario it builds on (`base`), if any; its
`description` says what it stands for (`scenario_bases`).

Cells are parsed as `tables.read_table` parses every other sheet, and each value by the
changed column's schema Kind with the workbook's own rules and messages (`cells`): `set`
takes a value of the column, `add` an amount (or list items to append), `scale` a factor.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from planner.core.audience import DEFAULT_K, Audience
from planner.core.errors import Issue
from planner.core.formatting import plural
from planner.workbook.cells import CellError, is_blank, number_text, suggestion
from planner.workbook.scenario_bases import DESCRIPTION, ScenarioWide
from planner.workbook.scenario_filters import (
    KIND_WORDS,
    NUMBER_KINDS,
    Condition,
    is_filter,
    parse_filter,
)
from planner.workbook.scenario_notes import PEOPLE_SHEET, Note
from planner.workbook.schema import SCENARIOS, SHEETS_BY_NAME, Column, Kind
from planner.workbook.tables import Issues, RawRow, RawSheet, Table, read_record, read_table

# read_table checks only the Scenarios header (tables.COLUMNS_ONLY); its rows are parsed
# here by the same two functions that parse every other sheet's rows.
from planner.workbook.tables import parse as parse_typed
from planner.workbook.validation import POLICY_TYPES, policy_column

BASELINE = "baseline"  # the name of the plan without changes
ALL_ROWS = "*"
POLICY_SHEET = "Policy"
POLICY_COLUMN = "value"
# what a change the sheet cannot hold needs: two workbooks, each a whole organisation
ELSEWHERE = ("; a change the Scenarios sheet cannot hold fits a workbook of its own: "
             "planner compare a.xlsx b.xlsx")


class Change(StrEnum):
    SET = "set"
    ADD = "add"
    SCALE = "scale"
    REMOVE = "remove"
    ADD_ROW = "add_row"


SYMBOLS = {Change.SET: "=", Change.ADD: "+", Change.SCALE: "×"}
ROW_CHANGES = frozenset({Change.REMOVE, Change.ADD_ROW})  # whole rows, no column
# words people write for a change, and the change that says it here
SYNONYMS = {"delete": Change.REMOVE, "drop": Change.REMOVE, "close": Change.REMOVE,
            "copy": Change.ADD_ROW, "insert": Change.ADD_ROW, "duplicate": Change.ADD_ROW,
            "multiply": Change.SCALE, "increase": Change.ADD, "replace": Change.SET}
NEEDS = {Change.SET: "the new value", Change.ADD: "the amount to add",
         Change.SCALE: "the factor to scale by"}


@dataclass(frozen=True)
class Override:
    """One Scenarios row, typed: `value` is the new value, the amount to add or the factor."""

    row: int  # spreadsheet row of the Scenarios sheet
    sheet: str  # Services, Roles, PSWs, Regions or Policy
    target: str  # as written: an id, '*', a filter, or (Policy) the key
    column: str  # the column changed; for Policy, the key; '' for remove and add_row
    change: Change
    value: Any  # add_row: the new rows' ids; remove: None
    filters: tuple[Condition, ...] = ()  # when `target` is a filter
    cells: tuple[tuple[str, str], ...] = ()  # Scenarios column -> its cell, e.g. ("id", "C4")

    def cell(self, column: str) -> str | None:
        return dict(self.cells).get(column) or None

    def issue(self, column: str, message: str) -> Issue:
        """A problem of this row, located in its cell in `column` of the Scenarios sheet."""
        return Issue(SCENARIOS.name, message, self.row, column, self.cell(column))

    @property
    def operation(self) -> str:
        """'climate + 1', 'budget × 1.2', 'topics = housing, rights', 'removed',
        'copied as S9'."""
        if self.change is Change.REMOVE:
            return "removed"
        if self.change is Change.ADD_ROW:
            return f"copied as {value_words(self.value)}"
        return f"{self.column} {SYMBOLS[self.change]} {value_words(self.value)}"

    def describe(self) -> str:
        """The change in words: 'Services S1: climate + 1', 'Policy: budget × 1.2'."""
        where = self.sheet if self.sheet == POLICY_SHEET else f"{self.sheet} {self.target}"
        return f"{where}: {self.operation}"

    def describe_private(self) -> str:
        """The change without one person's id, a group's filter or their values.

        PSWs rows are health data (README, Privacy); a change to everyone is not personal.
        """
        if self.sheet != PEOPLE_SHEET or self.target == ALL_ROWS:
            return self.describe()
        if self.change is Change.ADD_ROW:  # new people: their ids would stand for the one
            return (f"PSWs: {plural(len(self.value), 'new person', 'new people')} with one "
                    "person's profile")
        who = "a group of people" if self.filters else "one person"
        what = "removed" if self.change is Change.REMOVE else f"{self.column} changed"
        return f"PSWs, {who}: {what}"


@dataclass(frozen=True)
class Scenario:
    """A named list of overrides on the baseline, applied in order.

    `notes` say what applying it to an organisation did beyond the rows' words (values
    capped, rows a filter removed, references dropped with them):
    `scenarios.applied_scenarios` fills them; a scenario only read has none. A scenario that
    builds on another (`base`) applies the base's overrides first (`inherited`, the base's
    own base's first of all), and its notes say what they did too.
    """

    name: str
    overrides: tuple[Override, ...]
    notes: tuple[Note, ...] = ()
    description: str = ""  # what it stands for, in the consultant's words
    base: str = ""  # the scenario it builds on ('': the baseline)
    inherited: tuple[Override, ...] = ()  # the base's overrides, applied before its own

    @property
    def applied(self) -> tuple[Override, ...]:
        """Every override the scenario applies, in order: its bases', then its own."""
        return self.inherited + self.overrides

    def changes(self, private: bool = False) -> tuple[str, ...]:
        """Each override in words (`private`: without a person's id or values)."""
        return tuple(o.describe_private() if private else o.describe() for o in self.overrides)

    def note_words(self, audience: Audience = Audience.HR,
                   k: int = DEFAULT_K) -> tuple[str, ...]:
        """Each note as `audience` may read it (people counted, not named, for directors)."""
        words = (note.words(audience, k) for note in self.notes)
        return tuple(w for w in words if w)


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
    wide = ScenarioWide(table, issues)
    for raw_row in raw.rows:
        found = len(issues.found)
        record = read_record(table, raw_row, issues)
        _point_elsewhere(table, raw_row, issues, found)
        if record.bad:
            continue
        name = _scenario_name(table, record.row, record.values["scenario"], spelling, issues)
        if name is not None:
            wide.read(name, record.row, record.values)
        # the value as the cell holds it: its changed column's Kind parses it, not TEXT
        cells = {**record.values, "value": _raw_value(table, raw_row)}
        override = _override(table, record.row, cells, issues)
        if name is not None and override is not None:
            overrides.setdefault(name, []).append(override)
    named = [first for first, row in spelling.values() if row]  # rows with errors too
    chains = wide.bases(named, BASELINE)
    return [Scenario(name, tuple(own), description=wide.value(name, DESCRIPTION),
                     base=chains[name][-1] if chains[name] else "",
                     inherited=tuple(o for base in chains[name] for o in overrides.get(base, ())))
            for name, own in overrides.items() if name in chains], list(issues.in_order())


def _raw_value(table: Table, raw_row: RawRow) -> object:
    """The value cell as written (None when the sheet has no value column: removals only)."""
    position = table.positions.get("value")
    if position is None or position >= len(raw_row.values):
        return None
    return raw_row.values[position]


def _point_elsewhere(table: Table, raw_row: RawRow, issues: Issues, found: int) -> None:
    """An unknown change names the one meant ('delete': remove), else says that what the
    sheet cannot hold goes in a workbook of its own; so does an unknown sheet that is no
    slip of a known one."""
    for number, issue in enumerate(issues.found[found:], start=found):
        if issue.column not in ("change", "sheet") or "must be one of" not in issue.message:
            continue
        if issue.column == "sheet" and "did you mean" in issue.message:
            continue
        word = str(raw_row.values[table.positions[issue.column]]).strip().lower()
        meant = SYNONYMS.get(word) if issue.column == "change" else None
        hint = f"; to {word}, use {meant.value}" if meant else ELSEWHERE
        issues.found[number] = replace(issue, message=issue.message + hint)


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
    name, value = "", None
    if change in ROW_CHANGES:
        value = _row_change_value(table, row, sheet, change, target, values, issues)
    else:
        column = _changed_column(table, row, sheet, target, values.get("column", ""), issues)
        if column is not None and _change_fits(table, row, column, change, issues):
            value = _parse_value(table, row, sheet, column, change, values["value"], issues)
        name = column.name if column is not None else ""
    filters: tuple[Condition, ...] = ()
    if sheet != POLICY_SHEET and target != ALL_ROWS and is_filter(target):
        filters, problems = parse_filter(sheet, target)
        for problem in problems:
            issues.at(table, row, "id", problem)
    if len(issues.found) > found:
        return None
    cells = tuple((c, table.cell(c, row) or "") for c in SCENARIOS.column_names)
    return Override(row, sheet, target, name, change, value, filters, cells)


def _row_change_value(table: Table, row: int, sheet: str, change: Change, target: str,
                      values: dict[str, Any], issues: Issues) -> tuple[str, ...] | None:
    """remove and add_row take whole rows: no column; add_row's value is the new ids."""
    if sheet == POLICY_SHEET:
        issues.at(table, row, "change", f"{change} works on the rows of Services, Roles, "
                  "PSWs and Regions; change a Policy key with set, add or scale")
        return None
    if values.get("column"):
        issues.at(table, row, "column", f"{change} takes whole rows; leave column blank")
    raw = values["value"]
    if change is Change.REMOVE:
        if not is_blank(raw):
            issues.at(table, row, "value", "remove takes no value; id (a row's id, '*' or a "
                      "filter) says which rows go; leave value blank")
        return None
    if target == ALL_ROWS or is_filter(target):
        issues.at(table, row, "id", f"add_row copies one row: give its {_id_column(sheet)}, "
                  "not '*' or a filter")
    new_ids = Column(f"the new {_id_column(sheet)}", Kind.LIST, "")
    ids = parse_typed(sheet, new_ids, raw) if not is_blank(raw) else ()
    if not ids:
        issues.at(table, row, "value", f"add_row needs the new row's {_id_column(sheet)} in "
                  "value (several: comma-separated)")
    return ids


def _id_column(sheet: str) -> str:
    return SHEETS_BY_NAME[sheet].columns[0].name


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
    if not name:
        issues.at(table, row, "column", "column is blank; set, add and scale name the column "
                  "they change (remove and add_row take whole rows)")
        return None
    if name not in schema.column_names:
        issues.at(table, row, "column", f"{sheet} has no column {name!r}"
                  f"{suggestion(name, schema.column_names)}")
        return None
    if schema.column(name).kind is Kind.ID:
        issues.at(table, row, "column",
                  f"{name} is the id of a row and cannot be changed by a scenario; add_row "
                  "copies a row under a new id")
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
    if is_blank(value):
        issues.at(table, row, "value", f"value is blank; {change} needs {NEEDS[change]}")
        return None
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
