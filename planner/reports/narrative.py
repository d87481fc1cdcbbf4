"""The executive summary: a few plain sentences generated from a Plan's numbers.

Pure functions: each takes the Plan (already viewed for its audience) and returns a
sentence, or None when it has nothing to say. Counts of people go through
`people_count`, so a director never reads a group smaller than k.
"""

from __future__ import annotations

from collections.abc import Callable

from planner.core.audience import Audience, people_count, privacy_k
from planner.core.formatting import fte, join_words, money, pct, plural, points, readiness_asked
from planner.core.results import Plan, RoleInfo, ServiceOutcome, Status, Vacancy

# Climate, as the model uses it (relatedness, docs/scoring.md): a role's minimum climate
# (Roles sheet, min_climate) keeps it out of a service whose climate is lower; the plan
# never places or recruits it there. The summary says no more than that: what a warmer
# climate would change is re-planned by the insights, not guessed here.
CLIMATE_DEFINITION = (
    "A role's minimum climate (Roles sheet, min_climate) keeps it out of any service whose "
    "disclosure climate is lower: the plan never places or recruits it there. The summary "
    "names each service where the climate keeps out a role its setting allows, and the role; "
    "whether a warmer climate would change the plan is re-planned by the insights "
    "(planner insights), not assumed."
)
UNMET_FTE = 0.005  # unmet demand below this is rounding
CAUSES = {  # why demand stays unmet (`ServiceOutcome.shortfall_cause`), in words
    "budget": "the budget is spent",
    "region budget": "the region's budget is spent",
    "position size": "what is left is smaller than any position",
    "setting": "no role is deployed in the setting",
    "climate": "the climate is below every allowed role's minimum",
    "no staff": "nobody free may take a role and recruiting is off",
    "value": "the Policy's weights favour other uses",
}


