"""The portfolio of a batch written: portfolio.json, portfolio.html and portfolio.xlsx
(the workbook in `portfolio_excel`). Rows are already made for their audience
(`analyses.portfolio`): for directors, aggregates with small counts of people as "<k".

    write_portfolio_files(portfolio, Path("out/batch"))
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.analyses.portfolio import FIGURES, Portfolio, portfolio_to_json
from planner.core.atomic import write_text_atomic
from planner.reports.pages import page_basics, write_page
from planner.reports.portfolio_excel import write_portfolio_excel

PORTFOLIO_FILES = ("portfolio.json", "portfolio.xlsx", "portfolio.html")
TEMPLATE = "portfolio.html"
REPORT_FILE = "report.html"  # each plan's report, linked from its row


def write_portfolio_files(portfolio: Portfolio, folder: Path) -> list[Path]:
    """portfolio.json, portfolio.xlsx and portfolio.html in `folder`, each written whole."""
    json_file, xlsx_file, html_file = (folder / name for name in PORTFOLIO_FILES)
    return [write_text_atomic(json_file, portfolio_to_json(portfolio)),
            write_portfolio_excel(portfolio, xlsx_file),
            write_page(TEMPLATE, portfolio_context(portfolio), html_file)]


def portfolio_context(portfolio: Portfolio) -> dict[str, Any]:
    """What portfolio.html needs; the template only lays it out."""
    return {
        **page_basics(""),
        "p": portfolio,
        "audience": portfolio.audience,
        "director": portfolio.audience == "director",
        "k": portfolio.k,
        "summary": list(portfolio.narrative),
        "figures": FIGURES,
        "headers": [("Organisation", ""), ("Scenario", ""), ("Status", ""),
                    *((f.label, "num") for f in FIGURES)],
        "orgs": len({row.org for row in portfolio.rows}),
        "report_file": REPORT_FILE,
    }
