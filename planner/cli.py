"""The `planner` command: thin over the library; errors map to exit codes here only.

Exit codes: 0 ok; 1 the workbook's content has errors; 2 usage error or unreadable file;
3 no plan satisfies the rules (infeasible). Each comes from one of the library's errors
(`core.errors`), mapped in `PlannerGroup` only.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import click

from planner import api
from planner.analyses.batch import BatchProgress
from planner.analyses.cluster import SCHEDULER_ENV
from planner.analyses.insights import DEFAULT_RANKING, MEASURES
from planner.analyses.roadmap import DEFAULT_YEARS, MAX_YEARS
from planner.core.audience import Audience
from planner.core.errors import Issue, PlannerError, Severity, ValidationError
from planner.core.version import __version__


def out_option(text: str):
    """-o/--out: the folder outputs go to (created if missing)."""
    return click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False),
                        required=True, help=text)


def time_limit_option(text: str):
    return click.option("--time-limit", type=click.FloatRange(0.1, 86_400), default=None,
                        help=text)


def reproducible_option(text: str):
    """--reproducible: every search stops at a set amount of work (`planning.plan`)."""
    return click.option("--reproducible", is_flag=True, help="Stop every search at a set "
                        f"amount of work, not the clock: {text} (often a little poorer; "
                        "see docs/solver.md).")


JOBS = click.option("--jobs", type=click.IntRange(1, 1024), default=None,
                    help="Plans solved at once, one process each (default: one per core; a large "
                         "organisation's plans one after another, each with both cores).")
SCHEDULER = click.option(
    "--scheduler", envvar=SCHEDULER_ENV, default=None, metavar="ADDRESS",
    help=f"A Dask scheduler, e.g. tcp://host:8786 (default: ${SCHEDULER_ENV}): every plan "
         "runs on its cluster's workers, not on this machine (docs/batch.md).")
# Every long-running command takes --quiet, so that a script can pass it to any of them.
# `plan` prints the solver's progress unless quiet; compare, insights, frontier and menus
# solve in worker processes that print nothing while they run, so quiet leaves them as
# they are: their summary and the files written, never progress.
QUIET = click.option("--quiet", is_flag=True,
                     help="No progress lines while solving; the summary and the files "
                          "written are still printed.")
AUDIENCE = click.option(
    "--audience", type=click.Choice([a.value for a in Audience]), default="hr",
    show_default=True, help="Who the reports are for.",
)


class PlannerGroup(click.Group):
    """Maps the library's own errors to a one-line message and an exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ValidationError as err:
            echo_issues(err.issues)
            ctx.exit(err.exit_code)
        except PlannerError as err:
            click.echo(f"error: {err}", err=True)
            ctx.exit(err.exit_code)


@click.group(cls=PlannerGroup)
@click.version_option(__version__, prog_name="planner")
def cli() -> None:
    """Plan the peer support workforce of a mental-health organisation.

    Start with `planner template ORG.xlsx --example`, fill it in, then
    `planner validate ORG.xlsx` and `planner plan ORG.xlsx -o OUT/`.
    """


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--example", is_flag=True, help="Fill it with a small worked organisation.")
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def template(path: str, example: bool, force: bool) -> None:
    """Write a blank organisation workbook to fill in.

    Example: planner template my_org.xlsx --example
    """
    click.echo(f"wrote {api.write_template(path, example=example, force=force)}")


