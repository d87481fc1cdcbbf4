"""The portfolio of a batch: one row per organisation and scenario, and a few sentences
across the organisations (pure functions of plans and rows).

    row = plan_row("North trust", "baseline", "north-trust/baseline", plan, Audience.HR, 80)
    portfolio = make_portfolio(rows, Audience.HR, time_limit=10)

A row holds figures of the whole organisation only: coverage, fit and autonomy, saliency
tiers and high-saliency positions, lone peers, cost against budget, status and gap. It is
made for the batch's audience where the plan is made (README, Privacy): for directors
each count of people from 1 to k-1 reads "<k" (`people_count`, with the plan's own k),
a share worked out from such a count is left out, and the reason a plan could not be made
names no person. So a director's portfolio holds aggregates only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from statistics import mean

from planner.core.audience import DEFAULT_K, Audience, people_count, privacy_k, view_for
from planner.core.errors import PlannerError, Severity, ValidationError
from planner.core.formatting import by_unit, join_words, plural, signed
from planner.core.results import Plan, Repeats, Status
from planner.core.version import __version__
from planner.workbook.scenario_sheet import BASELINE

INVALID = "invalid"  # the workbook, or a scenario on it, cannot be planned: its reason says why
FAILED = "failed"  # the task itself failed, as often as it was tried: its error says how
HIGH_TIER = "high"  # roles of saliency 4-5 (`results.RoleInfo.tier`)
FEW_HIGH_SHARE = 0.10  # high-saliency positions under this share of all: short of them
SMALL_FTE = 0.05  # unmet demand below this is none
NAMED = 4  # organisations a sentence names before "and N more"
REASON_CHARS = 600  # a reason longer than this is cut (the workbook's errors: planner validate)


@dataclass(frozen=True)
class PortfolioRow:
    """One organisation × scenario. Figures are None where there is no plan."""

    org: str
    scenario: str
    folder: str  # its files, under the output folder ("" when none were written)
    status: str  # optimal, feasible, unknown, infeasible, invalid or failed
    reason: str = ""  # why it has no plan (conflicts, the workbook's errors, the failure)
    staff: int | str | None = None  # PSWs on the staff ("<k" for directors)
    coverage: float | None = None
    planned_coverage: float | None = None  # with the positions to recruit
    unmet_fte: float | None = None  # demand neither filled nor recruited for
    mean_fit: float | None = None
    mean_autonomy: float | None = None
    tiers_offered: int | None = None  # of low, middle and high saliency
    high_positions: int | str | None = None  # in high-saliency roles, filled or to recruit
    high_share: float | None = None  # of all positions
    lone_peers: int | None = None  # services with a single peer worker
    cost: float | None = None
    budget: float | None = None
    budget_share: float | None = None  # cost / budget
    budget_unmet_fte: float | None = None  # unmet demand where the budget is what binds
    gap: float | None = None
    currency: str | None = None
    k: int = DEFAULT_K
    seconds: float | None = None  # the task's time on its worker
    attempts: int = 1
    repeats: bool = False  # reproducible, no search cut by the clock (`Plan.repeats`)

    @property
    def planned(self) -> bool:
        return self.coverage is not None


@dataclass(frozen=True)
class Portfolio:
    planner_version: str
    audience: str
    time_limit: float | None  # seconds per plan (None: each Policy's)
    scenarios: str  # where the scenarios came from
    rows: tuple[PortfolioRow, ...]
    narrative: tuple[str, ...]

    @property
    def k(self) -> int:
        """The largest privacy threshold among the plans (their Policy's k)."""
        return max((row.k for row in self.rows), default=DEFAULT_K)


def plan_row(org: str, scenario: str, folder: str, plan: Plan, audience: Audience,
             staff: int) -> PortfolioRow:
    """The row of one plan, for `audience`."""
    audience, k = Audience(audience), privacy_k(plan)
    reason = "; ".join(view_for(plan, audience).conflicts)
    row = PortfolioRow(org, scenario, folder, plan.status.value, reason,
                       staff=people_count(staff, k, audience), gap=plan.gap,
                       currency=plan.policy.get("currency"), k=k, repeats=plan.repeats)
    kpis = plan.kpis
    if kpis is None:
        return row
    high, positions = _positions(plan)
    shown_high = people_count(high, k, audience)
    budget = kpis.budget
    return replace(
        row, coverage=kpis.coverage, planned_coverage=kpis.planned_coverage,
        unmet_fte=round(kpis.demand_fte - kpis.filled_fte - kpis.vacant_fte, 2),
        mean_fit=kpis.mean_fit, mean_autonomy=kpis.mean_autonomy,
        tiers_offered=kpis.saliency_tiers_offered, high_positions=shown_high,
        high_share=(round(high / positions, 4) if positions and isinstance(shown_high, int)
                    else None),
        lone_peers=kpis.lone_peers, cost=kpis.cost, budget=budget,
        budget_share=round(kpis.cost / budget, 4) if budget else None,
        budget_unmet_fte=round(sum(s.unmet_fte for s in plan.services
                                   if s.shortfall_cause == "budget"), 2))


def invalid_row(org: str, scenario: str, error: PlannerError,
                audience: Audience) -> PortfolioRow:
    """A workbook (or a scenario on it) that cannot be planned, with its reason. For
    directors a workbook's errors are counted, not quoted (a cell's value may be
    personal)."""
    if isinstance(error, ValidationError) and Audience(audience) is Audience.DIRECTOR:
        errors = sum(1 for issue in error.issues if issue.severity is Severity.ERROR)
        reason = (f"{plural(errors, 'error')} in the workbook or its scenarios; "
                  "`planner validate` lists them")
    else:
        reason = "; ".join(line.strip() for line in str(error).splitlines())
    return PortfolioRow(org, scenario, "", INVALID, _cut(reason))


def failed_row(org: str, scenario: str, error: str, attempts: int) -> PortfolioRow:
    """A task that failed each time it was tried (its worker died, or it raised)."""
    return PortfolioRow(org, scenario, "", FAILED, _cut(error), attempts=attempts)


def make_portfolio(rows: Sequence[PortfolioRow], audience: Audience,
                   time_limit: float | None, scenarios: str) -> Portfolio:
    return Portfolio(__version__, Audience(audience).value, time_limit, scenarios,
                     tuple(rows), tuple(portfolio_narrative(rows)))


def portfolio_to_json(portfolio: Portfolio) -> str:
    """`portfolio.json`: the rows as their audience may see them, keys in a stable order."""
    return json.dumps(asdict(portfolio) | {"k": portfolio.k}, indent=2,
                      ensure_ascii=False) + "\n"


def row_from_json(values: dict) -> PortfolioRow:
    """A row written by `asdict`, read back (unknown keys of another version dropped)."""
    known = {f.name for f in fields(PortfolioRow)}
    return PortfolioRow(**{key: value for key, value in values.items() if key in known})


# -- the narrative -----------------------------------------------------------------------------


def portfolio_narrative(rows: Sequence[PortfolioRow]) -> list[str]:
    """What was planned, the range of coverage, who is short of high-saliency roles,
    where the budget binds most, what each scenario does on average, what failed."""
    baselines = [r for r in rows if r.scenario == BASELINE and r.planned]
    sentences = [_counts_sentence(rows)]
    repeating = _repeats_sentence(rows)
    sentences += [repeating] if repeating else []
    if baselines:
        sentences += [_coverage_sentence(baselines), _high_saliency_sentence(baselines),
                      _budget_sentence(baselines)]
    sentences += _scenario_sentences(rows)
    not_planned = _not_planned_sentence(rows)
    return sentences + ([not_planned] if not_planned else [])


def _counts_sentence(rows: Sequence[PortfolioRow]) -> str:
    orgs = len({r.org for r in rows})
    planned = [r for r in rows if r.planned]
    optimal = sum(r.status == Status.OPTIMAL.value for r in planned)
    others = [plural(n, status, status) for status in (Status.INFEASIBLE.value, INVALID, FAILED)
              if (n := sum(r.status == status for r in rows))]
    return (f"{plural(orgs, 'organisation')}, {plural(len(rows), 'plan')}: "
            f"{len(planned)} planned ({optimal} proven optimal)"
            + (f", {join_words(others)}" if others else "") + ".")


def _repeats_sentence(rows: Sequence[PortfolioRow]) -> str | None:
    """How many plans repeat (`planner batch --reproducible`), when any do."""
    planned = [r for r in rows if r.planned]
    return Repeats(sum(r.repeats for r in planned), len(planned)).sentence(
        "workbooks, scenarios and seed", "machines like these")


def _coverage_sentence(baselines: Sequence[PortfolioRow]) -> str:
    ordered = sorted(baselines, key=lambda r: (r.planned_coverage or 0.0, r.org))
    low, high = ordered[0], ordered[-1]
    if len(ordered) == 1:
        return (f"{low.org} covers {by_unit(low.planned_coverage, 'share')} of its demand with "
                "recruitment.")
    return (f"Coverage with recruitment ranges from {by_unit(low.planned_coverage, 'share')} "
            f"({low.org}) to {by_unit(high.planned_coverage, 'share')} ({high.org}) in the "
            f"baselines; by current staff alone from "
            f"{by_unit(min(r.coverage or 0.0 for r in baselines), 'share')} to "
            f"{by_unit(max(r.coverage or 0.0 for r in baselines), 'share')}.")


def _high_saliency_sentence(baselines: Sequence[PortfolioRow]) -> str:
    """Organisations whose plan offers few roles that ask people to draw on their lived
    experience openly (saliency 4-5): fewer than k, or under FEW_HIGH_SHARE of positions."""
    short = [r for r in baselines if _few_high(r)]
    if not short:
        return (f"Every organisation's baseline offers high-saliency roles in at least "
                f"{by_unit(FEW_HIGH_SHARE, 'share')} of its positions.")
    named = [f"{r.org} ({_high_words(r)})" for r in
             sorted(short, key=lambda r: (r.high_share if r.high_share is not None else -1, r.org))]
    return (f"Short of high-saliency roles (saliency 4–5, under "
            f"{by_unit(FEW_HIGH_SHARE, 'share')} of positions): {join_words(named, NAMED)}.")


def _few_high(row: PortfolioRow) -> bool:
    if isinstance(row.high_positions, str):  # "<k": fewer than k positions
        return True
    return row.high_positions == 0 or (row.high_share is not None
                                       and row.high_share < FEW_HIGH_SHARE)


def _high_words(row: PortfolioRow) -> str:
    if isinstance(row.high_positions, str):
        return f"fewer than {row.high_positions[1:]} positions"
    if not row.high_positions:
        return "none"
    return f"{plural(row.high_positions, 'position')}, {by_unit(row.high_share, 'share')}"


def _budget_sentence(baselines: Sequence[PortfolioRow]) -> str:
    bound = sorted((r for r in baselines if (r.budget_unmet_fte or 0.0) >= SMALL_FTE),
                   key=lambda r: (-(r.budget_unmet_fte or 0.0), r.org))
    if not bound:
        return "No baseline leaves demand unmet for want of budget."
    named = [f"{r.org} ({by_unit(r.budget_unmet_fte, 'fte')} FTE unmet"
             + (f", {by_unit(r.budget_share, 'share')} of the budget spent)"
                if r.budget_share is not None else ")") for r in bound]
    return f"The budget binds most at {join_words(named, NAMED)}."


def _scenario_sentences(rows: Sequence[PortfolioRow]) -> list[str]:
    """Per scenario name planned in two organisations or more: its mean change of
    coverage with recruitment against each one's baseline."""
    base = {r.org: r for r in rows if r.scenario == BASELINE and r.planned}
    changes: dict[str, list[float]] = {}
    for r in rows:
        if r.scenario != BASELINE and r.planned and r.org in base:
            changes.setdefault(r.scenario, []).append(
                (r.planned_coverage or 0.0) - (base[r.org].planned_coverage or 0.0))
    return [f"{name} changes coverage with recruitment by {signed(mean(deltas), 'share')} on "
            f"average across {plural(len(deltas), 'organisation')}."
            for name, deltas in changes.items() if len(deltas) > 1]


def _not_planned_sentence(rows: Sequence[PortfolioRow]) -> str | None:
    missing = [r for r in rows if r.status in (INVALID, FAILED)]
    if not missing:
        return None
    named = [f"{r.org}" + ("" if r.scenario == BASELINE else f" / {r.scenario}")
             + f" ({r.status})" for r in missing]
    return (f"No plan for {join_words(named, NAMED)}: the reasons are in the table.")


# -- helpers -----------------------------------------------------------------------------------


def _positions(plan: Plan) -> tuple[int, int]:
    """Positions in high-saliency roles, and in all roles: filled and to recruit."""
    tiers = {role.role_id: role.tier for role in plan.roles}
    cells = [(tiers.get(c.role_id), c.filled_positions + c.vacant_positions)
             for c in plan.role_mix]
    return (sum(n for tier, n in cells if tier == HIGH_TIER), sum(n for _, n in cells))


def _cut(text: str) -> str:
    return text if len(text) <= REASON_CHARS else text[:REASON_CHARS - 1] + "…"


@dataclass(frozen=True)
class Figure:
    """A figure of the portfolio's rows: its key in PortfolioRow, label, unit (as
    `formatting.by_unit` reads it) and meaning."""

    key: str
    label: str
    unit: str
    meaning: str


FIGURES = (
    Figure("staff", "Staff", "people", "Peer support workers on the staff"),
    Figure("coverage", "Coverage", "share", "Share of the demand current staff fill"),
    Figure("planned_coverage", "With recruitment", "share",
           "Share of the demand covered once the positions to recruit are filled too"),
    Figure("unmet_fte", "Unmet FTE", "fte", "Demand neither filled nor recruited for"),
    Figure("mean_fit", "Mean fit", "points", "How well people suit their placements, 0–100"),
    Figure("mean_autonomy", "Mean autonomy", "points", "How much say people have, 0–100"),
    Figure("tiers_offered", "Saliency tiers", "count",
           "Of the three tiers of roles (low, middle, high saliency), how many the plan offers"),
    Figure("high_positions", "High-saliency positions", "people",
           "Positions in roles of saliency 4–5, filled or to recruit"),
    Figure("high_share", "High-saliency share", "share", "Their share of all positions"),
    Figure("lone_peers", "Lone-peer services", "count",
           "Services where the plan places a single peer worker"),
    Figure("cost", "Cost", "money", "What the plan costs a year, in the Policy's currency"),
    Figure("budget", "Budget", "money", "The Policy's annual budget (blank: no limit)"),
    Figure("budget_share", "Cost / budget", "share", "The share of the budget the plan spends"),
    Figure("budget_unmet_fte", "Unmet for budget (FTE)", "fte",
           "Unmet demand in services where the budget is what stops more"),
    Figure("gap", "Gap", "share", "How far from proven optimal the plan may be"),
)
