"""roadmaps.json, roadmaps.xlsx and roadmaps.html: roadmaps side by side."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from openpyxl import Workbook

from planner.analyses.roadmap_compare import RoadmapComparison
from planner.core.atomic import write_text_atomic
from planner.core.audience import Audience
from planner.core.formatting import fte, money, pct
from planner.core.xlsx import write_book_atomic
from planner.reports.excel_table import ReportColumn, write_table, write_titles
from planner.reports.pages import page_basics, write_page

ROADMAP_COMPARISON_FILES = ("roadmaps.json", "roadmaps.xlsx", "roadmaps.html")


def shown(value: object, unit: str) -> str:
    """A compared figure as a page shows it."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value  # a suppressed count of people: "<5"
    number = float(value)  # type: ignore[arg-type]
    return {"share": pct, "fte": fte, "money": money}.get(unit, lambda v: f"{v:g}")(number)


def write_roadmap_comparison(comparison: RoadmapComparison, folder: Path, source: str,
                             currency: str | None) -> list[Path]:
    text = json.dumps(asdict(comparison), indent=2, ensure_ascii=False, default=str) + "\n"
    names = [s.name for s in comparison.scenarios]
    context = {**page_basics(source), "comparison": comparison,
               "director": comparison.audience == Audience.DIRECTOR.value,
               "columns": [(name, "num") for name in names], "shown": shown}
    return [write_text_atomic(folder / ROADMAP_COMPARISON_FILES[0], text),
            _workbook(comparison, folder / ROADMAP_COMPARISON_FILES[1]),
            write_page("roadmaps.html", context, folder / ROADMAP_COMPARISON_FILES[2],
                       currency)]


def _workbook(comparison: RoadmapComparison, path: Path) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = "Roadmaps"
    write_titles(ws, f"Roadmaps compared over {comparison.years} years", "Counts of people "
                 f"below {comparison.k} read <{comparison.k} for directors.")
    columns = (ReportColumn("Year", 6), ReportColumn("Measure", 36), ReportColumn("Unit", 10),
               *(ReportColumn(s.name[:40], 16) for s in comparison.scenarios))
    write_table(ws, "Roadmaps", columns,
                [[row.year, row.label, row.unit, *row.values] for row in comparison.rows])
    scenarios = book.create_sheet("Scenarios")
    write_titles(scenarios, "What each scenario stands for", "Roadmap value: the years' "
                 "objectives added with the Policy's roadmap_discount.")
    write_table(scenarios, "Scenarios", (
        ReportColumn("Scenario", 24), ReportColumn("Stands for", 40, wrap=True),
        ReportColumn("Changes", 50, wrap=True), ReportColumn("Roadmap value", 14),
        ReportColumn("People reaching a higher tier", 14),
        ReportColumn("Positions to recruit", 12)),
        [[s.name, s.description or None, "; ".join(s.changes) or None, s.value,
          s.reached_higher_tier, s.hires] for s in comparison.scenarios])
    return write_book_atomic(book, path)
