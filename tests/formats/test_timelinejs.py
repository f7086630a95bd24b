"""TimelineJS3 export: its structure, and the real TimelineJS3 library rendering it in Chromium.

The browser tests load TimelineJS from `web/node_modules` (installed by `npm ci --prefix web`)
through a local HTTP server and fail on any request that leaves the machine. They skip when
Chromium or the package is missing, unless WAQAI_REQUIRE_BROWSER=1 (CI) makes that a failure.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import orjson
import pytest

from app.formats import timelinejs
from tests.browser import require_browser
from tests.formats.exported import (
    BREACH,
    BREACH_TITLE,
    MOSCOW_TALKS,
    PRESSURE_CLAIM,
    TRUCE,
    TRUCE_DECLARED,
    demo_events,
    rendered,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "web/node_modules/@knight-lab/timelinejs/dist"
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>TimelineJS export</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/css/timeline.css">
<script src="/js/timeline.js"></script></head>
<body style="margin:0"><div id="timeline" style="width:1200px;height:700px"></div>
<script>
  window.tlReady = false;
  fetch("/data.json").then((response) => response.json()).then((data) => {
    // Everything from this server: script_path for locales, no web font (the default is a CDN).
    window.timeline = new TL.Timeline("timeline", data, {
      script_path: location.origin + "/js/", font: null, language: "%(lang)s",
      hash_bookmark: false, ga_measurement_id: null,
    });
    window.timeline.on("ready", () => { window.tlReady = true; });
  });
</script></body></html>
"""

# The slide with this id sits in the story area (slides off screen are still in the DOM).
IN_VIEW = """(id) => {
  const slide = document.getElementById(id);
  const left = slide ? slide.getBoundingClientRect().left : -1;
  return left >= 0 && left < 100;
}"""


def document(**context_args: Any) -> Any:
    return orjson.loads(rendered(timelinejs.render, **context_args))


def slides(**context_args: Any) -> dict[str, Any]:
    return {slide["unique_id"]: slide for slide in document(**context_args)["events"]}


class TestStructure:
    def test_keys_in_streaming_order(self) -> None:
        raw = rendered(timelinejs.render)
        assert list(orjson.loads(raw)) == ["title", "events", "eras", "scale"]
        assert raw.index(b'"events"') < raw.index(b'"eras"')

    def test_one_slide_per_event(self) -> None:
        assert list(slides()) == [str(event["id"]) for event in demo_events()]

    def test_day_range_has_start_and_end_days_and_words(self) -> None:
        breach = slides(lang="en")[str(BREACH)]
        assert breach["start_date"] == {"year": 2020, "month": 1, "day": 12}
        assert breach["end_date"] == {"year": 2020, "month": 1, "day": 14}
        assert breach["display_date"] == "Between 12 and 14 January 2020 (exact day unknown)"
        assert breach["text"]["headline"] == BREACH_TITLE["en"]

    def test_month_precision_has_no_day(self) -> None:
        claim = slides()[str(PRESSURE_CLAIM)]
        assert claim["start_date"] == {"year": 2020, "month": 1}
        assert "end_date" not in claim

    def test_single_day_and_open_end_have_start_only(self) -> None:
        talks, truce = slides()[str(MOSCOW_TALKS)], slides()[str(TRUCE_DECLARED)]
        assert talks["start_date"] == {"year": 2020, "month": 1, "day": 13}
        assert truce["start_date"] == {"year": 2020, "month": 1, "day": 12}
        assert "end_date" not in talks
        assert "end_date" not in truce

    def test_text_follows_the_language(self) -> None:
        breach = slides(lang="ar")[str(BREACH)]
        assert breach["text"]["headline"] == BREACH_TITLE["ar"]
        assert breach["display_date"] == "بين 12 و14 يناير 2020 (اليوم غير معروف بالتحديد)"
        assert breach["text"]["text"].startswith('<div dir="rtl">')

    def test_html_is_escaped(self) -> None:
        headlines = [slide["text"]["headline"] for slide in slides(lang="en").values()]
        assert any("&lt;unconfirmed&gt;" in headline for headline in headlines)
        assert not any("<unconfirmed>" in headline for headline in headlines)

    @pytest.mark.parametrize(
        ("group_by", "label"),
        [
            ("type", "A truce is violated (alleged or confirmed)"),
            ("actor", "9th Brigade (al-Kaniyat)"),
            ("location", "Tarhuna"),
            ("process", "Libya truce of 12 January 2020"),
        ],
    )
    def test_groups(self, group_by: str, label: str) -> None:
        assert slides(lang="en", group_by=group_by)[str(BREACH)]["group"] == label

    def test_eras_are_the_processes_phases_with_both_dates(self) -> None:
        (era,) = document(lang="en")["eras"]
        assert era["start_date"] == {"year": 2020, "month": 1, "day": 12}
        # Still running: it is drawn up to the last event shown (TimelineJS needs an end).
        assert era["end_date"] == {"year": 2020, "month": 1, "day": 31}
        assert era["text"]["headline"] == "Libya truce of 12 January 2020 (in effect)"

    def test_no_eras_without_processes(self) -> None:
        events = [event for event in demo_events() if TRUCE not in _process_ids(event)]
        assert orjson.loads(rendered(timelinejs.render, events))["eras"] == []

    def test_empty_export_shows_one_explaining_slide(self) -> None:
        data = orjson.loads(rendered(timelinejs.render, [], lang="en"))
        (slide,) = data["events"]
        assert slide["unique_id"] == timelinejs.EMPTY_ID
        assert slide["text"]["headline"] == "No events match this export"
        assert slide["start_date"] == {"year": 2020, "month": 2, "day": 1}


