"""The executive summary: a few plain sentences generated from a Plan's numbers.

Pure functions: each takes the Plan (already viewed for its audience) and returns a
sentence, or None when it has nothing to say. Counts of people go through
`people_count`, so a director never reads a group smaller than k.
"""

from __future__ import annotations

from collections.abc import Callable

from planner.core.audience import Audience, people_count, privacy_k
from planner.core.formatting import fte, join_words, money, pct, plural, points
from planner.core.results import Plan, ServiceOutcome, Status, Vacancy
from planner.core.scoring import HIGH_SALIENCY

# A service "holds back" high-saliency roles (relatedness, docs/scoring.md) when its
# disclosure climate is at or below LOW_CLIMATE, or below HIGH_SALIENCY while the plan
# places no role of saliency HIGH_SALIENCY or more there (filled or to recruit).
LOW_CLIMATE = 2
CLIMATE_DEFINITION = (
    f"A service's disclosure climate holds back high-saliency roles (saliency "
    f"{HIGH_SALIENCY}–5) when its climate is {LOW_CLIMATE} or lower (such a role there gets "
    f"half or less of its climate support), or when its climate is below {HIGH_SALIENCY} "
    f"and the plan places no role of saliency {HIGH_SALIENCY} or more there, filled or to "
    f"recruit."
)


def executive_summary(plan: Plan, audience: Audience = Audience.HR) -> list[str]:
    """The summary's sentences, most important first (coverage always leads)."""
    if plan.kpis is None:
        return no_plan_sentences(plan)
    makers: list[Callable[[], str | None]] = [
        lambda: coverage_sentence(plan),
        lambda: placement_sentence(plan, audience),
        lambda: quality_sentence(plan),
        lambda: cost_sentence(plan),
        lambda: shortfall_sentence(plan),
        lambda: low_climate_sentence(plan),
        lambda: no_high_saliency_sentence(plan),
        lambda: proof_sentence(plan),
    ]
    return [s for s in (make() for make in makers) if s]


def no_plan_sentences(plan: Plan) -> list[str]:
    """What to say when the solver found no plan."""
    if plan.status is Status.INFEASIBLE:
        rules = join_words([f"“{c}”" for c in plan.conflicts], limit=8)
        return ["No plan satisfies all the rules.",
                f"These rules cannot all hold together: {rules}." if rules else ""]
    return [f"The time limit ({plan.solve_seconds:,.0f} s) passed before any plan was "
            "found; raise the time limit and plan again."]


def coverage_sentence(plan: Plan) -> str:
    """Coverage of demand by current staff, then with the positions to recruit."""
    k = plan.kpis
    assert k is not None
    text = (f"The plan fills {fte(k.filled_fte)} of the {fte(k.demand_fte)} FTE of peer "
            f"support that services need ({pct(k.coverage)} coverage)")
    if k.vacancies:
        text += (f"; with {plural(k.vacancies, 'position')} to recruit "
                 f"({fte(k.vacant_fte)} FTE) it covers {pct(k.planned_coverage)}")
    return text + "."


def placement_sentence(plan: Plan, audience: Audience) -> str:
    """How many people are placed and how many are not (small groups suppressed)."""
    k = plan.kpis
    assert k is not None
    placed = people_count(k.placed, privacy_k(plan), audience)
    text = f"{_people(placed).capitalize()} {_are(placed)} placed"
    if not k.unassigned:
        return text + " and nobody is left without a position."
    left = people_count(k.unassigned, privacy_k(plan), audience)
    return f"{text}; {_people(left)} {_are(left)} not placed (see Unassigned)."


def _people(shown: int | str) -> str:
    return plural(shown, "person", "people")


def _are(shown: int | str) -> str:
    """The verb agrees with the count as shown: a suppressed '<5' is plural."""
    return "is" if shown == 1 else "are"


def quality_sentence(plan: Plan) -> str:
    """Mean fit (competence, relatedness) and autonomy of the placements."""
    k = plan.kpis
    assert k is not None
    return (f"On average a placement scores {points(k.mean_fit)} of 100 for fit and "
            f"{points(k.mean_autonomy)} of 100 for autonomy; {pct(k.top_choice_share)} of "
            f"those who stated a preference have their first-choice role.")


def cost_sentence(plan: Plan) -> str:
    """Annual cost against the budget."""
    k = plan.kpis
    assert k is not None
    if not k.budget:
        return f"The plan costs {money(k.cost)} a year; no budget was set."
    share = pct(k.cost / k.budget, 1)
    if k.cost <= k.budget:
        return (f"The plan costs {money(k.cost)} a year, {share} of the budget of "
                f"{money(k.budget)} ({money(k.budget - k.cost)} left).")
    return (f"The plan costs {money(k.cost)} a year, {money(k.cost - k.budget)} over the "
            f"budget of {money(k.budget)} ({share}).")


