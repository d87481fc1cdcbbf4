"""The frontier written: frontier.json and frontier.html (totals only, no personal data),
with its chart; each point's own plan files are written beside them (`outputs`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from planner.analyses.frontier import METHOD, TIE_BREAK, Frontier, FrontierPoint, frontier_sentences
from planner.core.atomic import write_text_atomic
from planner.core.audience import Audience
from planner.core.formatting import num
from planner.core.version import __version__
from planner.reports.charts import FILLED, MEAN_COLOUR, Chart, figure, styled, to_svg
from planner.reports.pages import page_basics, write_page

HOLLOW = {"facecolors": "white", "edgecolors": FILLED["color"], "linewidths": 1.5}


def write_frontier_page(frontier: Frontier, folder: Path, audience: Audience) -> list[Path]:
    """frontier.json and frontier.html in `folder`."""
    text = json.dumps(frontier_json(frontier), indent=2, ensure_ascii=False) + "\n"
    return [write_text_atomic(folder / "frontier.json", text),
            write_page("frontier.html", _page_context(frontier, audience),
                       folder / "frontier.html")]


def frontier_json(frontier: Frontier) -> dict:
    """What frontier.json holds: every point (without its plan) and the summary."""
    recommended = frontier.recommended
    return {
        "planner_version": __version__,
        "source": frontier.source,
        "input_sha256": frontier.input_sha256,
        "method": METHOD,
        "levels": frontier.levels,
        "seconds_per_point": frontier.seconds_per_point,
        "summary": frontier_sentences(frontier),
        "points": [p.as_json() for p in frontier.points],
        "recommended": recommended.as_json() if recommended else None,
        "repeats": frontier.repeats.every,  # every plan: the same again on this machine
    }


def _page_context(frontier: Frontier, audience: Audience) -> dict[str, Any]:
    return {
        **page_basics(frontier.source),
        "audience": audience.value,
        "frontier": frontier,
        "summary": frontier_sentences(frontier),
        "chart": frontier_chart(frontier),
        "method": METHOD,
        "tie_break": TIE_BREAK,
    }


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
                    "not proven optimal")
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
