"""roadmap.xlsx: Contents, then one table per sheet: the years, the saliency tiers, the
recruitment schedule with the profile to look for, and (HR only) each person's pathway.

The plan workbook's conventions (`excel`): a title in A1, a note in A2, a filterable table
from A3, money in the Policy's currency, A4 print layout. For directors a count of fewer
than k people, and the FTE of a tier that fewer than k people fill or held, is blank (the
column stays numeric) and the row's last column says "yes" (`Rendering.privacy_columns`).

    write_roadmap_excel(roadmap, Path("out/roadmap.xlsx"), Audience.DIRECTOR)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from planner.analyses.roadmap import Roadmap
from planner.core.audience import Audience
from planner.core.formatting import in_currency
from planner.core.version import __version__
from planner.core.xlsx import write_book_atomic
from planner.reports.excel_outcome_sheets import PROFILE_COLUMNS, profile_cells
from planner.reports.excel_sheets import TIERS, Rendering
from planner.reports.excel_table import (
    FTE,
    MONEY,
    PERCENT,
    WHOLE,
    Fact,
    ReportColumn,
    TableArea,
    in_money,
    set_print_layout,
    write_contents_table,
    write_table,
    write_titles,
    yes_no,
)
from planner.reports.roadmap_files import (
    SETTING_LABELS,
    RoadmapShown,
    recruit_start_words,
    shown_for,
)
from planner.reports.roadmap_narrative import roadmap_summary

TITLE = "Roadmap"
YEAR_COLUMNS = (
    ReportColumn("Year", 6, WHOLE), ReportColumn("Demand FTE", 10, FTE),
    ReportColumn("Filled FTE", 10, FTE), ReportColumn("FTE to recruit", 10, FTE),
    ReportColumn("FTE lost to leaving", 10, FTE), ReportColumn("Coverage", 10, PERCENT),
    ReportColumn("Coverage with recruitment", 12, PERCENT),
    ReportColumn("As people leave, 5th percentile", 12, PERCENT),
    ReportColumn("As people leave, median", 12, PERCENT),
    ReportColumn("As people leave, 95th percentile", 12, PERCENT),
    ReportColumn("Supported stretch placements", 11, WHOLE),
    ReportColumn("Steps up", 9, WHOLE), ReportColumn("New hires in post", 9, WHOLE),
    ReportColumn("People placed", 9, WHOLE), ReportColumn("Cost", 14, MONEY),
    ReportColumn("Budget", 14, MONEY), ReportColumn("Share of budget", 10, PERCENT),
    ReportColumn("Status", 10), ReportColumn("Gap", 8, PERCENT),
)
TIER_COLUMNS = (
    ReportColumn("Year", 6, WHOLE), ReportColumn("Tier", 9), ReportColumn("Saliency", 9),
    ReportColumn("Filled FTE", 10, FTE), ReportColumn("FTE to recruit", 10, FTE),
    ReportColumn("FTE lost to leaving", 10, FTE),
)
HIRE_COLUMNS = (
    ReportColumn("Needed in year", 8, WHOLE), ReportColumn("Start recruiting", 18, wrap=True),
    ReportColumn("Start month", 8, WHOLE), ReportColumn("Role", 12),
    ReportColumn("Role title", 26, wrap=True), ReportColumn("Service", 10),
    ReportColumn("Service name", 24, wrap=True), ReportColumn("Positions", 9, WHOLE),
    ReportColumn("FTE", 8, FTE), ReportColumn("Cost", 12, MONEY), *PROFILE_COLUMNS,
    ReportColumn("Why", 60, wrap=True),
)
PATHWAY_COLUMNS = (
    ReportColumn("Person", 14), ReportColumn("Name", 22), ReportColumn("Year", 6, WHOLE),
    ReportColumn("Role", 12), ReportColumn("Role title", 24, wrap=True),
    ReportColumn("Service", 10), ReportColumn("Readiness", 9, WHOLE),
    ReportColumn("Experience", 9, WHOLE), ReportColumn("Available FTE", 9, FTE),
    ReportColumn("Supported stretch", 9), ReportColumn("Why", 70, wrap=True),
)
SheetWriter = Callable[[Worksheet, RoadmapShown, Rendering], TableArea]


def write_roadmap_excel(roadmap: Roadmap, path: Path, audience: Audience) -> Path:
    """roadmap.xlsx for `audience`, written whole."""
    return write_book_atomic(build_roadmap_excel(roadmap, audience), path)


def build_roadmap_excel(roadmap: Roadmap, audience: Audience) -> Workbook:
    """The workbook in memory: Contents, Years, Tiers, Recruitment and (HR) Pathways."""
    shown = shown_for(roadmap, audience)
    rendering = Rendering(shown.roadmap.plans[0], shown.audience)
    sheets: list[tuple[str, str, SheetWriter]] = [
        ("Years", "Each year: demand, FTE filled, to recruit and lost, coverage and cover as "
         "people leave, careers, cost against the budget", years_sheet),
        ("Tiers", "FTE by saliency tier and year: filled, to recruit, lost to leaving",
         tiers_sheet),
        ("Recruitment", "When to start recruiting, for which position and profile, and why",
         recruitment_sheet),
    ]
    if not shown.director:
        sheets.append(("Pathways", "Each person year by year, with the reason for each "
                       "step (health data)", pathways_sheet))
    book = Workbook()
    contents = book.active
    contents.title = "Contents"
    for name, _, write in sheets:
        write(book.create_sheet(name), shown, rendering)
    write_titles(contents, f"{TITLE}: {roadmap.source}" if roadmap.source else TITLE,
                 _audience_note(shown))
    with in_currency(shown.currency):  # the summary's amounts
        facts = contents_facts(shown)
    write_contents_table(contents, facts, [(name, holds) for name, holds, _ in sheets])
    set_print_layout(book)
    return book


def _audience_note(shown: RoadmapShown) -> str:
    if not shown.director:
        return ("For HR: full detail, including health data (readiness to self-disclose). "
                "Do not pass on outside HR.")
    return (f"For directors: no person is listed; a count of fewer than {shown.k} people "
            f"(and the FTE they fill) is left blank, \"yes\" under \"Fewer than {shown.k} "
            f"people\"; no personal readiness, topics or preferences.")


def contents_facts(shown: RoadmapShown) -> list[Fact]:
    """Provenance, the settings, the executive summary and the roadmap's value."""
    view = shown.roadmap
    facts: list[Fact] = [
        ("Input file", view.source or None), ("Input SHA-256", view.input_sha256 or None),
        ("Planner version", __version__), ("Audience", shown.audience.value),
        ("Privacy threshold k", shown.k, WHOLE),
        ("Currency", shown.currency or "none set: amounts are plain numbers"),
    ]
    facts += [(SETTING_LABELS.get(key, key), value, PERCENT if key == "attrition_rate"
               else None) for key, value in view.settings.items()]
    facts.append(("Roadmap value (points)", view.value, "#,##0.0"))
    facts += [("Summary" if n == 0 else None, s) for n, s in enumerate(roadmap_summary(shown))]
    return facts


