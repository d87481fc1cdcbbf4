"""The Policy notes (the template's Policy sheet and Instructions) say what the code does,
and agree with the README's Policy table: keys, defaults and meanings."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from planner.core.domain import LonePeer, Org, Policy
from planner.solve.candidates import Candidate, enumerate_candidates
from planner.solve.model import build_model, objective_of, placement_points
from planner.workbook.schema import POLICY_NOTES
from tests.helpers.orgs import psw, role, service, tiny_org
from tests.helpers.paths import ROOT

README_ROW = re.compile(r"^\| (`[a-z_]+`(?:, `[a-z_]+`)*) \| ([^|]+) \| (.+) \|$", re.MULTILINE)
SHORT_WORDS = re.compile(r"[a-z]{4,}")
FILLERS = {"their", "with", "from", "that", "this", "they", "them"}


def readme_rows() -> dict[str, tuple[str, str]]:
    """Policy key -> (default, meaning) from the README's Policy table; a row of several
    keys pairs its defaults, and its meanings when it gives one per key (split by ';')."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows: dict[str, tuple[str, str]] = {}
    for keys, defaults, meaning in README_ROW.findall(text):
        names = re.findall(r"`([a-z_]+)`", keys)
        if not set(names) <= {f.name for f in fields(Policy)}:
            continue  # another table (the commands)
        values = [d.strip() for d in defaults.split(",")]
        meanings = [m.strip() for m in meaning.split(";")]
        if len(meanings) != len(names):
            meanings = [""] * len(names)  # one meaning for the row (the weights)
        assert len(values) == len(names), keys
        rows.update(zip(names, zip(values, meanings, strict=True), strict=True))
    return rows


def as_default(text: str) -> object:
    """A README default as the Policy holds it."""
    if text == "none":
        return None
    if text in ("yes", "no"):
        return text == "yes"
    try:
        return float(text)
    except ValueError:
        return text


def policy_default(key: str) -> object:
    value = getattr(Policy(), key)
    return value.value if isinstance(value, LonePeer) else value


@pytest.mark.parametrize("key", list(POLICY_NOTES))
def test_every_policy_key_is_in_the_readme_with_the_same_default(key: str) -> None:
    rows = readme_rows()
    assert key in rows
    assert as_default(rows[key][0]) == policy_default(key)


def test_the_readme_lists_only_policy_keys_and_every_field_has_a_note() -> None:
    assert set(readme_rows()) <= set(POLICY_NOTES)
    assert set(POLICY_NOTES) == {f.name for f in fields(Policy)}


@pytest.mark.parametrize("key", sorted(k for k, (_, meaning) in readme_rows().items() if meaning))
def test_each_note_says_what_the_readme_says(key: str) -> None:
    def words(text: str) -> set[str]:
        return set(SHORT_WORDS.findall(text.lower().replace("`", ""))) - FILLERS

    readme = words(readme_rows()[key][1])
    missing = readme - words(POLICY_NOTES[key])
    assert len(missing) <= len(readme) // 4, (key, sorted(missing))


# --- the notes that say how the plan is scored, held to the model ---------------------------


def _candidate(org: Org, psw_id: str) -> Candidate:
    return next(c for c in enumerate_candidates(org) if c.psw.psw_id == psw_id)


def test_weight_move_is_a_bonus_for_staying_as_its_note_says() -> None:
    # no other weight, so that staying's continuity points (autonomy) do not count
    org = tiny_org(psws=[psw("STAYS", current_service="S1", current_role="R1"), psw("NEW")],
                   weight_autonomy=0.0)
    stays, new = _candidate(org, "STAYS"), _candidate(org, "NEW")
    assert stays.stays and not new.stays
    bonus = placement_points(stays, org) - placement_points(new, org)
    assert bonus == pytest.approx(org.policy.weight_move) and bonus > 0
    note = POLICY_NOTES["weight_move"]
    assert note.startswith("Points gained by each person who keeps their current placement")
    assert "lost" not in note


@pytest.mark.parametrize("weight", ["weight_fit", "weight_autonomy"])
def test_fit_and_autonomy_weights_count_as_their_notes_say(weight: str) -> None:
    """'per FTE': a half-time newcomer earns half of a full-time one; 'per placement': the
    same. 'counts in full': a half-time person keeping their post earns what a full-time
    one would."""
    only = {"weight_fit": 0.0, "weight_autonomy": 0.0, "weight_coverage": 0.0,
            "weight_cost": 0.0, "weight_move": 0.0, weight: 1.0}
    here = {"current_service": "S1", "current_role": "R1"}
    org = tiny_org(psws=[psw("FULL"), psw("HALF", available_fte=0.5),
                         psw("STAYS", available_fte=0.5, **here),
                         psw("STAYS_FULL", **here)], **only)
    full, half, stays, stays_full = (_candidate(org, p) for p in
                                     ("FULL", "HALF", "STAYS", "STAYS_FULL"))
    assert half.fte == 0.5 and full.score == half.score and stays.score == stays_full.score
    per_fte = placement_points(half, org) < placement_points(full, org)
    in_full = placement_points(stays, org) == placement_points(stays_full, org)
    note = POLICY_NOTES[weight]
    assert note.startswith("Points per FTE" if per_fte else "Points per placement")
    if per_fte:
        assert ("keeping their current post counts in full" in note) is in_full


def _two_in_a_team(min_peers: int, lone_peer: str) -> Org:
    return tiny_org(psws=[psw("A"), psw("B")], roles=[role("R1")],
                    services=[service("S1", demand_fte=4.0, min_peers=min_peers)],
                    lone_peer=lone_peer)


def test_penalty_lone_peer_is_per_team_below_its_minimum_when_discouraged() -> None:
    """Two PSWs in a team whose minimum is three cost the penalty once (not a 'single
    PSW'); with a minimum of two they cost nothing."""
    def score(min_peers: int) -> float:
        org = _two_in_a_team(min_peers, "discourage")
        return objective_of(org, enumerate_candidates(org), [])

    assert score(2) - score(3) == pytest.approx(Policy().penalty_lone_peer)
    note = POLICY_NOTES["penalty_lone_peer"]
    assert "fewer than its minimum (min_peers)" in note and "discourage" in note


@pytest.mark.parametrize(("lone_peer", "rule", "penalty"), [
    ("forbid", True, False), ("discourage", False, True), ("allow", False, False)])
def test_min_peers_is_a_rule_a_penalty_or_ignored_as_its_note_says(lone_peer: str, rule: bool,
                                                                   penalty: bool) -> None:
    built = build_model(_two_in_a_team(3, lone_peer), explain=True)
    assert ("min peers in S1" in built.assumptions) is rule
    assert bool(built.lone) is penalty
    note = POLICY_NOTES["min_peers"]
    assert "a rule with lone_peer = forbid" in note
    assert "a penalty with discourage" in note and "ignored with allow" in note


def test_a_services_own_min_peers_wins_as_the_notes_say() -> None:
    org = _two_in_a_team(3, "forbid")
    assert org.min_peers(org.services[0]) == 3 != org.policy.min_peers
    assert "a service's own min_peers wins" in POLICY_NOTES["min_peers"]
