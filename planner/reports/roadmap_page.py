"""roadmap.html: the roadmap for its audience, on the report's base page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.analyses.roadmap import Roadmap, roadmap_lines
from planner.core.audience import Audience, people_count, privacy_k
from planner.reports.pages import page_basics, write_page
from planner.reports.roadmap_files import (
    METHOD,
    PEOPLE_COUNTS,
    recruit_start_words,
    roadmap_view,
)


def write_roadmap_page(roadmap: Roadmap, path: Path, audience: Audience) -> Path:
    view = roadmap_view(roadmap, audience)
    k = privacy_k(roadmap.plans[0]) if roadmap.plans else 5
    counts = {y.year: {key: people_count(getattr(y, key), k, Audience(audience))
                       for key in PEOPLE_COUNTS} for y in view.years}
    context: dict[str, Any] = {
        **page_basics(view.source),
        "roadmap": view,
        "director": Audience(audience) is Audience.DIRECTOR,
        "summary": roadmap_lines(view),
        "counts": counts,
        "tier_rows": [(y.year, t) for y in view.years for t in y.tiers],
        "starts": recruit_start_words,
        "method": METHOD,
    }
    currency = view.plans[0].policy.get("currency") if view.plans else None
    return write_page("roadmap.html", context, path, currency)
