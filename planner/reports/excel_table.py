"""One accessible table per sheet: title, note, an Excel table with filters, frozen header.

Spreadsheet accessibility conventions: a title in A1, a one-line note in A2 on how to read
the sheet, the table from A3 with nothing to its right or below but charts, no merged
cells, widths and number formats set, and meaning in text (yes/no), never in colour alone.
Text is written so Excel never takes it for a formula (`core.xlsx.write_cell`).

Every workbook the planner writes ends with `set_print_layout`: each sheet prints on A4,
one page wide, with its table's header row on every page and its title in the page header.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from planner.core.xlsx import HEADER_FILL, HEADER_FONT, CellValue, write_cell

Row = Sequence[CellValue]
# a line of a Contents sheet: label (None: continues the line above), value, number format
Fact = tuple[str | None, CellValue] | tuple[str | None, CellValue, str | None]

TITLE_FONT = Font(bold=True, size=14)
TOTAL_FONT = Font(bold=True)
LABEL_FONT = Font(bold=True)
TABLE_STYLE = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
HEADER_ROW = 3  # A1 title, A2 note, then the table
NONE_ROW_TEXT = "none"

# Number formats: shares as percent, money with thousands separators, FTE to hundredths.
PERCENT = "0.0%"
MONEY = "#,##0"
FTE = "0.00"
POINTS = "0.0"
WHOLE = "0"
GENERAL = "General"
# the number format of a value by its unit (`core.kpis`, comparisons)
NUMBER_FORMATS = {"share": PERCENT, "points": POINTS, "money": MONEY, "fte": FTE, "count": WHOLE,
                  "people": WHOLE, "number": "#,##0.00"}
# Print: the column widths (characters) a sheet may have and still print portrait, one A4
# page wide; a wider sheet turns to landscape.
PORTRAIT_WIDTH = 120  # about 85 % scale or more on A4 portrait
DEFAULT_WIDTH = 8.43  # Excel's width of a column nobody set
MARGINS_INCH = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.6, "header": 0.3,
                "footer": 0.3}
PAGE_FOOTER = "Page &P of &N"  # Excel's codes: this page, of all pages
LINE_POINTS = 15  # the height of a line of 11 pt text
CHARS_PER_WIDTH = 1.1  # prose is narrower than the "0" a column's width is counted in
BOLD_NARROWING = 0.8  # bold header text is wider
TEXT_WIDTH = 0.85  # the column width a character of prose takes


@dataclass(frozen=True)
class ReportColumn:
    """A column of a report table: its header, width in characters and number format."""

    header: str
    width: float = 14
    number_format: str | None = None
    wrap: bool = False


@dataclass(frozen=True)
class TableArea:
    """Where a table landed: for charts and conditional formatting to refer to."""

    sheet: Worksheet
    columns: tuple[ReportColumn, ...]
    first_row: int  # first data row
    last_row: int  # last data row (totals excluded)

    def column(self, header: str) -> int:
        """The 1-based sheet column of the column with this header."""
        return 1 + [c.header for c in self.columns].index(header)

    def letter(self, header: str) -> str:
        return get_column_letter(self.column(header))


def clean_text(value: CellValue) -> CellValue:
    """Drop control characters that cannot be stored in a worksheet (from csv input)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def put(ws: Worksheet, row: int, column: int, value: CellValue) -> None:
    """Write one cell safely: storable text, and never a formula."""
    write_cell(ws, row, column, clean_text(value))


def write_titles(ws: Worksheet, title: str, note: str) -> None:
    """The sheet's title in A1 and a one-line note in A2."""
    put(ws, 1, 1, title)
    ws.cell(row=1, column=1).font = TITLE_FONT
    put(ws, 2, 1, note)


