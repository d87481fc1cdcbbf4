"""WHO WISN demand: workload hours divided by the hours one FTE is available in a year,
with WISN's allowances for support work."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.core.domain import Policy
from planner.core.wisn import wisn_steps
from planner.workbook.read import read_org, validate, workload_demand_fte
from planner.workbook.scenarios import load_scenario_orgs
from planner.workbook.template import write_workbook
from tests.helpers.workbooks import (
    WISN_CONTACTS,
    WISN_MINUTES,
    org_sheets,
    set_cell,
    with_allowance_columns,
    write_org,
    write_xlsx,
)


def test_hand_worked_example_with_default_policy() -> None:
    """Default Policy working time:
        working days   = 5 days/week x 52 weeks                 = 260
        absences       = 27 leave + 8 holidays + 9 sick + 5 training = 49
        available days = 260 - 49                                = 211
        available time = 211 days x 7.5 hours                   = 1,582.5 hours per FTE
    A service with 3,000 contacts a year of 45 minutes each:
        workload       = 3,000 x 45 / 60                         = 2,250 hours
        demand         = 2,250 / 1,582.5 = 1.4218...             -> 1.42 FTE
    """
    assert workload_demand_fte(3000, 45, Policy()) == 1.42


def test_hand_worked_example_with_own_working_time() -> None:
    """4 days/week x 50 weeks = 200 days; minus 20 + 10 + 5 + 5 = 40 -> 160 days;
    x 8 hours = 1,280 hours per FTE. 1,000 contacts x 96 minutes / 60 = 1,600 hours;
    1,600 / 1,280 = 1.25 FTE."""
    policy = Policy(wisn_days_per_week=4, wisn_weeks_per_year=50, wisn_annual_leave_days=20,
                    wisn_public_holidays=10, wisn_sick_days=5, wisn_training_days=5,
                    wisn_hours_per_day=8)
    assert workload_demand_fte(1000, 96, policy) == 1.25


def test_no_working_time_is_refused() -> None:
    with pytest.raises(ValueError, match="0 hours or less"):
        workload_demand_fte(100, 30, Policy(wisn_weeks_per_year=5))


def test_service_without_demand_gets_the_wisn_demand(tmp_path: Path) -> None:
    """Base S2: 3,000 contacts x 45 minutes with the default policy, as above."""
    s2 = read_org(write_org(tmp_path)).services_by_id["S2"]
    assert (s2.demand_fte, s2.annual_contacts, s2.minutes_per_contact) == (1.42, 3000, 45)


def test_given_demand_wins_over_workload(tmp_path: Path) -> None:
    org = read_org(write_org(tmp_path, {"Services": {(3, "demand_fte"): 2}}))
    assert org.services_by_id["S2"].demand_fte == 2


def test_wisn_uses_the_policy_sheet(tmp_path: Path) -> None:
    """wisn_hours_per_day 6: 211 days x 6 = 1,266 hours; 2,250 / 1,266 = 1.777 -> 1.78."""
    sheets = org_sheets()
    sheets["Policy"].append(["wisn_hours_per_day", 6])
    org = read_org(write_xlsx(tmp_path / "org.xlsx", sheets))
    assert org.services_by_id["S2"].demand_fte == 1.78


def test_policy_leaving_no_working_time_is_an_error(tmp_path: Path) -> None:
    """5 weeks x 5 days = 25 days, fewer than the 49 days of absence."""
    sheets = org_sheets()
    sheets["Policy"].append(["wisn_weeks_per_year", 5])
    texts = [str(i) for i in validate(write_xlsx(tmp_path / "org.xlsx", sheets)).issues]
    assert texts == ["Policy: the wisn_* keys leave no working time per FTE, so demand cannot "
                     "be derived from annual_contacts and minutes_per_contact"]


# --- WISN's allowances ---------------------------------------------------------------------
#
# One workload, hand-worked with the default Policy, for every test below:
#   available working time A = 211 days x 7.5 h              = 1,582.5 h per FTE
#   workload                 = 4,220 contacts x 45 min / 60  = 3,165 h
#   standard workload S      = 1,582.5 h x 60 / 45 min       = 2,110 contacts per FTE
#   workload FTE W           = 4,220 / 2,110                 = 2.00
# category allowance 10 %:     CAF = 1 / (1 - 10 / 100)      = 1.111...
# individual allowance 158.25 h: IAF = 158.25 / 1,582.5      = 0.10
#   none:            2.00 x 1     + 0     = 2.00 FTE
#   category only:   2.00 x 1.111 + 0     = 2.222 -> 2.22 FTE
#   individual only: 2.00 x 1     + 0.10  = 2.10 FTE
#   both:            2.00 x 1.111 + 0.10  = 2.322 -> 2.32 FTE
# (the workload is `WISN_CONTACTS` x `WISN_MINUTES` of tests/helpers/workbooks.py)
ALLOWANCES = ("category_allowance_pct", "individual_allowance_hours")
HAND_WORKED = [  # (category %, individual hours, CAF, IAF, required FTE)
    (None, None, 1.0, 0.0, 2.00),
    (10, None, 1 / 0.9, 0.0, 2.22),
    (None, 158.25, 1.0, 0.10, 2.10),
    (10, 158.25, 1 / 0.9, 0.10, 2.32),
]


@pytest.mark.parametrize(("category", "individual", "caf", "iaf", "required"), HAND_WORKED)
def test_each_wisn_step_by_hand(category: float | None, individual: float | None,
                                caf: float, iaf: float, required: float) -> None:
    steps = wisn_steps(WISN_CONTACTS, WISN_MINUTES, Policy(), category, individual)
    assert steps.available_hours == 1582.5
    assert steps.workload_hours == 3165
    assert steps.standard_workload == pytest.approx(2110)
    assert steps.workload_fte == pytest.approx(2.0)
    assert steps.category_allowance_factor == pytest.approx(caf)
    assert steps.individual_allowance_factor == pytest.approx(iaf)
    assert steps.required_fte == required


@pytest.mark.parametrize(("category", "individual", "caf", "iaf", "required"), HAND_WORKED)
def test_a_services_own_allowances_size_its_demand(tmp_path: Path, category: float | None,
                                                   individual: float | None, caf: float,
                                                   iaf: float, required: float) -> None:
    path = write_xlsx(tmp_path / "org.xlsx", with_allowance_columns(category, individual))
    s2 = read_org(path).services_by_id["S2"]
    assert (s2.demand_fte, s2.category_allowance_pct, s2.individual_allowance_hours) == (
        required, category, individual)


@pytest.mark.parametrize(("policy", "required"), [
    ({"wisn_category_allowance_pct": 10}, 2.22),
    ({"wisn_individual_allowance_hours": 158.25}, 2.10),
    ({"wisn_category_allowance_pct": 10, "wisn_individual_allowance_hours": 158.25}, 2.32),
])
def test_the_policys_allowances_size_services_without_their_own(
        tmp_path: Path, policy: dict[str, object], required: float) -> None:
    path = write_xlsx(tmp_path / "org.xlsx", with_allowance_columns(policy=policy))
    org = read_org(path)
    assert org.services_by_id["S2"].demand_fte == required
    assert org.services_by_id["S1"].demand_fte == 1.5  # given outright: no allowance added


def test_a_services_own_allowance_wins_over_the_policys(tmp_path: Path) -> None:
    """Policy 20 % alone would give 2.00 / 0.8 = 2.50; S2's own 10 % gives 2.22, and its
    blank individual allowance takes the Policy's 158.25 h: 2.22 + 0.10 -> 2.32."""
    policy = {"wisn_category_allowance_pct": 20, "wisn_individual_allowance_hours": 158.25}
    path = write_xlsx(tmp_path / "org.xlsx", with_allowance_columns(10, policy=policy))
    assert read_org(path).services_by_id["S2"].demand_fte == 2.32


