"""The input contract as data: one place that the reader, the validator, the template
writer and the README's tour of the workbook all use.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from planner.core.domain import SETTINGS, TARGETS


class Kind(StrEnum):
    TEXT = "text"
    ID = "id"  # trimmed, case-sensitive, unique in its sheet
    INT = "int"  # whole number within [low, high]
    FLOAT = "float"  # decimal within [low, high]
    BOOL = "bool"  # yes / no
    CHOICE = "choice"  # one of `choices`
    LIST = "list"  # comma-separated codes or ids


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    note: str
    required: bool = False
    low: float | None = None
    high: float | None = None
    low_open: bool = False  # True: value must be > low rather than >= low
    choices: tuple[str, ...] = ()
    width: int = 14


@dataclass(frozen=True)
class Sheet:
    name: str
    purpose: str
    columns: tuple[Column, ...]
    required: bool = True

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


YES_NO = ("yes", "no")
# WISN allowances: at 100 % nobody would have time for the workload; hours are a year's.
CATEGORY_ALLOWANCE_MOST = 99
INDIVIDUAL_ALLOWANCE_MOST = 100_000
REGION_BUDGET_MOST = 10_000_000_000  # a region's annual budget, in currency units

SERVICES = Sheet(
    "Services",
    "One row per team or service that needs peer support.",
    (
        Column("service_id", Kind.ID, "Unique id of the service (text, case-sensitive).",
               required=True),
        Column("name", Kind.TEXT, "Name of the team or service.", width=28),
        Column("setting", Kind.CHOICE, "Kind of setting: " + ", ".join(SETTINGS) + ".",
               required=True, choices=SETTINGS),
        Column("region", Kind.TEXT, "Region. People work in their own region unless they "
               "accept travel. Blank = reachable from anywhere."),
        Column("topics", Kind.LIST, "Topics the service's users need, comma-separated codes "
               "from the Topics list (e.g. 'housing, wellness').", width=26),
        Column("demand_fte", Kind.FLOAT, "Peer-support FTE the service needs (decimal >= 0). "
               "Leave blank to derive it from annual_contacts x minutes_per_contact (WISN).",
               low=0, high=1000),
        Column("annual_contacts", Kind.FLOAT, "Peer-support contacts a year (for WISN demand).",
               low=0, high=10_000_000),
        Column("minutes_per_contact", Kind.FLOAT, "Minutes of PSW time per contact, including "
               "notes and travel (for WISN demand).", low=0, high=10_000, low_open=True),
        Column("category_allowance_pct", Kind.FLOAT, "WISN category allowance: % of every "
               "PSW's working time spent on support work (team meetings, records), 0-99. "
               "Blank = Policy wisn_category_allowance_pct. Workload demand only.",
               low=0, high=CATEGORY_ALLOWANCE_MOST),
        Column("individual_allowance_hours", Kind.FLOAT, "WISN individual allowance: hours a "
               "year some of the service's staff spend on e.g. supervising or training "
               "others. Blank = Policy wisn_individual_allowance_hours. Workload demand only.",
               low=0, high=INDIVIDUAL_ALLOWANCE_MOST),
        Column("climate", Kind.INT, "1-5: how strongly staff and leaders endorse PSW "
               "self-disclosure (e.g. from a Recovery Self-Assessment survey).",
               required=True, low=1, high=5),
        Column("min_peers", Kind.INT, "Fewest PSWs in the team once it has any (whole number "
               ">= 1; blank = Policy min_peers).", low=1, high=100),
    ),
)

ROLES = Sheet(
    "Roles",
    "The role catalogue: every kind of PSW position the organisation can open.",
    (
        Column("role_id", Kind.ID, "Unique id of the role (text, case-sensitive).",
               required=True),
        Column("title", Kind.TEXT, "Job title.", width=28),
        Column("saliency", Kind.INT, "1-5: how central and overt self-disclosure is in the "
               "role (1 = rarely needed, 5 = disclosure is the job).", required=True,
               low=1, high=5),
        Column("topics", Kind.LIST, "The role's topic area, comma-separated topic codes "
               "(blank = generic peer support).", width=22),
        Column("settings", Kind.LIST, "Settings where the role can be deployed, "
               "comma-separated (blank = any).", width=22),
        Column("fte", Kind.FLOAT, "Standard position size in FTE (0 < x <= 1).",
               required=True, low=0, high=1, low_open=True),
        Column("cost_per_fte", Kind.FLOAT, "Annual cost of one FTE including on-costs "
               "(currency units).", required=True, low=0, high=10_000_000),
        Column("min_experience", Kind.INT, "0-5: least peer-work experience the role needs "
               "(blank = 0).", low=0, high=5),
        Column("min_climate", Kind.INT, "1-5: least service climate the role needs "
               "(blank = none).", low=1, high=5),
        Column("career_track", Kind.TEXT, "Career track the role belongs to (free text)."),
        Column("supervisor", Kind.BOOL, "yes if this is a peer supervisor role.",
               choices=YES_NO),
        Column("targets", Kind.LIST, "Whom the role discloses to, mainly the first, "
               "comma-separated: " + ", ".join(TARGETS) + " (blank = service_users; e.g. "
               "staff for a peer trainer, leadership for a lived-experience lead).", width=22),
        Column("saliency_staff", Kind.INT, "1-5: saliency of disclosure to staff, when the "
               "targets include staff (blank = saliency).", low=1, high=5),
        Column("saliency_leadership", Kind.INT, "1-5: saliency of disclosure to leaders, "
               "when the targets include leadership (blank = saliency).", low=1, high=5),
    ),
)

PSWS = Sheet(
    "PSWs",
    "The peer support workers and their readiness profiles (private health data).",
    (
        Column("psw_id", Kind.ID, "Unique id of the person (text, case-sensitive).",
               required=True),
        Column("name", Kind.TEXT, "Name (optional; never shown in director reports).",
               width=22),
        Column("readiness", Kind.INT, "1-5: readiness to self-disclose.", required=True,
               low=1, high=5),
        Column("topics", Kind.LIST, "Lived-experience topics the person is willing to draw "
               "on, comma-separated topic codes.", width=24),
        Column("available_fte", Kind.FLOAT, "FTE the person can work (0 < x <= 1).",
               required=True, low=0, high=1, low_open=True),
        Column("experience", Kind.INT, "0-5: peer-work experience (blank = 0).", low=0, high=5),
        Column("region", Kind.TEXT, "Home region (blank = works anywhere)."),
        Column("travel", Kind.BOOL, "yes if willing to work outside their region.",
               choices=YES_NO),
        Column("preferred_roles", Kind.LIST, "Role ids, most wanted first, comma-separated.",
               width=22),
        Column("preferred_settings", Kind.LIST, "Preferred settings, comma-separated.",
               width=22),
        Column("current_service", Kind.TEXT, "service_id of today's placement (optional)."),
        Column("current_role", Kind.TEXT, "role_id of today's placement (optional)."),
        Column("exclude_services", Kind.LIST, "service_ids the person must not work in "
               "(e.g. where they were treated), comma-separated.", width=20),
        Column("stretch", Kind.BOOL, "yes if willing to take a role one saliency level above "
               "their readiness, with support.", choices=YES_NO),
        Column("lock", Kind.BOOL, "yes to keep the current placement whatever the optimum says.",
               choices=YES_NO),
        Column("readiness_staff", Kind.INT, "1-5: readiness to self-disclose to clinical "
               "staff and colleagues (blank = readiness).", low=1, high=5),
        Column("readiness_leadership", Kind.INT, "1-5: readiness to self-disclose to managers "
               "and directors (blank = readiness).", low=1, high=5),
    ),
)

TOPICS = Sheet(
    "Topics",
    "Optional: topic codes beyond the built-in list.",
    (
        Column("topic", Kind.ID, "Topic code (lower case, no spaces).", required=True),
        Column("label", Kind.TEXT, "Readable label.", width=36),
    ),
    required=False,
)

POLICY = Sheet(
    "Policy",
    "Optional: organisation-wide settings as key/value rows.",
    (
        Column("key", Kind.ID, "Policy key (see the Instructions sheet).", required=True,
               width=26),
        Column("value", Kind.TEXT, "Value for the key.", width=16),
    ),
    required=False,
)

REGIONS = Sheet(
    "Regions",
    "Optional: a budget per region, beside the Policy's budget for the whole organisation.",
    (
        Column("region", Kind.ID, "A region of the Services sheet (text, case-sensitive).",
               required=True),
        Column("budget", Kind.FLOAT, "Annual budget for PSW positions in the region's "
               "services, filled and vacant (blank = no limit but the Policy's budget).",
               low=0, high=REGION_BUDGET_MOST, width=16),
    ),
    required=False,
)

SCENARIOS = Sheet(
    "Scenarios",
    "Optional: what-if overrides on the baseline, one change per row.",
    (
        Column("scenario", Kind.TEXT, "Scenario name; rows with the same name form one "
               "scenario.", required=True, width=20),
        Column("sheet", Kind.CHOICE, "Sheet the change applies to.", required=True,
               choices=("Services", "Roles", "PSWs", "Regions", "Policy")),
        Column("id", Kind.TEXT, "Id of the row, '*' for all rows, or a filter: column=value, "
               "!=, <, <=, >, >= (numbers), a|b for any of several values, & to join, e.g. "
               "'setting=inpatient|crisis & climate<3'. The key for Policy.", required=True,
               width=30),
        Column("column", Kind.TEXT, "Column to change ('value' for Policy); blank for remove "
               "and add_row."),
        Column("change", Kind.CHOICE, "set a value; add an amount; scale by a factor (add "
               "and scale stop at the column's range, and the comparison notes it); remove "
               "rows and what names them; add_row: copy row id as the id(s) in value.",
               required=True, choices=("set", "add", "scale", "remove", "add_row")),
        Column("value", Kind.TEXT, "New value, amount to add, or factor; for add_row the new "
               "id (several: comma-separated); blank for remove."),
        Column("description", Kind.TEXT, "What the scenario stands for, in your words; the "
               "comparison shows it. One a scenario: repeat it on its rows or leave them "
               "blank.", width=40),
        Column("base", Kind.TEXT, "Another scenario of this sheet that this one builds on: its "
               "changes apply first, then this scenario's (blank = the baseline).", width=20),
    ),
    required=False,
)

INPUT_SHEETS: tuple[Sheet, ...] = (SERVICES, ROLES, PSWS, TOPICS, POLICY, REGIONS, SCENARIOS)
SHEETS_BY_NAME: dict[str, Sheet] = {s.name: s for s in INPUT_SHEETS}

# Policy keys and what they mean (the Instructions sheet and README list them). Each says
# what the planner does with the value (solve/model.py, docs/scoring.md), not what it hopes
# for; tests/workbook/test_policy_notes.py holds them to the code and the README.
POLICY_NOTES: dict[str, str] = {
    "budget": "Total annual budget for PSW positions, filled and vacant (blank = no limit); "
              "the Regions sheet may give each region a budget of its own too.",
    "currency": "Currency the reports show money in: a three-letter code such as GBP, EUR or "
                "USD, or a sign such as £, € or $ (blank = plain numbers).",
    "climate_step_cost": "Annual cost of raising one service's disclosure climate by one "
                         "step (staff education); comparisons and insights count it where "
                         "a climate is raised (blank = not known, and they say so).",
    "weight_fit": "Points per FTE for each point of fit (competence, relatedness); a person "
                  "keeping their current post counts in full, whatever their hours.",
    "weight_autonomy": "Points per FTE for each point of autonomy; a person keeping their "
                       "current post counts in full, whatever their hours.",
    "weight_coverage": "Points per FTE of a service's demand covered by a placement.",
    "weight_vacancy": "Points per FTE of demand covered by a vacancy to recruit.",
    "weight_cost": "Points lost per 1,000 of annual cost.",
    "weight_move": "Points gained by each person who keeps their current placement: a bonus "
                   "for staying, so a move forgoes it (never a penalty, so that a person "
                   "leaving never raises the score).",
    "penalty_lone_peer": "Points lost per service with PSWs but fewer than its minimum "
                         "(min_peers), when lone_peer = discourage.",
    "penalty_stretch": "Points lost per stretch placement (one saliency level above readiness).",
    "weight_saliency_tier": "Points per saliency tier (low 1-2, middle 3, high 4-5) offered, "
                            "up to min_saliency_tiers, and once more for a topic-specialist "
                            "role.",
    "lone_peer": "forbid, discourage or allow a team with fewer PSWs than its minimum "
                 "(min_peers): forbid makes the minimum a rule, discourage costs "
                 "penalty_lone_peer per such team.",
    "min_peers": "Fewest PSWs in a team once it has any (a service's own min_peers wins): a "
                 "rule with lone_peer = forbid, a penalty with discourage, ignored with allow.",
    "allow_vacancies": "yes/no: may the plan open positions to recruit for.",
    "vacancy_cost_factor": "Share of a vacancy's cost booked against the budget (0-1).",
    "max_positions_per_psw": "How many placements one person may hold, their FTE added up "
                             "within their availability.",
    "supervisor_span": "Placed PSWs per peer supervisor position, at most (per region).",
    "min_saliency_tiers": "Saliency tiers (low, middle, high) the role mix should offer: the "
                          "plan earns weight_saliency_tier for each, up to this many.",
    "wisn_hours_per_day": "WISN: contract hours per working day.",
    "wisn_days_per_week": "WISN: working days per week.",
    "wisn_weeks_per_year": "WISN: weeks per year.",
    "wisn_annual_leave_days": "WISN: annual leave days per FTE.",
    "wisn_public_holidays": "WISN: public holidays per year.",
    "wisn_sick_days": "WISN: expected sickness absence days per FTE.",
    "wisn_training_days": "WISN: training and development days per FTE.",
    "wisn_category_allowance_pct": "WISN category allowance: % of every PSW's working time "
                                   "spent on support work (team meetings, records), 0-99; "
                                   "demand = workload FTE / (1 - % / 100). For services "
                                   "without their own category_allowance_pct.",
    "wisn_individual_allowance_hours": "WISN individual allowance: hours a year, per service, "
                                       "that some staff spend on e.g. supervising or "
                                       "training others; adds hours / available working "
                                       "time to demand. For services without their own "
                                       "individual_allowance_hours.",
    "time_limit": "Seconds `planner plan` may take in all (reading, planning, writing).",
    "seed": "Random seed of the solver (same input and seed, same plan).",
    "stretch_months": "Roadmap: months of supported stretch (one level above readiness, "
                      "under a peer supervisor) after which readiness rises one level.",
    "stretch_per_supervisor": "Roadmap: supported stretch placements per peer supervisor "
                              "position in a region; without a supervisor no stretch.",
    "attrition_rate": "Roadmap: share of available FTE lost a year (people leaving), 0-1.",
    "recruit_months": "Roadmap: months from starting to recruit to the new hire in post; the "
                      "schedule starts recruiting this long before a position is needed.",
    "hire_readiness": "Roadmap: readiness to disclose of people one can recruit (every "
                      "target); a position to recruit asks no more.",
    "hire_experience": "Roadmap: peer-work experience of people one can recruit; a position "
                       "to recruit asks no more.",
    "budget_growth_pct": "Roadmap: budget change per year, percent.",
    "demand_growth_pct": "Roadmap: demand change per year, percent, every service.",
    "weight_progression": "Roadmap: points per FTE of a step up: a supported stretch, or a "
                          "move to a higher saliency role of the same career track.",
    "roadmap_discount": "Roadmap: what a year's value counts against the year before (0-1) "
                        "in the roadmap's total.",
    "education_months": "Roadmap: months a role that discloses mainly to staff (a peer "
                        "trainer) is filled in a service before its climate rises.",
    "education_step": "Roadmap: climate steps that staff education raises a service by.",
    "k": "Privacy threshold for director reports: groups of people smaller than k are "
         "shown as <k.",
}
