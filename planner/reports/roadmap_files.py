"""A roadmap's files: roadmap.json, and each year's plan as year-N/plan.json; and what
every file of a roadmap shows its audience (`shown_for`).

Both audiences: HR sees everything; a director's files hold no pathway (no person's year
by year), each year's plan is the director's view (`audience.view_for`), counts of people
below the Policy's k read "<k" (`audience.people_count`), and so does the FTE of a
saliency tier that fewer than k people fill or left (0.5 FTE is one person).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from planner.analyses.roadmap import Hire, Roadmap, YearSummary
from planner.core.atomic import write_text_atomic
from planner.core.audience import (
    DEFAULT_K,
    SHOWN_HASH_CHARS,
    Audience,
    people_count,
    privacy_k,
    view_for,
)
from planner.core.formatting import pct
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
# the roadmap's settings (`Roadmap.settings`, from the Policy) in words
SETTING_LABELS = {
    "years": "Years planned",
    "stretch_months": "Months in a supported stretch for one level of readiness",
    "stretch_per_supervisor": "Supported stretch placements per peer supervisor",
    "attrition_rate": "Share of available FTE lost to leaving each year",
    "recruit_months": "Months from starting to recruit to the hire in post",
    "hire_readiness": "Readiness to disclose of a new hire",
    "hire_experience": "Experience of a new hire (0-5)",
    "budget_growth_pct": "Budget growth a year (%)",
    "demand_growth_pct": "Demand growth a year (%)",
    "weight_progression": "Points for a step up to a higher-saliency role",
    "roadmap_discount": "A year's value against the year before (discount)",
}
PLAN_FILES = ("report.html", "plan.xlsx", "plan.json")  # a year's files, linked if present


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


@dataclass(frozen=True)
class RoadmapShown:
    """A roadmap as its audience may see it (`roadmap_view`), with the privacy rule every
    file of it applies: `count` for a count of people, `tier_hidden` for a tier's FTE."""

    roadmap: Roadmap
    audience: Audience
    k: int

    @property
    def director(self) -> bool:
        return self.audience is Audience.DIRECTOR

    @property
    def currency(self) -> str | None:
        """The Policy's currency (None: amounts as plain numbers)."""
        return self.roadmap.plans[0].policy.get("currency") if self.roadmap.plans else None

    def count(self, n: int) -> int | str:
        """A count of people as the audience may see it ("<k" for directors)."""
        return people_count(n, self.k, self.audience)

    def suppressed(self, n: int) -> bool:
        return isinstance(self.count(n), str)

    @cached_property
    def tier_people(self) -> Counter[tuple[int, str]]:
        """People placed in each (year, saliency tier)."""
        placed: Counter[tuple[int, str]] = Counter()
        for year, plan in enumerate(self.roadmap.plans, start=1):
            tiers = {r.role_id: r.tier for r in plan.roles}
            for tier in {(a.psw_id, tiers[a.role_id]) for a in plan.assignments}:
                placed[year, tier[1]] += 1
        return placed

    def tier_counts(self, year: int, tier: str) -> tuple[int, int]:
        """People whose FTE a tier's figures of `year` sum: those who fill it this year,
        and those who held it the year before (its FTE lost to leaving)."""
        return self.tier_people[year, tier], self.tier_people[year - 1, tier]

    def tier_hidden(self, year: int, tier: str) -> tuple[bool, bool]:
        """Whether a tier's filled FTE and its FTE lost are hidden in `year`: the FTE that
        1 to k - 1 people fill (this year) or held (lost since the year before)."""
        filling, held = self.tier_counts(year, tier)
        return self.suppressed(filling), self.suppressed(held)

    def year_files(self, folder: Path) -> dict[int, list[str]]:
        """Each year's files present in `folder` (report, workbook, plan.json), as paths
        relative to it."""
        return {year: [f"{year_folder(year)}/{name}" for name in PLAN_FILES
                       if (folder / year_folder(year) / name).exists()]
                for year in range(1, len(self.roadmap.plans) + 1)}


def setting_text(key: str, value: Any) -> str:
    """A setting as a reader takes it: a share as a percent, 12.0 as 12."""
    if key == "attrition_rate":
        return pct(value, 1).replace(".0%", "%")
    return f"{value:g}" if isinstance(value, float) else str(value)


def shown_for(roadmap: Roadmap, audience: Audience) -> RoadmapShown:
    """What the files of `roadmap` show `audience`."""
    k = privacy_k(roadmap.plans[0]) if roadmap.plans else DEFAULT_K
    return RoadmapShown(roadmap_view(roadmap, audience), Audience(audience), k)


def roadmap_json(roadmap: Roadmap, audience: Audience) -> dict[str, Any]:
    """roadmap.json's content for `audience` (the plans are written apart)."""
    shown = shown_for(roadmap, audience)
    view = shown.roadmap
    return {
        "audience": shown.audience.value,
        "source": view.source,
        "input_sha256": view.input_sha256[:SHOWN_HASH_CHARS] if shown.director
        else view.input_sha256,
        "k": shown.k,
        "settings": view.settings,
        "method": METHOD,
        "value": view.value,
        "discount": view.discount,
        "reached_higher_tier": shown.count(view.reached_higher_tier),
        "years": [_year(summary, shown) for summary in view.years],
        "hires": [_hire(h) for h in view.hires],
        "pathways": [asdict(step) for step in view.pathways],
        "plans": [f"{year_folder(y)}/plan.json" for y in range(1, len(view.plans) + 1)],
        "repeats": view.repeats.every,  # every year's plan: the same again on this machine
    }


def _year(summary: YearSummary, shown: RoadmapShown) -> dict[str, Any]:
    """A year's figures; counts of people, and a tier's FTE of fewer than k, as "<k"."""
    row = asdict(summary)
    for key in PEOPLE_COUNTS:
        row[key] = shown.count(row[key])
    for tier in row["tiers"]:
        hidden = shown.tier_hidden(summary.year, tier["tier"])
        for key, hide in zip(("filled_fte", "lost_fte"), hidden, strict=True):
            tier[key] = f"<{shown.k}" if hide else tier[key]
    return row


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

