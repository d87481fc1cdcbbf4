"""The filters a Scenarios row's `id` may hold: which rows of a sheet a change applies to.

    setting=inpatient              equal (a list column: holds the items)
    setting=inpatient|crisis       any of several values
    region=                        blank
    region!=North                  not equal (a blank cell is not North)
    climate<3   <=   >   >=        numbers compared (a blank cell never matches)
    setting=inpatient & climate<3  every condition holds

Any column of the sheet may be filtered on, its id included (`service_id=S1|S2`). Each
value is read by its column's schema Kind with the workbook's own rules and messages
(`cells`), so a filter on a choice says "did you mean" as a cell does; a number compared
with `<` may lie outside the column's range (`climate<9` selects every service), while an
equality outside it can never hold and is refused.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from planner.workbook.cells import CellError, Suggester, is_blank, parse_cell, suggestion
from planner.workbook.schema import SHEETS_BY_NAME, Column, Kind, Sheet
from planner.workbook.tables import parse as parse_typed

FILTER_JOIN = "&"
ANY_OF = "|"
KIND_WORDS = {Kind.TEXT: "text", Kind.ID: "an id", Kind.BOOL: "yes/no",
              Kind.CHOICE: "a choice from a list", Kind.LIST: "a list",
              Kind.INT: "a whole number", Kind.FLOAT: "a number"}
NUMBER_KINDS = frozenset({Kind.INT, Kind.FLOAT})
SUPPORTED = ("a filter is column=value, column!=value, column<value (also <=, >, >= on "
             "numbers), several values as a|b, and conditions joined by &, e.g. "
             "'setting=inpatient|crisis & climate<3'")


class Operator(StrEnum):
    EQUAL = "="
    NOT_EQUAL = "!="
    LESS = "<"
    AT_MOST = "<="
    MORE = ">"
    AT_LEAST = ">="


# What people bring from other query languages, and how it is said here. A comparison
# after 'or' or 'and' is a second condition, never a value a cell holds.
AFTER = r"\s+[\w.]+\s*(?:[<>!=]=?)"
SPELLED_OTHERWISE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), words) for pattern, words in (
        (r"=>|=<", "write >= or <=, the = second"),
        (r"==", "write a single ="),
        (r"\s(?:or|\|\|)" + AFTER, "'or' is not written here: several values of one column "
         "are column=a|b (region=North|South); rows meeting either of two conditions on "
         "different columns take a row each"),
        (r"\s(?:and|&&)" + AFTER, "conditions are joined by & (setting=inpatient & climate<3)"),
        (r"^\s*not\s", "write column!=value"),
        (r"\sbetween\s", "a range is two conditions joined by &: climate>=2 & climate<=4"),
        (r"^\s*[\w.]+\s+in\s", "several values are written column=a|b"),
    ))

# the two-character operators first, so that 'climate<=3' is not read as '<' and '=3'
CONDITION = re.compile(r"(?P<column>[^<>=!]*?)\s*(?P<op><=|>=|!=|=|<|>)\s*(?P<value>.*)",
                       re.DOTALL)
ORDERS: dict[Operator, Callable[[Any, Any], bool]] = {
    Operator.LESS: operator.lt, Operator.AT_MOST: operator.le,
    Operator.MORE: operator.gt, Operator.AT_LEAST: operator.ge}


@dataclass(frozen=True)
class Condition:
    """One condition of a filter: `column`, an operator and its typed values.

    For = and != `values` are the alternatives (None: a blank cell); for the orders it is
    the one number compared with.
    """

    column: str
    operator: Operator
    values: tuple[Any, ...]

    def holds(self, have: Any) -> bool:
        """Whether a row whose cell in `column` is `have` meets the condition."""
        order = ORDERS.get(self.operator)
        if order is not None:
            return have is not None and order(have, self.values[0])
        equal = any(_equal(have, wanted) for wanted in self.values)
        return equal if self.operator is Operator.EQUAL else not equal


def _equal(have: Any, wanted: Any) -> bool:
    """A blank matches a blank; a list cell matches when it holds every item wanted."""
    if wanted is None:
        return have in (None, "", ())
    if isinstance(have, tuple) and isinstance(wanted, tuple):
        return set(wanted) <= set(have)
    return bool(have == wanted)


def is_filter(target: str) -> bool:
    """An `id` cell holding a comparison is a filter; anything else names one row."""
    return any(sign in target for sign in "<>=")


def matches(row: Any, conditions: Iterable[Condition]) -> bool:
    """Every condition holds for the row."""
    return all(c.holds(getattr(row, c.column)) for c in conditions)


def spelled_otherwise(target: str) -> str | None:
    """How a filter written as another query language writes it ('and' -> '&') is written
    here, with what filters may say; None when it is not written so."""
    for pattern, words in SPELLED_OTHERWISE:
        if pattern.search(target):
            return f"{words}; {SUPPORTED}"
    return None


def parse_filter(sheet: str, target: str) -> tuple[tuple[Condition, ...], list[str]]:
    """The conditions of a filter on `sheet`, and a message for each that is wrong."""
    otherwise = spelled_otherwise(target)
    if otherwise is not None:
        return (), [f"filter {target!r}: {otherwise}"]
    schema, conditions, problems = SHEETS_BY_NAME[sheet], [], []
    for part in (p.strip() for p in target.split(FILTER_JOIN)):
        if not part:
            problems.append(f"filter {target!r}: a condition is empty (an {FILTER_JOIN!r} "
                            "with nothing on one side)")
            continue
        try:
            conditions.append(_condition(schema, part))
        except CellError as error:
            problems.append(f"filter {part!r}: {error}")
    return tuple(conditions), problems


def _condition(schema: Sheet, part: str) -> Condition:
    """One condition, typed by its column; raises CellError saying what is wrong."""
    found = CONDITION.fullmatch(part)
    if found is None:
        raise CellError(f"no comparison; {SUPPORTED}")
    name, sign, text = found["column"].strip().lower(), Operator(found["op"]), found["value"]
    if not name:
        raise CellError(f"no column before {sign.value!r}; {SUPPORTED}")
    if name not in schema.column_names:
        raise CellError(f"{schema.name} has no column {name!r}"
                        f"{suggestion(name, schema.column_names)}")
    column = schema.column(name)
    if sign in ORDERS:
        return Condition(name, sign, (_bound(column, sign, text),))
    values = tuple(parse_typed(schema.name, column, alternative)
                   for alternative in text.split(ANY_OF))
    return Condition(name, sign, values)


def _bound(column: Column, sign: Operator, text: str) -> float:
    """The number a column is compared with: any number, the column's range aside."""
    if column.kind not in NUMBER_KINDS:
        raise CellError(f"{sign.value} compares numbers, but {column.name} is "
                        f"{KIND_WORDS[column.kind]}; use = or != (a|b for several values)")
    if ANY_OF in text:
        raise CellError(f"several values (a|b) go with = or !=, not with {sign.value}")
    bound = parse_cell(Column(column.name, Kind.FLOAT, ""), text)
    if bound is None:
        raise CellError(f"{sign.value} needs a number to compare {column.name} with")
    return float(bound)


def unmatched_hint(conditions: Sequence[Condition], rows: Sequence[Any]) -> str:
    """Why a filter may match nothing: ' (no row has region 'Nort'; did you mean 'North'?)'.

    Only for a value wanted with = that no row holds; a combination of values each found
    somewhere gets no hint (the filter is right, the rows are not there).
    """
    for condition in conditions:
        if condition.operator is not Operator.EQUAL:
            continue
        present = {str(item) for row in rows
                   for item in _items(getattr(row, condition.column))}
        for wanted in condition.values:
            for item in _items(wanted):
                if str(item) not in present:
                    return (f" (no row has {condition.column} {str(item)!r}"
                            f"{Suggester(present)(str(item))})")
    return ""


def _items(value: Any) -> tuple[Any, ...]:
    if isinstance(value, tuple):
        return value
    return () if value is None or is_blank(value) else (value,)
