"""WHO WISN demand: workload hours divided by the hours one FTE is available in a year."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.core.domain import Policy
from planner.workbook.read import read_org, validate, workload_demand_fte
from tests.helpers.workbooks import org_sheets, write_org, write_xlsx


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
