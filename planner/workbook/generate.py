"""Realistic synthetic organisations, for samples, tests and benchmarks (never real people).

`generate_org(psws, services, regions, seed)` draws an organisation from the distributions
below, drawn from the sources cited with them. The same arguments give the same `Org`,
field for field.

Roles: the fourteen role types seen in practice (`role_catalogue()`), always all of them
(the last two only with `Shape.disclosure_targets`, the default).

| role_id    | role                                   | saliency | fte | AfC band | min exp. |
|------------|----------------------------------------|----------|-----|----------|----------|
| WARD       | ward peer expert (min climate 3)       | 5        | 1.0 | 4        | 1        |
| GROUP      | peer group facilitator / rec. college  | 5        | 0.8 | 4        | 1        |
| BRIDGER    | peer bridger, inpatient to community   | 4        | 1.0 | 4        | 1        |
| CRISIS     | ED and crisis peer                     | 4        | 1.0 | 4        | 2        |
| FORENSIC   | forensic and re-entry peer             | 4        | 1.0 | 4        | 2        |
| ACT        | community team (ACT) peer              | 3        | 1.0 | 3        | 0        |
| WHAM       | whole-health (WHAM) coach              | 3        | 0.6 | 3        | 0        |
| ADVOCATE   | peer rights advocate                   | 3        | 0.8 | 4        | 1        |
| NAVIGATOR  | peer navigator (generic topics)        | 2        | 1.0 | 3        | 0        |
| IPS        | IPS vocational peer                    | 2        | 1.0 | 3        | 0        |
| HOUSING    | rehab-housing consumer-provider        | 1        | 0.6 | 3        | 0        |
| SUPERVISOR | peer supervisor (supervisor = yes)     | 3        | 1.0 | 5        | 3        |
| TRAINER    | peer trainer: staff education          | staff 4  | 0.6 | 4        | 2        |
| LEAD       | lived-experience lead                  | lead. 4, staff 3 | 1.0 | 5 | 3        |

The peer trainer discloses to ward and team staff in training (targets staff), in
inpatient, community, crisis and forensic settings; the lived-experience lead sits with
directors and service leads (targets leadership, then staff), in community and outpatient
services.

cost_per_fte is the NHS Agenda for Change 2025/26 band midpoint plus 25% on-costs:
band 3 £25,768 -> £32,210; band 4 £28,824 -> £36,030; band 5 £34,423 -> £43,029.

Shares marked * are dealt as a shuffled deck (exact shares, largest remainder) so that even
a 10-person organisation is representative; the rest are independent draws.

Services: teams grouped about 4 to a site (sites "<place> <House|Centre|...>"), sites
spread evenly over the regions ("North", "South", ... then "R10" ...). Setting shares*:
community 24%, inpatient 20%, outpatient 14%, crisis 10%, housing 8%, vocational 7%,
primary care 7%, forensic 6%, other 4%; 2-3 topics from the setting's own topic pool;
climate* 1:8%, 2:20%, 3:40%, 4:22%, 5:10%. demand_fte is a lognormal size (wards and
community teams larger) scaled so that total demand is 1.1-1.3 x the total PSW FTE,
within 0.5-4 FTE per team (the upper bound rises to twice the mean when there are many
people per team), rounded to 0.1 FTE. Budget = 0.95 x the cost of total demand at the
mean cost of the roles each service can host, rounded to £1,000.

PSWs: readiness* 1:8%, 2:17%, 3:35%, 4:25%, 5:15%; 45% part-time* at 0.4-0.8 FTE (the
rest 1.0); 1-3 lived-experience topics (35/40/25%), weighted towards hospitalisation,
crisis, medication, trauma and wellness; experience* 0:15%, 1:20%, 2:22%, 3:18%, 4:13%,
5:12%; readiness to disclose to staff is readiness less 0/1/2 levels (45/40/15%), to
leaders readiness to staff less 0/1/2 (55/35/10%), never below 1 (blank when equal to
readiness; many who disclose freely to service users hold back with staff and managers);
home region in proportion to the region's demand; travel* 20%; stretch* 15%;
0-3 ranked preferred roles (20/30/30/20%) among roles within their readiness (plus one
level with stretch), favouring saliency close to readiness and shared topics (a few wish
for a topic role they cannot hold); 0-2 preferred settings (40/40/20%); 10% exclude one
or two services of their region (mostly inpatient or crisis). 60% (where they fit) hold a
current placement that keeps the hard rules of `core.eligibility` without stretch (saliency <=
readiness, experience, role topics, setting, climate, same region, not excluded) and
fills no service beyond its demand, leaning to topic roles near their readiness; 3% are
locked, chosen among those placements whose service shares a topic with the person.
Names are drawn from short made-up lists of first and last names.

`Shape` changes what differs between organisations beyond size: the shares who travel,
work part-time, may stretch or are locked, topics per service and per person, budget
against the cost of filling demand, demand against supply, and the lone-peer rule. The
defaults are the figures above; the benchmark suite (bench/suite.py) varies them.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple, TypeVar

from planner.core import eligibility
from planner.core.domain import PSW, LonePeer, Org, Policy, Role, Service
from planner.core.eligibility import is_stretch, placement_block, readiness_gap
from planner.core.errors import UsageError

_ON_COSTS = 0.25
_AFC_BAND_MIDPOINT = {3: 25_768, 4: 28_824, 5: 34_423}  # NHS AfC 2025/26


def band_cost(band: int) -> float:
    """Annual cost of one FTE at the midpoint of an AfC band, with on-costs."""
    return float(round(_AFC_BAND_MIDPOINT[band] * (1 + _ON_COSTS)))


def _role(role_id: str, title: str, saliency: int, topics: str, settings: str, fte: float,
          band: int, min_experience: int, track: str, min_climate: int | None = None,
          supervisor: bool = False) -> Role:
    return Role(role_id, title, saliency, fte, band_cost(band), tuple(topics.split()),
                tuple(settings.split()), min_experience, min_climate, track, supervisor)


def role_catalogue(targets: bool = True) -> tuple[Role, ...]:
    """The role types seen in practice: twelve that disclose to service users, from high to
    low saliency, and (`targets`) two that disclose to staff and leadership."""
    base = (
        _role("WARD", "Ward peer expert", 5, "hospitalisation crisis medication",
              "inpatient", 1.0, 4, 1, "Inpatient peer", min_climate=3),
        _role("GROUP", "Peer group facilitator (recovery college)", 5, "wellness daily_living",
              "community outpatient other", 0.8, 4, 1, "Recovery education"),
        _role("BRIDGER", "Peer bridger (inpatient to community)", 4, "hospitalisation housing",
              "inpatient community", 1.0, 4, 1, "Transitions"),
        _role("CRISIS", "ED and crisis peer", 4, "crisis trauma", "crisis", 1.0, 4, 2, "Crisis"),
        _role("FORENSIC", "Forensic and re-entry peer", 4, "justice substance_use",
              "forensic community", 1.0, 4, 2, "Justice"),
        _role("ACT", "Community team (ACT) peer", 3, "daily_living medication",
              "community outpatient", 1.0, 3, 0, "Community peer"),
        _role("WHAM", "Whole-health coach (WHAM)", 3, "health wellness",
              "primary_care outpatient community", 0.6, 3, 0, "Health and wellbeing"),
        _role("ADVOCATE", "Peer rights advocate", 3, "rights", "inpatient forensic community",
              0.8, 4, 1, "Advocacy"),
        _role("NAVIGATOR", "Peer navigator", 2, "", "outpatient primary_care community crisis",
              1.0, 3, 0, "Community peer"),
        _role("IPS", "IPS vocational peer", 2, "vocational", "vocational community", 1.0, 3, 0,
              "Employment"),
        _role("HOUSING", "Rehab-housing consumer-provider", 1, "", "housing community",
              0.6, 3, 0, "Housing"),
        _role("SUPERVISOR", "Peer supervisor", 3, "", "", 1.0, 5, 3, "Supervision",
              supervisor=True),
    )
    if not targets:
        return base
    trainer = _role("TRAINER", "Peer trainer (staff education)", 4, "",
                    "inpatient community crisis forensic", 0.6, 4, 2, "Staff education")
    lead = _role("LEAD", "Lived-experience lead", 4, "", "community outpatient", 1.0, 5, 3,
                 "Leadership")
    return (*base, replace(trainer, targets=("staff",)),
            replace(lead, targets=("leadership", "staff"), saliency_staff=3))


class _Setting(NamedTuple):
    share: int
    label: str
    size: float  # relative team size: wards and community teams need more peer time
    topics: tuple[str, ...]


_SETTINGS: dict[str, _Setting] = {
    "community": _Setting(24, "Community team", 1.2, (
        "daily_living", "wellness", "housing", "substance_use", "family", "medication")),
    "inpatient": _Setting(20, "Ward", 1.3, (
        "hospitalisation", "medication", "crisis", "trauma", "rights")),
    "outpatient": _Setting(14, "Outpatient clinic", 0.9, (
        "wellness", "medication", "health", "family", "trauma")),
    "crisis": _Setting(10, "Crisis team", 1.1, (
        "crisis", "trauma", "substance_use", "hospitalisation")),
    "housing": _Setting(8, "Supported housing", 0.8, ("housing", "daily_living", "substance_use")),
    "vocational": _Setting(7, "Employment service", 0.7, ("vocational", "wellness")),
    "primary_care": _Setting(7, "Primary care liaison", 0.7, ("health", "wellness", "medication")),
    "forensic": _Setting(6, "Forensic team", 1.0, ("justice", "substance_use", "trauma", "rights")),
    "other": _Setting(4, "Recovery college", 0.8, ("wellness", "family", "daily_living")),
}
_CLIMATE_SHARES = {1: 8, 2: 20, 3: 40, 4: 22, 5: 10}
_READINESS_SHARES = {1: 8, 2: 17, 3: 35, 4: 25, 5: 15}
_EXPERIENCE_SHARES = {0: 15, 1: 20, 2: 22, 3: 18, 4: 13, 5: 12}
_LIVED_TOPIC_SHARES = {
    "hospitalisation": 14, "crisis": 12, "medication": 12, "trauma": 12, "wellness": 12,
    "substance_use": 9, "housing": 8, "family": 7, "daily_living": 6, "health": 6,
    "vocational": 5, "justice": 4, "rights": 4,
}
_PART_TIME_FTE = (0.4, 0.5, 0.6, 0.7, 0.8)
_EXCLUDE_SHARE, _CURRENT_SHARE = 0.10, 0.60
_SUPERVISOR_SHARE = 0.35  # of people with the experience, so about 1 in 8 placed supervises
_REGION_NAMES = ("North", "South", "East", "West", "Central", "North East", "North West",
                 "South East", "South West")
_PLACES = ("Ashby", "Brookvale", "Carrowmore", "Dunlin", "Elmstead", "Fernleigh", "Glenmere",
           "Hollins", "Ivybridge", "Juniper", "Kestrel", "Larkfield", "Marrow", "Northam",
           "Oakhurst", "Pellow", "Quarry Hill", "Rowan", "Saltmarsh", "Thornby")
_SITE_KINDS = ("House", "Centre", "Lodge", "Court", "Park")
_FIRST = ("Alex", "Bea", "Cal", "Dana", "Eli", "Fern", "Gale", "Hollis", "Ira", "Jude", "Kit",
          "Lane", "Mika", "Noor", "Oren", "Pia", "Quinn", "Remy", "Sol", "Tam", "Uma", "Vale",
          "Wren", "Yael", "Zed", "Ash", "Bo", "Cleo", "Dex", "Eden")
_LAST = ("Abbot", "Birchley", "Colder", "Dunmore", "Eastwick", "Fallon", "Greaves", "Hartley",
         "Inglis", "Jessop", "Kettering", "Lomax", "Marlow", "Nettles", "Orchard", "Pryce",
         "Quill", "Ridley", "Sallow", "Thorne", "Upton", "Varley", "Whitlock", "Yardley")
_T = TypeVar("_T")


@dataclass(frozen=True)
class Shape:
    """What differs from one organisation to another beyond its size: the defaults are the
    distributions above; a benchmark varies them (bench/suite.py) so that no solver path
    is tuned to one kind of organisation."""

    travel_share: float = 0.20  # people who will work in any region
    part_time_share: float = 0.45
    stretch_share: float = 0.15
    lock_share: float = 0.03  # of everyone, among current placements that keep every rule
    service_topics: tuple[int, ...] = (2, 3)  # topics per service, one drawn (density)
    person_topics: Mapping[int, float] = field(
        default_factory=lambda: {1: 35, 2: 40, 3: 25})  # lived-experience topics, shares
    budget_ratio: float = 0.95  # budget / the cost of filling all demand
    demand_ratio: tuple[float, float] = (1.1, 1.3)  # total demand / total PSW FTE
    lone_peer: LonePeer = LonePeer.DISCOURAGE
    # roles that disclose to staff and leaders, and people's readiness with them; False
    # gives the organisations generated before targets, draw for draw
    disclosure_targets: bool = True

    def __post_init__(self) -> None:
        shares = (self.travel_share, self.part_time_share, self.stretch_share,
                  self.lock_share)
        if not all(0.0 <= share <= 1.0 for share in shares):
            raise UsageError("shares of people must be between 0 and 1")
        if not self.service_topics or min(self.service_topics) < 1 or self.budget_ratio <= 0:
            raise UsageError("a service has at least one topic, and a budget above 0")


DEFAULT_SHAPE = Shape()


def _sample_weighted(rng: random.Random, shares: Mapping[str, float], k: int) -> tuple[str, ...]:
    """k distinct keys, drawn with probability proportional to their share."""
    pool = dict(shares)
    picked: list[str] = []
    while pool and len(picked) < k:
        key = rng.choices(tuple(pool), weights=tuple(pool.values()))[0]
        picked.append(key)
        del pool[key]
    return tuple(picked)


def generate_org(psws: int, services: int, regions: int = 1, seed: int = 0,
                 shape: Shape = DEFAULT_SHAPE) -> Org:
    """A synthetic organisation drawn from the distributions in this module's docstring,
    or from those `shape` changes.

    Example: `generate_org(60, 14, regions=3, seed=1)` is about a regional service.
    """
    if psws < 1 or services < 1 or regions < 1:
        raise UsageError("psws, services and regions must each be at least 1")
    rng = random.Random(seed)
    roles = role_catalogue(shape.disclosure_targets)
    drafts, sizes = _draft_services(rng, services, _region_names(regions), shape)
    people = _draft_psws(rng, psws, drafts, sizes, roles, shape,
                         random.Random(f"targets-{seed}"))
    total_fte = sum(p.available_fte for p in people)
    demand = _demand_fte(rng, sizes, total_fte * rng.uniform(*shape.demand_ratio))
    teams = tuple(replace(s, demand_fte=d) for s, d in zip(drafts, demand, strict=True))
    people = _place_current(rng, people, teams, roles)
    people = _lock_some(rng, people, teams, roles, shape.lock_share)
    policy = Policy(budget=_budget(teams, roles, shape.budget_ratio), seed=seed,
                    lone_peer=shape.lone_peer)
    return Org(services=teams, roles=roles, psws=tuple(people), policy=policy)


def _region_names(count: int) -> list[str]:
    return [_REGION_NAMES[i] if i < len(_REGION_NAMES) else f"R{i + 1}" for i in range(count)]


def _site_names(rng: random.Random, count: int) -> list[str]:
    names = [f"{place} {kind}" for kind in _SITE_KINDS for place in _PLACES]
    rng.shuffle(names)
    return [names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else "")
            for i in range(count)]


def _deck(rng: random.Random, shares: Mapping[_T, float], count: int) -> list[_T]:
    """`count` values in exactly the given shares (largest remainder), shuffled: unlike
    independent draws, a deck keeps even a 10-person organisation representative."""
    total = sum(shares.values())
    quotas = {key: count * share / total for key, share in shares.items()}
    counts = {key: int(q) for key, q in quotas.items()}
    by_remainder = sorted(quotas, key=lambda key: counts[key] - quotas[key])
    for key in by_remainder[: count - sum(counts.values())]:
        counts[key] += 1
    cards = [key for key in shares for _ in range(counts[key])]
    rng.shuffle(cards)
    return cards


def _draft_services(rng: random.Random, count: int, regions: list[str],
                    shape: Shape) -> tuple[list[Service], list[float]]:
    """Services with demand still 0, and each one's relative size."""
    sites = _site_names(rng, max(1, math.ceil(count / 4)))
    settings = _deck(rng, {k: float(v.share) for k, v in _SETTINGS.items()}, count)
    climates = _deck(rng, _CLIMATE_SHARES, count)
    width = max(3, len(str(count)))
    services: list[Service] = []
    sizes: list[float] = []
    seen: dict[str, int] = {}
    for i, (setting, climate) in enumerate(zip(settings, climates, strict=True)):
        site_index = i * len(sites) // count
        profile = _SETTINGS[setting]
        name = f"{sites[site_index]}: {profile.label}"
        seen[name] = seen.get(name, 0) + 1
        count_topics = min(len(profile.topics), rng.choice(shape.service_topics))
        topics = rng.sample(profile.topics, k=count_topics)
        services.append(Service(
            service_id=f"S{i + 1:0{width}d}",
            name=name if seen[name] == 1 else f"{name} {seen[name]}",
            setting=setting, climate=climate, demand_fte=0.0,
            region=regions[site_index % len(regions)], topics=tuple(topics)))
        sizes.append(profile.size * rng.lognormvariate(0.0, 0.45))
    return services, sizes


