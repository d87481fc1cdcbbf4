"""roadmap.html: the roadmap for its audience, on the report's base page.

For directors: the executive summary, FTE by saliency tier and year (chart and table),
the recruitment schedule with the profile to look for, careers (supported stretch, steps
up, new hires; counts below k as "<k"), cover as people leave and cost against the
budget, the method, and links to each year's files. For HR, also each person's pathway:
a row per person with a column per year, and every step with its reason.

    write_roadmap_page(roadmap, Path("out/roadmap.html"), Audience.DIRECTOR)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.analyses.roadmap import Roadmap, Step
from planner.core.audience import Audience
from planner.core.formatting import in_currency
from planner.reports.pages import page_basics, write_page
from planner.reports.roadmap_charts import roadmap_charts
from planner.reports.roadmap_files import (
    METHOD,
    SETTING_LABELS,
    RoadmapShown,
    recruit_start_words,
    setting_text,
    shown_for,
)
from planner.reports.roadmap_narrative import reached_sentence, roadmap_summary

TEMPLATE = "roadmap.html"


@dataclass(frozen=True)
class Pathway:
    """One person's row of the pathways table (HR): a step per year, None before they
    join."""

    psw_id: str
    name: str
    steps: tuple[Step | None, ...]
    stepped_up: frozenset[int]  # years of a step to a higher-saliency role
    joined: int | None  # the year a new hire joins (None: on the staff from the start)

    @property
    def readiness(self) -> tuple[int, int]:
        """Readiness in the first and the last year on the staff."""
        held = [s.readiness for s in self.steps if s is not None]
        return held[0], held[-1]


def write_roadmap_page(roadmap: Roadmap, path: Path, audience: Audience) -> Path:
    """roadmap.html for `audience`, written whole; money in the Policy's currency."""
    shown = shown_for(roadmap, audience)
    with in_currency(shown.currency):  # the summary's and the charts' amounts too
        context = roadmap_context(shown, Path(path).parent)
    return write_page(TEMPLATE, context, path, shown.currency)


def roadmap_context(shown: RoadmapShown, folder: Path) -> dict[str, Any]:
    """What roadmap.html needs; the template only lays it out."""
    view = shown.roadmap
    first = view.plans[0] if view.plans else None
    return {
        **page_basics(view.source),
        "roadmap": view,
        "shown": shown,
        "director": shown.director,
        "audience": shown.audience.value,  # the `count` filter's audience and k
        "k": shown.k,
        "summary": roadmap_summary(shown),
        "charts": roadmap_charts(shown),
        "tier_rows": [(y.year, t, *shown.tier_hidden(y.year, t.tier))
                      for y in view.years for t in y.tiers],
        "hires": sorted(view.hires, key=lambda h: (h.start_month, h.year_needed, h.role_id,
                                                   h.service_id)),
        "roles": {r.role_id: r for p in view.plans for r in p.roles},
        "services": {s.service_id: s for s in first.services} if first else {},
        "starts": recruit_start_words,
        "method": METHOD,
        "settings": [(SETTING_LABELS.get(key, key), setting_text(key, value))
                     for key, value in view.settings.items()],
        "reached": reached_sentence(shown) if view.years else "",
        "year_files": shown.year_files(folder),
        "pathways": pathways(shown),
        "year_headers": [(f"Year {y.year}", "") for y in view.years],
    }


def pathways(shown: RoadmapShown) -> list[Pathway]:
    """Each person's row, in id order (none for directors: the view holds no pathway)."""
    view = shown.roadmap
    saliency = {r.role_id: r.saliency for p in view.plans for r in p.roles}
    names = {person.psw_id: person.name for p in view.plans for person in p.people}
    years = [y.year for y in view.years]
    by_person: dict[str, dict[int, Step]] = {}
    for step in view.pathways:
        by_person.setdefault(step.psw_id, {})[step.year] = step
    rows = []
    # today's staff first, then new hires by the year they join
    for psw_id, steps in sorted(by_person.items(), key=lambda item: (min(item[1]), item[0])):
        row = tuple(steps.get(year) for year in years)
        up = frozenset(
            year for year, before, now in zip(years[1:], row[:-1], row[1:], strict=True)
            if before and now and before.role_id and now.role_id
            and saliency[now.role_id] > saliency[before.role_id])
        joined = min(steps)
        rows.append(Pathway(psw_id, names.get(psw_id, ""), row, up,
                            joined if joined > years[0] else None))
    return rows
