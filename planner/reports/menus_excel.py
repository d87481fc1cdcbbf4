"""The choice menus written for HR: menus.json and menus.xlsx, one row per person and
alternative. They hold individual data (placements, fit and autonomy derived from
readiness): HR only, like the HR report."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from openpyxl import Workbook

from planner.analyses.menus import RANKED, Menu, Menus
from planner.core.atomic import write_text_atomic
from planner.core.version import __version__
from planner.core.xlsx import write_book_atomic
from planner.reports.excel_table import (
    FTE,
    PERCENT,
    POINTS,
    WHOLE,
    CellValue,
    ReportColumn,
    set_print_layout,
    write_table,
    write_titles,
)

MENU_COLUMNS = (
    ReportColumn("Person", 10), ReportColumn("Name", 20), ReportColumn("Placed in the plan", 36,
                                                                       wrap=True),
    ReportColumn("Option", 8, WHOLE), ReportColumn("Role", 28, wrap=True),
    ReportColumn("Service", 28, wrap=True), ReportColumn("FTE", 7, FTE),
    ReportColumn("Fit", 7, POINTS), ReportColumn("Autonomy", 10, POINTS),
    ReportColumn("Cost (points)", 11, POINTS), ReportColumn("Cost (share)", 11, PERCENT),
    ReportColumn("Others moved", 10, WHOLE), ReportColumn("How found", 24, wrap=True),
    ReportColumn("Note", 36, wrap=True),
)
HR_ONLY = ("For HR only: each person's placement options, with fit and autonomy derived from "
           "their readiness to disclose (health data). Do not pass on outside HR.")


def write_menus(menus: Menus, out_dir: str | Path) -> list[Path]:
    """menus.json and menus.xlsx (one row per person and alternative) in `out_dir`."""
    folder = Path(out_dir)
    document = {"planner_version": __version__, "audience": "hr", "privacy": HR_ONLY,
                **asdict(menus)}
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return [write_text_atomic(folder / "menus.json", text),
            write_book_atomic(_book(menus), folder / "menus.xlsx")]


def _book(menus: Menus) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "Menus"
    label = RANKED if menus.method == RANKED else f"within {menus.within:.0%} of the optimum"
    write_titles(sheet, f"Choice menus ({label})", HR_ONLY)
    write_table(sheet, "Menus", MENU_COLUMNS, [row for menu in menus.menus
                                                for row in menu_rows(menu, menus.method)])
    method = book.create_sheet("Method")
    write_titles(method, "How the menus were made", menus.reason)
    write_table(method, "Method", (ReportColumn("Key", 24), ReportColumn("Value", 80, wrap=True)),
                [["method", menus.method], ["reason", menus.reason],
                 ["within", menus.within], ["per person", menus.per_person],
                 ["optimum objective", menus.optimum],
                 ["estimated seconds", menus.estimate_seconds],
                 ["time budget (s)", menus.time_budget], ["source", menus.source or None]])
    set_print_layout(book)
    return book


def menu_rows(menu: Menu, method: str) -> list[list[CellValue]]:
    """One row per alternative; a person with none gets one row saying why."""
    person: list[CellValue] = [menu.psw_id, menu.name or None, menu.placed_label]
    if not menu.alternatives:
        return [[*person, None, None, None, None, None, None, None, None, None, method,
                 menu.note or "no alternative"]]
    return [[*person, n, a.role_title, a.service_name or a.service_id, a.fte, a.fit,
             a.autonomy, a.cost_points, a.cost_share, a.others_moved,
             method if a.status == "ranked" else f"{method} ({a.status})", menu.note or None]
            for n, a in enumerate(menu.alternatives, start=1)]
