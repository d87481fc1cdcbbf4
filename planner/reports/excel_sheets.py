"""The sheets of the Excel plan, one function each, rendering a Plan (already the view for
its audience) into one table per sheet. Counts of people go through `Rendering.count`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from functools import cached_property

from openpyxl.worksheet.worksheet import Worksheet

from planner.core.audience import Audience, people_count, privacy_k
from planner.core.formatting import money
from planner.core.glossary import GLOSSARY
from planner.core.kpis import KPIS, Kpi
from planner.core.results import Assignment, Kpis, Plan, RoleMixCell
from planner.core.scoring import AUTONOMY_COMPONENTS, FIT_COMPONENTS
from planner.reports.context import target_totals
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
    money_format,
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

    @property
    def k(self) -> int:
        return privacy_k(self.plan)

    @property
    def currency(self) -> str | None:
        """The Policy's currency (None: amounts as plain numbers; an older plan.json)."""
        return self.plan.policy.get("currency")

    def number_format(self, unit: str) -> str:
        """The number format of a value by its unit; money in the plan's currency."""
        if unit == "money":
            return money_format(self.currency)
        return NUMBER_FORMATS.get(unit, GENERAL)

    def suppressed(self, n: int) -> bool:
        """A count of people this audience may not see (for directors 1 to k - 1)."""
        return isinstance(people_count(n, self.k, self.audience), str)

    def count(self, n: int) -> CellValue:
        """A count of people; for directors blank below k, so that the column stays a
        column of numbers (sums, sorting) and the row's privacy column says why."""
        return None if self.suppressed(n) else n

    def fte_of(self, n: int, value: float) -> CellValue:
        """The FTE that n people work: blank whenever their count is, since a small FTE
        beside "fewer than k" would give the count back (0.5 FTE is one person)."""
        return None if self.suppressed(n) else value

    @property
    def privacy_columns(self) -> tuple[ReportColumn, ...]:
        """For directors, a last column saying which rows leave a small group blank."""
        return () if self.hr else (ReportColumn(f"Fewer than {self.k} people", 11),)

    def privacy_cells(self, *counts: int) -> list[CellValue]:
        """The privacy column's cell of a row holding these counts of people."""
        return [] if self.hr else [yes_no(any(self.suppressed(n) for n in counts))]

    def privacy_note(self, note: str) -> str:
        """A sheet's note; for directors, with how small groups are left out."""
        if self.hr:
            return note
        return f"{note} Blank: fewer than {self.k} people (see the last column)."

    @cached_property
    def service_names(self) -> dict[str, str]:
        return {s.service_id: s.name for s in self.plan.services}

    @cached_property
    def roles(self) -> dict[str, tuple[str, int, str]]:
        """role_id -> (title, saliency, tier)."""
        return {r.role_id: (r.title, r.saliency, r.tier) for r in self.plan.roles}

    @cached_property
    def with_post(self) -> set[str]:
        """People with a post today (HR: the plan's people hold it)."""
        return {p.psw_id for p in self.plan.people if p.current_role and p.current_service}

    @cached_property
    def names(self) -> dict[str, str]:
        return {p.psw_id: p.name for p in self.plan.people}


def summary_sheet(ws: Worksheet, r: Rendering) -> TableArea:
    write_titles(ws, "Summary: key performance indicators", r.privacy_note(
        "One indicator a row; shares are percentages, cost and budget are annual. Terms "
        "are explained on the Glossary sheet."))
    columns = (ReportColumn("Indicator", 26), ReportColumn("Value", 16),
               ReportColumn("Meaning", 70, wrap=True), *r.privacy_columns)
    rows, formats = kpi_rows(r.plan.kpis, r)
    if r.plan.kpis is not None:
        rows += region_budget_rows(r.plan, r)
        formats += [PERCENT] * len(r.plan.regions)
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
        people = (value,) if spec.people else ()
        rows.append([spec.label, r.count(value) if spec.people else value, spec.meaning,
                     *r.privacy_cells(*people)])
        formats.append(r.number_format(spec.unit))
    if kpis.budget:
        rows.append(["Budget used", round(kpis.cost / kpis.budget, 4),
                     "Cost as a share of the budget", *r.privacy_cells()])
        formats.append(PERCENT)
    return rows, formats