def test_a_bad_allowance_is_located_at_its_cell(tmp_path: Path) -> None:
    """The allowance columns are K and L, after the base sheet's ten."""
    sheets = with_allowance_columns(100, -1, {"wisn_category_allowance_pct": "ten"})
    texts = [str(i) for i in validate(write_xlsx(tmp_path / "org.xlsx", sheets)).errors]
    assert texts == [
        "Services!K3: category_allowance_pct must be a number from 0 to 99, got 100",
        "Services!L3: individual_allowance_hours must be a number from 0 to 100,000, got -1",
        "Policy!B4: wisn_category_allowance_pct must be a number from 0 to 99, got 'ten'",
    ]


def test_allowances_beside_a_given_demand_are_not_applied_and_say_so(tmp_path: Path) -> None:
    sheets = with_allowance_columns(10, 158.25)
    set_cell(sheets, "Services", 3, "demand_fte", 3)
    report = validate(write_xlsx(tmp_path / "org.xlsx", sheets))
    assert [str(i) for i in report.warnings] == [
        f"Services!{cell}: {column} is not applied: demand_fte is given, and WISN allowances "
        "apply only to demand derived from annual_contacts and minutes_per_contact"
        for cell, column in (("K3", ALLOWANCES[0]), ("L3", ALLOWANCES[1]))]
    assert report.org is not None and report.org.services_by_id["S2"].demand_fte == 3


