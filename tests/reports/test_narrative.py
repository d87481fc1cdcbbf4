"""The executive summary's sentences: a snapshot on the regional sample, and each rule alone.

The snapshot is deliberate: when the planner or the wording changes, regenerate it
knowingly (print `executive_summary(regional_plan())`) and read the new text.
"""

from __future__ import annotations

from dataclasses import replace

from planner.core.audience import Audience, view_for
from planner.core.results import ServiceOutcome, Status
from planner.reports.narrative import (
    climate_holds_back,
    cost_sentence,
    executive_summary,
    largest_shortfall,
    proof_sentence,
    shortfall_sentence,
)
from tests.helpers.report_plans import private_plan, regional_plan

REGIONAL_SUMMARY = [
    "The plan fills 47.2 of the 55.3 FTE of peer support that services need (85% coverage); "
    "with 5 positions to recruit (4 FTE) it covers 93%.",
    "59 people are placed; 1 person is not placed (see Unassigned).",
    "On average a placement scores 71.6 of 100 for fit and 55.2 of 100 for autonomy; 47% of "
    "those who stated a preference have their first-choice role.",
    "The plan costs 1,806,807 a year, 99.9% of the budget of 1,808,000 (1,193 left).",
    "The largest shortfall is at Brookvale Court: Ward 2 (S011): 4.5 of its 6.6 FTE is not "
    "filled by current staff; to close it, recruit 5 × Peer rights advocate (4 FTE; topic "
    "rights; inpatient setting; ready to disclose at level 3 or more; experience level 1 or "
    "more).",
    "The disclosure climate is 2 or lower in 4 services, which holds back high-saliency roles "
    "there: Quarry Hill Court: Forensic team (S007, climate 1), Brookvale Court: Ward (S009, "
    "climate 2), Brookvale Court: Ward 2 (S011, climate 2) and Dunlin Court: Supported "
    "housing (S013, climate 2); staff education that raises the climate would open them.",
    "4 services with climate 3 have no high-saliency role in the plan: Ashby House: "
    "Outpatient clinic (S001), Quarry Hill Court: Outpatient clinic (S005), Brookvale Court: "
    "Community team (S010) and Dunlin Court: Community team (S012).",
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
    assert shortfall_sentence(unrecruited).endswith("no position is planned for recruitment there.")


def test_climate_definition_low_or_middling_without_high_saliency_role():
    p = private_plan()
    low, without = climate_holds_back(p)
    assert [s.service_id for s in low] == ["S-SOUTH"]  # climate 2
    assert without == []  # S-NORTH has climate 4
    middling = replace(p, services=tuple(_climate(s, 3) for s in p.services))
    _, without = climate_holds_back(middling)
    assert [s.service_id for s in without] == ["S-NORTH", "S-SOUTH"]  # only GEN (saliency 3)


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


def _climate(service: ServiceOutcome, climate: int) -> ServiceOutcome:
    return replace(service, climate=climate)
