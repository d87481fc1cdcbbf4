"""The roadmap's charts, with the report's matplotlib style (`charts`): FTE by saliency
tier and year (filled, to recruit, lost to leaving), and cover as people leave beside cost
against the budget. For directors the FTE that fewer than k people fill, or held before
leaving, is not drawn (`RoadmapShown.tier_hidden`): the bar reads "<k"."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from planner.analyses.roadmap import TIERS, YearSummary
from planner.core.formatting import fte, money, pct
from planner.reports.charts import (
    FILLED,
    MEAN_COLOUR,
    VACANT,
    Chart,
    figure,
    styled,
    to_svg,
)
from planner.reports.excel_sheets import TIERS as TIER_LEVELS
from planner.reports.roadmap_files import RoadmapShown

LOST = {"color": "#ffffff", "hatch": "xx", "edgecolor": "#555555", "linewidth": 0.8,
        "label": "FTE lost to leaving"}
BUDGET_COLOUR = "#111111"
BAR = 0.38  # width of a bar; a year holds two side by side


def roadmap_charts(shown: RoadmapShown) -> list[Chart]:
    """The roadmap's charts in reading order; a chart with no data is left out."""
    made = (tier_chart(shown), cover_cost_chart(shown))
    return [chart for chart in made if chart is not None]


@styled
def tier_chart(shown: RoadmapShown) -> Chart | None:
    """One panel per saliency tier: each year's FTE filled (solid), to recruit (hatched,
    on top) and lost to leaving since the year before (crossed, beside)."""
    years = shown.roadmap.years
    if not years:
        return None
    fig = figure(6.8, 2.9)
    axes = fig.subplots(1, len(TIERS), sharey=True)
    parts = []
    for ax, tier in zip(axes, TIERS, strict=True):
        parts.append(_tier_panel(ax, tier, years, shown))
    axes[0].set_ylabel("FTE")
    fig.legend(handles=[_patch(style) for style in (FILLED, VACANT, LOST)],
               loc="outside upper center", ncols=3, fontsize=8)
    title = "FTE by saliency tier and year"
    caption = ("Each year's FTE per saliency tier (how central self-disclosure is): solid, "
               "filled by staff; hatched on top, positions to recruit; crossed beside, FTE "
               "lost to people leaving since the year before.")
    if shown.director and any(shown.tier_hidden(y.year, t.tier) != (False, False)
                              for y in years for t in y.tiers):
        caption += (f" Where fewer than {shown.k} people fill (or held) a tier's FTE, it is "
                    f"not drawn and reads <{shown.k}.")
    return Chart("chart-roadmap-tiers", title, caption, f"{title}. " + "; ".join(parts) + ".",
                 to_svg(fig, "chart-roadmap-tiers", title))


def _tier_panel(ax: Axes, tier: str, years: tuple[YearSummary, ...],
                shown: RoadmapShown) -> str:
    """Draw one tier's bars; return the panel as text."""
    hidden_mark = f"<{shown.k}"
    words = []
    for x, year in enumerate(years):
        cell = next(t for t in year.tiers if t.tier == tier)
        filled_hidden, lost_hidden = shown.tier_hidden(year.year, tier)
        filled = 0.0 if filled_hidden else cell.filled_fte
        ax.bar(x - BAR / 2, filled, BAR, **_unlabelled(FILLED))
        if cell.to_recruit_fte:
            ax.bar(x - BAR / 2, cell.to_recruit_fte, BAR, bottom=filled, **_unlabelled(VACANT))
        if cell.lost_fte and not lost_hidden:
            ax.bar(x + BAR / 2, cell.lost_fte, BAR, **_unlabelled(LOST))
        marks = ((-BAR / 2, cell.to_recruit_fte, filled_hidden),  # above what is drawn
                 (BAR / 2, 0.0, lost_hidden and cell.lost_fte))
        for dx, height, hide in marks:
            if hide:
                ax.annotate(hidden_mark, (x + dx, height), xytext=(0, 2),
                            textcoords="offset points", ha="center", va="bottom", fontsize=7)
        words.append(f"year {year.year} {hidden_mark if filled_hidden else fte(filled)} "
                     f"filled, {fte(cell.to_recruit_fte)} to recruit, "
                     f"{hidden_mark if lost_hidden else fte(cell.lost_fte)} lost")
    ax.set_xticks(range(len(years)), [f"year {y.year}" for y in years])
    ax.set_title(f"{tier} ({dict(TIER_LEVELS)[tier]})", loc="left")
    return f"{tier} saliency: " + ", ".join(words)