def _demand_fte(rng: random.Random, sizes: list[float], target: float) -> list[float]:
    """Scale team sizes so total demand is `target` (1.1-1.3 x supply by default), within
    0.5-4 FTE a team."""
    low, high = 0.5, max(4.0, 2 * target / len(sizes))
    values = list(sizes)
    for _ in range(12):  # clipping moves the sum: rescale until it settles
        factor = target / sum(values)
        values = [min(high, max(low, v * factor)) for v in values]
    return [round(v, 1) for v in values]


def _draft_psws(rng: random.Random, count: int, services: list[Service], sizes: list[float],
                roles: Sequence[Role], shape: Shape, targets_rng: random.Random) -> list[PSW]:
    """People without a placement yet; the main traits are dealt from decks. Readiness by
    target comes from its own stream, so every other draw is what it was before targets."""
    region_weight: dict[str, float] = {}
    for service, size in zip(services, sizes, strict=True):
        region_weight[str(service.region)] = region_weight.get(str(service.region), 0) + size
    by_region = _by_region(services)
    width = max(4, len(str(count)))
    traits = zip(_deck(rng, _READINESS_SHARES, count),
                 _deck(rng, _EXPERIENCE_SHARES, count),
                 _deck(rng, _yes_share(shape.part_time_share), count),
                 _deck(rng, _yes_share(shape.travel_share), count),
                 _deck(rng, _yes_share(shape.stretch_share), count), strict=True)
    people = []
    for i, (readiness, experience, part_time, travel, stretch) in enumerate(traits):
        region = rng.choices(tuple(region_weight), weights=tuple(region_weight.values()))[0]
        k = rng.choices(tuple(shape.person_topics), tuple(shape.person_topics.values()))[0]
        psw = PSW(psw_id=f"P{i + 1:0{width}d}", name=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                  readiness=readiness, experience=experience,
                  available_fte=rng.choice(_PART_TIME_FTE) if part_time else 1.0,
                  topics=_sample_weighted(rng, _LIVED_TOPIC_SHARES, k),
                  region=region, travel=travel, stretch=stretch)
        if shape.disclosure_targets:
            psw = _with_target_readiness(targets_rng, psw)
        people.append(_with_wishes(rng, psw, by_region[region], roles))
    return people