def region_budget_rows(plan: Plan, r: Rendering) -> list[list[CellValue]]:
    """Per region with a budget of its own, the share of it the plan uses."""
    return [[f"Budget used in {c.region}", round(c.share, 4),
             f"Cost of the positions in {c.region}'s services, {money(c.cost, r.currency)}, "
             f"as a share of its own budget, {money(c.budget, r.currency)} (Regions sheet)",
             *r.privacy_cells()]
            for c in plan.regions]


ROLE_MIX_COLUMNS = (
    ReportColumn("Service", 12), ReportColumn("Service name", 30), ReportColumn("Role", 14),
    ReportColumn("Role title", 30), ReportColumn("Saliency", 10, WHOLE),
    ReportColumn("Saliency tier", 13), ReportColumn("Filled positions", 11, WHOLE),
    ReportColumn("Vacant positions", 11, WHOLE), ReportColumn("Filled FTE", 10, FTE),
    ReportColumn("Vacant FTE", 10, FTE), ReportColumn("Total FTE", 10, FTE),
)


def role_mix_sheet(ws: Worksheet, r: Rendering) -> TableArea:
    write_titles(ws, "Role mix: positions per service and role", r.privacy_note(
        "Filled = people on the staff placed; vacant = positions to recruit for. The totals "
        "row is of the whole table, not of a filtered view; it counts peer supervisors, who "
        "do not count towards a service's demand."))
    rows = [_role_mix_row(cell, r) for cell in r.plan.role_mix]
    cells = r.plan.role_mix
    filled = sum(c.filled_positions for c in cells)
    filled_fte = round(sum(c.filled_fte for c in cells), 2)
    vacant_fte = round(sum(c.vacant_fte for c in cells), 2)
    totals = ["Total", None, None, None, None, None, r.count(filled),
              sum(c.vacant_positions for c in cells), r.fte_of(filled, filled_fte), vacant_fte,
              r.fte_of(filled, round(filled_fte + vacant_fte, 2)), *r.privacy_cells(filled)]
    return write_table(ws, "RoleMix", (*ROLE_MIX_COLUMNS, *r.privacy_columns), rows,
                       totals=totals)


def _role_mix_row(cell: RoleMixCell, r: Rendering) -> list[CellValue]:
    title, saliency, tier = r.roles.get(cell.role_id, ("", None, ""))
    filled = cell.filled_positions
    # the total FTE gives the filled FTE back (the vacant FTE is beside it)
    return [cell.service_id, r.service_names.get(cell.service_id, ""), cell.role_id, title,
            saliency, tier, r.count(filled), cell.vacant_positions,
            r.fte_of(filled, cell.filled_fte), cell.vacant_fte,
            r.fte_of(filled, round(cell.filled_fte + cell.vacant_fte, 2)),
            *r.privacy_cells(filled)]


def tiers_sheet(ws: Worksheet, r: Rendering) -> TableArea:
    write_titles(ws, "Saliency tiers: the role mix by disclosure saliency", r.privacy_note(
        "Low (1-2), middle (3) and high (4-5) saliency: how central self-disclosure is to "
        "the role. A real menu offers all three."))
    columns = (ReportColumn("Saliency tier", 13), ReportColumn("Saliency levels", 10),
               ReportColumn("Roles", 40, wrap=True), ReportColumn("Filled positions", 11, WHOLE),
               ReportColumn("Vacant positions", 11, WHOLE), ReportColumn("Filled FTE", 10, FTE),
               ReportColumn("Vacant FTE", 10, FTE), *r.privacy_columns)
    by_tier: dict[str, list[RoleMixCell]] = defaultdict(list)
    for cell in r.plan.role_mix:
        by_tier[r.roles.get(cell.role_id, ("", 0, "unknown"))[2]].append(cell)
    return write_table(ws, "SaliencyTiers", columns,
                       [_tier_row(tier, levels, by_tier[tier], r) for tier, levels in TIERS])


def _tier_row(tier: str, levels: str, cells: list[RoleMixCell], r: Rendering
              ) -> list[CellValue]:
    filled = sum(c.filled_positions for c in cells)
    return [tier, levels, ", ".join(sorted({c.role_id for c in cells})), r.count(filled),
            sum(c.vacant_positions for c in cells),
            r.fte_of(filled, round(sum(c.filled_fte for c in cells), 2)),
            round(sum(c.vacant_fte for c in cells), 2), *r.privacy_cells(filled)]