@cli.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=True))
def validate(workbook: str) -> None:
    """Check an organisation workbook (or a folder of CSV files) and list every problem.

    Exits 0 when valid (perhaps with warnings), 1 with errors, 2 if unreadable.

    Example: planner validate sample_orgs/community_agency.xlsx
    """
    report = api.validate(workbook)
    if report.errors:
        raise ValidationError(list(report.issues))
    echo_issues(list(report.issues))
    org = report.org
    click.echo(f"valid: {len(org.services)} services, {len(org.roles)} roles, "
               f"{len(org.psws)} PSWs" if org else "valid")


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--psws", type=click.IntRange(1, 100_000), default=60, show_default=True)
@click.option("--services", type=click.IntRange(1, 20_000), default=14, show_default=True)
@click.option("--regions", type=click.IntRange(1, 500), default=1, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def generate(path: str, psws: int, services: int, regions: int, seed: int, force: bool) -> None:
    """Write a synthetic organisation of any size (for demos and benchmarks).

    Example: planner generate --psws 2000 --services 300 --regions 6 --seed 1 big.xlsx
    """
    written = api.generate_workbook(path, psws=psws, services=services, regions=regions,
                                    seed=seed, force=force)
    click.echo(f"wrote {written}")


@cli.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=True))
@out_option("Folder for plan.json, plan.xlsx and report.html (created if missing).")
@time_limit_option("Seconds the whole run may take, reading and writing included "
                   "(default: Policy time_limit).")
@click.option("--seed", type=int, default=None, help="Solver seed (default: Policy seed).")
@click.option("--fast", is_flag=True,
              help="Parallel search (two workers): two runs may give different plans; "
              "not faster on two cores (see README).")
@reproducible_option("the same workbook and seed give the same plan on this machine")
@QUIET
@AUDIENCE
def plan(workbook: str, out_dir: str, time_limit: float | None, seed: int | None,
         fast: bool, reproducible: bool, quiet: bool, audience: str) -> None:
    """Plan the role mix, placements and recruitment.

    Writes OUT/plan.json (the full plan), OUT/plan.xlsx and OUT/report.html (for the
    audience: hr sees everything, director sees pseudonyms and no personal data).

    Example: planner plan sample_orgs/community_agency.xlsx -o out/
    """
    outcome = api.plan_workbook(
        workbook, out_dir, time_limit=time_limit, seed=seed, deterministic=not fast,
        reproducible=reproducible, progress=None if quiet else _echo_progress,
        audience=Audience(audience), began=process_began(),
    )
    echo_outcome(outcome.summary, outcome.written)
    outcome.raise_for_status()


@cli.command()
@click.argument("workbooks", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=True))
@out_option("Folder for comparison.html, .xlsx and .json, and each plan's plan.json.")
@click.option("--scenarios", "scenarios_path", type=click.Path(exists=True, dir_okay=True),
              default=None, help="Workbook (or CSV folder) with a Scenarios sheet "
              "(default: the Scenarios sheet of WORKBOOK).")
@JOBS
@time_limit_option("Seconds each plan may take (default: Policy time_limit).")
@click.option("--seed", type=int, default=None, help="Solver seed (default: Policy seed).")
@click.option("--insights", "with_insights", is_flag=True,
              help="Also rank single changes to the baseline: climate, positions, budget.")
@click.option("--roadmap", "roadmaps", is_flag=True,
              help="Compare roadmaps over --years instead of one year's plans: "
                   "OUT/roadmaps.html, .xlsx, .json and each roadmap in OUT/<scenario>/.")
@click.option("--years", type=click.IntRange(1, MAX_YEARS), default=DEFAULT_YEARS,
              show_default=True, help="Years of each roadmap (with --roadmap; --time-limit "
                                      "is then each year's).")