def _with_target_readiness(rng: random.Random, psw: PSW) -> PSW:
    """Readiness to disclose to staff, and to leaders, a little lower than to service
    users (blank when the same)."""
    staff = max(1, psw.readiness - rng.choices((0, 1, 2), (45, 40, 15))[0])
    leaders = max(1, staff - rng.choices((0, 1, 2), (55, 35, 10))[0])
    return replace(psw, readiness_staff=None if staff == psw.readiness else staff,
                   readiness_leadership=None if leaders == psw.readiness else leaders)


def _yes_share(share: float) -> dict[bool, float]:
    return {True: share, False: 1 - share}


def _with_wishes(rng: random.Random, psw: PSW, local: list[Service],
                 roles: Sequence[Role]) -> PSW:
    prefs = _preferred_roles(rng, psw, roles)
    return replace(psw, preferred_roles=prefs,
                   preferred_settings=_preferred_settings(rng, prefs, roles),
                   exclude_services=_exclusions(rng, local))


def _preferred_roles(rng: random.Random, psw: PSW, roles: Sequence[Role]) -> tuple[str, ...]:
    """Ranked wishes, drawn to match readiness: close saliency and shared topics weigh more."""
    shares: dict[str, float] = {}
    for role in roles:
        if eligibility.readiness(psw, role) is not None or (role.supervisor and psw.experience < 3):
            continue
        shared = bool(set(role.topics) & set(psw.topics))
        appeal = 3.0 if shared else 1.5 if role.generic else 0.5
        shares[role.role_id] = appeal / (1 + abs(readiness_gap(psw, role)))
    return _sample_weighted(rng, shares, rng.choices((0, 1, 2, 3), (20, 30, 30, 20))[0])


