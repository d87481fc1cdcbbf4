"""Numbers for people to read: percent, thousands separators, FTE and money.

Shared by the executive summary (`narrative.py`) and the HTML report's Jinja2 filters,
so a number reads the same in a sentence and in a table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence


def pct(share: float | None, digits: int = 0) -> str:
    """A 0-1 share as a percent: `pct(0.8535)` -> '85%'."""
    if share is None:
        return "–"
    return f"{share * 100:,.{digits}f}%"


def num(value: float | None, digits: int = 0) -> str:
    """A number with thousands separators: `num(1806807.1)` -> '1,806,807'."""
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def money(value: float | None) -> str:
    """An annual amount in the organisation's currency, whole units: '1,806,807'."""
    return num(value, 0)


def fte(value: float | None) -> str:
    """FTE with at most two decimals and no trailing zeros: 4.0 -> '4', 0.85 -> '0.85'."""
    if value is None:
        return "–"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def points(value: float | None) -> str:
    """A 0-100 score, one decimal: 71.6 -> '71.6'."""
    return num(value, 1)


def plural(n: int | str, singular: str, plural_form: str | None = None) -> str:
    """'1 person', '59 people', 'fewer than 5 people' (for a suppressed count '<5')."""
    many = plural_form or f"{singular}s"
    if isinstance(n, str):
        shown = f"fewer than {n[1:]}" if n.startswith("<") else n
        return f"{shown} {many}"
    return f"{n:,} {singular if n == 1 else many}"


def join_words(items: Sequence[str], limit: int = 5) -> str:
    """'A, B and C'; past `limit` items: 'A, B, C, D, E and 3 more'."""
    items = list(items)
    if len(items) > limit:
        items = [*items[:limit], f"{len(items) - limit} more"]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


FORMATS: dict[str, Callable[[float], str]] = {
    "share": pct, "points": points, "money": money, "fte": fte, "count": num, "people": num,
    "number": lambda value: num(value, 2),
}


def by_unit(value: float | str | None, unit: str) -> str:
    """A compared value as the report shows it: '85%', '71.6', '1,806,807', '<5'."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    return FORMATS.get(unit, str)(value)


def signed(delta: float | None, unit: str) -> str:
    """A change against the baseline: '+8.0 pts' (shares), '−361,600', '+3'; '' for none."""
    if delta is None:
        return ""
    if abs(delta) < 1e-9:
        return "±0"
    size = abs(delta)
    text = f"{size * 100:,.1f} pts" if unit == "share" else by_unit(size, unit)
    return ("+" if delta > 0 else "−") + text
