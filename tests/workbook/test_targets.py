"""Disclosure targets in the workbook: optional columns, validated like every other; old
workbooks (without them) stay valid and mean what they meant."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from planner.core.errors import Severity
from planner.workbook.generate import Shape, generate_org, role_catalogue
from planner.workbook.read import read_org, validate
from planner.workbook.template import write_workbook
from tests.helpers.workbooks import Rows, org_sheets, write_xlsx


def with_column(sheets: dict[str, Rows], sheet: str, column: str,
                values: dict[int, object]) -> dict[str, Rows]:
    """`sheets` with `column` added to `sheet`, its cells by spreadsheet row."""
    rows = sheets[sheet]
    rows[0].append(column)
    for number, row in enumerate(rows[1:], start=2):
        row.append(values.get(number))
    return sheets


def test_a_workbook_without_target_columns_reads_as_service_users_only(tmp_path: Path) -> None:
    org = read_org(write_xlsx(tmp_path / "org.xlsx", org_sheets()))
    assert {r.disclosure_targets for r in org.roles} == {("service_users",)}
    assert all(p.readiness_for("staff") == p.readiness_for("leadership") == p.readiness
               for p in org.psws)


def test_targets_and_readiness_by_target_are_read(tmp_path: Path) -> None:
    sheets = with_column(org_sheets(), "Roles", "targets", {3: "staff, service_users"})
    sheets = with_column(sheets, "Roles", "saliency_staff", {3: 4})
    sheets = with_column(sheets, "PSWs", "readiness_staff", {2: 2})
    sheets = with_column(sheets, "PSWs", "readiness_leadership", {2: 1})
    org = read_org(write_xlsx(tmp_path / "org.xlsx", sheets))
    nav = org.roles_by_id["NAV"]
    assert nav.disclosure_targets == ("staff", "service_users")
    assert nav.asks == {"staff": 4, "service_users": 2}
    p1 = org.psws_by_id["P1"]
    assert (p1.readiness_for("staff"), p1.readiness_for("leadership")) == (2, 1)


def test_an_unknown_target_is_located_with_a_suggestion(tmp_path: Path) -> None:
    sheets = with_column(org_sheets(), "Roles", "targets", {2: "staf"})
    issues = [str(i) for i in validate(write_xlsx(tmp_path / "org.xlsx", sheets)).errors]
    assert issues == ["Roles!L2: targets names unknown target 'staf'; did you mean 'staff'?"]


def test_a_readiness_by_target_out_of_range_is_located(tmp_path: Path) -> None:
    sheets = with_column(org_sheets(), "PSWs", "readiness_leadership", {3: 7})
    (issue,) = validate(write_xlsx(tmp_path / "org.xlsx", sheets)).errors
    assert (issue.sheet, issue.row, issue.column, issue.cell) == (
        "PSWs", 3, "readiness_leadership", "P3")


def test_a_saliency_for_a_target_the_role_lacks_is_a_warning(tmp_path: Path) -> None:
    sheets = with_column(org_sheets(), "Roles", "saliency_leadership", {2: 4})
    report = validate(write_xlsx(tmp_path / "org.xlsx", sheets))
    (warning,) = report.issues
    assert warning.severity is Severity.WARNING and warning.cell == "L2"
    assert "targets (service_users) do not include leadership" in warning.message
    assert report.org is not None


def test_the_template_offers_targets_and_round_trips_them(tmp_path: Path) -> None:
    org = generate_org(40, 8, regions=2, seed=11)
    path = write_workbook(tmp_path / "org.xlsx", org)
    book = load_workbook(path)
    roles = book["Roles"]
    header = [c.value for c in roles[1]]
    letter = roles.cell(row=1, column=header.index("targets") + 1).column_letter
    (drop_down,) = [dv for dv in roles.data_validations.dataValidation
                    if f"{letter}2:{letter}" in str(dv.sqref)]
    assert drop_down.type == "list" and drop_down.formula1.startswith("=Lists!")
    lists = [c.value for c in book["Lists"][drop_down.formula1.split("$")[1]]][1:]
    assert {"staff", "leadership", "leadership, staff"} <= set(lists)
    back = read_org(path)
    assert back.roles == org.roles and back.psws == org.psws


def test_the_generator_draws_targets_and_can_leave_them_out() -> None:
    org = generate_org(400, 60, regions=3, seed=4)
    roles = org.roles_by_id
    assert roles["TRAINER"].disclosure_targets == ("staff",)
    assert roles["LEAD"].asks == {"leadership": 4, "staff": 3}
    staff = [p.readiness_for("staff") for p in org.psws]
    leaders = [p.readiness_for("leadership") for p in org.psws]
    assert all(1 <= s <= p.readiness for s, p in zip(staff, org.psws, strict=True))
    assert all(le <= s for le, s in zip(leaders, staff, strict=True))
    lower = sum(s < p.readiness for s, p in zip(staff, org.psws, strict=True)) / len(staff)
    assert 0.4 <= lower <= 0.6  # 55% drawn one or two levels lower (fewer at readiness 1)
    old = generate_org(400, 60, regions=3, seed=4, shape=Shape(disclosure_targets=False))
    assert old.roles == role_catalogue(targets=False)
    assert all(p.readiness_staff is None and p.readiness_leadership is None for p in old.psws)
