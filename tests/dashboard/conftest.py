"""The dashboard in a real browser: Debian's Chromium driven by Playwright, against a real
uvicorn serving the demo data on the database under test.

Every visit fails the test on a page error, a console error, a dialog, a Content-Security-Policy
violation or any request that leaves the machine, and saves a screenshot of what it saw under
var/test-artifacts/dashboard/. The tests skip when Chromium or the built islands are missing,
unless WAQAI_REQUIRE_BROWSER=1 (CI) makes that a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from app.core.auth import Role
from app.core.config import Settings
from app.core.db import Database, create_db_engine
from app.core.migrations import upgrade
from app.dashboard.assets import MANIFEST
from app.dashboard.session import SESSION_COOKIE
from app.demo.load import load
from app.keys import service as keys
from tests.browser import require_browser
from tests.conftest import fresh_database_url
from tests.servers import ROOT, Server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request, Route

ARTIFACTS = ROOT / "var" / "test-artifacts" / "dashboard"
# Installed before any page script runs, outside the page's CSP: every violation is kept.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@dataclass(frozen=True)
class LiveDashboard:
    """A running server with the demo loaded, and keys for signing in."""

    url: str
    editor_key: str
    other_editor_key: str
    database_url: str


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveDashboard]:
    require_browser(MANIFEST, install="`apt-get install chromium`, `make test`")
    scratch = tmp_path_factory.mktemp("dashboard")
    url = fresh_database_url(scratch, "dashboard")
    database = Database(create_db_engine(Settings(database_url=url)))
    upgrade(database.engine)
    with database.session(write=True) as session:
        load(session)
        _, editor = keys.create(session, name="dashboard editor", role=Role.editor)
        _, other = keys.create(session, name="dashboard second editor", role=Role.editor)
    database.refresh_statistics()
    database.dispose()
    settings = Settings(
        database_url=url, secret_key="dashboard-test-secret-0123456789", data_dir=scratch / "data"
    )
    server = Server(settings, scratch / "server.log")
    server.process = server.spawn()
    try:
        server.wait_ready()
        yield LiveDashboard(server.url, editor, other, url)
    finally:
        server.kill()


@dataclass
class Visit:
    """One browser tab on the live dashboard that records everything that went wrong."""

    page: Page
    base_url: str
    problems: list[str] = field(default_factory=list)

    def open(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_clean(self) -> None:
        """No page error, console error, dialog, CSP violation or outside request so far."""
        violations: list[str] = self.page.evaluate("window.__cspViolations || []")
        assert [*self.problems, *(f"CSP: {v}" for v in violations)] == []


@pytest.fixture
def visit(live: LiveDashboard, browser: Browser) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    visit = Visit(page, live.url)
    _watch(visit)
    yield visit
    context.close()


def _watch(visit: Visit) -> None:
    page = visit.page
    page.add_init_script(WATCH_CSP)

    def guard(route: Route, request: Request) -> None:
        if urlsplit(request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            visit.problems.append(f"outside request: {request.url}")
            route.abort()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            visit.problems.append(f"console: {message.text}")

    def on_dialog(dialog: Dialog) -> None:
        visit.problems.append(f"dialog: {dialog.type} {dialog.message}")
        dialog.dismiss()

    page.route("**/*", guard)
    page.on("console", on_console)
    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: visit.problems.append(f"pageerror: {error}"))


def texts(page: Page, selector: str) -> list[Any]:
    """The visible text of every element matching `selector`."""
    return [text.strip() for text in page.locator(selector).all_inner_texts()]


def expect_document_status(visit: Visit, status: str) -> None:
    """Chromium logs a page answered with an error status as a console error: expected once."""
    visit.problems.remove(
        f"console: Failed to load resource: the server responded with a status of {status}"
    )


def api_event(live: LiveDashboard, body: dict[str, Any]) -> dict[str, Any]:
    """An event made through the API (as a draft of the first editor): its JSON."""
    import httpx2 as httpx

    event = {"type": "ceasefire.breach", "when": "2020-01-14", "original_language": "en", **body}
    answer = httpx.post(
        f"{live.url}/v1/events",
        json=event,
        headers={"Authorization": f"Bearer {live.editor_key}"},
    )
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


def as_other_editor(live: LiveDashboard, method: str, path: str) -> Any:
    """A change by the second editor, through the API, of the event or the participant or
    citation at /v1/events/`path`, made against the version it reads first (If-Match)."""
    import httpx2 as httpx

    headers = {"Authorization": f"Bearer {live.other_editor_key}"}
    url = f"{live.url}/v1/events/{path}"
    version = httpx.get(url, headers=headers).headers["etag"]
    return lambda **body: httpx.request(
        method, url, headers={**headers, "If-Match": version}, **body
    )


def as_editor(visit: Visit, live: LiveDashboard) -> None:
    """The tab signed in as the first editor (the session cookie the sign-in form sets)."""
    visit.page.context.add_cookies(
        [{"name": SESSION_COOKIE, "value": live.editor_key, "url": live.url}]
    )


def edit_page(visit: Visit, live: LiveDashboard, event_id: str, lang: str = "en") -> Page:
    """The event's edit form, signed in as the first editor."""
    as_editor(visit, live)
    return visit.open(f"/events/{event_id}/edit?lang={lang}")


