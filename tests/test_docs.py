"""The docs a user reads: a README that stays a guide, links that lead somewhere."""

from __future__ import annotations

import re

from tests.helpers.paths import ROOT

README = ROOT / "README.md"
GUIDE_MOST_CHARACTERS = 16_000  # beyond this the README turns into a log of internals


def test_the_readme_is_a_guide_of_bounded_length_that_opens_with_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert len(text) < GUIDE_MOST_CHARACTERS
    commands = re.findall(r"```sh\n(.+?)\n```", text)[:2]
    assert commands == ["python -m pip install . && planner plan sample_orgs/regional_service.xlsx"
                        " -o out/", "python -m pip install '.[test]' && python -m pytest"]


def test_every_relative_link_in_the_docs_leads_to_a_file():
    pages = [README, *sorted((ROOT / "docs").glob("*.md")), ROOT / "bench" / "README.md"]
    broken = [f"{page.name}: {target}" for page in pages
              for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text("utf-8"))
              if not (page.parent / target).exists()]
    assert broken == []
