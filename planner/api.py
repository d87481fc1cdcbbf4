"""The library: one function per command. The CLI calls these, and so can a notebook.

    from planner import read_org, plan
    org = read_org("sample_orgs/community_agency.xlsx")
    result = plan(org)

Each command's function reads its input (a workbook path, or an Org already in hand),
computes through the layers below (`solve`, `analyses`), writes its files through
`reports`, and returns an outcome: what it made, the files written, and a few lines for a
terminal (never personal data). Problems are the project's own errors (`core.errors`).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from planner.analyses.batch import BatchProgress, batch_tasks, run_batch, workbook_paths
from planner.analyses.cluster import open_pool, use_scheduler
from planner.analyses.compare import compare_plans, plan_scenarios
from planner.analyses.frontier import DEFAULT_LEVELS, Frontier, frontier_sentences, trace_frontier
from planner.analyses.insights import (
    DEFAULT_RANKING,
    MEASURES,
    Insight,
    InsightReport,
    analyse,
)
from planner.analyses.measures import Comparison
from planner.analyses.menus import (
    DEFAULT_PER_PERSON,
    DEFAULT_TIME_BUDGET,
    DEFAULT_WITHIN,
    Menus,
    choice_menus,
)
from planner.analyses.portfolio import Portfolio, make_portfolio
from planner.analyses.roadmap import DEFAULT_YEARS, Roadmap, plan_roadmap, roadmap_lines
from planner.analyses.roadmap_compare import RoadmapComparison, plan_roadmaps
from planner.analyses.roadmap_compare import compare_roadmaps as compare_roadmaps_of
from planner.core.audience import Audience, view_for
from planner.core.domain import Org
from planner.core.errors import InfeasibleError, UsageError, ValidationError
from planner.core.formatting import in_currency
from planner.core.results import Plan, Status, read_plan_json
from planner.reports.frontier_page import write_frontier_page
from planner.reports.insights_page import write_insights_files
from planner.reports.menus_excel import write_menus
from planner.reports.outputs import (
    COMPARISON_FILES,
    PLAN_FILE,
    REPORT_FILES,
    plan_file_bytes,
    write_comparison_files,
    write_plan_files,
    write_report_files,
)
from planner.reports.portfolio_page import PORTFOLIO_FILES, write_portfolio_files
from planner.reports.roadmap_compare_files import (
    ROADMAP_COMPARISON_FILES,
    write_roadmap_comparison,
)
from planner.reports.roadmap_files import ROADMAP_JSON
from planner.reports.roadmap_outputs import write_roadmap_files
from planner.reports.story import story, summary_lines
from planner.solve import planning
from planner.solve.solver import Progress
from planner.workbook.example import EXAMPLE_SCENARIOS, example_org
from planner.workbook.generate import generate_org
from planner.workbook.read import read_org, read_orgs
from planner.workbook.read import validate as validate_workbook
from planner.workbook.scenario_sheet import Scenario
from planner.workbook.scenarios import (
    applied_scenarios,
    cross_check,
    load_scenario_orgs,
    read_scenarios,
)
from planner.workbook.template import write_workbook
from planner.workbook.validation import ValidationReport

__all__ = ["batch", "check_org", "compare", "explain", "frontier", "generate_workbook",
           "insights",
           "load_plan", "menus", "plan", "plan_workbook", "read_org", "report_plan_json",
           "solve_seconds", "validate", "write_template"]

OrgInput = Org | str | Path
INSIGHT_FILES = ("insights.json", "insights.html", "insights.xlsx")
FRONTIER_FILES = ("frontier.json", "frontier.html")
MENU_FILES = ("menus.json", "menus.xlsx")
SHOWN_INSIGHTS = 5  # insights a terminal lists
# a whole `planner plan` run keeps to its time limit: what the steps after the solver take,
# measured with bench/suite.py on the bench machine (2 cores), with some room
FINISH_SECONDS = 1.0  # a plan's own work past its solver's limit (its checks, its child)
OUTPUT_SECONDS = 1.0  # writing plan.json, plan.xlsx and report.html ...
OUTPUT_SECONDS_PER_1000_PSWS = 1.5  # ... and so much more per 1,000 PSWs (HR: 1.3 s at 600 PSWs,
# 2.9 s at 2,000, 6.0 s at 5,000 on the bench machine, planner 0.1.0, 2026-12-06)
MIN_SOLVE_SECONDS = 1.0  # the solver's least time, even when the limit leaves less
# before the solver: Python's start, the imports and reading the workbook (1.2 to 1.7 s,
# and 0.1 s at 200 PSWs to 1.3 s at 5,000 to read, on the bench machine), with some room
STARTUP_SECONDS = 2.0
READ_SECONDS_PER_1000_PSWS = 0.3


# -- planning ------------------------------------------------------------------------------


def plan(org: Org, *, time_limit: float | None = None, seed: int | None = None,
         deterministic: bool = True, reproducible: bool = False,
         progress: Callable[[Progress], None] | None = None) -> Plan:
    """Plan the role mix, placements and recruitment of `org`.

    The org is checked by the rules a workbook is checked by first (`check_org`), so one
    built or edited in Python (`dataclasses.replace` on a service) cannot be planned with
    a climate of 6 or 1.2 FTE. `time_limit` and `seed` default to the org's Policy.
    `reproducible`: every search stops at a set amount of work (the second core's side
    plans left out), so the same org and seed give the same plan on the same machine;
    `model_stats["cut_by_the_clock"]` counts the searches a loaded machine's clock cut.
    """
    check_org(org)
    return planning.plan(org, time_limit=time_limit, seed=seed, deterministic=deterministic,
                         reproducible=reproducible, progress=progress)


def check_org(org: Org) -> None:
    """Raise ValidationError with every error a workbook holding `org` would have."""
    errors = cross_check(org)
    if errors:
        raise ValidationError(list(errors))


@dataclass(frozen=True)
class PlanOutcome:
    plan: Plan
    written: tuple[Path, ...]
    summary: tuple[str, ...]

    def raise_for_status(self) -> None:
        """InfeasibleError when no plan satisfies the rules (the files are written)."""
        if self.plan.status is Status.INFEASIBLE:
            raise InfeasibleError(list(self.plan.conflicts))


def plan_workbook(
    workbook: str | Path,
    out_dir: str | Path,
    *,
    time_limit: float | None = None,
    seed: int | None = None,
    deterministic: bool = True,
    reproducible: bool = False,
    progress: Callable[[Progress], None] | None = None,
    audience: Audience = Audience.HR,
    began: float | None = None,
) -> PlanOutcome:
    """Read and validate a workbook, plan it, and write plan.json, plan.xlsx and
    report.html into `out_dir` (the reports for `audience`), all within `time_limit`
    (default: the Policy's) from `began` (a `time.perf_counter()` reading; default: the
    call), so `solve_seconds`."""
    began = time.perf_counter() if began is None else began
    folder = output_folder([workbook], out_dir, (PLAN_FILE, *REPORT_FILES))
    org = read_org(workbook)
    result = planning.plan(org, time_limit=solve_seconds(org, time_limit, began), seed=seed,
                           deterministic=deterministic, reproducible=reproducible,
                           progress=progress)
    written = write_plan_files(result, folder, Audience(audience))
    # a director's terminal names people only by pseudonym, as the director's files do
    return PlanOutcome(result, tuple(written),
                       tuple(summary_lines(view_for(result, Audience(audience)))))


def solve_seconds(org: Org, time_limit: float | None, began: float) -> float:
    """What the solver may take of a whole run's `time_limit` (default: the Policy's)
    begun at `began` (perf_counter): the limit less what the start, a plan's work past
    its solver's limit and writing the outputs take for an organisation of this size
    (bench/README.md, "The time limit is the whole run"). From counts, not the clock, so
    that the solver's schedule, and so its plan, is the same every run; the clock only
    cuts it shorter when the start took longer than that."""
    limit = org.policy.time_limit if time_limit is None else time_limit
    after = FINISH_SECONDS + output_seconds(org)
    counted = limit - startup_seconds(org) - after
    left = limit - (time.perf_counter() - began) - after
    return max(min(limit, MIN_SOLVE_SECONDS), min(counted, left))


def startup_seconds(org: Org) -> float:
    """What a run takes before its solver starts, for an organisation of this size."""
    return STARTUP_SECONDS + READ_SECONDS_PER_1000_PSWS * len(org.psws) / 1000


def output_seconds(org: Org) -> float:
    """What writing one plan's outputs takes for an organisation of this size."""
    return OUTPUT_SECONDS + OUTPUT_SECONDS_PER_1000_PSWS * len(org.psws) / 1000


