"""One accessible table per sheet: title, note, an Excel table with filters, frozen header.

Spreadsheet accessibility conventions: a title in A1, a one-line note in A2 on how to read
the sheet, the table from A3 with nothing to its right or below but charts, no merged
cells, widths and number formats set, and meaning in text (yes/no), never in colour alone.
Text is written so Excel never takes it for a formula (`core.xlsx.write_cell`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from planner.core.xlsx import HEADER_FILL, HEADER_FONT, CellValue, write_cell

Row = Sequence[CellValue]

TITLE_FONT = Font(bold=True, size=14)
TOTAL_FONT = Font(bold=True)
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
