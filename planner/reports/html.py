"""The HTML report: one self-contained file (inline CSS, SVG charts, a little JS).

It renders the Plan only, never the input workbook, and for the `director` audience only
the view that `audience.view_for` allows. One Jinja2 environment, built in
`environment()`, holds every filter; autoescape is on, so a name is always text.

    write_html_report(plan, "out/report.html", Audience.DIRECTOR)
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2

from planner.core import formatting
from planner.core.atomic import write_text_atomic
from planner.core.audience import Audience, people_count, view_for
from planner.core.domain import TARGET_WORDS
from planner.core.results import Plan
from planner.reports.context import report_context

TEMPLATE = "report.html"
SORTABLE_ROWS = 15  # a table longer than this (about a screen) gets sortable headers


def render_html(plan: Plan, audience: Audience = Audience.HR) -> str:
    """The report as one HTML document, for `audience`, money in the plan's currency."""
    audience = Audience(audience)
    view = view_for(plan, audience)
    with formatting.in_currency(plan_currency(view)):  # the summary's sentences too
        return environment().get_template(TEMPLATE).render(report_context(view, audience))


def plan_currency(plan: Plan) -> str | None:
    """The Policy currency a plan was made with (None: none set, or an older plan.json)."""
    return plan.policy.get("currency")


def write_html_report(plan: Plan, path: str | Path, audience: Audience = Audience.HR) -> Path:
    """Write the report to `path` whole (never half a file); return the path."""
    return write_text_atomic(Path(path), render_html(plan, audience))


@functools.cache
def environment() -> jinja2.Environment:
    """The one Jinja2 environment of the report: loader, autoescape and all filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        pct=formatting.pct,
        num=formatting.num,
        money=formatting.money,
        fte=formatting.fte,
        points=formatting.points,
        count=count,
        sort_key=sort_key,
        fte_of=fte_of,
        unit=formatting.by_unit,  # a compared value by its unit (comparison.html)
        signed=formatting.signed,  # its change against the baseline
        readiness_asked=formatting.readiness_asked,  # a position's profile
    )
    env.globals["sortable_rows"] = SORTABLE_ROWS
    env.globals["target_words"] = TARGET_WORDS
    env.globals["names_id"] = formatting.names_id  # a role title that already shows its id
    return env


def template_dir() -> Path:
    """The templates, inside the package next to this module (wheel and checkout alike)."""
    return Path(__file__).resolve().parent / "templates"


@jinja2.pass_context
def count(context: jinja2.runtime.Context, n: int) -> str | int:
    """A count of people as the report's audience may see it ("<5" for directors)."""
    return people_count(n, context["k"], Audience(context["audience"]))


@jinja2.pass_context
def sort_key(context: jinja2.runtime.Context, n: int) -> Any:
    """The data-sort value of a count of people: a suppressed count sorts as k - 0.5.

    The raw number must not reach the page where the text shows "<k".
    """
    shown = count(context, n)
    return context["k"] - 0.5 if isinstance(shown, str) else shown


@jinja2.pass_context
def fte_of(context: jinja2.runtime.Context, value: float, people: int) -> str:
    """The FTE that `people` work, as the audience may see it: "<k" whenever their count
    is, since a small FTE beside "<k" gives the count back (0.5 FTE is one person)."""
    shown = count(context, people)
    return shown if isinstance(shown, str) else formatting.fte(value)