def report_plan_json(plan_json: str | Path, out_dir: str | Path,
                     audience: Audience = Audience.HR) -> list[Path]:
    """Render plan.xlsx and report.html again from a plan.json (e.g. for directors)."""
    folder = output_folder([plan_json], out_dir, REPORT_FILES)
    return write_report_files(load_plan(plan_json), folder, Audience(audience))


def load_plan(plan_json: str | Path) -> Plan:
    """A plan.json read back, or a UsageError saying it is not one."""
    try:
        return read_plan_json(plan_json)
    except (ValueError, KeyError, TypeError) as err:
        raise UsageError(f"{plan_json} is not a plan.json written by planner ({err})") from err


def explain(plan_json: str | Path, item_id: str) -> str:
    """The story of one person (psw_id) or one service (service_id) in a plan.json."""
    return story(load_plan(plan_json), item_id)


# -- workbooks -----------------------------------------------------------------------------


def validate(workbook: str | Path) -> ValidationReport:
    """Every problem in an organisation workbook (or CSV folder), errors and warnings."""
    return validate_workbook(workbook)


def write_template(path: str | Path, *, example: bool = False, force: bool = False) -> Path:
    """A blank organisation workbook to fill in, or (`example`) a small worked one with
    scenarios. Never overwrites an existing file unless `force`."""
    return write_workbook(path, example_org() if example else None, force=force,
                          scenarios=EXAMPLE_SCENARIOS if example else ())


