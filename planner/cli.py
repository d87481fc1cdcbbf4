"""The `planner` command: thin over the library; errors map to exit codes here only.

Exit codes: 0 ok; 1 the workbook's content has errors; 2 usage error or unreadable file;
3 no plan satisfies the rules (infeasible).
"""

from __future__ import annotations

import os
import sys

import click

from planner.core.audience import Audience
from planner.core.errors import Issue, PlannerError, Severity, ValidationError
from planner.core.results import Status
from planner.core.version import __version__

EXIT_INFEASIBLE = 3


def out_option(text: str):
    """-o/--out: the folder outputs go to (created if missing)."""
    return click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False),
                        required=True, help=text)


def time_limit_option(text: str):
    return click.option("--time-limit", type=click.FloatRange(0.1, 86_400), default=None,
                        help=text)


JOBS = click.option("--jobs", type=click.IntRange(1, 1024), default=None,
                    help="Plans solved at once, one process each (default: one per core; a large "
                         "organisation's plans one after another, each with both cores).")
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
    from planner.workbook.example import EXAMPLE_SCENARIOS, example_org
    from planner.workbook.template import write_workbook

    written = write_workbook(path, example_org() if example else None, force=force,
                             scenarios=EXAMPLE_SCENARIOS if example else ())
    click.echo(f"wrote {written}")


@cli.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=True))
def validate(workbook: str) -> None:
    """Check an organisation workbook (or a folder of CSV files) and list every problem.

    Exits 0 when valid (perhaps with warnings), 1 with errors, 2 if unreadable.

    Example: planner validate sample_orgs/community_agency.xlsx
    """
    from planner.workbook.read import validate as validate_workbook

    report = validate_workbook(workbook)
    echo_issues(list(report.issues))
    if not report.errors:
        org = report.org
        assert org is not None
        click.echo(f"valid: {len(org.services)} services, {len(org.roles)} roles, "
                   f"{len(org.psws)} PSWs")
    raise SystemExit(1 if report.errors else 0)


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
    from planner.workbook.generate import generate_org
    from planner.workbook.template import write_workbook

    org = generate_org(psws=psws, services=services, regions=regions, seed=seed)
    click.echo(f"wrote {write_workbook(path, org, force=force)}")


@cli.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=True))
@out_option("Folder for plan.json, plan.xlsx and report.html (created if missing).")
@time_limit_option("Seconds the solver may take (default: Policy time_limit).")
@click.option("--seed", type=int, default=None, help="Solver seed (default: Policy seed).")
@click.option("--fast", is_flag=True,
              help="Parallel search (two workers): two runs may give different plans; "
              "not faster on two cores (see README).")
@click.option("--quiet", is_flag=True, help="No progress lines while solving.")
@AUDIENCE
def plan(workbook: str, out_dir: str, time_limit: float | None, seed: int | None,
         fast: bool, quiet: bool, audience: str) -> None:
    """Plan the role mix, placements and recruitment.

    Writes OUT/plan.json (the full plan), OUT/plan.xlsx and OUT/report.html (for the
    audience: hr sees everything, director sees pseudonyms and no personal data).

    Example: planner plan sample_orgs/community_agency.xlsx -o out/
    """
    from planner.api import plan_workbook

    outcome = plan_workbook(
        workbook, out_dir, time_limit=time_limit, seed=seed, deterministic=not fast,
        progress=None if quiet else _echo_progress, audience=Audience(audience),
    )
    for line in outcome.summary:
        click.echo(line)
    for path in outcome.written:
        click.echo(f"wrote {path}")
    if outcome.infeasible:
        raise SystemExit(EXIT_INFEASIBLE)


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
@AUDIENCE
def compare(workbooks: tuple[str, ...], out_dir: str, scenarios_path: str | None,
            jobs: int | None, time_limit: float | None, seed: int | None,
            with_insights: bool, audience: str) -> None:
    """Plan what-if scenarios and compare them side by side with the baseline.

    With one WORKBOOK the scenarios are its Scenarios sheet, or that of --scenarios;
    with several, the first is the baseline and each other a whole alternative. Writes
    OUT/comparison.html, comparison.xlsx and comparison.json (for the audience) and each
    plan's plan.json in OUT/<scenario>/. Exits 3 when the baseline is infeasible.

    Example: planner compare sample_orgs/regional_service.xlsx -o out/compare/
    """
    from planner.analyses.compare import run_comparison

    source = workbooks[0] if len(workbooks) == 1 else list(workbooks)
    outcome = run_comparison(source, scenarios_path, out_dir, jobs=jobs,
                             time_limit=time_limit, seed=seed, audience=Audience(audience),
                             with_insights=with_insights)
    for line in outcome.summary:
        click.echo(line)
    for path in outcome.written:
        click.echo(f"wrote {path}")
    baseline = next(iter(outcome.plans.values()))
    if baseline.status is Status.INFEASIBLE:
        raise SystemExit(EXIT_INFEASIBLE)


