"""The Excel plan read back with openpyxl: layout, tables, numbers, charts and privacy."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from planner.core.audience import FILLED_BY_OTHERS, NO_FITTING_ROLE, Audience
from planner.core.domain import Org
from planner.core.results import Plan, read_plan_json, write_plan_json
from planner.reports.charts import FILLED, VACANT
from planner.reports.excel import write_excel_report
from planner.solve.planning import plan
from planner.workbook.read import read_org
from tests.helpers.orgs import psw, role, service, tiny_org
from tests.helpers.paths import SAMPLES

HR_SHEETS = ["Contents", "Summary", "Role mix", "Saliency tiers", "Targets",
             "Placements", "Recruitment",
             "Unassigned", "Services", "People", "Glossary"]
DATA_HEADER_ROW = 3
FACT_ROWS = range(3, 20)  # the provenance lines above the Contents table


@pytest.fixture(scope="module")
def sample_org() -> Org:
    return read_org(SAMPLES / "community_agency.xlsx")


@pytest.fixture(scope="module")
def sample_plan(sample_org: Org, tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """The plan as the reports get it: through plan.json."""
    path = tmp_path_factory.mktemp("plan") / "plan.json"
    write_plan_json(plan(sample_org), path)
    return read_plan_json(path)


@pytest.fixture(scope="module")
def hr_path(sample_plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_excel_report(sample_plan, tmp_path_factory.mktemp("hr") / "plan.xlsx")


@pytest.fixture(scope="module")
def director_path(sample_plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_excel_report(sample_plan, tmp_path_factory.mktemp("dir") / "plan.xlsx",
                              Audience.DIRECTOR)


@pytest.fixture(scope="module")
def hr_book(hr_path: Path) -> Workbook:
    return openpyxl.load_workbook(hr_path)


@pytest.fixture(scope="module")
def director_book(director_path: Path) -> Workbook:
    return openpyxl.load_workbook(director_path)


def table_rows(ws: Worksheet) -> list[dict[str, object]]:
    """The data rows of the sheet's one table, as dicts by header (totals row included)."""
    (table,) = ws.tables.values()
    cells = list(ws[table.ref])
    headers = [c.value for c in cells[0]]
    return [dict(zip(headers, (c.value for c in row), strict=True)) for row in cells[1:]]


def by_first_column(ws: Worksheet) -> dict[object, dict[str, object]]:
    return {next(iter(row.values())): row for row in table_rows(ws)}


def test_sheets_in_order(hr_book: Workbook, director_book: Workbook) -> None:
    assert hr_book.sheetnames == HR_SHEETS
    assert director_book.sheetnames == [s for s in HR_SHEETS if s not in ("People", "Placements")]
    assert all(len(name) <= 31 for name in hr_book.sheetnames)


def test_contents_has_title_and_provenance(hr_book: Workbook, sample_plan: Plan) -> None:
    ws = hr_book["Contents"]
    assert ws["A1"].value == "Peer support workforce plan: community_agency.xlsx"
    facts = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value
             for r in FACT_ROWS}
    assert facts["Input file"] == sample_plan.source
    assert facts["Input SHA-256"] == sample_plan.input_sha256
    assert facts["Planner version"] == sample_plan.planner_version
    assert facts["Created"] == sample_plan.created
    assert facts["Solver status"] == "optimal"
    assert facts["Status means"] == "the best plan under these rules and weights"
    assert facts["Plan score (objective)"] == sample_plan.objective
    assert facts["Gap"] == sample_plan.gap
    assert "Glossary" in facts["Terms"]
    assert facts["Currency"] == "none set: amounts are plain numbers"
    assert facts["Audience"] == "hr"
    listed = [row["Sheet"] for row in table_rows(ws)]
    assert listed == HR_SHEETS[1:]
    header_row = int(ws.tables["Contents"].ref.split(":")[0][1:])
    link = ws.cell(row=header_row + 1, column=1).hyperlink
    assert link.location == "'Summary'!A1"


