"""The HTML report's charts: matplotlib figures rendered to inline, reproducible SVG.

Each chart comes with a title, a caption and a text alternative. Two compared series
(filled and vacant) differ by hatching and labels as well as colour, so the meaning never
rests on colour alone. In a director's view (`Plan.audience`) no bar stands for fewer than
k people: the FTE a small group fills is not drawn, and the score histograms merge bands.
SVG text stays text (`svg.fonttype: none`): searchable, and sharp in print. A fixed hash
salt per chart and no date make the output byte-for-byte reproducible, and keep the ids of
several inline SVGs apart.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib
from markupsafe import Markup, escape
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from planner.core.audience import Audience, privacy_k
from planner.core.formatting import fte, join_words, points
from planner.core.results import Plan, RoleInfo, ServiceOutcome

TOP_SERVICES = 20
TIERS = ("low", "middle", "high")
SCORE_BANDS = tuple(range(0, 101, 10))  # histogram bands of 10 points, 0-100
MEAN_COLOUR = "#d55e00"  # vermillion: visible on the bars and on white
FILLED = {"color": "#1f5f99", "label": "Filled FTE"}
VACANT = {"color": "#f2b134", "hatch": "///", "edgecolor": "#7a5200", "linewidth": 0.6,
          "label": "FTE to recruit"}
STYLE = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "hatch.linewidth": 0.6,
    "legend.frameon": False,
}
_SIZE_ATTRS = re.compile(r'\s(width|height)="[^"]*"')


@dataclass(frozen=True)
class Chart:
    """One figure of the report: `svg` is inline markup, `description` its text equivalent."""

    key: str
    title: str
    caption: str
    description: str
    svg: Markup


def styled(make: Callable[..., Chart | None]) -> Callable[..., Chart | None]:
    """Build a chart under the report's matplotlib style (not the global rcParams)."""

    @functools.wraps(make)
    def styled(*args: Any, **kwargs: Any) -> Chart | None:
        with matplotlib.rc_context(STYLE):
            return make(*args, **kwargs)

    return styled


def report_charts(plan: Plan) -> list[Chart]:
    """The report's charts, in reading order; a chart with no data is left out."""
    makers = (role_mix_by_tier, role_mix_by_track, demand_by_service, score_distribution)
    return [chart for chart in (make(plan) for make in makers) if chart is not None]


@styled
def role_mix_by_tier(plan: Plan) -> Chart | None:
    """FTE filled and to recruit per saliency tier: the menu of disclosure levels."""
    filled, vacant = _fte_by(plan, _tier)
    if not filled and not vacant:
        return None
    return _filled_vacant_chart(
        plan, _tier, TIERS, [f"{t} ({_tier_range(t)})" for t in TIERS], (filled, vacant),
        2.6, "chart-tier", "Role mix by saliency tier",
        "FTE per saliency tier (how central self-disclosure is): solid bars are filled by "
        "current staff, hatched bars are positions to recruit.",
        unit=" FTE", ylabel="saliency tier",
    )


@styled
def role_mix_by_track(plan: Plan) -> Chart | None:
    """FTE filled and to recruit per career track (or topic area when no track is set)."""
    filled, vacant = _fte_by(plan, _track)
    small = small_groups(plan, _track, set(filled) | set(vacant))
    # largest first, by what the chart shows: the order must not rank a hidden group
    tracks = sorted(set(filled) | set(vacant),
                    key=lambda t: (-((0.0 if t in small else filled[t]) + vacant[t]), t))
    if not tracks:
        return None
    return _filled_vacant_chart(
        plan, _track, tracks, [short(t, 34) for t in tracks], (filled, vacant),
        0.9 + 0.3 * len(tracks), "chart-track", "Role mix by career track",
        "FTE per career track (the role's topic area where no track is given), largest "
        "first; hatched: to recruit.",
    )


def _filled_vacant_chart(
    plan: Plan, group: Callable[[RoleInfo], str], keys: Sequence[str], labels: list[str],
    fte_by: tuple[Mapping[str, float], Mapping[str, float]], height: float, key: str,
    title: str, caption: str, unit: str = "", ylabel: str = "",
) -> Chart:
    """One bar per key (a `group` of roles), filled (solid) and to recruit (hatched), with
    its text twin. For directors the FTE that fewer than k people fill is left out (it
    gives their number)."""
    filled, vacant = fte_by
    small = small_groups(plan, group, keys)
    shown = {k: 0.0 if k in small else filled[k] for k in keys}
    fig = figure(6.4, height)
    ax = fig.add_subplot()
    _stacked_bars(ax, labels, [shown[k] for k in keys], [vacant[k] for k in keys],
                  hidden=[k in small for k in keys], k=privacy_k(plan))
    ax.set_xlabel("FTE")
    if ylabel:
        ax.set_ylabel(ylabel)
    parts = [f"{k}: {_filled_text(k, shown[k], small, plan)}{unit} filled, "
             f"{fte(vacant[k])} to recruit" for k in keys]
    if small:
        caption += (f" Where fewer than {privacy_k(plan)} people fill a group, their FTE "
                    f"is not drawn.")
    return Chart(key, title, caption, f"{title}. " + "; ".join(parts) + ".",
                 to_svg(fig, key, title))


