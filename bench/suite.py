"""The benchmark suite: `planner plan` on organisations that differ as real ones do, each
against HiGHS on the same model in the same wall time. Prints a Markdown table, the worst
case first (bench/README.md, "The suite").

    python bench/suite.py                         # every case, the CLI and HiGHS
    python bench/suite.py --cases S05 S10         # some cases
    python bench/suite.py --engines plan:highs plan:lagrange+highs plan:none --dev
                                                  # the second core's work, with and without

Engines:
- `cli`: `planner plan WORKBOOK -o OUT` in a fresh process, timed from its start to its
  end (reading, planning and writing every output), at the Policy's time limit (60 s).
- `cli:reproducible`: `planner plan --reproducible` the same way, twice; its status says
  whether the second run gave the same plan (every placement) and how many searches the
  clock cut in each.
- `highs`: HiGHS alone on the planner's own model (built as the whole-model path builds
  it, dominated placements pruned), one thread, no start, given the same wall time as the
  CLI's limit, counted as the CLI's is from the process's start (Python's start, the
  imports, reading the workbook and building the model included; writing nothing); the
  best plan it has found when the time is up (a run that overruns is stopped and keeps
  the last plan it reported).
- `plan:<work>`: `plan()` in a fresh process with the second core's child doing `<work>`
  (`highs`; `lagrange`: the Lagrangian bound and plans from it (dive, complete, polish);
  `lagrange+highs`: those for half the time, then HiGHS from the best plan; `bound`: the
  Lagrangian bound alone) or no child (`none`), wherever the strategy puts a child, for
  measuring each part with and without.

Seeds: the suite's generator seeds (`SEEDS`) were drawn once, after the solver work they
measure was done; `--dev` uses other seeds (for trying changes without tuning to the
suite); `--seed N` gives each case the seed N plus its place in the suite (for measuring a
change on seeds drawn after it was written).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIME_LIMIT = 60.0  # the Policy's default, which the CLI uses
OVERRUN_ALLOWANCE = 30.0  # seconds past the limit before a measurement is stopped


@dataclass(frozen=True)
class SuiteCase:
    label: str
    psws: int
    services: int
    regions: int
    shape: dict[str, object] = field(default_factory=dict)  # generate.Shape fields
    sample: str | None = None  # a bundled sample instead of a generated organisation
    note: str = ""

    def describe(self) -> str:
        if self.sample:
            return f"`{self.sample}`"
        parts = [f"{k.replace('_', ' ')} {v}" for k, v in self.shape.items()]
        return f"{self.services} services, {self.regions} regions" + (
            "; " + ", ".join(parts) if parts else "")


DENSE = {"service_topics": (3, 4), "person_topics": {2: 30, 3: 40, 4: 30}}
SPARSE = {"service_topics": (1, 2), "person_topics": {1: 60, 2: 40}}
SUITE = (
    SuiteCase("S01", 200, 40, 1, {"travel_share": 0.0, "budget_ratio": 0.7,
                                  "lone_peer": "forbid"}),
    SuiteCase("S02", 300, 70, 3, {"travel_share": 1.0, "part_time_share": 0.2,
                                  "budget_ratio": 1.2}),
    SuiteCase("S03", 400, 80, 2, {**DENSE, "budget_ratio": 0.9, "lock_share": 0.0}),
    SuiteCase("S04", 600, 150, 5, sample="sample_orgs/large_system.xlsx"),
    SuiteCase("S05", 600, 120, 5, {"travel_share": 0.5, "part_time_share": 0.7,
                                   "budget_ratio": 0.8, "lock_share": 0.10}),
    SuiteCase("S06", 600, 150, 8, {**SPARSE, "travel_share": 0.1, "budget_ratio": 1.1}),
    SuiteCase("S07", 800, 160, 10, {"lone_peer": "allow", "budget_ratio": 1.0,
                                    "stretch_share": 0.4}),
    SuiteCase("S08", 1000, 200, 4, {"travel_share": 0.3, "budget_ratio": 0.75,
                                    "lock_share": 0.05, "lone_peer": "forbid"}),
    SuiteCase("S09", 1000, 180, 15, {"travel_share": 0.05, "part_time_share": 0.1,
                                     "budget_ratio": 1.2}),
    SuiteCase("S10", 2000, 300, 6),
    SuiteCase("S11", 2000, 400, 12, {**DENSE, "travel_share": 0.6, "budget_ratio": 0.85}),
    SuiteCase("S12", 3000, 500, 9, {**SPARSE, "part_time_share": 0.3, "lock_share": 0.08}),
    SuiteCase("S13", 5000, 750, 15, {"budget_ratio": 1.0}),
)
CASES = {case.label: case for case in SUITE}
# drawn once (2026-12-05) after the solver work measured: `python -c "import random;
# print(random.SystemRandom().sample(range(1, 10_000), 13))"`
SEEDS = dict(zip(CASES, (6492, 2714, 238, 5984, 1227, 1252, 8269, 2209, 8203, 2291, 5546, 718,
                         6981), strict=True))
DEV_SEED_BASE = 50_000


def workbook(case: SuiteCase, seed: int, folder: Path) -> Path:
    if case.sample:
        return ROOT / case.sample
    from planner.core.domain import LonePeer
    from planner.workbook.generate import Shape, generate_org
    from planner.workbook.template import write_workbook

    shape = dict(case.shape)
    if "lone_peer" in shape:
        shape["lone_peer"] = LonePeer(shape["lone_peer"])
    org = generate_org(case.psws, case.services, case.regions, seed=seed, shape=Shape(**shape))
    path = folder / f"{case.label}-{seed}.xlsx"
    write_workbook(path, org, force=True)
    return path


def measure_cli(path: Path, folder: Path, flags: tuple[str, ...] = (),
                limit: float = TIME_LIMIT) -> dict:
    """`planner plan` end to end in a fresh process, with `--time-limit limit`."""
    out = folder / "out"
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "planner", "plan", str(path), "-o", str(out),
                           "--quiet", "--time-limit", f"{limit:g}", *flags],
                          capture_output=True, text=True,
                          timeout=limit + OVERRUN_ALLOWANCE * 4)
    seconds = time.perf_counter() - start
    if not (out / "plan.json").exists():
        return {"status": f"failed ({done.returncode}): {done.stderr[-300:]}",
                "seconds": seconds}
    plan = json.loads((out / "plan.json").read_text())
    placed = sorted((a["psw_id"], a["role_id"], a["service_id"]) for a in plan["assignments"])
    return {"status": plan["status"], "seconds": seconds, "objective": plan["objective"],
            "bound": plan["bound"], "gap": plan["gap"], "path": plan["strategy"]["path"],
            "candidates": plan["strategy"]["candidates"],
            "cut_by_the_clock": plan["model_stats"].get("cut_by_the_clock"),
            "placements": hashlib.sha256(json.dumps(placed).encode()).hexdigest()[:12]}


def measure_twice(path: Path, folder: Path, limit: float = TIME_LIMIT) -> dict:
    """`planner plan --reproducible` twice: the first run, and whether the second gave
    the same plan (objective and every placement) in its status."""
    first = measure_cli(path, folder, ("--reproducible",), limit)
    second = measure_cli(path, folder, ("--reproducible",), limit)
    same = all(first.get(k) == second.get(k) for k in ("objective", "placements"))
    return {**first, "status": f"{first['status']}, {'the same' if same else 'not the same'} "
            f"twice (clock cuts {first.get('cut_by_the_clock')}, "
            f"{second.get('cut_by_the_clock')})", "second_seconds": second.get("seconds")}


def _highs_child(path: str, limit: float, send) -> None:
    from planner.cli import process_began
    from planner.solve.highs import solve_with_highs
    from planner.solve.model import build_model, canonical
    from planner.workbook.read import read_org

    start = process_began()  # the same wall time as the CLI's: from the process's start
    org = read_org(path)
    built = build_model(canonical(org), prune=True)

    def heard(found) -> None:
        send.send({"status": found.status.value, "objective": found.objective,
                   "bound": found.bound, "seconds": time.perf_counter() - start})

    final = solve_with_highs(built, limit - (time.perf_counter() - start), on_plan=heard)
    heard(final)
    send.send("done")


def _plan_child(path: str, work: str, limit: float, send) -> None:
    from dataclasses import replace

    from planner.solve import planning
    from planner.solve.large import side_bound
    from planner.solve.large.side_bound import SideWork
    from planner.workbook.read import read_org

    org = read_org(path)
    chosen = planning.choose_strategy

    def forced(*args, **kwargs):  # the strategy's choice, with the child's work forced
        picked = chosen(*args, **kwargs)
        if not picked.side_bound:
            return picked
        if work == "none":
            return replace(picked, side_work=None)
        if work == "bound":  # the Lagrangian bound without plans from it (no side plan)
            side_bound.SIDE_PLAN_SECONDS = float("inf")
            return replace(picked, side_work=SideWork.LAGRANGE)
        return replace(picked, side_work=SideWork(work))

    planning.choose_strategy = forced
    start = time.perf_counter()
    result = planning.plan(org, time_limit=limit)
    send.send({"status": result.status.value, "objective": result.objective,
               "bound": result.bound, "gap": result.gap,
               "seconds": time.perf_counter() - start, "path": result.strategy["path"],
               "candidates": result.strategy["candidates"]})
    send.send("done")


def in_child(target, *args, timeout: float) -> dict:
    """The last report of `target(*args, send)` in a fresh process, stopped after
    `timeout` seconds."""
    context = mp.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=target, args=(*args, send))
    process.start()
    send.close()
    last: dict = {"status": "no answer"}
    deadline = time.perf_counter() + timeout
    try:
        while receive.poll(max(0.0, deadline - time.perf_counter())):
            message = receive.recv()
            if message == "done":
                break
            last = message
    except EOFError:
        last = {**last, "status": last.get("status", "") + " (process died)"}
    finally:
        process.terminate()
        process.join()
    return last


def measure(case: SuiteCase, seed: int, engines: list[str],
            limit: float = TIME_LIMIT) -> dict[str, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = workbook(case, seed, folder)
        results: dict[str, dict] = {}
        for engine in engines:
            if engine == "cli":
                results[engine] = measure_cli(path, folder, limit=limit)
            elif engine == "cli:reproducible":
                results[engine] = measure_twice(path, folder, limit)
            elif engine == "highs":
                results[engine] = in_child(_highs_child, str(path), limit,
                                           timeout=limit + OVERRUN_ALLOWANCE)
            else:
                results[engine] = in_child(_plan_child, str(path), engine.split(":")[1],
                                           limit, timeout=limit + OVERRUN_ALLOWANCE)
            print(f"{case.label} seed {seed} {engine}: {json.dumps(results[engine])}",
                  file=sys.stderr, flush=True)
    return results


def table(rows: list[tuple[SuiteCase, int, dict[str, dict]]], engines: list[str]) -> str:
    main = engines[0]
    ordered = sorted(rows, key=lambda row: -_worst(row[2][main].get("gap")))
    head = ["case", "PSWs", "organisation", "seed", "path"]
    for engine in engines:
        seconds = "s (last plan)" if engine == "highs" else "s"
        head += [f"{engine}: status", seconds, "objective", "gap"]
    if "highs" in engines and main != "highs":
        head += [f"{main} ÷ HiGHS objective"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for case, seed, results in ordered:
        cells = [case.label, f"{case.psws:,}", case.describe(), str(seed),
                 results[main].get("path", "—")]
        for engine in engines:
            r = results[engine]
            cells += [r["status"], _num(r.get("seconds"), 1), _num(r.get("objective"), 1),
                      _pct(r.get("gap") if "gap" in r else _gap(r))]
        if "highs" in engines and main != "highs":
            cells.append(_ratio(results[main], results["highs"]))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _worst(gap: float | None) -> float:
    """A gap for ordering, the worst first: no gap (no plan) counts as the worst."""
    return 1.0 if gap is None else gap


def _gap(r: dict) -> float | None:
    if r.get("objective") is None or r.get("bound") is None:
        return None
    return abs(r["bound"] - r["objective"]) / max(1.0, abs(r["objective"]))


def _ratio(ours: dict, highs: dict) -> str:
    if ours.get("objective") is None:
        return "—"
    if highs.get("objective") is None:
        return "HiGHS: no plan"
    return f"{ours['objective'] / highs['objective']:.5f}"


def _pct(value: float | None) -> str:
    return "—" if value is None or value == float("inf") else f"{value:.3%}"


def _num(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    parser.add_argument("--engines", nargs="*", default=["cli", "highs"])
    parser.add_argument("--dev", action="store_true", help="other seeds than the suite's")
    parser.add_argument("--seed", type=int, help="each case's generator seed: this plus the "
                        "case's place in the suite (seeds drawn after the work measured)")
    parser.add_argument("--time-limit", type=float, default=TIME_LIMIT,
                        help="seconds each run may take (default: the Policy's 60)")
    args = parser.parse_args()
    rows = []
    for label in args.cases:
        case = CASES[label]
        place = list(CASES).index(label)
        seed = (args.seed + place if args.seed is not None
                else DEV_SEED_BASE + place if args.dev else SEEDS[label])
        rows.append((case, seed, measure(case, seed, args.engines, args.time_limit)))
    from planner.core.version import __version__

    print(f"planner {__version__}, {date.today().isoformat()}, {platform.machine()}, "
          f"{mp.cpu_count()} cores, Python {platform.python_version()}; one run each\n")
    print(table(rows, args.engines))


if __name__ == "__main__":
    main()
