"""Benchmark: `planner plan` end to end on sample and generated organisations, and HiGHS on
the same model for reference. Prints a Markdown table (see bench/README.md).

    python bench/run.py                                  # every case, one run each
    python bench/run.py --runs 3 --cases 600 2000        # medians of three runs
    python bench/run.py --engines default --cases 5000   # the default path only

Each measurement runs in a fresh process, so its peak memory (max RSS) is its own.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import platform
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Case:
    label: str
    psws: int
    services: int
    regions: int
    limit: float  # --time-limit of the default path
    sample: str | None = None  # a bundled sample instead of a generated organisation
    everyone_travels: bool = False


CASES = {c.label: c for c in (
    Case("10", 10, 3, 1, 60),
    Case("60", 60, 14, 2, 60),
    Case("600", 600, 150, 5, 12, sample="sample_orgs/large_system.xlsx"),
    Case("600 at 60 s", 600, 150, 5, 60, sample="sample_orgs/large_system.xlsx"),
    Case("2000", 2000, 300, 6, 50),
    Case("5000", 5000, 750, 15, 170),
    Case("2000-dense", 2000, 300, 1, 110, everyone_travels=True),
)}
HIGHS_MOST_SECONDS = 300.0
HIGHS_BUILD_ALLOWANCE = 40.0  # seconds per 1,000 PSWs to build and hand over the MIP


@dataclass(frozen=True)
class Measurement:
    case: str
    engine: str
    status: str
    seconds: float  # default: end to end (read, plan, write); highs: build + solve
    plan_seconds: float  # default: plan() alone; highs: build + solve
    stages: dict[str, float]
    objective: float | None
    bound: float | None
    gap: float | None
    candidates: int
    blocks: int
    peak_mib: float


def workbook_for(case: Case, folder: Path) -> Path:
    if case.sample:
        return ROOT / case.sample
    from planner.workbook.generate import generate_org
    from planner.workbook.template import write_workbook

    org = generate_org(psws=case.psws, services=case.services, regions=case.regions, seed=1)
    if case.everyone_travels:
        org = replace(org, psws=tuple(replace(p, travel=True) for p in org.psws))
    path = folder / f"{case.label}.xlsx"
    write_workbook(path, org, force=True)
    return path


def measure_default(case: Case) -> Measurement:
    """`planner plan` as the CLI runs it, stage by stage."""
    from planner.core.results import write_plan_json
    from planner.reports.excel import write_excel_report
    from planner.reports.html import write_html_report
    from planner.solve.planning import plan
    from planner.workbook.read import read_org

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = workbook_for(case, folder)
        stages: dict[str, float] = {}

        def timed(name, fn, *args, **kw):
            start = time.perf_counter()
            value = fn(*args, **kw)
            stages[name] = round(time.perf_counter() - start, 2)
            return value

        org = timed("read", read_org, path)
        result = timed("plan", plan, org, time_limit=case.limit)
        timed("plan.json", write_plan_json, result, folder / "plan.json")
        timed("plan.xlsx", write_excel_report, result, folder / "plan.xlsx")
        timed("report.html", write_html_report, result, folder / "report.html")
    return Measurement(
        case.label, "default", result.status.value, round(sum(stages.values()), 2),
        stages["plan"], stages, result.objective, result.bound, result.gap,
        result.model_stats["candidates"], result.model_stats.get("blocks", 0), _peak())


def measure_highs(case: Case, gap: float | None, limit: float) -> Measurement:
    """The whole model (no pruning) as a MIP for HiGHS, stopped at `gap` or `limit`."""
    from mip_reference import solve_with_highs

    from planner.solve.model import build_model
    from planner.workbook.read import read_org

    with tempfile.TemporaryDirectory() as tmp:
        org = read_org(workbook_for(case, Path(tmp)))
    start = time.perf_counter()
    built = build_model(org)
    ref = solve_with_highs(built, limit, gap=gap)
    seconds = round(time.perf_counter() - start, 2)
    reached = (abs(ref.bound - ref.objective) / max(1.0, abs(ref.objective))
               if ref.objective is not None else None)
    return Measurement(case.label, "highs", ref.status, seconds, seconds,
                       {"build": round(seconds - ref.seconds, 2)}, ref.objective, ref.bound,
                       reached, len(built.candidates), 0, _peak())


def _peak() -> float:
    """Peak memory of the measurement and of its largest child (the side bound of
    `planner.solve.large.side_bound`, which runs beside the plan), added: both are alive at once."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + child) / 1024, 1)


