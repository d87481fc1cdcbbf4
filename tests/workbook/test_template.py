"""The template writer: layout from the schema, guidance in the file, safe writing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from planner.core.domain import BUILTIN_TOPICS, Org, Policy
from planner.core.errors import UsageError
from planner.workbook.example import example_org
from planner.workbook.schema import INPUT_SHEETS, POLICY_NOTES, SHEETS_BY_NAME
from planner.workbook.template import VALIDATED_ROWS, write_workbook


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    return load_workbook(write_workbook(tmp_path_factory.mktemp("blank") / "org.xlsx"))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    path = write_workbook(tmp_path_factory.mktemp("example") / "org.xlsx", example_org())
    return load_workbook(path)


def header(ws: Worksheet) -> list[str]:
    return [cell.value for cell in ws[1] if cell.value is not None]


def validation_of(ws: Worksheet, column_name: str) -> DataValidation:
    letter = ws.cell(row=1, column=header(ws).index(column_name) + 1).column_letter
    (found,) = [dv for dv in ws.data_validations.dataValidation
                if f"{letter}2:{letter}" in str(dv.sqref)]
    return found


def rows_of(ws: Worksheet) -> list[dict[str, object]]:
    names = header(ws)
    return [dict(zip(names, row, strict=False))
            for row in ws.iter_rows(min_row=2, max_col=len(names), values_only=True)]


def test_sheet_order_instructions_first_lists_last(blank: Workbook) -> None:
    assert blank.sheetnames == ["Instructions", *(s.name for s in INPUT_SHEETS), "Lists"]


def test_headers_are_exactly_the_schema_columns(blank: Workbook) -> None:
    for sheet in INPUT_SHEETS:
        extra = ["note"] if sheet.name == "Policy" else []
        assert header(blank[sheet.name]) == [*sheet.column_names, *extra]


def test_every_header_has_a_comment_with_its_meaning(blank: Workbook) -> None:
    for sheet in INPUT_SHEETS:
        ws = blank[sheet.name]
        for cell, column in zip(ws[1], sheet.columns, strict=False):
            assert cell.comment is not None, f"{sheet.name}!{cell.coordinate}"
            assert column.note in cell.comment.text
            assert ("Required." if column.required else "Optional.") in cell.comment.text


def test_headers_frozen_styled_and_filtered(blank: Workbook) -> None:
    for sheet in INPUT_SHEETS:
        ws = blank[sheet.name]
        assert ws.freeze_panes == "A2"
        assert ws["A1"].font.bold
        assert ws["A1"].fill.fgColor.rgb.endswith("DDEBF7")
        assert ws.auto_filter.ref.startswith("A1:")


def test_column_widths_come_from_the_schema(blank: Workbook) -> None:
    ws = blank["PSWs"]
    for number, column in enumerate(SHEETS_BY_NAME["PSWs"].columns, start=1):
        letter = ws.cell(row=1, column=number).column_letter
        assert ws.column_dimensions[letter].width == column.width


def test_choice_and_yes_no_columns_have_drop_downs(blank: Workbook) -> None:
    setting = validation_of(blank["Services"], "setting")
    assert setting.type == "list"
    assert setting.formula1 == '"' + ",".join(SHEETS_BY_NAME["Services"].column(
        "setting").choices) + '"'
    for sheet, column in [("PSWs", "travel"), ("PSWs", "stretch"), ("PSWs", "lock"),
                          ("Roles", "supervisor")]:
        dv = validation_of(blank[sheet], column)
        assert (dv.type, dv.formula1) == ("list", '"yes,no"')
    assert validation_of(blank["Scenarios"], "change").formula1 == \
        '"set,add,scale,remove,add_row"'
    assert validation_of(blank["Scenarios"], "sheet").formula1 == \
        '"Services,Roles,PSWs,Regions,Policy"'


@pytest.mark.parametrize(("sheet", "column", "low", "high"), [
    ("PSWs", "readiness", "1", "5"), ("PSWs", "experience", "0", "5"),
    ("Roles", "saliency", "1", "5"), ("Roles", "min_climate", "1", "5"),
    ("Services", "climate", "1", "5"), ("Services", "min_peers", "1", "100"),
])
def test_int_columns_take_whole_numbers_in_range(blank: Workbook, sheet: str, column: str,
                                                 low: str, high: str) -> None:
    dv = validation_of(blank[sheet], column)
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("whole", "between", low, high)


def test_float_columns_take_decimals_in_range(blank: Workbook) -> None:
    fte = validation_of(blank["PSWs"], "available_fte")
    assert (fte.type, fte.formula1, fte.formula2) == ("decimal", "0.01", "1")  # 0 < x <= 1
    demand = validation_of(blank["Services"], "demand_fte")
    assert (demand.type, demand.formula1, demand.formula2) == ("decimal", "0", "1000")
    assert validation_of(blank["Roles"], "fte").type == "decimal"
    contacts = validation_of(blank["Services"], "annual_contacts")
    assert contacts.formula2 == "10000000"  # no thousands separator or exponent in a formula


def test_validations_reach_beyond_the_data(blank: Workbook) -> None:
    assert str(validation_of(blank["PSWs"], "readiness").sqref) == f"C2:C{VALIDATED_ROWS}"
    for sheet in INPUT_SHEETS:
        if sheet.name == "Policy":
            continue
        ws = blank[sheet.name]
        assert len(ws.data_validations.dataValidation) == len(sheet.columns)


def test_topic_lists_show_the_topic_codes_as_input_message(blank: Workbook) -> None:
    for sheet in ("Services", "Roles", "PSWs"):
        dv = validation_of(blank[sheet], "topics")
        assert dv.showInputMessage
        assert all(code in dv.prompt for code in BUILTIN_TOPICS)
        assert len(dv.prompt) <= 255


def test_every_input_message_and_error_fits_excel_limits(blank: Workbook) -> None:
    for sheet in INPUT_SHEETS:
        for dv in blank[sheet.name].data_validations.dataValidation:
            assert len(dv.prompt or "") <= 255 and len(dv.error or "") <= 255
            assert len(dv.promptTitle or "") <= 32 and len(dv.errorTitle or "") <= 32


def test_policy_lists_every_key_with_its_default_and_a_note(blank: Workbook) -> None:
    rows = rows_of(blank["Policy"])
    assert [r["key"] for r in rows] == list(POLICY_NOTES)
    values = {r["key"]: r["value"] for r in rows}
    assert values["budget"] is None  # no limit
    assert values["lone_peer"] == "discourage"
    assert values["allow_vacancies"] == "yes"
    assert values["k"] == Policy().k
    assert all(r["note"] for r in rows)
    words = {dv.formula1 for dv in blank["Policy"].data_validations.dataValidation}
    assert words == {'"forbid,discourage,allow"', '"yes,no"'}


def test_instructions_cover_sheets_topics_policy_and_privacy(blank: Workbook) -> None:
    text = "\n".join(str(v) for row in blank["Instructions"].iter_rows(values_only=True)
                     for v in row if v is not None)
    assert "health data" in text
    for sheet in INPUT_SHEETS:
        assert sheet.purpose in text
        assert all(column.note in text for column in sheet.columns)
    assert all(code in text and label in text for code, label in BUILTIN_TOPICS.items())
    assert all(key in text for key in POLICY_NOTES)


def test_lists_sheet_holds_topic_codes_and_settings(blank: Workbook) -> None:
    rows = rows_of(blank["Lists"])
    assert [r["topic"] for r in rows if r["topic"]] == list(BUILTIN_TOPICS)
    assert "primary_care" in [r["setting"] for r in rows]


def test_blank_template_input_sheets_are_empty(blank: Workbook) -> None:
    for name in ("Services", "Roles", "PSWs", "Topics", "Scenarios"):
        assert blank[name].max_row == 1


def test_org_rows_join_lists_and_write_yes_no(example: Workbook) -> None:
    org = example_org()
    (first,) = [r for r in rows_of(example["PSWs"]) if r["psw_id"] == org.psws[0].psw_id]
    assert first["topics"] == ", ".join(org.psws[0].topics)
    assert (first["lock"], first["travel"]) == ("yes", "no")
    assert first["exclude_services"] is None  # empty list -> blank


def test_workload_service_leaves_demand_blank(example: Workbook) -> None:
    services = {r["service_id"]: r for r in rows_of(example["Services"])}
    assert services["S2"]["demand_fte"] is None
    assert (services["S2"]["annual_contacts"], services["S2"]["minutes_per_contact"]) == (3165, 45)
    assert services["S1"]["demand_fte"] == 2


def test_custom_topics_and_policy_of_the_org_are_written(example: Workbook) -> None:
    assert rows_of(example["Topics"]) == [
        {"topic": "perinatal", "label": example_org().topics["perinatal"]}]
    values = {r["key"]: r["value"] for r in rows_of(example["Policy"])}
    assert values["budget"] == example_org().policy.budget


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "org.xlsx"
    target.write_bytes(b"keep me")
    with pytest.raises(UsageError, match=r"org\.xlsx.*--force"):
        write_workbook(target)
    assert target.read_bytes() == b"keep me"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_force_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "org.xlsx"
    target.write_bytes(b"old")
    write_workbook(target, force=True)
    assert load_workbook(target).sheetnames[0] == "Instructions"


def test_refuses_a_name_that_is_not_xlsx(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"\.xlsx"):
        write_workbook(tmp_path / "org.csv")


def test_formula_like_text_is_written_as_text(tmp_path: Path) -> None:
    org = example_org()
    tricky = ["=HYPERLINK(\"http://example.invalid\")", "+44 20 7946 0000", "-1 day", "@SUM(1)"]
    psws = tuple(replace(p, name=name) for p, name in zip(org.psws, tricky, strict=False))
    org = replace(org, psws=psws + org.psws[len(tricky):])
    ws = load_workbook(write_workbook(tmp_path / "org.xlsx", org))["PSWs"]
    for row, name in enumerate(tricky, start=2):
        cell = ws.cell(row=row, column=2)
        assert (cell.value, cell.data_type) == (name, "s")


def test_same_org_same_bytes(tmp_path: Path) -> None:
    first = write_workbook(tmp_path / "a.xlsx", example_org()).read_bytes()
    second = write_workbook(tmp_path / "b.xlsx", example_org()).read_bytes()
    assert first == second


def test_creates_missing_folders(tmp_path: Path) -> None:
    target = write_workbook(tmp_path / "new" / "org.xlsx", Org((), (), ()))
    assert target.is_file()
