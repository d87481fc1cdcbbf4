"""The plan: typed results of one planning run, and their JSON form (`plan.json`).

`plan.json` is the single source that the Excel and HTML reports render; `to_json` and
`from_json` are the only places that know its layout.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from typing import Any

from planner.core.atomic import write_text_atomic
from planner.core.wisn import WisnSteps


class Status(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"  # time limit hit: best plan found, with bound and gap
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"  # time limit hit before any plan was found


@dataclass(frozen=True)
class Assignment:
    """One placement: a person in a position of a role in a service."""

    psw_id: str
    role_id: str
    service_id: str
    fte: float
    fit: float  # 0-100
    autonomy: float  # 0-100
    score: float  # objective points this placement contributes
    components: dict[str, float]  # points per fit/autonomy component
    stretch: bool = False
    preference_rank: int | None = None  # 1 = top choice; None = not among preferences
    stays: bool = False  # keeps the current placement
    locked: bool = False
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vacancy:
    """Positions to recruit for: `positions` of `role_id` in `service_id`."""

    role_id: str
    service_id: str
    positions: int
    fte: float
    cost: float
    profile: dict[str, Any]
    reason: str


@dataclass(frozen=True)
class Unassigned:
    psw_id: str
    reasons: tuple[str, ...]  # the detail: each role or position and what stops it
    reason: str = ""  # the main reason, in one plain sentence


@dataclass(frozen=True)
class ServiceOutcome:
    service_id: str
    name: str
    demand_fte: float
    filled_fte: float
    vacant_fte: float
    unmet_fte: float
    peers: int
    climate: int
    setting: str
    region: str | None
    lone_peer: bool
    wisn_ratio: float | None = None  # filled FTE / WISN demand, when demand came from workload
    supervisor_fte: float = 0.0  # peer supervisors based here, filled or to recruit
    shortfall_cause: str = ""  # why demand stays unmet: budget, setting, climate, ...
    shortfall: str = ""  # the same in one plain sentence
    # when demand came from workload: WISN's steps to it, and the workforce problem
    # (required - filled FTE; a shortage is positive); None otherwise (and in older plans)
    wisn: WisnSteps | None = None
    workforce_problem: float | None = None


@dataclass(frozen=True)
class RegionCost:
    """A region with a budget of its own (the Regions sheet): what the plan's positions in
    its services cost a year, filled and to recruit (as booked), against that budget."""

    region: str
    budget: float
    cost: float

    @property
    def share(self) -> float:
        """Cost as a share of the budget (0 when the budget is 0 and nothing is spent)."""
        return self.cost / self.budget if self.budget else float(self.cost > 0)


@dataclass(frozen=True)
class RoleMixCell:
    """How many positions of one role a service opens, filled and vacant."""

    service_id: str
    role_id: str
    filled_positions: int
    vacant_positions: int
    filled_fte: float
    vacant_fte: float


@dataclass(frozen=True)
class RoleInfo:
    """The catalogue as the reports need it."""

    role_id: str
    title: str
    saliency: int
    tier: str  # low, middle or high saliency
    topics: tuple[str, ...]
    career_track: str
    supervisor: bool
    fte: float
    cost_per_fte: float
    settings: tuple[str, ...] = ()  # where it may be deployed (none: anywhere)
    min_climate: int | None = None
    targets: tuple[str, ...] = ("service_users",)  # whom it discloses to, mainly the first
    asks: dict[str, int] = field(default_factory=dict)  # saliency per target

    @property
    def main_target(self) -> str:
        return self.targets[0] if self.targets else "service_users"


@dataclass(frozen=True)
class Person:
    """One PSW's outcome with their private profile: for the `hr` audience only."""

    psw_id: str
    name: str
    readiness: int
    topics: tuple[str, ...]
    available_fte: float
    region: str | None
    preferred_roles: tuple[str, ...]
    preferred_settings: tuple[str, ...]
    placed_fte: float
    preference_rank: int | None  # best rank among their placements
    moved: bool  # had a current placement and does not keep it
    current_service: str | None = None  # the placement today, if any
    current_role: str | None = None
    readiness_staff: int | None = None  # to clinical staff (None: readiness)
    readiness_leadership: int | None = None  # to managers and directors (None: readiness)


@dataclass(frozen=True)
class Kpis:
    coverage: float  # filled FTE / demand FTE, 0-1
    planned_coverage: float  # (filled + vacant FTE) / demand FTE, 0-1
    mean_fit: float
    mean_autonomy: float
    top_choice_share: float  # share of placed people with preferences who got their first
    cost: float  # placements + vacancies (vacancies at vacancy_cost_factor)
    budget: float | None
    demand_fte: float
    filled_fte: float
    vacant_fte: float
    placed: int
    unassigned: int
    vacancies: int  # positions to recruit for
    lone_peers: int
    stretch_placements: int
    moves: int  # people with a current placement who change it
    saliency_levels_offered: int
    saliency_tiers_offered: int
    supervisors: int


CUT_BY_THE_CLOCK = "cut_by_the_clock"  # model_stats: searches of a reproducible plan the clock cut


