"""WHO WISN (Workload Indicators of Staffing Need): the FTE a service's workload needs.

One place computes every step, so that the validator, the scenarios, the template and
the plan's Services sheet show the same numbers (README, Demand from workload):

    available working time A   = working days left after absences x hours a day
    standard workload S        = A x 60 / minutes_per_contact   (contacts one FTE gives)
    workload FTE W             = annual_contacts / S
    category allowance factor  = 1 / (1 - category allowance % / 100)
    individual allowance factor = individual allowance hours / A
    required FTE               = W x category factor + individual factor

Allowances are the support work WISN adds to the workload: a share of every PSW's time
(team meetings, records), and hours that some staff give (supervising, training others).
A service's own allowances win over the Policy's. Only demand derived from workload
takes them: a demand_fte given outright already says what the service needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.core.domain import Policy, Service

FTE_DECIMALS = 2  # demand_fte is kept to 2 decimals, as a person would write it
NO_WORKING_TIME = "WISN available working time per FTE is 0 hours or less"


@dataclass(frozen=True)
class WisnSteps:
    """Each step of WISN for one workload, so a reader can follow it to the demand."""

    annual_contacts: float  # the workload: contacts a year
    minutes_per_contact: float
    available_hours: float  # A: hours one FTE is at work in a year
    standard_workload: float  # S: contacts one FTE can give in A
    workload_fte: float  # W: annual_contacts / S, before allowances
    category_allowance_pct: float
    category_allowance_factor: float
    individual_allowance_hours: float
    individual_allowance_factor: float
    required_fte: float  # W x category factor + individual factor, 2 decimals

    @property
    def workload_hours(self) -> float:
        return self.annual_contacts * self.minutes_per_contact / 60


def available_hours_per_fte(policy: Policy) -> float:
    """WISN available working time: working days left after absences, times hours a day."""
    days = (policy.wisn_days_per_week * policy.wisn_weeks_per_year
            - policy.wisn_annual_leave_days - policy.wisn_public_holidays
            - policy.wisn_sick_days - policy.wisn_training_days)
    return days * policy.wisn_hours_per_day


def wisn_steps(annual_contacts: float, minutes_per_contact: float, policy: Policy,
               category_allowance_pct: float | None = None,
               individual_allowance_hours: float | None = None) -> WisnSteps:
    """Every WISN step for a workload; a blank allowance is the Policy's.

    Raises ValueError when the Policy leaves no working time (nothing to divide by).
    """
    hours = available_hours_per_fte(policy)
    if hours <= 0:
        raise ValueError(NO_WORKING_TIME)
    category = _given(category_allowance_pct, policy.wisn_category_allowance_pct)
    individual = _given(individual_allowance_hours, policy.wisn_individual_allowance_hours)
    standard = hours * 60 / minutes_per_contact
    workload_fte = annual_contacts / standard
    category_factor = 1 / (1 - category / 100)
    individual_factor = individual / hours
    return WisnSteps(
        annual_contacts=annual_contacts, minutes_per_contact=minutes_per_contact,
        available_hours=hours, standard_workload=standard, workload_fte=workload_fte,
        category_allowance_pct=category, category_allowance_factor=category_factor,
        individual_allowance_hours=individual, individual_allowance_factor=individual_factor,
        required_fte=round(workload_fte * category_factor + individual_factor, FTE_DECIMALS))


def required_fte(service: Service, policy: Policy) -> float:
    """The FTE WISN requires for a service's workload, with its own allowances (blank:
    the Policy's). Raises ValueError without a workload or without working time."""
    if service.annual_contacts is None or service.minutes_per_contact is None:
        raise ValueError(f"service {service.service_id!r} has no workload")
    return wisn_steps(service.annual_contacts, service.minutes_per_contact, policy,
                      service.category_allowance_pct,
                      service.individual_allowance_hours).required_fte


def service_steps(service: Service, policy: Policy) -> WisnSteps | None:
    """WISN for a service with a workload, with its own allowances; None without a
    workload or without working time."""
    if service.annual_contacts is None or service.minutes_per_contact is None:
        return None
    try:
        return wisn_steps(service.annual_contacts, service.minutes_per_contact, policy,
                          service.category_allowance_pct, service.individual_allowance_hours)
    except ValueError:
        return None


def derived_steps(service: Service, policy: Policy) -> WisnSteps | None:
    """The steps when the service's demand is the one WISN gives; None when it has no
    workload or its demand_fte was given outright beside one (the given number wins)."""
    steps = service_steps(service, policy)
    return steps if steps is not None and steps.required_fte == service.demand_fte else None


def _given(value: float | None, default: float) -> float:
    return default if value is None else value
