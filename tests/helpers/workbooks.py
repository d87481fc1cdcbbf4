"""A minimal valid organisation (2 services, 2 roles, 3 PSWs) as sheets of cells, and
writers for it as .xlsx or as a CSV folder, so that a test can break exactly one cell.

    path = write_org(tmp_path, {"PSWs": {(3, "readiness"): "high"}})

changes the PSWs cell in spreadsheet row 3 (the header is row 1), column `readiness`.
"""

from __future__ import annotations

import copy
import csv
from collections.abc import Mapping
from pathlib import Path

from openpyxl import Workbook

Rows = list[list[object]]
Changes = Mapping[str, Mapping[tuple[int, str], object]]

BASE_SHEETS: dict[str, Rows] = {
    "Services": [
        ["service_id", "name", "setting", "region", "topics", "demand_fte", "annual_contacts",
         "minutes_per_contact", "climate", "min_peers"],
        ["S1", "Acute ward", "inpatient", "North", "crisis, hospitalisation", 1.5, None, None,
         3, None],
        ["S2", "Community team", "community", "South", "housing, vocational", None, 3000, 45,
         4, 2],
    ],
    "Roles": [
        ["role_id", "title", "saliency", "topics", "settings", "fte", "cost_per_fte",
         "min_experience", "min_climate", "career_track", "supervisor"],
        ["WARD", "Ward peer expert", 5, "crisis, hospitalisation", "inpatient", 1.0, 33000, 1,
         3, "clinical", "no"],
        ["NAV", "Peer navigator", 2, None, None, 0.5, 30000, None, None, "community", "no"],
    ],
    "PSWs": [
        ["psw_id", "name", "readiness", "topics", "available_fte", "experience", "region",
         "travel", "preferred_roles", "preferred_settings", "current_service", "current_role",
         "exclude_services", "stretch", "lock"],
        ["P1", "Ana", 5, "crisis, trauma", 1.0, 3, "North", "no", "WARD, NAV", "inpatient",
         "S1", "WARD", None, "no", "no"],
        ["P2", "Ben", 3, "housing", 0.6, 1, "South", "yes", "NAV", "community", None, None,
         "S1", "yes", "no"],
        ["P3", "Chloé", 2, "vocational", 0.8, 0, "South", "no", None, None, "S2", "NAV", None,
         "no", "yes"],
    ],
    "Topics": [
        ["topic", "label"],
        ["gambling", "Gambling"],
    ],
    "Policy": [
        ["key", "value"],
        ["budget", 200000],
        ["lone_peer", "discourage"],
    ],
    "Scenarios": [
        ["scenario", "sheet", "id", "column", "change", "value", "description", "base"],
        ["More budget", "Policy", "budget", "value", "scale", 1.2],
    ],
}


def org_sheets(changes: Changes | None = None) -> dict[str, Rows]:
    """A fresh copy of the base sheets with `changes` applied."""
    sheets = copy.deepcopy(BASE_SHEETS)
    for sheet, cells in (changes or {}).items():
        for (row, column), value in cells.items():
            set_cell(sheets, sheet, row, column, value)
    return sheets


def set_cell(sheets: dict[str, Rows], sheet: str, row: int, column: str, value: object) -> None:
    """Set the cell at spreadsheet `row` (header = 1) under header `column`; rows grow."""
    rows = sheets[sheet]
    position = rows[0].index(column)
    while len(rows) < row:
        rows.append([None] * len(rows[0]))
    rows[row - 1][position] = value


def write_xlsx(path: Path, sheets: Mapping[str, Rows]) -> Path:
    """Write `sheets` to an .xlsx file at `path`, one worksheet per sheet, in order."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        worksheet = book.create_sheet(name)
        for row in rows:
            worksheet.append(list(row))
    book.save(path)
    return path


def write_csv_folder(folder: Path, sheets: Mapping[str, Rows]) -> Path:
    """Write `sheets` as `<name>.csv` files (UTF-8) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets.items():
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows(
                ["" if value is None else value for value in row] for row in rows)
    return folder


def write_org(directory: Path, changes: Changes | None = None, name: str = "org.xlsx") -> Path:
    """The base organisation with `changes`, written as `directory/name`."""
    return write_xlsx(directory / name, org_sheets(changes))


# S2's workload in the hand-worked WISN example (tests/workbook/test_wisn.py): 2.00 FTE
# with the default Policy, before allowances.
WISN_CONTACTS, WISN_MINUTES = 4220, 45


def with_allowance_columns(category: object = None, individual: object = None,
                           policy: dict[str, object] | None = None) -> dict[str, Rows]:
    """The base organisation with S2's workload of the hand-worked example, the optional
    allowance columns (S2's cells given, S1's blank) and Policy rows."""
    sheets = org_sheets({"Services": {(3, "annual_contacts"): WISN_CONTACTS,
                                      (3, "minutes_per_contact"): WISN_MINUTES}})
    services = sheets["Services"]
    services[0] += ["category_allowance_pct", "individual_allowance_hours"]
    services[1] += [None, None]
    services[2] += [category, individual]
    sheets["Policy"] += [[key, value] for key, value in (policy or {}).items()]
    return sheets
