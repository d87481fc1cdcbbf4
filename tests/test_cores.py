"""Work on the second core: a forked child's result, its failures, and who may fork."""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from dataclasses import replace

import pytest

from planner.solve.large import child as cores
from planner.solve.solver import SolveLimits

needs_fork = pytest.mark.skipif("fork" not in mp.get_all_start_methods(),
                                reason="no fork on this platform")


def _fail() -> None:
    raise ValueError("no result")


@needs_fork
def test_a_forked_child_computes_the_result_in_another_process():
    assert cores.Forked(os.getpid).result(timeout=30) not in (None, os.getpid())


@needs_fork
def test_a_child_that_fails_gives_no_result():
    assert cores.Forked(_fail).result(timeout=30) is None


@needs_fork
def test_a_child_that_takes_too_long_is_stopped():
    child = cores.Forked(time.sleep, 60)
    assert child.result(timeout=0.2) is None
    assert not child.process.is_alive()


def test_no_spare_core_for_several_workers_or_in_scenario_workers(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    limits = SolveLimits()
    monkeypatch.setattr(cores, "_cores_taken", False)
    assert cores.spare_core(limits) == ("fork" in mp.get_all_start_methods())
    assert not cores.spare_core(replace(limits, deterministic=False))  # CP-SAT takes both
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert not cores.spare_core(limits)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    cores.no_spare_core()  # as in each worker of planner.variants.Workers
    assert not cores.spare_core(limits)
