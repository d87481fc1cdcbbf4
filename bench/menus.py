"""Benchmark: `planner menus` end to end on the regional and the large sample. Prints a
Markdown row per case: people, placements re-solved pinned, those proven by the nearby
re-solve, those that needed the whole model, alternatives offered, and seconds.

    python bench/menus.py                  # both samples; a few minutes on two cores
    python bench/menus.py --cases 60       # the regional sample only

Each case runs the CLI in a fresh process (read the workbook, plan, re-solve, write
menus.json and menus.xlsx), as a user would; the counts are read from its menus.json.
Targets (issue 18, item 5): re-optimised menus for every person of the regional sample in
30 s or less, of the large one in 5 minutes or less.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Case:
    label: str
    sample: str
    target_seconds: float


CASES = {c.label: c for c in (
    Case("60", "sample_orgs/regional_service.xlsx", 30.0),
    Case("600", "sample_orgs/large_system.xlsx", 300.0),
)}


@dataclass(frozen=True)
class Row:
    case: Case
    seconds: float
    menus: dict


def measure(case: Case, folder: Path) -> Row:
    """`planner menus SAMPLE -o FOLDER --quiet` in a fresh process, timed from start to
    exit (its exit code must be 0)."""
    command = [sys.executable, "-m", "planner", "menus", str(ROOT / case.sample),
               "-o", str(folder), "--quiet"]
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    return Row(case, seconds, json.loads((folder / "menus.json").read_text("utf-8")))


def table(rows: list[Row]) -> str:
    lines = ["| case | people | method | pinned | proven nearby | whole model | left out "
             "| offered | seconds | target s |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        m = row.menus
        offered = sum(len(menu["alternatives"]) for menu in m["menus"])
        method = "re-optimised" if m["method"].startswith("re-optimised") else "RANKED"
        lines.append(
            f"| {row.case.label} | {len(m['menus']):,} | {method} | {m.get('pinned', 0):,} | "
            f"{m.get('proven_nearby', 0):,} | {m.get('whole_model', 0):,} | "
            f"{m.get('whole_skipped', 0):,} | {offered:,} | {row.seconds:.1f} | "
            f"{row.case.target_seconds:.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label in args.cases:
            row = measure(CASES[label], Path(tmp) / label)
            print(f"done: {label}: {row.seconds:.1f} s", file=sys.stderr, flush=True)
            rows.append(row)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; one run each, `planner menus` with its defaults\n")
    print(table(rows))


if __name__ == "__main__":
    main()
