"""What each key figure of a plan means: its label, unit and meaning in words.

The Excel plan, the HTML report and comparisons all show key figures (`results.Kpis`);
they take the words from here, so a figure reads the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kpi:
    """How one key figure is shown: label, unit (share, points, money, fte or count),
    meaning, and whether it counts people (then small counts are suppressed for
    directors)."""

    label: str
    unit: str
    meaning: str
    people: bool = False


KPIS: dict[str, Kpi] = {
    "coverage": Kpi("Coverage", "share",
                    "Share of the peer-support time the services need (their demand) that "
                    "current staff fill; peer supervisors count apart"),
    "planned_coverage": Kpi("Planned coverage", "share",
                            "Share of the demand covered once the positions to recruit are "
                            "filled too"),
    "mean_fit": Kpi("Mean fit", "points",
                    "How well people suit their placements (readiness to disclose, lived "
                    "experience, team climate, experience), out of 100, per placement on average"),
    "mean_autonomy": Kpi("Mean autonomy", "points",
                         "How much say people have (the role and setting they asked for, "
                         "keeping their place, freedom to disclose), out of 100, per placement on "
                         "average"),
    "top_choice_share": Kpi("Top choice share", "share",
                            "Of the placements of people who named the roles they want, the "
                            "share in their first choice"),
    "cost": Kpi("Cost", "money",
                "What the plan costs a year: the people placed, plus the positions to "
                "recruit as booked against the budget"),
    "budget": Kpi("Budget", "money", "The annual budget set in the Policy sheet (blank: no "
                  "limit)"),
    "demand_fte": Kpi("Demand FTE", "fte", "Peer-support time the services need, in FTE"),
    "filled_fte": Kpi("Filled FTE", "fte", "Time current staff work towards the services' "
                      "demand, in FTE (peer supervisors apart)"),
    "vacant_fte": Kpi("To-recruit FTE", "fte", "Time of the positions to recruit towards the "
                      "services' demand, in FTE (supervisor posts apart)"),
    "placed": Kpi("People placed", "count", "People on the staff who have a placement",
                  people=True),
    "unassigned": Kpi("People unassigned", "count",
                      "People on the staff the plan does not place (see Unassigned for "
                      "why)", people=True),
    "vacancies": Kpi("Positions to recruit", "count",
                     "New positions to recruit for (positions, not people)"),
    "lone_peers": Kpi("Lone-peer services", "count",
                      "Services where the plan places a single peer worker, with no peer "
                      "colleague"),
    "stretch_placements": Kpi("Stretch placements", "count",
                              "Placements one saliency level above the person's readiness, "
                              "which they agreed to take with support", people=True),
    "moves": Kpi("Moves", "count", "People who leave the placement they hold today",
                 people=True),
    "saliency_levels_offered": Kpi("Saliency levels offered", "count",
                                   "How many of the five saliency levels (1-5) the plan's "
                                   "roles span, filled or to recruit"),
    "saliency_tiers_offered": Kpi("Saliency tiers offered", "count",
                                  "How many of the three tiers of roles (low, middle, high "
                                  "saliency) the plan offers, filled or to recruit: a choice "
                                  "of how much to disclose"),
    "supervisors": Kpi("Peer supervisors", "count", "People placed in peer supervisor roles",
                       people=True),
}
