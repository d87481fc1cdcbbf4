"""The rows of a comparison: measures side by side, and who moves (pure functions of Plans).

A `Measure` holds one value per plan (the baseline first) and its change against the
baseline; `count` (see `people_counter`) shows each count of people as its audience may see
it, and a suppressed count ("<k") gets no change, so that it cannot be worked back.
A plan without a solution (infeasible) has no values, not zeros.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, fields

from planner.core.audience import Audience, people_count
from planner.core.kpis import KPIS
from planner.core.results import Kpis, Plan, RoleInfo, RoleMixCell

PositionKey = Callable[[RoleInfo, RoleMixCell], Hashable]
Value = int | float | str | None  # str: a count of people shown as "<k", or a status
Count = Callable[[int | None], Value]
NOT_PLACED = "not placed"
NEW_PERSON = "new in the scenario"  # a person a scenario adds (add_row): no baseline place
REMOVED_PERSON = "removed by the scenario"  # a person a scenario removes
TIER_LABELS = {"low": "low (saliency 1–2)", "middle": "middle (3)", "high": "high (4–5)"}
# The KPIs compared, in reading order; labels, meanings and units come from `core.kpis`.
KPI_KEYS = ("coverage", "planned_coverage", "mean_fit", "mean_autonomy", "top_choice_share",
            "cost", "budget", "filled_fte", "vacant_fte", "vacancies", "placed", "unassigned",
            "lone_peers", "saliency_tiers_offered", "saliency_levels_offered",
            "stretch_placements", "moves", "supervisors")


@dataclass(frozen=True)
class Measure:
    """One row of a side-by-side table: a value per scenario and its change vs the baseline."""

    key: str
    label: str
    unit: str  # share, points, money, fte, count, people, number or text
    values: tuple[Value, ...]  # baseline first
    deltas: tuple[float | None, ...]  # the baseline's is None; None when not comparable
    meaning: str = ""
    group: str = ""  # the role, service or tier a row belongs to

    @property
    def changed(self) -> bool:
        return any(d for d in self.deltas)


@dataclass(frozen=True)
class Position:
    role_id: str
    service_id: str


@dataclass(frozen=True)
class Move:
    """One person placed differently in a scenario than in the baseline (HR only)."""

    scenario: str
    psw_id: str
    name: str
    before: tuple[Position, ...]  # () = not placed
    after: tuple[Position, ...]
    new: bool = False  # not in the baseline: the scenario adds them
    removed: bool = False  # not in the scenario: it removes them


@dataclass(frozen=True)
class Flow:
    """How many people move from one role (or none) to another in a scenario."""

    scenario: str
    before: str  # role title, or "not placed"
    after: str
    people: int | str


def measure(key: str, label: str, unit: str, values: list[Value], meaning: str = "",
            group: str = "") -> Measure:
    """A Measure with its changes against the first value (None where not comparable)."""
    base = values[0]
    deltas: list[float | None] = [None]
    for value in values[1:]:
        numbers = isinstance(base, int | float) and isinstance(value, int | float)
        deltas.append(round(value - base, 6) if numbers else None)  # type: ignore[operator]
    return Measure(key, label, unit, tuple(values), tuple(deltas), meaning, group)


def kpi_measures(plans: Mapping[str, Plan], moves: tuple[Move, ...],
                 count: Count) -> tuple[Measure, ...]:
    """Each KPI across the plans, then people moved, the objective, gap and status."""
    rows = []
    kpi_names = {f.name for f in fields(Kpis)}
    for key in (k for k in KPI_KEYS if k in kpi_names):
        spec = KPIS[key]
        unit = "people" if spec.people else spec.unit
        values = [getattr(p.kpis, key) if p.kpis else None for p in plans.values()]
        rows.append(measure(key, spec.label, unit,
                            [count(v) if unit == "people" else v for v in values],
                            spec.meaning))
    rows.append(measure("unmet_fte", "Unmet demand with recruitment (FTE)", "fte",
                        [round(p.kpis.demand_fte - p.kpis.filled_fte - p.kpis.vacant_fte, 2)
                         if p.kpis else None for p in plans.values()],
                        "Demand neither filled nor recruited for: beside coverage, so that "
                        "less demand never reads as a gain"))
    rows += region_measures(plans)
    rows.append(measure("education_cost", "Staff education a year", "money",
                        education_costs(plans),
                        "What raising climates above the baseline's takes (Policy "
                        "climate_step_cost per service and step); blank: not known"))
    moved = Counter(m.scenario for m in moves)
    rows.append(measure("moved_vs_baseline", "Placed differently", "people",
                        [count(moved[n]) if p.kpis else None for n, p in plans.items()],
                        "People whose placement differs from the baseline plan's"))
    rows.append(measure("objective", "Objective", "number", [p.objective for p in plans.values()],
                        "The solver's score; comparable only when the weights are the same"))
    rows.append(measure("gap", "Gap to the bound", "share", [p.gap for p in plans.values()],
                        "How far from proven optimal the plan may be"))
    rows.append(measure("status", "Solver status", "text",
                        [p.status.value for p in plans.values()], "optimal, feasible or "
                        "infeasible (no plan satisfies the rules)"))
    return tuple(rows)


REGION_COST = "cost_in_region:"  # the key of a region's cost, before its name
REGION_BUDGET = "budget_of_region:"  # ... and of its budget


def region_measures(plans: Mapping[str, Plan]) -> list[Measure]:
    """Per region with a budget of its own in any plan (the Regions sheet): what its
    positions cost, and its budget, so that a shift of spending between regions shows."""
    regions = sorted({r.region for p in plans.values() for r in p.regions})
    rows = []
    for region in regions:
        own = [{r.region: r for r in p.regions}.get(region) if p.kpis else None
               for p in plans.values()]
        rows.append(measure(f"{REGION_COST}{region}", f"Cost in {region}", "money",
                            [None if r is None else r.cost for r in own],
                            f"What the positions in {region}'s services cost a year, filled "
                            "and to recruit"))
        rows.append(measure(f"{REGION_BUDGET}{region}", f"Budget of {region}", "money",
                            [None if r is None else r.budget for r in own],
                            f"{region}'s own budget (Regions sheet); blank: none"))
    return rows


def climate_steps(base: Plan, plan: Plan) -> int:
    """Steps of disclosure climate a plan's services stand above the baseline's."""
    before = {s.service_id: s.climate for s in base.services}
    return sum(max(0, s.climate - before[s.service_id]) for s in plan.services
               if s.service_id in before)


def education_costs(plans: Mapping[str, Plan]) -> list[Value]:
    """Per plan, what raising its climates above the baseline's costs a year: 0 when it
    raises none, None when it does and the Policy gives no climate_step_cost."""
    base = next(iter(plans.values()))
    costs: list[Value] = []
    for plan in plans.values():
        steps = climate_steps(base, plan)
        step_cost = plan.policy.get("climate_step_cost")
        costs.append(0.0 if steps == 0 else None if step_cost is None
                     else round(steps * float(step_cost), 2))
    return costs


def position_measures(plans: Mapping[str, Plan], kind: str, key: PositionKey,
                      labels: Mapping[str, str],
                      count: Count) -> tuple[Measure, ...]:
    """Filled (people) and to-recruit positions per role or tier, across the plans."""
    filled, vacant = _positions_by(plans, key)
    rows = []
    for group, label in labels.items():
        if not any(group in c for c in (*filled, *vacant) if c is not None):
            continue
        rows.append(measure(f"{kind}:{group}:filled", "filled", "people",
                            [count(_at(f, group)) for f in filled], group=label))
        rows.append(measure(f"{kind}:{group}:to_recruit", "to recruit", "count",
                            [_at(v, group) for v in vacant], group=label))
    return tuple(rows)


def role_labels(plans: Mapping[str, Plan]) -> dict[str, str]:
    """'Ward peer expert (WARD)' per role id, by saliency then id."""
    roles = {r.role_id: r for p in plans.values() for r in p.roles}
    return {r.role_id: f"{r.title} ({r.role_id})"
            for r in sorted(roles.values(), key=lambda r: (r.saliency, r.role_id))}


def service_role_measures(plans: Mapping[str, Plan], titles: Mapping[str, str],
                          names: Mapping[str, str],
                          count: Count) -> tuple[Measure, ...]:
    """The role mix cell by cell, where a scenario changes it against the baseline."""
    filled, vacant = _positions_by(plans, lambda r, c: (c.service_id, r.role_id))
    cells = sorted({cell for table in (*filled, *vacant) if table for cell in table})
    rows = []
    for service_id, role_id in cells:
        group = f"{names.get(service_id) or service_id} ({service_id}) · " \
                f"{titles.get(role_id, role_id)}"
        raw = [_at(f, (service_id, role_id)) for f in filled]
        if _differ(raw):
            rows.append(measure(f"cell:{service_id}:{role_id}:filled", "filled", "people",
                                [count(n) for n in raw], group=group))
        to_recruit = [_at(v, (service_id, role_id)) for v in vacant]
        if _differ(to_recruit):
            rows.append(measure(f"cell:{service_id}:{role_id}:to_recruit", "to recruit",
                                "count",
                                list(to_recruit), group=group))
    return tuple(rows)


def recruitment_measures(plans: Mapping[str, Plan], titles: Mapping[str, str],
                         names: Mapping[str, str]) -> tuple[Measure, ...]:
    """Positions to recruit per (role, service) where a scenario adds or removes some."""
    per_plan = [Counter({(v.role_id, v.service_id): v.positions for v in p.vacancies})
                if p.kpis else None for p in plans.values()]
    rows = []
    for role_id, service_id in sorted({key for c in per_plan if c for key in c}):
        values: list[Value] = [_at(c, (role_id, service_id)) for c in per_plan]
        if _differ(values):
            label = (f"{titles.get(role_id, role_id)} at {names.get(service_id) or service_id}"
                     f" ({service_id})")
            rows.append(measure(f"vacancy:{role_id}:{service_id}", label, "count", values))
    return tuple(rows)


def _positions_by(plans: Mapping[str, Plan], key: PositionKey
                  ) -> tuple[list[Counter | None], list[Counter | None]]:
    """Filled and vacant positions per key(role info, role-mix cell), one Counter per plan
    (None for a plan without a solution: it has no role mix to count)."""
    filled: list[Counter | None] = []
    vacant: list[Counter | None] = []
    for plan in plans.values():
        if plan.kpis is None:
            filled.append(None)
            vacant.append(None)
            continue
        roles = {r.role_id: r for r in plan.roles}
        f, v = Counter(), Counter()
        for cell in plan.role_mix:
            f[key(roles[cell.role_id], cell)] += cell.filled_positions
            v[key(roles[cell.role_id], cell)] += cell.vacant_positions
        filled.append(f)
        vacant.append(v)
    return filled, vacant


def _at(counter: Counter | None, key: Hashable) -> int | None:
    return None if counter is None else counter.get(key, 0)


def _differ(values: list[Value]) -> bool:
    """Some plan with a solution differs from another."""
    return len({v for v in values if v is not None}) > 1


# --- who moves ------------------------------------------------------------------------------


def who_moves(plans: Mapping[str, Plan]) -> tuple[Move, ...]:
    """Everyone placed differently from the baseline, scenario by scenario (by psw_id).

    A plan without a solution (infeasible) moves nobody: it has no placements to compare.
    A person only one of the two plans has (a scenario's add_row or remove) is marked new
    or removed, so that a flow reads "removed by the scenario", not "not placed".
    """
    base, *others = plans.items()
    if base[1].kpis is None:
        return ()
    before = _placements(base[1])
    names = {p.psw_id: p.name for p in base[1].people}
    moves = []
    for name, plan in others:
        if plan.kpis is None:
            continue
        after = _placements(plan)
        present = {p.psw_id: p.name for p in plan.people}
        for psw_id in sorted(set(before) | set(after)):
            if before.get(psw_id, ()) != after.get(psw_id, ()):
                # a plan without its people (a director's view) says nobody came or went
                moves.append(Move(name, psw_id, names.get(psw_id, present.get(psw_id, "")),
                                  before.get(psw_id, ()), after.get(psw_id, ()),
                                  new=bool(names) and psw_id not in names,
                                  removed=bool(present) and psw_id not in present))
    return tuple(moves)


def flows(moves: tuple[Move, ...], titles: Mapping[str, str],
          count: Count) -> tuple[Flow, ...]:
    """Moves counted per (scenario, role before, role after), largest first."""
    def role(positions: tuple[Position, ...], absent: bool, label: str) -> str:
        if absent:
            return label
        return titles.get(positions[0].role_id, positions[0].role_id) if positions \
            else NOT_PLACED

    counts = Counter((m.scenario, role(m.before, m.new, NEW_PERSON),
                      role(m.after, m.removed, REMOVED_PERSON)) for m in moves)
    order = {m.scenario: n for n, m in enumerate(moves)}
    return tuple(Flow(s, b, a, count(n)) for (s, b, a), n in
                 sorted(counts.items(), key=lambda i: (order[i[0][0]], -i[1], i[0])))


def _placements(plan: Plan) -> dict[str, tuple[Position, ...]]:
    """Each person's positions, largest FTE first (people not placed are left out)."""
    by_person: dict[str, list] = {}
    for a in plan.assignments:
        by_person.setdefault(a.psw_id, []).append((-a.fte, a.role_id, a.service_id))
    return {psw: tuple(Position(r, s) for _, r, s in sorted(places))
            for psw, places in by_person.items()}


def people_counter(k: int, audience: Audience) -> Callable[[int | None], Value]:
    def count(n: int | None) -> Value:
        return None if n is None else people_count(n, k, audience)
    return count


@dataclass(frozen=True)
class ScenarioInfo:
    name: str
    slug: str  # the folder of its plan.json
    changes: tuple[str, ...]  # the overrides in words (for directors without personal data)
    status: str
    source: str
    conflicts: tuple[str, ...] = ()
    # what applying the changes did beyond their words (values capped at a column's range,
    # rows removed, references dropped), for the audience: people counted, not named
    notes: tuple[str, ...] = ()
    description: str = ""  # what it stands for, in the consultant's words (every audience)
    base: str = ""  # the scenario it builds on, whose changes it applies first


@dataclass(frozen=True)
class Comparison:
    planner_version: str
    audience: str
    k: int
    source: str  # the baseline's input
    input_sha256: str  # the baseline's (shortened for directors)
    scenarios: tuple[ScenarioInfo, ...]  # baseline first
    kpis: tuple[Measure, ...]
    roles: tuple[Measure, ...]  # positions per role: filled (people) and to recruit
    tiers: tuple[Measure, ...]  # the same per saliency tier
    service_roles: tuple[Measure, ...]  # (service, role) cells that change
    recruitment: tuple[Measure, ...]  # positions to recruit per (role, service) that change
    flows: tuple[Flow, ...]
    moves: tuple[Move, ...] = ()  # HR only
    narrative: tuple[str, ...] = ()
    role_titles: dict[str, str] = field(default_factory=dict)
    service_names: dict[str, str] = field(default_factory=dict)
    # every plan reproducible with no search cut by the clock (`Plan.repeats`): the same
    # inputs and seed give these plans again on this machine
    repeats: bool = False

    def measure(self, key: str) -> Measure:
        return next(m for m in (*self.kpis, *self.roles, *self.tiers) if m.key == key)
