"""A director's folder holds nothing private: every file that `plan`, `report`, `compare`,
`insights` and `frontier` write for `--audience director` (the workbooks unzipped), and
what a director's run prints, is searched for every person's name and id."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import cli
from planner.workbook.template import write_workbook
from tests.helpers.orgs import psw, role, tiny_org
from tests.helpers.report_plans import PRIVATE_IDS, PRIVATE_NAMES, private_org

SCENARIOS = (("More budget", "Policy", "budget", "value", "scale", 1.2),
             ("Warm south", "Services", "S-SOUTH", "climate", "set", 4))


def texts(folder: Path) -> dict[str, str]:
    """Every file written below `folder` as text; a workbook's parts each on their own."""
    found = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                found |= {f"{path}!{part}": book.read(part).decode("utf-8", "replace")
                          for part in book.namelist()}
        else:
            found[str(path)] = path.read_text(encoding="utf-8")
    return found


def leaks(text: str) -> list[str]:
    return [word for word in (*PRIVATE_NAMES, *PRIVATE_IDS) if word in text]


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code in (0, 3), result.output
    return result.output


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("org")
    org = replace(private_org(), policy=replace(private_org().policy, budget=200_000.0))
    return write_workbook(folder / "private.xlsx", org, scenarios=SCENARIOS)


def test_every_file_a_director_run_writes_names_nobody(workbook: Path, tmp_path: Path):
    out = tmp_path / "director"
    printed = [
        run("plan", str(workbook), "-o", str(out / "plan"), "--audience", "director", "--quiet"),
        run("compare", str(workbook), "-o", str(out / "compare"), "--audience", "director",
            "--jobs", "1"),
        run("insights", str(workbook), "-o", str(out / "insights"), "--jobs", "1"),
        run("frontier", str(workbook), "-o", str(out / "frontier"), "--levels", "1",
            "--audience", "director", "--jobs", "1", "--time-limit", "5"),
    ]
    hr = tmp_path / "hr"
    run("plan", str(workbook), "-o", str(hr), "--quiet")
    assert leaks((hr / "plan.json").read_text()), "the HR plan names people: the probe works"
    printed.append(run("report", str(hr / "plan.json"), "-o", str(out / "report"),
                       "--audience", "director"))
    written = texts(out)
    assert {Path(name.split("!")[0]).name for name in written} >= {
        "plan.json", "plan.xlsx", "report.html", "comparison.json", "comparison.html",
        "comparison.xlsx", "insights.json", "insights.html", "frontier.json", "frontier.html"}
    assert sum(name.endswith("plan.json") for name in written) >= 5  # scenarios and points
    assert {name: leaks(text) for name, text in written.items() if leaks(text)} == {}
    assert [leaks(text) for text in printed] == [[]] * len(printed)


def test_a_locked_person_in_a_director_runs_conflict_is_named_by_pseudonym(tmp_path: Path):
    locked = replace(psw("PX-9001", current_service="S1", current_role="R1", lock=True),
                     name="Hortensia Blackwater")
    org = tiny_org(psws=[locked], roles=[role("R1")], lone_peer="forbid")
    path = write_workbook(tmp_path / "locked.xlsx", org)
    result = CliRunner().invoke(cli, ["plan", str(path), "-o", str(tmp_path / "out"),
                                      "--audience", "director", "--quiet"])
    assert result.exit_code == 3
    assert "lock: Peer-" in result.output
    for text in (result.output, *texts(tmp_path / "out").values()):
        assert "PX-9001" not in text and "Hortensia" not in text
