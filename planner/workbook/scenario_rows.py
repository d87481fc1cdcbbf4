"""Whole rows in a scenario: `remove` the rows an id or filter selects, and `add_row`
copies of one row under new ids.

Removing a service or a role drops what names it in people's rows, each with a note: a
current placement there (service and role together, since the workbook holds both or
neither), an exclusion of the service, a preference for the role. A locked person's
placement is not dropped: the lock promises it, so such a removal is an error that says
how to unlock them first. Removing people or a region's budget row drops nothing else,
since no row names a person and a service's region is its own.

A copy keeps every cell of its row but the id; its name (a role's title) is the new id
until a later row sets it. A person's copy is a new hire with that profile (readiness,
topics, hours, experience, region, preferences): no name, no current placement, lock or
exclusions, since those are the history of the person copied; later rows may set them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from planner.core.errors import Issue
from planner.core.formatting import join_words
from planner.workbook.scenario_notes import IDS_SHOWN, PEOPLE_SHEET, Note
from planner.workbook.scenario_sheet import ALL_ROWS, Override
from planner.workbook.schema import SHEETS_BY_NAME

Rows = dict[str, list[Any]]  # sheet -> its rows, as the scenario changes them
# A removed row's sheet -> the column of a person's current placement that names it
PLACEMENT = {"Services": "current_service", "Roles": "current_role"}
PLACED_WORD = {"Services": "in", "Roles": "as"}
# ... and the list of a person's that may name it, as a note calls it
LISTED = {"Services": ("exclude_services", "the exclusions"),
          "Roles": ("preferred_roles", "the preferred roles")}
UNPLACED = {"current_service": None, "current_role": None}


@dataclass
class RowsChanged:
    """What removing or copying rows did: notes, problems, and the rows it changed
    besides those it selected (so that a later error is blamed on it)."""

    notes: list[Note] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    touched: list[tuple[str, str]] = field(default_factory=list)  # (sheet, id)


def id_column(sheet: str) -> str:
    return SHEETS_BY_NAME[sheet].columns[0].name


def row_id(sheet: str, row: Any) -> str:
    return str(getattr(row, id_column(sheet)))


def remove_rows(rows: Rows, override: Override, indices: list[int]) -> RowsChanged:
    """Remove the selected rows of the override's sheet and what names them."""
    sheet, outcome = override.sheet, RowsChanged()
    gone = [row_id(sheet, rows[sheet][n]) for n in indices]
    if sheet in PLACEMENT:
        locked = _locked_in(rows[PEOPLE_SHEET], sheet, set(gone))
        if locked:
            outcome.issues.append(_locked_issue(override, sheet, locked))
            return outcome
    chosen = set(indices)
    rows[sheet] = [row for n, row in enumerate(rows[sheet]) if n not in chosen]
    if override.filters or override.target == ALL_ROWS:  # which rows: the row does not say
        outcome.notes.append(Note(override.row, "removed", sheet, tuple(gone)))
    if sheet in PLACEMENT:
        _drop_references(rows[PEOPLE_SHEET], override, gone, outcome)
    return outcome


def _locked_in(people: list[Any], sheet: str, gone: set[str]) -> list[Any]:
    return [p for p in people if p.lock and getattr(p, PLACEMENT[sheet]) in gone]


def _locked_issue(override: Override, sheet: str, locked: list[Any]) -> Issue:
    first = locked[0]
    more = f" (and {len(locked) - 1} more)" if len(locked) > 1 else ""
    return override.issue("id", (
        f"removing {sheet} {getattr(first, PLACEMENT[sheet])!r} leaves PSWs "
        f"{first.psw_id!r}, locked in {first.current_service} as {first.current_role}, "
        f"without a placement{more}; unlock them in a row before this one (PSWs, "
        f"{first.psw_id}, lock, set, no), or remove them too"))


def _drop_references(people: list[Any], override: Override, gone: list[str],
                     outcome: RowsChanged) -> None:
    """Current placements, exclusions and preferences naming a removed row, dropped."""
    sheet, names = override.sheet, join_words(gone, IDS_SHOWN)
    placement, (listed, where) = PLACEMENT[sheet], LISTED[sheet]
    unplaced, unlisted = [], []
    for number, person in enumerate(people):
        changes: dict[str, Any] = {}
        if getattr(person, placement) in gone:
            changes |= UNPLACED
            unplaced.append(person.psw_id)
        kept = tuple(item for item in getattr(person, listed) if item not in gone)
        if kept != getattr(person, listed):
            changes[listed] = kept
            unlisted.append(person.psw_id)
        if changes:
            people[number] = replace(person, **changes)
    if unplaced:
        outcome.notes.append(Note(override.row, f"current placement {PLACED_WORD[sheet]} "
                                  f"{names} dropped for", PEOPLE_SHEET, tuple(unplaced)))
    if unlisted:  # what a person prefers or must avoid: for HR only
        outcome.notes.append(Note(override.row, f"{names} dropped from {where} of",
                                  PEOPLE_SHEET, tuple(unlisted), hr_only=True))
    outcome.touched += [(PEOPLE_SHEET, p) for p in dict.fromkeys(unplaced + unlisted)]


def add_rows(rows: Rows, override: Override, index: int) -> RowsChanged:
    """Copies of row `index` of the override's sheet, one per new id in its value."""
    sheet, outcome = override.sheet, RowsChanged()
    taken = {row_id(sheet, row) for row in rows[sheet]}
    source = rows[sheet][index]
    for new_id in override.value:
        if new_id in taken:
            outcome.issues.append(override.issue("value", (
                f"{sheet} already has a row with {id_column(sheet)} {new_id!r}; give the "
                "copy an id of its own")))
            continue
        rows[sheet].append(copied(sheet, source, new_id))
        taken.add(new_id)
        outcome.touched.append((sheet, new_id))
    return outcome


def copied(sheet: str, row: Any, new_id: str) -> Any:
    """The row under a new id: a service, role or region as it is, a person as a new
    hire."""
    if sheet == "Services":
        return replace(row, service_id=new_id, name=new_id)
    if sheet == "Roles":
        return replace(row, role_id=new_id, title=new_id)
    if sheet == "Regions":
        return replace(row, region=new_id)
    return replace(row, psw_id=new_id, name="", lock=False, exclude_services=(), **UNPLACED)
