"""The comparison as an Excel workbook (`comparison.xlsx`), with the plan workbook's tables.

Renders a `Comparison` already built for its audience. Each side-by-side sheet has one
row per measure and, per scenario, a value column and a change column ("<name> change",
against the baseline); a share's change is in percentage points (0.047 reads +4.7%).
Contents first (title in A1, provenance, the narrative, linked sheet list), one Excel
table per sheet with filters and a frozen header, as in `plan.xlsx`.

    write_comparison_excel(comparison, "out/comparison.xlsx")
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from planner.analyses.compare import Comparison, Measure, Position
from planner.analyses.measures import NEW_PERSON, REMOVED_PERSON
from planner.core.xlsx import write_book_atomic
from planner.reports.excel_table import (
    NUMBER_FORMATS,
    WHOLE,
    CellValue,
    ReportColumn,
    TableArea,
    money_format,
    set_print_layout,
    write_contents_table,
    write_table,
    write_titles,
)
from planner.reports.labels import with_role_labels

TITLE = "Scenario comparison"
CHANGE_FORMATS = {"share": "+0.0%;-0.0%;0.0%", "points": "+0.0;-0.0;0.0",
                  "money": "+#,##0;-#,##0;0", "fte": "+0.00;-0.00;0.00",
                  "count": "+0;-0;0", "people": "+0;-0;0", "number": "+#,##0.00;-#,##0.00;0.00"}
CHANGE_SUFFIX = " change"


def write_comparison_excel(comparison: Comparison, path: str | Path,
                           insights: Sequence[Any] | None = None,
                           currency: str | None = None) -> Path:
    """Write the workbook to `path` whole (atomically); returns the path."""
    book = build_comparison_excel(comparison, insights, currency)
    return write_book_atomic(book, path)


def build_comparison_excel(c: Comparison, insights: Sequence[Any] | None = None,
                           currency: str | None = None) -> Workbook:
    """The workbook in memory: Contents, then one sheet per table; money in `currency`
    (the baseline's Policy currency)."""
    c = with_role_labels(c)
    sheets: list[tuple[str, str]] = []
    book = Workbook()
    contents = book.active
    contents.title = "Contents"

    def sheet(name: str, holds: str) -> Worksheet:
        sheets.append((name, holds))
        return book.create_sheet(name)

    scenarios_sheet(sheet("Scenarios", "Each scenario: its changes, status and plan file"), c)
    measures_sheet(sheet("KPIs", "Key figures side by side, with changes against the "
                         "baseline"), c, "KPIs", c.kpis, "Key figures by scenario", currency)
    measures_sheet(sheet("Role mix", "Positions per role, saliency tier and changed "
                         "service cell: filled and to recruit"), c, "RoleMix",
                   (*c.roles, *c.tiers, *c.service_roles), "Positions by role, tier and service")
    measures_sheet(sheet("Recruitment", "Positions to recruit, where a scenario changes "
                         "them"), c, "Recruitment", c.recruitment, "Positions to recruit")
    flows_sheet(sheet("Flows", "People moving between roles, counted per scenario"), c)
    if c.audience == "hr":
        moves_sheet(sheet("Moves", "Everyone placed differently from the baseline "
                          "(personal data)"), c)
    if insights is not None:
        insights_sheet(sheet("Insights", "Single changes worth making, best first"), insights)
    write_contents(contents, c, sheets)
    set_print_layout(book)
    return book


def write_contents(ws: Worksheet, c: Comparison, sheets: list[tuple[str, str]]) -> None:
    """Title, provenance, the narrative, and a linked list of the sheets."""
    note = ("For HR: names the people who move." if c.audience == "hr" else
            f"For directors: no person is named; groups of fewer than {c.k} people read "
            f'"<{c.k}".')
    write_titles(ws, f"{TITLE}: {c.source}" if c.source else TITLE, note)
    facts = [("Baseline input", c.source or None), ("Input SHA-256", c.input_sha256 or None),
             ("Planner version", c.planner_version), ("Audience", c.audience),
             ("Privacy threshold k", c.k), ("Scenarios", len(c.scenarios) - 1)]
    lines = [*facts, *(("Summary" if n == 0 else None, s) for n, s in enumerate(c.narrative))]
    write_contents_table(ws, lines, sheets, holds_width=90)


def scenarios_sheet(ws: Worksheet, c: Comparison) -> TableArea:
    write_titles(ws, "Scenarios", "The baseline first; each scenario's plan.json is in the "
                 "folder named, to open with `planner report`.")
    columns = (ReportColumn("Scenario", 24), ReportColumn("Plan folder", 22),
               ReportColumn("Status", 12), ReportColumn("Description", 40, wrap=True),
               ReportColumn("Builds on", 20), ReportColumn("Changes", 60, wrap=True),
               ReportColumn("What the changes did", 60, wrap=True), ReportColumn("Input", 30))
    rows = [[s.name, s.slug, s.status, s.description or None, s.base or None,
             "\n".join(s.changes) or None, "\n".join(s.notes) or None, s.source]
            for s in c.scenarios]
    return write_table(ws, "Scenarios", columns, rows)


def measures_sheet(ws: Worksheet, c: Comparison, table: str, measures: Sequence[Measure],
                   title: str, currency: str | None = None) -> TableArea:
    """One row per measure; per scenario a value and (but the baseline) a change column;
    money in `currency`."""
    note = ("Values per scenario; each change column is against the baseline (shares in "
            "percentage points).")
    if any(m.key == "objective" for m in measures):
        note += (" Objective: the plan score the planner maximises under the Policy weights; "
                 "it compares only between plans with the same weights.")
    write_titles(ws, title, note)
    headers = _headers(c)
    columns = [ReportColumn("Group", 30), ReportColumn("Measure", 24)]
    for number, header in enumerate(headers):
        columns.append(ReportColumn(header, 14))
        if number:
            columns.append(ReportColumn(header + CHANGE_SUFFIX, 12))
    if c.audience == "director":  # counts under k are blank, and said so here
        columns.append(ReportColumn(f"Fewer than {c.k} people in", 24, wrap=True))
    rows = [_measure_row(m, headers, c.audience == "director") for m in measures]
    area = write_table(ws, table, columns, rows)
    for offset, m in enumerate(measures):
        for column in range(3, len(columns) + 1):
            change = columns[column - 1].header.endswith(CHANGE_SUFFIX)
            ws.cell(row=area.first_row + offset, column=column).number_format = \
                _number_format(m.unit, change, currency)
    return area


def _number_format(unit: str, change: bool, currency: str | None) -> str:
    if unit == "money":
        return money_format(currency, change)
    return (CHANGE_FORMATS if change else NUMBER_FORMATS).get(unit, "General")


def _measure_row(m: Measure, headers: Sequence[str], director: bool) -> list[CellValue]:
    """A measure's values and changes; a director's counts under k stay blank (the column
    stays numeric) and the last column names where."""
    row: list[CellValue] = [m.group or None, m.label]
    suppressed = []
    for number, (value, delta) in enumerate(zip(m.values, m.deltas, strict=True)):
        hidden = m.unit == "people" and isinstance(value, str)
        if hidden:
            suppressed.append(headers[number])
        row.append(None if hidden else value)
        if number:
            row.append(delta)
    if director:
        row.append(", ".join(suppressed) or None)
    return row


def flows_sheet(ws: Worksheet, c: Comparison) -> TableArea:
    write_titles(ws, "Moves between roles", "People a scenario places in another role (or "
                 "service) than the baseline does, counted by role before and after.")
    columns = (ReportColumn("Scenario", 24), ReportColumn("Role in the baseline", 34),
               ReportColumn("Role in the scenario", 34), ReportColumn("People", 10, WHOLE))
    return write_table(ws, "Flows", columns,
                       [[f.scenario, f.before, f.after, f.people] for f in c.flows])


def moves_sheet(ws: Worksheet, c: Comparison) -> TableArea:
    write_titles(ws, "Who moves", "One row per person and scenario; for HR only.")
    columns = (ReportColumn("Scenario", 24), ReportColumn("PSW", 12), ReportColumn("Name", 22),
               ReportColumn("In the baseline", 50, wrap=True),
               ReportColumn("In the scenario", 50, wrap=True))
    rows = [[m.scenario, m.psw_id, m.name or None,
             NEW_PERSON if m.new else _positions(c, m.before),
             REMOVED_PERSON if m.removed else _positions(c, m.after)] for m in c.moves]
    return write_table(ws, "Moves", columns, rows)


def insights_sheet(ws: Worksheet, insights: Sequence[Any]) -> TableArea:
    write_titles(ws, "Insights", "Each row is one change to the baseline, planned on its "
                 "own, ranked by gain; changes are against the baseline.")
    columns = (ReportColumn("Rank", 8, WHOLE), ReportColumn("Kind", 12),
               ReportColumn("Change", 40, wrap=True), ReportColumn("What it does", 60, wrap=True),
               ReportColumn("Coverage change", 12, CHANGE_FORMATS["share"]),
               ReportColumn("Fit change", 10, CHANGE_FORMATS["points"]),
               ReportColumn("Autonomy change", 10, CHANGE_FORMATS["points"]),
               ReportColumn("Objective change", 12, CHANGE_FORMATS["number"]),
               ReportColumn("Gain", 10, "#,##0.00"))
    ranked = sorted(insights, key=lambda i: -i.gain)
    rows = [[n, i.kind, i.title, i.detail, i.coverage_change, i.fit_change, i.autonomy_change,
             i.objective_change, i.gain] for n, i in enumerate(ranked, start=1)]
    return write_table(ws, "Insights", columns, rows)


def _positions(c: Comparison, places: tuple[Position, ...]) -> str:
    titles, names = c.role_titles, c.service_names
    return "; ".join(f"{titles.get(p.role_id, p.role_id)} at "
                     f"{names.get(p.service_id) or p.service_id}" for p in places) or \
        "not placed"


def _headers(c: Comparison) -> list[str]:
    """Scenario names as Excel table headers: one line each, unique ignoring case (Excel
    refuses a table whose headers repeat), never "Group" or "Measure"."""
    taken = {"group", "measure"}
    headers = []
    for s in c.scenarios:
        base = " ".join(s.name.split()) or s.slug
        header, number = base, 1
        while header.lower() in taken or f"{header}{CHANGE_SUFFIX}".lower() in taken:
            number += 1
            header = f"{base} ({number})"
        taken |= {header.lower(), f"{header}{CHANGE_SUFFIX}".lower()}
        headers.append(header)
    return headers
