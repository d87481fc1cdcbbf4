"""Scores of a placement: docs/scoring.md's worked example, and the fast scorer that the
enumeration of every placement uses gives exactly the same scores."""

from __future__ import annotations

from planner.core.scoring import (
    AUTONOMY_COMPONENTS,
    FIT_COMPONENTS,
    Scorer,
    score_placement,
)
from planner.solve.candidates import enumerate_candidates
from planner.workbook.generate import generate_org
from tests.helpers.orgs import psw, role, service


def test_worked_example_of_docs_scoring():
    """docs/scoring.md, "A worked example", component by component."""
    team = service("S1", climate=4)
    nav, ward = role("NAV", saliency=2), role("WARD", saliency=5)
    a = psw("A", readiness=2)
    b = psw("B", readiness=5, preferred_roles=("WARD",))
    as_nav = score_placement(a, nav, team)
    assert as_nav.components == {
        "readiness_match": 40.0, "topic_overlap": 15.0, "climate_support": 20.0,
        "experience_headroom": 10.0, "role_preference": 20.0, "setting_preference": 10.0,
        "continuity": 0.0, "freedom_to_disclose": 25.0}
    assert (as_nav.fit, as_nav.autonomy) == (85.0, 55.0)
    b_as_ward = score_placement(b, ward, team)
    assert b_as_ward.components["climate_support"] == 15.0
    assert (b_as_ward.fit, b_as_ward.autonomy) == (80.0, 68.75)
    b_as_nav = score_placement(b, nav, team)
    assert b_as_nav.components["readiness_match"] == 16.0
    assert (b_as_nav.fit, b_as_nav.autonomy) == (61.0, 28.75)


def test_fit_and_autonomy_are_the_sums_of_their_components():
    org = generate_org(psws=40, services=8, regions=2, seed=3)
    for cand in enumerate_candidates(org):
        parts = cand.score.components
        assert list(parts) == [*FIT_COMPONENTS, *AUTONOMY_COMPONENTS]
        assert cand.score.fit == round(sum(parts[c] for c in FIT_COMPONENTS), 2)
        assert cand.score.autonomy == round(sum(parts[c] for c in AUTONOMY_COMPONENTS), 2)


def test_the_scorer_that_keeps_pairs_scores_as_score_placement():
    """Every placement of a generated organisation (people with current placements,
    preferences and topics) as enumeration scores it, and by a Scorer that meets the
    people in another order."""
    org = generate_org(psws=60, services=14, regions=2, seed=5)
    candidates = enumerate_candidates(org)
    assert any(c.stays for c in candidates) and any(c.score.components["topic_overlap"] == 30
                                                    for c in candidates)
    for cand in candidates:
        assert cand.score == score_placement(cand.psw, cand.role, cand.service)
    scorer = Scorer()  # people interleaved: each change of person forgets the last one's
    for cand in candidates[::2] + candidates[1::2]:
        assert scorer.score(cand.psw, cand.role, cand.service) == cand.score