def _patch(style: dict) -> Patch:
    """A legend key in a bar's style (a patch's `color` would override its edge colour)."""
    keys = {key: value for key, value in style.items() if key != "color"}
    return Patch(facecolor=style["color"], **keys)


def _unlabelled(style: dict) -> dict:
    """A bar style without its legend label: the figure's legend names each style once."""
    return {key: value for key, value in style.items() if key != "label"}


@styled
def cover_cost_chart(shown: RoadmapShown) -> Chart | None:
    """Left: each year's demand covered with recruitment, and its range as people leave
    (5th to 95th percentile, median dot). Right: each year's cost against its budget."""
    years = shown.roadmap.years
    if not years:
        return None
    fig = figure(6.8, 2.6)
    cover, cost = fig.subplots(1, 2)
    xs = list(range(len(years)))
    labels = [f"year {y.year}" for y in years]
    _cover_panel(cover, xs, years)
    _cost_panel(cost, xs, years)
    for ax in (cover, cost):
        ax.set_xticks(xs, labels)
        ax.set_xlim(-0.6, len(years) - 0.4)
    title = "Cover as people leave, and cost against the budget"
    parts = [f"year {y.year}: planned {pct(y.planned_coverage)}, as people leave "
             f"{pct(y.cover_range[0])}–{pct(y.cover_range[2])} (median "
             f"{pct(y.cover_range[1])}); cost {money(y.cost)}"
             + (f" of a budget of {money(y.budget)}" if y.budget is not None else "")
             for y in years]
    return Chart("chart-roadmap-cover", title,
                 "Left: the share of demand covered with recruitment as planned (square) and "
                 "as people leave within the year (line: 5th to 95th percentile of sampled "
                 "leaving patterns; dot: median). Right: each year's cost (bars) and budget "
                 "(black line).",
                 f"{title}. " + "; ".join(parts) + ".",
                 to_svg(fig, "chart-roadmap-cover", title))


def _cover_panel(ax: Axes, xs: list[int], years: tuple[YearSummary, ...]) -> None:
    low = [100 * y.cover_range[0] for y in years]
    mid = [100 * y.cover_range[1] for y in years]
    high = [100 * y.cover_range[2] for y in years]
    ax.vlines(xs, low, high, color=FILLED["color"], linewidth=3, label="as people leave")
    ax.plot(xs, mid, "o", color=FILLED["color"])
    ax.plot(xs, [100 * y.planned_coverage for y in years], "s", color=MEAN_COLOUR,
            fillstyle="none", markersize=8, label="as planned")
    ax.set_ylim(0, 100)  # from zero: a small change looks small
    ax.set_title("Demand covered (%)", loc="left")
    _legend_below(ax)


def _legend_below(ax: Axes) -> None:
    """Under the axis, clear of the bars and points."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2, fontsize=8)


def _cost_panel(ax: Axes, xs: list[int], years: tuple[YearSummary, ...]) -> None:
    ax.bar(xs, [y.cost for y in years], 0.6, color=FILLED["color"], label="cost")
    budgets = [(x, y.budget) for x, y in zip(xs, years, strict=True) if y.budget is not None]
    if budgets:
        ax.hlines([b for _, b in budgets], [x - 0.4 for x, _ in budgets],
                  [x + 0.4 for x, _ in budgets], color=BUDGET_COLOUR, linewidth=2,
                  label="budget")
        _legend_below(ax)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _compact(value)))
    ax.set_title("Cost a year", loc="left")


def _compact(amount: float) -> str:
    """An axis label: 1,800,000 -> '1.8M', 250,000 -> '250k'."""
    if abs(amount) >= 1e6:
        return f"{amount / 1e6:g}M"
    return f"{amount / 1e3:g}k" if abs(amount) >= 1e3 else f"{amount:g}"
