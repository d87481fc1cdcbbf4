"""The insights written: insights.json, insights.html (with the budget chart) and
insights.xlsx. Organisation-level numbers only: no person's data reaches them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from planner.analyses.insights import (
    DEFAULT_RANKING,
    DEFINITIONS,
    MEASURES,
    BudgetPoint,
    InsightReport,
    Measure,
)
from planner.core.atomic import write_text_atomic
from planner.core.formatting import in_currency, money, pct, points
from planner.core.version import __version__
from planner.core.xlsx import write_book_atomic
from planner.reports.charts import FILLED, MEAN_COLOUR, Chart, figure, styled, to_svg
from planner.reports.excel_table import (
    FTE,
    MONEY,
    PERCENT,
    POINTS,
    WHOLE,
    ReportColumn,
    in_money,
    set_print_layout,
    write_table,
    write_titles,
)
from planner.reports.pages import page_basics, write_page


def write_insights_files(report: InsightReport, folder: Path, xlsx: bool = True,
                         currency: str | None = None) -> list[Path]:
    """insights.json, insights.html and (with `xlsx`) insights.xlsx in `folder`; money in
    `currency` (the organisation's Policy currency)."""
    text = json.dumps(insights_json(report, DEFINITIONS), indent=2, ensure_ascii=False)
    written = [write_text_atomic(folder / "insights.json", text + "\n"),
               insights_page(report, DEFINITIONS, folder / "insights.html", currency)]
    if xlsx:
        written.append(write_insights_workbook(report, folder / "insights.xlsx", currency))
    return written


@styled
def budget_chart(levels: Sequence[BudgetPoint]) -> Chart | None:
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
        ax.set_ylim(0, 100)  # whole scales from zero: a small change looks small
    parts = [f"{pct(lv.share)}: coverage {pct(lv.coverage)}, with recruitment "
             f"{pct(lv.planned_coverage)}, mean fit {points(lv.mean_fit)}" for lv in levels]
    return Chart("chart-budget", "Coverage and fit against budget",
                 "Each point is the plan re-optimised at that share of the budget. Solid: "
                 "demand filled by staff; dashed: with the positions to recruit.",
                 "Coverage and mean fit by budget share. " + "; ".join(parts) + ".",
                 to_svg(fig, "chart-budget", "Coverage and fit against budget"))


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
        "repeats": report.repeats.every,  # every re-plan: the same again on this machine
    }


def insights_page(report: InsightReport, definitions: dict[str, str], path: Path,
                  currency: str | None = None) -> Path:
    with in_currency(currency):  # the summary's amounts as well as the page's
        context = {
            **page_basics(report.source),
            "report": report,
            "measure": ranking(report),
            "summary": insights_summary(report),
            "chart": budget_chart(report.budget_curve),
            "definitions": definitions,
            "input_sha256": report.input_sha256,
        }
    return write_page("insights.html", context, path, currency)


def ranking(report: InsightReport) -> Measure:
    """What the insights are ranked by: their gain is the change in it."""
    return MEASURES.get(report.ranked_by, MEASURES[DEFAULT_RANKING])


def gain_text(gain: float, measure: Measure) -> str:
    """An insight's gain in the unit of its ranking: '+1.6 FTE', '+2 people', '12,000
    saved a year' (a lower cost is the gain)."""
    if measure.unit == "money":
        return f"{money(abs(gain))} {'saved' if gain > 0 else 'more'} a year"
    return f"{gain:+,.1f} {GAIN_UNITS.get(measure.unit, measure.unit)}"


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
        measure = ranking(report)
        named = "; ".join(f"{i.title.lower()[0]}{i.title[1:]} ({gain_text(i.gain, measure)})"
                          for i in best)
        found.append(f"The changes worth most: {named}.")
    curve = report.budget_curve
    if len(curve) > 1:
        found.append(f"Between {pct(curve[0].share)} and {pct(curve[-1].share)} of the budget, "
                     f"coverage with recruitment runs from {pct(curve[0].planned_coverage)} to "
                     f"{pct(curve[-1].planned_coverage)}.")
    again = report.repeats.sentence()
    return found + ([again] if again else [])


OBJECTIVE = "#,##0.0"
GAIN_UNITS = {"fte": "FTE", "people": "people", "points": "points", "positions": "positions"}
INSIGHT_COLUMNS = (
    ReportColumn("Rank", 7), ReportColumn("Kind", 11), ReportColumn("Insight", 40, wrap=True),
    ReportColumn("Detail", 90, wrap=True), ReportColumn("Covered FTE change", 12, FTE),
    ReportColumn("Coverage change", 12, PERCENT),
    ReportColumn("People placed change", 12, WHOLE),
    ReportColumn("High-saliency positions change", 12, WHOLE),
    ReportColumn("Cost change", 12, MONEY),
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


def write_insights_workbook(report: InsightReport, path: Path,
                            currency: str | None = None) -> Path:
    """insights.xlsx: the ranked insights and the budget curve, one table per sheet."""
    book = Workbook()
    ranked = book.active
    ranked.title = "Insights"
    write_titles(ranked, "What would improve the plan",
                 f"Ranked by gain: the change in {ranking(report).label.lower()}, more is "
                 f"better; ties go to the objective change (the plan score the planner "
                 f"maximises under the Policy weights). Organisation-level numbers only.")
    write_table(ranked, "Insights", INSIGHT_COLUMNS, [
        [n, i.kind, i.title, i.detail, i.coverage_fte_change, i.coverage_change, i.placed_change,
         i.high_saliency_change, i.cost_change, i.fit_change, i.autonomy_change,
         i.objective_change, i.gain] for n, i in enumerate(report.insights, start=1)])
    curve = book.create_sheet("Budget")
    write_titles(curve, "Coverage and fit against budget",
                 "Each row is the plan re-optimised at that share of the budget.")
    write_table(curve, "Budget", in_money(BUDGET_COLUMNS, currency), [
        [b.share, b.budget, b.coverage, b.planned_coverage, b.mean_fit, b.mean_autonomy,
         b.objective, b.status, b.gap] for b in report.budget_curve])
    set_print_layout(book)
    return write_book_atomic(book, path)
