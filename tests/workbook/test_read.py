"""Reading workbooks: .xlsx and CSV folders agree; messy but valid cells are tolerated."""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from planner.core.domain import Org
from planner.workbook.read import read_org, read_raw, validate
from tests.helpers.workbooks import (
    BASE_SHEETS,
    org_sheets,
    set_cell,
    write_csv_folder,
    write_org,
    write_xlsx,
)


def without_provenance(org: Org) -> Org:
    return replace(org, source="", input_sha256="")


def test_source_and_sha256_of_an_xlsx(tmp_path: Path) -> None:
    path = write_org(tmp_path)
    org = read_org(path)
    assert org.source == "org.xlsx"
    assert org.input_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_values_are_read_into_the_domain(tmp_path: Path) -> None:
    org = read_org(write_org(tmp_path))
    s1, s2 = org.services
    assert (s1.name, s1.setting, s1.topics, s1.demand_fte, s1.min_peers) == (
        "Acute ward", "inpatient", ("crisis", "hospitalisation"), 1.5, None)
    assert s2.demand_from_workload and s2.min_peers == 2
    nav = org.roles_by_id["NAV"]
    assert (nav.topics, nav.settings, nav.min_experience, nav.min_climate, nav.generic) == (
        (), (), 0, None, True)
    p1, p2, p3 = org.psws
    assert p1.preferred_roles == ("WARD", "NAV") and p1.current_role == "WARD"
    assert (p2.travel, p2.stretch, p2.exclude_services, p2.current_service) == (
        True, True, ("S1",), None)
    assert (p3.name, p3.lock, p3.preferred_roles) == ("Chloé", True, ())
    assert org.topics["gambling"] == "Gambling" and org.topics["housing"]
    assert org.policy.budget == 200_000 and org.policy.lone_peer == "discourage"


def test_csv_folder_reads_the_same_org_as_xlsx(tmp_path: Path) -> None:
    from_xlsx = read_org(write_org(tmp_path))
    from_csv = read_org(write_csv_folder(tmp_path / "org", BASE_SHEETS))
    assert without_provenance(from_csv) == without_provenance(from_xlsx)
    assert from_csv.source == "org"


def test_csv_folder_sha256_covers_the_sheet_files_in_name_order(tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "org", BASE_SHEETS)
    (folder / "notes.txt").write_text("not part of the input")
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.csv")):
        digest.update(path.read_bytes())
    assert read_org(folder).input_sha256 == digest.hexdigest()


def test_csv_folder_reports_the_same_issues_as_xlsx(tmp_path: Path) -> None:
    changes = {"PSWs": {(4, "readiness"): "high", (2, "current_role"): "WARDEN"},
               "Services": {(3, "minutes_per_contact"): None}}
    sheets = org_sheets(changes)
    from_xlsx = validate(write_xlsx(tmp_path / "org.xlsx", sheets)).issues
    from_csv = validate(write_csv_folder(tmp_path / "org", sheets)).issues
    assert from_csv == from_xlsx
    assert len(from_xlsx) == 3


def test_csv_with_bom_and_semicolons(tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "org", BASE_SHEETS)
    psws = folder / "PSWs.csv"
    text = psws.read_text(encoding="utf-8")
    # a list cell is quoted, so its commas stay inside the cell
    semicolons = "\n".join(";".join(_csv_cells(line)) for line in text.splitlines())
    psws.write_bytes(("\ufeff" + semicolons + "\n").encode("utf-8"))
    expected = read_org(write_org(tmp_path))
    assert without_provenance(read_org(folder)) == without_provenance(expected)


def _csv_cells(line: str) -> list[str]:
    import csv

    (cells,) = csv.reader([line])
    return [f'"{c}"' if "," in c else c for c in cells]


def test_whitespace_case_unicode_and_blank_rows_are_tolerated(tmp_path: Path) -> None:
    sheets = org_sheets({
        "PSWs": {(2, "psw_id"): "  Zoë-1 ", (2, "name"): " 王小明 🌱 ",
                 (2, "readiness"): " 5 ", (2, "available_fte"): " 0.5 ",
                 (2, "preferred_roles"): " WARD ,  , NAV,", (2, "topics"): "Crisis ,TRAUMA",
                 (2, "stretch"): "Y", (2, "travel"): "TRUE", (3, "lock"): 0,
                 (3, "experience"): 1.0},
        "Services": {(2, "setting"): " Inpatient "},
    })
    sheets["PSWs"].insert(3, [None] * 15)  # a blank row in the middle: P2 moves to row 4
    sheets["PSWs"].insert(3, ["  ", None, "", None] + [None] * 11)  # whitespace only
    sheets["PSWs"] += [[None] * 15, [" "] * 15]  # trailing blank rows
    org = read_org(write_xlsx(tmp_path / "org.xlsx", sheets))
    zoe = org.psws[0]
    assert (zoe.psw_id, zoe.name, zoe.readiness, zoe.available_fte) == (
        "Zoë-1", "王小明 🌱", 5, 0.5)
    assert zoe.preferred_roles == ("WARD", "NAV") and zoe.topics == ("crisis", "trauma")
    assert (zoe.stretch, zoe.travel) == (True, True)
    assert org.services[0].setting == "inpatient"
    assert [p.psw_id for p in org.psws] == ["Zoë-1", "P2", "P3"]