def test_allowances_survive_the_template_round_trip(tmp_path: Path) -> None:
    """The template leaves a derived demand blank, so it must know the allowances to tell
    a derived 2.32 from one given outright."""
    org = read_org(write_xlsx(tmp_path / "org.xlsx", with_allowance_columns(10, 158.25)))
    again = read_org(write_workbook(tmp_path / "again.xlsx", org))
    s2 = again.services_by_id["S2"]
    assert (s2.demand_fte, s2.category_allowance_pct, s2.individual_allowance_hours) == (
        2.32, 10, 158.25)
    assert load_workbook(tmp_path / "again.xlsx")["Services"]["F3"].value is None


def test_a_scenario_changing_the_policys_allowance_sizes_demand_again(tmp_path: Path) -> None:
    sheets = with_allowance_columns()
    sheets["Scenarios"].append(["Support work", "Policy", "wisn_category_allowance_pct",
                                "value", "set", 10])
    orgs, _ = load_scenario_orgs(write_xlsx(tmp_path / "org.xlsx", sheets))
    assert orgs["baseline"].services_by_id["S2"].demand_fte == 2.00
    assert orgs["Support work"].services_by_id["S2"].demand_fte == 2.22


def test_a_scenario_changing_working_time_keeps_a_services_own_allowances(
        tmp_path: Path) -> None:
    """6 h a day: A = 211 x 6 = 1,266 h, S = 1,266 x 60 / 45 = 1,688 contacts per FTE,
    W = 4,220 / 1,688 = 2.50; S2's own 10 %: 2.50 / 0.9 = 2.777 -> 2.78 (2.50 without)."""
    sheets = with_allowance_columns(10)
    sheets["Scenarios"].append(["Shorter days", "Policy", "wisn_hours_per_day", "value",
                                "set", 6])
    orgs, _ = load_scenario_orgs(write_xlsx(tmp_path / "org.xlsx", sheets))
    assert orgs["Shorter days"].services_by_id["S2"].demand_fte == 2.78


def test_a_scenario_changing_a_services_allowance_sizes_its_demand_again(
        tmp_path: Path) -> None:
    """S2 from 2.00 FTE to 2.00 / 0.9 = 2.22 with its own 10 %."""
    sheets = with_allowance_columns()
    sheets["Scenarios"].append(["Support work", "Services", "S2", "category_allowance_pct",
                                "set", 10])
    orgs, _ = load_scenario_orgs(write_xlsx(tmp_path / "org.xlsx", sheets))
    assert orgs["Support work"].services_by_id["S2"].demand_fte == 2.22
