"""Plain language: a glossary in the report and the workbook, a meaning under each key
figure, saliency defined before it is used, money in the organisation's currency, and a
director's view that never leaves 'objective' or 'FTE-points' unexplained."""

from __future__ import annotations

import re
from dataclasses import fields, replace
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup

from planner.core.audience import Audience
from planner.core.formatting import in_currency, money, role_label, signed
from planner.core.glossary import GLOSSARY, STATUS_MEANINGS
from planner.core.kpis import KPIS
from planner.core.results import Kpis, Plan, Status
from planner.reports.excel import write_excel_report
from planner.reports.html import render_html
from planner.solve.planning import plan
from planner.workbook.read import read_org
from tests.helpers.report_plans import REGIONAL, private_plan, regional_plan

# The terms the issue asks the glossary to define, by their anchors.
AMOUNT = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d.,])")  # 28,824; not 1.5 or 85%
REQUIRED_TERMS = ("fit", "autonomy", "saliency", "readiness", "climate", "stretch", "fte",
                  "saliency-tiers", "coverage", "gap", "status")


def soup_of(plan: Plan, audience: Audience = Audience.HR) -> BeautifulSoup:
    return BeautifulSoup(render_html(plan, audience), "html.parser")


def priced(plan: Plan, currency: str) -> Plan:
    return replace(plan, policy={**plan.policy, "currency": currency})


@pytest.fixture(scope="module")
def director() -> BeautifulSoup:
    return soup_of(regional_plan(), Audience.DIRECTOR)


# --- the glossary -----------------------------------------------------------------------


def test_the_glossary_defines_every_term_the_reports_use_once():
    keys = [t.key for t in GLOSSARY]
    assert len(keys) == len(set(keys))
    assert set(REQUIRED_TERMS) <= set(keys)
    assert all(t.meaning.endswith(".") and len(t.meaning) > 40 for t in GLOSSARY)
    assert set(STATUS_MEANINGS) == {s.value for s in Status}


@pytest.mark.parametrize("audience", list(Audience))
def test_the_report_has_a_glossary_linked_from_its_contents(audience):
    soup = soup_of(regional_plan(), audience)
    assert soup.select_one('nav.toc a[href="#glossary"]')
    section = soup.select_one("section#glossary")
    entries = {dt["id"]: dt.find_next_sibling("dd").get_text() for dt in section.select("dt")}
    assert entries == {f"term-{t.key}": t.meaning for t in GLOSSARY}
    for link in soup.select('a[href^="#term-"]'):  # every link to a term finds it
        assert soup.find(id=link["href"][1:]), link["href"]


def test_the_workbook_has_the_same_glossary(tmp_path: Path):
    for audience in Audience:
        book = openpyxl.load_workbook(
            write_excel_report(regional_plan(), tmp_path / f"{audience}.xlsx", audience))
        ws = book["Glossary"]
        rows = [row for row in ws.iter_rows(min_row=4, values_only=True)]
        assert rows == [(t.term, t.meaning) for t in GLOSSARY]
        contents = [c.value for c in book["Contents"]["A"]]
        assert "Glossary" in contents


# --- key figures and their meaning ------------------------------------------------------


def test_every_key_figure_has_a_plain_meaning():
    assert {f.name for f in fields(Kpis)} <= set(KPIS)
    assert all(k.meaning and not k.meaning.endswith(".") for k in KPIS.values())


def test_each_kpi_tile_says_what_it_means(director):
    tiles = director.select("#kpis li.kpi")
    assert len(tiles) >= 14
    for tile in tiles:
        meaning = tile.select_one(".meaning")
        assert meaning is not None, tile["data-kpi"]
        assert meaning.get_text() == KPIS[tile["data-kpi"]].meaning + "."


def test_the_tier_tile_reads_as_tiers_of_three_and_levels_of_five(director):
    kpis = regional_plan().kpis
    tile = director.select_one('li[data-kpi="saliency_tiers_offered"]')
    assert tile.select_one(".value").get_text() == f"{kpis.saliency_tiers_offered} of 3"
    assert tile.select_one(".sub").get_text() == (
        f"roles at {kpis.saliency_levels_offered} of the 5 saliency levels")


def test_the_kpi_meanings_say_what_the_plan_computes():
    """Spot checks against the plan's own numbers (solve/outcome.py)."""
    plan = regional_plan()
    k = plan.kpis
    assert k.coverage == pytest.approx(k.filled_fte / k.demand_fte, abs=1e-4)
    assert "current staff fill" in KPIS["coverage"].meaning
    assert k.planned_coverage == pytest.approx((k.filled_fte + k.vacant_fte) / k.demand_fte,
                                               abs=1e-4)
    assert "to recruit" in KPIS["planned_coverage"].meaning
    per_placement = sum(a.fit for a in plan.assignments) / len(plan.assignments)
    assert k.mean_fit == pytest.approx(per_placement, abs=0.01)
    assert "per placement" in KPIS["mean_fit"].meaning
    assert "not people" in KPIS["vacancies"].meaning


# --- saliency before it is used ---------------------------------------------------------


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("which", [regional_plan, private_plan])
def test_saliency_is_defined_before_it_is_first_used(which, audience):
    soup = soup_of(which(), audience)
    key = soup.select_one("#reading-key")
    assert key is not None
    marker = "\u2063"  # the word's first use, wherever it is, against the key's place
    key.insert(0, marker)
    body = soup.body.get_text()
    assert body.index(marker) < body.lower().index("saliency")
    text = " ".join(key.get_text().split())
    assert text.index("Saliency: how central sharing one's own lived experience") < 30
    summary = soup.select_one("#summary")
    assert summary.select_one("aside#reading-key") and summary.select_one("p.lead")