def write_table(
    ws: Worksheet,
    name: str,
    columns: Sequence[ReportColumn],
    rows: Sequence[Row],
    totals: Row | None = None,
    header_row: int = HEADER_ROW,
    freeze: bool = True,
) -> TableArea:
    """Write `rows` under a styled header as the Excel table `name`; optional totals row.

    An empty table gets one row reading "none", as an Excel table needs a data row.
    `freeze` keeps the header in view (the Contents sheet is short and needs no freeze).
    """
    columns = tuple(columns)
    rows = list(rows) or [[NONE_ROW_TEXT] + [None] * (len(columns) - 1)]
    for number, column in enumerate(columns, start=1):
        put(ws, header_row, number, column.header)
        header = ws.cell(row=header_row, column=number)
        header.font, header.fill = HEADER_FONT, HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(number)].width = column.width
    _fit_height(ws, header_row, columns, [c.header for c in columns], every=True)
    for offset, values in enumerate(rows, start=1):
        _write_row(ws, header_row + offset, columns, values)
    last_row = header_row + len(rows)
    if totals is not None:
        _write_row(ws, last_row + 1, columns, totals)
        for number in range(1, len(columns) + 1):
            ws.cell(row=last_row + 1, column=number).font = TOTAL_FONT
    ws.add_table(_table(name, columns, header_row, last_row, totals is not None))
    if freeze:
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1).coordinate
    return TableArea(ws, columns, header_row + 1, last_row)


def _write_row(ws: Worksheet, row: int, columns: Sequence[ReportColumn], values: Row) -> None:
    for number, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
        put(ws, row, number, value)
        cell = ws.cell(row=row, column=number)
        if column.number_format and isinstance(value, int | float):
            cell.number_format = column.number_format
        if column.wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _fit_height(ws, row, columns, values)


def _fit_height(ws: Worksheet, row: int, columns: Sequence[ReportColumn], values: Row,
                every: bool = False) -> None:
    """Make the row tall enough for its wrapped cells (`every`: all cells wrap, as in a
    header): spreadsheet programs do not all grow a row to its wrapped text."""
    lines = max((wrapped_lines(v, c.width * (BOLD_NARROWING if every else 1))
                 for c, v in zip(columns, values, strict=True) if c.wrap or every), default=1)
    if lines > 1:
        ws.row_dimensions[row].height = LINE_POINTS * lines


def wrapped_lines(value: CellValue, width: float) -> int:
    """How many lines a text takes in a wrapped column `width` characters wide."""
    if not isinstance(value, str):
        return 1
    chars = max(1, int(width * CHARS_PER_WIDTH))
    return sum(max(1, len(textwrap.wrap(part, chars))) for part in value.split("\n"))


def _table(name: str, columns: tuple[ReportColumn, ...], header_row: int, last_row: int,
           with_totals: bool) -> Table:
    last_letter = get_column_letter(len(columns))
    data_ref = f"A{header_row}:{last_letter}{last_row}"
    table = Table(
        displayName=name,
        ref=f"A{header_row}:{last_letter}{last_row + (1 if with_totals else 0)}",
        tableStyleInfo=TABLE_STYLE,
        autoFilter=AutoFilter(ref=data_ref),  # filters cover the data, never the totals
    )
    for number, column in enumerate(columns, start=1):
        label = "Total" if with_totals and number == 1 else None
        table.tableColumns.append(TableColumn(id=number, name=column.header,
                                              totalsRowLabel=label))
    if with_totals:
        table.totalsRowCount = 1
    else:
        table.totalsRowShown = False
    return table


def write_contents_table(ws: Worksheet, facts: Sequence[Fact],
                         sheets: Sequence[tuple[str, str]], holds_width: float = 80) -> None:
    """A Contents sheet under its title and note: one fact a line (label, value in its
    number format), then a table of the sheets (name, what it holds), each name linked to
    its sheet."""
    for offset, (label, value, *number_format) in enumerate(facts):
        row = HEADER_ROW + offset
        put(ws, row, 1, label)
        put(ws, row, 2, value)
        ws.cell(row=row, column=1).font = LABEL_FONT
        if number_format and number_format[0] and isinstance(value, int | float):
            ws.cell(row=row, column=2).number_format = number_format[0]
    header_row = HEADER_ROW + len(facts) + 1
    columns = (ReportColumn("Sheet", 22), ReportColumn("What it holds", holds_width, wrap=True))
    write_table(ws, "Contents", columns, [list(sheet) for sheet in sheets],
                header_row=header_row, freeze=False)
    for offset, (name, _) in enumerate(sheets, start=1):
        link = ws.cell(row=header_row + offset, column=1)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{name}'!A1")
        link.style = "Hyperlink"


