"""Numbers for people to read: percent, thousands separators, FTE and money.

Shared by the executive summary (`narrative.py`) and the HTML report's Jinja2 filters,
so a number reads the same in a sentence and in a table.

Money carries the organisation's currency (Policy `currency`: a code such as GBP, or a
sign such as £). The sentences that state amounts are written in several layers, most of
which never see the Policy, so the currency is set once around a rendering and every
amount inside picks it up:

    with in_currency("GBP"):
        money(1806807.1)   # 'GBP 1,806,807'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from planner.core.domain import TARGET_WORDS

# The currency of the amounts being written; None: plain numbers (no currency set).
_CURRENCY: ContextVar[str | None] = ContextVar("currency", default=None)


@contextmanager
def in_currency(currency: str | None) -> Iterator[None]:
    """Within the block, `money` shows amounts in `currency` (None: plain numbers)."""
    token = _CURRENCY.set(currency or None)
    try:
        yield
    finally:
        _CURRENCY.reset(token)


def current_currency() -> str | None:
    """The currency `money` writes amounts in here (see `in_currency`)."""
    return _CURRENCY.get()


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


def money(value: float | None, currency: str | None = None) -> str:
    """An amount in whole units, in `currency` or else the one in effect (`in_currency`):
    '1,806,807', 'GBP 1,806,807', '£1,806,807', '-£5,000'."""
    if value is None:
        return "–"
    return with_currency(num(value, 0), currency or current_currency())


def with_currency(amount: str, currency: str | None) -> str:
    """A formatted amount with its currency: a code before it with a space ('GBP 12'),
    a sign right before its digits ('£12', '-£12')."""
    if not currency:
        return amount
    if currency.isalpha():
        return f"{currency.upper()} {amount}"
    sign = amount[0] if amount[:1] in ("-", "−", "+") else ""
    return f"{sign}{currency}{amount[len(sign):]}"


def fte(value: float | None) -> str:
    """FTE with at most two decimals and no trailing zeros: 4.0 -> '4', 0.85 -> '0.85'."""
    if value is None:
        return "–"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def points(value: float | None) -> str:
    """A 0-100 score, one decimal: 71.6 -> '71.6'."""
    return num(value, 1)


def role_label(title: str, role_id: str) -> str:
    """'Peer navigator (NAVIGATOR)'; a title that already names its id keeps it once:
    'Whole-health coach (WHAM)', not 'Whole-health coach (WHAM) (WHAM)'."""
    if not title or title == role_id:
        return role_id
    return title if names_id(title, role_id) else f"{title} ({role_id})"


def names_id(title: str, item_id: str) -> bool:
    """The title already shows the id as a word of its own, e.g. 'coach (WHAM)'."""
    return re.search(rf"(?<![\w-]){re.escape(item_id)}(?![\w-])", title) is not None


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


def readiness_asked(profile: Mapping[str, object]) -> str | None:
    """The readiness to disclose a position to recruit asks, from its profile: 'ready to
    disclose at level 3 or more', or by target when the role discloses beyond service
    users: 'ready to disclose to service users at level 3 or more, to staff at level 4 or
    more'."""
    others = dict(profile.get("min_readiness_by_target") or {})  # type: ignore[call-overload]
    asked = [("service_users" if others else "", profile.get("min_readiness")),
             *others.items()]
    parts = [f"{f'to {TARGET_WORDS[who]} ' if who else ''}at level {level} or more"
             for who, level in asked if level]
    return "ready to disclose " + ", ".join(parts) if parts else None