@dataclass(frozen=True)
class Plan:
    planner_version: str
    input_sha256: str
    source: str
    status: Status
    objective: float | None
    bound: float | None
    gap: float | None
    solve_seconds: float
    policy: dict[str, Any]
    kpis: Kpis | None
    assignments: tuple[Assignment, ...] = ()
    vacancies: tuple[Vacancy, ...] = ()
    unassigned: tuple[Unassigned, ...] = ()
    services: tuple[ServiceOutcome, ...] = ()
    regions: tuple[RegionCost, ...] = ()  # cost against each region's own budget
    role_mix: tuple[RoleMixCell, ...] = ()
    roles: tuple[RoleInfo, ...] = ()
    people: tuple[Person, ...] = ()
    conflicts: tuple[str, ...] = ()  # when infeasible: a small set of rules that conflict
    rules: tuple[str, ...] = ()  # names of the rules the model applied
    model_stats: dict[str, int] = field(default_factory=dict)
    strategy: dict[str, Any] = field(default_factory=dict)  # how it was solved (`solve.strategy`)
    audience: str = "hr"  # "director": people pseudonymised, no profile (`audience.view_for`)
    created: str = ""

    @property
    def repeats(self) -> bool:
        """A reproducible plan (`planner plan --reproducible`) no search of which the
        clock cut short: every run with the same workbook and seed on this machine gives
        it."""
        return bool(self.strategy.get("reproducible")) and self.model_stats.get(
            CUT_BY_THE_CLOCK) == 0


@dataclass(frozen=True)
class Repeats:
    """How many of the plans an analysis made repeat (`Plan.repeats`), of how many."""

    repeating: int = 0
    planned: int = 0

    @classmethod
    def of(cls, plans: Iterable[Plan]) -> Repeats:
        made = list(plans)
        return cls(sum(p.repeats for p in made), len(made))

    def __add__(self, other: Repeats) -> Repeats:
        return Repeats(self.repeating + other.repeating, self.planned + other.planned)

    @property
    def every(self) -> bool:
        return 0 < self.repeating == self.planned

    def sentence(self, inputs: str = "workbook and seed",
                 where: str = "this machine") -> str | None:
        """What a report says of them, when any repeat: the same `inputs` give them again
        on `where`."""
        if not self.repeating:
            return None
        which = ("every plan" if self.every
                 else f"{self.repeating} of the {self.planned} plans")
        return (f"Every search of {which} stopped at a set amount of work: the same {inputs} "
                f"give {'these plans' if self.every else 'them'} again on {where}.")


def to_json(plan: Plan) -> str:
    """The `plan.json` text of a plan (stable key order, so diffs are readable)."""
    return json.dumps(asdict(plan), indent=2, ensure_ascii=False, default=str)


def write_plan_json(plan: Plan, path: str | Path) -> Path:
    return write_text_atomic(Path(path), to_json(plan) + "\n")


def from_json(text: str) -> Plan:
    """Rebuild a Plan from `plan.json` (what the reports and `planner explain` read)."""
    raw = json.loads(text)
    return Plan(
        **{
            **_plain_fields(raw, Plan),
            "status": Status(raw["status"]),
            "kpis": Kpis(**raw["kpis"]) if raw.get("kpis") else None,
            "assignments": tuple(
                Assignment(**{**a, "warnings": tuple(a.get("warnings", ()))})
                for a in raw.get("assignments", [])
            ),
            "vacancies": tuple(Vacancy(**v) for v in raw.get("vacancies", [])),
            "unassigned": tuple(
                Unassigned(u["psw_id"], tuple(u["reasons"]), u.get("reason", ""))
                for u in raw.get("unassigned", [])
            ),
            "services": tuple(_service(s) for s in raw.get("services", [])),
            "regions": tuple(RegionCost(**r) for r in raw.get("regions", [])),
            "role_mix": tuple(RoleMixCell(**c) for c in raw.get("role_mix", [])),
            "roles": tuple(
                RoleInfo(**{**r, "topics": tuple(r["topics"]),
                            "settings": tuple(r.get("settings", ())),
                            "targets": tuple(r.get("targets", ("service_users",)))})
                for r in raw.get("roles", [])
            ),
            "people": tuple(_person(p) for p in raw.get("people", [])),
            "conflicts": tuple(raw.get("conflicts", ())),
            "rules": tuple(raw.get("rules", ())),
        }
    )


def read_plan_json(path: str | Path) -> Plan:
    return from_json(Path(path).read_text(encoding="utf-8"))


def _service(raw: dict[str, Any]) -> ServiceOutcome:
    steps = raw.get("wisn")  # absent from plans written before WISN's allowances
    wisn = WisnSteps(**_plain_fields(steps, WisnSteps)) if steps else None
    return ServiceOutcome(**{**raw, "wisn": wisn})


def _person(raw: dict[str, Any]) -> Person:
    lists = ("topics", "preferred_roles", "preferred_settings")
    return Person(**{**raw, **{k: tuple(raw[k]) for k in lists}})


def _plain_fields(raw: dict[str, Any], cls: type) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in raw.items() if k in names}