@reproducible_option("the same inputs and seed give the same plans on this machine")
@SCHEDULER
@AUDIENCE
@QUIET
def compare(workbooks: tuple[str, ...], out_dir: str, scenarios_path: str | None,
            jobs: int | None, time_limit: float | None, seed: int | None,
            with_insights: bool, roadmaps: bool, years: int, reproducible: bool,
            scheduler: str | None, audience: str, quiet: bool) -> None:
    """Plan what-if scenarios and compare them side by side with the baseline.

    With one WORKBOOK the scenarios are its Scenarios sheet, or that of --scenarios;
    with several, the first is the baseline and each other a whole alternative. Writes
    OUT/comparison.html, comparison.xlsx and comparison.json (for the audience) and each
    plan's plan.json in OUT/<scenario>/. Exits 3 when the baseline is infeasible.

    Example: planner compare sample_orgs/regional_service.xlsx -o out/compare/
    """
    source = workbooks[0] if len(workbooks) == 1 else list(workbooks)
    if roadmaps:
        made = api.compare_roadmaps(source, out_dir, scenarios=scenarios_path, years=years,
                                    jobs=jobs, time_limit=time_limit, seed=seed,
                                    audience=Audience(audience), scheduler=scheduler,
                                    reproducible=reproducible)
        echo_outcome(made.summary, made.written)
        return
    outcome = api.compare(source, out_dir, scenarios=scenarios_path, jobs=jobs,
                          time_limit=time_limit, seed=seed, audience=Audience(audience),
                          with_insights=with_insights, scheduler=scheduler,
                          reproducible=reproducible)
    echo_outcome(outcome.summary, outcome.written)
    outcome.raise_for_status()


@cli.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=True))
@out_option("Folder for insights.json, insights.html and insights.xlsx.")
@time_limit_option("Seconds per re-plan (default: Policy time_limit).")
@JOBS
@click.option("--rank-by", type=click.Choice(list(MEASURES)), default=DEFAULT_RANKING,
              show_default=True, help="What the insights are ranked by: the change in demand "
              "covered (FTE), people placed, mean fit or autonomy, high-saliency positions, "
              "cost, or the plan's weighted objective.")
@reproducible_option("the same workbook gives the same re-plans on this machine")
@SCHEDULER
@QUIET
def insights(workbook: str, out_dir: str, time_limit: float | None, jobs: int | None,
             rank_by: str, reproducible: bool, scheduler: str | None, quiet: bool) -> None:
    """Rank what would improve the plan: a warmer climate, one more position, more budget.

    Re-plans the organisation once per change, in parallel, and writes OUT/insights.json,
    OUT/insights.html and OUT/insights.xlsx. Organisation-level numbers only: safe to
    share with directors.

    Example: planner insights sample_orgs/regional_service.xlsx -o out/insights/
    """
    outcome = api.insights(workbook, out_dir, time_limit=time_limit, jobs=jobs,
                           rank_by=rank_by, scheduler=scheduler, reproducible=reproducible)
    echo_outcome(outcome.summary, outcome.written)


@cli.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=True))
@out_option("Folder for roadmap.json, roadmap.xlsx, roadmap.html and year-N/.")
@click.option("--years", type=click.IntRange(1, MAX_YEARS), default=DEFAULT_YEARS,
              show_default=True, help="Years the roadmap plans, one after another.")
@time_limit_option("Seconds for the whole run, every year and file (default: Policy "
                   "time_limit a year).")
@click.option("--seed", type=int, default=None, help="Solver seed (default: Policy seed).")
@reproducible_option("the same workbook and seed give the same years' plans on this "
                     "machine, each year with an even share of the time")
@AUDIENCE
@QUIET
def roadmap(workbook: str, out_dir: str, years: int, time_limit: float | None,
            seed: int | None, reproducible: bool, audience: str, quiet: bool) -> None:
    """Plan several years: careers, supported stretch and recruitment as readiness grows
    and people leave.

    Each year is planned in turn with every rule of `plan` (docs/roadmap.md). Writes
    OUT/roadmap.json, OUT/roadmap.xlsx, OUT/roadmap.html and each year's plan.json,
    plan.xlsx and report.html in OUT/year-N/, for the audience. Exits 3 when a year has
    no plan that keeps every rule.

    Example: planner roadmap sample_orgs/regional_service.xlsx -o out/roadmap/ --years 3
    """
    outcome = api.roadmap(workbook, out_dir, years=years, time_limit=time_limit, seed=seed,
                          audience=Audience(audience), reproducible=reproducible)
    echo_outcome(outcome.summary, outcome.written)


