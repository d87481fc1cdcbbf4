"""Library entry points that tie the stages together (what the CLI and notebooks call)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from planner.errors import UsageError
from planner.planning import plan
from planner.results import Plan, Status, write_plan_json
from planner.solve import Progress
from planner.story import summary_lines

OUTPUT_NAMES = ("plan.json",)


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
) -> PlanOutcome:
    """Read and validate a workbook, plan it, and write the outputs into `out_dir`."""
    from planner.workbook import read_org

    targets = output_paths(workbook, out_dir)
    org = read_org(workbook)
    result = plan(org, time_limit=time_limit, seed=seed, deterministic=deterministic,
                  progress=progress)
    written = (write_plan_json(result, targets["plan.json"]),)
    return PlanOutcome(result, written, tuple(summary_lines(result)))


def output_paths(workbook: str | Path, out_dir: str | Path) -> dict[str, Path]:
    """Where the outputs go; refuses any that would overwrite the input."""
    source = Path(workbook).resolve()
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"-o {out_dir} is a file, not a folder")
    targets = {name: folder / name for name in OUTPUT_NAMES}
    for path in targets.values():
        if path.resolve() == source:
            raise UsageError(f"refusing to write {path}: it would overwrite the input {workbook}")
    return targets