@cli.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=True))
@out_option("Folder for insights.json, insights.html and insights.xlsx.")
@time_limit_option("Seconds per re-plan (default: Policy time_limit).")
@JOBS
def insights(workbook: str, out_dir: str, time_limit: float | None, jobs: int | None) -> None:
    """Rank what would improve the plan: a warmer climate, one more position, more budget.

    Re-plans the organisation once per change, in parallel, and writes OUT/insights.json,
    OUT/insights.html and OUT/insights.xlsx. Organisation-level numbers only: safe to
    share with directors.

    Example: planner insights sample_orgs/regional_service.xlsx -o out/insights/
    """
    from planner.analyses.insights import write_insights
    from planner.api import output_paths
    from planner.workbook.read import read_org

    output_paths(workbook, out_dir, ("insights.json", "insights.html", "insights.xlsx"))
    report, written = write_insights(read_org(workbook), out_dir, time_limit=time_limit,
                                     jobs=jobs)
    for insight in report.insights[:5]:
        click.echo(f"{insight.gain:+10,.1f}  {insight.title}")
    for note in report.notes:
        click.echo(f"note: {note}")
    for path in written:
        click.echo(f"wrote {path}")


@cli.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=True))
@out_option("Folder for frontier.html, frontier.json and a point-NN/ folder per plan.")
@click.option("--levels", type=click.IntRange(1, 20), default=6, show_default=True,
              help="Autonomy levels between the two extremes.")
@time_limit_option("Seconds per point (default: Policy time_limit / points, at least 5).")
@JOBS
@AUDIENCE
def frontier(workbook: str, out_dir: str, levels: int, time_limit: float | None,
             jobs: int | None, audience: str) -> None:
    """Trace the trade-off between fit and autonomy (epsilon-constraint method).

    Writes OUT/frontier.html (the chart, each point linked to its report), OUT/frontier.json
    and OUT/point-NN/ with plan.json, plan.xlsx and report.html of each point (for the
    audience; frontier.html itself holds totals only).

    Example: planner frontier sample_orgs/regional_service.xlsx -o out/frontier/
    """
    from planner.analyses.frontier import frontier_sentences, write_frontier
    from planner.api import output_paths
    from planner.workbook.read import read_org

    output_paths(workbook, out_dir, ("frontier.json", "frontier.html"))
    result, written = write_frontier(read_org(workbook), out_dir, levels=levels,
                                     time_limit=time_limit, jobs=jobs,
                                     audience=Audience(audience))
    for line in frontier_sentences(result):
        click.echo(line)
    click.echo(f"wrote {len(written)} files: {len(result.points)} point folders, "
               f"{written[-2]} and {written[-1]}")


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
def menus(workbook: str, out_dir: str, plan_json: str | None, within: float,
          per_person: int, time_budget: float, jobs: int | None) -> None:
    """Offer each person other placements that keep the plan near its optimum.

    Writes OUT/menus.json and OUT/menus.xlsx, one row per person and alternative. For HR
    only: the menus hold individual data.

    Example: planner menus sample_orgs/community_agency.xlsx -o out/menus/ --within 2
    """
    from planner.analyses.menus import choice_menus, write_menus
    from planner.api import load_plan, output_paths
    from planner.workbook.read import read_org

    output_paths(workbook, out_dir, ("menus.json", "menus.xlsx"))
    optimum = load_plan(plan_json) if plan_json else None
    result = choice_menus(read_org(workbook), optimum, within=within / 100,
                          per_person=per_person, time_budget=time_budget, jobs=jobs)
    offered = sum(1 for menu in result.menus if menu.alternatives)
    click.echo(f"menus {result.method}: {result.reason}")
    click.echo(f"{offered} of {len(result.menus)} people have at least one alternative")
    for path in write_menus(result, out_dir):
        click.echo(f"wrote {path}")


@cli.command()
@click.argument("plan_json", type=click.Path(exists=True, dir_okay=False))
@out_option("Folder for plan.xlsx and report.html.")
@AUDIENCE
def report(plan_json: str, out_dir: str, audience: str) -> None:
    """Render plan.xlsx and report.html from a plan.json, e.g. for directors.

    Example: planner report out/plan.json --audience director -o out/director/
    """
    from planner.api import report_plan_json

    for path in report_plan_json(plan_json, out_dir, Audience(audience)):
        click.echo(f"wrote {path}")


@cli.command()
@click.argument("plan_json", type=click.Path(exists=True, dir_okay=False))
@click.argument("item_id")
def explain(plan_json: str, item_id: str) -> None:
    """Tell the story of one person (psw_id) or one service (service_id) in a plan.

    Example: planner explain out/plan.json P007
    """
    from planner.api import load_plan
    from planner.reports.story import story

    click.echo(story(load_plan(plan_json), item_id))


def _echo_progress(p) -> None:
    click.echo(f"  {p.seconds:6.1f} s  best {p.objective:,.2f}  bound {p.bound:,.2f}  "
               f"gap {p.gap:.3%}", err=True)


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
