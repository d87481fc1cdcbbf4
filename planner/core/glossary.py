"""The words of the reports in plain language: one definition of each term.

The HTML report, the analysis pages and the Excel plan's Glossary sheet all take their
definitions from here, so a term means the same wherever a director or an HR planner
reads it. The definitions say what the planner computes (`core.scoring`,
`solve.outcome`, `solve.model`), in words a director uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.core.results import Status


@dataclass(frozen=True)
class Term:
    """A term as the reports use it, and what it means. `key` is the anchor of its entry
    (`#term-<key>` in HTML); `short`, where given, says it in one line for a report's
    reading key."""

    key: str
    term: str
    meaning: str
    short: str = ""


GLOSSARY: tuple[Term, ...] = (
    Term("psw", "PSW (peer support worker)",
         "Someone employed for their lived experience of mental illness and recovery, to "
         "support people who use the services."),
    Term("fte", "FTE (full-time equivalent)",
         "Working time counted in full-time posts: 1 FTE is one full-time post, 0.5 FTE a "
         "half-time one. Demand, placements and positions to recruit are all in FTE.",
         "working time in full-time posts (1 FTE is one full-time post)"),
    Term("demand", "Demand",
         "The peer-support time a service needs, in FTE: given in the workbook, or worked "
         "out from its yearly contacts, the working time of one FTE and the time staff "
         "spend on support work (the WHO WISN method)."),
    Term("wisn", "WISN ratio and workforce problem",
         "From the WHO's Workload Indicators of Staffing Need: a service's yearly contacts, "
         "divided by the contacts one FTE can give in its working time (the standard "
         "workload), are the FTE its workload needs; allowances add the time staff spend "
         "on support work (team meetings, records, supervising or training others), giving "
         "the required FTE. The WISN ratio is the FTE filled divided by the FTE required "
         "(below 1: too few staff); the workforce problem is the FTE required minus the FTE "
         "filled (positive: a shortage)."),
    Term("coverage", "Coverage",
         "The share of the services' demand that current staff fill. \u201cWith "
         "recruitment\u201d also counts the positions to recruit, as if they were filled."),
    Term("saliency", "Saliency",
         "How central sharing one's own lived experience (self-disclosure) is to a role, "
         "from 1 (rarely needed, e.g. a housing support role) to 5 (disclosure is the job, "
         "e.g. a peer expert on a ward). The organisation sets it for each role.",
         "how central sharing one's own lived experience is to a role, from 1 (rarely "
         "needed) to 5 (disclosure is the job)"),
    Term("saliency-tiers", "Saliency tiers",
         "Roles grouped by saliency: low (1\u20132), middle (3) and high (4\u20135). A plan "
         "that offers all three tiers gives people a real choice of how much to disclose, "
         "and a career path between levels."),
    Term("readiness", "Readiness",
         "How ready a person is to draw on their own lived experience at work, 1 to 5, as "
         "the organisation and the person judge it. It is health data: director reports "
         "never show it."),
    Term("targets", "Disclosure targets",
         "Whom a role discloses to: service users, staff (a peer trainer educating ward "
         "teams) or leaders (a lived-experience lead). Many who disclose freely to service "
         "users hold back with staff or managers, so a person is placed only where they "
         "are ready for every target of the role."),
    Term("climate", "Climate",
         "How strongly a service's staff and leaders value peer workers sharing their "
         "experience, 1 to 5 (e.g. from a staff survey). A high-saliency role needs a warm "
         "climate."),
    Term("fit", "Fit",
         "How well a placement suits the person, 0\u2013100 points: the role asks about as "
         "much disclosure as they are ready for (up to 40), their lived experience matches "
         "the topics the role and the service need (30), the team's climate supports the "
         "role's saliency (20), and their experience is above the role's minimum (10).",
         "how well a placement suits the person (readiness, lived experience, team climate, "
         "experience), out of 100"),
    Term("autonomy", "Autonomy",
         "How much say the person has in the placement, 0\u2013100 points: it is a role "
         "they asked for (up to 40) in a setting they prefer (20), they keep a current "
         "placement they want (15), and the team lets them disclose as much as they are "
         "ready to (25).",
         "how much say the person has (the role and setting they asked for, keeping their "
         "place, freedom to disclose), out of 100"),
    Term("stretch", "Stretch placement",
         "A role one saliency level above the person's readiness, which they said they "
         "would take with support. The plan uses it only when it pays (it costs points) "
         "and the person needs that support."),
    Term("to-recruit", "To recruit (vacant)",
         "A position the plan opens that nobody on the current staff takes; the "
         "recruitment plan says whom to look for. Positions are not people."),
    Term("lone-peer", "Lone peer",
         "A service where the plan places a single peer worker, with no peer colleague "
         "in the team; guidance favours at least two."),
    Term("points", "Points",
         "The planner's unit of value. Each placement earns points for its fit, its "
         "autonomy and the demand it covers; the Policy weights add points for what the "
         "organisation wants (a menu of saliency tiers, people keeping their placement) "
         "and take points off for what it wants to avoid (lone peers, stretch placements)."),
    Term("fte-points", "FTE-points",
         "Points weighted by working time: a full-time placement with a fit of 70 adds 70 "
         "FTE-points of fit, a half-time one 35. Totals of fit or autonomy over a whole plan "
         "are in FTE-points."),
    Term("objective", "Plan score (objective)",
         "The sum of all the plan's points under the organisation's Policy weights. The "
         "planner chooses the plan with the highest score that keeps every rule. Scores "
         "compare only between plans made with the same weights."),
    Term("bound", "Bound",
         "The highest score any plan could reach, as far as the solver has proven. When "
         "the plan's score meets the bound, no better plan exists."),
    Term("gap", "Gap",
         "How far the plan's score may be below the best possible: the distance between "
         "score and bound, as a share of the score. 0% means proven best; at 0.5% no plan "
         "scores more than 0.5% above this one."),
    Term("status", "Status",
         "Whether the plan is proven best. Optimal: no plan scores more under these rules "
         "and weights. Feasible: the plan keeps every rule, but time ran out before it was "
         "proven best (see gap). Infeasible: no plan keeps every rule. Unknown: time ran "
         "out before any plan was found."),
)
TERMS: dict[str, Term] = {t.key: t for t in GLOSSARY}
# The terms a reader needs before the first figure (the HTML report's reading key).
KEY_TERMS: tuple[Term, ...] = tuple(TERMS[key] for key in ("saliency", "fit", "autonomy", "fte"))

# What a plan's status means, in a few words (the header of a report, a workbook's
# Contents); the Status entry of the glossary says the same at length.
STATUS_MEANINGS: dict[str, str] = {
    Status.OPTIMAL.value: "the best plan under these rules and weights",
    Status.FEASIBLE.value: "keeps every rule; time ran out before it was proven best",
    Status.INFEASIBLE.value: "no plan keeps every rule",
    Status.UNKNOWN.value: "time ran out before any plan was found",
}
