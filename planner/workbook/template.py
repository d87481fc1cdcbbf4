"""Write an organisation workbook that is hard to fill in wrongly.

`write_workbook(path)` writes the blank template; `write_workbook(path, org)` writes an
organisation (the worked example, a generated or a sample one) in the same layout. The
layout is `schema.INPUT_SHEETS`, so the reader, the validator and this writer agree:

- "Instructions" first: what the workbook is, every sheet and column, the topic codes,
  the Policy keys, and a privacy note (the PSWs sheet holds health data);
- one sheet per input table: header frozen and styled, a comment on every header cell,
  Excel data validation on the data cells (drop-downs, number ranges, input messages);
- "Lists" last: topic codes, settings and yes/no, for reference.

The file is written whole (temporary file, then rename) and reproducibly: the same
organisation gives the same bytes, so bundled samples only change when their data does.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from planner.core.domain import BUILTIN_TOPICS, SETTINGS, TARGETS, LonePeer, Org, Policy, Service
from planner.core.errors import UsageError
from planner.core.wisn import derived_steps
from planner.core.xlsx import HEADER_FILL, HEADER_FONT, CellValue, write_book_atomic, write_cell
from planner.workbook.schema import (
    INPUT_SHEETS,
    POLICY,
    POLICY_NOTES,
    SCENARIOS,
    YES_NO,
    Column,
    Kind,
    Sheet,
)

VALIDATED_ROWS = 1000  # data validation reaches at least this row, beyond any data
POLICY_NOTE_WIDTH = 80
_EXCEL_TEXT_MAX = 255  # input and error messages of a data validation
_EXCEL_TITLE_MAX = 32


def write_workbook(path: str | Path, org: Org | None = None, *, force: bool = False,
                   scenarios: Sequence[Sequence[object]] = ()) -> Path:
    """Write the input workbook for `org` (blank template when None) to `path`.

    `scenarios` are rows of the Scenarios sheet (scenario, sheet, id, column, change,
    value). Refuses to replace an existing file unless `force`; returns the path written.
    Example: write_workbook("my_org.xlsx", example_org())
    """
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise UsageError(f"{target}: the workbook name must end in .xlsx")
    if target.is_dir():
        raise UsageError(f"{target} is a folder, not a workbook file")
    if target.exists() and not force:
        raise UsageError(f"{target} already exists; use --force to overwrite it")
    book = build_workbook(org, scenarios)
    return write_book_atomic(book, target)


def build_workbook(org: Org | None = None,
                   scenarios: Sequence[Sequence[object]] = ()) -> Workbook:
    """The workbook in memory: Instructions, the input sheets in schema order, Lists."""
    topics = dict(org.topics) if org else dict(BUILTIN_TOPICS)
    policy = org.policy if org else Policy()
    book = Workbook()
    _write_instructions(book.active, topics)
    for sheet in INPUT_SHEETS:
        sheet_rows = _sheet_rows(sheet, org, topics, policy, scenarios)
        worksheet = book.create_sheet(sheet.name)
        _write_table(worksheet, sheet, sheet_rows, topics)
    _write_lists(book.create_sheet("Lists"), topics)
    return book


# --- rows --------------------------------------------------------------------------------

def cell_value(value: object) -> CellValue:
    """A domain value as a cell holds it: lists joined, yes/no, blanks for None and ''."""
    if value is None or value == "" or value == ():
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, int | float | str):
        return value
    return str(value)


def _sheet_rows(sheet: Sheet, org: Org | None, topics: dict[str, str], policy: Policy,
                scenarios: Sequence[Sequence[object]] = ()) -> list[list[CellValue]]:
    if sheet is POLICY:
        return [[key, cell_value(getattr(policy, key)), note]
                for key, note in POLICY_NOTES.items()]
    if sheet.name == "Topics":
        return [[code, label] for code, label in topics.items()
                if BUILTIN_TOPICS.get(code) != label]
    if sheet is SCENARIOS:
        return [list(map(cell_value, row)) for row in scenarios]
    records = {"Services": org.services, "Roles": org.roles, "PSWs": org.psws,
               "Regions": org.regions} if org else {}
    return [[_field(record, column.name, policy) for column in sheet.columns]
            for record in records.get(sheet.name, ())]


def _field(record: object, name: str, policy: Policy) -> CellValue:
    # A service sized by workload leaves demand_fte blank, so the reader re-derives it;
    # a demand given outright beside a workload is kept.
    if name == "demand_fte" and isinstance(record, Service) and derived_steps(record, policy):
        return None
    return cell_value(getattr(record, name))


# --- sheets ------------------------------------------------------------------------------

def _write_table(ws: Worksheet, sheet: Sheet, rows: list[list[CellValue]],
                 topics: dict[str, str]) -> None:
    columns = list(sheet.columns)
    _write_header(ws, columns)
    if sheet is POLICY:
        _write_note_header(ws, len(columns) + 1)
    for row_number, values in enumerate(rows, start=2):
        for column_number, value in enumerate(values, start=1):
            write_cell(ws, row_number, column_number, value)
    last_row = max(VALIDATED_ROWS, len(rows) + VALIDATED_ROWS // 2)
    for number, column in enumerate(columns, start=1):
        if sheet is not POLICY:
            _validate_column(ws, number, column, topics, last_row)
    if sheet is POLICY:
        _validate_policy_values(ws, rows)
    ws.freeze_panes = "A2"
    last_column = get_column_letter(ws.max_column)
    ws.auto_filter.ref = f"A1:{last_column}{max(2, len(rows) + 1)}"


def _write_header(ws: Worksheet, columns: Sequence[Column]) -> None:
    for number, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=number, value=column.name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.comment = _comment(header_note(column))
        ws.column_dimensions[get_column_letter(number)].width = column.width


def _write_note_header(ws: Worksheet, number: int) -> None:
    cell = ws.cell(row=1, column=number, value="note")
    cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    cell.comment = _comment("What the key means (for reading only; the planner ignores it).")
    ws.column_dimensions[get_column_letter(number)].width = POLICY_NOTE_WIDTH


def _comment(text: str) -> Comment:
    comment = Comment(text, "planner")
    comment.width, comment.height = 320, 140
    return comment


def header_note(column: Column) -> str:
    """The header comment: meaning, whether required, allowed values."""
    need = "Required." if column.required else "Optional."
    return f"{column.note}\n{need} {allowed_values(column)}"


# --- data validation ---------------------------------------------------------------------

def _validate_column(ws: Worksheet, number: int, column: Column, topics: dict[str, str],
                     last_row: int) -> None:
    validation = column_validation(column, topics)
    letter = get_column_letter(number)
    validation.add(f"{letter}2:{letter}{last_row}")
    ws.add_data_validation(validation)


def column_validation(column: Column, topics: dict[str, str]) -> DataValidation:
    """The Excel rule for a column's data cells: a drop-down, a range, or a prompt only."""
    if column.kind in (Kind.CHOICE, Kind.BOOL):
        validation = _choice_validation(column.choices or YES_NO)
    elif column.name == "targets":
        validation = _targets_validation(topics)
    elif column.kind in (Kind.INT, Kind.FLOAT):
        low = float(column.low or 0)
        # Excel has no 'more than low up to high'; the smallest useful step stands in.
        low = low + 0.01 if column.low_open else low
        validation = DataValidation(
            type="whole" if column.kind is Kind.INT else "decimal", operator="between",
            formula1=_formula_number(low), formula2=_formula_number(column.high),
            allow_blank=True)
    else:
        validation = DataValidation(allow_blank=True)  # input message only
    validation.promptTitle = column.name[:_EXCEL_TITLE_MAX]
    validation.prompt = _prompt(column, topics)[:_EXCEL_TEXT_MAX]
    validation.errorTitle = f"Invalid {column.name}"[:_EXCEL_TITLE_MAX]
    validation.error = f"{column.name}: {allowed_values(column)}"[:_EXCEL_TEXT_MAX]
    validation.showInputMessage = validation.showErrorMessage = True
    return validation