def generate_workbook(path: str | Path, *, psws: int, services: int, regions: int = 1,
                      seed: int = 0, force: bool = False) -> Path:
    """A synthetic organisation of any size, written as a workbook."""
    return write_workbook(path, generate_org(psws=psws, services=services, regions=regions,
                                             seed=seed), force=force)


# -- analyses ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonOutcome:
    comparison: Comparison  # for the audience asked for
    plans: dict[str, Plan]  # baseline first
    written: tuple[Path, ...]
    summary: tuple[str, ...]  # the narrative without personal data, for a terminal

    def raise_for_status(self) -> None:
        """InfeasibleError when the baseline has no plan (the files are written)."""
        baseline = next(iter(self.plans.values()))
        if baseline.status is Status.INFEASIBLE:
            raise InfeasibleError(list(baseline.conflicts))


def compare(
    source: OrgInput | Sequence[str | Path],
    out_dir: str | Path,
    *,
    scenarios: Sequence[Scenario] | str | Path | None = None,
    jobs: int | None = None,
    time_limit: float | None = None,
    seed: int | None = None,
    audience: Audience = Audience.HR,
    insights: Sequence[Insight] | None = None,
    with_insights: bool = False,
    scheduler: str | None = None,
    reproducible: bool = False,
) -> ComparisonOutcome:
    """Plan the baseline and every scenario in parallel processes, and write the comparison.

    `source` is an Org, an organisation workbook (or CSV folder), or several workbooks:
    the first is the baseline, each other a whole alternative named by its file stem.
    `scenarios` are Scenario objects, a workbook (or CSV folder) with a Scenarios sheet, or
    None: the workbook's own Scenarios sheet. Every problem of the inputs is raised at once
    (ValidationError) before anything is solved. Writes OUT/comparison.json, .xlsx and .html
    for `audience`, and each plan's full plan.json in OUT/<scenario-slug>/. `insights`
    (ranked) add a section; `with_insights` computes them for the baseline. `jobs`
    defaults to one process per core (a large organisation's plans one after another,
    each with both cores, as `planner plan` makes them); with a Dask `scheduler` address
    every plan is made on that cluster instead. `reproducible`: every plan's searches stop
    on their work (as `plan`'s, the insights' re-plans too), and the comparison says when
    none was cut by the clock.
    """
    audience = Audience(audience)
    inputs = _inputs_of(source) + ([scenarios] if isinstance(scenarios, str | Path) else [])
    folder = output_folder(inputs, out_dir, COMPARISON_FILES)
    orgs, defined = _comparison_orgs(source, scenarios)
    if len(orgs) < 2:
        raise UsageError("nothing to compare: the workbook has no Scenarios rows; give a "
                         "scenarios workbook or more organisation workbooks")
    with use_scheduler(scheduler):
        plans = plan_scenarios(orgs, time_limit=time_limit, seed=seed, jobs=jobs,
                               reproducible=reproducible)
        if with_insights and insights is None:
            baseline = next(iter(orgs.values()))
            insights = analyse(baseline, time_limit=time_limit, jobs=jobs,
                               reproducible=reproducible).insights
    with in_currency(next(iter(orgs.values())).policy.currency):  # the narrative's amounts
        comparison = compare_plans(plans, defined, audience)
        # nothing personal reaches a terminal (README, Privacy): the director's words
        private = comparison if audience is Audience.DIRECTOR else compare_plans(
            plans, defined, Audience.DIRECTOR)
    written = write_comparison_files(comparison, plans, folder, insights)
    return ComparisonOutcome(comparison, plans, tuple(written), private.narrative)


