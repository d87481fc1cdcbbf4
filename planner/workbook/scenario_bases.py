"""What a scenario says of itself beside its changes: a description in the consultant's
words, and the scenario it builds on (`base`).

Both are columns of the Scenarios sheet, so they sit on change rows: a scenario's rows may
repeat its description (or base) or leave it blank, but two different ones for one scenario
are an error located on the second. A base names another scenario of the same sheet, whose
changes apply first ("budget -10 % on top of warmer wards"); a base may build on another in
turn. An unknown base (with a suggestion) and a cycle are errors located on the base cell.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from planner.workbook.cells import suggestion
from planner.workbook.tables import Issues, Table

DESCRIPTION = "description"
BASE = "base"
SCENARIO_WIDE = (DESCRIPTION, BASE)  # columns that hold one value a scenario


@dataclass(frozen=True)
class Stated:
    """A scenario-wide cell as first given: its value and spreadsheet row."""

    value: str
    row: int


class ScenarioWide:
    """The description and base of each scenario, read row by row."""

    def __init__(self, table: Table, issues: Issues) -> None:
        self.table, self.issues = table, issues
        self.stated: dict[tuple[str, str], Stated] = {}

    def read(self, name: str, row: int, values: dict[str, object]) -> None:
        """The row's description and base, checked against the scenario's earlier rows."""
        for column in SCENARIO_WIDE:
            value = values.get(column)
            if value is None:
                continue
            first = self.stated.setdefault((name, column), Stated(str(value), row))
            if first.value != value:
                self.issues.at(self.table, row, column, (
                    f"scenario {name!r} has another {column} on row {first.row} "
                    f"({first.value!r}); a scenario has one {column}: repeat it on its rows "
                    "or leave them blank"))

    def value(self, name: str, column: str) -> str:
        stated = self.stated.get((name, column))
        return "" if stated is None else stated.value

    def bases(self, names: Collection[str], baseline: str) -> dict[str, tuple[str, ...]]:
        """Each scenario's bases, the farthest first ("A", "B" for C on B on A); a scenario
        whose base is unknown or builds on itself, at one remove or more, is left out and
        its base cell holds the error. `baseline` as a base is no base."""
        chains: dict[str, tuple[str, ...]] = {}
        for name in names:
            chain = self._chain(name, names, baseline)
            if chain is not None:
                chains[name] = chain
        return chains

    def _chain(self, name: str, names: Collection[str], baseline: str) -> tuple[str, ...] | None:
        seen = [name]
        base = self._base(name, baseline)
        while base:
            if base in seen:
                if base == name:  # a cycle is reported on each of its members
                    self._cycle(name, seen)
                return None
            if base not in names:
                if len(seen) == 1:
                    self._at_base(name, f"base {base!r} is not a scenario of this sheet"
                                  f"{suggestion(base, [n for n in names if n != name])}")
                return None
            seen.append(base)
            base = self._base(base, baseline)
        return tuple(reversed(seen[1:]))

    def _base(self, name: str, baseline: str) -> str:
        base = self.value(name, BASE)
        return "" if base.lower() == baseline else base

    def _cycle(self, name: str, seen: list[str]) -> None:
        if len(seen) == 1:
            self._at_base(name, f"scenario {name!r} builds on itself; name another scenario "
                          "as its base, or leave base blank")
            return
        path = " on ".join(repr(n) for n in [*seen, name])
        self._at_base(name, f"the bases go round in a circle ({path}); one of these "
                      "scenarios must build on none (base blank)")

    def _at_base(self, name: str, message: str) -> None:
        self.issues.at(self.table, self.stated[(name, BASE)].row, BASE, message)
