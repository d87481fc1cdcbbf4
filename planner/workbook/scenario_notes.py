"""What applying a scenario did that its rows do not say outright, as plain sentences.

A row says "climate + 1 for every service"; what it did is "climate already 5 in 3
services (S1, S4 and S7)". A row says "remove service S3"; what it did includes "current
placement in S3 dropped for 2 people". The comparison lists these notes beside each
scenario's changes, so that nothing a scenario changed is silent.

Services and roles are named for every audience; people are named by their id for HR
only, and counted for directors, a count under k read as "<k" (README, Privacy). For
directors a note on people leaves out the amount changed, as the change itself does
(`Override.describe_private`). Notes that would tell what a person prefers or must avoid
(preferences, exclusions) are for HR only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planner.core.audience import DEFAULT_K, Audience, people_count
from planner.core.formatting import join_words, plural
from planner.workbook.cells import number_text

PEOPLE_SHEET = "PSWs"
NOUNS = {"Services": ("service", "services"), "Roles": ("role", "roles"),
         PEOPLE_SHEET: ("person", "people"), "Regions": ("region", "regions")}
IDS_SHOWN = 10  # ids a note names before '… and N more'


@dataclass(frozen=True)
class Note:
    """One sentence about one Scenarios row: `lead`, then the rows it concerns, counted.

    'climate + 1: already 5 in' + '3 services (S1, S4 and S7)'. Without `sheet` the lead
    is the whole sentence (a Policy key).
    """

    row: int  # the Scenarios row that caused it
    lead: str
    sheet: str = ""  # whose rows `ids` are: Services, Roles or PSWs
    ids: tuple[str, ...] = ()
    hr_only: bool = False  # tells what people prefer or must avoid
    private_lead: str = ""  # the lead for directors, when it must say less

    def words(self, audience: Audience = Audience.HR, k: int = DEFAULT_K) -> str | None:
        """The sentence as `audience` may read it; None when it is not theirs to read."""
        director = Audience(audience) is Audience.DIRECTOR
        if director and self.hr_only:
            return None
        if not self.sheet:
            return self.lead
        one, many = NOUNS[self.sheet]
        people = self.sheet == PEOPLE_SHEET
        count = people_count(len(self.ids), k, audience) if people else len(self.ids)
        if director and people:
            return f"{self.private_lead or self.lead} {plural(count, one, many)}"
        sentence = f"{self.lead} {plural(count, one, many)}"
        return f"{sentence} ({join_words(self.ids, IDS_SHOWN)})"


def capped_note(row: int, operation: str, column: str, sheet: str, limit: float,
                capped: Sequence[tuple[str, bool]]) -> Note:
    """Rows whose add or scale was capped at `limit`; `capped` holds (id, already there).

    When every row stood at the limit already the note says so: "climate + 1: already 5
    in 3 services" reads as the consultant meant it, a change with nothing left to do there.
    """
    limit_text = number_text(limit)
    if not sheet:  # a Policy key
        return Note(row, f"Policy: {operation} capped at {limit_text}")
    state = (f"already {limit_text}" if all(already for _, already in capped)
             else f"capped at {limit_text}")
    place = "in" if sheet == "Services" else "for"
    private = f"{column}: {state} {place}" if sheet == PEOPLE_SHEET else ""
    return Note(row, f"{operation}: {state} {place}", sheet, tuple(i for i, _ in capped),
                private_lead=private)