@dataclass(frozen=True)
class RoadmapComparisonOutcome:
    comparison: RoadmapComparison  # for the audience asked for
    roadmaps: dict[str, Roadmap]  # in full, baseline first
    written: tuple[Path, ...]
    summary: tuple[str, ...]  # organisation-level sentences, for a terminal


def compare_roadmaps(
    source: OrgInput | Sequence[str | Path],
    out_dir: str | Path,
    *,
    scenarios: Sequence[Scenario] | str | Path | None = None,
    years: int = DEFAULT_YEARS,
    jobs: int | None = None,
    time_limit: float | None = None,
    seed: int | None = None,
    audience: Audience = Audience.HR,
    scheduler: str | None = None,
    reproducible: bool = False,
) -> RoadmapComparisonOutcome:
    """The baseline's and every scenario's roadmap over `years`, side by side: writes
    OUT/roadmaps.json, .xlsx and .html, and each roadmap's files (for `audience`) in
    OUT/<scenario-slug>/. Inputs as `compare`; `time_limit` is each year's.
    `reproducible`: every year's searches stop on their work (as `roadmap`'s)."""
    audience = Audience(audience)
    inputs = _inputs_of(source) + ([scenarios] if isinstance(scenarios, str | Path) else [])
    folder = output_folder(inputs, out_dir, ROADMAP_COMPARISON_FILES)
    orgs, defined = _comparison_orgs(source, scenarios)
    if len(orgs) < 2:
        raise UsageError("nothing to compare: the workbook has no Scenarios rows; give a "
                         "scenarios workbook or more organisation workbooks")
    baseline = next(iter(orgs.values()))
    with use_scheduler(scheduler), in_currency(baseline.policy.currency):
        made = plan_roadmaps(orgs, years=years, time_limit=time_limit, seed=seed, jobs=jobs,
                             reproducible=reproducible)
        named = {s.name: s for s in defined}
        comparison = compare_roadmaps_of(made, named, audience, baseline.policy.k)
        written = [path for column, roadmap in zip(comparison.scenarios, made.values(),
                                                   strict=True)
                   for path in write_roadmap_files(roadmap, folder / column.slug, audience)]
        written += write_roadmap_comparison(comparison, folder, baseline.source,
                                            baseline.policy.currency)
    return RoadmapComparisonOutcome(comparison, made, tuple(written), comparison.narrative)


def _comparison_orgs(source: OrgInput | Sequence[str | Path],
                     scenarios: Sequence[Scenario] | str | Path | None
                     ) -> tuple[dict[str, Org], list[Scenario]]:
    """The organisations to plan, baseline first, and the scenarios that made them."""
    if isinstance(source, Org | str | Path):
        if scenarios is None or isinstance(scenarios, str | Path):
            return load_scenario_orgs(source, scenarios)
        baseline = source if isinstance(source, Org) else read_org(source)
        return applied_scenarios(baseline, scenarios)
    if scenarios is not None:
        raise UsageError("scenarios apply to one workbook; with several workbooks each one "
                         "is a whole scenario")
    return read_orgs(list(source)), []


@dataclass(frozen=True)
class InsightsOutcome:
    report: InsightReport
    written: tuple[Path, ...]
    summary: tuple[str, ...]


