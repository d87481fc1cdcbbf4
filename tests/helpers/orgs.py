"""Small builders so each rule test reads as a tiny hand-made organisation, and the few
organisations that tests of several modules share."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from planner.core.domain import PSW, LonePeer, Org, Policy, Role, Service
from planner.solve.candidates import enumerate_candidates
from planner.solve.model import canonical
from planner.workbook.generate import generate_org


def psw(psw_id: str, readiness: int = 3, **kw: Any) -> PSW:
    kw.setdefault("available_fte", 1.0)
    kw.setdefault("topics", ("wellness",))
    kw.setdefault("experience", 2)
    return PSW(psw_id=psw_id, readiness=readiness, name=f"Person {psw_id}", **kw)


def role(role_id: str, saliency: int = 3, **kw: Any) -> Role:
    kw.setdefault("fte", 1.0)
    kw.setdefault("cost_per_fte", 30_000.0)
    return Role(role_id=role_id, title=f"Role {role_id}", saliency=saliency, **kw)


def service(service_id: str, demand_fte: float = 2.0, **kw: Any) -> Service:
    kw.setdefault("setting", "community")
    kw.setdefault("climate", 4)
    return Service(service_id=service_id, name=f"Service {service_id}", demand_fte=demand_fte,
                   **kw)


def tiny_org(
    psws: list[PSW] | None = None,
    roles: list[Role] | None = None,
    services: list[Service] | None = None,
    **policy: Any,
) -> Org:
    """One service, one role, two people by default; lone peers allowed and no vacancies,
    so that a test isolates the rule it is about."""
    policy.setdefault("lone_peer", "allow")
    policy.setdefault("allow_vacancies", False)
    policy.setdefault("min_saliency_tiers", 0)
    policy.setdefault("weight_saliency_tier", 0.0)
    pol = Policy(**{k: v for k, v in policy.items() if k != "lone_peer"})
    pol = replace(pol, lone_peer=LonePeer(policy["lone_peer"]))
    return Org(
        services=tuple(services or [service("S1")]),
        roles=tuple(roles or [role("R1")]),
        psws=tuple(psws if psws is not None else [psw("A"), psw("B")]),
        policy=pol,
    )


TOPICS = ("vocational", "health", "wellness", "housing", "trauma")


def random_org(seed: int, people: int = 9) -> Org:
    """Five roles (one per saliency), four services and `people` people drawn from `seed`;
    lone peers discouraged, vacancies allowed, a tier menu, and a budget below the cost of
    filling every service's demand."""
    rng = random.Random(seed)
    roles = [role(f"R{i}", saliency=s, topics=t, cost_per_fte=rng.choice([28_000, 32_000]))
             for i, (s, t) in enumerate([(1, ()), (2, ("vocational",)), (3, ()),
                                         (4, ("trauma", "health")), (5, ())])]
    services = [service(f"S{i}", demand_fte=rng.choice([1, 1.5, 2, 3]),
                        climate=rng.randint(1, 5), topics=(rng.choice(TOPICS),),
                        setting=rng.choice(["community", "inpatient"]))
                for i in range(4)]
    psws = [psw(f"P{i}", readiness=rng.randint(1, 5),
                topics=tuple(rng.sample(TOPICS, 2)), available_fte=rng.choice([0.5, 1.0]),
                experience=rng.randint(0, 5), stretch=rng.random() < 0.3,
                preferred_roles=tuple(rng.sample([r.role_id for r in roles], 2)))
            for i in range(people)]
    return tiny_org(psws=psws, roles=roles, services=services, lone_peer="discourage",
                    allow_vacancies=True, min_saliency_tiers=3, weight_saliency_tier=30,
                    budget=sum(s.demand_fte for s in services) * 25_000)


def torn_org() -> Org:
    """Four people ready for a middle-saliency role (the better fit) who ask for the
    low-saliency one (the freer choice): fit and autonomy pull apart."""
    people = [psw(f"P{n}", readiness=3, preferred_roles=("LOW",)) for n in range(1, 5)]
    people[3] = psw("P4", readiness=3, preferred_roles=("LOW",), available_fte=0.5)
    return tiny_org(psws=people, roles=[role("LOW", saliency=1), role("MID", saliency=3)],
                    services=[service("S1", demand_fte=10.0)])


def best_per_person(score: str) -> float:
    """What the extremes of `torn_org`'s frontier must reach: nothing limits them but one
    position per person."""
    best: dict[str, float] = {}
    for c in enumerate_candidates(torn_org()):
        value = c.fte * getattr(c.score, score)
        best[c.psw.psw_id] = max(best.get(c.psw.psw_id, 0.0), value)
    return round(sum(best.values()), 2)


def two_region_org(seed: int = 3) -> Org:
    """Two regions, a supervisor role, a binding budget, lone peers discouraged (canonical)."""
    return canonical(generate_org(psws=40, services=10, regions=2, seed=seed))