@cli.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=True))
@out_option("Folder for frontier.html, frontier.json and a point-NN/ folder per plan.")
@click.option("--levels", type=click.IntRange(1, 20), default=6, show_default=True,
              help="Autonomy levels between the two extremes.")
@time_limit_option("Seconds per point (default: Policy time_limit / points, at least 5).")
@JOBS
@reproducible_option("the same workbook gives the same points on this machine")
@SCHEDULER
@AUDIENCE
@QUIET
def frontier(workbook: str, out_dir: str, levels: int, time_limit: float | None,
             jobs: int | None, reproducible: bool, scheduler: str | None, audience: str,
             quiet: bool) -> None:
    """Trace the trade-off between fit and autonomy (epsilon-constraint method).

    Writes OUT/frontier.html (the chart, each point linked to its report), OUT/frontier.json
    and OUT/point-NN/ with plan.json, plan.xlsx and report.html of each point (for the
    audience; frontier.html itself holds totals only).

    Example: planner frontier sample_orgs/regional_service.xlsx -o out/frontier/
    """
    outcome = api.frontier(workbook, out_dir, levels=levels, time_limit=time_limit, jobs=jobs,
                           audience=Audience(audience), scheduler=scheduler,
                           reproducible=reproducible)
    echo_outcome(outcome.summary, ())


@cli.command()
@click.argument("orgs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=True))
@out_option("Folder for portfolio.html, .xlsx and .json, and OUT/<org>/<scenario>/ with "
            "each plan's files.")
@click.option("--scenarios", "scenarios_path", type=click.Path(exists=True, dir_okay=False),
              default=None, help="Workbook whose Scenarios sheet applies to every "
              "organisation (default: each workbook's own Scenarios sheet).")
@SCHEDULER
@JOBS
@time_limit_option("Seconds each plan may take (default: its Policy time_limit).")
@click.option("--seed", type=int, default=None, help="Solver seed (default: Policy seed).")
@reproducible_option("the same workbooks, scenarios and seed give the same plans on "
                     "machines like these")
@AUDIENCE
@QUIET
def batch(orgs: tuple[str, ...], out_dir: str, scenarios_path: str | None,
          scheduler: str | None, jobs: int | None, time_limit: float | None,
          seed: int | None, reproducible: bool, audience: str, quiet: bool) -> None:
    """Plan many organisations, each with its scenarios, here or on a Dask cluster.

    ORGS are workbooks, or folders of them. Each organisation and each scenario is one
    task; its plan.json and reports go to OUT/<org>/<scenario>/ as it finishes, then
    OUT/portfolio.html, .xlsx and .json compare them all. Rerun the same command to
    finish an interrupted batch: tasks already done are skipped. Progress goes to stderr.

    Example: planner batch clients/ -o out/batch/ --time-limit 30
    """
    outcome = api.batch(list(orgs), out_dir, scenarios=scenarios_path, scheduler=scheduler,
                        jobs=jobs, time_limit=time_limit, seed=seed,
                        audience=Audience(audience), reproducible=reproducible,
                        progress=None if quiet else _echo_batch_progress)
    echo_outcome(outcome.summary, outcome.written)


@cli.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=True))
@out_option("Folder for menus.json and menus.xlsx.")
@click.option("--plan", "plan_json", type=click.Path(exists=True, dir_okay=False),
              default=None, help="The optimum's plan.json (default: plan the workbook now).")
@click.option("--within", type=click.FloatRange(0, 99), default=2.0, show_default=True,
              help="Percent of the optimum's objective an alternative may cost.")
@click.option("--per-person", type=click.IntRange(1, 10), default=3, show_default=True,
              help="Most alternatives per person.")
@click.option("--time-budget", type=click.FloatRange(0, 86_400), default=120.0,
              show_default=True, help="Seconds the re-solves may take in all; beyond it the "
              "menus are ranked by individual fit, not re-optimised.")
