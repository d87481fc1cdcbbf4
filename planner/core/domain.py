"""The organisation as the planner sees it: frozen, typed, validated objects.

Every stage after `workbook.read_org` works on these; none reads a DataFrame or a cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

SETTINGS: tuple[str, ...] = (
    "inpatient",
    "outpatient",
    "community",
    "crisis",
    "housing",
    "vocational",
    "primary_care",
    "forensic",
    "other",
)

BUILTIN_TOPICS: dict[str, str] = {
    "vocational": "Work, study and volunteering",
    "health": "Physical health",
    "wellness": "Wellness and self-management",
    "medication": "Medication and its side effects",
    "rights": "Rights, advocacy and the Mental Health Act",
    "housing": "Housing and homelessness",
    "substance_use": "Alcohol and drug use",
    "trauma": "Trauma",
    "family": "Family, parenting and carers",
    "crisis": "Crisis and suicidal distress",
    "hospitalisation": "Hospital admission",
    "justice": "Police, courts and prison",
    "daily_living": "Daily living skills",
}


class Target(StrEnum):
    """Whom a role discloses to. Self-disclosure differs by its target: many PSWs who
    disclose freely to service users hold back with clinical staff or leaders, where
    stigma and status weigh more."""

    SERVICE_USERS = "service_users"
    STAFF = "staff"
    LEADERSHIP = "leadership"


TARGETS: tuple[str, ...] = tuple(t.value for t in Target)
TARGET_WORDS: dict[str, str] = {"service_users": "service users", "staff": "staff",
                                "leadership": "leaders"}


class LonePeer(StrEnum):
    """What to do with a team that would have a single PSW."""

    FORBID = "forbid"
    DISCOURAGE = "discourage"
    ALLOW = "allow"


@dataclass(frozen=True)
class Service:
    """A team or service that needs peer support."""

    service_id: str
    name: str
    setting: str
    climate: int
    demand_fte: float
    region: str | None = None
    topics: tuple[str, ...] = ()
    min_peers: int | None = None
    annual_contacts: float | None = None
    minutes_per_contact: float | None = None
    # WISN allowances for demand derived from workload; None: the Policy's
    category_allowance_pct: float | None = None  # % of every PSW's time on support work
    individual_allowance_hours: float | None = None  # hours a year some staff give to it

    @property
    def demand_from_workload(self) -> bool:
        return self.annual_contacts is not None and self.minutes_per_contact is not None


@dataclass(frozen=True)
class Role:
    """A role in the catalogue; `saliency` is how central self-disclosure is (1-5).

    `targets` are whom the role discloses to, mainly the first (blank: service users);
    `saliency` is the saliency with service users and with every target that gives none
    of its own (`saliency_staff`, `saliency_leadership`).
    """

    role_id: str
    title: str
    saliency: int
    fte: float
    cost_per_fte: float
    topics: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    min_experience: int = 0
    min_climate: int | None = None
    career_track: str = ""
    supervisor: bool = False
    targets: tuple[str, ...] = ()
    saliency_staff: int | None = None
    saliency_leadership: int | None = None

    @cached_property
    def disclosure_targets(self) -> tuple[str, ...]:
        """Whom the role discloses to, mainly the first: service users when not given."""
        return self.targets or (Target.SERVICE_USERS.value,)

    @property
    def main_target(self) -> str:
        return self.disclosure_targets[0]

    def saliency_for(self, target: str) -> int:
        """How central disclosure to `target` is in the role."""
        own = {Target.STAFF: self.saliency_staff, Target.LEADERSHIP: self.saliency_leadership}
        given = own.get(Target(target))
        return self.saliency if given is None else given

    @cached_property
    def asks(self) -> dict[str, int]:
        """The saliency of each of the role's targets, in the role's order (worked out once:
        enumeration asks it of every placement)."""
        return {t: self.saliency_for(t) for t in self.disclosure_targets}

    @property
    def generic(self) -> bool:
        return not self.topics

    @property
    def position_cost(self) -> float:
        """Annual cost of one position: its FTE × cost per FTE."""
        return self.fte * self.cost_per_fte


@dataclass(frozen=True)
class PSW:
    """A peer support worker and their readiness profile (health data: keep private)."""

    psw_id: str
    readiness: int
    available_fte: float
    name: str = ""
    topics: tuple[str, ...] = ()
    experience: int = 0
    region: str | None = None
    travel: bool = False
    preferred_roles: tuple[str, ...] = ()
    preferred_settings: tuple[str, ...] = ()
    current_service: str | None = None
    current_role: str | None = None
    exclude_services: tuple[str, ...] = ()
    stretch: bool = False
    lock: bool = False
    # readiness to disclose to clinical staff and to leaders (None: `readiness`)
    readiness_staff: int | None = None
    readiness_leadership: int | None = None

    def readiness_for(self, target: str) -> int:
        """Readiness to disclose to `target` (service users: `readiness`)."""
        own = {Target.STAFF: self.readiness_staff,
               Target.LEADERSHIP: self.readiness_leadership}
        given = own.get(Target(target))
        return self.readiness if given is None else given


@dataclass(frozen=True)
class Region:
    """A region of the organisation's services, with its own annual budget for PSW
    positions (filled and vacant, in its services); None: no limit beyond the Policy's."""

    region: str
    budget: float | None = None


