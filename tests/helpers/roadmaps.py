"""The roadmap the report tests render, planned once per pytest run."""

from __future__ import annotations

import functools
from dataclasses import replace

from planner.analyses.roadmap import Roadmap, plan_roadmap
from planner.workbook.generate import generate_org

CURRENCY = "EUR"
K = 5  # the Policy's default


@functools.cache
def small_roadmap() -> Roadmap:
    """Three years of a generated organisation (30 PSWs, 8 services, 2 regions, fixed seed)
    whose figures hold small groups: a supported stretch, a step up, a person reaching a
    higher tier, and a saliency tier that fewer than k people fill; money in euros."""
    org = generate_org(30, 8, regions=2, seed=7)
    org = replace(org, policy=replace(org.policy, currency=CURRENCY))
    return plan_roadmap(org, years=3, time_limit=5)