def _targets_validation(topics: dict[str, str]) -> DataValidation:
    """A drop-down of the usual target lists (the Lists sheet's `targets` column); any
    other order is accepted after a warning, and the planner checks every code."""
    names = list(lists_columns(topics))
    letter = get_column_letter(names.index("targets") + 1)
    validation = DataValidation(type="list", allow_blank=True, errorStyle="warning",
                                formula1=f"=Lists!${letter}$2:${letter}${len(TARGET_CHOICES) + 1}")
    return validation


def _formula_number(value: float | None) -> str:
    """A number as an Excel formula takes it: no thousands separator, no exponent."""
    number = float(value or 0)
    return str(int(number)) if number.is_integer() else repr(number)


def _choice_validation(choices: Sequence[str]) -> DataValidation:
    return DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)


def _prompt(column: Column, topics: dict[str, str]) -> str:
    if column.kind is Kind.LIST and column.name == "topics":
        return "Comma-separated topic codes (full list on the Lists sheet): " + ", ".join(topics)
    if column.kind is Kind.LIST and column.name.endswith("settings"):
        return "Comma-separated settings: " + ", ".join(lists_columns(topics)["setting"])
    if column.kind is Kind.LIST and column.name == "targets":
        return "Comma-separated, the main target first: " + ", ".join(TARGETS)
    return f"{column.note} {allowed_values(column)}"


