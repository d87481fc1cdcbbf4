"""Library entry points that tie the stages together (what the CLI and notebooks call)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from planner.core.audience import Audience
from planner.core.errors import UsageError
from planner.core.results import Plan, Status, write_plan_json
from planner.reports.story import summary_lines
from planner.solve.planning import plan
from planner.solve.solver import Progress

REPORT_NAMES = ("plan.xlsx", "report.html")
OUTPUT_NAMES = ("plan.json", *REPORT_NAMES)


@dataclass(frozen=True)
class PlanOutcome:
    plan: Plan
    written: tuple[Path, ...]
    summary: tuple[str, ...]

    @property
    def infeasible(self) -> bool:
        return self.plan.status is Status.INFEASIBLE


def plan_workbook(
    workbook: str | Path,
    out_dir: str | Path,
    *,
    time_limit: float | None = None,
    seed: int | None = None,
    deterministic: bool = True,
    progress: Callable[[Progress], None] | None = None,
    audience: Audience = Audience.HR,
) -> PlanOutcome:
    """Read and validate a workbook, plan it, and write plan.json, plan.xlsx and
    report.html into `out_dir` (the reports for `audience`)."""
    from planner.workbook.read import read_org

    targets = output_paths(workbook, out_dir)
    org = read_org(workbook)
    result = plan(org, time_limit=time_limit, seed=seed, deterministic=deterministic,
                  progress=progress)
    written = (write_plan_json(result, targets["plan.json"]),
               *write_reports(result, targets, audience))
    return PlanOutcome(result, written, tuple(summary_lines(result)))


def write_reports(plan: Plan, targets: dict[str, Path], audience: Audience) -> list[Path]:
    """The Excel plan and the HTML report, both rendered from the Plan alone."""
    from planner.reports.excel import write_excel_report
    from planner.reports.html import write_html_report

    return [
        write_excel_report(plan, targets["plan.xlsx"], audience),
        write_html_report(plan, targets["report.html"], audience),
    ]


def report_plan_json(
    plan_json: str | Path, out_dir: str | Path, audience: Audience = Audience.HR
) -> list[Path]:
    """Render plan.xlsx and report.html again from a plan.json (e.g. for directors)."""
    targets = output_paths(plan_json, out_dir, REPORT_NAMES)
    return write_reports(load_plan(plan_json), targets, audience)


def load_plan(plan_json: str | Path) -> Plan:
    """A plan.json read back, or a UsageError saying it is not one."""
    from planner.core.results import read_plan_json

    try:
        return read_plan_json(plan_json)
    except (ValueError, KeyError, TypeError) as err:
        raise UsageError(f"{plan_json} is not a plan.json written by planner ({err})") from err


def output_paths(
    workbook: str | Path, out_dir: str | Path, names: tuple[str, ...] = OUTPUT_NAMES
) -> dict[str, Path]:
    """Where the outputs go; refuses any that would overwrite the input."""
    source = Path(workbook).resolve()
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"-o {out_dir} is a file, not a folder")
    targets = {name: folder / name for name in names}
    for path in targets.values():
        if path.resolve() == source:
            raise UsageError(f"refusing to write {path}: it would overwrite the input {workbook}")
    return targets
