"""Numbers and lists as the reports write them."""

from __future__ import annotations

from planner.core.formatting import fte, join_words, pct, plural


def test_human_numbers():
    assert pct(0.8535) == "85%"
    assert pct(0.0024, 2) == "0.24%"
    assert fte(4.0) == "4" and fte(0.85) == "0.85" and fte(1234.5) == "1,234.5"
    assert plural(1, "person", "people") == "1 person"
    assert plural("<5", "person", "people") == "fewer than 5 people"
    assert join_words(["a", "b", "c"]) == "a, b and c"
    assert join_words(list("abcdefg"), limit=5) == "a, b, c, d, e and 2 more"
