"""The files a plan and a comparison are written as: one function each, so every caller
(a command, a frontier point, a scenario) writes the same files the same way."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from planner.analyses.compare import comparison_to_json
from planner.analyses.insights import Insight
from planner.analyses.measures import Comparison
from planner.core.atomic import write_text_atomic
from planner.core.audience import Audience, view_for
from planner.core.results import Plan, write_plan_json
from planner.reports.compare_excel import write_comparison_excel
from planner.reports.compare_html import write_comparison_html
from planner.reports.excel import write_excel_report
from planner.reports.html import write_html_report

PLAN_FILE = "plan.json"
REPORT_FILES = ("plan.xlsx", "report.html")
COMPARISON_FILES = ("comparison.json", "comparison.xlsx", "comparison.html")


def write_plan_files(plan: Plan, folder: Path, audience: Audience) -> list[Path]:
    """plan.json, plan.xlsx and report.html for `audience`, in `folder`. A director's
    plan.json is the director's view (`audience.view_for`): pseudonyms, no profiles."""
    return [write_plan_json(view_for(plan, audience), folder / PLAN_FILE),
            *write_report_files(plan, folder, audience)]


def plan_file_bytes(plan: Plan, audience: Audience) -> dict[str, bytes]:
    """What `write_plan_files` writes, as bytes by file name: made where the plan is
    made (a cluster's worker), written where the outputs go."""
    with tempfile.TemporaryDirectory(prefix="planner-") as folder:
        return {path.name: path.read_bytes()
                for path in write_plan_files(plan, Path(folder), audience)}


def write_report_files(plan: Plan, folder: Path, audience: Audience) -> list[Path]:
    """The Excel plan and the HTML report, both rendered from the Plan alone."""
    return [write_excel_report(plan, folder / REPORT_FILES[0], audience),
            write_html_report(plan, folder / REPORT_FILES[1], audience)]


def write_comparison_files(comparison: Comparison, plans: Mapping[str, Plan], folder: Path,
                           insights: Sequence[Insight] | None = None) -> list[Path]:
    """Each plan's plan.json in its scenario's folder (the view for the comparison's
    audience), then comparison.json, .xlsx and .html, each written whole."""
    audience = Audience(comparison.audience)
    baseline = next(iter(plans.values()))
    keyed = baseline.input_sha256  # one pseudonym key for every scenario
    currency = baseline.policy.get("currency")  # money as the baseline's Policy has it
    written = [write_plan_json(view_for(replace(plan, input_sha256=keyed), audience)
                               if audience is Audience.DIRECTOR else plan,
                               folder / info.slug / PLAN_FILE)
               for info, plan in zip(comparison.scenarios, plans.values(), strict=True)]
    return [
        *written,
        write_text_atomic(folder / "comparison.json", comparison_to_json(comparison)),
        write_comparison_excel(comparison, folder / "comparison.xlsx", insights, currency),
        write_comparison_html(comparison, folder / "comparison.html", insights, currency),
    ]
