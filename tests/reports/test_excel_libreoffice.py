"""The Excel plan opened by another spreadsheet program: LibreOffice Calc, headless.

Each sheet is exported to its own csv (LibreOffice >= 7.2, sheet option -1), with cells as
shown, so number formats are checked too. Skipped only when LibreOffice is absent outside
CI; under CI (CI=true) a missing `soffice` fails.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl
import pytest

from planner.core.audience import Audience
from planner.core.results import Plan
from planner.reports.excel import write_excel_report
from planner.solve.planning import plan
from planner.workbook.read import read_org
from tests.helpers.paths import SAMPLES

# separator ",", quote '"', UTF-8, from line 1, no cell format, language default, quoted
# fields not as text, detect special numbers, cells as shown, no formulas, keep spaces,
# every sheet to its own file.
CSV_FILTER = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1'
TIMEOUT_SECONDS = 180


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if in_ci():
        pytest.fail("LibreOffice (soffice) is required under CI but is not installed")
    pytest.skip("LibreOffice (soffice) is not installed")


def convert(files: list[Path], target: str, outdir: Path) -> None:
    """Convert with a fresh user profile, so runs never share or lock one."""
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [soffice(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
             "--convert-to", target, "--outdir", str(outdir), *map(str, files)],
            check=True, capture_output=True, timeout=TIMEOUT_SECONDS,
        )


def read_sheets(xlsx: Path, outdir: Path) -> dict[str, list[list[str]]]:
    """Every sheet as LibreOffice shows it: per-sheet csv, or an xlsx round trip on a
    LibreOffice too old to export every sheet."""
    sheets = {
        path.stem.removeprefix(f"{xlsx.stem}-"): _read_csv(path)
        for path in outdir.glob(f"{xlsx.stem}-*.csv")
    }
    if sheets:
        return sheets
    convert([xlsx], "xlsx", outdir / "roundtrip")
    book = openpyxl.load_workbook(outdir / "roundtrip" / xlsx.name, data_only=True)
    return {ws.title: [["" if v is None else str(v) for v in row]
                       for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream))


@pytest.fixture(scope="module")
def libreoffice() -> str:
    """Decides skip or fail before any planning."""
    return soffice()


@pytest.fixture(scope="module")
def sample_plan() -> Plan:
    return plan(read_org(SAMPLES / "community_agency.xlsx"))


@pytest.fixture(scope="module")
def shown(libreoffice: str, sample_plan: Plan, tmp_path_factory: pytest.TempPathFactory
          ) -> dict[str, dict[str, list[list[str]]]]:
    """Both audiences' workbooks as LibreOffice shows them, by audience and sheet."""
    folder = tmp_path_factory.mktemp("libreoffice")
    books = {audience: write_excel_report(sample_plan, folder / f"{audience}.xlsx", audience)
             for audience in Audience}
    csv_dir = folder / "csv"
    convert(list(books.values()), CSV_FILTER, csv_dir)
    return {str(audience): read_sheets(path, csv_dir) for audience, path in books.items()}


def row_starting(rows: list[list[str]], first: str) -> list[str]:
    return next(row for row in rows if row and row[0] == first)


def test_libreoffice_reads_every_sheet(shown) -> None:
    assert "People" in shown["hr"] and "Contents" in shown["hr"]
    assert "People" not in shown["director"]
    assert shown["hr"]["Contents"][0][0].startswith("Peer support workforce plan")


def test_libreoffice_shows_coverage_as_percent(shown, sample_plan: Plan) -> None:
    value = row_starting(shown["hr"]["Summary"], "Coverage")[1]
    if value.endswith("%"):  # csv export, cells as shown: the number format applies
        assert value == f"{sample_plan.kpis.coverage:.1%}"
    else:  # xlsx round trip on an older LibreOffice: the stored number
        assert float(value) == pytest.approx(sample_plan.kpis.coverage)


def test_libreoffice_shows_services_and_totals(shown, sample_plan: Plan) -> None:
    first = sample_plan.services[0]
    row = row_starting(shown["hr"]["Services"], first.service_id)
    assert row[1] == first.name
    totals = row_starting(shown["hr"]["Role mix"], "Total")
    filled = sum(a.fte for a in sample_plan.assignments)
    assert float(totals[8]) == pytest.approx(filled)


def test_libreoffice_director_sees_suppressed_counts_as_blanks(shown) -> None:
    sheet = shown["director"]["Role mix"]
    header = row_starting(sheet, "Service")
    filled, small = header.index("Filled positions"), header.index("Fewer than 5 people")
    rows = [row for row in sheet[3:] if row and row[0] != "Total"]
    flagged = [row for row in rows if row[small] == "yes"]
    assert flagged and all(row[filled] == "" for row in flagged)
    assert "<5" not in [cell for row in sheet for cell in row]  # no text among the numbers
    assert "Peers" not in row_starting(shown["director"]["Services"], "Service")