def test_director_contents_shows_only_the_start_of_the_hash(director_book: Workbook,
                                                            sample_plan: Plan) -> None:
    ws = director_book["Contents"]
    facts = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value
             for r in FACT_ROWS}
    assert facts["Audience"] == "director"
    shown = facts["Input SHA-256 (start)"]
    assert sample_plan.input_sha256.startswith(shown) and len(shown) < 64
    assert 'fewer than 5 people' in ws["A2"].value and "left blank" in ws["A2"].value


@pytest.mark.parametrize("book_name", ["hr_book", "director_book"])
def test_every_sheet_is_one_table_covering_its_data(book_name: str,
                                                    request: pytest.FixtureRequest) -> None:
    book: Workbook = request.getfixturevalue(book_name)
    for ws in book.worksheets:
        assert ws["A1"].value, ws.title
        assert not ws.merged_cells.ranges, ws.title
        (table,) = ws.tables.values()
        first, last = table.ref.split(":")
        assert first.startswith("A")
        assert last == f"{openpyxl.utils.get_column_letter(ws.max_column)}{ws.max_row}"
        assert table.autoFilter is not None
        if ws.title != "Contents":
            assert first == f"A{DATA_HEADER_ROW}"
            assert ws.freeze_panes == f"A{DATA_HEADER_ROW + 1}"


def test_kpis_equal_the_plan(hr_book: Workbook, sample_plan: Plan) -> None:
    kpis = by_first_column(hr_book["Summary"])
    assert kpis["Coverage"]["Value"] == sample_plan.kpis.coverage
    assert kpis["Cost"]["Value"] == sample_plan.kpis.cost
    assert kpis["People placed"]["Value"] == sample_plan.kpis.placed
    assert all(row["Meaning"] for row in kpis.values())


def test_kpi_number_formats(hr_book: Workbook) -> None:
    ws = hr_book["Summary"]
    formats = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).number_format
               for r in range(DATA_HEADER_ROW + 1, ws.max_row + 1)}
    assert formats["Coverage"] == "0.0%"
    assert formats["Top choice share"] == "0.0%"
    assert formats["Cost"] == "#,##0"
    assert formats["Budget"] == "#,##0"


def test_role_mix_totals_equal_the_plan(hr_book: Workbook, sample_plan: Plan) -> None:
    rows = table_rows(hr_book["Role mix"])
    total = rows[-1]
    assert total["Service"] == "Total"
    assert total["Filled FTE"] == pytest.approx(sum(a.fte for a in sample_plan.assignments))
    assert total["Vacant FTE"] == pytest.approx(sum(v.fte for v in sample_plan.vacancies))
    assert total["Filled positions"] == len(sample_plan.assignments)
    assert total["Vacant positions"] == sum(v.positions for v in sample_plan.vacancies)
    assert {r["Saliency tier"] for r in rows[:-1]} <= {"low", "middle", "high"}


def test_charts_present(hr_book: Workbook, director_book: Workbook) -> None:
    for book in (hr_book, director_book):
        assert len(book["Saliency tiers"]._charts) == 1
        (chart,) = book["Services"]._charts
        last = book["Services"].max_row
        # filled, to recruit and unmet FTE stacked: each bar as long as the demand
        assert [s.val.numRef.f for s in chart.series] == [
            f"'Services'!$G$4:$G${last}", f"'Services'!$H$4:$H${last}",
            f"'Services'!$I$4:$I${last}"]
        assert chart.series[0].cat.strRef.f == f"'Services'!$B$4:$B${last}"  # by name


