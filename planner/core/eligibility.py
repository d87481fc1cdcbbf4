"""Hard rules on a single placement: who may take which role in which service.

Each rule is one function returning None when the placement is allowed, or a plain-language
reason when it is not. Its name is the rule's name in explanations ("blocked by readiness").
They are grouped by what they look at, so the model can check people x roles, roles x
services and people x services separately instead of every triple.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from planner.core.domain import PSW, TARGET_WORDS, Role, Service, Target


def readiness(psw: PSW, role: Role) -> str | None:
    """Autonomy: no role demands more disclosure than the person is ready for, to any of
    its targets (service users, staff, leadership).

    A person who accepts `stretch` may take a role one level above, with support, for one
    target at most.
    """
    short = readiness_shortfalls(psw, role)
    if not short or (psw.stretch and len(short) == 1 and max(short.values()) == 1):
        return None
    extra = " even with stretch" if psw.stretch else ""
    if role.disclosure_targets == (Target.SERVICE_USERS.value,):
        return f"readiness {psw.readiness} is below the role's saliency {role.saliency}{extra}"
    asked = " and ".join(f"{role.saliency_for(t)} with {TARGET_WORDS[t]}" for t in short)
    return f"{readiness_words(psw, role)}; {role.title} asks {asked}{extra}"


def readiness_shortfalls(psw: PSW, role: Role) -> dict[str, int]:
    """The levels by which the role's saliency exceeds the person's readiness, for each of
    its targets where it does."""
    return {t: s - psw.readiness_for(t) for t, s in role.asks.items()
            if s > psw.readiness_for(t)}


def readiness_gap(psw: PSW, role: Role) -> int:
    """Saliency less readiness on the role's tightest target: above 0 a stretch, below 0
    readiness to spare."""
    return max(s - psw.readiness_for(t) for t, s in role.asks.items())


def readiness_words(psw: PSW, role: Role) -> str:
    """'ready to disclose to service users at 4, to staff at 2': service users, then the
    role's other targets."""
    targets = dict.fromkeys((Target.SERVICE_USERS.value, *role.disclosure_targets))
    return "ready to disclose " + ", ".join(
        f"to {TARGET_WORDS[t]} at {psw.readiness_for(t)}" for t in targets)


def experience(psw: PSW, role: Role) -> str | None:
    if psw.experience >= role.min_experience:
        return None
    return f"experience {psw.experience} is below the role's minimum {role.min_experience}"


def topics(psw: PSW, role: Role) -> str | None:
    """Competence: a topic-specialist role needs lived experience of one of its topics."""
    if not role.topics or set(role.topics) & set(psw.topics):
        return None
    return f"shares none of the role's topics ({', '.join(role.topics)})"


def setting(role: Role, service: Service) -> str | None:
    if not role.settings or service.setting in role.settings:
        return None
    return f"the role is not deployed in {service.setting} settings"


def climate(role: Role, service: Service) -> str | None:
    """Relatedness: a role that needs a disclosure-friendly team only goes where there is one."""
    if role.min_climate is None or service.climate >= role.min_climate:
        return None
    return f"the service's climate {service.climate} is below the role's minimum {role.min_climate}"


def exclusion(psw: PSW, service: Service) -> str | None:
    if service.service_id not in psw.exclude_services:
        return None
    return "the person must not work in this service"


def region(psw: PSW, service: Service) -> str | None:
    if psw.travel or not psw.region or not service.region or psw.region == service.region:
        return None
    return f"the service is in {service.region}, outside the person's region {psw.region}"


PersonRoleRule = Callable[[PSW, Role], str | None]
RoleServiceRule = Callable[[Role, Service], str | None]
PersonServiceRule = Callable[[PSW, Service], str | None]

PERSON_ROLE_RULES: tuple[PersonRoleRule, ...] = (readiness, experience, topics)
ROLE_SERVICE_RULES: tuple[RoleServiceRule, ...] = (setting, climate)
PERSON_SERVICE_RULES: tuple[PersonServiceRule, ...] = (exclusion, region)


@dataclass(frozen=True)
class Blocked:
    """Why one placement is not allowed: the rule's name and the plain-language reason."""

    rule: str
    reason: str


def person_role_block(psw: PSW, role: Role) -> Blocked | None:
    return _first_block((rule.__name__, rule(psw, role)) for rule in PERSON_ROLE_RULES)


def role_service_block(role: Role, service: Service) -> Blocked | None:
    return _first_block((rule.__name__, rule(role, service)) for rule in ROLE_SERVICE_RULES)


def person_service_block(psw: PSW, service: Service) -> Blocked | None:
    return _first_block((rule.__name__, rule(psw, service)) for rule in PERSON_SERVICE_RULES)


def placement_block(psw: PSW, role: Role, service: Service) -> Blocked | None:
    """The first hard rule that stops this placement, or None when it is allowed."""
    return (
        person_role_block(psw, role)
        or role_service_block(role, service)
        or person_service_block(psw, service)
    )


def is_stretch(psw: PSW, role: Role) -> bool:
    """A placement above the person's readiness for one of the role's targets."""
    return bool(readiness_shortfalls(psw, role))


def _first_block(checks) -> Blocked | None:
    for name, reason in checks:
        if reason is not None:
            return Blocked(name, reason)
    return None
