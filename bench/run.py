"""Benchmark: plan generated organisations with CP-SAT (the default path) and solve the same
MIP with HiGHS for reference. Prints a Markdown table (see bench/README.md).

    python bench/run.py                      # 10, 60, 600, 2000 PSWs, one run each
    python bench/run.py --runs 3 --sizes 600 # median of 3 runs

Each measurement runs in a fresh process, so peak memory (max RSS) is its own.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import resource
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

SIZES = {  # psws: (services, regions, time limit s)
    10: (3, 1, 60),
    60: (14, 2, 60),
    600: (150, 5, 60),
    2000: (300, 6, 120),
}


@dataclass(frozen=True)
class Measurement:
    engine: str
    psws: int
    status: str
    seconds: float
    objective: float | None
    bound: float | None
    gap: float | None
    candidates: int
    variables: int
    constraints: int
    peak_mib: float


def measure(engine: str, psws: int, seed: int) -> Measurement:
    from planner.generate import generate_org
    from planner.model import build_model
    from planner.planning import plan

    services, regions, limit = SIZES[psws]
    org = generate_org(psws=psws, services=services, regions=regions, seed=seed)
    start = time.perf_counter()
    built = build_model(org)
    stats = (len(built.candidates), len(built.model.proto.variables),
             len(built.model.proto.constraints))
    if engine == "cp-sat":
        result = plan(org, time_limit=limit)
        row = (result.status.value, result.objective, result.bound, result.gap)
    else:
        from mip_reference import solve_with_highs

        ref = solve_with_highs(built.model.proto, limit)
        gap = (abs(ref.bound - ref.objective) / max(1.0, abs(ref.objective))
               if ref.objective is not None else None)
        row = (ref.status, ref.objective, ref.bound, gap)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Measurement(engine, psws, row[0], round(seconds, 2), row[1], row[2], row[3],
                       *stats, round(peak, 1))


def _child(args: tuple[str, int, int]) -> dict:
    return asdict(measure(*args))


def median_of(rows: list[dict]) -> dict:
    """The run with the median wall time (so its status and gap belong to it)."""
    ordered = sorted(rows, key=lambda r: r["seconds"])
    middle = dict(ordered[len(ordered) // 2])
    middle["peak_mib"] = statistics.median(r["peak_mib"] for r in rows)
    return middle


def table(rows: list[dict]) -> str:
    head = ("| PSWs | engine | status | wall s | gap | objective | candidates | variables "
            "| constraints | peak MiB |\n|---|---|---|---|---|---|---|---|---|---|")
    lines = [head]
    for r in rows:
        gap = f"{r['gap']:.3%}" if r["gap"] is not None else "—"
        obj = f"{r['objective']:,.1f}" if r["objective"] is not None else "—"
        lines.append(f"| {r['psws']} | {r['engine']} | {r['status']} | {r['seconds']:.1f} | "
                     f"{gap} | {obj} | {r['candidates']:,} | {r['variables']:,} | "
                     f"{r['constraints']:,} | {r['peak_mib']:.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--engines", nargs="*", default=["cp-sat", "highs"])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    ctx = mp.get_context("spawn")
    rows = []
    for psws in args.sizes:
        for engine in args.engines:
            runs = []
            for _ in range(args.runs):
                with ctx.Pool(1, maxtasksperchild=1) as pool:
                    runs.append(pool.apply(_child, ((engine, psws, args.seed),)))
            rows.append(median_of(runs))
            print(f"done: {psws} PSWs with {engine}", file=sys.stderr, flush=True)
    print(f"machine: {platform.machine()}, {mp.cpu_count()} cores, Python "
          f"{platform.python_version()}; median of {args.runs} run(s)\n")
    print(table(rows))


if __name__ == "__main__":
    main()
