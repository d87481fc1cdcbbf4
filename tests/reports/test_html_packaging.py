"""The templates ship inside the wheel, and an installed (non-editable) package renders.

Builds from a copy of the sources, so the work tree gets no build/ or egg-info debris.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from planner.core.results import write_plan_json
from tests.helpers.paths import ROOT
from tests.helpers.report_plans import private_plan

TEMPLATE_DIR = ROOT / "planner" / "reports" / "templates"
TEMPLATES = sorted(p.name for p in TEMPLATE_DIR.iterdir() if p.is_file())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    shutil.copy(ROOT / "pyproject.toml", src)
    shutil.copytree(ROOT / "planner", src / "planner",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation",
         "--no-index", "-q", "-w", str(dist)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = dist.glob("*.whl")
    return built


def test_the_wheel_holds_every_template(wheel: Path):
    assert {"base.html", "report.html", "_kpis.html", "_table.html"} <= set(TEMPLATES)
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [t for t in TEMPLATES if f"planner/reports/templates/{t}" not in names]
    assert missing == []


def test_an_installed_package_renders_with_its_own_templates(wheel: Path, tmp_path: Path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
         "--target", str(target), str(wheel)],
        check=True, capture_output=True, timeout=120,
    )
    plan_json = write_plan_json(private_plan(), tmp_path / "plan.json")
    script = (
        "import sys, planner, planner.reports.html as r\n"
        "from planner.core.results import read_plan_json\n"
        "print(planner.__file__); print(r.template_dir())\n"
        "r.write_html_report(read_plan_json(sys.argv[1]), sys.argv[2])\n"
    )
    out = tmp_path / "report.html"
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", script, str(plan_json), str(out)],
                            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    module, templates = result.stdout.split()
    assert Path(module).is_relative_to(target) and Path(templates).is_relative_to(target)
    assert "Executive summary" in out.read_text(encoding="utf-8")