@JOBS
@QUIET
def menus(workbook: str, out_dir: str, plan_json: str | None, within: float,
          per_person: int, time_budget: float, jobs: int | None, quiet: bool) -> None:
    """Offer each person other placements that keep the plan near its optimum.

    Writes OUT/menus.json and OUT/menus.xlsx, one row per person and alternative. For HR
    only: the menus hold individual data.

    Example: planner menus sample_orgs/community_agency.xlsx -o out/menus/ --within 2
    """
    outcome = api.menus(workbook, out_dir, plan_json=plan_json, within=within / 100,
                        per_person=per_person, time_budget=time_budget, jobs=jobs)
    echo_outcome(outcome.summary, outcome.written)


@cli.command()
@click.argument("plan_json", type=click.Path(exists=True, dir_okay=False))
@out_option("Folder for plan.xlsx and report.html.")
@AUDIENCE
def report(plan_json: str, out_dir: str, audience: str) -> None:
    """Render plan.xlsx and report.html from a plan.json, e.g. for directors.

    Example: planner report out/plan.json --audience director -o out/director/
    """
    echo_outcome((), api.report_plan_json(plan_json, out_dir, Audience(audience)))


@cli.command()
@click.argument("plan_json", type=click.Path(exists=True, dir_okay=False))
@click.argument("item_id")
def explain(plan_json: str, item_id: str) -> None:
    """Tell the story of one person (psw_id) or one service (service_id) in a plan.

    Example: planner explain out/plan.json P007
    """
    click.echo(api.explain(plan_json, item_id))


def _echo_progress(p) -> None:
    click.echo(f"  {p.seconds:6.1f} s  best {p.objective:,.2f}  bound {p.bound:,.2f}  "
               f"gap {p.gap:.3%}", err=True)


def _echo_batch_progress(p: BatchProgress) -> None:
    before = f" ({p.skipped} from an earlier run)" if p.skipped else ""
    retried = f", {p.retried} tried again" if p.retried else ""
    left = "" if p.seconds_left is None else f"; about {duration(p.seconds_left)} left"
    click.echo(f"  {p.done}/{p.total} done{before}, {p.running} running, {p.failed} failed"
               f"{retried}{left}", err=True)


def duration(seconds: float) -> str:
    """'40 s', '4 min', '1 h 20 min'."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60} min"


def echo_outcome(summary: Sequence[str], written: Sequence[Path]) -> None:
    """A command's summary lines, then each file it wrote."""
    for line in summary:
        click.echo(line)
    for path in written:
        click.echo(f"wrote {path}")


def echo_issues(issues: list[Issue]) -> None:
    """Errors first, then warnings, one line each."""
    errors = [i for i in issues if i.severity is Severity.ERROR]
    warnings = [i for i in issues if i.severity is Severity.WARNING]
    for issue in errors:
        click.echo(f"error: {issue}", err=True)
    for issue in warnings:
        click.echo(f"warning: {issue}", err=True)
    if errors or warnings:
        click.echo(f"{len(errors)} error(s), {len(warnings)} warning(s)", err=True)


def process_began() -> float:
    """When this process started, on the `time.perf_counter()` clock (on Linux, from
    /proc; elsewhere, now), so that `--time-limit` counts Python's start and the imports."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        age = uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: starttime
    except (OSError, ValueError, IndexError):
        return time.perf_counter()
    return time.perf_counter() - min(max(0.0, age), 600.0)


def main() -> None:
    """Console entry point: never shows a traceback unless PLANNER_DEBUG is set."""
    try:
        cli(prog_name="planner")
    except Exception as err:  # a bug of ours: say so in one line
        if os.environ.get("PLANNER_DEBUG"):
            raise
        click.echo(f"internal error: {type(err).__name__}: {err} "
                   "(set PLANNER_DEBUG=1 for details)", err=True)
        sys.exit(70)