def largest_shortfall(plan: Plan) -> ServiceOutcome | None:
    """The service with the most demand not filled by staff (unmet + to recruit)."""
    gaps = [s for s in plan.services if s.unmet_fte + s.vacant_fte > 0]
    return max(gaps, key=lambda s: s.unmet_fte + s.vacant_fte, default=None)


def shortfall_sentence(plan: Plan) -> str:
    """The largest shortfall and what to recruit for it."""
    worst = largest_shortfall(plan)
    if worst is None:
        return "Every service's demand is filled by current staff."
    gap = worst.unmet_fte + worst.vacant_fte
    text = (f"The largest shortfall is at {service_label(worst)}: {fte(gap)} of its "
            f"{fte(worst.demand_fte)} FTE is not filled by current staff")
    recruit = [v for v in plan.vacancies if v.service_id == worst.service_id]
    if not recruit:
        return text + "; no position is planned for recruitment there."
    return f"{text}; to close it, recruit {join_words([recruit_phrase(v) for v in recruit])}."


def recruit_phrase(vacancy: Vacancy) -> str:
    """'5 × Peer rights advocate (4 FTE; rights; inpatient; readiness 3+, experience 1+)'."""
    profile = vacancy.profile
    title = profile.get("title") or vacancy.role_id
    details = [f"{fte(vacancy.fte)} FTE"]
    if profile.get("topics"):
        topics = [str(t).replace("_", " ") for t in profile["topics"]]
        details.append(f"topic{'s' if len(topics) > 1 else ''} {join_words(topics)}")
    if profile.get("setting"):
        details.append(f"{str(profile['setting']).replace('_', ' ')} setting")
    if profile.get("min_readiness"):
        details.append(f"ready to disclose at level {profile['min_readiness']} or more")
    if profile.get("min_experience"):
        details.append(f"experience level {profile['min_experience']} or more")
    return f"{vacancy.positions} × {title} ({'; '.join(details)})"


def climate_holds_back(plan: Plan) -> tuple[list[ServiceOutcome], list[ServiceOutcome]]:
    """Services whose climate holds back high-saliency roles: (low climate, no such role)."""
    saliency = {r.role_id: r.saliency for r in plan.roles}
    with_high = {
        c.service_id for c in plan.role_mix if saliency.get(c.role_id, 0) >= HIGH_SALIENCY
    }
    low = sorted((s for s in plan.services if s.climate <= LOW_CLIMATE),
                 key=lambda s: (s.climate, s.service_id))
    without = [s for s in plan.services
               if LOW_CLIMATE < s.climate < HIGH_SALIENCY and s.service_id not in with_high]
    return low, without


def low_climate_sentence(plan: Plan) -> str | None:
    """Services whose low climate holds back high-saliency roles (lowest climate first)."""
    low, _ = climate_holds_back(plan)
    if not low:
        return None
    names = join_words([service_label(s, f"climate {s.climate}") for s in low], limit=6)
    return (f"The disclosure climate is {LOW_CLIMATE} or lower in "
            f"{plural(len(low), 'service')}, which holds back high-saliency roles there: "
            f"{names}; staff education that raises the climate would open them.")


def no_high_saliency_sentence(plan: Plan) -> str | None:
    """Services with a middling climate where the plan places no high-saliency role."""
    _, without = climate_holds_back(plan)
    if not without:
        return None
    names = join_words([service_label(s) for s in without])
    levels = sorted({s.climate for s in without})
    climate = " or ".join(str(c) for c in levels)
    verb = "has" if len(without) == 1 else "have"
    return (f"{plural(len(without), 'service')} with climate {climate} {verb} no "
            f"high-saliency role in the plan: {names}.")


def proof_sentence(plan: Plan) -> str | None:
    """Only when the plan is not proven optimal: how far from the best it may be."""
    if plan.status is Status.OPTIMAL or plan.gap is None:
        return None
    if plan.model_stats.get("blocks"):
        return (f"The organisation is too large to solve as a whole in the time allowed, so it "
                f"was planned in {plan.model_stats['blocks']} blocks of services; this plan is "
                f"within {pct(plan.gap, 2)} of the best possible.")
    return (f"The solver stopped at its time limit; this plan is within {pct(plan.gap, 2)} "
            f"of the best possible.")


def service_label(service: ServiceOutcome, note: str = "") -> str:
    """'Brookvale Court: Ward 2 (S011)' or with a note '… (S011, climate 2)'."""
    inner = ", ".join(x for x in (service.service_id, note) if x)
    if service.name and service.name != service.service_id:
        return f"{service.name} ({inner})"
    return f"{service.service_id} ({note})" if note else service.service_id