def _filled_text(group: str, value: float, small: set[str], plan: Plan) -> str:
    return f"by fewer than {privacy_k(plan)} people" if group in small else fte(value)


def small_groups(plan: Plan, group: Callable[[RoleInfo], str], keys: Iterable[str]
                 ) -> set[str]:
    """For a director's view, the groups of roles (a tier, a track) among `keys` that 1 to
    k - 1 people fill."""
    if plan.audience != Audience.DIRECTOR.value:
        return set()
    roles = {r.role_id: r for r in plan.roles}
    people: defaultdict[str, int] = defaultdict(int)
    for cell in plan.role_mix:
        if cell.role_id in roles:
            people[group(roles[cell.role_id])] += cell.filled_positions
    return {k for k in keys if 0 < people[k] < privacy_k(plan)}


@styled
def demand_by_service(plan: Plan, top: int = TOP_SERVICES) -> Chart | None:
    """Demand against filled and vacant FTE per service (the largest `top` by demand)."""
    if not plan.services:
        return None
    shown = sorted(plan.services, key=lambda s: (-s.demand_fte, s.service_id))[:top]
    fig = figure(6.8, 1.0 + 0.28 * len(shown))
    ax = fig.add_subplot()
    labels = [f"{short(s.name, 40)} ({s.service_id})" if s.name else s.service_id
              for s in shown]
    _stacked_bars(ax, labels, [s.filled_fte for s in shown], [s.vacant_fte for s in shown],
                  annotate=False)
    ax.scatter([s.demand_fte for s in shown], range(len(shown)), marker="|", s=260,
               linewidths=2, color="#111111", label="Demand FTE", zorder=3)
    ax.set_xlabel("FTE")
    ax.legend(loc="lower right", ncols=3, bbox_to_anchor=(1, 1.0))
    subset = (f"The {len(shown)} services with the largest demand of {len(plan.services)}; "
              f"the table of services lists all. " if len(plan.services) > top else "")
    return Chart(
        "chart-demand", "Demand and filled FTE by service",
        f"{subset}Black tick: demand; solid: filled by current staff; hatched: to recruit.",
        "Demand and FTE by service, largest demand first. " + _service_description(shown),
        to_svg(fig, "chart-demand", "Demand and filled FTE by service"),
    )


@styled
def score_distribution(plan: Plan) -> Chart | None:
    """Histograms of fit and autonomy (0-100) over the placements. For directors no bar
    counts fewer than k placements (`score_bands` merges them); with fewer than k
    placements in all there is no chart."""
    if not plan.assignments:
        return None
    least = privacy_k(plan) if plan.audience == Audience.DIRECTOR.value else 1
    scores = {"Fit": [a.fit for a in plan.assignments],
              "Autonomy": [a.autonomy for a in plan.assignments]}
    bands = {name: score_bands(values, least) for name, values in scores.items()}
    if any(edges is None for edges in bands.values()):
        return None
    fig = figure(6.8, 2.5)
    axes = fig.subplots(1, 2, sharey=True)
    for ax, (name, values) in zip(axes, scores.items(), strict=True):
        _histogram(ax, name, values, bands[name] or list(SCORE_BANDS))
    axes[0].set_ylabel("placements")
    merged = any(len(edges or ()) < len(SCORE_BANDS) for edges in bands.values())
    caption = ("How many placements score in each band of 10 points (0–100); the dashed line "
               "marks the mean.")
    if least > 1:
        caption += (f" Bands with fewer than {least} placements are merged with their "
                    f"neighbours{', so some bars are wider' if merged else ''}: no bar counts "
                    f"fewer than {least}.")
    return Chart(
        "chart-scores", "Distribution of fit and autonomy", caption,
        f"Histograms of {len(plan.assignments)} placements: mean fit "
        f"{points(_mean(scores['Fit']))}, mean autonomy {points(_mean(scores['Autonomy']))} "
        f"(of 100).",
        to_svg(fig, "chart-scores", "Distribution of fit and autonomy"),
    )


