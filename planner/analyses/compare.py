"""Scenarios side by side: KPIs, role mix, recruitment and who moves, against the baseline.

    comparison = compare_plans({"baseline": plan0, "More budget": plan1, ...})
    outcome = run_comparison("org.xlsx", None, "out/")   # plan all, write the three files

`compare_plans` is pure: the first plan is the baseline, each `Measure` holds one value per
scenario (baseline first) and its change against the baseline. It is built for one
audience (DESIGN.md §4). For `director` every count of people smaller than k reads "<k"
(and its change is left out, so it cannot be worked back), a change to one person's row
is described without their id or values, and "who moves" is given only as flows between
roles with counts, never per person: one person's placements across many what-ifs would
show where they can and cannot be placed, which hints at their readiness (health data).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from planner.analyses.measures import (
    TIER_LABELS,
    Flow,
    Measure,
    Move,
    Position,
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
from planner.analyses.parallel import plan_many
from planner.core.atomic import write_text_atomic
from planner.core.audience import SHOWN_HASH_CHARS, Audience, privacy_k, view_for
from planner.core.domain import Org
from planner.core.errors import UsageError, ValidationError
from planner.core.results import Plan, write_plan_json
from planner.core.version import __version__
from planner.workbook.scenario_sheet import Scenario

__all__ = ["Comparison", "Flow", "Measure", "Move", "Position", "ScenarioInfo", "Value",
           "compare_plans", "comparison_to_json", "run_comparison"]

OrgInput = Org | str | Path | Sequence[str | Path]
OUTPUT_NAMES = ("comparison.json", "comparison.xlsx", "comparison.html")


@dataclass(frozen=True)
class ScenarioInfo:
    name: str
    slug: str  # the folder of its plan.json
    changes: tuple[str, ...]  # the overrides in words (for directors without personal data)
    status: str
    source: str
    conflicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comparison:
    planner_version: str
    audience: str
    k: int
    source: str  # the baseline's input
    input_sha256: str  # the baseline's (shortened for directors)
    scenarios: tuple[ScenarioInfo, ...]  # baseline first
    kpis: tuple[Measure, ...]
    roles: tuple[Measure, ...]  # positions per role: filled (people) and to recruit
    tiers: tuple[Measure, ...]  # the same per saliency tier
    service_roles: tuple[Measure, ...]  # (service, role) cells that change
    recruitment: tuple[Measure, ...]  # positions to recruit per (role, service) that change
    flows: tuple[Flow, ...]
    moves: tuple[Move, ...] = ()  # HR only
    narrative: tuple[str, ...] = ()
    role_titles: dict[str, str] = field(default_factory=dict)
    service_names: dict[str, str] = field(default_factory=dict)

    def measure(self, key: str) -> Measure:
        return next(m for m in (*self.kpis, *self.roles, *self.tiers) if m.key == key)


def compare_plans(plans: Mapping[str, Plan], scenarios: Iterable[Scenario] = (),
                  audience: Audience = Audience.HR) -> Comparison:
    """The plans side by side for `audience`; the first plan is the baseline.

    `scenarios` (matched by name) describe the overrides; a plan without one is described
    by its input file (an alternative workbook).
    """
    from planner.analyses.compare_narrative import comparison_narrative

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
    )
    return replace(comparison, narrative=tuple(comparison_narrative(comparison)))


def comparison_to_json(comparison: Comparison) -> str:
    """`comparison.json`: the comparison as its audience may see it, keys in a stable order."""
    return json.dumps(asdict(comparison), indent=2, ensure_ascii=False, default=str) + "\n"


def scenario_infos(plans: Mapping[str, Plan], scenarios: Mapping[str, Scenario],
                   audience: Audience) -> tuple[ScenarioInfo, ...]:
    """Name, folder, changes in words and status of each plan, the baseline first."""
    infos, slugs = [], set()
    base = next(iter(plans.values()))
    for name, plan in plans.items():
        scenario = scenarios.get(name)
        if scenario is not None:
            changes = scenario.changes(private=audience is Audience.DIRECTOR)
        elif plan.source and plan.source != base.source:
            changes = (f"alternative workbook {plan.source}",)
        else:
            changes = ()
        # a locked person in a conflict gets the pseudonym keyed by the baseline's input
        keyed = replace(plan, input_sha256=base.input_sha256)
        infos.append(ScenarioInfo(name, unique_slug(name, slugs), changes, plan.status.value,
                                  plan.source, view_for(keyed, audience).conflicts))
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


# --- planning and writing a comparison --------------------------------------------------------


@dataclass(frozen=True)
class ComparisonOutcome:
    comparison: Comparison  # for the audience asked for
    plans: dict[str, Plan]  # baseline first
    written: tuple[Path, ...]
    summary: tuple[str, ...]  # the narrative without personal data, for a terminal


def run_comparison(
    org_or_paths: OrgInput,
    scenarios: Sequence[Scenario] | str | Path | None,
    out_dir: str | Path,
    *,
    jobs: int | None = None,
    time_limit: float | None = None,
    seed: int | None = None,
    audience: Audience = Audience.HR,
    insights: Sequence[Any] | None = None,
    with_insights: bool = False,
) -> ComparisonOutcome:
    """Plan the baseline and every scenario in parallel processes, and write the comparison.

    `org_or_paths` is an Org, an organisation workbook (or CSV folder), or several workbooks:
    the first is the baseline, each other a whole alternative named by its file stem.
    `scenarios` are Scenario objects, a workbook (or CSV folder) with a Scenarios sheet, or
    None: the workbook's own Scenarios sheet. Every problem of the inputs is raised at once
    (ValidationError) before anything is solved. Writes OUT/comparison.json, .xlsx and .html
    for `audience`, and each plan's full plan.json in OUT/<scenario-slug>/. `insights`
    (ranked `planner.insights.Insight`s) add a section; `with_insights` computes them for
    the baseline. `jobs` defaults to one process per core (a large organisation's plans
    one after another, each with both cores, as `planner plan` makes them).
    """
    audience = Audience(audience)
    orgs, defined = comparison_inputs(org_or_paths, scenarios)
    targets = output_targets(org_or_paths, scenarios, out_dir)
    if len(orgs) < 2:
        raise UsageError("nothing to compare: the workbook has no Scenarios rows; give a "
                         "scenarios workbook or more organisation workbooks")
    plans = plan_many(orgs, time_limit=time_limit, seed=seed, jobs=jobs)
    if with_insights and insights is None:
        from planner.analyses.insights import compute_insights  # optional: another module's work

        insights = compute_insights(next(iter(orgs.values())), time_limit=time_limit, jobs=jobs)
    comparison = compare_plans(plans, defined, audience)
    written = [write_plan_json(plan, Path(out_dir) / info.slug / "plan.json")
               for info, plan in zip(comparison.scenarios, plans.values(), strict=True)]
    written += write_comparison(comparison, targets, insights)
    # nothing personal reaches a terminal (DESIGN.md §4): the director's words
    private = comparison if audience is Audience.DIRECTOR else compare_plans(
        plans, defined, Audience.DIRECTOR)
    return ComparisonOutcome(comparison, plans, tuple(written), private.narrative)


def write_comparison(comparison: Comparison, targets: Mapping[str, Path],
                     insights: Sequence[Any] | None = None) -> list[Path]:
    """comparison.json, comparison.xlsx and comparison.html, each written whole."""
    from planner.reports.compare_excel import write_comparison_excel
    from planner.reports.compare_html import write_comparison_html

    return [
        write_text_atomic(targets["comparison.json"], comparison_to_json(comparison)),
        write_comparison_excel(comparison, targets["comparison.xlsx"], insights),
        write_comparison_html(comparison, targets["comparison.html"], insights),
    ]


def comparison_inputs(org_or_paths: OrgInput, scenarios: Sequence[Scenario] | str | Path | None
                      ) -> tuple[dict[str, Org], list[Scenario]]:
    """The organisations to plan, baseline first, and the scenarios that made them."""
    from planner.workbook.scenarios import load_scenario_orgs, scenario_orgs

    if isinstance(org_or_paths, Org | str | Path):
        if scenarios is None or isinstance(scenarios, str | Path):
            return load_scenario_orgs(org_or_paths, scenarios)
        baseline = org_or_paths if isinstance(org_or_paths, Org) else _read_org(org_or_paths)
        return scenario_orgs(baseline, scenarios), list(scenarios)
    if scenarios is not None:
        raise UsageError("scenarios apply to one workbook; with several workbooks each one "
                         "is a whole scenario")
    return workbook_orgs(list(org_or_paths)), []


def workbook_orgs(paths: Sequence[str | Path]) -> dict[str, Org]:
    """Each workbook's organisation by file stem (made unique); every file's problems at once,
    each located in its file."""
    from planner.workbook.read import validate

    orgs: dict[str, Org] = {}
    issues = []
    for path in paths:
        report = validate(path)
        name, number = Path(path).stem, 1
        while name.lower() in (n.lower() for n in orgs):
            number += 1
            name = f"{Path(path).stem} ({number})"
        if report.org is None:
            issues += [replace(i, sheet=f"{Path(path).name} {i.sheet}") for i in report.errors]
        else:
            orgs[name] = report.org
    if issues:
        raise ValidationError(issues)
    return orgs


def output_targets(org_or_paths: OrgInput, scenarios: object, out_dir: str | Path
                   ) -> dict[str, Path]:
    """Where the three files go; refuses a file as the folder, or to overwrite an input."""
    from planner.api import output_paths

    if Path(out_dir).exists() and not Path(out_dir).is_dir():
        raise UsageError(f"-o {out_dir} is a file, not a folder")
    inputs = [] if isinstance(org_or_paths, Org) else (
        [org_or_paths] if isinstance(org_or_paths, str | Path) else list(org_or_paths))
    if isinstance(scenarios, str | Path):
        inputs.append(scenarios)
    for source in inputs:
        output_paths(source, out_dir, OUTPUT_NAMES)  # raises when it would overwrite it
    return {name: Path(out_dir) / name for name in OUTPUT_NAMES}


def _read_org(path: str | Path) -> Org:
    from planner.workbook.read import read_org

    return read_org(path)
