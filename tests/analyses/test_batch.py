"""`planner batch`'s tasks, on a Dask cluster of two worker processes and on this
machine: the plans are those made alone, a broken workbook is one row, nothing is lost
when a worker dies or a task fails, and a rerun skips what is done."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import psutil
import pytest
from bs4 import BeautifulSoup
from distributed import Client

from planner import api
from planner.analyses.batch import (
    MAX_ATTEMPTS,
    TASK_FILE,
    BatchProgress,
    batch_tasks,
    finished_row,
    run_batch,
    task_key,
    workbook_paths,
)
from planner.analyses.cluster import DaskPool, LocalPool, open_pool
from planner.analyses.portfolio import FAILED, INVALID
from planner.analyses.workers import Workers
from planner.core.audience import Audience
from planner.core.errors import UsageError
from planner.solve.planning import plan
from planner.workbook.read import read_org
from planner.workbook.scenarios import apply_scenario, read_scenarios
from tests.helpers.batch import (
    FAILING_ORG,
    InlinePool,
    failing_render,
    json_render,
    process_id,
    slow_render,
    write_orgs,
)

SIZES = (8, 10, 12, 15)  # PSWs of the four organisations
SCENARIOS = (("Budget +10%", "Policy", "budget", "value", "scale", 1.1),
             ("Warmer services", "Services", "*", "climate", "add", 1))
LIMIT = 5.0  # seconds a plan; each of these proves its optimum well within it
BROKEN = "broken"


@pytest.fixture(scope="module")
def org_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("orgs")
    write_orgs(folder, SIZES, SCENARIOS)
    (folder / f"{BROKEN}.xlsx").write_bytes(b"not a workbook at all")
    return folder


@pytest.fixture(scope="module")
def on_cluster(dask_cluster: str, org_folder: Path,
               tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, api.BatchOutcome]:
    out = tmp_path_factory.mktemp("batch")
    return out, api.batch(org_folder, out, scheduler=dask_cluster, time_limit=LIMIT)


def test_each_plan_made_on_the_cluster_is_the_plan_made_alone(on_cluster, org_folder):
    out, outcome = on_cluster
    rows = {(r.org, r.scenario): r for r in outcome.portfolio.rows}
    for path in sorted(org_folder.glob("org-*.xlsx")):
        baseline = read_org(path)
        changed = {"baseline": baseline} | {s.name: apply_scenario(baseline, s)
                                             for s in read_scenarios(path)}
        for scenario, org in changed.items():
            alone = plan(org, time_limit=LIMIT)
            row = rows[(path.stem, scenario)]
            written = json.loads((out / row.folder / "plan.json").read_text("utf-8"))
            assert written["objective"] == pytest.approx(alone.objective)
            assert _placements(written) == {(a.psw_id, a.role_id, a.service_id, a.fte)
                                            for a in alone.assignments}
            assert (row.status, row.coverage) == (alone.status.value, alone.kpis.coverage)
    assert len(rows) == len(SIZES) * (1 + len(SCENARIOS)) + 1


def test_a_broken_workbook_is_one_invalid_row_with_its_message(on_cluster):
    out, outcome = on_cluster
    (broken,) = [r for r in outcome.portfolio.rows if r.org == BROKEN]
    assert (broken.scenario, broken.status, broken.folder) == ("baseline", INVALID, "")
    assert "is not an .xlsx workbook" in broken.reason
    assert all(r.planned for r in outcome.portfolio.rows if r.org != BROKEN)
    page = BeautifulSoup((out / "portfolio.html").read_text("utf-8"), "html.parser")
    (listed,) = page.select("#not-planned li")
    assert listed["data-org"] == BROKEN
    assert listed.select_one(".reason").get_text() == broken.reason


def test_a_rerun_skips_every_finished_task(on_cluster, dask_cluster, org_folder):
    out, first = on_cluster
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob(TASK_FILE)}
    seen: list[BatchProgress] = []
    again = api.batch(org_folder, out, scheduler=dask_cluster, time_limit=LIMIT,
                      progress=seen.append)
    assert seen[-1].skipped == seen[-1].total == len(stamps) == len(SIZES) * 3
    assert {p: p.stat().st_mtime_ns for p in out.rglob(TASK_FILE)} == stamps
    assert again.portfolio.rows == first.portfolio.rows


def test_a_task_is_done_only_for_the_same_workbook_scenario_and_time_limit(on_cluster,
                                                                          org_folder):
    out, _ = on_cluster
    tasks = batch_tasks(workbook_paths([org_folder]), time_limit=LIMIT).tasks
    assert all(finished_row(out, task) for task in tasks)
    other = batch_tasks(workbook_paths([org_folder]), time_limit=LIMIT + 1).tasks
    assert not any(finished_row(out, task) for task in other)
    keys = {task_key("a" * 64, None, LIMIT, None, Audience.HR),
            task_key("b" * 64, None, LIMIT, None, Audience.HR),
            task_key("a" * 64, None, LIMIT, 7, Audience.HR),
            task_key("a" * 64, None, LIMIT, None, Audience.DIRECTOR)}
    assert len(keys) == 4


def test_a_worker_killed_mid_run_has_its_task_run_again_and_nothing_is_lost(
        dask_cluster, org_folder, tmp_path):
    tasks = batch_tasks(workbook_paths([org_folder]), time_limit=LIMIT).tasks[:4]
    with Client(dask_cluster, set_as_default=False) as client, \
            open_pool(dask_cluster) as pool:
        before = client.run(os.getpid)
        killer = threading.Thread(target=_kill_a_busy_worker, args=(client, before))
        killer.start()
        rows = run_batch(tasks, pool, slow_render, tmp_path)
        killer.join()
        assert set(client.run(os.getpid).values()) != set(before.values())  # one restarted
    assert [r.status for r in rows] == ["optimal"] * len(tasks)
    for task, row in zip(tasks, rows, strict=True):
        assert json.loads((tmp_path / task.folder / "plan.json").read_text("utf-8"))[
            "objective"] is not None
        assert row.folder == task.folder


def test_a_process_of_the_local_pool_killed_mid_run_is_replaced_and_its_task_tried_again(
        org_folder, tmp_path):
    tasks = batch_tasks(workbook_paths([org_folder]), time_limit=LIMIT).tasks[:2]
    others = {child.pid for child in psutil.Process().children()}  # a cluster's, say
    killer = threading.Thread(target=_kill_a_pool_process, args=(others,))
    with open_pool(None, jobs=2) as pool:
        assert isinstance(pool, LocalPool)
        killer.start()
        rows = run_batch(tasks, pool, slow_render, tmp_path)
    killer.join()
    assert [r.status for r in rows] == ["optimal"] * len(tasks)
    assert max(r.attempts for r in rows) == 2


def test_a_task_that_keeps_failing_is_a_failed_row_and_the_others_go_on(org_folder, tmp_path):
    tasks = [task for task in batch_tasks(workbook_paths([org_folder]), time_limit=LIMIT).tasks
             if task.org in ("org-1", FAILING_ORG)]
    rows = run_batch(tasks, InlinePool(), failing_render, tmp_path)
    failed = [r for r in rows if r.status == FAILED]
    assert [r.org for r in failed] == [FAILING_ORG] * 3
    assert all(r.attempts == MAX_ATTEMPTS for r in failed)
    assert all(r.reason.startswith(f"RuntimeError: cannot render {FAILING_ORG}.xlsx")
               for r in failed)
    assert [r.status for r in rows if r.org != FAILING_ORG] == ["optimal"] * 3
    # the next run tries the failed tasks again, and only them
    seen: list[BatchProgress] = []
    again = run_batch(tasks, InlinePool(), json_render, tmp_path, progress=seen.append)
    assert [r.status for r in again] == ["optimal"] * 6
    assert seen[-1].skipped == 3


def test_a_scenario_that_cannot_be_applied_is_an_invalid_row(tmp_path):
    (path,) = write_orgs(tmp_path, (8,), [("Close a service", "Services", "NOPE", "climate",
                                          "set", 4)])
    work = batch_tasks([path], time_limit=LIMIT)
    rows = run_batch(work.tasks, InlinePool(), json_render, tmp_path / "out")
    assert [(r.scenario, r.status) for r in rows] == [("baseline", "optimal"),
                                                     ("Close a service", INVALID)]
    assert "NOPE" in rows[1].reason


def test_workers_given_a_scheduler_run_every_task_on_its_cluster(dask_cluster):
    with Client(dask_cluster, set_as_default=False) as client:
        workers = set(client.run(os.getpid).values())
    with Workers(scheduler=dask_cluster) as pool:
        ran = pool.map(process_id, {str(n): n for n in range(4)})
        assert pool.jobs == 2
    assert set(ran.values()) <= workers


def test_an_unreachable_scheduler_is_a_usage_error_at_once():
    started = time.perf_counter()
    with pytest.raises(UsageError, match="cannot reach the Dask scheduler"):
        DaskPool("tcp://127.0.0.1:9")
    assert time.perf_counter() - started < 5


def _placements(plan_json: dict) -> set[tuple]:
    return {(a["psw_id"], a["role_id"], a["service_id"], a["fte"])
            for a in plan_json["assignments"]}


def _kill_a_busy_worker(client: Client, pids: dict[str, int]) -> None:
    """SIGKILL the process of a worker as soon as it runs a task (its nanny restarts it)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        busy = [address for address, keys in client.processing().items() if keys]
        if busy:
            time.sleep(0.3)  # into the task
            os.kill(pids[busy[0]], signal.SIGKILL)
            return
        time.sleep(0.05)


def _kill_a_pool_process(others: set[int]) -> None:
    """SIGKILL a process of the pool (a child of this process but `others`) while the
    tasks are in it, before any can finish (it is still importing the planner, or
    planning)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        pool = [c for c in psutil.Process().children()
                if c.pid not in others and "spawn_main" in " ".join(c.cmdline())]
        if len(pool) >= 2:
            time.sleep(POOL_START_SECONDS)
            pool[0].kill()
            return
        time.sleep(0.05)


POOL_START_SECONDS = 0.5  # well before a task ends: importing the planner alone takes longer