def _validate_policy_values(ws: Worksheet, rows: list[list[CellValue]]) -> None:
    """Drop-downs for the Policy keys that take a word rather than a number."""
    words = {key: tuple(choices) for key, choices in
             (("lone_peer", ("forbid", "discourage", "allow")), ("allow_vacancies", YES_NO))}
    for row_number, (key, *_rest) in enumerate(rows, start=2):
        if key in words:
            validation = _choice_validation(words[str(key)])
            validation.add(f"B{row_number}")
            ws.add_data_validation(validation)


# --- Instructions and Lists --------------------------------------------------------------

def _write_instructions(ws: Worksheet, topics: dict[str, str]) -> None:
    ws.title = "Instructions"
    for width, letter in zip((24, 12, 90, 34), "ABCD", strict=True):
        ws.column_dimensions[letter].width = width
    for row_number, (style, values) in enumerate(instruction_rows(topics), start=1):
        for column_number, value in enumerate(values, start=1):
            write_cell(ws, row_number, column_number, value)
            cell = ws.cell(row=row_number, column=column_number)
            cell.alignment = Alignment(wrap_text=style in ("text", "header"), vertical="top")
            if style != "text":
                cell.font = Font(bold=True, size={"title": 16, "heading": 12}.get(style, 11))
            if style == "header":
                cell.fill = HEADER_FILL


def _write_lists(ws: Worksheet, topics: dict[str, str]) -> None:
    for number, (name, values) in enumerate(lists_columns(topics).items(), start=1):
        header = ws.cell(row=1, column=number, value=name)
        header.font, header.fill = HEADER_FONT, HEADER_FILL
        ws.column_dimensions[get_column_letter(number)].width = 36 if name == "label" else 18
        for row_number, value in enumerate(values, start=2):
            write_cell(ws, row_number, number, value)
    ws.freeze_panes = "A2"
    ws.sheet_properties.tabColor = "A6A6A6"


# --- the words of the Instructions and Lists sheets -----------------------------------------

InstructionRow = tuple[str, tuple[str | int | float | None, ...]]  # (style, cells)

TITLE = "Peer support workforce planner: organisation workbook"
INTRODUCTION = (
    "This workbook describes one organisation for the planner: its services (teams), the "
    "catalogue of peer support worker (PSW) roles, the PSWs themselves and, optionally, extra "
    "topics, policy settings and what-if scenarios. The planner reads it and proposes the role "
    "mix, who takes which position, which positions to recruit for, and why."
)
STEPS = (
    "Fill in Services, Roles and PSWs: one row per item, starting on row 2. Keep the header "
    "row as it is: column names are exact and lower case.",
    "Hover over a column header to read what it means. Selecting a data cell shows its allowed "
    "values; Excel refuses numbers out of range and offers drop-downs for fixed choices.",
    "Lists inside a cell are comma-separated codes, e.g. 'housing, wellness'. Yes/no columns "
    "take yes or no. Blank optional cells take the default (see the Policy sheet).",
    "Ids are case-sensitive text; use the same id wherever a row is referred to (e.g. a PSW's "
    "current_service is a service_id from the Services sheet).",
    "Extra columns are kept and ignored, so you can add your own notes beside the data.",
    "Check the workbook with 'planner validate <file>.xlsx', then plan with "
    "'planner plan <file>.xlsx -o <folder>'. Problems are listed by sheet, row and column.",
)
PRIVACY = (
    "The PSWs sheet holds health data (special-category data under GDPR article 9): readiness "
    "to self-disclose and lived-experience topics. Keep this file where you keep HR or clinical "
    "records, share it only with people who need it, and prefer ids or pseudonyms in the name "
    "column. The planner never prints these data to the terminal, and director reports show no "
    "named person's readiness or topics."
)