def test_services_chart_labels_every_service_in_the_htmls_colours(hr_book: Workbook) -> None:
    (chart,) = hr_book["Services"]._charts
    assert chart.grouping == "stacked" and chart.type == "bar"
    assert chart.x_axis.tickLblSkip == 1  # no service left unlabelled
    assert chart.x_axis.scaling.orientation == "maxMin"  # in the table's order, top down
    filled, to_recruit, unmet = chart.series
    assert filled.graphicalProperties.solidFill.srgbClr == FILLED["color"].lstrip("#")
    assert to_recruit.tx.v == "FTE to recruit"
    hatch = to_recruit.graphicalProperties.pattFill
    assert hatch.bgClr.srgbClr == VACANT["color"].lstrip("#")  # amber, hatched
    assert hatch.fgClr.srgbClr == VACANT["edgecolor"].lstrip("#")
    assert unmet.graphicalProperties.noFill
    (tiers,) = hr_book["Saliency tiers"]._charts
    assert tiers.series[1].tx.v == "FTE to recruit"


def test_placements_show_every_component_for_hr(hr_book: Workbook, sample_plan: Plan) -> None:
    rows = table_rows(hr_book["Placements"])
    assert len(rows) == len(sample_plan.assignments)
    first, a = rows[0], sample_plan.assignments[0]
    assert first["Person"] == a.psw_id
    for component, points in a.components.items():
        assert first[component.replace("_", " ").capitalize()] == points
    assert hr_book["Placements"].conditional_formatting


def test_director_workbook_has_no_row_per_person(director_book: Workbook) -> None:
    # A row per placement would let a reader count people per service (the k rule).
    assert "Placements" not in director_book.sheetnames
    headers = [c.value for c in director_book["Unassigned"][DATA_HEADER_ROW]]
    assert headers == ["Reason", "People", "Fewer than 5 people"]


def test_services_say_lone_peer_in_words(hr_book: Workbook, sample_plan: Plan) -> None:
    rows = by_first_column(hr_book["Services"])
    for outcome in sample_plan.services:
        row = rows[outcome.service_id]
        assert row["Lone peer"] == ("yes" if outcome.lone_peer else "no")
        assert row["Peers"] == outcome.peers
        assert row["Demand FTE"] == outcome.demand_fte


def test_director_suppresses_small_counts(director_book: Workbook, sample_plan: Plan) -> None:
    rows = table_rows(director_book["Role mix"])
    cells = {(c.service_id, c.role_id): c for c in sample_plan.role_mix}
    for row in rows[:-1]:
        cell = cells[(row["Service"], row["Role"])]
        small = 0 < cell.filled_positions < 5
        assert row["Filled positions"] == (None if small else cell.filled_positions)
        assert row["Fewer than 5 people"] == ("yes" if small else "no")
    assert "yes" in [row["Fewer than 5 people"] for row in rows]
    # no head count per service: beside the service's FTE it could be worked back
    assert "Peers" not in table_rows(director_book["Services"])[0]


@pytest.fixture(scope="module")
def regional_org() -> Org:
    """60 people with ids (P0001...) that cannot be mistaken for cell references."""
    return read_org(SAMPLES / "regional_service.xlsx")


def test_director_workbook_holds_no_name_or_id(regional_org: Org, tmp_path: Path) -> None:
    hr = plan(regional_org)
    assert hr.unassigned and hr.vacancies  # every sheet has rows that could leak
    path = write_excel_report(hr, tmp_path / "plan.xlsx", Audience.DIRECTOR)
    secrets = [p.psw_id for p in regional_org.psws] + [p.name for p in regional_org.psws]
    secrets.append(regional_org.input_sha256)
    with zipfile.ZipFile(path) as archive:
        for part in archive.namelist():
            data = archive.read(part)
            for secret in secrets:
                assert secret.encode() not in data, f"{secret!r} in {part}"
    rows = table_rows(openpyxl.load_workbook(path)["Unassigned"])
    neutral = re.compile(rf"{NO_FITTING_ROLE}|{FILLED_BY_OTHERS}"
                         rf"(; limited by: [a-z_]+(, [a-z_]+)*)?")  # rule names, no person
    assert all(neutral.fullmatch(row["Reason"]) for row in rows), rows
    assert all((row["People"] is None) == (row["Fewer than 5 people"] == "yes")
               for row in rows)
    assert all(row["People"] is None or row["People"] >= 5 for row in rows)