def colour_scale(area: TableArea, header: str) -> None:
    """Red-amber-green on a 0-100 score column; the number stays in the cell."""
    letter = area.letter(header)
    area.sheet.conditional_formatting.add(
        f"{letter}{area.first_row}:{letter}{area.last_row}",
        ColorScaleRule(start_type="num", start_value=0, start_color="F8696B",
                       mid_type="num", mid_value=50, mid_color="FFEB84",
                       end_type="num", end_value=100, end_color="63BE7B"),
    )


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def money_format(currency: str | None, change: bool = False) -> str:
    """The number format of an amount: '#,##0', or with the currency ('"GBP "#,##0',
    '"£"#,##0'); a `change` keeps its sign ('+"£"#,##0;-"£"#,##0;0')."""
    if not currency:
        shown = MONEY
    elif currency.isalpha():
        shown = f'"{currency.upper()} "{MONEY}'
    else:
        shown = f'"{currency}"{MONEY}'
    return f"+{shown};-{shown};0" if change else shown


def in_money(columns: Sequence[ReportColumn], currency: str | None) -> list[ReportColumn]:
    """The columns, those of money (MONEY) in `currency` (`money_format`)."""
    return [replace(c, number_format=money_format(currency)) if c.number_format == MONEY
            else c for c in columns]


def set_print_layout(book: Workbook) -> None:
    """Every sheet of `book` prints on A4 (see `print_sheet`)."""
    for ws in book.worksheets:
        print_sheet(ws)


def print_sheet(ws: Worksheet) -> None:
    """A4, landscape when the table is wider than a portrait page, one page wide (as many
    pages tall as it takes), the table's header row repeated on each page, and the
    sheet's title (A1) with page numbers in the page header and footer."""
    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    setup.orientation = "landscape" if content_width(ws) > PORTRAIT_WIDTH else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0  # 0: no limit on the pages tall
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    for side, inches in MARGINS_INCH.items():
        setattr(ws.page_margins, side, inches)
    header = header_row(ws)
    if header is not None:
        ws.print_title_rows = f"{header}:{header}"
    title = ws.cell(row=1, column=1).value
    if title:
        ws.oddHeader.center.text = str(title).replace("&", "&&")  # & starts a code
    ws.oddFooter.center.text = PAGE_FOOTER


def header_row(ws: Worksheet) -> int | None:
    """The row of the header of the sheet's (first) table, if it has one."""
    table = next(iter(ws.tables.values()), None)
    if table is None:
        return None
    first = table.ref.split(":")[0]
    return int("".join(c for c in first if c.isdigit()))


def content_width(ws: Worksheet) -> float:
    """How wide the sheet prints, in characters: its columns, or its title and note where
    they run on beyond them (a long line of text spills into the empty cells beside it,
    and the page is scaled to hold it)."""
    lines = (ws.cell(row=row, column=1).value for row in (1, 2))
    text = max((len(str(v)) * TEXT_WIDTH for v in lines if v), default=0)
    return max(table_width(ws), text)


def table_width(ws: Worksheet) -> float:
    """The width, in characters, of the columns the sheet's content spans (a column left
    at Excel's default counts as such; reading it must not create it)."""
    widths = (ws.column_dimensions.get(get_column_letter(n)) for n in range(1, ws.max_column + 1))
    return sum((d.width if d is not None and d.width else DEFAULT_WIDTH) for d in widths)
