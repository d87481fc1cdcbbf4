"""The Policy currency: a code or a sign, checked like every Policy key, in the template."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.core.domain import Policy
from planner.workbook.read import read_org, validate
from planner.workbook.scenarios import cross_check
from planner.workbook.template import write_workbook
from tests.helpers.orgs import tiny_org
from tests.helpers.workbooks import org_sheets, write_xlsx


def with_currency(tmp_path: Path, value: object) -> Path:
    sheets = org_sheets()
    sheets["Policy"] = [["key", "value"], ["currency", value]]
    return write_xlsx(tmp_path / "org.xlsx", sheets)


@pytest.mark.parametrize(("given", "kept"), [
    ("GBP", "GBP"), (" eur ", "EUR"), ("usd", "USD"), ("£", "£"), ("€", "€"), ("US$", "US$"),
    (None, None), ("  ", None)])
def test_a_currency_is_a_code_or_a_sign(tmp_path: Path, given: object, kept: str | None) -> None:
    assert read_org(with_currency(tmp_path, given)).policy.currency == kept


@pytest.mark.parametrize("given", ["pounds", "GB", "12$", "£ 5", 5])
def test_anything_else_is_refused_where_it_stands(tmp_path: Path, given: object) -> None:
    issues = [str(i) for i in validate(with_currency(tmp_path, given)).issues]
    assert len(issues) == 1
    assert issues[0].startswith("Policy!B2: currency must be a three-letter code such as GBP")


def test_an_organisation_built_in_code_is_checked_too() -> None:
    org = tiny_org()
    assert cross_check(org) == ()
    bad = replace(org, policy=replace(org.policy, currency="pounds"))
    assert [i.message[:16] for i in cross_check(bad)] == ["currency must be"]


def test_the_template_lists_it_blank_with_its_note(tmp_path: Path) -> None:
    book = load_workbook(write_workbook(tmp_path / "blank.xlsx"))
    rows = {row[0]: row[1:] for row in book["Policy"].iter_rows(min_row=2, values_only=True)}
    value, note = rows["currency"][:2]
    assert value is None and Policy().currency is None
    assert "GBP" in note and "£" in note and "plain numbers" in note
