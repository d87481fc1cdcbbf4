"""What every analysis page (insights, frontier) shares: it extends the report's
`base.html` and renders through the report's one Jinja2 environment (`html.environment`),
so it reads and prints like report.html."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.core.atomic import write_text_atomic
from planner.core.version import __version__
from planner.reports.html import environment


def page_basics(source: str) -> dict[str, Any]:
    """What base.html needs of any page: the planner version (as `plan` holds it)."""
    return {"plan": {"planner_version": __version__}, "source": source}


def write_page(template: str, context: dict[str, Any], path: Path) -> Path:
    """Render `template` with `context` and write it whole to `path`."""
    return write_text_atomic(Path(path), environment().get_template(template).render(context))
