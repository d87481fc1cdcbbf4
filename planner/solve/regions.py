"""An organisation's services cut into parts region by region: the blocks a large
organisation is planned in (`large.blocks`) and the parts a plan is improved in
(`large.polish`)."""

from __future__ import annotations

import random
from collections import defaultdict

from planner.core.domain import Org


def region_parts(org: Org, most: int, shifted: bool = False,
                 draw: random.Random | None = None) -> list[list[str]]:
    """Service ids region by region (regions by name, services in the org's order), each
    region cut into as few equal parts as hold at most `most` services. `shifted`: each
    region's cuts half a part further on, so services in different parts before meet.
    `draw`: each region's services in an order drawn by it instead (a new cut each time)."""
    by_region: dict[str, list[str]] = defaultdict(list)
    for service in org.services:
        by_region[service.region or ""].append(service.service_id)
    parts: list[list[str]] = []
    for _, ids in sorted(by_region.items()):
        if draw is not None:
            draw.shuffle(ids)
        count = -(-len(ids) // most)
        size = -(-len(ids) // count)
        if shifted and count > 1:
            ids = ids[size // 2:] + ids[:size // 2]
        parts += [ids[i:i + size] for i in range(0, len(ids), size)]
    return parts
