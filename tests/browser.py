"""Debian's Chromium for the browser tests (never a downloaded browser), and what they do
when it or the files they load are missing: skip on a developer's machine, fail in CI
(WAQAI_REQUIRE_BROWSER=1). A plugin of the suite (tests/conftest.py), so every test can ask
for the one `browser`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_browser(*files: Path, install: str) -> None:
    """Chromium and `files` must exist; `install` says how to get them."""
    missing = [str(path) for path in (CHROMIUM, *files) if not path.exists()]
    if not missing:
        return
    reason = f"browser test needs {', '.join(missing)}: {install}"
    if os.environ.get("WAQAI_REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the whole run: Playwright's sync API drives one browser per thread,
    so a second `sync_playwright()` while the first runs fails."""
    require_browser(install="`apt-get install chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
