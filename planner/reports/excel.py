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
from openpyxl.chart.series import Series, SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.drawing.fill import ColorChoice, PatternFillProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.worksheet.worksheet import Worksheet

from planner.core.audience import Audience, privacy_k, view_for
from planner.core.glossary import STATUS_MEANINGS
from planner.core.results import Plan
from planner.core.xlsx import write_book_atomic
from planner.reports.charts import FILLED, VACANT
from planner.reports.excel_outcome_sheets import (
    conflicts_sheet,
    people_sheet,
    recruitment_sheet,
    services_sheet,
    unassigned_sheet,
)
from planner.reports.excel_sheets import (
    Rendering,
    glossary_sheet,
    placements_sheet,
    role_mix_sheet,
    summary_sheet,
    targets_sheet,
    tiers_sheet,
)
from planner.reports.excel_table import (
    PERCENT,
    CellValue,
    TableArea,
    set_print_layout,
    write_contents_table,
    write_titles,
)

TITLE = "Peer support workforce plan"
CHART_HEIGHT_PER_SERVICE = 0.6  # cm per bar, so that every service's label fits
CHART_FIXED_HEIGHT = 3.5  # cm: title, axis and legend
CHART_MIN_HEIGHT = 7.5  # cm
LABEL_POINTS = 8
BAR_GAP = 50  # % of a bar's width between bars: thick bars, as in the HTML chart
CHART_GAP_ROWS = 2  # between a table and the chart below it
# The HTML charts' colours in the same roles (`charts.FILLED`, `charts.VACANT`): filled
# solid blue, to recruit amber and hatched; unmet demand an empty bar, outlined.
TO_RECRUIT = "FTE to recruit"
UNMET_LINE = "555555"


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
    SheetSpec("Targets", "The role mix by whom it discloses to: service users, staff, leaders",
              targets_sheet),
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
    SheetSpec("Glossary", "What the terms of this plan mean, in plain words", glossary_sheet),
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
    set_print_layout(book)
    return book


def sheets_for(rendering: Rendering) -> list[SheetSpec]:
    specs = [s for s in SHEETS if rendering.hr or not s.hr_only]
    return specs + ([CONFLICTS] if rendering.plan.conflicts else [])


def write_contents(ws: Worksheet, r: Rendering, specs: list[SheetSpec]) -> None:
    """Title, provenance of the plan (input, version, solver) and a linked list of sheets."""
    plan = r.plan
    write_titles(ws, f"{TITLE}: {plan.source}" if plan.source else TITLE, audience_note(r))
    write_contents_table(ws, contents_facts(r), [(spec.name, spec.holds) for spec in specs])


def audience_note(r: Rendering) -> str:
    if r.hr:
        return ("For HR: full detail, including health data (readiness to self-disclose, "
                "lived-experience topics). Do not pass on outside HR.")
    k = privacy_k(r.plan)
    return (f"For directors: no person is listed one by one; a count of fewer than {k} people "
            f'(and the FTE they work) is left blank, "yes" under "Fewer than {k} people"; no '
            f"personal readiness, topics or preferences.")


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
        ("Status means", STATUS_MEANINGS.get(str(plan.status)), None),
        ("Plan score (objective)", plan.objective, "#,##0.00"),
        ("Bound", plan.bound, "#,##0.00"),
        ("Gap", plan.gap, PERCENT),
        ("Terms", "Status, plan score, bound and gap: see the Glossary sheet", None),
        ("Solve time (seconds)", plan.solve_seconds, "0.00"),
        ("Currency", r.currency or "none set: amounts are plain numbers", None),
        ("Audience", str(r.audience), None),
        ("Privacy threshold k", privacy_k(plan), "0"),
    ]


def add_tier_chart(area: TableArea) -> BarChart:
    """Stacked columns of filled and to-recruit FTE per saliency tier."""
    chart = _bar_chart(area, "Role mix by saliency tier", "Saliency tier", "FTE",
                       ("Filled FTE", "Vacant FTE"), "Saliency tier")
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    filled, vacant = chart.series
    _solid(filled, FILLED["color"])
    _to_recruit(vacant)
    _anchor(area, chart)
    return chart


def add_service_chart(area: TableArea) -> BarChart:
    """One bar per service, as long as its demand: filled, to recruit, and unmet FTE
    stacked (as in the HTML report), every service labelled, in the table's order."""
    chart = _bar_chart(area, "Demand by service: filled, to recruit and unmet FTE",
                       "Service", "FTE", ("Filled FTE", "Vacant FTE", "Unmet FTE"),
                       _service_labels(area))
    chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
    filled, vacant, unmet = chart.series
    _solid(filled, FILLED["color"])
    _to_recruit(vacant)
    unmet.graphicalProperties = GraphicalProperties(
        noFill=True, ln=LineProperties(solidFill=UNMET_LINE, w=6350))  # 0.5 pt
    chart.x_axis.tickLblSkip = chart.x_axis.tickMarkSkip = 1  # a label for every service
    chart.x_axis.txPr = _font(LABEL_POINTS)  # ... small enough to fit beside its bar
    chart.x_axis.scaling.orientation = "maxMin"  # the first service on top, as in the table
    chart.y_axis.crosses = "max"  # ... and the FTE axis below the bars
    chart.legend.position = "b"  # the bars keep the chart's width
    chart.gapWidth = BAR_GAP
    services = area.last_row - area.first_row + 1
    chart.height = max(CHART_MIN_HEIGHT, CHART_FIXED_HEIGHT + CHART_HEIGHT_PER_SERVICE * services)
    _anchor(area, chart)
    return chart


def _font(points: int) -> RichText:
    """Axis labels in `points` (a program may skip labels that do not fit)."""
    size = CharacterProperties(sz=points * 100)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=size), endParaRPr=size)])


def _service_labels(area: TableArea) -> str:
    """Services are labelled by name where every one has a name, else by id."""
    names = area.column("Name")
    has_names = all(area.sheet.cell(row=row, column=names).value
                    for row in range(area.first_row, area.last_row + 1))
    return "Name" if has_names else "Service"


def _solid(series: Series, colour: str) -> None:
    series.graphicalProperties = GraphicalProperties(solidFill=colour.lstrip("#"))


def _to_recruit(series: Series) -> None:
    """Amber with dark hatching and the HTML's name: meaning never in colour alone."""
    series.tx = SeriesLabel(v=TO_RECRUIT)
    hatch = PatternFillProperties(prst="wdUpDiag",
                                  fgClr=ColorChoice(srgbClr=VACANT["edgecolor"].lstrip("#")),
                                  bgClr=ColorChoice(srgbClr=VACANT["color"].lstrip("#")))
    series.graphicalProperties = GraphicalProperties(
        pattFill=hatch, ln=LineProperties(solidFill=VACANT["edgecolor"].lstrip("#")))


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
    """Below the table, clear of it: printed one page wide, the chart follows its table
    rather than widening the page beside it."""
    area.sheet.add_chart(chart, f"A{area.sheet.max_row + 1 + CHART_GAP_ROWS}")
