"""The executive summary's sentences: a snapshot on the regional sample, and each rule alone.

The snapshot is deliberate: when the planner or the wording changes, regenerate it
knowingly (print `executive_summary(regional_plan())`) and read the new text.
"""

from __future__ import annotations

from dataclasses import replace

from planner.core.audience import Audience, view_for
from planner.core.domain import Org
from planner.core.results import Status
from planner.reports.narrative import (
    climate_barred,
    climate_sentence,
    cost_sentence,
    executive_summary,
    largest_shortfall,
    limits_sentence,
    proof_sentence,
    shortfall_sentence,
)
from planner.solve.planning import plan
from tests.helpers.orgs import psw, role, service, tiny_org
from tests.helpers.report_plans import private_plan, regional_plan

REGIONAL_SUMMARY = [
    'The plan fills 39.7 of the 55.3 FTE of peer support that services need (72% '
    'coverage); with 10 positions to recruit (8.6 FTE) it covers 87%, and 7 FTE stays '
    'unmet.',
    '57 people are placed; 3 people are not placed (see Unassigned).',
    'On average a placement scores 71.8 of 100 for fit and 56.9 of 100 for autonomy; 51% '
    'of those who stated a preference have their first-choice role.',
    'The plan costs 1,839,572 a year, 99.8% of the budget of 1,843,000 (3,428 left).',
    "Against the regions' own budgets, the plan costs East 536,967 of 580,000 (92.6%); "
    "North 708,604 of 760,000 (93.2%); South 594,001 of 640,000 (92.8%).",
    'The largest shortfall is at Brookvale Court: Ward 2 (S011): 5 of its 6.6 FTE is not '
    'filled by current staff; the plan recruits 5 × Peer rights advocate (4 FTE; topic '
    'rights; inpatient setting; ready to disclose at level 3 or more; experience level 1 '
    'or more), which covers 4 FTE of it, and 1 FTE stays unmet. The budget binds: 3,428 '
    'is left and the cheapest position that fits here (Peer trainer (staff education), '
    '0.6 FTE) costs 21,618 a year; 18,190 a year more would allow one.',
    'Of the 7 FTE of demand neither filled nor recruited for, 4.3 FTE is unmet because '
    'the budget is spent (3 services) and 2.7 FTE because what is left is smaller than '
    'any position (9 services).',
    'The disclosure climate keeps roles its setting allows out of 2 services: Brookvale '
    'Court: Ward (S009, climate 2): Ward peer expert (needs 3) and Brookvale Court: Ward '
    '2 (S011, climate 2): Ward peer expert (needs 3). Whether a warmer climate would '
    'change the plan is re-planned in the insights.',
]


def test_regional_summary_snapshot():
    assert executive_summary(regional_plan()) == REGIONAL_SUMMARY


def test_director_summary_suppresses_small_counts_and_agrees_in_number():
    view = view_for(private_plan(), Audience.DIRECTOR)
    sentences = executive_summary(view, Audience.DIRECTOR)
    assert sentences[1] == (
        "5 people are placed; fewer than 5 people are not placed (see Unassigned)."
    )


def test_no_budget_and_over_budget():
    p = private_plan()
    assert cost_sentence(p) == "The plan costs 180,000 a year; no budget was set."
    over = replace(p, kpis=replace(p.kpis, budget=150_000.0))
    assert cost_sentence(over) == (
        "The plan costs 180,000 a year, 30,000 over the budget of 150,000 (120.0%)."
    )


def test_shortfall_without_gap_or_without_vacancy():
    p = private_plan()
    full = replace(p, services=tuple(replace(s, vacant_fte=0.0, unmet_fte=0.0)
                                     for s in p.services))
    assert largest_shortfall(full) is None
    assert shortfall_sentence(full) == "Every service's demand is filled by current staff."
    unrecruited = replace(p, vacancies=())
    assert "; nothing is recruited there." in shortfall_sentence(unrecruited)


def _nobody_ready(demand: float, **policy) -> Org:
    """Nobody on the staff is ready for the role: the demand can only be recruited for."""
    return tiny_org(psws=[psw("A", readiness=1)], roles=[role("R1", saliency=3)],
                    services=[service("S1", demand_fte=demand)], allow_vacancies=True,
                    **policy)


def test_recruitment_never_claims_to_close_more_than_it_covers():
    planned = plan(_nobody_ready(2.5))
    (s1,) = planned.services
    assert (s1.vacant_fte, s1.unmet_fte, s1.shortfall_cause) == (2.0, 0.5, "position size")
    sentence = shortfall_sentence(planned)
    assert "which covers 2 FTE of it, and 0.5 FTE stays unmet." in sentence
    assert "to close it" not in sentence
    assert sentence.endswith("The 0.5 FTE left is less than the smallest position allowed "
                             "here (1 FTE).")
    assert limits_sentence(planned) == (
        "Of the 0.5 FTE of demand neither filled nor recruited for, 0.5 FTE is unmet because "
        "what is left is smaller than any position (1 service).")


def test_a_binding_budget_is_named_with_what_lifting_it_would_allow():
    # Money for one position of 30,000, demand for three: the budget binds at S1.
    tight = _nobody_ready(3.0, budget=40_000.0)
    planned = plan(tight)
    (s1,) = planned.services
    assert s1.shortfall_cause == "budget" and s1.unmet_fte == 2.0
    assert s1.shortfall == ("The budget binds: 10,000 is left and the cheapest position that "
                            "fits here (Role R1, 1 FTE) costs 30,000 a year; 20,000 a year more "
                            "would allow one.")
    # the claim, checked by the model: 20,000 more recruits one more position
    richer = plan(replace(tight, policy=replace(tight.policy, budget=60_000.0)))
    assert richer.kpis.vacant_fte == planned.kpis.vacant_fte + 1.0


def test_the_summary_names_the_role_a_cold_climate_keeps_out_and_claims_no_gain():
    roles = [role("WARD", saliency=3, min_climate=3, settings=("inpatient",)),
             role("HOUSE", saliency=1)]
    services = [service("S1", setting="inpatient", climate=2),
                service("S2", setting="housing", climate=1)]  # WARD never goes to housing
    org = tiny_org(psws=[psw("A", readiness=3)], roles=roles, services=services)
    planned = plan(org)
    barred = climate_barred(planned)
    assert [(s.service_id, [r.role_id for r in kept]) for s, kept in barred] == [
        ("S1", ["WARD"])]
    sentence = climate_sentence(planned)
    assert "Service S1 (S1, climate 2): Role WARD (needs 3)" in sentence
    assert "S2" not in sentence and "would open" not in sentence
    # the plan keeps the rule the sentence speaks of: no WARD at S1, filled or to recruit
    assert not [c for c in planned.role_mix if (c.service_id, c.role_id) == ("S1", "WARD")]


def test_proof_sentence_only_when_not_optimal():
    p = private_plan()
    assert proof_sentence(p) is None
    stopped = replace(p, status=Status.FEASIBLE, gap=0.0024)
    assert proof_sentence(stopped) == (
        "The solver stopped at its time limit; this plan is within 0.24% of the best possible."
    )


def test_no_plan():
    p = replace(private_plan(), status=Status.INFEASIBLE, kpis=None,
                conflicts=("budget", "demand of S1"))
    assert executive_summary(p) == [
        "No plan satisfies all the rules.",
        "These rules cannot all hold together: “budget” and “demand of S1”.",
    ]
