"""Rendering a dashboard page: its language, its islands and its Content-Security-Policy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.dashboard.assets import island
from app.dashboard.i18n import LANGUAGE_COOKIE, Translator, request_language
from app.dashboard.session import account
from app.dashboard.words import GLOBALS as WORDS

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.globals["island"] = island
TEMPLATES.env.globals["account"] = account
TEMPLATES.env.globals.update(WORDS)

# Event text is untrusted input: pages run only the islands' own files (no inline script, no
# eval), load nothing from elsewhere, and post forms only back to Waqai.
DASHBOARD_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # vis-timeline and Leaflet position their elements with style attributes. An attribute
        # cannot run code or hold selectors; <style> elements stay forbidden.
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
ONE_YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class Page:
    """One request for a page, in the language it asked for."""

    request: Request
    t: Translator

    def render(self, template: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
        response = TEMPLATES.TemplateResponse(
            self.request, template, {"t": self.t, **context}, status_code=status_code
        )
        response.headers["Content-Security-Policy"] = DASHBOARD_CSP
        response.headers["Vary"] = "Cookie"
        if self.request.query_params.get("lang") == self.t.lang:
            response.set_cookie(
                LANGUAGE_COOKIE, self.t.lang, max_age=ONE_YEAR, httponly=True, samesite="lax"
            )
        return response


def page(request: Request) -> Page:
    return Page(request=request, t=Translator(request_language(request)))


PageDep = Annotated[Page, Depends(page)]
