"""The project's own error types. The CLI maps each to a message and an exit code."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MAX_ISSUES_SHOWN = 20  # errors a ValidationError's message lists (all are in `issues`)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem in the input, located as precisely as we can.

    `row` is the spreadsheet row number (the header is row 1); `cell` is e.g. "C7"
    when both row and column are known.
    """

    sheet: str
    message: str
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    severity: Severity = Severity.ERROR

    @property
    def location(self) -> str:
        if self.cell:
            return f"{self.sheet}!{self.cell}"
        parts = [self.sheet]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts) if len(parts) > 1 else self.sheet

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class PlannerError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code = 1


class WorkbookError(PlannerError):
    """The file cannot be read at all (not a workbook, encrypted, too large, unsafe)."""

    exit_code = 2


class ValidationError(PlannerError):
    """The workbook (or an organisation built in code) breaks the input contract; its
    message lists the errors, each located by sheet, row and column."""

    exit_code = 1

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        errors = [i for i in issues if i.severity is Severity.ERROR]
        shown = [f"  {issue}" for issue in errors[:MAX_ISSUES_SHOWN]]
        if len(errors) > MAX_ISSUES_SHOWN:
            shown.append(f"  … and {len(errors) - MAX_ISSUES_SHOWN} more")
        super().__init__("\n".join([f"{len(errors)} error(s) in the organisation:", *shown]))


class UsageError(PlannerError):
    """A command was asked for something it cannot do (e.g. overwrite without --force)."""

    exit_code = 2


class InfeasibleError(PlannerError):
    """No plan satisfies the hard rules; `conflicts` names a small set of them."""

    exit_code = 3

    def __init__(self, conflicts: list[str]):
        self.conflicts = conflicts
        super().__init__("no plan satisfies all the rules")