def _preferred_settings(rng: random.Random, preferred_roles: tuple[str, ...],
                        roles: Sequence[Role]) -> tuple[str, ...]:
    by_id = {r.role_id: r for r in roles}
    wished = [s for rid in preferred_roles for s in by_id[rid].settings]
    shares = {s: (5.0 if s in wished else 1.0) * p.share for s, p in _SETTINGS.items()}
    return _sample_weighted(rng, shares, rng.choices((0, 1, 2), (40, 40, 20))[0])


def _exclusions(rng: random.Random, local: list[Service]) -> tuple[str, ...]:
    """Services where someone must not work, e.g. the ward where they were treated."""
    if rng.random() >= _EXCLUDE_SHARE:
        return ()
    acute = [s for s in local if s.setting in ("inpatient", "crisis")] or local
    picked = rng.sample(acute, k=min(len(acute), 1 if rng.random() < 0.8 else 2))
    return tuple(sorted(s.service_id for s in picked))


def _by_region(services: Sequence[Service]) -> dict[str, list[Service]]:
    grouped: dict[str, list[Service]] = {}
    for service in services:
        grouped.setdefault(str(service.region), []).append(service)
    return grouped


def _holds_today(psw: PSW, role: Role, service: Service) -> bool:
    """A generated current placement keeps every hard rule, and needs no stretch."""
    return not is_stretch(psw, role) and placement_block(psw, role, service) is None


