"""Every file of a roadmap, for its audience."""

from __future__ import annotations

from pathlib import Path

from planner.analyses.roadmap import Roadmap
from planner.core.audience import Audience
from planner.reports.outputs import write_report_files
from planner.reports.roadmap_excel import write_roadmap_excel
from planner.reports.roadmap_files import roadmap_view, write_roadmap_json, year_folder
from planner.reports.roadmap_page import write_roadmap_page


def write_roadmap_files(roadmap: Roadmap, folder: Path, audience: Audience) -> list[Path]:
    """roadmap.json, roadmap.xlsx, roadmap.html, and each year's plan.json, plan.xlsx and
    report.html in year-N/, for `audience`, each written whole (the yearly files first, so
    the roadmap's page links them)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = write_roadmap_json(roadmap, folder, audience)
    for year, plan in enumerate(roadmap_view(roadmap, audience).plans, start=1):
        written += write_report_files(plan, folder / year_folder(year), audience)
    written.append(write_roadmap_excel(roadmap, folder / "roadmap.xlsx", audience))
    written.append(write_roadmap_page(roadmap, folder / "roadmap.html", audience))
    return written