def test_the_header_says_what_the_status_means(director):
    header = director.select_one("header.masthead").get_text(" ")
    assert "optimal : the best plan under these rules and weights" in " ".join(header.split())
    assert director.select_one('header.masthead a[href="#term-status"]')


# --- money in the organisation's currency -----------------------------------------------


def test_money_formats_with_a_code_or_a_sign():
    assert money(1806807.1) == "1,806,807"
    assert money(1806807.1, "GBP") == "GBP 1,806,807"
    assert money(-5000, "£") == "-£5,000"
    with in_currency("€"):
        assert money(12) == "€12" and signed(-361600, "money") == "−€361,600"
    assert money(12) == "12"  # the currency is set only inside the block


@pytest.mark.parametrize(("currency", "shown"), [("GBP", "GBP "), ("£", "£")])
def test_every_amount_in_the_report_carries_the_currency(currency, shown):
    plan = priced(regional_plan(), currency)
    soup = soup_of(plan, Audience.DIRECTOR)
    k = plan.kpis
    tile = soup.select_one('li[data-kpi="cost"]')
    assert tile.select_one(".value").get_text() == f"{shown}{k.cost:,.0f}"
    assert f"of budget {shown}{k.budget:,.0f}" in tile.select_one(".sub").get_text()
    costs = [tr.select("td")[4].get_text() for tr in soup.select("#recruitment-table tbody tr")]
    assert costs and all(c.startswith(shown) for c in costs)
    assert soup.select_one("#recruitment-table tfoot").get_text().count(shown) == 1
    summary = [p.get_text() for p in soup.select("#summary p")]
    assert f"The plan costs {shown}{k.cost:,.0f} a year" in " ".join(summary)
    for sentence in summary:
        if any(s.shortfall and s.shortfall in sentence for s in plan.services):
            continue  # written at solve time (solve/explain.py): see the test below
        for amount in AMOUNT.findall(sentence):  # amounts in thousands are money here
            assert f"{shown}{amount}" in sentence, (amount, sentence)


def test_the_shortfall_sentences_carry_the_currency_too():
    org = read_org(REGIONAL)
    planned = plan(replace(org, policy=replace(org.policy, currency="GBP")))
    texts = [s.shortfall for s in planned.services if AMOUNT.search(s.shortfall)]
    assert texts and all("GBP " in text for text in texts)


def test_no_currency_leaves_plain_numbers():
    soup = soup_of(regional_plan())
    cost = soup.select_one('li[data-kpi="cost"] .value').get_text()
    assert re.fullmatch(r"[\d,]+", cost)


def test_money_cells_of_the_workbook_carry_the_currency(tmp_path: Path):
    plan = priced(regional_plan(), "GBP")
    book = openpyxl.load_workbook(write_excel_report(plan, tmp_path / "plan.xlsx"))
    summary = book["Summary"]
    formats = {summary.cell(row=r, column=1).value: summary.cell(row=r, column=2).number_format
               for r in range(4, summary.max_row + 1)}
    assert formats["Cost"] == formats["Budget"] == '"GBP "#,##0'
    recruitment = book["Recruitment"]
    column = [c.value for c in recruitment[3]].index("Cost") + 1
    cells = [recruitment.cell(row=r, column=column) for r in range(4, recruitment.max_row + 1)]
    assert cells and all(c.number_format == '"GBP "#,##0' for c in cells)
    contents = {r[0]: r[1] for r in book["Contents"].iter_rows(min_row=3, max_row=20,
                                                                   values_only=True)}
    assert contents["Currency"] == "GBP"


# --- jargon a director meets is explained ------------------------------------------------


def test_objective_and_friends_are_explained_where_a_director_meets_them(director):
    glossary = director.select_one("#glossary")
    for key in ("objective", "bound", "gap", "status", "fte-points"):
        assert glossary.select_one(f"#term-{key}")
    for fact in ("status", "objective", "bound", "gap"):
        dd = director.select_one(f'#run-facts dd[data-fact="{fact}"]')
        assert dd.find_previous_sibling("dt").select_one(f'a[href="#term-{fact}"]'), fact
    for text in director.find_all(string=re.compile(r"objective|FTE-points", re.I)):
        if text.find_parent(id="glossary") is None:
            parent = text.find_parent(["p", "dt", "li", "caption", "th"])
            assert parent is not None and parent.select('a[href^="#term-"]'), str(text)


def test_weights_say_what_they_do(director):
    rows = director.select("#weights-table tbody tr")
    assert rows
    for row in rows:
        assert len(row.select("td")[2].get_text()) > 20, row.get_text()


# --- names said once ----------------------------------------------------------------------


def test_a_title_that_shows_its_id_is_not_followed_by_it_again():
    assert role_label("Whole-health coach (WHAM)", "WHAM") == "Whole-health coach (WHAM)"
    assert role_label("Peer navigator", "NAVIGATOR") == "Peer navigator (NAVIGATOR)"
    assert role_label("WHAMMY coach", "WHAM") == "WHAMMY coach (WHAM)"
    assert role_label("", "WHAM") == "WHAM"


def test_the_report_names_a_role_once():
    plan = regional_plan()
    wham = next(r for r in plan.roles if r.role_id == "WHAM")
    assert wham.title == "Whole-health coach (WHAM)"
    soup = soup_of(plan)
    cell = soup.select_one('#role-totals tr[data-role="WHAM"] td')
    assert cell.get_text(" ", strip=True) == "Whole-health coach (WHAM)"
    assert "(WHAM) WHAM" not in soup.get_text(" ")
    assert "(WHAM) (WHAM)" not in soup.get_text(" ")
