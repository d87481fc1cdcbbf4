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
    "coverage": Kpi("Coverage", "share", "Filled FTE as a share of the FTE the services need"),
    "planned_coverage": Kpi("Planned coverage", "share",
                            "Filled and to-recruit FTE as a share of the FTE needed"),
    "mean_fit": Kpi("Mean fit", "points",
                    "Average fit of the placements, 0-100 (competence, relatedness)"),
    "mean_autonomy": Kpi("Mean autonomy", "points",
                         "Average autonomy of the placements, 0-100 (choice, freedom to disclose)"),
    "top_choice_share": Kpi("Top choice share", "share",
                            "Share of placed people with preferences who got their first choice"),
    "cost": Kpi("Cost", "money", "Annual cost of placements and positions to recruit"),
    "budget": Kpi("Budget", "money", "Annual budget from the Policy sheet (blank: no limit)"),
    "demand_fte": Kpi("Demand FTE", "fte", "Peer-support FTE the services need"),
    "filled_fte": Kpi("Filled FTE", "fte", "FTE filled by people on the staff"),
    "vacant_fte": Kpi("To-recruit FTE", "fte", "FTE of the positions to recruit for"),
    "placed": Kpi("People placed", "count", "People on the staff with a placement", people=True),
    "unassigned": Kpi("People unassigned", "count", "People on the staff with no placement",
                      people=True),
    "vacancies": Kpi("Positions to recruit", "count", "Positions to recruit for"),
    "lone_peers": Kpi("Lone-peer services", "count", "Services with a single PSW (relatedness)"),
    "stretch_placements": Kpi("Stretch placements", "count",
                              "Placements one saliency level above readiness, with support",
                              people=True),
    "moves": Kpi("Moves", "count", "People with a current placement who change it", people=True),
    "saliency_levels_offered": Kpi("Saliency levels offered", "count",
                                   "Distinct disclosure-saliency levels (1-5) in the plan"),
    "saliency_tiers_offered": Kpi("Saliency tiers offered", "count",
                                  "Low, middle and high saliency tiers: the career-track menu"),
    "supervisors": Kpi("Peer supervisors", "count", "Peer supervisors placed", people=True),
}
