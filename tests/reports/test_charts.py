"""The report's charts: names drawn as text, and the largest services when there are many."""

from __future__ import annotations

from dataclasses import replace

from planner.reports.charts import demand_by_service
from tests.helpers.report_plans import private_plan


def test_dollar_signs_in_names_are_not_mathtext():
    p = private_plan()
    priced = replace(p, services=tuple(replace(s, name="Ward $5 $ x^2") for s in p.services))
    chart = demand_by_service(priced)
    assert chart is not None and "Ward $5 $ x^2" in chart.svg


def test_many_services_chart_shows_the_largest_and_says_so():
    p = private_plan()
    base = p.services[0]
    many = replace(p, services=tuple(
        replace(base, service_id=f"S{i:02d}", name=f"Team {i}", demand_fte=float(i))
        for i in range(1, 26)))
    chart = demand_by_service(many)
    assert "The 20 services with the largest demand of 25" in chart.caption
    assert chart.description.index("S25") < chart.description.index("S06")
    assert "S05:" not in chart.description
