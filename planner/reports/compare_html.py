"""The comparison as one self-contained HTML page (`comparison.html`).

Renders a `Comparison` already built for its audience (`compare.compare_plans`), with the
report's one Jinja2 environment, its base template and table macros, and its charts'
SVG rendering. Scenarios are columns of the side-by-side tables (ten fit an A4 landscape
page) and rows of the chart, so that long names stay readable.

    write_comparison_html(comparison, "out/comparison.html", insights=ranked)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes

from planner.analyses.compare import Comparison, Measure
from planner.analyses.compare_narrative import by_unit
from planner.core.atomic import write_text_atomic
from planner.core.formatting import current_currency, in_currency
from planner.core.glossary import GLOSSARY
from planner.reports.charts import (
    FILLED,
    MEAN_COLOUR,
    VACANT,
    Chart,
    figure,
    plain,
    short,
    styled,
    to_svg,  # the report's reproducible inline SVG
)
from planner.reports.html import environment
from planner.reports.labels import with_role_labels

TEMPLATE = "comparison.html"
NAME_CHARS = 28  # a scenario name on the chart's axis
FIT_MARK = {"marker": "o", "color": FILLED["color"], "label": "mean fit"}
AUTONOMY_MARK = {"marker": "s", "color": MEAN_COLOUR, "label": "mean autonomy"}


def render_comparison_html(comparison: Comparison, insights: Sequence[Any] | None = None,
                           currency: str | None = None) -> str:
    """The comparison page; `insights` (ranked, `analyses.insights`) get their own section;
    money in `currency` (the baseline's Policy currency)."""
    with in_currency(currency):
        context = comparison_context(with_role_labels(comparison), insights)
        return environment().get_template(TEMPLATE).render(context)


def write_comparison_html(comparison: Comparison, path: str | Path,
                          insights: Sequence[Any] | None = None,
                          currency: str | None = None) -> Path:
    """Write the page to `path` whole (never half a file); return the path."""
    return write_text_atomic(Path(path), render_comparison_html(comparison, insights, currency))


def comparison_context(c: Comparison, insights: Sequence[Any] | None) -> dict[str, Any]:
    """What the templates need; they only format and lay out."""
    chart = kpi_chart(c)
    return {
        "c": c,
        "plan": c,  # base.html names the planner version as plan.planner_version
        "audience": c.audience,
        "director": c.audience == "director",
        "k": c.k,
        "summary": list(c.narrative),
        "charts": [chart] if chart else [],
        "role_groups": _grouped(c.roles),
        "tier_groups": _grouped(c.tiers),
        "cell_groups": _grouped(c.service_roles),
        "insights": sorted(insights, key=lambda i: -i.gain) if insights is not None else None,
        "glossary": GLOSSARY,
    }


def _grouped(measures: Sequence[Measure]) -> list[tuple[str, list[Measure]]]:
    """Measures by their group (a role, a tier, a service and role), in order."""
    groups: dict[str, list[Measure]] = {}
    for m in measures:
        groups.setdefault(m.group, []).append(m)
    return list(groups.items())


@styled
def kpi_chart(c: Comparison) -> Chart | None:
    """Coverage, mean fit and autonomy, and cost per scenario: three panels side by side."""
    rows = [i for i, v in enumerate(c.measure("coverage").values) if v is not None]
    if not rows:
        return None
    names = [plain(short(c.scenarios[i].name, NAME_CHARS)) for i in rows]
    fig = figure(7.6, 1.3 + 0.32 * len(rows))
    axes = fig.subplots(1, 3, sharey=True)
    _coverage_panel(axes[0], c, rows)
    _scores_panel(axes[1], c, rows)
    _cost_panel(axes[2], c, rows)
    axes[0].set_yticks(range(len(rows)), names)
    axes[0].invert_yaxis()  # the baseline on top, scenarios in reading order
    title = "Key figures by scenario"
    return Chart(
        "chart-scenarios", title,
        "Left: coverage of demand by current staff (solid) and with recruitment (hatched); "
        "the dashed line is the baseline. Middle: mean fit (circles) and autonomy (squares), "
        f"0–100 points. Right: annual cost in {_thousands()}, with the budget as a black "
        "tick.",
        "Key figures by scenario. " + "; ".join(_description(c, i) for i in rows) + ".",
        to_svg(fig, "chart-scenarios", title),
    )


def _coverage_panel(ax: Axes, c: Comparison, rows: list[int]) -> None:
    filled = [100 * _number(c.measure("coverage").values[i]) for i in rows]
    planned = [100 * _number(c.measure("planned_coverage").values[i]) for i in rows]
    ax.barh(range(len(rows)), filled, height=0.6, color=FILLED["color"], label="by staff")
    extra = [max(0.0, p - f) for p, f in zip(planned, filled, strict=True)]
    ax.barh(range(len(rows)), extra, left=filled, height=0.6,
            **{**VACANT, "label": "with recruitment"})
    ax.axvline(filled[0], color="#111111", linestyle="--", linewidth=1)
    ax.set_xlim(0, 100)
    ax.set_title("Coverage, %", loc="left")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.08), ncols=1, fontsize=7)


def _scores_panel(ax: Axes, c: Comparison, rows: list[int]) -> None:
    for key, mark in (("mean_fit", FIT_MARK), ("mean_autonomy", AUTONOMY_MARK)):
        values = [_number(c.measure(key).values[i]) for i in rows]
        ax.plot(values, range(len(rows)), linestyle="none", markersize=6, **mark)
    ax.set_xlim(0, 100)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_title("Fit, autonomy", loc="left")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.08), ncols=1, fontsize=7)


def _cost_panel(ax: Axes, c: Comparison, rows: list[int]) -> None:
    cost = [_number(c.measure("cost").values[i]) / 1000 for i in rows]
    ax.barh(range(len(rows)), cost, height=0.6, color="#6b7b8c")
    budgets = [(n, v / 1000) for n, i in enumerate(rows)
               if isinstance(v := c.measure("budget").values[i], int | float)]
    if budgets:
        ax.scatter([b for _, b in budgets], [n for n, _ in budgets], marker="|", s=200,
                   linewidths=2, color="#111111", zorder=3)
    ax.set_title(f"Cost, {_thousands()}", loc="left")
    ax.set_xlim(left=0)


def _thousands() -> str:
    """'thousands', or in the currency: 'GBP thousands', '£ thousands'."""
    currency = current_currency()
    return f"{currency} thousands" if currency else "thousands"


def _description(c: Comparison, index: int) -> str:
    def shown(key: str) -> str:
        m = c.measure(key)
        return by_unit(m.values[index], m.unit)

    budget = c.measure("budget").values[index]
    of_budget = f" of a budget of {shown('budget')}" if budget else ""
    return (f"{c.scenarios[index].name}: coverage {shown('coverage')} "
            f"({shown('planned_coverage')} with recruitment), mean fit {shown('mean_fit')}, "
            f"mean autonomy {shown('mean_autonomy')}, cost {shown('cost')}{of_budget}")


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0
