"""Fit and autonomy of one placement: pure functions, each 0-100 in points.

Each component is tied to the Self-Determination Theory need it serves (docs/scoring.md).
Fit serves competence and relatedness; autonomy serves autonomy. The component maxima
add up to 100, so an explanation reads as points. docs/scoring.md works an example.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.core.domain import PSW, Role, Service
from planner.core.eligibility import readiness_gap

# Maxima of the components (points).
READINESS_MATCH_MAX = 40.0
TOPIC_OVERLAP_MAX = 30.0
CLIMATE_SUPPORT_MAX = 20.0
EXPERIENCE_HEADROOM_MAX = 10.0
ROLE_PREFERENCE_MAX = 40.0
SETTING_PREFERENCE_MAX = 20.0
CONTINUITY_MAX = 15.0
FREEDOM_TO_DISCLOSE_MAX = 25.0

STRAIN_PER_LEVEL = 20.0  # saliency above readiness: disclosing more than one is ready for
UNDERUSE_PER_LEVEL = 8.0  # saliency below readiness: no room for one's story (milder)

FIT_COMPONENTS = ("readiness_match", "topic_overlap", "climate_support", "experience_headroom")
AUTONOMY_COMPONENTS = (
    "role_preference",
    "setting_preference",
    "continuity",
    "freedom_to_disclose",
)


@dataclass(frozen=True)
class PlacementScore:
    """Fit and autonomy of one (person, role, service), with points per component: fit is
    the sum of FIT_COMPONENTS, autonomy of AUTONOMY_COMPONENTS (see `_score`)."""

    components: dict[str, float]
    fit: float
    autonomy: float


def readiness_match(psw: PSW, role: Role) -> float:
    """Competence: peaks when the role asks exactly the disclosure the person is ready for.

    More saliency than readiness strains (a stretch placement); less leaves a ready person
    with no room for their story, the frustration the research reports, less severely.
    A role that discloses to several targets is matched on its tightest one.
    """
    gap = readiness_gap(psw, role)
    penalty = STRAIN_PER_LEVEL * gap if gap > 0 else UNDERUSE_PER_LEVEL * -gap
    return max(0.0, READINESS_MATCH_MAX - penalty)


def topic_overlap(psw: PSW, role: Role, service: Service) -> float:
    """Competence: lived experience that matches what the role and the service's users need.

    Two shared topics (or all of them, when fewer are needed) earn the full points; where
    neither role nor service names a topic, any lived experience is half-relevant.
    """
    return _topic_points(needed_topics(role, service), psw.topics)


def needed_topics(role: Role, service: Service) -> frozenset[str]:
    """The topics the role and the service's users need."""
    return frozenset(role.topics).union(service.topics)


def _topic_points(needed: frozenset[str], topics: tuple[str, ...]) -> float:
    if not needed:
        return TOPIC_OVERLAP_MAX / 2
    shared = len(needed.intersection(topics))
    return TOPIC_OVERLAP_MAX * min(1.0, shared / min(2, len(needed)))


def climate_support(role: Role, service: Service) -> float:
    """Relatedness: a high-saliency role needs a team that values disclosure.

    Full points when the service's climate is at least the role's saliency; a quarter
    off per level short. Low-saliency roles barely depend on climate.
    """
    short = max(0, role.saliency - service.climate)
    return CLIMATE_SUPPORT_MAX * (1 - short / 4)


def experience_headroom(psw: PSW, role: Role) -> float:
    """Competence: experience beyond the role's minimum makes the person feel skilled."""
    headroom = psw.experience - role.min_experience
    return EXPERIENCE_HEADROOM_MAX * min(1.0, max(0, headroom + 1) / 3)


def role_preference(psw: PSW, role: Role) -> float:
    """Autonomy: choice of role and career track. Top choice 40, then 30, 20, 10.

    A person who stated no preference is indifferent: half the points for any role.
    """
    if not psw.preferred_roles:
        return ROLE_PREFERENCE_MAX / 2
    rank = preference_rank(psw, role)
    if rank is None:
        return 0.0
    return max(10.0, ROLE_PREFERENCE_MAX - 10.0 * (rank - 1))


def setting_preference(psw: PSW, service: Service) -> float:
    """Autonomy: choice of where to work."""
    if not psw.preferred_settings:
        return SETTING_PREFERENCE_MAX / 2
    return SETTING_PREFERENCE_MAX if service.setting in psw.preferred_settings else 0.0


def continuity(psw: PSW, role: Role, service: Service) -> float:
    """Autonomy: keeping a current placement the person wants (or has not asked to leave)."""
    if not is_current(psw, role, service):
        return 0.0
    wanted = not psw.preferred_roles or role.role_id in psw.preferred_roles
    return CONTINUITY_MAX if wanted else 0.0


def freedom_to_disclose(psw: PSW, service: Service) -> float:
    """Autonomy: the team's climate lets the person disclose as much as they are ready to."""
    short = max(0, psw.readiness - service.climate)
    return FREEDOM_TO_DISCLOSE_MAX * (1 - short / 4)