def save(page: Page) -> int:
    """Submit the event form; the status the save was answered with."""
    with page.expect_response(
        lambda r: r.url.endswith("/edit") and r.request.method == "POST"
    ) as answer:
        page.click("form.event-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    return int(answer.value.status)


# Untrusted text as an attacker would enter it: markup, script, an event handler, a
# javascript: link and right-to-left override characters.
HOSTILE = (
    "<script>alert('xss')</script><img src=x onerror=alert(1)>"
    ' <a href="javascript:alert(2)">click</a> \u202egnp.exe\u202c'
)


@dataclass(frozen=True)
class HostileRecords:
    """Published records whose every text field is `HOSTILE`, on the live dashboard."""

    event_id: str
    actor_id: str
    location_id: str
    source_id: str


@pytest.fixture(scope="session")
def hostile(live: LiveDashboard) -> HostileRecords:
    import httpx2 as httpx

    with httpx.Client(
        base_url=live.url, headers={"Authorization": f"Bearer {live.editor_key}"}
    ) as api:

        def create(path: str, body: dict[str, Any]) -> str:
            response = api.post(path, json=body)
            assert response.status_code == 201, response.text
            return str(response.json()["id"])

        names = {"en": HOSTILE, "ar": HOSTILE}
        actor = create("/v1/actors", {"names": names, "kind": "armed_group", "country": "LBY"})
        location = create(
            "/v1/locations",
            {"names": names, "kind": "town", "country": "LBY", "latitude": 32.4, "longitude": 13.6},
        )
        outlet = create("/v1/outlets", {"names": names, "kind": "social_media"})
        source = create(
            "/v1/sources",
            {"outlet_id": outlet, "title": HOSTILE, "url": "https://example.org/hostile"},
        )
        event = create(
            "/v1/events",
            {
                "type": "ceasefire.breach",
                "when": "2020-01-14",
                "original_language": "ar",
                "title": names,
                "summary": names,
                "location_id": location,
                "status": "published",
                "participants": [{"actor_id": actor, "role": "accused", "note": HOSTILE}],
                "citations": [
                    {
                        "source_id": source,
                        "claimant_actor_id": actor,
                        "quote": HOSTILE,
                        "quote_language": "ar",
                        "translations": {"en": HOSTILE},
                        "note": HOSTILE,
                    }
                ],
            },
        )
    return HostileRecords(event, actor, location, source)


def assert_no_injection(page: Page) -> None:
    """The hostile text reached the page as text: no element, handler or link came of it."""
    injected = page.evaluate(
        """() => ({
          scripts: [...document.scripts]
            .filter((s) => !s.src && s.type !== "application/json").length,
          images: document.querySelectorAll("img[src='x'], img[onerror]").length,
          handlers: document.querySelectorAll("[onerror], [onclick], [onload]").length,
          links: document.querySelectorAll("a[href^='javascript:' i]").length,
        })"""
    )
    assert injected == {"scripts": 0, "images": 0, "handlers": 0, "links": 0}
