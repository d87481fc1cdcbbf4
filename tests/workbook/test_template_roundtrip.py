"""Written by the template writer, read back by the reader: the same organisation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from planner.core.domain import Org
from planner.workbook.example import example_org
from planner.workbook.generate import generate_org
from planner.workbook.read import read_org, validate
from planner.workbook.template import write_workbook


def comparable(org: Org) -> Org:
    return replace(org, source="", input_sha256="")


@pytest.mark.parametrize("make", [example_org, lambda: generate_org(40, 9, regions=2, seed=5)],
                         ids=["example", "generated"])
def test_round_trip_gives_the_same_org(tmp_path: Path, make: Callable[[], Org]) -> None:
    org = make()
    back = read_org(write_workbook(tmp_path / "org.xlsx", org))
    assert comparable(back) == comparable(org)


def test_example_validates_without_errors_or_warnings(tmp_path: Path) -> None:
    report = validate(write_workbook(tmp_path / "org.xlsx", example_org()))
    assert list(report.issues) == []


def test_workload_demand_is_derived_again(tmp_path: Path) -> None:
    back = read_org(write_workbook(tmp_path / "org.xlsx", example_org()))
    workload = back.services_by_id["S2"]
    assert workload.demand_from_workload
    assert workload.demand_fte == pytest.approx(1.5)


def test_blank_template_only_misses_rows(tmp_path: Path) -> None:
    """The empty sheets are the only complaint: headers, Policy defaults and extra sheets
    (Instructions, Lists, the Policy note column) are all accepted."""
    report = validate(write_workbook(tmp_path / "org.xlsx"))
    assert sorted(issue.sheet for issue in report.issues) == ["PSWs", "Roles", "Services"]