def test_director_cells_name_nobody(director_book: Workbook, sample_org: Org) -> None:
    ids = {p.psw_id for p in sample_org.psws}
    names = [p.name for p in sample_org.psws]
    for ws in director_book.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                assert value not in ids
                assert not any(name in str(value) for name in names)


def test_hr_workbook_holds_people(hr_book: Workbook, sample_org: Org) -> None:
    rows = by_first_column(hr_book["People"])
    for person in sample_org.psws:
        assert rows[person.psw_id]["Name"] == person.name
        assert rows[person.psw_id]["Readiness"] == person.readiness


def test_formula_looking_text_stays_text(tmp_path: Path) -> None:
    org = tiny_org(psws=[replace(psw("A"), name="@evil"), psw("B")],
                   services=[replace(service("S1"), name='=HYPERLINK("x")')])
    path = write_excel_report(plan(org), tmp_path / "plan.xlsx")
    book = openpyxl.load_workbook(path)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
             if c.value in ("@evil", '=HYPERLINK("x")')]
    assert {c.value for c in cells} == {"@evil", '=HYPERLINK("x")'}
    assert all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)


def test_infeasible_plan_lists_conflicts(tmp_path: Path) -> None:
    org = tiny_org(psws=[psw("A", lock=True, current_service="S1", current_role="R1")],
                   roles=[role("R1")], budget=10_000)
    infeasible = plan(org)
    path = write_excel_report(infeasible, tmp_path / "plan.xlsx", Audience.DIRECTOR)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[-1] == "Conflicts"
    sentences = [row["Conflicting rule"] for row in table_rows(book["Conflicts"])]
    assert any(s.startswith("budget") for s in sentences)
    assert not any(" A " in s for s in sentences)
    assert table_rows(book["Summary"])[0]["Indicator"] == "none"


def test_written_whole_and_reproducibly(sample_plan: Plan, tmp_path: Path) -> None:
    first = write_excel_report(sample_plan, tmp_path / "a.xlsx").read_bytes()
    second = write_excel_report(sample_plan, tmp_path / "b.xlsx").read_bytes()
    assert first == second
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx", "b.xlsx"]


def test_control_characters_are_dropped(tmp_path: Path) -> None:
    org = tiny_org(psws=[replace(psw("A"), name="Bell\x07 Person"), psw("B")])
    book = openpyxl.load_workbook(write_excel_report(plan(org), tmp_path / "plan.xlsx"))
    assert by_first_column(book["People"])["A"]["Name"] == "Bell Person"


def test_hr_sees_each_move_from_the_post_today_to_the_post_in_the_plan(tmp_path: Path) -> None:
    # A holds R1 at S1 today and moves to S2 (preferred setting); B has no post today.
    people = [psw("A", current_service="S1", current_role="R1", preferred_settings=("outpatient",)),
              psw("B")]
    org = tiny_org(psws=people, services=[service("S1", demand_fte=1.0),
                                          service("S2", demand_fte=1.0, setting="outpatient")],
                   weight_move=0)
    book = openpyxl.load_workbook(write_excel_report(plan(org), tmp_path / "plan.xlsx"))
    people_rows = {row[0]: row for row in _data_rows(book["People"])}
    header = _header(book["People"])
    today, planned, change = (header.index(h) for h in ("Post today", "Post in the plan",
                                                        "Change"))
    assert people_rows["A"][today] == "R1 at S1" and people_rows["A"][planned] == "R1 at S2"
    assert people_rows["A"][change] == "moves"
    assert people_rows["B"][today] is None and people_rows["B"][change] is None
    placements = {row[0]: row for row in _data_rows(book["Placements"])}
    keeps = _header(book["Placements"]).index("Keeps current")
    assert placements["A"][keeps] == "no" and placements["B"][keeps] is None


def _header(ws: Worksheet) -> list[str]:
    return [c.value for c in next(r for r in ws.iter_rows() if r[0].value == "Person")]


def _data_rows(ws: Worksheet) -> list[tuple]:
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "Person") + 1
    return [row for row in rows[start:] if row[0]]
