"""Pages filtered like the API: the explorer and the map read the API's event filters from
their own query string, so a view's URL can be shared and its data fetched from `/v1` as is.

A filter the API would refuse (`?from=yesterday`, `?type=nonsense`) does not break the page:
it is rendered with the API's own problem detail shown inline, and no data.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.core.errors import ValidationFailed
from app.core.handlers import validation_error
from app.core.pagination import MAX_LIMIT
from app.dashboard.filter_form import filter_form
from app.dashboard.pages import Page, page
from app.formats.registry import EXPORTS

# Query parameters that choose how a page shows the events, not which events: the API is
# asked for them separately (lanes, buckets) or not at all (the page's language).
VIEW_PARAMS = frozenset({"lang", "group_by", "bucket"})
# The public API's limit of items per page: the timeline and the list show one such page.
SHOWN_EVENTS = MAX_LIMIT


def filter_query(request: Request) -> str:
    """The page's event filters as a query string the API reads as is (empty values and
    view parameters left out)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in VIEW_PARAMS and v]
    return urlencode(kept)


def export_links(query: str, lang: str) -> list[tuple[str, str]]:
    """(format, URL) of every export format the API offers, for the same events."""
    return [
        (name, "/v1/timeline?" + "&".join(p for p in (query, f"format={name}&lang={lang}") if p))
        for name in EXPORTS
    ]


def refusal_of(error: RequestValidationError | ValidationFailed) -> str:
    """Why the API would refuse the page's filters: the detail of the problem it answers for
    the same query."""
    if isinstance(error, RequestValidationError):
        return validation_error(error).detail
    return error.detail


def render_filtered(page: Page, session: Session, template: str, **context: Any) -> HTMLResponse:
    """A filtered page: its filter form, its filters as an API query and its export links."""
    query = filter_query(page.request)
    return page.render(
        template,
        form=filter_form(session, page.request, page.t),
        query=query,
        exports=export_links(query, page.t.lang),
        shown=SHOWN_EVENTS,
        **context,
    )


def _render_refused(
    page: Page, template: str, refusal: str, context: dict[str, Any]
) -> HTMLResponse:
    with page.request.app.state.db.session(write=False) as session:
        return render_filtered(page, session, template, refusal=refusal, **context)


def refusing_route(template: str, **context: Any) -> type[APIRoute]:
    """A route class for pages filtered like the API: a refused filter renders `template`
    with the refusal (and `context`, what the page's form needs besides), never an error page.
    Empty values (what a form sends for a field left blank) count as absent."""

    class FilteredPageRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handle = super().get_route_handler()

            async def handle_or_refuse(request: Request) -> Response:
                request = _without_empty_values(request)
                try:
                    return await handle(request)
                except (RequestValidationError, ValidationFailed) as error:
                    refusal = refusal_of(error)
                    # Rendering reads the database (the form's choices): not on the event loop.
                    return await run_in_threadpool(
                        _render_refused, page(request), template, refusal, context
                    )

            return handle_or_refuse

    return FilteredPageRoute


def _without_empty_values(request: Request) -> Request:
    kept = [(k, v) for k, v in request.query_params.multi_items() if v]
    scope = {**request.scope, "query_string": urlencode(kept).encode()}
    return Request(scope, request.receive)