def _process_ids(event: dict[str, Any]) -> set[Any]:
    return {process["id"] for process in event["processes"]}


class _Handler(SimpleHTTPRequestHandler):
    """Serves TimelineJS's dist folder, plus the test page and the export under test."""

    server: _Server

    def do_GET(self) -> None:
        body = {"/": self.server.page, "/data.json": self.server.data}.get(self.path)
        if body is None:
            super().do_GET()
            return
        self.send_response(200)
        kind = "application/json" if self.path.endswith(".json") else "text/html; charset=utf-8"
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    page = b""
    data = b""


@pytest.fixture
def server() -> Iterator[_Server]:
    require_browser(DIST / "js/timeline.js", install="`npm ci --prefix web`")
    handler = functools.partial(_Handler, directory=str(DIST))
    httpd = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def show(
    browser: Browser,
    server: _Server,
    data: bytes,
    *,
    lang: str,
    screenshot: str,
    go_to: str | None = None,
) -> dict[str, Any]:
    """Load the export in TimelineJS (on slide `go_to`); report errors, outside requests and
    what it shows."""
    from playwright.sync_api import Request, Route

    server.page = (PAGE % {"lang": lang}).encode()
    server.data = data
    errors: list[str] = []
    outside: list[str] = []

    def guard(route: Route, request: Request) -> None:
        if urlsplit(request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    page = browser.new_page(viewport={"width": 1200, "height": 700})
    try:
        page.route("**/*", guard)
        page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
        page.on(
            "response",
            lambda response: (
                errors.append(f"HTTP {response.status}: {response.url}")
                if response.status >= 400
                else None
            ),
        )
        page.on(
            "console",
            lambda message: (
                errors.append(f"console: {message.text}") if message.type == "error" else None
            ),
        )
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        page.wait_for_function("window.tlReady === true", timeout=15_000)
        if go_to:
            page.evaluate("(id) => window.timeline.goToId(id)", go_to)
            page.wait_for_function(IN_VIEW, arg=go_to, timeout=5_000)
        page.wait_for_timeout(1200)  # let the animations settle before the screenshot
        page.screenshot(path=screenshot)
        return {
            "errors": errors,
            "outside": outside,
            "valid": page.evaluate("window.timeline.config.isValid()"),
            "text": page.inner_text("#timeline"),
            "markers": page.locator(".tl-timemarker").count(),
            "eras": page.locator(".tl-timeera").count(),
        }
    finally:
        page.close()


class TestInTimelineJS:
    def test_renders_the_demo_without_errors(self, browser: Browser, server: _Server) -> None:
        shown = show(
            browser,
            server,
            rendered(timelinejs.render, lang="en"),
            lang="en",
            screenshot="/tmp/timelinejs.png",
            go_to=str(BREACH),
        )
        assert shown["errors"] == []
        assert shown["outside"] == []
        assert shown["valid"] is True
        assert BREACH_TITLE["en"] in shown["text"]
        assert shown["markers"] == len(demo_events())
        assert shown["eras"] == 1

    def test_renders_arabic_with_the_local_arabic_locale(
        self, browser: Browser, server: _Server
    ) -> None:
        data = rendered(timelinejs.render, lang="ar", group_by="actor")
        shown = show(
            browser, server, data, lang="ar", screenshot="/tmp/timelinejs-ar.png", go_to=str(BREACH)
        )
        assert shown["errors"] == []
        assert shown["outside"] == []
        assert BREACH_TITLE["ar"] in shown["text"]

    def test_renders_an_empty_export(self, browser: Browser, server: _Server) -> None:
        data = rendered(timelinejs.render, [], lang="en")
        shown = show(browser, server, data, lang="en", screenshot="/tmp/timelinejs-empty.png")
        assert shown["errors"] == []
        assert shown["outside"] == []
        assert shown["valid"] is True
        assert "No events match this export" in shown["text"]