def executive_summary(plan: Plan, audience: Audience = Audience.HR) -> list[str]:
    """The summary's sentences, most important first (coverage always leads)."""
    if plan.kpis is None:
        return no_plan_sentences(plan)
    makers: list[Callable[[], str | None]] = [
        lambda: coverage_sentence(plan),
        lambda: placement_sentence(plan, audience),
        lambda: quality_sentence(plan),
        lambda: cost_sentence(plan),
        lambda: region_cost_sentence(plan),
        lambda: shortfall_sentence(plan),
        lambda: limits_sentence(plan),
        lambda: climate_sentence(plan),
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
    unmet = k.demand_fte - k.filled_fte - k.vacant_fte
    if unmet >= UNMET_FTE:
        text += f", and {fte(unmet)} FTE stays unmet"
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


def region_cost_sentence(plan: Plan) -> str | None:
    """Cost against each region's own budget, where the Regions sheet gives one."""
    if not plan.regions:
        return None
    parts = [f"{c.region} {money(c.cost)} of {money(c.budget)} ({pct(c.share, 1)})"
             for c in plan.regions]
    return f"Against the regions' own budgets, the plan costs {'; '.join(parts)}."


def largest_shortfall(plan: Plan) -> ServiceOutcome | None:
    """The service with the most demand not filled by staff (unmet + to recruit)."""
    gaps = [s for s in plan.services if s.unmet_fte + s.vacant_fte > 0]
    return max(gaps, key=lambda s: s.unmet_fte + s.vacant_fte, default=None)


def shortfall_sentence(plan: Plan) -> str:
    """The largest shortfall, what the plan recruits for it, and why any rest stays unmet;
    never more than the recruitment covers."""
    worst = largest_shortfall(plan)
    if worst is None:
        return "Every service's demand is filled by current staff."
    gap = worst.unmet_fte + worst.vacant_fte
    text = (f"The largest shortfall is at {service_label(worst)}: {fte(gap)} of its "
            f"{fte(worst.demand_fte)} FTE is not filled by current staff")
    recruit = [v for v in plan.vacancies if v.service_id == worst.service_id]
    if recruit:
        text += (f"; the plan recruits {join_words([recruit_phrase(v) for v in recruit])}, "
                 f"which covers {fte(worst.vacant_fte)} FTE of it")
        if worst.unmet_fte < UNMET_FTE:
            return text + "."
        text += f", and {fte(worst.unmet_fte)} FTE stays unmet"
    else:
        text += "; nothing is recruited there"
    return f"{text}. {worst.shortfall}".strip()


def limits_sentence(plan: Plan) -> str | None:
    """What limits coverage overall: the unmet FTE by cause, the largest first."""
    unmet: dict[str, float] = {}
    services: dict[str, int] = {}
    for s in plan.services:
        if s.unmet_fte >= UNMET_FTE and s.shortfall_cause:
            unmet[s.shortfall_cause] = unmet.get(s.shortfall_cause, 0.0) + s.unmet_fte
            services[s.shortfall_cause] = services.get(s.shortfall_cause, 0) + 1
    if not unmet:
        return None
    total = sum(unmet.values())
    parts = [f"{fte(v)} FTE because {CAUSES.get(c, c)} ({plural(services[c], 'service')})"
             for c, v in sorted(unmet.items(), key=lambda item: (-item[1], item[0]))]
    parts[0] = parts[0].replace(" FTE because", " FTE is unmet because", 1)
    return (f"Of the {fte(total)} FTE of demand neither filled nor recruited for, "
            f"{join_words(parts, limit=6)}.")


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
    if asked := readiness_asked(profile):
        details.append(asked)
    if profile.get("min_experience"):
        details.append(f"experience level {profile['min_experience']} or more")
    return f"{vacancy.positions} × {title} ({'; '.join(details)})"


def climate_barred(plan: Plan) -> list[tuple[ServiceOutcome, list[RoleInfo]]]:
    """Services whose climate keeps out roles their setting allows (the model's rule: a
    role's minimum climate above the service's climate), with those roles; coldest first."""
    found = []
    for s in sorted(plan.services, key=lambda s: (s.climate, s.service_id)):
        kept_out = [r for r in sorted(plan.roles, key=lambda r: (-r.saliency, r.role_id))
                    if r.min_climate is not None and s.climate < r.min_climate
                    and (not r.settings or s.setting in r.settings)]
        if kept_out:
            found.append((s, kept_out))
    return found


def climate_sentence(plan: Plan) -> str | None:
    """Where the climate keeps a role out, and which: a fact of the rules, not a forecast."""
    barred = climate_barred(plan)
    if not barred:
        return None
    named = join_words([f"{service_label(s, f'climate {s.climate}')}: "
                        + join_words([f"{r.title} (needs {r.min_climate})" for r in roles])
                        for s, roles in barred], limit=5)
    return (f"The disclosure climate keeps roles its setting allows out of "
            f"{plural(len(barred), 'service')}: {named}. Whether a warmer climate would change "
            f"the plan is re-planned in the insights.")


# the placements a search near the LP's solution re-plans over (`solve.large.near_lp`)
_NEAR_THE_LP = "each person's most promising placements"
# how the polish re-plans (`solve.large.polish`)
_PART_BY_PART = "a few services at a time with the rest of the plan held"


def proof_sentence(plan: Plan) -> str | None:
    """Only when the plan is not proven optimal: how far from the best it may be (and,
    for a reproducible plan no search of which the clock cut, that it repeats)."""
    if plan.status is Status.OPTIMAL or plan.gap is None:
        return None
    repeats = plan.repeats
    again = " The same workbook and seed give this plan again on this machine." if repeats else ""
    if plan.model_stats.get("blocks"):
        near = (f", then re-planned as a whole over {_NEAR_THE_LP}"
                if plan.model_stats.get("found_near_the_lp") else "")
        polished = (f", then improved {_PART_BY_PART}"
                    if plan.model_stats.get("improved_by_the_polish") else "")
        return (f"The organisation is too large to solve as a whole in the time allowed, so it "
                f"was planned in {plan.model_stats['blocks']} blocks of services{near}"
                f"{polished}; this plan is within {pct(plan.gap, 2)} of the best possible."
                + (" Every search stopped at a set amount of work." if repeats else "")
                + again)
    then = [f"re-planned over {_NEAR_THE_LP}"] if plan.model_stats.get("found_near_the_lp") else []
    if plan.model_stats.get("improved_by_the_polish"):
        then.append(f"improved {_PART_BY_PART}")
    near = f" and the plan was then {join_words(then)}" if then else ""
    limit = "a set amount of work" if repeats else "its time limit"
    return (f"The solver stopped at {limit}{near}; this plan is within "
            f"{pct(plan.gap, 2)} of the best possible.{again}")


def service_label(service: ServiceOutcome, note: str = "") -> str:
    """'Brookvale Court: Ward 2 (S011)' or with a note '… (S011, climate 2)'."""
    inner = ", ".join(x for x in (service.service_id, note) if x)
    if service.name and service.name != service.service_id:
        return f"{service.name} ({inner})"
    return f"{service.service_id} ({note})" if note else service.service_id
