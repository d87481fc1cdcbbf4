"""A sheet checked against its `schema.Sheet`: columns present, cells typed, ids unique.

`read_table` turns the raw rows of one sheet into `Record`s of typed values, reporting
each bad cell to an `Issues` collector with its spreadsheet location ("PSWs!C7").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Any, NamedTuple

from openpyxl.utils import get_column_letter

from planner.core.errors import Issue, Severity
from planner.workbook.cells import CellError, as_text, is_blank, parse_cell
from planner.workbook.schema import INPUT_SHEETS, SHEETS_BY_NAME, Column, Kind, Sheet

# Codes are matched in lower case ('Housing' is the topic 'housing'); ids keep their case.
LOWER_CASE = frozenset({("Services", "topics"), ("Roles", "topics"), ("Roles", "settings"),
                        ("PSWs", "topics"), ("PSWs", "preferred_settings"), ("Policy", "key")})
# Kept as the cell holds it: a Policy value is parsed once its key says what type it is.
RAW_COLUMNS = frozenset({("Policy", "value")})
# Only the columns of these sheets are checked here; their rows belong to another module.
COLUMNS_ONLY = frozenset({"Scenarios"})


class RawRow(NamedTuple):
    number: int  # spreadsheet row; the header is row 1
    values: tuple[object, ...]


@dataclass(frozen=True)
class RawSheet:
    """One sheet as read: the header row and the non-blank rows below it."""

    name: str  # canonical name, as in schema.SHEETS_BY_NAME
    header: tuple[object, ...]
    rows: tuple[RawRow, ...]


@dataclass
class Record:
    """One data row: the cells that parsed, and the columns that did not (`bad`)."""

    row: int
    values: dict[str, Any]
    bad: set[str] = field(default_factory=set)


@dataclass
class Table:
    """A sheet checked against its schema: where each column is, and its records."""

    schema: Sheet
    positions: dict[str, int]  # column name -> 0-based position in the sheet
    records: list[Record] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every required column is present, so every valid record is a whole object."""
        return all(c.name in self.positions for c in self.schema.columns if c.required)

    def cell(self, column: str, row: int) -> str | None:
        position = self.positions.get(column)
        return None if position is None else f"{get_column_letter(position + 1)}{row}"


class Issues:
    """The problems found so far, each located in its sheet."""

    def __init__(self) -> None:
        self.found: list[Issue] = []

    def at(self, table: Table, row: int, column: str | None, message: str,
           severity: Severity = Severity.ERROR) -> None:
        """An issue in one cell of `table` (row only, when the column is absent)."""
        cell = table.cell(column, row) if column else None
        self.found.append(Issue(table.schema.name, message, row, column, cell, severity))

    def add(self, issue: Issue) -> None:
        self.found.append(issue)

    def has_errors(self, sheet: str | None = None) -> bool:
        return any(i.severity is Severity.ERROR and sheet in (None, i.sheet) for i in self.found)

    def in_order(self) -> tuple[Issue, ...]:
        """Errors before warnings; each in sheet, row, column order."""
        sheet_order = {s.name: n for n, s in enumerate(INPUT_SHEETS)}

        def key(issue: Issue) -> tuple[bool, int, int, int]:
            letters = (issue.cell or "").rstrip("0123456789")
            return (issue.severity is not Severity.ERROR, sheet_order.get(issue.sheet, 99),
                    issue.row or 0, _column_number(letters))

        return tuple(sorted(self.found, key=key))


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def read_table(raw: RawSheet, issues: Issues) -> Table:
    """Check the header of `raw` and parse its rows; unique ids are checked too."""
    table = Table(SHEETS_BY_NAME[raw.name], {})
    if all(is_blank(title) for title in raw.header):
        names = ", ".join(c.name for c in table.schema.columns if c.required)
        issues.add(Issue(raw.name, f"row 1 must hold the column names ({names}, ...)"))
        return table
    table.positions = _header_positions(raw, table.schema, issues)
    if raw.name not in COLUMNS_ONLY:
        table.records = [read_record(table, row, issues) for row in raw.rows]
        _check_unique_ids(table, issues)
    return table


def _header_positions(raw: RawSheet, schema: Sheet, issues: Issues) -> dict[str, int]:
    known = set(schema.column_names)
    positions: dict[str, int] = {}
    unknown: dict[str, int] = {}  # extra columns are kept and ignored
    for position, title in enumerate(raw.header):
        name = "" if is_blank(title) else as_text(title).lower()
        if name and name not in known:
            unknown.setdefault(name, position)
        elif name in positions:
            first, again = get_column_letter(positions[name] + 1), get_column_letter(position + 1)
            issues.add(Issue(raw.name, f"column {name!r} appears twice (columns {first} and "
                             f"{again}); keep one", 1, name, f"{again}1"))
        elif name:
            positions[name] = position
    _report_missing_columns(schema, positions, unknown, issues)
    return positions


def _report_missing_columns(schema: Sheet, positions: dict[str, int],
                            unknown: dict[str, int], issues: Issues) -> None:
    """A missing required column is an error; a misspelt optional one, a warning. An
    unknown column is taken as the misspelling of one column at most, a required first."""
    unclaimed = dict(unknown)
    for column in sorted(schema.columns, key=lambda c: not c.required):
        if column.name in positions:
            continue
        near = next(iter(_closest(column.name, unclaimed)), None)
        unclaimed.pop(near, None)
        cell = f"{get_column_letter(unknown[near] + 1)}1" if near else None
        if column.required:
            hint = f" (is column {near!r} meant to be it?)" if near else ""
            issues.add(Issue(schema.name, f"missing required column {column.name!r}{hint}",
                             1, column.name if near else None, cell))
        elif near:
            issues.add(Issue(schema.name, f"column {near!r} is not a known column and is "
                             f"ignored; did you mean {column.name!r}?", 1, near, cell,
                             Severity.WARNING))


def _closest(word: str, candidates: Iterable[str]) -> list[str]:
    return get_close_matches(word, list(candidates), n=1)


def read_record(table: Table, raw_row: RawRow, issues: Issues) -> Record:
    record = Record(raw_row.number, {})
    sheet = table.schema.name
    for column in table.schema.columns:
        position = table.positions.get(column.name)
        if position is None:
            continue
        value = raw_row.values[position] if position < len(raw_row.values) else None
        try:
            parsed = parse(sheet, column, value)
        except CellError as error:
            record.bad.add(column.name)
            issues.at(table, record.row, column.name, str(error))
            continue
        if parsed is not None:
            record.values[column.name] = parsed
        elif column.required:
            record.bad.add(column.name)
            issues.at(table, record.row, column.name, f"{column.name} is required but blank")
    return record


def parse(sheet: str, column: Column, value: object) -> Any:
    if (sheet, column.name) in RAW_COLUMNS:
        return None if is_blank(value) else value
    parsed = parse_cell(column, value)
    if (sheet, column.name) not in LOWER_CASE or parsed is None:
        return parsed
    if isinstance(parsed, tuple):
        return tuple(dict.fromkeys(item.lower() for item in parsed))
    return str(parsed).lower()


def _check_unique_ids(table: Table, issues: Issues) -> None:
    id_column = next((c.name for c in table.schema.columns if c.kind is Kind.ID), None)
    if id_column is None:
        return
    first_row: dict[str, int] = {}
    for record in table.records:
        key = record.values.get(id_column)
        if key is None:
            continue
        if key in first_row:
            record.bad.add(id_column)
            issues.at(table, record.row, id_column,
                      f"duplicate {id_column} {key!r} (first on row {first_row[key]})")
        else:
            first_row[key] = record.row
