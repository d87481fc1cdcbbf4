"""Names as the analysis pages and workbooks show them, each said once.

A role is named by `formatting.role_label`: its title and id, or its title alone when the
title already shows the id ("Whole-health coach (WHAM)", never "… (WHAM) (WHAM)").
"""

from __future__ import annotations

from dataclasses import replace

from planner.analyses.measures import Comparison, Measure
from planner.core.formatting import role_label

ROLE_MEASURE = "role"  # the kind of measure keyed "role:<role_id>:filled" (analyses.measures)


def with_role_labels(c: Comparison) -> Comparison:
    """The comparison with each role's rows grouped under its label, named once."""
    return replace(c, roles=tuple(_relabelled(m, c.role_titles) for m in c.roles))


def _relabelled(m: Measure, titles: dict[str, str]) -> Measure:
    kind, _, rest = m.key.partition(":")
    if kind != ROLE_MEASURE:
        return m
    role_id = rest.rpartition(":")[0]  # "<role_id>:filled": an id may hold a colon
    return replace(m, group=role_label(titles.get(role_id, role_id), role_id))
