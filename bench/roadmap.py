"""Benchmark: `planner roadmap` end to end over three years, on the two samples and on
generated organisations no one tuned for. Prints a Markdown row per case: people, the
run's seconds against its target, and each year's status and gap.

    python bench/roadmap.py                     # every case; about 10 minutes on two cores
    python bench/roadmap.py --cases 60 600      # the samples only
    python bench/roadmap.py --cases G120 G300 --time-limit 45 --reproducible

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
    value: float  # the years' objectives with the discount
    repeats: bool  # --reproducible and no search cut by the clock


def measure(case: Case, folder: Path, flags: tuple[str, ...] = ()) -> Row:
    """`planner roadmap WORKBOOK -o FOLDER --quiet [flags]` in a fresh process, timed from
    start to exit (its exit code must be 0)."""
    workbook = case.workbook(folder)
    out = folder / f"{case.label}-out"
    command = [sys.executable, "-m", "planner", "roadmap", str(workbook), "-o", str(out),
               "--years", str(YEARS), "--quiet", *flags]
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    data = json.loads((out / "roadmap.json").read_text("utf-8"))
    people = len(json.loads((out / "year-1" / "plan.json").read_text("utf-8"))["people"])
    return Row(case, people, seconds, data["years"], data["value"], data["repeats"])


def table(rows: list[Row]) -> str:
    lines = ["| case | PSWs | seconds | target s | value | repeats | year 1 | year 2 | year 3 |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        years = [f"{y['status']}, gap {100 * (y['gap'] or 0):.3f} %" for y in row.years]
        lines.append(f"| {row.case.label} | {row.people:,} | {row.seconds:.1f} | "
                     f"{row.case.target_seconds:.0f} | {row.value:,.1f} | "
                     f"{'yes' if row.repeats else 'no'} | {' | '.join(years)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    parser.add_argument("--time-limit", type=float, default=None,
                        help="the whole run's seconds (default: the Policy's a year)")
    parser.add_argument("--reproducible", action="store_true",
                        help="every search stops at a set amount of work")
    args = parser.parse_args()
    flags = ((("--time-limit", str(args.time_limit)) if args.time_limit else ())
             + (("--reproducible",) if args.reproducible else ()))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label in args.cases:
            row = measure(CASES[label], Path(tmp), flags)
            print(f"done: {label}: {row.seconds:.1f} s", file=sys.stderr, flush=True)
            rows.append(row)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; one run each, `planner roadmap --years {YEARS}"
          f"{''.join(' ' + f for f in flags)}`\n")
    print(table(rows))


if __name__ == "__main__":
    main()
