"""Debian's Chromium for the browser tests (never a downloaded browser), and what they do
when it or the files they load are missing: skip on a developer's machine, fail in CI
(WAQAI_REQUIRE_BROWSER=1)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
    reason = f"browser test needs {', '.join(missing)}: `apt-get install chromium`, {install}"
    if os.environ.get("WAQAI_REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)
