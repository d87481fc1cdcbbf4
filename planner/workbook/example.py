"""A small worked organisation for `planner template --example`: made-up names, every feature.

Riverside Mind Trust (fictional) has three services in two regions, five roles across the
saliency range and eight peer support workers. On purpose it shows:

- a service whose demand is given by WHO WISN workload instead of demand_fte (S2: 3,165
  contacts a year x 45 minutes = 1.5 FTE with the default working-time Policy);
- a custom topic ("perinatal") on the Topics sheet;
- a generic role (NAVIGATOR: no topics), a role deployable anywhere (SUPERVISOR: no
  settings), a role with a minimum climate (WARD) and a peer supervisor role;
- a locked person (P01, whose current placement meets every rule), a stretch person (P02),
  a person who travels (P05), exclusions (P04, P08) and ranked preferences throughout;
- a person the plan cannot place (P08 excludes the only service in their region and does not
  travel), so the report has an "unassigned, because ..." to show;
- a Policy with a budget.
"""

from __future__ import annotations

from planner.core.domain import BUILTIN_TOPICS, PSW, Org, Policy, Role, Service
from planner.workbook.generate import band_cost


def example_services() -> tuple[Service, ...]:
    """Three services: a ward, a community team sized by WISN workload, a recovery college."""
    return (
        Service("S1", "Willow Ward (acute inpatient)", "inpatient", climate=3, demand_fte=2.0,
                region="North", topics=("hospitalisation", "medication", "crisis"),
                min_peers=2),
        Service("S2", "Harbour Community Team", "community", climate=4, demand_fte=1.5,
                region="North", topics=("housing", "daily_living", "wellness"),
                annual_contacts=3165.0, minutes_per_contact=45.0),
        Service("S3", "Southgate Recovery College", "outpatient", climate=5, demand_fte=1.6,
                region="South", topics=("wellness", "vocational", "perinatal")),
    )


def example_roles() -> tuple[Role, ...]:
    """Five roles from saliency 5 (disclosure is the job) to 2, plus a peer supervisor."""
    band3, band4, band5 = band_cost(3), band_cost(4), band_cost(5)
    return (
        Role("WARD", "Ward peer expert", saliency=5, fte=1.0, cost_per_fte=band4,
             topics=("hospitalisation", "crisis"), settings=("inpatient",), min_experience=1,
             min_climate=3, career_track="Inpatient peer"),
        Role("BRIDGER", "Peer bridger (ward to community)", saliency=4, fte=1.0,
             cost_per_fte=band4, topics=("hospitalisation", "housing"),
             settings=("inpatient", "community"), min_experience=1, career_track="Transitions"),
        Role("COACH", "Whole-health coach", saliency=3, fte=0.6, cost_per_fte=band3,
             topics=("wellness", "health"), settings=("community", "outpatient"),
             career_track="Health and wellbeing"),
        Role("NAVIGATOR", "Peer navigator", saliency=2, fte=1.0, cost_per_fte=band3,
             settings=("community", "outpatient"), career_track="Community peer"),
        Role("SUPERVISOR", "Peer supervisor", saliency=3, fte=1.0, cost_per_fte=band5,
             min_experience=3, career_track="Supervision", supervisor=True),
    )


def example_psws() -> tuple[PSW, ...]:
    """Eight made-up people across the readiness range."""
    return (
        PSW("P01", 5, 1.0, name="Alex Morrow", topics=("hospitalisation", "crisis", "trauma"),
            experience=3, region="North", preferred_roles=("WARD", "BRIDGER"),
            preferred_settings=("inpatient",), current_service="S1", current_role="WARD",
            lock=True),
        PSW("P02", 3, 0.8, name="Bea Okonjo", topics=("hospitalisation", "housing", "wellness"),
            experience=2, region="North", preferred_roles=("BRIDGER", "COACH"),
            current_service="S2", current_role="COACH", stretch=True),
        PSW("P03", 4, 0.6, name="Casey Lindqvist", topics=("wellness", "vocational", "perinatal"),
            experience=1, region="South", preferred_roles=("COACH",),
            preferred_settings=("outpatient",), current_service="S3", current_role="COACH"),
        PSW("P04", 2, 1.0, name="Dev Sarran", topics=("housing", "daily_living"),
            region="North", preferred_roles=("NAVIGATOR",), exclude_services=("S1",)),
        PSW("P05", 4, 0.5, name="Elin Greaves", topics=("crisis", "medication"), experience=4,
            region="South", travel=True, preferred_roles=("BRIDGER", "SUPERVISOR"),
            preferred_settings=("inpatient", "community")),
        PSW("P06", 3, 1.0, name="Femi Adewole", topics=("wellness", "health"), experience=5,
            region="South", preferred_roles=("SUPERVISOR", "COACH"), current_service="S3",
            current_role="SUPERVISOR"),
        PSW("P07", 2, 0.4, name="Gus Halloran", topics=("daily_living",), experience=1,
            region="North", preferred_roles=("NAVIGATOR",), current_service="S2",
            current_role="NAVIGATOR"),
        PSW("P08", 5, 0.8, name="Hana Itoh", topics=("trauma", "crisis", "perinatal"),
            experience=2, region="South", preferred_roles=("WARD", "COACH"),
            preferred_settings=("inpatient", "outpatient"), exclude_services=("S3",)),
    )


def example_org() -> Org:
    """The worked example organisation (fictional; safe to share and to commit)."""
    topics = dict(BUILTIN_TOPICS)
    topics["perinatal"] = "Pregnancy, birth and the first year"
    return Org(services=example_services(), roles=example_roles(), psws=example_psws(),
               policy=Policy(budget=210_000.0), topics=topics)


# Two what-ifs for `planner compare` on the example workbook (rows of its Scenarios sheet).
EXAMPLE_SCENARIOS: tuple[tuple[str, str, str, str, str, object], ...] = (
    ("Budget +20%", "Policy", "budget", "value", "scale", 1.2),
    ("Staff education on Willow Ward", "Services", "S1", "climate", "add", 1),
)
