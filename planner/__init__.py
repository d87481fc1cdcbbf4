"""Plan the peer support workforce of a mental-health organisation.

The library API a consultant can call from a notebook::

    from planner import read_org

    from planner import plan
    org = read_org("sample_orgs/community_agency.xlsx")
    result = plan(org)
"""

from planner.core.version import __version__