def years_sheet(ws: Worksheet, shown: RoadmapShown, r: Rendering) -> TableArea:
    write_titles(ws, "Roadmap year by year", r.privacy_note(
        "FTE lost: available FTE lost to people leaving since the year before. As people "
        "leave: demand covered with recruitment over sampled leaving patterns (percentiles). "
        "Cost and budget are annual."))
    rows = []
    for y in shown.roadmap.years:
        counts = (y.stretch_placements, y.progressions, y.hires_in_post, y.placed)
        share = y.cost / y.budget if y.budget else None
        rows.append([y.year, y.demand_fte, y.filled_fte, y.to_recruit_fte, y.lost_fte,
                     y.coverage, y.planned_coverage, *y.cover_range,
                     *(r.count(n) for n in counts), y.cost, y.budget, share, y.status, y.gap,
                     *r.privacy_cells(*counts)])
    columns = [*in_money(YEAR_COLUMNS, shown.currency), *r.privacy_columns]
    return write_table(ws, "Years", columns, rows)


def tiers_sheet(ws: Worksheet, shown: RoadmapShown, r: Rendering) -> TableArea:
    write_titles(ws, "FTE by saliency tier and year", r.privacy_note(
        "Filled by staff, to recruit, and lost to people leaving since the year before."))
    levels = dict(TIERS)
    rows = []
    for y in shown.roadmap.years:
        for t in y.tiers:
            filling, held = shown.tier_counts(y.year, t.tier)
            rows.append([y.year, t.tier, levels[t.tier], r.fte_of(filling, t.filled_fte),
                         t.to_recruit_fte, r.fte_of(held, t.lost_fte),
                         *r.privacy_cells(filling, held)])
    return write_table(ws, "Tiers", [*TIER_COLUMNS, *r.privacy_columns], rows)


def recruitment_sheet(ws: Worksheet, shown: RoadmapShown, r: Rendering) -> TableArea:
    write_titles(ws, "Recruitment schedule", "When to start recruiting so that the hire is in "
                 "post when the position is needed (Policy recruit_months); start month "
                 "counts from the roadmap's start (negative: late). Min readiness is the "
                 "readiness to self-disclose to service users the role needs.")
    hires = sorted(shown.roadmap.hires, key=lambda h: (h.start_month, h.year_needed,
                                                        h.role_id, h.service_id))
    rows = [[h.year_needed, recruit_start_words(h.start_month), h.start_month, h.role_id,
             h.title, h.service_id, r.service_names.get(h.service_id, ""), h.positions, h.fte,
             h.cost, *profile_cells(h.profile), h.reason] for h in hires]
    return write_table(ws, "Recruitment", in_money(HIRE_COLUMNS, shown.currency), rows)


def pathways_sheet(ws: Worksheet, shown: RoadmapShown, r: Rendering) -> TableArea:
    write_titles(ws, "Pathways (health data: HR only)", "Each person year by year, with the "
                 "reason for each step; filter by person to read one pathway.")
    titles = {role.role_id: role.title for plan in shown.roadmap.plans for role in plan.roles}
    names = {p.psw_id: p.name for plan in shown.roadmap.plans for p in plan.people}
    rows = [[s.psw_id, names.get(s.psw_id, ""), s.year, s.role_id,
             titles.get(s.role_id or ""), s.service_id, s.readiness, s.experience,
             s.available_fte, yes_no(s.stretch), s.reason] for s in shown.roadmap.pathways]
    return write_table(ws, "Pathways", PATHWAY_COLUMNS, rows)
