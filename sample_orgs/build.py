"""Rebuild the bundled sample organisations, byte for byte.

    python sample_orgs/build.py            # rewrites the three workbooks beside this file
    python sample_orgs/build.py OUT_DIR    # writes them to OUT_DIR instead

All three are synthetic (made-up names, no real person):

- community_agency.xlsx: a small peer-run agency, hand-built: 10 PSWs, 4 services in one
  region with a warm disclosure climate (4-5), 7 community role types.
- regional_service.xlsx: `generate_org(60, 14, regions=3, seed=2)`: climates 1 to 5, all
  fourteen role types (a peer trainer disclosing to staff, a lived-experience lead to
  leaders), three regions, each with a budget of its own (a ceiling above what today's plan
  spends there, under the organisation's budget), and ten what-if scenarios.
- large_system.xlsx: `generate_org(600, 150, regions=5, seed=3)`: about 150 teams on 38
  sites across five regions.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from planner.core.domain import PSW, Org, Policy, Region, Service
from planner.workbook.generate import generate_org, role_catalogue
from planner.workbook.template import write_workbook

HERE = Path(__file__).resolve().parent
AGENCY_ROLES = ("GROUP", "ACT", "WHAM", "NAVIGATOR", "IPS", "HOUSING", "SUPERVISOR")
REGION = "Meadowbank"


def community_agency() -> Org:
    """Meadowbank Peer Collective (fictional): 10 PSWs, 4 services, warm climate, one region."""
    roles = tuple(r for r in role_catalogue() if r.role_id in AGENCY_ROLES)
    services = (
        Service("C1", "Meadowbank Community Team", "community", climate=4, demand_fte=3.5,
                region=REGION, topics=("daily_living", "wellness", "family")),
        Service("C2", "Meadowbank Recovery College", "other", climate=5, demand_fte=2.0,
                region=REGION, topics=("wellness", "family")),
        Service("C3", "Kingfisher Supported Housing", "housing", climate=4, demand_fte=2.0,
                region=REGION, topics=("housing", "daily_living", "substance_use")),
        Service("C4", "Meadowbank Employment Service", "vocational", climate=5, demand_fte=2.0,
                region=REGION, topics=("vocational", "wellness")),
    )
    return Org(services=services, roles=roles, psws=_agency_psws(),
               policy=Policy(budget=300_000.0))


def _agency_psws() -> tuple[PSW, ...]:
    def person(psw_id: str, name: str, readiness: int, fte: float, topics: str,
               experience: int, prefs: str, current: str = "", **extra: Any) -> PSW:
        service, _, role = current.partition("/")
        return PSW(psw_id, readiness, fte, name=name, topics=tuple(topics.split()),
                   experience=experience, region=REGION, preferred_roles=tuple(prefs.split()),
                   current_service=service or None, current_role=role or None,
                   **extra)

    return (
        person("A01", "Wren Hartley", 5, 1.0, "wellness trauma family", 4, "GROUP SUPERVISOR",
               "C2/GROUP", lock=True),
        person("A02", "Kit Orchard", 4, 0.6, "substance_use housing", 2, "HOUSING ACT",
               "C3/HOUSING"),
        person("A03", "Noor Fallon", 3, 1.0, "daily_living medication", 3, "ACT SUPERVISOR",
               "C1/ACT"),
        person("A04", "Remy Sallow", 2, 0.5, "vocational", 1, "IPS", "C4/IPS",
               preferred_settings=("vocational",)),
        person("A05", "Tam Greaves", 3, 0.8, "health wellness", 0, "WHAM NAVIGATOR"),
        person("A06", "Ira Dunmore", 4, 1.0, "hospitalisation crisis wellness", 1, "GROUP WHAM",
               "C1/NAVIGATOR", stretch=True),
        person("A07", "Sol Birchley", 1, 0.4, "housing", 0, "HOUSING",
               preferred_settings=("housing",)),
        person("A08", "Pia Marlow", 5, 0.7, "family trauma", 5, "SUPERVISOR GROUP",
               "C1/SUPERVISOR"),
        person("A09", "Eli Varley", 3, 1.0, "substance_use daily_living", 2, "ACT NAVIGATOR",
               exclude_services=("C3",)),
        person("A10", "Jude Quill", 2, 1.0, "medication wellness", 1, "NAVIGATOR",
               preferred_settings=("community",)),
    )


def sample_orgs() -> dict[str, Org]:
    """File name -> organisation, for every bundled sample."""
    return {
        "community_agency.xlsx": community_agency(),
        "regional_service.xlsx": replace(generate_org(60, 14, regions=3, seed=2),
                                         regions=REGIONAL_BUDGETS),
        "large_system.xlsx": generate_org(600, 150, regions=5, seed=3),
    }


# Each region's ceiling: about 8 % above what the regional sample's plan spends there, so
# that the organisation's budget binds first today and a cut to one region's bites.
REGIONAL_BUDGETS = (Region("North", 760_000), Region("South", 640_000),
                    Region("East", 580_000))

# What-if scenarios bundled with the regional sample, so `planner compare` has a demo: rows
# of (scenario, sheet, id, column, change, value, description, base), one change and
# filter of each kind (docs/scenarios.md applies them).
REGIONAL_SCENARIOS: tuple[tuple[object, ...], ...] = (
    ("Budget +10%", "Policy", "budget", "value", "scale", 1.1,
     "Ten per cent more for peer support next year"),
    ("Budget -10%", "Policy", "budget", "value", "scale", 0.9,
     "A ten per cent cut to the peer support budget"),
    ("Staff education on wards", "Services", "setting=inpatient & climate<4", "climate", "set",
     4, "Staff education raises every ward below 4 to a disclosure climate of 4"),
    ("Budget -10% on warmer wards", "Policy", "budget", "value", "scale", 0.9,
     "The budget cut, once staff education has warmed the wards", "Staff education on wards"),
    ("Climate +1 everywhere", "Services", "*", "climate", "add", 1,
     "A recovery-culture programme lifts every service's climate one step (those at 5 stay)"),
    ("No lone peers", "Policy", "lone_peer", "value", "set", "forbid",
     "No team with a PSW has fewer than its minimum of peers"),
    ("Everyone may travel", "PSWs", "*", "travel", "set", "yes",
     "Every PSW agrees to work outside their home region"),
    ("No crisis peers", "PSWs", "current_role=CRISIS & lock=yes", "lock", "set", "no",
     "The ED and crisis peer role ends; the crisis peer locked in post is released first"),
    ("No crisis peers", "Roles", "CRISIS", None, "remove", None),
    ("Three new hires", "PSWs", "P0054", None, "add_row", "N01, N02, N03",
     "Three people hired with the profile of a navigator on the staff, paid for by the ten "
     "per cent more", "Budget +10%"),
    ("North budget -10%", "Regions", "North", "budget", "scale", 0.9,
     "North's own budget cut by ten per cent; the other regions' and the organisation's stay"),
)


def build_all(folder: Path = HERE) -> list[Path]:
    """Write every sample workbook into `folder`, replacing what is there."""
    return [
        write_workbook(folder / name, org, force=True,
                       scenarios=REGIONAL_SCENARIOS if name.startswith("regional") else ())
        for name, org in sample_orgs().items()
    ]


if __name__ == "__main__":
    for written in build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(f"wrote {written}")
