"""Scenarios rows as a test writes them: (scenario, sheet, id, column, change, value), from
spreadsheet row 2, parsed by the Scenarios sheet's own reader and applied to an Org."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.core.domain import Org
from planner.core.errors import ValidationError
from planner.workbook.scenario_sheet import Scenario, parse_scenarios
from planner.workbook.scenarios import applied_scenarios, apply_scenario, load_scenario_orgs
from planner.workbook.schema import SCENARIOS
from planner.workbook.tables import RawRow, RawSheet
from tests.helpers.workbooks import org_sheets, write_xlsx

Row = tuple[object, ...]


def raw_scenarios(*rows: Row) -> RawSheet:
    return RawSheet("Scenarios", SCENARIOS.column_names,
                    tuple(RawRow(n, r) for n, r in enumerate(rows, start=2)))


def scenarios(*rows: Row) -> list[Scenario]:
    """Parse Scenarios rows (spreadsheet rows 2, 3, ...); they must be well formed."""
    parsed, issues = parse_scenarios(raw_scenarios(*rows))
    assert issues == []
    return parsed


def parse_errors(*rows: Row) -> list[str]:
    """What the Scenarios sheet's reader says about the rows, before any organisation."""
    return [str(issue) for issue in parse_scenarios(raw_scenarios(*rows))[1]]


def applied(org: Org, *rows: Row) -> Org:
    (scenario,) = scenarios(*rows)
    return apply_scenario(org, scenario)


def noted(org: Org, *rows: Row) -> tuple[Org, Scenario]:
    """The changed organisation and the scenario with its notes."""
    orgs, (scenario,) = applied_scenarios(org, scenarios(*rows))
    return orgs[scenario.name], scenario


def apply_errors(org: Org, *rows: Row) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        applied_scenarios(org, scenarios(*rows))
    return [str(issue) for issue in caught.value.issues]


def workbook(tmp_path: Path, *rows: Row) -> Path:
    """The base organisation of tests/helpers/workbooks.py with these Scenarios rows."""
    sheets = org_sheets()
    sheets["Scenarios"] = [sheets["Scenarios"][0], *map(list, rows)]
    return write_xlsx(tmp_path / "org.xlsx", sheets)


def errors(tmp_path: Path, *rows: Row) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        load_scenario_orgs(workbook(tmp_path, *rows))
    return [str(issue) for issue in caught.value.issues]
