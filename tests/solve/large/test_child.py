"""Work on the second core: a forked child's result, its failures, and who may fork."""

from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import replace

import pytest

from planner.solve.large import child as cores
from planner.solve.solver import SolveLimits

needs_fork = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the planner forks only on Linux")
LARGE_PLANS = 40  # each about 1 MB pickled: far more than a pipe holds unread


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


def _send_large_plans(send) -> None:
    for n in range(LARGE_PLANS):
        send(list(range(n, n + 120_000)))


@needs_fork
def test_a_child_that_sends_many_large_plans_is_never_stalled():
    # The parent does other work (sleeps) and reads nothing itself: the reader thread
    # takes every plan as it comes, so the child finishes long before the parent asks.
    heard: list[int] = []
    child = cores.Child(_send_large_plans, on_message=lambda plan: heard.append(plan[0]))
    try:
        time.sleep(0.5)
        assert child.finished(timeout=60)
        assert heard == list(range(LARGE_PLANS))
        child.process.join(10)  # its pipe closes a moment before the process has exited
        assert child.process.exitcode == 0
    finally:
        child.stop()


def _raise(send) -> None:
    send(1.0)
    raise RuntimeError("the bound went wrong")


@needs_fork
def test_a_child_that_raises_is_reported_and_logged(caplog):
    heard: list[float] = []
    with caplog.at_level(logging.WARNING, logger=cores.__name__):
        child = cores.Child(_raise, on_message=heard.append)
        assert child.finished(timeout=30)
        child.stop()
    assert heard == [1.0]  # what it sent before failing is kept
    assert child.failure is not None and "RuntimeError: the bound went wrong" in str(child.failure)
    assert "the bound went wrong" in caplog.text and "Traceback" in caplog.text


def test_core_counts_come_from_the_cpu_affinity(monkeypatch):
    if hasattr(os, "process_cpu_count"):
        monkeypatch.delattr(os, "process_cpu_count")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)  # a 2-CPU container on a 64-core host
    assert cores.usable_cores() == 1
    assert not cores.spare_core(SolveLimits())


def test_no_spare_core_for_several_workers_or_in_scenario_workers(monkeypatch):
    monkeypatch.setattr(cores, "usable_cores", lambda: 2)
    limits = SolveLimits()
    monkeypatch.setattr(cores, "_cores_taken", False)
    assert cores.spare_core(limits) == sys.platform.startswith("linux")
    assert not cores.spare_core(replace(limits, deterministic=False))  # CP-SAT takes both
    monkeypatch.setattr(cores, "usable_cores", lambda: 1)
    assert not cores.spare_core(limits)
    monkeypatch.setattr(cores, "usable_cores", lambda: 2)
    cores.no_spare_core()  # as in each worker of `analyses.workers.Workers`
    assert not cores.spare_core(limits)
    monkeypatch.setattr(sys, "platform", "darwin")  # no fork off Linux
    monkeypatch.setattr(cores, "_cores_taken", False)
    assert not cores.spare_core(limits)
