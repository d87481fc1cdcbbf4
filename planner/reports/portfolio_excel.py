"""The portfolio as an Excel workbook (`portfolio.xlsx`), with the plan workbook's tables.

Contents first (title in A1, provenance, the narrative), then one Portfolio sheet: a row
per organisation and scenario, a column per figure (`analyses.portfolio.FIGURES`), money
with its row's currency beside it. For directors a count of fewer than k people is blank
(the column stays numeric) and a last column names where.

    write_portfolio_excel(portfolio, "out/batch/portfolio.xlsx")
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from planner.analyses.portfolio import FIGURES, Portfolio, PortfolioRow
from planner.core.xlsx import CellValue, write_book_atomic
from planner.reports.excel_table import (
    NUMBER_FORMATS,
    ReportColumn,
    TableArea,
    put,
    set_print_layout,
    write_table,
    write_titles,
)

TITLE = "Portfolio"
FIGURE_WIDTH = 12


def write_portfolio_excel(portfolio: Portfolio, path: str | Path) -> Path:
    """Write the workbook to `path` whole (atomically); returns the path."""
    return write_book_atomic(build_portfolio_excel(portfolio), path)


def build_portfolio_excel(portfolio: Portfolio) -> Workbook:
    book = Workbook()
    contents = book.active
    contents.title = "Contents"
    write_contents(contents, portfolio)
    portfolio_sheet(book.create_sheet(TITLE), portfolio)
    set_print_layout(book)
    return book


def write_contents(ws: Worksheet, p: Portfolio) -> None:
    """Title, provenance and the narrative."""
    director = p.audience == "director"
    note = (f"For directors: aggregates only; counts of fewer than {p.k} people are blank."
            if director else "For HR: each plan's folder holds its personal data.")
    write_titles(ws, TITLE, note)
    facts: list[tuple[str | None, CellValue]] = [
        ("Planner version", p.planner_version), ("Audience", p.audience),
        ("Privacy threshold k", p.k), ("Organisations", len({r.org for r in p.rows})),
        ("Plans", len(p.rows)), ("Scenarios", p.scenarios),
        ("Seconds per plan", p.time_limit if p.time_limit else "each Policy's time_limit")]
    facts += [("Summary" if n == 0 else None, s) for n, s in enumerate(p.narrative)]
    facts.append(("Table", f"the {TITLE} sheet: one row per organisation and scenario"))
    for offset, (label, value) in enumerate(facts):
        put(ws, 3 + offset, 1, label)
        put(ws, 3 + offset, 2, value)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100


def portfolio_sheet(ws: Worksheet, p: Portfolio) -> TableArea:
    director = p.audience == "director"
    write_titles(ws, "Organisations and scenarios", "The baseline first; each plan's files "
                 "are in the folder named. Money is in the row's currency.")
    columns = [ReportColumn("Organisation", 24), ReportColumn("Scenario", 24),
               ReportColumn("Status", 11), ReportColumn("Plan folder", 28)]
    columns += [ReportColumn(f.label, FIGURE_WIDTH, NUMBER_FORMATS.get(f.unit))
                for f in FIGURES]
    columns += [ReportColumn("Currency", 9), ReportColumn("Why no plan", 50, wrap=True),
                ReportColumn("Tries", 7, NUMBER_FORMATS["count"])]
    if director:
        columns.append(ReportColumn(f"Fewer than {p.k} people in", 24, wrap=True))
    return write_table(ws, TITLE, columns, [_row(r, director) for r in p.rows])


def _row(r: PortfolioRow, director: bool) -> list[CellValue]:
    """A row's cells; a suppressed count ("<k") is blank, and named in the last column."""
    values = [getattr(r, f.key) for f in FIGURES]
    hidden = [f.label for f, v in zip(FIGURES, values, strict=True) if isinstance(v, str)]
    cells: list[CellValue] = [r.org, r.scenario, r.status, r.folder or None]
    cells += [None if isinstance(v, str) else v for v in values]
    cells += [r.currency, r.reason or None, r.attempts]
    return cells + ([", ".join(hidden) or None] if director else [])
