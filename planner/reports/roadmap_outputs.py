"""Every file of a roadmap, for its audience."""

from __future__ import annotations

from pathlib import Path

from planner.analyses.roadmap import Roadmap
from planner.core.audience import Audience
from planner.reports.roadmap_excel import write_roadmap_excel
from planner.reports.roadmap_files import write_roadmap_json
from planner.reports.roadmap_page import write_roadmap_page


def write_roadmap_files(roadmap: Roadmap, folder: Path, audience: Audience) -> list[Path]:
    """roadmap.json, roadmap.xlsx, roadmap.html and each year's year-N/plan.json, for
    `audience`, each written whole."""
    folder.mkdir(parents=True, exist_ok=True)
    written = write_roadmap_json(roadmap, folder, audience)
    written.append(write_roadmap_excel(roadmap, folder / "roadmap.xlsx", audience))
    written.append(write_roadmap_page(roadmap, folder / "roadmap.html", audience))
    return written
