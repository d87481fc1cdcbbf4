"""One service's best plan at given prices (`service_knapsack`), against brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from planner.solve.large.service_knapsack import Services, best_per_service, chosen, grouped


def _brute_force(room, need, penalty, start, items, vacancies):
    """Best value over every subset of items and every count of vacancies."""
    best = -math.inf
    for pick in itertools.product((0, 1), repeat=len(items)):
        used = sum(w for (w, _), p in zip(items, pick, strict=True) if p)
        if used > room:
            continue
        value = sum(v for (_, v), p in zip(items, pick, strict=True) if p)
        peers = start + sum(pick)
        value -= penalty if 0 < peers < need else 0.0
        best = max(best, value + _best_vacancies(room - used, vacancies))
    return best


def _best_vacancies(room, vacancies):
    if not vacancies:
        return 0.0
    (w, v), rest = vacancies[0], vacancies[1:]
    return max(k * v + _best_vacancies(room - k * w, rest) for k in range(room // w + 1))


def _knapsack(room, need, penalty, start, items, vacancies):
    levels = need + 1 if need > 1 else 1
    lone = np.array([[0.0 if (k == 0 or k >= need) else -penalty for k in range(levels)]])
    services = Services(np.array([room]), np.array([min(start, levels - 1)]), lone)
    which = np.arange(len(items))
    weight = np.array([w for w, _ in items], dtype=np.int64)
    value = np.array([v for _, v in items])
    keep = value > (-penalty if need > 1 else 0.0)
    which = which[keep]
    peers = grouped(which, np.zeros(len(which), dtype=np.int64), weight[which], value[which],
                    services.room, losing=levels - 2)
    vac_which = np.arange(len(vacancies))
    vac_weight = np.array([w for w, _ in vacancies], dtype=np.int64)
    vac_value = np.array([v for _, v in vacancies])
    open_vac = vac_which[vac_value > 0]
    vac = grouped(open_vac, np.zeros(len(open_vac), dtype=np.int64), vac_weight[open_vac],
                  vac_value[open_vac], services.room, most_each=1)
    best = best_per_service(services, peers, value[peers.items], vac, vac_value[vac.items])
    taken = peers.items[chosen(peers, best.peers)]
    return best, taken, vac, value, weight, vac_weight, vac_value


@pytest.mark.parametrize("seed", range(150))
def test_a_services_knapsack_finds_the_brute_force_optimum(seed):
    rng = np.random.default_rng(seed)
    room = int(rng.integers(0, 14))
    need = int(rng.choice([1, 2, 3]))
    penalty = float(rng.choice([0.0, 5.0, 60.0]))
    start = int(rng.integers(0, 2))
    items = [(int(rng.integers(1, 6)), float(rng.normal(2, 6)))
             for _ in range(int(rng.integers(0, 9)))]
    vacancies = [(int(rng.integers(2, 6)), float(rng.normal(1, 4)))
                 for _ in range(int(rng.integers(0, 3)))]
    best, taken, vac, value, weight, vac_weight, vac_value = _knapsack(
        room, need, penalty, start, items, vacancies)
    expected = _brute_force(room, need, penalty, start, items, vacancies)
    assert best.value[0] == pytest.approx(expected)
    # the plan traced back is the one valued: within the room, worth what was said
    positions = best.vacancies[0, vac.slot] if len(vac.items) else np.zeros(0)
    used = weight[taken].sum() + (vac_weight[vac.items] * positions).sum()
    assert used <= room
    peers = start + len(taken)
    recount = (value[taken].sum() + (vac_value[vac.items] * positions).sum()
               - (penalty if 0 < peers < need else 0.0))
    assert recount == pytest.approx(expected)


def test_a_lone_peer_costs_its_penalty_in_a_services_knapsack():
    # One placement worth 10 alone in a team that needs two: 10 - 60 < 0, so none.
    best, *_ = _knapsack(room=4, need=2, penalty=60.0, start=0, items=[(2, 10.0)],
                         vacancies=[])
    assert best.value[0] == 0.0
    # With a second (worth -5) the team is no longer lone: 10 - 5 = 5.
    best, *_ = _knapsack(room=4, need=2, penalty=60.0, start=0,
                         items=[(2, 10.0), (2, -5.0)], vacancies=[])
    assert best.value[0] == pytest.approx(5.0)