def instruction_rows(topics: dict[str, str]) -> list[InstructionRow]:
    """Every row of the Instructions sheet, top to bottom."""
    rows: list[InstructionRow] = [("title", (TITLE,)), ("text", (None, None, INTRODUCTION))]
    rows += _section("How to fill it in", ("Step", None, "What to do"),
                     [(str(n), None, step) for n, step in enumerate(STEPS, start=1)])
    rows += [("heading", ("Privacy",)), ("text", (None, None, PRIVACY))]
    rows += _section("Sheets", ("Sheet", "Needed", "Purpose"),
                     [(s.name, "required" if s.required else "optional", s.purpose)
                      for s in INPUT_SHEETS])
    for sheet in INPUT_SHEETS:
        rows += _section(f"{sheet.name} columns", ("Column", "Needed", "Meaning", "Allowed"),
                         [(c.name, "required" if c.required else "optional", c.note,
                           allowed_values(c)) for c in sheet.columns])
    rows += _section("Topic codes", ("Code", None, "Label"),
                     [(code, None, label) for code, label in topics.items()])
    rows += _section("Settings", ("Setting",), [(setting,) for setting in SETTINGS])
    rows += _section("Policy keys", ("Key", "Default", "Meaning"),
                     [(key, _shown(getattr(Policy(), key)), note)
                      for key, note in POLICY_NOTES.items()])
    return rows


def _section(title: str, header: tuple[str | None, ...],
             body: list[tuple[str | None, ...]]) -> list[InstructionRow]:
    return [("text", ()), ("heading", (title,)), ("header", header),
            *(("text", cells) for cells in body)]


def allowed_values(column: Column) -> str:
    """Allowed values in words, e.g. 'Whole number from 1 to 5.'"""
    if column.kind is Kind.INT:
        return f"Whole number from {number_text(column.low)} to {number_text(column.high)}."
    if column.kind is Kind.FLOAT:
        above = "more than" if column.low_open else "from"
        return f"Number {above} {number_text(column.low)} up to {number_text(column.high)}."
    if column.kind in (Kind.CHOICE, Kind.BOOL):
        return "One of: " + ", ".join(column.choices or YES_NO) + "."
    if column.kind is Kind.LIST:
        return f"Comma-separated {_LIST_ITEMS.get(column.name, 'list')}."
    if column.kind is Kind.ID:
        return "Text, unique in this sheet."
    return "Text."


# the targets drop-down: each target alone, then the usual pairs (the main target first)
TARGET_CHOICES = (*TARGETS, "service_users, staff", "staff, service_users", "leadership, staff",
                  "staff, leadership", "service_users, staff, leadership")
_LIST_ITEMS = {"topics": "topic codes", "settings": "settings", "preferred_settings": "settings",
               "targets": "disclosure targets",
               "preferred_roles": "role ids", "exclude_services": "service ids"}


def number_text(value: float | None) -> str:
    """A limit as Excel and the instructions show it: 1000 -> '1,000', 0.5 -> '0.5'."""
    if value is None:
        return ""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _shown(value: object) -> str | int | float | None:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, LonePeer):
        return value.value
    return value if isinstance(value, int | float) else None


def lists_columns(topics: dict[str, str]) -> dict[str, list[str]]:
    """The Lists sheet, column by column: the codes the input sheets accept."""
    return {
        "topic": list(topics),
        "label": list(topics.values()),
        "setting": list(SETTINGS),
        "targets": list(TARGET_CHOICES),
        "yes_no": list(YES_NO),
        "lone_peer": [choice.value for choice in LonePeer],
        "scenario_sheet": list(SCENARIOS.column("sheet").choices),
        "scenario_change": list(SCENARIOS.column("change").choices),
    }
