"""The bundled sample organisations: valid, the sizes promised, and reproducible."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from planner.core.domain import Org
from planner.core.eligibility import placement_block
from planner.workbook.read import read_org, validate
from planner.workbook.scenarios import load_scenario_orgs

SAMPLES = Path(__file__).resolve().parent.parent / "sample_orgs"
NAMES = ("community_agency.xlsx", "regional_service.xlsx", "large_system.xlsx")


def load_build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sample_build", SAMPLES / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def orgs() -> dict[str, Org]:
    return {name: read_org(SAMPLES / name) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_sample_validates_without_errors(name: str) -> None:
    assert validate(SAMPLES / name).errors == ()


def unzipped(path: Path) -> dict[str, bytes]:
    """Every part of an .xlsx, uncompressed (so a different zlib cannot fail the test)."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_build_script_rebuilds_the_bundled_files(tmp_path: Path) -> None:
    written = load_build_script().build_all(tmp_path)
    assert sorted(p.name for p in written) == sorted(NAMES)
    for path in written:
        assert unzipped(path) == unzipped(SAMPLES / path.name), (
            f"{path.name} is out of date: run python sample_orgs/build.py")


def test_community_agency_is_small_warm_and_local(orgs: dict[str, Org]) -> None:
    org = orgs["community_agency.xlsx"]
    assert len(org.psws) == 10 and 3 <= len(org.services) <= 4
    assert {s.climate for s in org.services} <= {4, 5}
    assert len({s.region for s in org.services} | {p.region for p in org.psws}) == 1


def test_regional_service_spans_climates_roles_and_regions(orgs: dict[str, Org]) -> None:
    org = orgs["regional_service.xlsx"]
    assert len(org.psws) == 60 and len(org.services) == 14
    assert {s.climate for s in org.services} == {1, 2, 3, 4, 5}
    assert 2 <= len({s.region for s in org.services}) <= 3
    assert len({p.current_role for p in org.psws if p.current_role}) >= 4


def test_large_system_has_about_forty_sites_in_five_regions(orgs: dict[str, Org]) -> None:
    org = orgs["large_system.xlsx"]
    assert len(org.psws) == 600 and len(org.services) == 150
    sites = {s.name.split(":")[0] for s in org.services}
    assert 35 <= len(sites) <= 45
    assert len({s.region for s in org.services}) == 5


@pytest.mark.parametrize("name", NAMES)
def test_current_placements_keep_the_hard_rules(orgs: dict[str, Org], name: str) -> None:
    org = orgs[name]
    for p in org.psws:
        if p.current_service and p.current_role:
            role, service = org.roles_by_id[p.current_role], org.services_by_id[p.current_service]
            assert placement_block(p, role, service) is None, p.psw_id
            assert role.saliency <= p.readiness


def test_regional_service_has_a_budget_per_region_under_the_organisations(
        orgs: dict[str, Org]) -> None:
    org = orgs["regional_service.xlsx"]
    assert set(org.region_budgets) == {s.region for s in org.services}
    assert sum(org.region_budgets.values()) > org.policy.budget  # ceilings, not a split


def test_regional_service_bundles_a_scenario_of_every_kind() -> None:
    orgs, scenarios = load_scenario_orgs(SAMPLES / "regional_service.xlsx")
    overrides = [o for s in scenarios for o in s.overrides]
    assert {o.change.value for o in overrides} == {"set", "add", "scale", "remove", "add_row"}
    assert any("&" in o.target for o in overrides)  # a compound filter
    assert any(o.sheet == "Regions" and o.column == "budget" for o in overrides)
    assert all(s.description for s in scenarios)
    assert [(s.name, s.base) for s in scenarios if s.base] == [
        ("Budget -10% on warmer wards", "Staff education on wards"),
        ("Three new hires", "Budget +10%")]
    assert any(n.startswith("climate + 1: already 5 in") for s in scenarios
               for n in s.note_words())  # a capped add, said so
    assert orgs["North budget -10%"].region_budgets["North"] == pytest.approx(
        0.9 * orgs["baseline"].region_budgets["North"])
