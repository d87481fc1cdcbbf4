"""The command line: exit codes, one-line messages, never a traceback."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from planner.cli import cli
from planner.workbook.read import read_org
from planner.workbook.template import write_workbook
from tests.helpers.orgs import psw, tiny_org
from tests.helpers.paths import SAMPLES
from tests.helpers.workbooks import write_org


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def test_validate_a_valid_workbook_exits_0(tmp_path):
    result = run("validate", str(write_org(tmp_path, {})))
    assert result.exit_code == 0
    assert "valid: 2 services, 2 roles, 3 PSWs" in result.output


def test_validate_reports_located_errors_and_exits_1(tmp_path):
    path = write_org(tmp_path, {"PSWs": {(3, "readiness"): "high"}})
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "error: PSWs!C3: readiness must be a whole number from 1 to 5, got 'high'" in (
        result.output)
    assert "1 error(s)" in result.output


@pytest.mark.parametrize("content", [b"", b"hello, not a workbook", b"PK\x03\x04broken"])
def test_validate_an_unreadable_file_exits_2_in_one_line(tmp_path, content):
    path = tmp_path / "org.xlsx"
    path.write_bytes(content)
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert result.output.startswith("error: ")
    assert len(result.output.strip().splitlines()) == 1


def test_template_refuses_to_overwrite_without_force(tmp_path):
    path = tmp_path / "org.xlsx"
    assert run("template", str(path), "--example").exit_code == 0
    before = path.read_bytes()
    refused = run("template", str(path))
    assert refused.exit_code == 2
    assert "--force" in refused.output
    assert path.read_bytes() == before
    assert run("template", str(path), "--force").exit_code == 0


def test_plan_writes_plan_json_and_a_summary(tmp_path):
    out = tmp_path / "out"
    result = run("plan", str(SAMPLES / "community_agency.xlsx"), "-o", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    assert "status: optimal" in result.output
    plan = json.loads((out / "plan.json").read_text())
    for key in ("planner_version", "input_sha256", "status", "objective", "bound", "gap",
                "solve_seconds", "policy", "kpis", "assignments", "vacancies", "unassigned",
                "services"):
        assert key in plan
    assert plan["kpis"]["placed"] == len(plan["assignments"])
    first = plan["assignments"][0]
    assert set(first["components"]) >= {"readiness_match", "role_preference"}


def test_plan_summary_holds_no_personal_data(tmp_path):
    result = run("plan", str(SAMPLES / "community_agency.xlsx"), "-o", str(tmp_path), "--quiet")
    assert result.exit_code == 0, result.output
    assert "coverage:" in result.output  # the summary is there
    org = read_org(SAMPLES / "community_agency.xlsx")
    for person in org.psws:
        assert person.name not in result.output
        assert person.psw_id not in result.output


def test_infeasible_plan_exits_3_and_names_the_conflict(tmp_path):
    org = tiny_org(psws=[psw("A", current_service="S1", current_role="R1", lock=True)],
                   lone_peer="forbid")
    path = write_workbook(tmp_path / "org.xlsx", org)
    result = run("plan", str(path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 3
    assert "status: infeasible" in result.output
    assert "lock: A is locked into R1 at S1" in result.output
    assert json.loads((tmp_path / "out" / "plan.json").read_text())["status"] == "infeasible"


def test_explain_tells_a_story_of_a_person_and_a_service(tmp_path):
    run("plan", str(SAMPLES / "community_agency.xlsx"), "-o", str(tmp_path), "--quiet")
    plan = json.loads((tmp_path / "plan.json").read_text())
    a = plan["assignments"][0]
    person = run("explain", str(tmp_path / "plan.json"), a["psw_id"])
    assert person.exit_code == 0
    assert f"placed as {a['role_id']} at {a['service_id']}" in person.output
    service = run("explain", str(tmp_path / "plan.json"), a["service_id"])
    assert f"{a['psw_id']} as {a['role_id']}" in service.output
    unknown = run("explain", str(tmp_path / "plan.json"), "nobody")
    assert unknown.exit_code == 2


def test_explain_refuses_a_file_that_is_not_a_plan(tmp_path):
    bogus = tmp_path / "plan.json"
    bogus.write_text("{}")
    assert run("explain", str(bogus), "X").exit_code == 2


def test_generate_writes_a_valid_organisation(tmp_path):
    path = tmp_path / "gen.xlsx"
    assert run("generate", "--psws", "30", "--services", "6", "--regions", "2",
               str(path)).exit_code == 0
    assert "valid: 6 services, 14 roles, 30 PSWs" in run("validate", str(path)).output


def test_plan_writes_the_excel_plan_and_the_html_report(tmp_path):
    from bs4 import BeautifulSoup
    from openpyxl import load_workbook

    out = tmp_path / "out"
    assert run("plan", str(SAMPLES / "community_agency.xlsx"), "-o", str(out),
               "--quiet").exit_code == 0
    plan = json.loads((out / "plan.json").read_text())
    book = load_workbook(out / "plan.xlsx")
    assert book.sheetnames[0] == "Contents"
    assert "People" in book.sheetnames
    soup = BeautifulSoup((out / "report.html").read_text(), "html.parser")
    assert soup.select_one("#summary p")
    contents = " ".join(str(c.value) for row in book["Contents"].iter_rows() for c in row)
    assert plan["input_sha256"] in contents


def test_report_renders_a_director_version_from_plan_json(tmp_path):
    from openpyxl import load_workbook

    run("plan", str(SAMPLES / "community_agency.xlsx"), "-o", str(tmp_path), "--quiet")
    result = run("report", str(tmp_path / "plan.json"), "--audience", "director",
                 "-o", str(tmp_path / "director"))
    assert result.exit_code == 0
    book = load_workbook(tmp_path / "director" / "plan.xlsx")
    assert "People" not in book.sheetnames
    html = (tmp_path / "director" / "report.html").read_text()
    from planner.workbook.read import read_org

    for person in read_org(SAMPLES / "community_agency.xlsx").psws:
        assert person.name not in html


def test_plan_refuses_to_overwrite_its_input(tmp_path):
    source = tmp_path / "plan.xlsx"
    source.write_bytes((SAMPLES / "community_agency.xlsx").read_bytes())
    before = source.read_bytes()
    result = run("plan", str(source), "-o", str(tmp_path), "--quiet")
    assert result.exit_code == 2
    assert "would overwrite the input" in result.output
    assert source.read_bytes() == before


PROGRESS_LINE = re.compile(r"^\s*[\d.]+ s  best .* bound .* gap ", re.MULTILINE)


@pytest.mark.parametrize("command", [
    ["compare", "{org}", "{alternative}"],
    ["insights", "{org}", "--time-limit", "2"],
    ["frontier", "{org}", "--levels", "1", "--time-limit", "2"],
    ["menus", "{org}", "--time-budget", "10"],
])
def test_every_long_running_command_takes_quiet_and_prints_no_progress(tmp_path, command):
    # a script passes --quiet to any command; what is left is the summary and the files
    org = write_workbook(tmp_path / "org.xlsx", tiny_org())
    alternative = write_workbook(tmp_path / "more.xlsx", tiny_org(psws=[psw("A"), psw("B"),
                                                                         psw("C")]))
    args = [arg.format(org=org, alternative=alternative) for arg in command]
    result = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # progress would go there
    assert "wrote" in result.stdout
    assert not PROGRESS_LINE.search(result.output)