@dataclass(frozen=True)
class Policy:
    """Organisation-wide settings; every field is a key of the optional Policy sheet.

    Weights are points per FTE-point (placements) or points per unit (the rest), so that
    the objective is a plain weighted sum: see `model.set_objective` and docs/scoring.md.
    """

    budget: float | None = None  # annual; None = no budget limit
    currency: str | None = None  # reports show money in it: a code (GBP) or a sign (£)
    # what raising one service's climate one step takes a year (staff education); None:
    # not known, and analyses say that they do not count it
    climate_step_cost: float | None = None
    # objective weights
    weight_fit: float = 1.0
    weight_autonomy: float = 1.0
    weight_coverage: float = 40.0  # points per FTE of demand covered by a placement
    weight_vacancy: float = 10.0  # points per FTE of demand covered by a vacancy to recruit
    weight_cost: float = 0.0  # points per 1,000 of annual cost
    weight_move: float = 20.0  # points lost per person moved from their current placement
    penalty_lone_peer: float = 60.0  # points lost per service with a single PSW
    penalty_stretch: float = 15.0  # points lost per stretch placement
    weight_saliency_tier: float = 30.0  # points per saliency tier offered, up to the minimum
    # rules
    lone_peer: LonePeer = LonePeer.DISCOURAGE
    min_peers: int = 2
    allow_vacancies: bool = True
    vacancy_cost_factor: float = 1.0  # share of cost_per_fte a vacancy books against budget
    max_positions_per_psw: int = 1
    supervisor_span: int = 8
    min_saliency_tiers: int = 3
    # WHO WISN available working time
    wisn_hours_per_day: float = 7.5
    wisn_days_per_week: float = 5.0
    wisn_weeks_per_year: float = 52.0
    wisn_annual_leave_days: float = 27.0
    wisn_public_holidays: float = 8.0
    wisn_sick_days: float = 9.0
    wisn_training_days: float = 5.0
    # WHO WISN allowances (support work), for services that give none of their own
    wisn_category_allowance_pct: float = 0.0
    wisn_individual_allowance_hours: float = 0.0
    # roadmap (`planner roadmap`): what grows and what is lost from one year to the next
    stretch_months: float = 12.0  # a supported stretch raises readiness one level after this
    stretch_per_supervisor: int = 2  # supported stretch placements per peer supervisor
    attrition_rate: float = 0.10  # share of available FTE lost a year
    recruit_months: float = 6.0  # from starting to recruit to the new hire in post
    hire_readiness: int = 4  # readiness to disclose (every target) of a new hire
    hire_experience: int = 1  # peer-work experience of a new hire
    budget_growth_pct: float = 0.0  # budget change a year, %
    demand_growth_pct: float = 0.0  # demand change a year, %
    weight_progression: float = 20.0  # points per FTE of a step up: supported stretch or track
    roadmap_discount: float = 0.9  # a later year's value against this year's
    education_months: float = 12.0  # a peer trainer filled this long in a service warms it
    education_step: int = 1  # by this many climate steps
    # solving
    time_limit: float = 60.0
    seed: int = 0
    # privacy: groups smaller than k are suppressed in director reports
    k: int = 5

    def education_cost(self, steps: int) -> float | None:
        """What raising climates by `steps` in all costs a year, when the Policy says."""
        return None if self.climate_step_cost is None else steps * self.climate_step_cost

    def booked_cost(self, role: Role) -> float:
        """What one vacant position of `role` books against the budget."""
        return role.position_cost * self.vacancy_cost_factor


@dataclass(frozen=True)
class Org:
    """A validated organisation: the single input of planning."""

    services: tuple[Service, ...]
    roles: tuple[Role, ...]
    psws: tuple[PSW, ...]
    policy: Policy = field(default_factory=Policy)
    topics: dict[str, str] = field(default_factory=lambda: dict(BUILTIN_TOPICS))
    source: str = ""
    input_sha256: str = ""
    regions: tuple[Region, ...] = ()  # the Regions sheet: budgets per region

    @cached_property
    def region_budgets(self) -> dict[str, float]:
        """Each region's budget, for the regions that have one and a service."""
        served = {s.region for s in self.services}
        return {r.region: r.budget for r in self.regions
                if r.budget is not None and r.region in served}

    @cached_property
    def services_by_id(self) -> dict[str, Service]:
        return {s.service_id: s for s in self.services}

    @cached_property
    def roles_by_id(self) -> dict[str, Role]:
        return {r.role_id: r for r in self.roles}

    @cached_property
    def psws_by_id(self) -> dict[str, PSW]:
        return {p.psw_id: p for p in self.psws}

    def min_peers(self, service: Service) -> int:
        """Fewest PSWs in a team once it has any: the service's own, else the Policy's."""
        return service.min_peers or self.policy.min_peers
