"""Plans the HTML report tests render, each solved once per pytest run."""

from __future__ import annotations

import functools
from dataclasses import replace

from planner.core.domain import Org
from planner.core.results import Plan
from planner.solve.planning import plan
from tests.helpers.orgs import psw, role, service, tiny_org
from tests.helpers.paths import SAMPLES

REGIONAL = SAMPLES / "regional_service.xlsx"

# Distinctive private values: none may reach a director report.
PRIVATE_NAMES = ("Zebediah Quux", "Ottoline Vexworth", "Barnaby Kestrelmoor", "Ysolde Fernhalt",
                 "Casimir Dunwoody", "Philippa Auklet", "Leopold Wrenfield")
PRIVATE_IDS = tuple(f"PX-{7781 + i}" for i in range(len(PRIVATE_NAMES)))
PRIVATE_TOPICS = ("family", "justice")  # lived experience of the people only, not of roles


@functools.cache
def regional_plan() -> Plan:
    from planner.workbook.read import read_org

    return plan(read_org(REGIONAL))


@functools.cache
def private_org() -> Org:
    """Seven people with distinctive names and ids; two are left unassigned (< k = 5):
    one not ready for any role, one excluded from every service."""
    people = [
        replace(psw(pid, readiness=3, topics=("wellness", *PRIVATE_TOPICS),
                    preferred_roles=("GEN",)),
                name=name)
        for pid, name in zip(PRIVATE_IDS, PRIVATE_NAMES, strict=True)
    ]
    people[5] = replace(people[5], readiness=1)
    people[6] = replace(people[6], exclude_services=("S-NORTH", "S-SOUTH"))
    org = tiny_org(
        psws=people,
        roles=[role("GEN", saliency=3, topics=("wellness",), career_track="Community peer"),
               role("HIGH", saliency=4, topics=("wellness",), career_track="Ward peer")],
        services=[service("S-NORTH", demand_fte=3.0, climate=4, topics=("wellness",)),
                  service("S-SOUTH", demand_fte=3.0, climate=2, topics=("wellness",))],
        allow_vacancies=True,
    )
    return replace(org, source="private.xlsx", input_sha256="c" * 64)


@functools.cache
def private_plan() -> Plan:
    return plan(private_org())
