"""Small builders so each rule test reads as a tiny hand-made organisation."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from planner.core.domain import PSW, Org, Policy, Role, Service


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
    from planner.core.domain import LonePeer

    pol = replace(pol, lone_peer=LonePeer(policy["lone_peer"]))
    return Org(
        services=tuple(services or [service("S1")]),
        roles=tuple(roles or [role("R1")]),
        psws=tuple(psws if psws is not None else [psw("A"), psw("B")]),
        policy=pol,
    )


@pytest.fixture
def builders():
    return {"psw": psw, "role": role, "service": service, "tiny_org": tiny_org}
