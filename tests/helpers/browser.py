"""Pages in a real browser (Debian's Chromium via Playwright), offline: what the browser
tests share. `skip_without_chromium` skips the calling module only when Chromium or
Playwright is missing and CI is not set; under CI the tests must run."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 900}


def skip_without_chromium() -> None:
    """At a test module's top: skip it where the browser is missing, outside CI."""
    if not os.environ.get("CI"):
        if not CHROMIUM.exists():
            pytest.skip(f"{CHROMIUM} is not installed (set CI=1 to make this a failure)",
                        allow_module_level=True)
        pytest.importorskip("playwright.sync_api")


@contextmanager
def chromium() -> Iterator[Any]:
    """The browser, for a module's tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@contextmanager
def offline_page(browser: Any, page_file: Path) -> Iterator[Any]:
    """`page_file` opened with no request beyond the file; the page records console errors
    and warnings and page errors in `page.problems`, refused requests in `page.outside`."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.problems, page.outside = [], []
    page.on("console", lambda m: page.problems.append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda err: page.problems.append(f"pageerror: {err}"))
    context.route("**/*", lambda route: _file_only(route, page.outside))
    page.goto(page_file.as_uri())
    page.wait_for_load_state("load")
    yield page
    context.close()


def _file_only(route: Any, outside: list[str]) -> None:
    if route.request.url.startswith("file://"):
        route.continue_()
    else:
        outside.append(route.request.url)
        route.abort()


def print_to_pdf(page: Any) -> tuple[bytes, int]:
    """The page printed on A4 (print media, backgrounds): the PDF and its page count.
    Skips where this Chromium cannot print."""
    page.emulate_media(media="print")
    try:
        pdf = page.pdf(format="A4", print_background=True)
    except Exception as err:  # pragma: no cover - only where the browser cannot print
        pytest.skip(f"page.pdf is not supported by this Chromium: {err}")
    return pdf, len(re.findall(rb"/Type\s*/Page[^s]", pdf))