def insights(source: OrgInput, out_dir: str | Path, *, time_limit: float | None = None,
             jobs: int | None = None, xlsx: bool = True,
             rank_by: str = DEFAULT_RANKING, scheduler: str | None = None,
             reproducible: bool = False) -> InsightsOutcome:
    """Rank what would improve the plan (a warmer climate, one more position, more
    budget), re-planning once per change, by `rank_by` (coverage, placed, fit, autonomy,
    high_saliency, cost or objective), and write insights.json, insights.html and (with
    `xlsx`) insights.xlsx. Organisation-level numbers only: safe for directors. With a
    Dask `scheduler` address the re-plans run on that cluster. `reproducible`: every
    re-plan's searches stop on their work (as `plan`'s)."""
    folder = output_folder(_inputs_of(source), out_dir, INSIGHT_FILES)
    org = _org_of(source)
    with in_currency(org.policy.currency), use_scheduler(scheduler):  # sentences state amounts
        report = analyse(org, time_limit=time_limit, jobs=jobs, rank_by=rank_by,
                         reproducible=reproducible)
    written = write_insights_files(report, folder, xlsx, org.policy.currency)
    unit = MEASURES[rank_by].unit
    lines = [f"{insight.gain:+10,.1f} {unit:<9} {insight.title}"
             for insight in report.insights[:SHOWN_INSIGHTS]]
    lines += [f"note: {note}" for note in report.notes]
    again = report.repeats.sentence()
    lines += [again] if again else []
    return InsightsOutcome(report, tuple(written), tuple(lines))


@dataclass(frozen=True)
class RoadmapOutcome:
    roadmap: Roadmap  # in full; the files hold the audience's view
    written: tuple[Path, ...]
    summary: tuple[str, ...]  # year by year, organisation-level figures only


ROADMAP_FILES = (ROADMAP_JSON, "roadmap.xlsx", "roadmap.html")


def roadmap(source: OrgInput, out_dir: str | Path, *, years: int = DEFAULT_YEARS,
            time_limit: float | None = None, seed: int | None = None,
            audience: Audience = Audience.HR, reproducible: bool = False) -> RoadmapOutcome:
    """Plan `years` years of careers, supported stretch and recruitment as readiness grows
    and people leave (a rolling horizon: docs/roadmap.md), and write roadmap.json,
    roadmap.xlsx, roadmap.html and each year's year-N/plan.json for `audience`.
    `time_limit` is the whole run's, reading and writing included (default: the Policy's
    time_limit a year). `reproducible`: every year's searches stop on their work, each
    year with an even share of the time counted (not read off the clock)."""
    began = time.perf_counter()
    folder = output_folder(_inputs_of(source), out_dir, ROADMAP_FILES)
    org = _org_of(source)
    total = org.policy.time_limit * years if time_limit is None else time_limit
    reserve = FINISH_SECONDS * years + output_seconds(org) * (years + 2)
    if reproducible:  # the start counted, as `solve_seconds` does, so the shares repeat
        reserve += startup_seconds(org)
    else:
        total -= time.perf_counter() - began
    with in_currency(org.policy.currency):
        made = plan_roadmap(org, years=years, seed=seed, reserve=reserve, time_limit=total,
                            reproducible=reproducible)
        written = write_roadmap_files(made, folder, Audience(audience))
    return RoadmapOutcome(made, tuple(written), tuple(roadmap_lines(made)))


@dataclass(frozen=True)
class FrontierOutcome:
    frontier: Frontier
    written: tuple[Path, ...]
    summary: tuple[str, ...]


def frontier(source: OrgInput, out_dir: str | Path, *, levels: int = DEFAULT_LEVELS,
             time_limit: float | None = None, jobs: int | None = None,
             audience: Audience = Audience.HR, scheduler: str | None = None,
             reproducible: bool = False) -> FrontierOutcome:
    """Trace the trade-off between total fit and total autonomy and write it: a
    point-NN/ folder per point (plan.json, plan.xlsx and report.html for `audience`),
    frontier.json and frontier.html (totals only). With a Dask `scheduler` address the
    points are solved on that cluster. `reproducible`: every point's searches stop on
    their work (as `plan`'s)."""
    folder = output_folder(_inputs_of(source), out_dir, FRONTIER_FILES)
    with use_scheduler(scheduler):
        traced = trace_frontier(_org_of(source), levels=levels, time_limit=time_limit,
                                jobs=jobs, reproducible=reproducible)
    audience = Audience(audience)
    written: list[Path] = []
    for point in traced.points:
        assert point.plan is not None  # a point on the frontier has its plan
        written += write_plan_files(point.plan, folder / point.folder, audience)
    pages = write_frontier_page(traced, folder, audience)
    summary = [*frontier_sentences(traced),
               f"wrote {len(written) + len(pages)} files: {len(traced.points)} point folders, "
               f"{pages[0]} and {pages[1]}"]
    return FrontierOutcome(traced, (*written, *pages), tuple(summary))


@dataclass(frozen=True)
class MenusOutcome:
    menus: Menus
    written: tuple[Path, ...]
    summary: tuple[str, ...]


