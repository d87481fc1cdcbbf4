"""Benchmark: `planner batch` on 24 generated organisations (50-600 PSWs) x 3 scenarios
(the baseline, a budget 10 % higher, every service's climate a step warmer), on this
machine's process pool and on a Dask `LocalCluster` of two worker processes (one thread
each). Prints a Markdown row per run.

    python bench/batch.py                          # 5 s a plan; about 6 minutes on two cores
    python bench/batch.py --time-limit 10 --orgs 8

"Worker s" is the time the tasks took on their workers (reading the workbook, planning,
rendering plan.json, plan.xlsx and report.html); the overhead per task is the slot time
not spent in a task, (wall x slots - worker s) / tasks: sending the workbook, scheduling,
returning and writing the files, and slots idle at the start and the end. "Round trip" is
the median time to run an empty task and get its result back, one at a time. Plans are
compared by their objective with the local pool's: a plan stopped by its time limit may
differ from run to run.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from distributed import LocalCluster

from planner import api
from planner.analyses.cluster import open_pool
from planner.analyses.portfolio import PortfolioRow
from planner.workbook.generate import generate_org
from planner.workbook.template import write_workbook

SCENARIOS = (("Budget +10%", "Policy", "budget", "value", "scale", 1.1),
             ("Warmer climates", "Services", "*", "climate", "add", 1))
SMALLEST, LARGEST = 50, 600
PSWS_PER_SERVICE = 6
ROUND_TRIPS = 50
SLOTS = 2


@dataclass(frozen=True)
class Run:
    label: str
    start_seconds: float  # starting the cluster (the local pool starts with its first task)
    wall_seconds: float
    rows: tuple[PortfolioRow, ...]
    round_trip: float
    objectives: dict[str, float | None]


def write_orgs(folder: Path, count: int) -> None:
    """`count` generated organisations from SMALLEST to LARGEST PSWs, seeds 1, 2, ..."""
    for n in range(count):
        psws = round(SMALLEST + (LARGEST - SMALLEST) * n / max(1, count - 1))
        org = generate_org(psws=psws, services=max(4, psws // PSWS_PER_SERVICE), seed=n + 1)
        write_workbook(folder / f"org-{n + 1:02d}.xlsx", org, scenarios=SCENARIOS)


def measure(label: str, orgs: Path, out: Path, limit: float, scheduler: str | None,
            start_seconds: float) -> Run:
    started = time.perf_counter()
    outcome = api.batch(orgs, out, scheduler=scheduler, jobs=SLOTS, time_limit=limit)
    wall = time.perf_counter() - started
    objectives = {row.folder: json.loads((out / row.folder / "plan.json").read_text())[
        "objective"] for row in outcome.portfolio.rows if row.folder}
    return Run(label, start_seconds, wall, outcome.portfolio.rows, round_trip(scheduler),
               objectives)


def round_trip(scheduler: str | None) -> float:
    """The median seconds to run an empty task and have its result, one at a time."""
    with open_pool(scheduler, SLOTS) as pool:
        pool.submit(abs, 0).result()  # the pool started
        times = []
        for n in range(ROUND_TRIPS):
            started = time.perf_counter()
            pool.submit(abs, n).result()
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def table(runs: list[Run]) -> str:
    lines = ["| run | tasks | planned | wall s | worker s | overhead per task s "
             "| round trip ms | start s | same objective as local |",
             "|---|---|---|---|---|---|---|---|---|"]
    local = runs[0].objectives
    for run in runs:
        busy = sum(row.seconds or 0.0 for row in run.rows)
        same = sum(1 for key, value in run.objectives.items() if local.get(key) == value)
        overhead = (run.wall_seconds * SLOTS - busy) / len(run.rows)
        lines.append(
            f"| {run.label} | {len(run.rows)} | {sum(r.planned for r in run.rows)} | "
            f"{run.wall_seconds:.1f} | {busy:.1f} | {overhead:.2f} | "
            f"{run.round_trip * 1000:.1f} | {run.start_seconds:.1f} | "
            f"{same} of {len(run.objectives)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=24)
    parser.add_argument("--time-limit", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "orgs").mkdir()
        write_orgs(folder / "orgs", args.orgs)
        runs = [measure("local pool, 2 processes", folder / "orgs", folder / "local",
                        args.time_limit, None, 0.0)]
        print(f"done: local pool, {runs[0].wall_seconds:.1f} s", file=sys.stderr, flush=True)
        started = time.perf_counter()
        with LocalCluster(n_workers=SLOTS, threads_per_worker=1, processes=True,
                          dashboard_address=":0", silence_logs=logging.ERROR) as cluster:
            start = time.perf_counter() - started
            runs.append(measure("LocalCluster, 2 workers x 1 thread", folder / "orgs",
                                folder / "dask", args.time_limit, cluster.scheduler_address,
                                start))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; {args.orgs} organisations x {1 + len(SCENARIOS)} "
          f"scenarios, --time-limit {args.time_limit:g}\n")
    print(table(runs))


if __name__ == "__main__":
    main()
