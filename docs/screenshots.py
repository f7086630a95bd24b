"""Take the README's dashboard screenshots from a running Waqai with the demo data.

    make run                                   # in one terminal
    .venv/bin/python docs/screenshots.py       # in another; writes docs/screenshots/*.png

Uses Debian's Chromium (`apt-get install chromium fonts-noto-core`), never a downloaded browser.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

OUT = Path(__file__).parent / "screenshots"
TRUCE = "babdd9af-18ee-5232-88b0-d900f6535296"  # the demo's truce of 12 January 2020
# name -> (path, whole page?): the tracker's stance ledger sits below the first screen.
SHOTS = {
    "explorer-en": ("/?lang=en", False),
    "explorer-ar": ("/?lang=ar", False),
    "tracker-en": (f"/ceasefires/{TRUCE}?lang=en", True),
}


def shoot(page: Page, base: str, name: str, path: str, full_page: bool) -> None:
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # let the timeline and chart settle
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)
    print(OUT / f"{name}.png")


def main(base: str = "http://127.0.0.1:8000") -> None:
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 1100})
        for name, (path, full_page) in SHOTS.items():
            shoot(page, base, name, path, full_page)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