def targets_sheet(ws: Worksheet, r: Rendering) -> TableArea:
    write_titles(ws, "Targets: the role mix by whom it discloses to", r.privacy_note(
        "Self-disclosure differs by its target: many PSWs who disclose freely to service "
        "users hold back with clinical staff or leaders. Each role counts under the target "
        "it discloses to mainly (the first of its targets)."))
    columns = (ReportColumn("Discloses mainly to", 18), ReportColumn("Roles", 40, wrap=True),
               ReportColumn("Filled positions", 11, WHOLE),
               ReportColumn("Vacant positions", 11, WHOLE), ReportColumn("Filled FTE", 10, FTE),
               ReportColumn("Vacant FTE", 10, FTE), *r.privacy_columns)
    rows = [[t.words, ", ".join(role.role_id for role in t.roles) or None,
             r.count(t.filled_positions), t.vacant_positions,
             r.fte_of(t.filled_positions, t.filled_fte), t.vacant_fte,
             *r.privacy_cells(t.filled_positions)] for t in target_totals(r.plan)]
    return write_table(ws, "Targets", columns, rows)


def component_label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def placements_sheet(ws: Worksheet, r: Rendering) -> TableArea:
    """HR only (report_excel.SHEETS): one row a person, with every score component."""
    write_titles(ws, "Placements: who takes which position",
                 "One placement a row, with every fit and autonomy component in points.")
    components = _components(r)
    columns = _placement_columns(components)
    rows = [_placement_row(a, r, components) for a in r.plan.assignments]
    area = write_table(ws, "Placements", columns, rows)
    if r.plan.assignments:
        colour_scale(area, "Fit")
        colour_scale(area, "Autonomy")
    return area


def _components(r: Rendering) -> list[str]:
    known = [*FIT_COMPONENTS, *AUTONOMY_COMPONENTS]
    extra = sorted({c for a in r.plan.assignments for c in a.components} - set(known))
    return known + extra


def _placement_columns(components: list[str]) -> tuple[ReportColumn, ...]:
    person = [ReportColumn("Person", 14), ReportColumn("Name", 24)]
    position = [ReportColumn("Role", 14), ReportColumn("Role title", 28),
                ReportColumn("Service", 12), ReportColumn("Service name", 30),
                ReportColumn("FTE", 8, FTE), ReportColumn("Fit", 8, POINTS),
                ReportColumn("Autonomy", 10, POINTS)]
    detail = [ReportColumn("Score", 9, POINTS)]
    detail += [ReportColumn(component_label(c), 12, POINTS) for c in components]
    detail += [ReportColumn("Stretch", 9), ReportColumn("Preference rank", 11, WHOLE),
               ReportColumn("Keeps current", 10), ReportColumn("Locked", 8),
               ReportColumn("Warnings", 40, wrap=True)]
    return tuple(person + position + detail)


def _placement_row(a: Assignment, r: Rendering, components: list[str]) -> list[CellValue]:
    title = r.roles.get(a.role_id, ("",))[0]
    row: list[CellValue] = [a.psw_id, r.names.get(a.psw_id, "")]
    row += [a.role_id, title, a.service_id, r.service_names.get(a.service_id, ""),
            a.fte, a.fit, a.autonomy]
    row += [a.score] + [a.components.get(c) for c in components]
    had_post = a.psw_id in r.with_post
    row += [yes_no(a.stretch), a.preference_rank, yes_no(a.stays) if had_post else None,
            yes_no(a.locked),
            "\n".join(a.warnings) or None]
    return row


def glossary_sheet(ws: Worksheet, r: Rendering) -> TableArea:
    """The terms of the plan in plain words (`core.glossary`, as in the HTML report)."""
    write_titles(ws, "Glossary: the words of this plan",
                 "What each term on these sheets means, in plain words.")
    columns = (ReportColumn("Term", 28), ReportColumn("Meaning", 90, wrap=True))
    return write_table(ws, "Glossary", columns, [[t.term, t.meaning] for t in GLOSSARY])
