"""Who reads a report, and what they may see (README, Privacy).

Readiness to disclose and lived-experience topics are health data. The `hr` audience sees
the plan in full; the `director` audience sees a copy made by `view_for`: people under
stable pseudonyms, no personal profile, no score detail that reveals readiness or
preferences, and neutral reasons. Counts of people smaller than the policy's `k` are shown
as "<k" by `people_count`, which every renderer calls for each count of people.

    view = view_for(plan, Audience.DIRECTOR)
    people_count(3, privacy_k(plan), Audience.DIRECTOR)   # "<5"
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import replace
from enum import StrEnum

from planner.core.results import Assignment, Plan, Unassigned, Vacancy

DEFAULT_K = 5
PSEUDONYM_PREFIX = "Peer-"
PSEUDONYM_HEX = 8
# The full input hash is the pseudonym key: a director view shows only its start, so that
# nobody who knows (or guesses) a psw_id can recompute that person's pseudonym.
SHOWN_HASH_CHARS = 12

NO_FITTING_ROLE = "no fitting role"
FILLED_BY_OTHERS = "positions filled by others"
NOT_PLACED = "not placed"

# Counts of people inside the vacancy reasons written by explain.Explainer.vacancy.
_VACANCY_COUNTS = (
    re.compile(r"(?<=\()(\d+)(?=\))"),  # "readiness (3)"
    re.compile(r"(\d+)(?= of the staff )"),  # "9 of the staff could take"
    re.compile(r"(\d+)(?= of them )"),  # "2 of them are placed"
)
_LOCK_SENTENCE = re.compile(r"^lock: (?P<psw>.+?) is locked into (?P<rest>.*)$")
# The rule names of explain.SolutionState.binding_limit: organisational, not personal.
_LIMITS = ("demand", "budget", "region budget", "lone_peer", "supervision", "value")


class Audience(StrEnum):
    """Who a report is for: `hr` sees everything, `director` a pseudonymised view."""

    HR = "hr"
    DIRECTOR = "director"


def privacy_k(plan: Plan) -> int:
    """The privacy threshold of a plan: groups of people smaller than this are suppressed."""
    return int(plan.policy.get("k", DEFAULT_K))


def people_count(n: int, k: int, audience: Audience) -> str | int:
    """A count of people as `audience` may see it: for directors 1..k-1 becomes "<k".

    Zero stays 0 (an empty group names nobody).
    """
    if Audience(audience) is Audience.DIRECTOR and 0 < n < k:
        return f"<{k}"
    return n


def pseudonym(psw_id: str, input_sha256: str) -> str:
    """A stable pseudonym for one input workbook: "Peer-" + 8 hex of HMAC-SHA256.

    Keyed by the input's hash, so the same person keeps the same pseudonym across runs on
    the same workbook, and the id alone is not enough to compute it.
    """
    digest = hmac.new(input_sha256.encode(), psw_id.encode(), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:PSEUDONYM_HEX]


def view_for(plan: Plan, audience: Audience) -> Plan:
    """The plan as `audience` may see it. HR: unchanged. Director: a pseudonymised copy.

    The director copy has no `people`; assignments keep role, service, FTE, fit, autonomy
    and score, nothing that reveals readiness, preferences or current placement; reasons
    name rule categories only; counts of people inside vacancy reasons are suppressed
    below k; the input hash is shortened (it is the pseudonym key).
    """
    if Audience(audience) is Audience.HR:  # also accepts "hr" / "director" as text
        return plan
    key, k = plan.input_sha256, privacy_k(plan)
    if plan.audience == Audience.DIRECTOR.value:  # already the director's view
        return plan
    return replace(
        plan,
        audience=Audience.DIRECTOR.value,
        input_sha256=plan.input_sha256[:SHOWN_HASH_CHARS],
        assignments=tuple(_director_assignment(a, key) for a in plan.assignments),
        unassigned=tuple(
            Unassigned(pseudonym(u.psw_id, key), reasons, reasons[0])
            for u in plan.unassigned
            for reasons in [neutral_reasons(u.reasons)]
        ),
        vacancies=tuple(_director_vacancy(v, k) for v in plan.vacancies),
        people=(),
        conflicts=tuple(_director_conflict(c, key) for c in plan.conflicts),
    )


def neutral_reasons(reasons: tuple[str, ...]) -> tuple[str, ...]:
    """Why someone is unassigned, without readiness, topics, exclusions or other people.

    Keeps the category (no fitting role, or positions filled by others) and, for the
    latter, the organisational limits that bind (demand, budget, lone_peer, value).
    """
    if not reasons:
        return (NOT_PLACED,)
    if reasons[0].startswith("no role they can take"):
        return (NO_FITTING_ROLE,)
    if "position(s) fit" not in reasons[0]:
        return (NOT_PLACED,)
    limits = sorted({limit for line in reasons[1:] for limit in _LIMITS
                     if f": {limit}: " in line})
    if not limits:
        return (FILLED_BY_OTHERS,)
    return (FILLED_BY_OTHERS, "limited by: " + ", ".join(limits))


def _director_assignment(assignment: Assignment, key: str) -> Assignment:
    return replace(
        assignment,
        psw_id=pseudonym(assignment.psw_id, key),
        components={},
        stretch=False,
        preference_rank=None,
        stays=False,
        locked=False,
        warnings=(),
    )


def _director_vacancy(vacancy: Vacancy, k: int) -> Vacancy:
    """Vacancy reasons count staff who could or could not take the role: suppress < k."""
    reason = vacancy.reason
    for pattern in _VACANCY_COUNTS:
        reason = pattern.sub(
            lambda m: str(people_count(int(m.group(1)), k, Audience.DIRECTOR)), reason
        )
    return replace(vacancy, reason=reason)


def _director_conflict(sentence: str, key: str) -> str:
    """An infeasibility sentence; a locked person is named by pseudonym."""
    match = _LOCK_SENTENCE.match(sentence)
    if not match:
        return sentence
    return f"lock: {pseudonym(match['psw'], key)} is locked into {match['rest']}"
