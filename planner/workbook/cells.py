"""One spreadsheet cell, parsed by its `schema.Column`: the type and range rules of §2.

Cells arrive as Excel values (str, int, float, bool, datetime) or, from CSV, as text.
`parse_cell` returns the typed value, None for a blank cell, or raises `CellError` with a
message that names the column and shows the offending value.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from difflib import get_close_matches

from planner.workbook.schema import Column, Kind

TRUE_WORDS = frozenset({"yes", "y", "true", "1"})
FALSE_WORDS = frozenset({"no", "n", "false", "0"})
SHOWN_MAX_CHARS = 40  # an offending value is cut to this length in a message


class CellError(ValueError):
    """A cell that breaks its column's rule; str(error) is the user-facing message."""


def is_blank(value: object) -> bool:
    """True for an empty cell: None, or text that is only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: object) -> str:
    """The cell as trimmed text; whole floats lose their '.0' (Excel stores 101 as 101.0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()


def shown(value: object) -> str:
    """The offending value as a message shows it: text quoted, numbers plain."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return as_text(value)
    text = as_text(value) if not isinstance(value, str) else value.strip()
    if len(text) > SHOWN_MAX_CHARS:
        text = text[: SHOWN_MAX_CHARS - 1] + "…"
    return repr(text)


def number_text(number: float) -> str:
    """A limit as a message shows it: 1000 -> '1,000', 0.5 -> '0.5'."""
    if float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:g}"


def suggestion(word: str, candidates: Iterable[object]) -> str:
    """'; did you mean 'x'?' for the closest candidate, or '' when none is close."""
    return Suggester(candidates)(word)


class Suggester:
    """'; did you mean ...?' against one set of names, worked out once per word.

    A case-only difference is the likeliest slip, so it is tried first. Fuzzy matching is
    bounded so that a sheet of 100,000 wrong names stays fast.
    """

    max_fuzzy_words = 200  # distinct words given a fuzzy suggestion
    max_fuzzy_names = 10_000  # larger sets get case-only suggestions

    def __init__(self, candidates: Iterable[object]) -> None:
        self.by_lower = {str(c).lower(): str(c) for c in candidates}
        self.memo: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        if word not in self.memo:
            self.memo[word] = self._hint(word)
        return self.memo[word]

    def _hint(self, word: str) -> str:
        key = word.lower()
        fuzzy = (len(self.memo) < self.max_fuzzy_words
                 and len(self.by_lower) <= self.max_fuzzy_names)
        if key not in self.by_lower and fuzzy:
            key = next(iter(get_close_matches(key, list(self.by_lower), n=1)), "")
        return f"; did you mean {self.by_lower[key]!r}?" if key in self.by_lower else ""


def expectation(column: Column, what: str) -> str:
    """What the column wants, e.g. 'a whole number from 1 to 5'."""
    limits = range_text(column)
    return f"{what} {limits}" if limits else what


def range_text(column: Column) -> str:
    """The allowed range in words, e.g. 'from 1 to 5', 'greater than 0 and at most 1'."""
    low, high = column.low, column.high
    if low is not None and high is not None:
        if column.low_open:
            return f"greater than {number_text(low)} and at most {number_text(high)}"
        return f"from {number_text(low)} to {number_text(high)}"
    if low is not None:
        return f"{'>' if column.low_open else '>='} {number_text(low)}"
    if high is not None:
        return f"<= {number_text(high)}"
    return ""


def parse_cell(column: Column, value: object) -> object | None:
    """The typed value of one cell, None when blank; raises CellError when it is wrong."""
    if is_blank(value):
        return None
    parser = _PARSERS[column.kind]
    return parser(column, value)


def _parse_text(column: Column, value: object) -> str:
    return as_text(value)


def _parse_id(column: Column, value: object) -> str:
    text = as_text(value)
    if "," in text:
        raise CellError(f"{column.name} must not contain a comma (lists of ids are "
                        f"comma-separated), got {shown(value)}")
    return text


def _number(value: object) -> float | None:
    """The value as a finite float, or None if it is not a number (booleans are not)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and "_" not in value:
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _in_range(column: Column, number: float) -> bool:
    if column.low is not None and (
        number < column.low or (column.low_open and number == column.low)
    ):
        return False
    return column.high is None or number <= column.high


def _parse_int(column: Column, value: object) -> int:
    number = _number(value)
    if number is None or not number.is_integer() or not _in_range(column, number):
        raise CellError(f"{column.name} must be {expectation(column, 'a whole number')}, "
                        f"got {shown(value)}")
    return int(number)


def _parse_float(column: Column, value: object) -> float:
    number = _number(value)
    if number is None or not _in_range(column, number):
        raise CellError(f"{column.name} must be {expectation(column, 'a number')}, "
                        f"got {shown(value)}")
    return number


def _parse_bool(column: Column, value: object) -> bool:
    if isinstance(value, bool):
        return value
    word = as_text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"{column.name} must be yes or no, got {shown(value)}")


def _parse_choice(column: Column, value: object) -> str:
    by_lower = {c.lower(): c for c in column.choices}
    word = as_text(value)
    if word.lower() in by_lower:
        return by_lower[word.lower()]
    raise CellError(f"{column.name} must be one of {', '.join(column.choices)}, "
                    f"got {shown(value)}{suggestion(word.lower(), column.choices)}")


def _parse_list(column: Column, value: object) -> tuple[str, ...]:
    items = (item.strip() for item in as_text(value).split(","))
    return tuple(dict.fromkeys(item for item in items if item))


_PARSERS = {
    Kind.TEXT: _parse_text,
    Kind.ID: _parse_id,
    Kind.INT: _parse_int,
    Kind.FLOAT: _parse_float,
    Kind.BOOL: _parse_bool,
    Kind.CHOICE: _parse_choice,
    Kind.LIST: _parse_list,
}
