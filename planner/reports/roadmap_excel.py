"""roadmap.xlsx: the years, the saliency tiers, the recruitment schedule and (HR only)
each person's pathway."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from planner.analyses.roadmap import Roadmap
from planner.core.audience import Audience, people_count, privacy_k
from planner.core.xlsx import write_book_atomic
from planner.reports.excel_table import (
    FTE,
    MONEY,
    PERCENT,
    WHOLE,
    ReportColumn,
    write_table,
    write_titles,
)
from planner.reports.roadmap_files import PEOPLE_COUNTS, recruit_start_words, roadmap_view

YEAR_COLUMNS = (
    ReportColumn("Year", 6, WHOLE), ReportColumn("Demand FTE", 10, FTE),
    ReportColumn("Filled FTE", 10, FTE), ReportColumn("FTE to recruit", 10, FTE),
    ReportColumn("FTE lost", 10, FTE), ReportColumn("Coverage", 10, PERCENT),
    ReportColumn("Coverage with recruitment", 12, PERCENT),
    ReportColumn("Cover as people leave, low", 12, PERCENT),
    ReportColumn("Cover as people leave, high", 12, PERCENT),
    ReportColumn("Supported stretch", 10, WHOLE), ReportColumn("Steps up", 10, WHOLE),
    ReportColumn("New hires in post", 10, WHOLE), ReportColumn("Cost", 14, MONEY),
    ReportColumn("Budget", 14, MONEY), ReportColumn("Status", 12),
)


def write_roadmap_excel(roadmap: Roadmap, path: Path, audience: Audience) -> Path:
    view = roadmap_view(roadmap, audience)
    audience = Audience(audience)
    k = privacy_k(roadmap.plans[0]) if roadmap.plans else 5
    book = Workbook()
    ws = book.active
    ws.title = "Years"
    write_titles(ws, "Roadmap: year by year", "Counts of people below k are shown as <k for "
                 "directors. Cover as people leave: the share of demand covered when people "
                 "leave at the Policy's attrition_rate, 5th and 95th percentiles.")
    rows = []
    for y in view.years:
        counts = [people_count(getattr(y, key), k, audience) for key in PEOPLE_COUNTS[:3]]
        rows.append([y.year, y.demand_fte, y.filled_fte, y.to_recruit_fte, y.lost_fte,
                     y.coverage, y.planned_coverage, y.cover_range[0], y.cover_range[2],
                     *counts, y.cost, y.budget, y.status])
    write_table(ws, "Years", YEAR_COLUMNS, rows)
    tiers = book.create_sheet("Tiers")
    write_titles(tiers, "FTE by saliency tier and year", "Filled, to recruit, and lost to "
                 "people leaving since the year before.")
    write_table(tiers, "Tiers", (ReportColumn("Year", 6, WHOLE), ReportColumn("Tier", 10),
                                 ReportColumn("Filled FTE", 10, FTE),
                                 ReportColumn("FTE to recruit", 10, FTE),
                                 ReportColumn("FTE lost", 10, FTE)),
                [[y.year, t.tier, t.filled_fte, t.to_recruit_fte, t.lost_fte]
                 for y in view.years for t in y.tiers])
    hires = book.create_sheet("Recruitment")
    write_titles(hires, "Recruitment schedule", "When to start recruiting so that the hire is "
                 "in post when the position is needed (Policy recruit_months).")
    write_table(hires, "Recruitment", (
        ReportColumn("Needed in year", 8, WHOLE), ReportColumn("Start recruiting", 18),
        ReportColumn("Role", 12), ReportColumn("Role title", 28), ReportColumn("Service", 10),
        ReportColumn("Region", 10), ReportColumn("Positions", 9, WHOLE),
        ReportColumn("FTE", 8, FTE), ReportColumn("Cost", 12, MONEY),
        ReportColumn("Why", 60, wrap=True)),
        [[h.year_needed, recruit_start_words(h.start_month), h.role_id, h.title, h.service_id,
          h.region, h.positions, h.fte, h.cost, h.reason] for h in view.hires])
    if audience is Audience.HR:
        paths = book.create_sheet("Pathways")
        write_titles(paths, "Pathways (health data: HR only)", "Each person year by year, "
                     "with the reason for each step.")
        write_table(paths, "Pathways", (
            ReportColumn("Person", 12), ReportColumn("Year", 6, WHOLE), ReportColumn("Role", 12),
            ReportColumn("Service", 10), ReportColumn("Readiness", 9, WHOLE),
            ReportColumn("Experience", 9, WHOLE), ReportColumn("Available FTE", 9, FTE),
            ReportColumn("Stretch", 8), ReportColumn("Step", 70, wrap=True)),
            [[s.psw_id, s.year, s.role_id, s.service_id, s.readiness, s.experience,
              s.available_fte, "yes" if s.stretch else "no", s.reason]
             for s in view.pathways])
    return write_book_atomic(book, path)
