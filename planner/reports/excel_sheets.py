"""The sheets of the Excel plan, one function each, rendering a Plan (already the view for
its audience) into one table per sheet. Counts of people go through `Rendering.count`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from functools import cached_property

from openpyxl.worksheet.worksheet import Worksheet

from planner.core.audience import Audience, people_count, privacy_k
from planner.core.kpis import KPIS, Kpi
from planner.core.results import Assignment, Kpis, Plan, RoleMixCell
from planner.core.scoring import AUTONOMY_COMPONENTS, FIT_COMPONENTS
from planner.reports.excel_table import (
    FTE,
    GENERAL,
    NUMBER_FORMATS,
    PERCENT,
    POINTS,
    WHOLE,
    CellValue,
    ReportColumn,
    TableArea,
    colour_scale,
    write_table,
    write_titles,
    yes_no,
)

TIERS = (("low", "1-2"), ("middle", "3"), ("high", "4-5"))


@dataclass(frozen=True)
class Rendering:
    """What every sheet needs: the plan as its audience may see it, and the audience."""

    plan: Plan
    audience: Audience

    @property
    def hr(self) -> bool:
        return self.audience is Audience.HR

    def count(self, n: int) -> CellValue:
        """A count of people, suppressed below k for directors."""
        return people_count(n, privacy_k(self.plan), self.audience)

    @cached_property
    def service_names(self) -> dict[str, str]:
        return {s.service_id: s.name for s in self.plan.services}

    @cached_property
    def roles(self) -> dict[str, tuple[str, int, str]]:
        """role_id -> (title, saliency, tier)."""
        return {r.role_id: (r.title, r.saliency, r.tier) for r in self.plan.roles}

    @cached_property
    def names(self) -> dict[str, str]:
        return {p.psw_id: p.name for p in self.plan.people}


def summary_sheet(ws: Worksheet, r: Rendering) -> TableArea:
    write_titles(ws, "Summary: key performance indicators",
                 "One indicator a row; shares are percentages, cost and budget are annual.")
    columns = (ReportColumn("Indicator", 26), ReportColumn("Value", 16),
               ReportColumn("Meaning", 70, wrap=True))
    rows, formats = kpi_rows(r.plan.kpis, r)
    area = write_table(ws, "Summary", columns, rows)
    for offset, number_format in enumerate(formats):
        ws.cell(row=area.first_row + offset, column=2).number_format = number_format
    return area


def kpi_rows(kpis: Kpis | None, r: Rendering) -> tuple[list[list[CellValue]], list[str]]:
    """The KPI rows and the number format of each value."""
    if kpis is None:
        return [], []
    rows, formats = [], []
    for field in fields(Kpis):
        spec = KPIS.get(field.name, Kpi(field.name.replace("_", " ").capitalize(), "", ""))
        value = getattr(kpis, field.name)
        rows.append([spec.label, r.count(value) if spec.people else value, spec.meaning])
        formats.append(NUMBER_FORMATS.get(spec.unit, GENERAL))
    if kpis.budget:
        rows.append(["Budget used", round(kpis.cost / kpis.budget, 4),
                     "Cost as a share of the budget"])
        formats.append(PERCENT)
    return rows, formats


ROLE_MIX_COLUMNS = (
    ReportColumn("Service", 12), ReportColumn("Service name", 30), ReportColumn("Role", 14),
    ReportColumn("Role title", 30), ReportColumn("Saliency", 10, WHOLE),
    ReportColumn("Saliency tier", 13), ReportColumn("Filled positions", 11, WHOLE),
    ReportColumn("Vacant positions", 11, WHOLE), ReportColumn("Filled FTE", 10, FTE),
    ReportColumn("Vacant FTE", 10, FTE), ReportColumn("Total FTE", 10, FTE),
)


def role_mix_sheet(ws: Worksheet, r: Rendering) -> TableArea:
    write_titles(ws, "Role mix: positions per service and role",
                 "Filled = people on the staff placed; vacant = positions to recruit for. "
                 "The totals row is of the whole table, not of a filtered view.")
    rows = [_role_mix_row(cell, r) for cell in r.plan.role_mix]
    cells = r.plan.role_mix
    filled_fte = round(sum(c.filled_fte for c in cells), 2)
    vacant_fte = round(sum(c.vacant_fte for c in cells), 2)
    totals = ["Total", None, None, None, None, None,
              r.count(sum(c.filled_positions for c in cells)),
              sum(c.vacant_positions for c in cells), filled_fte, vacant_fte,
              round(filled_fte + vacant_fte, 2)]
    return write_table(ws, "RoleMix", ROLE_MIX_COLUMNS, rows, totals=totals)


def _role_mix_row(cell: RoleMixCell, r: Rendering) -> list[CellValue]:
    title, saliency, tier = r.roles.get(cell.role_id, ("", None, ""))
    return [cell.service_id, r.service_names.get(cell.service_id, ""), cell.role_id, title,
            saliency, tier, r.count(cell.filled_positions), cell.vacant_positions,
            cell.filled_fte, cell.vacant_fte, round(cell.filled_fte + cell.vacant_fte, 2)]


def tiers_sheet(ws: Worksheet, r: Rendering) -> TableArea:
    write_titles(ws, "Saliency tiers: the role mix by disclosure saliency",
                 "Low (1-2), middle (3) and high (4-5) saliency: how central self-disclosure "
                 "is to the role. A real menu offers all three.")
    columns = (ReportColumn("Saliency tier", 13), ReportColumn("Saliency levels", 10),
               ReportColumn("Roles", 40, wrap=True), ReportColumn("Filled positions", 11, WHOLE),
               ReportColumn("Vacant positions", 11, WHOLE), ReportColumn("Filled FTE", 10, FTE),
               ReportColumn("Vacant FTE", 10, FTE))
    by_tier: dict[str, list[RoleMixCell]] = defaultdict(list)
    for cell in r.plan.role_mix:
        by_tier[r.roles.get(cell.role_id, ("", 0, "unknown"))[2]].append(cell)
    rows = [[tier, levels, ", ".join(sorted({c.role_id for c in by_tier[tier]})),
             r.count(sum(c.filled_positions for c in by_tier[tier])),
             sum(c.vacant_positions for c in by_tier[tier]),
             round(sum(c.filled_fte for c in by_tier[tier]), 2),
             round(sum(c.vacant_fte for c in by_tier[tier]), 2)]
            for tier, levels in TIERS]
    return write_table(ws, "SaliencyTiers", columns, rows)


def component_label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def placements_sheet(ws: Worksheet, r: Rendering) -> TableArea:
    """HR only (report_excel.SHEETS): one row a person, with every score component."""
    write_titles(ws, "Placements: who takes which position",
                 "One placement a row, with every fit and autonomy component in points.")
    columns = _placement_columns(r)
    rows = [_placement_row(a, r) for a in r.plan.assignments]
    area = write_table(ws, "Placements", columns, rows)
    if r.plan.assignments:
        colour_scale(area, "Fit")
        colour_scale(area, "Autonomy")
    return area


def _components(r: Rendering) -> list[str]:
    known = [*FIT_COMPONENTS, *AUTONOMY_COMPONENTS]
    extra = sorted({c for a in r.plan.assignments for c in a.components} - set(known))
    return known + extra


def _placement_columns(r: Rendering) -> tuple[ReportColumn, ...]:
    person = [ReportColumn("Person", 14), ReportColumn("Name", 24)]
    position = [ReportColumn("Role", 14), ReportColumn("Role title", 28),
                ReportColumn("Service", 12), ReportColumn("Service name", 30),
                ReportColumn("FTE", 8, FTE), ReportColumn("Fit", 8, POINTS),
                ReportColumn("Autonomy", 10, POINTS)]
    detail = [ReportColumn("Score", 9, POINTS)]
    detail += [ReportColumn(component_label(c), 12, POINTS) for c in _components(r)]
    detail += [ReportColumn("Stretch", 9), ReportColumn("Preference rank", 11, WHOLE),
               ReportColumn("Keeps current", 10), ReportColumn("Locked", 8),
               ReportColumn("Warnings", 40, wrap=True)]
    return tuple(person + position + detail)


def _placement_row(a: Assignment, r: Rendering) -> list[CellValue]:
    title = r.roles.get(a.role_id, ("",))[0]
    row: list[CellValue] = [a.psw_id, r.names.get(a.psw_id, "")]
    row += [a.role_id, title, a.service_id, r.service_names.get(a.service_id, ""),
            a.fte, a.fit, a.autonomy]
    row += [a.score] + [a.components.get(c) for c in _components(r)]
    row += [yes_no(a.stretch), a.preference_rank, yes_no(a.stays), yes_no(a.locked),
            "\n".join(a.warnings) or None]
    return row
