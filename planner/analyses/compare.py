"""Scenarios side by side: KPIs, role mix, recruitment and who moves, against the baseline.

    comparison = compare_plans({"baseline": plan0, "More budget": plan1, ...})

`compare_plans` is pure: the first plan is the baseline, each `Measure` holds one value per
scenario (baseline first) and its change against the baseline. It is built for one
audience (README, Privacy). For `director` every count of people smaller than k reads "<k"
(and its change is left out, so it cannot be worked back), a change to one person's row
is described without their id or values, and "who moves" is given only as flows between
roles with counts, never per person: one person's placements across many what-ifs would
show where they can and cannot be placed, which hints at their readiness (health data).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, replace

from planner.analyses.compare_narrative import comparison_narrative
from planner.analyses.measures import (
    TIER_LABELS,
    Comparison,
    Flow,
    Measure,
    Move,
    Position,
    ScenarioInfo,
    Value,
    flows,
    kpi_measures,
    people_counter,
    position_measures,
    recruitment_measures,
    role_labels,
    service_role_measures,
    who_moves,
)
from planner.analyses.workers import Variant, Workers
from planner.core.audience import SHOWN_HASH_CHARS, Audience, privacy_k, view_for
from planner.core.domain import Org
from planner.core.results import Plan
from planner.core.version import __version__
from planner.solve.edits import StayNear
from planner.solve.strategy import SolvePath, choose_strategy
from planner.solve.values import PlanValues
from planner.workbook.scenario_sheet import Scenario

__all__ = ["Comparison", "Flow", "Measure", "Move", "Position", "ScenarioInfo", "Value",
           "compare_plans", "comparison_to_json"]


def compare_plans(plans: Mapping[str, Plan], scenarios: Iterable[Scenario] = (),
                  audience: Audience = Audience.HR) -> Comparison:
    """The plans side by side for `audience`; the first plan is the baseline.

    `scenarios` (matched by name) describe the overrides, and their notes what applying
    them did (`scenarios.applied_scenarios`); a plan without one is described by its input
    file (an alternative workbook).
    """
    audience = Audience(audience)
    base = next(iter(plans.values()))
    count = people_counter(privacy_k(base), audience)
    titles = {r.role_id: r.title for p in plans.values() for r in p.roles}
    names = {s.service_id: s.name for p in plans.values() for s in p.services}
    moves = who_moves(plans)
    comparison = Comparison(
        planner_version=__version__, audience=audience.value, k=privacy_k(base),
        source=base.source,
        input_sha256=base.input_sha256 if audience is Audience.HR
        else base.input_sha256[:SHOWN_HASH_CHARS],
        scenarios=scenario_infos(plans, {s.name: s for s in scenarios}, audience),
        kpis=kpi_measures(plans, moves, count),
        roles=position_measures(plans, "role", lambda r, c: r.role_id, role_labels(plans),
                                count),
        tiers=position_measures(plans, "tier", lambda r, c: r.tier, TIER_LABELS, count),
        service_roles=service_role_measures(plans, titles, names, count),
        recruitment=recruitment_measures(plans, titles, names),
        flows=flows(moves, titles, count),
        moves=moves if audience is Audience.HR else (),
        role_titles=titles, service_names=names,
        repeats=all(p.repeats for p in plans.values()),
    )
    return replace(comparison, narrative=tuple(comparison_narrative(comparison)))


def comparison_to_json(comparison: Comparison) -> str:
    """`comparison.json`: the comparison as its audience may see it, keys in a stable order."""
    return json.dumps(asdict(comparison), indent=2, ensure_ascii=False, default=str) + "\n"


def scenario_infos(plans: Mapping[str, Plan], scenarios: Mapping[str, Scenario],
                   audience: Audience) -> tuple[ScenarioInfo, ...]:
    """Name, folder, changes in words, status and notes of each plan, the baseline first;
    a scenario's description and the scenario it builds on."""
    infos, slugs = [], set()
    base = next(iter(plans.values()))
    for name, plan in plans.items():
        scenario = scenarios.get(name)
        notes: tuple[str, ...] = ()
        said = {"description": scenario.description, "base": scenario.base} if scenario else {}
        if scenario is not None:
            changes = scenario.changes(private=audience is Audience.DIRECTOR)
            notes = scenario.note_words(audience, privacy_k(base))
        elif plan.source and plan.source != base.source:
            changes = (f"alternative workbook {plan.source}",)
        else:
            changes = ()
        # a locked person in a conflict gets the pseudonym keyed by the baseline's input
        keyed = replace(plan, input_sha256=base.input_sha256)
        infos.append(ScenarioInfo(name, unique_slug(name, slugs), changes, plan.status.value,
                                  plan.source, view_for(keyed, audience).conflicts, notes,
                                  **said))
    return tuple(infos)


def unique_slug(name: str, taken: set[str]) -> str:
    """A folder name for a scenario: lower-case ASCII words joined by '-', made unique."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    # keep the meaning of signs and percentages: "Budget +10%" and "Budget -10%" differ
    ascii_name = ascii_name.replace("+", " plus ").replace("%", " pct ")
    ascii_name = re.sub(r"-(?=\d)", " minus ", ascii_name)
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "scenario"
    slug, number = stem, 1
    while slug in taken:
        number += 1
        slug = f"{stem}-{number}"
    taken.add(slug)
    return slug


def plan_scenarios(orgs: Mapping[str, Org], *, time_limit: float | None = None,
                   seed: int | None = None, jobs: int | None = None,
                   reproducible: bool = False) -> dict[str, Plan]:
    """The baseline (the first org), then every scenario near it: among plans of equal
    value, a scenario keeps the baseline's placements (`edits.StayNear`), so it moves
    people only where that buys something. A scenario too large to solve whole is planned
    as `planner plan` plans it (its block or part-by-part plan proves no tie).
    `reproducible`: every search of every plan stops on its work (`planning.plan`)."""
    names = list(orgs)
    first = names[0]
    with Workers(jobs) as workers:
        base = workers.plan({first: _variant(orgs[first], (), time_limit, seed, reproducible)},
                            large_alone=jobs is None)[first]
        near = (StayNear(PlanValues.of_plan(base)),) if base.kpis is not None else ()
        rest = workers.plan({name: _variant(orgs[name], near, time_limit, seed, reproducible)
                             for name in names[1:]}, large_alone=jobs is None)
    return {first: base, **rest}


def _variant(org: Org, near: tuple[StayNear, ...], time_limit: float | None,
             seed: int | None, reproducible: bool) -> Variant:
    variant = Variant(org, (), time_limit, seed, reproducible)
    whole = choose_strategy(org, variant.limits()).path is SolvePath.WHOLE
    return replace(variant, edits=near) if whole else variant