def _place_current(rng: random.Random, people: list[PSW], services: Sequence[Service],
                   roles: Sequence[Role]) -> list[PSW]:
    """Give 60% a placement today (people in random order, until the quota is met or no one
    else fits), without filling a service beyond its demand."""
    room = {s.service_id: s.demand_fte for s in services}
    by_region = _by_region(services)
    placed = list(people)
    wanted = round(_CURRENT_SHARE * len(people))
    for i in rng.sample(range(len(people)), k=len(people)):
        if wanted == 0:
            break
        placed[i] = _place_one(rng, people[i], by_region[str(people[i].region)], roles, room)
        wanted -= placed[i].current_service is not None
    return placed


def _place_one(rng: random.Random, psw: PSW, local: list[Service], roles: Sequence[Role],
               room: dict[str, float]) -> PSW:
    supervises = rng.random() < _SUPERVISOR_SHARE  # of those experienced enough to
    for service in rng.sample(local, k=min(len(local), 12)):
        candidates = [r for r in roles if _holds_today(psw, r, service)
                      and (supervises or not r.supervisor)]
        fte = psw.available_fte
        if not candidates or room[service.service_id] < fte:
            continue
        weights = [_appeal_today(psw, r) for r in candidates]
        role = rng.choices(candidates, weights=weights)[0]
        room[service.service_id] -= fte
        return replace(psw, current_service=service.service_id, current_role=role.role_id)
    return psw