def test_rows_keep_their_spreadsheet_numbers_across_blank_rows(tmp_path: Path) -> None:
    sheets = org_sheets({"PSWs": {(4, "readiness"): "x"}})
    sheets["PSWs"].insert(2, [None] * 15)
    (issue,) = validate(write_xlsx(tmp_path / "org.xlsx", sheets)).issues
    assert issue.cell == "C5"


def test_ids_are_case_sensitive(tmp_path: Path) -> None:
    texts = [str(i) for i in validate(write_org(tmp_path, {"PSWs": {(3, "preferred_roles"):
                                                                    "nav"}})).issues]
    assert texts == ["PSWs!I3: preferred_roles names unknown role 'nav'; did you mean 'NAV'?"]


def test_numeric_ids_read_as_text(tmp_path: Path) -> None:
    sheets = org_sheets({"Roles": {(3, "role_id"): 101},
                         "PSWs": {(2, "preferred_roles"): "WARD, 101",
                                  (3, "preferred_roles"): 101, (4, "current_role"): 101.0}})
    org = read_org(write_xlsx(tmp_path / "org.xlsx", sheets))
    assert org.roles[1].role_id == "101" and org.psws[0].preferred_roles == ("WARD", "101")
    assert org.psws[2].current_role == "101"


def test_extra_columns_are_ignored_and_optional_columns_may_be_absent(tmp_path: Path) -> None:
    sheets = org_sheets()
    for row_number, row in enumerate(sheets["PSWs"]):
        row.append("notes" if row_number == 0 else "anything")
    for name in ("name", "experience", "travel", "stretch"):
        position = sheets["PSWs"][0].index(name)
        for row in sheets["PSWs"]:
            del row[position]
    org = read_org(write_xlsx(tmp_path / "org.xlsx", sheets))
    assert {(p.name, p.experience, p.travel, p.stretch) for p in org.psws} == {
        ("", 0, False, False)}


def test_blank_name_and_title_default_to_the_id(tmp_path: Path) -> None:
    org = read_org(write_org(tmp_path, {"Services": {(2, "name"): None},
                                        "Roles": {(3, "title"): " "}}))
    assert org.services[0].name == "S1" and org.roles[1].title == "NAV"


def test_sheet_names_match_ignoring_case(tmp_path: Path) -> None:
    sheets = org_sheets()
    sheets["psws "] = sheets.pop("PSWs")
    assert validate(write_xlsx(tmp_path / "org.xlsx", sheets)).issues == ()


def test_formula_cells_give_their_cached_values(tmp_path: Path) -> None:
    path = write_org(tmp_path)
    patched = tmp_path / "formula.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for part in source.infolist():
            content = source.read(part)
            if part.filename == "xl/worksheets/sheet3.xml":
                content = content.replace(b'<c r="C2" t="n"><v>5</v></c>',
                                          b'<c r="C2"><f>2+2</f><v>4</v></c>')
                assert b"<f>2+2</f>" in content
            target.writestr(part, content)
    assert read_org(patched).psws[0].readiness == 4


def test_the_input_file_is_never_written(tmp_path: Path) -> None:
    path = write_org(tmp_path, {"PSWs": {(2, "readiness"): 9}})
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    os.chmod(path, 0o444)
    try:
        validate(path)
        read_raw(path)
    finally:
        os.chmod(path, 0o644)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_validate_returns_warnings_with_the_org(tmp_path: Path) -> None:
    report = validate(write_org(tmp_path, {"PSWs": {(4, "readiness"): 1}}))
    assert report.org is not None and len(report.warnings) == 1 and report.errors == ()


def test_raw_rows_of_the_scenarios_sheet_stay_available(tmp_path: Path) -> None:
    raw = read_raw(write_org(tmp_path)).sheets["Scenarios"]
    assert raw.header[0] == "scenario"
    assert [(row.number, row.values[0]) for row in raw.rows] == [(2, "More budget")]


@pytest.mark.parametrize("extra_sheet", ["Instructions", "Lists"])
def test_other_sheets_are_ignored(tmp_path: Path, extra_sheet: str) -> None:
    sheets = {extra_sheet: [["anything", 1]], **org_sheets()}
    set_cell(sheets, extra_sheet, 3, "anything", "x")
    assert validate(write_xlsx(tmp_path / "org.xlsx", sheets)).issues == ()


def test_a_copy_of_a_csv_folder_has_the_same_hash(tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "a", BASE_SHEETS)
    copy = Path(shutil.copytree(folder, tmp_path / "b"))
    assert read_org(folder).input_sha256 == read_org(copy).input_sha256
