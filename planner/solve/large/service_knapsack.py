"""Every service's best plan at given prices, all services at once (numpy).

One service's plan is a knapsack over its demand: whole placements and whole vacant
positions, each worth its price-reduced points, with the lone-peer penalty when one peer
(fewer than the team's need) is placed. Demand is counted in units of the greatest common
divisor of the service's FTEs, so a table over (peers so far, capped at the need; units
used) is small. Of each FTE size only the best few placements can be in an optimum (as
many as fit: any other of that size is worth no more), and of vacant positions of one
size only the best. The table is filled one FTE size ("slot") at a time for every
service together, so the work is a few dozen array operations however many services.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NEG = -np.inf


@dataclass(frozen=True)
class Groups:
    """Columns grouped per (service, FTE size), best first, each group cut to what fits."""

    items: np.ndarray  # column indices, group by group, best first
    rank: np.ndarray  # place of each item in its group
    group: np.ndarray  # group of each item
    service: np.ndarray  # per group: its service
    slot: np.ndarray  # per group: its place among its service's groups
    weight: np.ndarray  # per group: the FTE size in demand units
    size: np.ndarray  # per group: items


@dataclass(frozen=True)
class Services:
    """Per service: what the table needs besides the columns."""

    room: np.ndarray  # demand units left after the locked placements
    start: np.ndarray  # peer level of the locked placements (capped at the top level)
    lone: np.ndarray  # (services, levels): points added at each peer level (0 or -penalty)


@dataclass(frozen=True)
class Best:
    value: np.ndarray  # per service (-inf: no plan fits)
    peers: np.ndarray  # (services, slots): how many of each group's best are placed
    vacancies: np.ndarray  # (services, vacancy slots): positions of each group's best


def grouped(which: np.ndarray, service: np.ndarray, weight: np.ndarray, value: np.ndarray,
            room: np.ndarray, most_each: int | None = None, losing: int = 0) -> Groups:
    """`which` (with their service, size in units and value) grouped per (service, size),
    best first, each group cut to as many as fit in its service's `room` (or `most_each`)
    and to its first `losing` of no value (worth taking only to save a lone-peer penalty:
    a team that has its need of peers loses nothing by dropping one of no value, so an
    optimum holds fewer than the need of them)."""
    order = np.lexsort((-value, weight, service))
    which, service, weight = which[order], service[order], weight[order]
    rank = _rank(service, weight)
    fit = (np.where(weight > 0, room[service] // np.maximum(weight, 1), len(which))
           if most_each is None else most_each)  # an item that takes no room always fits
    worthless = value[order] <= 0  # after the group's others (best first)
    spare = np.zeros(len(which), dtype=bool)
    spare[worthless] = _rank(service[worthless], weight[worthless]) < losing
    keep = (rank < fit) & (~worthless | spare)
    which, service, weight, rank = which[keep], service[keep], weight[keep], rank[keep]
    starts = np.flatnonzero(rank == 0)
    group = np.cumsum(rank == 0) - 1
    g_service = service[starts]
    slot = np.arange(len(starts)) - np.searchsorted(g_service, g_service)
    size = np.diff(np.append(starts, len(which)))
    return Groups(which, rank, group, g_service, slot, weight[starts], size)


def best_per_service(services: Services, peers: Groups, peer_values: np.ndarray,
                     vacancies: Groups, vacancy_values: np.ndarray) -> Best:
    """The best plan of every service: `peer_values`/`vacancy_values` are the columns'
    reduced points (indexed like the groups' items)."""
    count = len(services.room)
    cells = int(max(0, services.room.max(initial=0))) + 1
    table = np.full((count, services.lone.shape[1], cells), NEG)
    fits = services.room >= 0
    table[np.flatnonzero(fits), services.start[fits], 0] = 0.0
    beyond = np.arange(cells)[None, :] > services.room[:, None]
    weights, values = _slots(peers, peer_values, count)
    trail = []
    for slot in range(weights.shape[1]):
        for rank in range(values.shape[2]):
            table, step = _add_item(table, weights[:, slot], values[:, slot, rank], beyond)
            trail.append((slot, step))
    filled, vac_weights, vac_trail = _vacancies(vacancies, vacancy_values, count, cells, beyond)
    best_within = np.maximum.accumulate(filled, axis=1)
    at = np.maximum.accumulate(np.where(filled >= best_within, np.arange(cells), 0), axis=1)
    rest = services.room[:, None] - np.arange(cells)[None, :]  # units left for vacancies
    rest_value = np.where(rest >= 0, np.take_along_axis(best_within, np.maximum(rest, 0), 1),
                          NEG)
    total = table + services.lone[:, :, None] + rest_value[:, None, :]
    flat = total.reshape(count, -1).argmax(axis=1)
    level, used = np.divmod(flat, cells)
    value = total.reshape(count, -1)[np.arange(count), flat]
    taken = _trace_peers(trail, weights, level, used)
    vac_used = at[np.arange(count), np.maximum(services.room - used, 0)]
    return Best(value, taken, _trace_vacancies(vac_trail, vac_weights, vac_used))


def chosen(groups: Groups, taken: np.ndarray) -> np.ndarray:
    """How many of each item's group are taken, per item: an item is in when its rank is
    below that."""
    return groups.rank < taken[groups.service, groups.slot][groups.group]


def _rank(service: np.ndarray, weight: np.ndarray) -> np.ndarray:
    new = np.ones(len(service), dtype=bool)
    new[1:] = (service[1:] != service[:-1]) | (weight[1:] != weight[:-1])
    starts = np.flatnonzero(new)
    return np.arange(len(service)) - np.repeat(starts, np.diff(np.append(starts, len(service))))


def _slots(groups: Groups, values: np.ndarray, count: int):
    """Per service and slot: the size (units) and the values of its group, best first
    (-inf where the group has fewer)."""
    slots = int(groups.slot.max(initial=-1)) + 1
    most = int(groups.size.max(initial=0))
    weights = np.ones((count, slots), dtype=np.int64)
    weights[groups.service, groups.slot] = groups.weight
    table = np.full((count, slots, most), NEG)
    table[groups.service[groups.group], groups.slot[groups.group], groups.rank] = values
    return weights, table


def _add_item(table: np.ndarray, weight: np.ndarray, value: np.ndarray, beyond: np.ndarray):
    """One more placement per service (0/1): the table after, and the step for tracing
    back (where it was taken; at the top level, whether it came from the top level)."""
    levels, cells = table.shape[1], table.shape[2]
    source = np.arange(cells)[None, :] - weight[:, None]
    moved = np.take_along_axis(table, np.maximum(source, 0)[:, None, :], axis=2)
    moved = np.where((source >= 0)[:, None, :], moved, NEG) + value[:, None, None]
    if levels == 1:
        offer, from_top = moved, np.ones((len(weight), cells), dtype=bool)
    else:
        offer = np.concatenate((np.full_like(moved[:, :1], NEG), moved[:, :-1]), axis=1)
        from_top = moved[:, -1] > offer[:, -1]
        offer[:, -1] = np.where(from_top, moved[:, -1], offer[:, -1])
    offer[np.broadcast_to(beyond[:, None, :], offer.shape)] = NEG
    take = offer > table
    return np.where(take, offer, table), (take, from_top)


def _vacancies(groups: Groups, values: np.ndarray, count: int, cells: int,
               beyond: np.ndarray):
    """Best value of vacant positions using exactly each number of units, per service:
    any number of the best vacancy of each size (an unbounded knapsack, cell by cell)."""
    slots = int(groups.slot.max(initial=-1)) + 1
    weights = np.ones((count, slots), dtype=np.int64)
    weights[groups.service, groups.slot] = groups.weight
    worth = np.full((count, slots), NEG)
    worth[groups.service, groups.slot] = values
    filled = np.full((count, cells), NEG)
    filled[:, 0] = 0.0
    rows = np.arange(count)
    trail = []
    for slot in range(slots):
        weight, gain = weights[:, slot], worth[:, slot]
        took = np.zeros((count, cells), dtype=bool)
        for cell in range(1, cells):
            source = cell - weight
            offer = np.where(source >= 0, filled[rows, np.maximum(source, 0)] + gain, NEG)
            offer[beyond[:, cell]] = NEG
            took[:, cell] = offer > filled[:, cell]
            filled[:, cell] = np.where(took[:, cell], offer, filled[:, cell])
        trail.append(took)
    return filled, weights, trail


def _trace_peers(trail, weights: np.ndarray, level: np.ndarray, used: np.ndarray):
    """How many of each slot's group the best cell took, stepping back item by item."""
    count = len(level)
    taken = np.zeros((count, weights.shape[1]), dtype=np.int64)
    rows = np.arange(count)
    for slot, (take, from_top) in reversed(trail):
        top = take.shape[1] - 1
        took = take[rows, level, used]
        taken[:, slot] += took
        below = np.where(level == top, np.where(from_top[rows, used], top, top - 1), level - 1)
        level = np.where(took, below, level)
        used = np.where(took, used - weights[:, slot], used)
    return taken


def _trace_vacancies(trail, weights: np.ndarray, used: np.ndarray) -> np.ndarray:
    """Positions of each slot's vacancy in the best cell, stepping back cell by cell."""
    count = len(used)
    taken = np.zeros((count, len(trail)), dtype=np.int64)
    rows = np.arange(count)
    for slot in range(len(trail) - 1, -1, -1):
        while True:
            took = trail[slot][rows, used] & (used > 0)
            if not took.any():
                break
            taken[:, slot] += took
            used = np.where(took, used - weights[:, slot], used)
    return taken