def score_bands(values: Sequence[float], least: int) -> list[int] | None:
    """Band edges for a histogram of 0-100 scores: bands of 10 points, where a band holding
    1 to least - 1 values is merged with the next until it holds at least `least` (a rest
    at the top with the bands before it). Empty bands stay: they count nobody. None when
    there are fewer than `least` values in all."""
    bands: list[tuple[int, int, int]] = []  # (low, high, values in it)
    low, held = SCORE_BANDS[0], 0
    for start, high in itertools.pairwise(SCORE_BANDS):
        held += sum(1 for v in values if start <= v < high or v == high == SCORE_BANDS[-1])
        if held == 0 or held >= least:
            bands.append((low, high, held))
            low, held = high, 0
    while 0 < held < least and bands:  # a small rest at the top joins the bands below
        low, _, before = bands.pop()
        held += before
    if held:
        if held < least:
            return None
        bands.append((low, SCORE_BANDS[-1], held))
    return [band[0] for band in bands] + [SCORE_BANDS[-1]]


def _histogram(ax: Axes, name: str, values: list[float], edges: list[int]) -> None:
    counts, _, bars = ax.hist(values, bins=edges, color=FILLED["color"], edgecolor="white")
    # each bar says how many it counts: a merged, wider band is not read by its area
    ax.bar_label(bars, labels=[f"{n:.0f}" if n else "" for n in counts], fontsize=7)
    mean = _mean(values)
    ax.axvline(mean, color=MEAN_COLOUR, linestyle="--", linewidth=1.6)
    ax.set_title(f"{name} (mean {points(mean)}, dashed)", loc="left")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("points (0–100)")
    ax.set_xlim(0, 100)


def _stacked_bars(ax: Axes, labels: list[str], filled: list[float], vacant: list[float],
                  annotate: bool = True, hidden: Sequence[bool] = (), k: int = 0) -> None:
    """Horizontal bars: filled (solid) then vacant (hatched), totals labelled at the end;
    a `hidden` row's filled FTE is not drawn and reads "<k people"."""
    rows = range(len(labels))
    hidden = list(hidden) or [False] * len(labels)
    ax.barh(rows, filled, height=0.6, **FILLED)
    recruit = [row for row in rows if vacant[row] > 0]  # no edge line on empty bars
    ax.barh(recruit, [vacant[r] for r in recruit], left=[filled[r] for r in recruit],
            height=0.6, **VACANT)
    ax.set_yticks(list(rows), [plain(label) for label in labels])
    ax.invert_yaxis()  # first label on top, in reading order
    if annotate:
        for row, (f, v) in enumerate(zip(filled, vacant, strict=True)):
            text = f"<{k} people" if hidden[row] else f"{fte(f)}"
            text += f" + {fte(v)} to recruit" if v else ""
            ax.annotate(text, (f + v, row), xytext=(4, 0), textcoords="offset points",
                        va="center", fontsize=8)
        ax.margins(x=0.25)
        ax.legend(loc="lower right", ncols=2, bbox_to_anchor=(1, 1.0))


def _fte_by(
    plan: Plan, key: Callable[[RoleInfo], str]
) -> tuple[defaultdict[str, float], defaultdict[str, float]]:
    roles = {r.role_id: r for r in plan.roles}
    filled: defaultdict[str, float] = defaultdict(float)
    vacant: defaultdict[str, float] = defaultdict(float)
    for cell in plan.role_mix:
        role = roles.get(cell.role_id)
        if role is None:
            continue
        filled[key(role)] += cell.filled_fte
        vacant[key(role)] += cell.vacant_fte
    return filled, vacant


def _tier(role: RoleInfo) -> str:
    return role.tier


def _track(role: RoleInfo) -> str:
    if role.career_track:
        return role.career_track
    if role.topics:
        return join_words([t.replace("_", " ") for t in role.topics])
    return "generic peer support"


def _tier_range(tier: str) -> str:
    return {"low": "1–2", "middle": "3", "high": "4–5"}[tier]


def _service_description(shown: list[ServiceOutcome]) -> str:
    return "; ".join(
        f"{s.service_id}: demand {fte(s.demand_fte)}, filled {fte(s.filled_fte)}, "
        f"to recruit {fte(s.vacant_fte)}" for s in shown
    ) + "."


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plain(text: str) -> str:
    """Matplotlib reads `$…$` as mathtext; a name is plain text."""
    return text.replace("$", r"\$")


def figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def to_svg(fig: Figure, key: str, label: str) -> Markup:
    """Inline SVG: no XML prolog or metadata, sized by CSS, ids unique to this chart."""
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": f"peer-planner-{key}"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None,
                                                  "Format": None, "Type": None})
    svg = _prefix_ids(buf.getvalue(), key)
    head, rest = svg[svg.index("<svg"):].split(">", 1)
    head = _SIZE_ATTRS.sub("", head, count=2)
    described = f'aria-describedby="{key}-text"'
    # matplotlib escapes every text it writes, so the SVG is safe to inline as markup
    return Markup(f'{head} role="img" aria-label="{escape(label)}" {described}>{rest}')


def _prefix_ids(svg: str, prefix: str) -> str:
    """Several SVGs share one HTML document: give each one's ids its own prefix."""
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    return re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)
