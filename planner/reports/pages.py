"""What every analysis page (insights, frontier) shares: it extends the report's
`base.html`, renders through the report's one Jinja2 environment (`html.environment`) and
ends with the report's glossary, so it reads and prints like report.html."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.core.atomic import write_text_atomic
from planner.core.formatting import in_currency
from planner.core.glossary import GLOSSARY
from planner.core.version import __version__
from planner.reports.html import environment


def page_basics(source: str) -> dict[str, Any]:
    """What base.html needs of any page: the planner version (as `plan` holds it), and
    the glossary every page ends with."""
    return {"plan": {"planner_version": __version__}, "source": source, "glossary": GLOSSARY}


def write_page(template: str, context: dict[str, Any], path: Path,
               currency: str | None = None) -> Path:
    """Render `template` with `context`, money in `currency`, and write it whole to `path`."""
    with in_currency(currency):
        page = environment().get_template(template).render(context)
    return write_text_atomic(Path(path), page)
