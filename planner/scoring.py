"""Fit and autonomy of one placement: pure functions, each 0-100 in points.

Each component is tied to the Self-Determination Theory need it serves (DESIGN.md §1).
Fit serves competence and relatedness; autonomy serves autonomy. The component maxima
add up to 100, so an explanation reads as points. docs/scoring.md works an example.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from planner.domain import PSW, Role, Service

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
    """Fit and autonomy of one (person, role, service), with points per component."""

    components: dict[str, float]

    @cached_property
    def fit(self) -> float:
        return round(sum(self.components[c] for c in FIT_COMPONENTS), 2)

    @cached_property
    def autonomy(self) -> float:
        return round(sum(self.components[c] for c in AUTONOMY_COMPONENTS), 2)


def readiness_match(psw: PSW, role: Role) -> float:
    """Competence: peaks when the role asks exactly the disclosure the person is ready for.

    More saliency than readiness strains (a stretch placement); less leaves a ready person
    with no room for their story, the frustration the research reports, less severely.
    """
    gap = role.saliency - psw.readiness
    penalty = STRAIN_PER_LEVEL * gap if gap > 0 else UNDERUSE_PER_LEVEL * -gap
    return max(0.0, READINESS_MATCH_MAX - penalty)


def topic_overlap(psw: PSW, role: Role, service: Service) -> float:
    """Competence: lived experience that matches what the role and the service's users need.

    Two shared topics (or all of them, when fewer are needed) earn the full points; where
    neither role nor service names a topic, any lived experience is half-relevant.
    """
    needed = set(role.topics) | set(service.topics)
    if not needed:
        return TOPIC_OVERLAP_MAX / 2
    shared = len(needed & set(psw.topics))
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
    components = {
        "readiness_match": readiness_match(psw, role),
        "topic_overlap": topic_overlap(psw, role, service),
        "climate_support": climate_support(role, service),
        "experience_headroom": experience_headroom(psw, role),
        "role_preference": role_preference(psw, role),
        "setting_preference": setting_preference(psw, service),
        "continuity": continuity(psw, role, service),
        "freedom_to_disclose": freedom_to_disclose(psw, service),
    }
    return PlacementScore({k: round(v, 2) for k, v in components.items()})


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


def saliency_tier(saliency: int) -> str:
    """Low (1-2), middle (3) or high (4-5) saliency: the career-track menu."""
    if saliency <= 2:
        return "low"
    return "middle" if saliency == 3 else "high"