def score_placement(psw: PSW, role: Role, service: Service) -> PlacementScore:
    """All components of one placement (points, rounded to 2 decimals)."""
    needed, climate = role_service_parts(role, service)
    return _score(person_role_parts(psw, role), person_service_parts(psw, service), climate,
                  round(_topic_points(needed, psw.topics), 2), continuity(psw, role, service))


Parts = tuple[float, ...]


def person_role_parts(psw: PSW, role: Role) -> Parts:
    """The components that depend on the person and the role alone (rounded): readiness
    match, experience headroom, role preference."""
    return (round(readiness_match(psw, role), 2), round(experience_headroom(psw, role), 2),
            round(role_preference(psw, role), 2))


def person_service_parts(psw: PSW, service: Service) -> Parts:
    """The components that depend on the person and the service alone (rounded): setting
    preference, freedom to disclose. They read the service's setting and climate only
    (`Scorer` keeps them by those)."""
    return (round(setting_preference(psw, service), 2),
            round(freedom_to_disclose(psw, service), 2))


def _score(person_role: Parts, person_service: Parts, climate: float, topics: float,
           stays: float) -> PlacementScore:
    """The placement's score from its parts (each rounded): those of its pairs, its topic
    overlap and its continuity."""
    readiness, headroom, preferred = person_role
    setting, freedom = person_service
    components = {  # in the order of FIT_COMPONENTS, then AUTONOMY_COMPONENTS
        "readiness_match": readiness,
        "topic_overlap": topics,
        "climate_support": climate,
        "experience_headroom": headroom,
        "role_preference": preferred,
        "setting_preference": setting,
        "continuity": stays,
        "freedom_to_disclose": freedom,
    }
    return PlacementScore(components,
                          fit=round(readiness + topics + climate + headroom, 2),
                          autonomy=round(preferred + setting + stays + freedom, 2))


def role_service_parts(role: Role, service: Service) -> tuple[frozenset[str], float]:
    """The topics needed and the climate support (rounded) of a role in a service."""
    return needed_topics(role, service), round(climate_support(role, service), 2)


class Scorer:
    """`score_placement` for many placements: the parts that depend on a pair (a person and
    a role, a person and a service, a role and a service) are worked out once per pair.
    Enumerating every placement of a large organisation meets each such pair many times.

    A person's pairs are held only while their placements are scored one after another
    (as enumeration does, person by person); the role-service pairs are held throughout."""

    def __init__(self) -> None:
        self._person: str | None = None
        self._person_role: dict[str, Parts] = {}
        self._person_service: dict[tuple[str, int], Parts] = {}
        self._topics: dict[frozenset[str], float] = {}  # the person's, by topics needed
        self._role_service: dict[tuple[str, str], tuple[frozenset[str], float]] = {}

    def score(self, psw: PSW, role: Role, service: Service) -> PlacementScore:
        """`score_placement(psw, role, service)`."""
        if psw.psw_id != self._person:
            self._person = psw.psw_id
            self._person_role.clear()
            self._person_service.clear()
            self._topics.clear()
        person_role = self._person_role.get(role.role_id)
        if person_role is None:
            person_role = self._person_role[role.role_id] = person_role_parts(psw, role)
        setting = (service.setting, service.climate)  # all `person_service_parts` reads
        person_service = self._person_service.get(setting)
        if person_service is None:
            person_service = self._person_service[setting] = person_service_parts(psw, service)
        key = (role.role_id, service.service_id)
        role_service = self._role_service.get(key)
        if role_service is None:
            role_service = self._role_service[key] = role_service_parts(role, service)
        needed, climate = role_service
        topics = self._topics.get(needed)
        if topics is None:
            topics = self._topics[needed] = round(_topic_points(needed, psw.topics), 2)
        stays = (continuity(psw, role, service) if psw.current_service == service.service_id
                 else 0.0)
        return _score(person_role, person_service, climate, topics, stays)


def vacancy_fit(role: Role, service: Service) -> float:
    """0-100: how well a role suits a service, for positions nobody on the staff fills.

    Half for topics (a specialist role whose topic the service's users need, or a generic
    role), half for a climate that supports the role's saliency (relatedness of the hire).
    """
    if role.topics:
        topic_part = 50.0 if set(role.topics) & set(service.topics) else 10.0
    else:
        topic_part = 30.0
    return round(topic_part + 50.0 * climate_support(role, service) / CLIMATE_SUPPORT_MAX, 2)


def preference_rank(psw: PSW, role: Role) -> int | None:
    if role.role_id in psw.preferred_roles:
        return psw.preferred_roles.index(role.role_id) + 1
    return None


def is_current(psw: PSW, role: Role, service: Service) -> bool:
    return psw.current_role == role.role_id and psw.current_service == service.service_id


HIGH_SALIENCY = 4  # saliency 4-5: roles where disclosure is central


def saliency_tier(saliency: int) -> str:
    """Low (1-2), middle (3) or high (4-5) saliency: the career-track menu."""
    if saliency <= 2:
        return "low"
    return "middle" if saliency < HIGH_SALIENCY else "high"
