"""Benchmark: `planner roadmap` end to end over three years, on the two samples and on
generated organisations no one tuned for. Prints a Markdown row per case: people, the
run's seconds against its target, and each year's status and gap.

    python bench/roadmap.py                     # every case; about 10 minutes on two cores
    python bench/roadmap.py --cases 60 600      # the samples only

Each case runs the CLI in a fresh process with its defaults (the whole run within the
Policy's time_limit a year), as a user would, and reads the years from its roadmap.json.
Targets (issue 19, item 6): the regional sample over 3 years in 30 s or less, the
600-PSW sample in 3 minutes or less, with the gap reported.
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

from planner.workbook.generate import DEFAULT_SHAPE, Shape, generate_org
from planner.workbook.template import write_workbook

ROOT = Path(__file__).resolve().parent.parent
YEARS = 3


@dataclass(frozen=True)
class Case:
    label: str
    target_seconds: float
    sample: str = ""  # a bundled sample, else generated from the fields below
    psws: int = 0
    services: int = 0
    regions: int = 1
    seed: int = 0
    shape: Shape = DEFAULT_SHAPE

    def workbook(self, folder: Path) -> Path:
        if self.sample:
            return ROOT / self.sample
        org = generate_org(self.psws, self.services, self.regions, self.seed, self.shape)
        return write_workbook(folder / f"{self.label}.xlsx", org)


# seeds drawn after the roadmap's work was done (random.SystemRandom), never tuned on
CASES = {c.label: c for c in (
    Case("60", 30.0, sample="sample_orgs/regional_service.xlsx"),
    Case("600", 180.0, sample="sample_orgs/large_system.xlsx"),
    Case("G120", 180.0, psws=120, services=24, regions=3, seed=55_601,
         shape=Shape(stretch_share=0.4, budget_ratio=0.8)),
    Case("G300", 180.0, psws=300, services=60, regions=6, seed=43_580,
         shape=Shape(travel_share=0.0, part_time_share=0.7)),
)}


@dataclass(frozen=True)
class Row:
    case: Case
    people: int
    seconds: float
    years: list[dict]


def measure(case: Case, folder: Path) -> Row:
    """`planner roadmap WORKBOOK -o FOLDER --quiet` in a fresh process, timed from start
    to exit (its exit code must be 0)."""
    workbook = case.workbook(folder)
    out = folder / f"{case.label}-out"
    command = [sys.executable, "-m", "planner", "roadmap", str(workbook), "-o", str(out),
               "--years", str(YEARS), "--quiet"]
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    data = json.loads((out / "roadmap.json").read_text("utf-8"))
    people = len(json.loads((out / "year-1" / "plan.json").read_text("utf-8"))["people"])
    return Row(case, people, seconds, data["years"])


def table(rows: list[Row]) -> str:
    lines = ["| case | PSWs | seconds | target s | year 1 | year 2 | year 3 |",
             "|---|---|---|---|---|---|---|"]
    for row in rows:
        years = [f"{y['status']}, gap {100 * (y['gap'] or 0):.3f} %" for y in row.years]
        lines.append(f"| {row.case.label} | {row.people:,} | {row.seconds:.1f} | "
                     f"{row.case.target_seconds:.0f} | {' | '.join(years)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label in args.cases:
            row = measure(CASES[label], Path(tmp))
            print(f"done: {label}: {row.seconds:.1f} s", file=sys.stderr, flush=True)
            rows.append(row)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; one run each, `planner roadmap --years {YEARS}` "
          "with its defaults\n")
    print(table(rows))


if __name__ == "__main__":
    main()