def _child(args: tuple, send) -> None:
    engine, label, gap, limit = args
    case = CASES[label]
    result = measure_default(case) if engine == "default" else measure_highs(case, gap, limit)
    send.send(asdict(result))
    send.close()


def run_in_child(args: tuple, timeout: float | None = None) -> dict | None:
    """One measurement in a fresh process; None when it has no answer within `timeout`
    (HiGHS does not always stop at its time limit on the largest models). The process is
    not a daemon, so `planner plan` may start its side bound there as from the CLI."""
    context = mp.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(args, send))
    process.start()
    send.close()
    try:
        if receive.poll(timeout):
            return receive.recv()
        return None
    except EOFError:  # the measurement failed: its traceback is on stderr
        return None
    finally:
        process.terminate()
        process.join()


def no_answer(label: str, seconds: float) -> dict:
    return {"case": label, "engine": "highs", "status": "no answer", "seconds": seconds,
            "plan_seconds": seconds, "gap": None, "objective": None, "bound": None}


def median_of(rows: list[dict]) -> dict:
    """The run with the median end-to-end time (so its status and gap belong to it)."""
    ordered = sorted(rows, key=lambda r: r["seconds"])
    middle = dict(ordered[len(ordered) // 2])
    middle["peak_mib"] = statistics.median(r["peak_mib"] for r in rows)
    middle["runs"] = len(rows)
    return middle


def ratio(default: dict, highs: dict | None) -> str:
    """How many times longer HiGHS takes to reach the default path's gap ('>' when it did
    not reach it before its limit)."""
    if highs is None:
        return "—"
    reached = highs["gap"] is not None and highs["gap"] <= max(default["gap"], 1e-4) + 1e-9
    value = highs["plan_seconds"] / max(default["plan_seconds"], 0.01)
    return f"{value:.1f}" if reached else f">{value:.1f}"


def table(rows: list[tuple[dict, dict | None]]) -> str:
    lines = [
        "| case | PSWs | status | end to end s | plan s | gap | objective | bound "
        "| candidates | blocks | peak MiB | runs | HiGHS: status, s, gap | HiGHS ÷ default |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for d, h in rows:
        highs = "—" if h is None else (
            f"{h['status']}, {h['seconds']:.0f}, {_pct(h['gap'])}")  # seconds incl. build
        lines.append(
            f"| {d['case']} | {CASES[d['case']].psws:,} | {d['status']} | {d['seconds']:.1f} | "
            f"{d['plan_seconds']:.1f} | {_pct(d['gap'])} | {_num(d['objective'])} | "
            f"{_num(d['bound'])} | {d['candidates']:,} | {d['blocks'] or '—'} | "
            f"{d['peak_mib']:.0f} | {d['runs']} | {highs} | {ratio(d, h)} |")
    return "\n".join(lines)


def stage_table(rows: list[dict]) -> str:
    lines = ["| case | read | plan | plan.json | plan.xlsx | report.html |",
             "|---|---|---|---|---|---|"]
    for d in rows:
        total = sum(d["stages"].values()) or 1.0
        cells = " | ".join(f"{d['stages'][k]:.1f} s ({d['stages'][k] / total:.0%})"
                           for k in ("read", "plan", "plan.json", "plan.xlsx", "report.html"))
        lines.append(f"| {d['case']} | {cells} |")
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.3%}"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    parser.add_argument("--engines", nargs="*", default=["default", "highs"])
    parser.add_argument("--runs", type=int, default=1, help="runs of the default path")
    args = parser.parse_args()
    rows = []
    for label in args.cases:
        default = median_of([run_in_child(("default", label, None, None))
                             for _ in range(args.runs)])
        print(f"done: {label} (default): {json.dumps(default)}", file=sys.stderr, flush=True)
        highs = None
        if "highs" in args.engines:
            limit = min(HIGHS_MOST_SECONDS, max(60.0, 3 * default["plan_seconds"]))
            waited = limit + HIGHS_BUILD_ALLOWANCE * CASES[label].psws / 1000
            highs = (run_in_child(("highs", label, default["gap"], limit), timeout=waited)
                     or no_answer(label, waited))
            print(f"done: {label} (highs): {json.dumps(highs)}", file=sys.stderr, flush=True)
        rows.append((default, highs))
    print(f"machine: {platform.machine()}, {mp.cpu_count()} cores, Python "
          f"{platform.python_version()}; default path: median of {args.runs} run(s); "
          "HiGHS: one run\n")
    print(table(rows))
    print()
    print(stage_table([d for d, _ in rows]))


if __name__ == "__main__":
    main()
