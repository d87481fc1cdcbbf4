"""Plan the peer support workforce of a mental-health organisation.

The library a consultant can call from a notebook (`planner.api`; the command line is a
thin layer over it)::

    >>> from planner import read_org, plan
    >>> org = read_org("sample_orgs/community_agency.xlsx")
    >>> result = plan(org, time_limit=10)
    >>> result.status.value, len(result.assignments)
    ('optimal', 10)

The package is layered, each layer importing only those below it (a test holds it so):
`core` (the domain, scoring, results), `workbook` (reading, validating and writing
workbooks) and `solve` (the model and its solvers), then `analyses` (scenarios, insights,
frontier, menus, batches of organisations), `reports` (HTML and Excel), `api` and `cli`.
"""

from planner.api import (
    batch,
    check_org,
    compare,
    explain,
    frontier,
    generate_workbook,
    insights,
    load_plan,
    menus,
    plan,
    plan_workbook,
    read_org,
    report_plan_json,
    validate,
    write_template,
)
from planner.core.version import __version__

__all__ = [
    "__version__",
    "batch",
    "check_org",
    "compare",
    "explain",
    "frontier",
    "generate_workbook",
    "insights",
    "load_plan",
    "menus",
    "plan",
    "plan_workbook",
    "read_org",
    "report_plan_json",
    "validate",
    "write_template",
]