def menus(source: OrgInput, out_dir: str | Path, *, plan_json: str | Path | None = None,
          within: float = DEFAULT_WITHIN, per_person: int = DEFAULT_PER_PERSON,
          time_budget: float = DEFAULT_TIME_BUDGET, jobs: int | None = None) -> MenusOutcome:
    """Offer each person other placements that keep the plan within `within` (a share) of
    its optimum, and write menus.json and menus.xlsx. For HR only: individual data.
    `plan_json` is the optimum's plan.json (default: plan the organisation now)."""
    folder = output_folder(_inputs_of(source), out_dir, MENU_FILES)
    optimum = load_plan(plan_json) if plan_json else None
    made = choice_menus(_org_of(source), optimum, within=within, per_person=per_person,
                        time_budget=time_budget, jobs=jobs)
    offered = sum(1 for menu in made.menus if menu.alternatives)
    summary = (f"menus {made.method}: {made.reason}",
               f"{offered} of {len(made.menus)} people have at least one alternative")
    return MenusOutcome(made, tuple(write_menus(made, folder)), summary)


@dataclass(frozen=True)
class BatchOutcome:
    portfolio: Portfolio
    written: tuple[Path, ...]  # the portfolio's files (each plan's are in its folder)
    summary: tuple[str, ...]


def batch(sources: str | Path | Sequence[str | Path], out_dir: str | Path, *,
          scenarios: Sequence[Scenario] | str | Path | None = None,
          scheduler: str | None = None, jobs: int | None = None,
          time_limit: float | None = None, seed: int | None = None,
          audience: Audience = Audience.HR, reproducible: bool = False,
          progress: Callable[[BatchProgress], None] | None = None) -> BatchOutcome:
    """Plan many organisations, each with its scenarios, and write their portfolio.

    `sources` are workbooks, or folders of them. Each organisation and each scenario
    (`scenarios`: Scenario objects or a workbook with a Scenarios sheet; default: each
    workbook's own) is one task, run on `jobs` processes here (default: one per core) or,
    given a Dask `scheduler` address, on that cluster, with the workbook's bytes. Writes
    OUT/<org>/<scenario>/ (plan.json, plan.xlsx, report.html for `audience`, task.json)
    as each task finishes, then portfolio.json, .xlsx and .html. A rerun skips the tasks
    already done with the same inputs (`analyses.batch`). `reproducible`: every plan's
    searches stop on their work (as `plan`'s)."""
    paths = workbook_paths([sources] if isinstance(sources, str | Path) else sources)
    named = [scenarios] if isinstance(scenarios, str | Path) else []
    folder = output_folder([*paths, *named], out_dir, PORTFOLIO_FILES)
    listed = read_scenarios(scenarios) if isinstance(scenarios, str | Path) else scenarios
    if named and not listed:
        raise UsageError(f"{scenarios} has no Scenarios rows")
    work = batch_tasks(paths, scenarios=listed, time_limit=time_limit, seed=seed,
                       audience=Audience(audience), reproducible=reproducible)
    with open_pool(scheduler, jobs) as pool:
        done = run_batch(work.tasks, pool, functools.partial(
            plan_file_bytes, audience=Audience(audience)), folder, progress=progress)
    portfolio = make_portfolio(work.in_order(done), audience, time_limit,
                               str(scenarios) if named else "each workbook's Scenarios sheet")
    written = write_portfolio_files(portfolio, folder)
    return BatchOutcome(portfolio, tuple(written), (
        *portfolio.narrative, f"{len(work.tasks)} plans in {folder}/<organisation>/<scenario>/"))


# -- where outputs go ----------------------------------------------------------------------


def output_folder(inputs: Sequence[str | Path], out_dir: str | Path,
                  names: Sequence[str]) -> Path:
    """The output folder; refuses a file as the folder, or any output that would
    overwrite an input."""
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"-o {out_dir} is a file, not a folder")
    for source in inputs:
        resolved = Path(source).resolve()
        for name in names:
            if (folder / name).resolve() == resolved:
                raise UsageError(f"refusing to write {folder / name}: it would overwrite the "
                                 f"input {source}")
    return folder


def _inputs_of(source: OrgInput | Sequence[str | Path]) -> list[str | Path]:
    if isinstance(source, Org):
        return []
    return [source] if isinstance(source, str | Path) else list(source)


def _org_of(source: OrgInput) -> Org:
    return source if isinstance(source, Org) else read_org(source)