def _appeal_today(psw: PSW, role: Role) -> float:
    """Today's roles lean to topic specialists close to the person's readiness."""
    return (3.0 if role.topics else 1.0) / (1 - readiness_gap(psw, role))


def _lock_some(rng: random.Random, people: list[PSW], services: Sequence[Service],
               roles: Sequence[Role], share: float) -> list[PSW]:
    """Lock a share of people (3% by default), only where today's placement meets every
    rule, topics included."""
    svc = {s.service_id: s for s in services}
    by_id = {r.role_id: r for r in roles}
    eligible = [i for i, p in enumerate(people)
                if p.current_service and p.current_role
                and _holds_today(p, by_id[p.current_role], svc[p.current_service])
                and set(p.topics) & set(svc[p.current_service].topics)]
    chosen = set(rng.sample(eligible, k=min(len(eligible), round(share * len(people)))))
    return [replace(p, lock=True) if i in chosen else p for i, p in enumerate(people)]


def _budget(services: Sequence[Service], roles: Sequence[Role], ratio: float) -> float:
    """`ratio` (0.95 by default) x the cost of all demand, at the mean cost of the roles
    each service can host."""
    staff_roles = [r for r in roles if not r.supervisor]
    total = 0.0
    for service in services:
        hosts = [r for r in staff_roles if not r.settings or service.setting in r.settings]
        cost = sum(r.cost_per_fte for r in hosts or staff_roles) / len(hosts or staff_roles)
        total += service.demand_fte * cost
    return float(round(ratio * total, -3))


