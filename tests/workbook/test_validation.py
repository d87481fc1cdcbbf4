"""One workbook per rule of the input contract, each breaking exactly that rule.

Cells are named by spreadsheet row (header = 1) and column header; the base organisation
is in tests/helpers/workbooks.py (Services S1 row 2, S2 row 3; Roles WARD row 2, NAV row 3;
PSWs P1 row 2, P2 row 3, P3 row 4).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.core.errors import Severity, ValidationError
from planner.workbook.read import read_org, validate
from planner.workbook.validation import policy_column
from tests.helpers.workbooks import org_sheets, set_cell, write_org, write_xlsx


def issue_texts(path: Path) -> list[str]:
    return [str(issue) for issue in validate(path).issues]


def test_the_base_organisation_has_no_issue(tmp_path: Path) -> None:
    report = validate(write_org(tmp_path))
    assert report.issues == ()
    assert report.org is not None
    assert [p.psw_id for p in report.org.psws] == ["P1", "P2", "P3"]


CELL_RULES = [
    # types and ranges
    ({"PSWs": {(4, "readiness"): "high"}},
     "PSWs!C4: readiness must be a whole number from 1 to 5, got 'high'"),
    ({"PSWs": {(3, "readiness"): 3.5}},
     "PSWs!C3: readiness must be a whole number from 1 to 5, got 3.5"),
    ({"PSWs": {(3, "readiness"): 6}},
     "PSWs!C3: readiness must be a whole number from 1 to 5, got 6"),
    ({"PSWs": {(3, "readiness"): True}},
     "PSWs!C3: readiness must be a whole number from 1 to 5, got TRUE"),
    ({"PSWs": {(3, "available_fte"): 1.5}},
     "PSWs!E3: available_fte must be a number greater than 0 and at most 1, got 1.5"),
    ({"PSWs": {(3, "available_fte"): "0"}},
     "PSWs!E3: available_fte must be a number greater than 0 and at most 1, got '0'"),
    ({"Roles": {(2, "cost_per_fte"): "lots"}},
     "Roles!G2: cost_per_fte must be a number from 0 to 10,000,000, got 'lots'"),
    ({"Services": {(2, "demand_fte"): "nan"}},
     "Services!F2: demand_fte must be a number from 0 to 1,000, got 'nan'"),
    ({"PSWs": {(3, "stretch"): "maybe"}}, "PSWs!N3: stretch must be yes or no, got 'maybe'"),
    ({"Roles": {(3, "supervisor"): 2}}, "Roles!K3: supervisor must be yes or no, got 2"),
    ({"Services": {(2, "setting"): "ward"}},
     "Services!C2: setting must be one of inpatient, outpatient, community, crisis, housing, "
     "vocational, primary_care, forensic, other, got 'ward'"),
    ({"Services": {(2, "setting"): "inpatiant"}},
     "Services!C2: setting must be one of inpatient, outpatient, community, crisis, housing, "
     "vocational, primary_care, forensic, other, got 'inpatiant'; did you mean 'inpatient'?"),
    ({"Services": {(2, "climate"): None}}, "Services!I2: climate is required but blank"),
    ({"PSWs": {(4, "psw_id"): "  "}}, "PSWs!A4: psw_id is required but blank"),
    # duplicate ids
    ({"PSWs": {(4, "psw_id"): "P1"}}, "PSWs!A4: duplicate psw_id 'P1' (first on row 2)"),
    ({"Topics": {(3, "topic"): "gambling"}},
     "Topics!A3: duplicate topic 'gambling' (first on row 2)"),
    # unknown references
    ({"PSWs": {(2, "preferred_roles"): "WARD, NAVV"}},
     "PSWs!I2: preferred_roles names unknown role 'NAVV'; did you mean 'NAV'?"),
    ({"PSWs": {(2, "current_role"): "WARDEN"}},
     "PSWs!L2: current_role names unknown role 'WARDEN'; did you mean 'WARD'?"),
    ({"PSWs": {(2, "current_service"): "S9"}},
     "PSWs!K2: current_service names unknown service 'S9'"),
    ({"PSWs": {(3, "exclude_services"): "S-1"}},
     "PSWs!M3: exclude_services names unknown service 'S-1'; did you mean 'S1'?"),
    ({"PSWs": {(3, "preferred_settings"): "comunity"}},
     "PSWs!J3: preferred_settings names unknown setting 'comunity'; did you mean 'community'?"),
    ({"Roles": {(2, "settings"): "ward"}}, "Roles!E2: settings names unknown setting 'ward'"),
    ({"Services": {(2, "topics"): "crisis, hospitalization"}},
     "Services!E2: topics names unknown topic 'hospitalization'; did you mean "
     "'hospitalisation'?"),
    ({"Roles": {(2, "topics"): "crisis, hospitalisation, mania"}},
     "Roles!D2: topics names unknown topic 'mania'"),
    ({"PSWs": {(2, "topics"): "trauma, gamblin"}},
     "PSWs!D2: topics names unknown topic 'gamblin'; did you mean 'gambling'?"),
    # demand
    ({"Services": {(2, "demand_fte"): None}},
     "Services!F2: demand_fte is blank; give it, or give both annual_contacts and "
     "minutes_per_contact to derive it (WISN)"),
    ({"Services": {(3, "minutes_per_contact"): None}},
     "Services!F3: demand_fte is blank; give it, or give both annual_contacts and "
     "minutes_per_contact to derive it (WISN)"),
    # placements
    ({"PSWs": {(4, "current_service"): None}},
     "PSWs!O4: lock = yes needs both current_service and current_role"),
    ({"PSWs": {(2, "current_service"): None}},
     "PSWs!K2: current_service is blank but current_role is given; give both or neither"),
    ({"PSWs": {(2, "current_role"): None}},
     "PSWs!L2: current_role is blank but current_service is given; give both or neither"),
    # Topics
    ({"Topics": {(2, "topic"): "Peer Work"}},
     "Topics!A2: topic code 'Peer Work' must be lower case without spaces, e.g. 'peer_work'"),
    # Policy
    ({"Policy": {(2, "key"): "budjet"}},
     "Policy!A2: unknown policy key 'budjet'; did you mean 'budget'?"),
    ({"Policy": {(2, "value"): -5}}, "Policy!B2: budget must be a number >= 0, got -5"),
    ({"Policy": {(2, "value"): "lots"}}, "Policy!B2: budget must be a number >= 0, got 'lots'"),
    ({"Policy": {(3, "value"): "never"}},
     "Policy!B3: lone_peer must be one of forbid, discourage, allow, got 'never'"),
    ({"Policy": {(4, "key"): "seed", (4, "value"): 1.5}},
     "Policy!B4: seed must be a whole number from 0 to 2,147,483,647, got 1.5"),
    ({"Policy": {(4, "key"): "allow_vacancies", (4, "value"): "perhaps"}},
     "Policy!B4: allow_vacancies must be yes or no, got 'perhaps'"),
    ({"Policy": {(4, "key"): "Budget", (4, "value"): 1}},
     "Policy!A4: duplicate key 'budget' (first on row 2)"),
]


@pytest.mark.parametrize(("changes", "expected"), CELL_RULES,
                         ids=[expected.split(":")[0] + " " + expected.split(": ")[1][:30]
                              for _, expected in CELL_RULES])
def test_one_broken_rule_gives_exactly_one_located_issue(
        tmp_path: Path, changes: dict, expected: str) -> None:
    assert issue_texts(write_org(tmp_path, changes)) == [expected]


def test_an_issue_carries_its_location_fields(tmp_path: Path) -> None:
    (issue,) = validate(write_org(tmp_path, {"PSWs": {(4, "readiness"): "high"}})).issues
    assert (issue.sheet, issue.row, issue.column, issue.cell) == ("PSWs", 4, "readiness", "C4")
    assert issue.severity is Severity.ERROR


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write_org(tmp_path, {"PSWs": {(2, "readiness"): 0, (3, "stretch"): "?"},
                                "Roles": {(3, "fte"): 2}})
    assert issue_texts(path) == [
        "Roles!F3: fte must be a number greater than 0 and at most 1, got 2",
        "PSWs!C2: readiness must be a whole number from 1 to 5, got 0",
        "PSWs!N3: stretch must be yes or no, got '?'",
    ]


def test_read_org_raises_with_every_issue(tmp_path: Path) -> None:
    path = write_org(tmp_path, {"PSWs": {(2, "readiness"): 0, (3, "readiness"): 9}})
    with pytest.raises(ValidationError) as raised:
        read_org(path)
    assert [i.cell for i in raised.value.issues] == ["C2", "C3"]
    assert str(raised.value).splitlines() == [
        "2 error(s) in the organisation:",
        "  PSWs!C2: readiness must be a whole number from 1 to 5, got 0",
        "  PSWs!C3: readiness must be a whole number from 1 to 5, got 9"]


def without_sheet(sheet: str, rename: str | None = None) -> dict[str, list[list[object]]]:
    sheets = org_sheets()
    rows = sheets.pop(sheet)
    if rename:
        sheets[rename] = rows
    return sheets


def test_missing_required_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "org.xlsx", without_sheet("PSWs"))
    assert issue_texts(path) == ["PSWs: required sheet 'PSWs' is missing"]


def test_misnamed_sheet_gets_a_suggestion(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "org.xlsx", without_sheet("PSWs", rename="PSW"))
    assert issue_texts(path) == ["PSWs: required sheet 'PSWs' is missing; did you mean 'PSW'?"]


def test_optional_sheets_may_be_absent(tmp_path: Path) -> None:
    sheets = org_sheets()
    for name in ("Topics", "Policy", "Scenarios"):
        del sheets[name]
    sheets["PSWs"][1][3] = "crisis"  # no longer names the Topics sheet's 'gambling'
    assert issue_texts(write_xlsx(tmp_path / "org.xlsx", sheets)) == []


def rename_header(sheet: str, column: str, new: str) -> dict[str, list[list[object]]]:
    sheets = org_sheets()
    header = sheets[sheet][0]
    header[header.index(column)] = new
    return sheets


def test_missing_required_column(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "org.xlsx", rename_header("PSWs", "readiness", "notes"))
    assert issue_texts(path) == ["PSWs, row 1: missing required column 'readiness'"]


def test_misspelt_required_column_points_at_the_lookalike(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "org.xlsx", rename_header("PSWs", "readiness", "Readines"))
    assert issue_texts(path) == [
        "PSWs!C1: missing required column 'readiness' (is column 'readines' meant to be it?)"]


def test_misspelt_optional_column_is_a_warning(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "org.xlsx", rename_header("PSWs", "experience", "experiance"))
    report = validate(path)
    assert [str(i) for i in report.warnings] == [
        "PSWs!F1: column 'experiance' is not a known column and is ignored; "
        "did you mean 'experience'?"]
    assert report.errors == ()
    assert report.org is not None and report.org.psws[0].experience == 0  # the default


def test_duplicate_column(tmp_path: Path) -> None:
    sheets = org_sheets()
    for row in sheets["PSWs"]:
        row.append(row[2])
    assert issue_texts(write_xlsx(tmp_path / "org.xlsx", sheets)) == [
        "PSWs!P1: column 'readiness' appears twice (columns C and P); keep one"]


def test_sheet_without_header(tmp_path: Path) -> None:
    sheets = org_sheets()
    sheets["Roles"] = []
    texts = issue_texts(write_xlsx(tmp_path / "org.xlsx", sheets))
    assert texts[0] == ("Roles: row 1 must hold the column names (role_id, saliency, fte, "
                        "cost_per_fte, ...)")


@pytest.mark.parametrize(("sheet", "noun"), [("PSWs", "PSW"), ("Roles", "role"),
                                             ("Services", "service")])
def test_sheet_without_data_rows(tmp_path: Path, sheet: str, noun: str) -> None:
    sheets = org_sheets()
    del sheets[sheet][1:]
    texts = issue_texts(write_xlsx(tmp_path / "org.xlsx", sheets))
    assert f"{sheet}: the sheet has no data rows; add at least one {noun}" in texts


def test_no_psws_is_the_only_problem_when_psws_are_empty(tmp_path: Path) -> None:
    sheets = org_sheets()
    del sheets["PSWs"][1:]
    assert issue_texts(write_xlsx(tmp_path / "org.xlsx", sheets)) == [
        "PSWs: the sheet has no data rows; add at least one PSW"]


def test_scenarios_sheet_is_checked_for_columns_only(tmp_path: Path) -> None:
    sheets = org_sheets({"Scenarios": {(2, "change"): "explode"}})
    assert issue_texts(write_xlsx(tmp_path / "org.xlsx", sheets)) == []
    broken = rename_header("Scenarios", "change", "how")
    assert issue_texts(write_xlsx(tmp_path / "bad.xlsx", broken)) == [
        "Scenarios, row 1: missing required column 'change'"]


def test_person_who_fits_no_role_is_a_warning(tmp_path: Path) -> None:
    report = validate(write_org(tmp_path, {"PSWs": {(4, "readiness"): 1}}))
    assert [str(i) for i in report.issues] == [
        "PSWs!A4: 'P3' fits no role (each needs more readiness, more experience or a topic "
        "the person has not listed); they cannot be placed"]
    assert report.issues[0].severity is Severity.WARNING
    assert report.org is not None


def test_stretch_reaches_one_level_more(tmp_path: Path) -> None:
    changes = {"PSWs": {(4, "readiness"): 1, (4, "stretch"): "yes"}}
    assert issue_texts(write_org(tmp_path, changes)) == []


def test_topic_role_needs_a_shared_topic(tmp_path: Path) -> None:
    """NAV becomes a housing role: P2 (housing) still fits it, P3 (vocational) fits nothing;
    P1 fits WARD through 'crisis', and nothing once their only topic is 'wellness'."""
    changes = {"Roles": {(3, "topics"): "housing"}}
    warned = [i.cell for i in validate(write_org(tmp_path, changes)).warnings]
    assert warned == ["A4"]
    changes["PSWs"] = {(2, "topics"): "wellness"}
    warned = [i.cell for i in validate(write_org(tmp_path, changes, "b.xlsx")).warnings]
    assert warned == ["A2", "A4"]


def test_service_no_role_can_serve_is_a_warning(tmp_path: Path) -> None:
    report = validate(write_org(tmp_path, {"Roles": {(3, "settings"): "inpatient"}}))
    assert [str(i) for i in report.warnings] == [
        "Services!A3: no role can serve 'S2': none deployable in 'community' shares its topics "
        "(housing, vocational) or is generic"]
    assert report.errors == ()


def test_policy_blank_value_keeps_the_default(tmp_path: Path) -> None:
    org = read_org(write_org(tmp_path, {"Policy": {(2, "value"): None}}))
    assert org.policy.budget is None


def test_policy_values_are_typed(tmp_path: Path) -> None:
    sheets = org_sheets()
    sheets["Policy"] += [["allow_vacancies", "No"], ["seed", "7"], ["k", 3.0],
                         ["weight_fit", " 2.5 "], ["LONE_PEER ", "Forbid"]]
    del sheets["Policy"][2]
    policy = read_org(write_xlsx(tmp_path / "org.xlsx", sheets)).policy
    assert (policy.allow_vacancies, policy.seed, policy.k, policy.weight_fit) == (
        False, 7, 3, 2.5)
    assert policy.lone_peer == "forbid" and type(policy.lone_peer).__name__ == "LonePeer"


def test_every_policy_field_has_a_parsable_column() -> None:
    from dataclasses import fields

    from planner.core.domain import Policy

    for spec in fields(Policy):
        column = policy_column(spec.name)
        assert column.name == spec.name


def test_unknown_topic_on_a_list_with_two_bad_items_gives_two_issues(tmp_path: Path) -> None:
    sheets = org_sheets()
    set_cell(sheets, "PSWs", 3, "preferred_roles", "NAV, X1, X2")
    assert issue_texts(write_xlsx(tmp_path / "org.xlsx", sheets)) == [
        "PSWs!I3: preferred_roles names unknown role 'X1'",
        "PSWs!I3: preferred_roles names unknown role 'X2'",
    ]


def test_id_with_a_comma_is_refused_and_no_longer_exists(tmp_path: Path) -> None:
    path = write_org(tmp_path, {"Services": {(3, "service_id"): "S2,S3"}})
    assert issue_texts(path) == [
        "Services!A3: service_id must not contain a comma (lists of ids are comma-separated), "
        "got 'S2,S3'",
        "PSWs!K4: current_service names unknown service 'S2'",
    ]
