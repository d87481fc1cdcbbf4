"""End to end: `planner compare` on a workbook whose scenario removes a service, hires two
people like one on the staff and raises values past their range; comparison.json, .html
and .xlsx say what each change did, for HR by name and for directors by count.

The base organisation is tests/helpers/workbooks.py's: S1 an inpatient ward at climate 3,
S2 a community team at climate 4; P1 placed on the ward, P2 (0.6 FTE) must avoid it, P3
locked on the community team.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from planner.cli import cli
from tests.helpers.scenario_rows import workbook

RESHAPE = (
    ("Reshape", "Services", "*", "climate", "add", 2),
    ("Reshape", "Services", "S1", None, "remove", None),
    ("Reshape", "PSWs", "P2", None, "add_row", "N1, N2"),
    ("Reshape", "PSWs", "psw_id=N1|N2", "available_fte", "add", 0.6),
)
HR_NOTES = [
    "climate + 2: capped at 5 in 1 service (S2)",
    "current placement in S1 dropped for 1 person (P1)",
    "S1 dropped from the exclusions of 1 person (P2)",
    "available_fte + 0.6: capped at 1 for 2 people (N1 and N2)",
]
PEOPLE = re.compile(r"\b(P[123]|N[12]|Ana|Ben|Chloé)\b")


def compared(folder: Path, audience: str) -> Path:
    """The comparison folder of `planner compare` on the base workbook with RESHAPE."""
    out = folder / f"out-{audience}"
    result = CliRunner().invoke(cli, ["compare", str(workbook(folder, *RESHAPE)), "-o",
                                      str(out), "--jobs", "1", "--time-limit", "10",
                                      "--audience", audience, "--quiet"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def hr(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return compared(tmp_path_factory.mktemp("hr"), "hr")


def test_comparison_json_lists_the_changes_and_what_they_did(hr: Path) -> None:
    base, reshape = json.loads((hr / "comparison.json").read_text("utf-8"))["scenarios"]
    assert (base["name"], base["notes"]) == ("baseline", [])
    assert reshape["changes"] == ["Services *: climate + 2", "Services S1: removed",
                                  "PSWs P2: copied as N1, N2",
                                  "PSWs psw_id=N1|N2: available_fte + 0.6"]
    assert reshape["notes"] == HR_NOTES
    plan = json.loads((hr / reshape["slug"] / "plan.json").read_text("utf-8"))
    assert [s["service_id"] for s in plan["services"]] == ["S2"]
    assert {p["psw_id"]: p["available_fte"] for p in plan["people"]
            if p["psw_id"].startswith("N")} == {"N1": 1.0, "N2": 1.0}
    assert {a["service_id"] for a in plan["assignments"]} == {"S2"}


def test_the_page_and_the_workbook_show_the_same_notes(hr: Path) -> None:
    soup = BeautifulSoup((hr / "comparison.html").read_text("utf-8"), "html.parser")
    shown = [li.get_text() for li in soup.select('tr[data-scenario="reshape"] ul.notes li')]
    assert shown == HR_NOTES
    sheet = openpyxl.load_workbook(hr / "comparison.xlsx")["Scenarios"]
    cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "\n".join(HR_NOTES) in cells


def test_directors_read_counts_and_no_person(tmp_path: Path) -> None:
    out = compared(tmp_path, "director")
    text = (out / "comparison.json").read_text("utf-8")
    reshape = json.loads(text)["scenarios"][1]
    assert reshape["changes"] == ["Services *: climate + 2", "Services S1: removed",
                                  "PSWs: 2 new people with one person's profile",
                                  "PSWs, a group of people: available_fte changed"]
    assert reshape["notes"] == [
        "climate + 2: capped at 5 in 1 service (S2)",
        "current placement in S1 dropped for fewer than 5 people",
        "available_fte: capped at 1 for fewer than 5 people"]
    for name in ("comparison.json", "comparison.html"):
        assert not PEOPLE.search((out / name).read_text("utf-8")), name
