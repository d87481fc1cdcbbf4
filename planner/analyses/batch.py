"""Many organisations, each with its scenarios, planned as independent tasks (`planner batch`).

    work = batch_tasks(paths, scenarios=None, time_limit=10, audience=Audience.HR)
    with open_pool(scheduler) as pool:
        rows = work.in_order(run_batch(work.tasks, pool, render, out_dir, progress=show))

A task is one organisation × one scenario (the baseline first). It carries the workbook's
bytes, never its path (a cluster's worker cannot read this machine's files), the
scenario's overrides, the time limit, seed, audience and whether the plan must be
reproducible. The worker reads and checks the bytes, applies the scenario, plans it as
`planner plan` would with one core, and renders its files (`render`, given by the layer
that writes reports); the files and the portfolio's row come back here and are written
at once, each whole (`core.atomic`), in OUT/<org>/<scenario>/, with task.json last: the
task's key and row.

Nothing is lost. A task that raises, or whose worker died too often, is submitted again,
`MAX_ATTEMPTS` times in all, then it is a failed row with its error and the rest go on.
A workbook that cannot be read, or breaks the rules, is an invalid row with its reason
(its scenarios are not planned); a scenario that cannot be applied is one too. Rerunning
the same command skips every task whose task.json holds its key: the SHA-256 of the
workbook, the scenario's changes, the time limit, seed and audience, and `reproducible`
(a failed task is tried again).
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from planner.analyses.cluster import TaskPool, first_error
from planner.analyses.compare import unique_slug
from planner.analyses.portfolio import (
    FAILED,
    PortfolioRow,
    failed_row,
    invalid_row,
    plan_row,
    row_from_json,
)
from planner.core.atomic import write_atomic, write_text_atomic
from planner.core.audience import Audience
from planner.core.errors import PlannerError, UsageError, ValidationError, WorkbookError
from planner.core.results import Plan
from planner.solve.planning import plan
from planner.workbook.read import read_org_bytes, read_raw_bytes
from planner.workbook.scenario_sheet import BASELINE, Scenario, parse_scenarios
from planner.workbook.scenarios import apply_scenario
from planner.workbook.schema import SCENARIOS
from planner.workbook.validation import RawWorkbook, check_org

MAX_ATTEMPTS = 3  # a task is tried this often before it is a failed row
TASK_FILE = "task.json"  # written last in a task's folder: its key and row
WORKBOOK_SUFFIX = ".xlsx"

Render = Callable[[Plan], dict[str, bytes]]  # a plan's files: name -> content


@dataclass(frozen=True)
class BatchTask:
    """One organisation × one scenario, with all a worker needs to plan it."""

    org: str  # the organisation's name: its file's stem (made unique)
    scenario: str  # "baseline" or a Scenarios name
    folder: str  # where its files go, under the output folder: "<org>/<scenario>"
    workbook_name: str
    workbook: bytes = field(repr=False)
    changes: Scenario | None  # None: the baseline
    time_limit: float | None
    seed: int | None
    audience: str
    key: str  # what task.json must hold for the task to count as done (resume)
    staff: int = 0  # PSWs of the organisation: the largest are submitted first
    reproducible: bool = False  # every search stops on its work (`planning.plan`)


@dataclass(frozen=True)
class TaskResult:
    row: PortfolioRow
    files: dict[str, bytes]  # file name -> content, written under the task's folder


@dataclass(frozen=True)
class BatchProgress:
    """Where a batch stands: tasks done (`skipped` of them by an earlier run), running,
    tried again, failed, and an estimate of the seconds left (None until one finishes)."""

    total: int
    done: int
    skipped: int
    running: int
    retried: int
    failed: int
    seconds: float
    seconds_left: float | None


# -- the tasks ---------------------------------------------------------------------------------


def workbook_paths(sources: Sequence[str | Path]) -> list[Path]:
    """The workbooks to plan: each file given, and the .xlsx files of each folder given
    (by name; Excel's ~$ lock files and hidden files left out)."""
    paths: list[Path] = []
    for source in map(Path, sources):
        if source.is_dir():
            paths += sorted(p for p in source.iterdir() if p.is_file()
                            and p.suffix.lower() == WORKBOOK_SUFFIX
                            and not p.name.startswith(("~$", ".")))
        else:
            paths.append(source)
    if not paths:
        raise UsageError(f"no .xlsx workbook in {join_paths(sources)}")
    return paths


@dataclass(frozen=True)
class BatchWork:
    """What a batch has to do: its tasks, a row for each workbook (or Scenarios sheet)
    that cannot be planned, and the organisations' names in the order given."""

    tasks: list[BatchTask]
    invalid: list[PortfolioRow]
    orgs: list[str]

    def in_order(self, rows: Iterable[PortfolioRow]) -> list[PortfolioRow]:
        """`rows` and the invalid ones, organisation by organisation as given."""
        order = {name: n for n, name in enumerate(self.orgs)}
        return sorted([*self.invalid, *rows], key=lambda row: order[row.org])


def batch_tasks(paths: Sequence[Path], *, scenarios: Sequence[Scenario] | None = None,
                time_limit: float | None = None, seed: int | None = None,
                audience: Audience = Audience.HR, reproducible: bool = False) -> BatchWork:
    """A task per organisation and scenario (`scenarios`, else each workbook's own
    Scenarios sheet), and a row for each workbook or Scenarios sheet that cannot be
    planned. `reproducible`: each plan's searches stop on their work."""
    tasks: list[BatchTask] = []
    rows: list[PortfolioRow] = []
    names: list[str] = []
    slugs: set[str] = set()
    for path in paths:
        name = _unique_name(path.stem, names)
        names.append(name)
        try:
            content, raw, staff = _read_checked(path)
        except PlannerError as problem:
            rows.append(invalid_row(name, BASELINE, problem, audience))
            continue
        listed, issues = ((scenarios, []) if scenarios is not None
                          else parse_scenarios(raw.sheets.get(SCENARIOS.name)))
        if issues:
            rows.append(invalid_row(name, SCENARIOS.name, ValidationError(issues), audience))
        org_slug, taken = unique_slug(name, slugs), set()
        sha = hashlib.sha256(content).hexdigest()
        for changes in (None, *listed):
            scenario = changes.name if changes else BASELINE
            tasks.append(BatchTask(
                name, scenario, f"{org_slug}/{unique_slug(scenario, taken)}", path.name,
                content, changes, time_limit, seed, Audience(audience).value,
                task_key(sha, changes, time_limit, seed, audience, reproducible), staff,
                reproducible))
    return BatchWork(tasks, rows, names)


def task_key(sha256: str, changes: Scenario | None, time_limit: float | None,
             seed: int | None, audience: Audience, reproducible: bool = False) -> str:
    """What makes a task's result: the workbook, the scenario's changes (in words), the
    time limit, seed and audience, and whether it is reproducible (named only when it is,
    so the keys of batches written before it stay the same)."""
    words = [changes.name, *changes.changes()] if changes else [BASELINE]
    made = [sha256, words, time_limit, seed, Audience(audience).value]
    text = json.dumps(made + (["reproducible"] if reproducible else []))
    return hashlib.sha256(text.encode()).hexdigest()


def _read_checked(path: Path) -> tuple[bytes, RawWorkbook, int]:
    """The workbook's bytes, sheets and number of PSWs; WorkbookError or ValidationError
    when it cannot be planned at all."""
    try:
        content = path.read_bytes()
    except OSError as error:
        raise WorkbookError(f"{path.name} cannot be opened: {error.strerror}") from error
    raw = read_raw_bytes(content, path.name)
    report = check_org(raw)
    if report.org is None:
        raise ValidationError(list(report.issues))
    return content, raw, len(report.org.psws)


def _unique_name(stem: str, taken: Sequence[str]) -> str:
    """The file's stem, or "stem (2)" when another workbook has it (ignoring case)."""
    name, number, used = stem, 1, {n.lower() for n in taken}
    while name.lower() in used:
        number += 1
        name = f"{stem} ({number})"
    return name


# -- on the worker -----------------------------------------------------------------------------


def run_task(task: BatchTask, render: Render) -> TaskResult:
    """Read the workbook's bytes, apply the scenario, plan, and render the files: what
    a worker does with one task. An organisation or scenario that breaks the rules is
    an invalid row, not an error."""
    started = time.perf_counter()
    try:
        org = read_org_bytes(task.workbook, task.workbook_name)
        staff = len(org.psws)
        if task.changes is not None:
            org = apply_scenario(org, task.changes)
        made = plan(org, time_limit=task.time_limit, seed=task.seed,
                    reproducible=task.reproducible)
    except PlannerError as error:
        return TaskResult(invalid_row(task.org, task.scenario, error,
                                      Audience(task.audience)), {})
    files = render(made)
    row = plan_row(task.org, task.scenario, task.folder, made, Audience(task.audience), staff)
    return TaskResult(replace(row, seconds=round(time.perf_counter() - started, 2)), files)


# -- here: submit, retry, write ------------------------------------------------------------------


def run_batch(tasks: Sequence[BatchTask], pool: TaskPool, render: Render, out_dir: Path, *,
              progress: Callable[[BatchProgress], None] | None = None,
              attempts: int = MAX_ATTEMPTS) -> list[PortfolioRow]:
    """Run every task not already done in `out_dir`, writing each one's files as it
    finishes; every task's row, in the tasks' order. The largest organisations go first,
    so that no long task is left running alone at the end."""
    rows = {n: row for n, task in enumerate(tasks) if (row := finished_row(out_dir, task))}
    tracker = _Tracker(len(tasks), len(rows), progress)
    todo = deque((n, 1) for n in sorted(range(len(tasks)), key=lambda n: -tasks[n].staff)
                 if n not in rows)
    running: dict[Future, tuple[int, int, int]] = {}  # future -> task, attempt, pool run
    work = functools.partial(run_task, render=render)
    while todo or running:
        while todo and len(running) < pool.slots():
            number, attempt = todo.popleft()
            running[pool.submit(work, tasks[number])] = (number, attempt, pool.generation)
        tracker.show(len(running))
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in finished:
            number, attempt, generation = running.pop(future)
            task = tasks[number]
            try:
                result = future.result()
            except Exception as error:  # its worker died, or it raised: try it again
                if isinstance(error, BrokenProcessPool) and generation == pool.generation:
                    pool.restart()
                if attempt < attempts:
                    todo.append((number, attempt + 1))
                    tracker.retried += 1
                    continue
                result = TaskResult(failed_row(task.org, task.scenario, first_error(error),
                                               attempt), {})
            rows[number] = write_result(out_dir, task, result, attempt)
            tracker.finished(rows[number])
    tracker.show(0)
    return [rows[n] for n in range(len(tasks))]


def write_result(out_dir: Path, task: BatchTask, result: TaskResult,
                 attempts: int = 1) -> PortfolioRow:
    """The task's files, each whole, then task.json (so a task.json means all is there)."""
    folder = Path(out_dir) / task.folder
    for name, content in result.files.items():
        write_atomic(folder / name, functools.partial(Path.write_bytes, data=content))
    row = replace(result.row, attempts=attempts)
    write_text_atomic(folder / TASK_FILE, json.dumps(
        {"key": task.key, "org": task.org, "scenario": task.scenario, "row": asdict(row)},
        indent=2, ensure_ascii=False) + "\n")
    return row


def finished_row(out_dir: Path, task: BatchTask) -> PortfolioRow | None:
    """The row of a task an earlier run finished with the same key (a failed one is
    tried again), else None."""
    try:
        done = json.loads((Path(out_dir) / task.folder / TASK_FILE).read_text("utf-8"))
        row = row_from_json(done["row"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return row if done.get("key") == task.key and row.status != FAILED else None


def join_paths(sources: Iterable[str | Path]) -> str:
    return ", ".join(str(s) for s in sources)


class _Tracker:
    """Counts for `BatchProgress`, with the time left from this run's pace so far."""

    def __init__(self, total: int, skipped: int,
                 progress: Callable[[BatchProgress], None] | None):
        self.total, self.skipped, self.progress = total, skipped, progress
        self.done, self.failed, self.retried = skipped, 0, 0
        self.started = time.perf_counter()

    def finished(self, row: PortfolioRow) -> None:
        self.done += 1
        self.failed += row.status == FAILED

    def show(self, running: int) -> None:
        if self.progress is None:
            return
        seconds = time.perf_counter() - self.started
        made = self.done - self.skipped
        left = seconds / made * (self.total - self.done) if made else None
        self.progress(BatchProgress(self.total, self.done, self.skipped, running,
                                    self.retried, self.failed, round(seconds, 1),
                                    None if left is None else round(left, 1)))
