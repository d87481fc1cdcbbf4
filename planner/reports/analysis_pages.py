"""HTML pages of the analyses (insights, frontier): their charts and how they are written.

The pages extend the report's `base.html` and render through the one Jinja2 environment
(`report_html.environment`); the charts use the report's matplotlib style and inline-SVG
writer (`planner.reports.charts`), so an analysis page reads and prints like report.html. The
pages show organisation-level numbers only: no person's data reaches them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from openpyxl import Workbook

from planner.core.atomic import write_atomic, write_text_atomic
from planner.core.formatting import num, pct, points
from planner.core.version import __version__
from planner.reports.charts import FILLED, MEAN_COLOUR, Chart, figure, styled, to_svg
from planner.reports.excel_table import (
    MONEY,
    PERCENT,
    POINTS,
    ReportColumn,
    write_table,
    write_titles,
)
from planner.reports.html import environment
from planner.workbook.template import save_reproducibly

if TYPE_CHECKING:
    from planner.analyses.frontier import Frontier, FrontierPoint
    from planner.analyses.insights import InsightReport

HOLLOW = {"facecolors": "white", "edgecolors": FILLED["color"], "linewidths": 1.5}


class BudgetLevel(Protocol):
    """One re-plan at a share of the budget (see `insights.BudgetPoint`)."""

    share: float
    coverage: float
    planned_coverage: float
    mean_fit: float


def page_basics(source: str) -> dict[str, Any]:
    """What base.html needs of any page: the planner version (as `plan` holds it)."""
    return {"plan": {"planner_version": __version__}, "source": source}


def write_page(template: str, context: dict[str, Any], path: Path) -> Path:
    """Render `template` with `context` and write it whole to `path`."""
    return write_text_atomic(Path(path), environment().get_template(template).render(context))


@styled
def frontier_chart(frontier: Frontier) -> Chart | None:
    """Total fit against total autonomy, point by point; each point links to its report.

    Hollow markers: points not proven optimal. The diamond is the recommended plan.
    """
    shown = frontier.points
    if not shown:
        return None
    fig = figure(6.8, 3.6)
    ax = fig.add_subplot()
    xs, ys = [p.total_autonomy for p in shown], [p.total_fit for p in shown]
    ax.plot(xs, ys, color=FILLED["color"], linewidth=1.2, zorder=1)
    _scatter_points(ax, [p for p in shown if p.status == "optimal"], {"color": FILLED["color"]},
                    "proven optimal")
    _scatter_points(ax, [p for p in shown if p.status != "optimal"], HOLLOW,
                    "stopped at time limit")
    for p in shown:
        ax.annotate(str(p.number), (p.total_autonomy, p.total_fit), xytext=(5, 4),
                    textcoords="offset points", fontsize=8)
    if frontier.recommended is not None:
        r = frontier.recommended
        ax.scatter([r.total_autonomy], [r.total_fit], marker="D", s=42, color=MEAN_COLOUR,
                   label="recommended plan", zorder=3)
    ax.set_xlabel("total autonomy (FTE-points)")
    ax.set_ylabel("total fit (FTE-points)")
    ax.margins(0.08)
    ax.legend(loc="lower left", fontsize=8)
    return Chart("chart-frontier", "Fit against autonomy",
                 "Each numbered point is a plan; click a point (or use the table) to open its "
                 "report. Right and down: more autonomy for less fit.",
                 _frontier_description(shown, frontier.recommended),
                 to_svg(fig, "chart-frontier", "Fit against autonomy"))


def _scatter_points(ax: Any, chosen: Sequence[FrontierPoint], style: dict[str, Any],
                    label: str) -> None:
    if not chosen:
        return
    dots = ax.scatter([p.total_autonomy for p in chosen], [p.total_fit for p in chosen], s=36,
                      label=label, zorder=2, **style)
    dots.set_urls([f"{p.folder}/report.html" for p in chosen])


def _frontier_description(shown: Sequence[FrontierPoint],
                          recommended: FrontierPoint | None) -> str:
    parts = [f"point {p.number}: autonomy {num(p.total_autonomy)}, fit {num(p.total_fit)} "
             f"({p.status})" for p in shown]
    text = "Total fit against total autonomy. " + "; ".join(parts) + "."
    if recommended is not None:
        text += (f" Recommended plan: autonomy {num(recommended.total_autonomy)}, fit "
                 f"{num(recommended.total_fit)}.")
    return text


@styled
def budget_chart(levels: Sequence[BudgetLevel]) -> Chart | None:
    """Coverage (by staff, and with recruitment) and mean fit against the budget share."""
    if not levels:
        return None
    fig = figure(6.8, 2.8)
    cover, fit = fig.subplots(1, 2)
    shares = [100 * level.share for level in levels]
    cover.plot(shares, [100 * lv.coverage for lv in levels], marker="o",
               color=FILLED["color"], label="filled by staff")
    cover.plot(shares, [100 * lv.planned_coverage for lv in levels], marker="s", linestyle="--",
               color=MEAN_COLOUR, label="with recruitment")
    cover.set_title("Coverage of demand (%)", loc="left")
    cover.legend(loc="lower right", fontsize=8)
    fit.plot(shares, [lv.mean_fit for lv in levels], marker="o", color=FILLED["color"])
    fit.set_title("Mean fit (0–100)", loc="left")
    for ax in (cover, fit):
        ax.set_xlabel("budget (% of today's)")
        ax.set_xticks(shares)
    parts = [f"{pct(lv.share)}: coverage {pct(lv.coverage)}, with recruitment "
             f"{pct(lv.planned_coverage)}, mean fit {points(lv.mean_fit)}" for lv in levels]
    return Chart("chart-budget", "Coverage and fit against budget",
                 "Each point is the plan re-optimised at that share of the budget. Solid: "
                 "demand filled by staff; dashed: with the positions to recruit.",
                 "Coverage and mean fit by budget share. " + "; ".join(parts) + ".",
                 to_svg(fig, "chart-budget", "Coverage and fit against budget"))


# -- insights ------------------------------------------------------------------------------


def insights_json(report: InsightReport, definitions: dict[str, str]) -> dict[str, Any]:
    """What insights.json holds: ranked insights, the budget curve, notes, definitions."""
    return {
        "planner_version": __version__,
        "source": report.source,
        "input_sha256": report.input_sha256,
        "definitions": definitions,
        "baseline": asdict(report.baseline) if report.baseline else None,
        "reference_budget": report.reference_budget,
        "budget_is_cost": report.budget_is_cost,
        "insights": [{"rank": n, **asdict(i)} for n, i in enumerate(report.insights, start=1)],
        "budget_curve": [asdict(level) for level in report.budget_curve],
        "notes": list(report.notes),
    }


def insights_page(report: InsightReport, definitions: dict[str, str], path: Path) -> Path:
    context = {
        **page_basics(report.source),
        "report": report,
        "summary": insights_summary(report),
        "chart": budget_chart(report.budget_curve),
        "definitions": definitions,
        "input_sha256": report.input_sha256,
    }
    return write_page("insights.html", context, path)


def insights_summary(report: InsightReport) -> list[str]:
    """Today's plan, the changes worth most, and the budget's reach, in plain sentences."""
    base = report.baseline
    if base is None:
        return list(report.notes)
    found = [f"Today's plan covers {pct(base.planned_coverage)} of demand with recruitment "
             f"({pct(base.coverage)} filled by staff), with mean fit {points(base.mean_fit)} and "
             f"mean autonomy {points(base.mean_autonomy)} of 100."]
    best = [i for i in report.insights if i.gain > 0][:3]
    if best:
        named = "; ".join(f"{i.title.lower()[0]}{i.title[1:]} ({i.gain:+,.1f} points)"
                          for i in best)
        found.append(f"The changes worth most: {named}.")
    curve = report.budget_curve
    if len(curve) > 1:
        found.append(f"Between {pct(curve[0].share)} and {pct(curve[-1].share)} of the budget, "
                     f"coverage with recruitment runs from {pct(curve[0].planned_coverage)} to "
                     f"{pct(curve[-1].planned_coverage)}.")
    return found


OBJECTIVE = "#,##0.0"
INSIGHT_COLUMNS = (
    ReportColumn("Rank", 7), ReportColumn("Kind", 11), ReportColumn("Insight", 40, wrap=True),
    ReportColumn("Detail", 90, wrap=True), ReportColumn("Coverage change", 12, PERCENT),
    ReportColumn("Mean fit change", 12, POINTS), ReportColumn("Mean autonomy change", 12, POINTS),
    ReportColumn("Objective change", 12, OBJECTIVE), ReportColumn("Gain", 10, POINTS),
)
BUDGET_COLUMNS = (
    ReportColumn("Budget share", 12, PERCENT), ReportColumn("Budget", 14, MONEY),
    ReportColumn("Coverage", 12, PERCENT), ReportColumn("Coverage with recruitment", 14, PERCENT),
    ReportColumn("Mean fit", 10, POINTS), ReportColumn("Mean autonomy", 12, POINTS),
    ReportColumn("Objective", 12, OBJECTIVE), ReportColumn("Status", 12),
    ReportColumn("Gap", 10, PERCENT),
)


def write_insights_workbook(report: InsightReport, path: Path) -> Path:
    """insights.xlsx: the ranked insights and the budget curve, one table per sheet."""
    book = Workbook()
    ranked = book.active
    ranked.title = "Insights"
    write_titles(ranked, "What would improve the plan",
                 "Ranked by gain: the change in the organisation's objective, in points. "
                 "Organisation-level numbers only.")
    write_table(ranked, "Insights", INSIGHT_COLUMNS, [
        [n, i.kind, i.title, i.detail, i.coverage_change, i.fit_change, i.autonomy_change,
         i.objective_change, i.gain] for n, i in enumerate(report.insights, start=1)])
    curve = book.create_sheet("Budget")
    write_titles(curve, "Coverage and fit against budget",
                 "Each row is the plan re-optimised at that share of the budget.")
    write_table(curve, "Budget", BUDGET_COLUMNS, [
        [b.share, b.budget, b.coverage, b.planned_coverage, b.mean_fit, b.mean_autonomy,
         b.objective, b.status, b.gap] for b in report.budget_curve])
    return write_atomic(Path(path), lambda tmp: save_reproducibly(book, tmp))
