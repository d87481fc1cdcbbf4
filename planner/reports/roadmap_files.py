"""A roadmap's files: roadmap.json, and each year's plan as year-N/plan.json.

Both audiences: HR sees everything; a director's files hold no pathway (no person's year
by year), each year's plan is the director's view (`audience.view_for`), and counts of
people below the Policy's k read "<k" (`audience.people_count`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from planner.analyses.roadmap import Hire, Roadmap
from planner.core.atomic import write_text_atomic
from planner.core.audience import Audience, people_count, privacy_k, view_for
from planner.core.results import to_json

ROADMAP_JSON = "roadmap.json"
METHOD = ("A rolling horizon: each year is planned in turn with every rule of planner plan, "
          "from the staff the year before leaves behind. A supported stretch (one level above "
          "readiness, under a peer supervisor) raises readiness one level after the Policy's "
          "stretch_months; experience grows one level a year in post; attrition_rate of the "
          "available FTE is lost each year; a position to recruit is filled by a new hire "
          "recruit_months later; budget and demand grow by their yearly rates. The roadmap's "
          "value adds the years' objectives with the discount (docs/roadmap.md).")
# the counts of people in a year's summary, suppressed below k for directors
PEOPLE_COUNTS = ("stretch_placements", "progressions", "hires_in_post", "placed")


def year_folder(year: int) -> str:
    return f"year-{year}"


def roadmap_view(roadmap: Roadmap, audience: Audience) -> Roadmap:
    """The roadmap as `audience` may see it: for directors no pathways, each year's plan
    pseudonymised, and positions' reasons without counts of people below k."""
    if Audience(audience) is Audience.HR:
        return roadmap
    plans = tuple(view_for(p, Audience.DIRECTOR) for p in roadmap.plans)
    reasons = {(y, v.role_id, v.service_id): v.reason
               for y, p in enumerate(plans, start=1) for v in p.vacancies}
    hires = tuple(replace(h, reason=reasons.get((h.year_needed, h.role_id, h.service_id),
                                                h.reason)) for h in roadmap.hires)
    return replace(roadmap, plans=plans, hires=hires, pathways=())


def roadmap_json(roadmap: Roadmap, audience: Audience) -> dict[str, Any]:
    """roadmap.json's content for `audience` (the plans are written apart)."""
    view = roadmap_view(roadmap, audience)
    k = privacy_k(roadmap.plans[0]) if roadmap.plans else 5
    years = []
    for summary in view.years:
        row = asdict(summary)
        for key in PEOPLE_COUNTS:
            row[key] = people_count(row[key], k, Audience(audience))
        years.append(row)
    return {
        "audience": Audience(audience).value,
        "source": view.source,
        "input_sha256": view.input_sha256 if audience is Audience.HR
        else view.input_sha256[:12],
        "settings": view.settings,
        "method": METHOD,
        "value": view.value,
        "discount": view.discount,
        "reached_higher_tier": people_count(view.reached_higher_tier, k, Audience(audience)),
        "years": years,
        "hires": [_hire(h) for h in view.hires],
        "pathways": [asdict(step) for step in view.pathways],
        "plans": [f"{year_folder(y)}/plan.json" for y in range(1, len(view.plans) + 1)],
    }


def _hire(hire: Hire) -> dict[str, Any]:
    row = asdict(hire)
    row["starts"] = recruit_start_words(hire.start_month)
    return row


def recruit_start_words(start_month: int) -> str:
    """When to start recruiting, counted from the roadmap's start."""
    if start_month <= 0:
        late = f" (in post {-start_month} months into the year)" if start_month < 0 else ""
        return "now" + late
    year, month = divmod(start_month, 12)
    return f"year {year + 1}, month {month + 1}"


def write_roadmap_json(roadmap: Roadmap, folder: Path, audience: Audience) -> list[Path]:
    """roadmap.json and year-N/plan.json for `audience`, each written whole."""
    view = roadmap_view(roadmap, audience)
    written = [write_text_atomic(folder / ROADMAP_JSON, json.dumps(
        roadmap_json(roadmap, audience), indent=2, ensure_ascii=False, default=str) + "\n")]
    for year, plan in enumerate(view.plans, start=1):
        (folder / year_folder(year)).mkdir(parents=True, exist_ok=True)
        written.append(write_text_atomic(folder / year_folder(year) / "plan.json",
                                         to_json(plan) + "\n"))
    return written

