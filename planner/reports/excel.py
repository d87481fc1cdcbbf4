"""The Excel plan (`plan.xlsx`): a Plan rendered for HR (full detail) or for directors.

Renders only the Plan (as read from `plan.json`), never the input workbook. For the
director audience it renders `audience.view_for(plan, DIRECTOR)`, so no name, id,
readiness, topic or preference of a person reaches the file, and counts of people below
the privacy threshold `k` read "<k".

    write_excel_report(read_plan_json("out/plan.json"), "out/plan.xlsx", Audience.DIRECTOR)

Layout (spreadsheet accessibility conventions): Contents first with the title in A1, then
one table per sheet with filters, a frozen header and number formats; no merged cells;
yes/no in words where colour also marks it; native bar charts next to their data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from planner.core.audience import Audience, privacy_k, view_for
from planner.core.results import Plan
from planner.core.xlsx import write_book_atomic
from planner.reports.excel_outcome_sheets import (
    conflicts_sheet,
    people_sheet,
    recruitment_sheet,
    services_sheet,
    unassigned_sheet,
)
from planner.reports.excel_sheets import (
    Rendering,
    placements_sheet,
    role_mix_sheet,
    summary_sheet,
    tiers_sheet,
)
from planner.reports.excel_table import (
    HEADER_ROW,
    PERCENT,
    CellValue,
    ReportColumn,
    TableArea,
    put,
    write_table,
    write_titles,
)

TITLE = "Peer support workforce plan"
LABEL_FONT = Font(bold=True)
CHART_HEIGHT_PER_SERVICE = 0.5  # cm per bar pair, so service labels stay readable
CHART_MIN_HEIGHT = 7.5  # cm


@dataclass(frozen=True)
class SheetSpec:
    """A sheet of the workbook: its tab name, what it holds, how it is written."""

    name: str
    holds: str
    write: Callable[[Worksheet, Rendering], TableArea]
    hr_only: bool = False


SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec("Summary", "Key indicators: coverage, fit, autonomy, cost, counts", summary_sheet),
    SheetSpec("Role mix", "Positions and FTE per service and role, filled and vacant",
              role_mix_sheet),
    SheetSpec("Saliency tiers", "The role mix by disclosure-saliency tier, with a chart",
              tiers_sheet),
    # HR only: one row a person would let a reader count people per service (k rule)
    SheetSpec("Placements", "One row per placement: person, role, service, FTE, scores",
              placements_sheet, hr_only=True),
    SheetSpec("Recruitment", "Positions to recruit for, the profile to look for, and why",
              recruitment_sheet),
    SheetSpec("Unassigned", "People with no placement, and why", unassigned_sheet),
    SheetSpec("Services", "Demand, filled, vacant and unmet FTE per service, with a chart",
              services_sheet),
    SheetSpec("People", "Each person's readiness, topics, preferences and outcome (health "
              "data)", people_sheet, hr_only=True),
)
CONFLICTS = SheetSpec("Conflicts", "Rules that cannot all hold: why no plan exists",
                      conflicts_sheet)


def write_excel_report(plan: Plan, path: str | Path, audience: Audience = Audience.HR) -> Path:
    """Write the Excel plan for `audience` to `path` (whole, atomically); returns the path."""
    book = build_excel_report(plan, audience)
    return write_book_atomic(book, path)


def build_excel_report(plan: Plan, audience: Audience = Audience.HR) -> Workbook:
    """The workbook in memory: Contents, then one sheet per table of the plan."""
    audience = Audience(audience)
    rendering = Rendering(view_for(plan, audience), audience)
    specs = sheets_for(rendering)
    book = Workbook()
    contents = book.active
    contents.title = "Contents"
    areas = {spec.name: spec.write(book.create_sheet(spec.name), rendering) for spec in specs}
    write_contents(contents, rendering, specs)
    if rendering.plan.role_mix:
        add_tier_chart(areas["Saliency tiers"])
    if rendering.plan.services:
        add_service_chart(areas["Services"])
    return book


def sheets_for(rendering: Rendering) -> list[SheetSpec]:
    specs = [s for s in SHEETS if rendering.hr or not s.hr_only]
    return specs + ([CONFLICTS] if rendering.plan.conflicts else [])


def write_contents(ws: Worksheet, r: Rendering, specs: list[SheetSpec]) -> None:
    """Title, provenance of the plan (input, version, solver) and a linked list of sheets."""
    plan = r.plan
    write_titles(ws, f"{TITLE}: {plan.source}" if plan.source else TITLE, audience_note(r))
    facts = contents_facts(r)
    for offset, (label, value, number_format) in enumerate(facts):
        row = HEADER_ROW + offset
        put(ws, row, 1, label)
        put(ws, row, 2, value)
        ws.cell(row=row, column=1).font = LABEL_FONT
        if number_format and isinstance(value, int | float):
            ws.cell(row=row, column=2).number_format = number_format
    header_row = HEADER_ROW + len(facts) + 1
    rows = [[spec.name, spec.holds] for spec in specs]
    columns = (ReportColumn("Sheet", 22), ReportColumn("What it holds", 80, wrap=True))
    write_table(ws, "Contents", columns, rows, header_row=header_row, freeze=False)
    for offset, spec in enumerate(specs, start=1):
        link = ws.cell(row=header_row + offset, column=1)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{spec.name}'!A1")
        link.style = "Hyperlink"


def audience_note(r: Rendering) -> str:
    if r.hr:
        return ("For HR: full detail, including health data (readiness to self-disclose, "
                "lived-experience topics). Do not pass on outside HR.")
    k = privacy_k(r.plan)
    return (f"For directors: no person is listed one by one; groups of fewer than {k} people "
            f'are shown as "<{k}"; no personal readiness, topics or preferences.')


def contents_facts(r: Rendering) -> list[tuple[str, CellValue, str | None]]:
    """(label, value, number format) of each provenance line on the Contents sheet."""
    plan = r.plan
    sha_label = "Input SHA-256" if r.hr else "Input SHA-256 (start)"
    return [
        ("Input file", plan.source or None, None),
        (sha_label, plan.input_sha256 or None, None),
        ("Planner version", plan.planner_version, None),
        ("Created", plan.created or None, None),
        ("Solver status", str(plan.status), None),
        ("Objective", plan.objective, "#,##0.00"),
        ("Bound", plan.bound, "#,##0.00"),
        ("Gap", plan.gap, PERCENT),
        ("Solve time (seconds)", plan.solve_seconds, "0.00"),
        ("Audience", str(r.audience), None),
        ("Privacy threshold k", privacy_k(plan), "0"),
    ]


def add_tier_chart(area: TableArea) -> BarChart:
    """Stacked columns of filled and vacant FTE per saliency tier."""
    chart = _bar_chart(area, "Role mix by saliency tier", "Saliency tier", "FTE",
                       ("Filled FTE", "Vacant FTE"), "Saliency tier")
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    _anchor(area, chart)
    return chart


def add_service_chart(area: TableArea) -> BarChart:
    """Horizontal bars of demand against filled FTE per service."""
    chart = _bar_chart(area, "Demand and filled FTE by service", "Service", "FTE",
                       ("Demand FTE", "Filled FTE"), "Service")
    chart.type, chart.grouping = "bar", "clustered"
    services = area.last_row - area.first_row + 1
    chart.height = max(CHART_MIN_HEIGHT, CHART_HEIGHT_PER_SERVICE * services)
    _anchor(area, chart)
    return chart


def _bar_chart(area: TableArea, title: str, x_title: str, y_title: str,
               series: tuple[str, ...], categories: str) -> BarChart:
    chart = BarChart()
    chart.title, chart.x_axis.title, chart.y_axis.title = title, x_title, y_title
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides axes otherwise
    chart.width = 18
    header = area.first_row - 1
    for name in series:
        column = area.column(name)
        data = Reference(area.sheet, min_col=column, max_col=column, min_row=header,
                         max_row=area.last_row)
        chart.add_data(data, titles_from_data=True)
    labels = Reference(area.sheet, min_col=area.column(categories),
                       max_col=area.column(categories), min_row=area.first_row,
                       max_row=area.last_row)
    for one in chart.series:  # the labels are text: a string reference, not openpyxl's numRef
        one.cat = AxDataSource(strRef=StrRef(f=str(labels)))
    return chart


def _anchor(area: TableArea, chart: BarChart) -> None:
    """Beside the table, one column clear of it, level with its header."""
    column = get_column_letter(len(area.columns) + 2)
    area.sheet.add_chart(chart, f"{column}{area.first_row - 1}")
