"""The input schema: its sheets' columns are the domain's fields."""

from __future__ import annotations

from dataclasses import fields

from planner.core.domain import PSW, Role, Service
from planner.workbook.schema import PSWS, ROLES, SERVICES


def test_schema_columns_are_the_domain_fields() -> None:
    for sheet, cls in ((SERVICES, Service), (ROLES, Role), (PSWS, PSW)):
        assert set(sheet.column_names) == {f.name for f in fields(cls)}
