"""Signing in with an API key (`/sign-in`) and out (`/sign-out`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.core.auth import authenticate
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import Unauthorized
from app.dashboard.pages import Page, PageDep
from app.dashboard.session import (
    PostedFormDep,
    ViewerDep,
    csrf_token,
    keep_form_session,
    new_form_session,
    sign_in,
    sign_out,
)

router = APIRouter()


def local_path(target: str | None) -> str:
    """Where to go after signing in: a path on this site, never another site ('//host')."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def refused(page: Page) -> HTMLResponse:
    """403: a form posted without this session's CSRF token."""
    return page.render("refused.html", status_code=403)


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(
    request: Request, page: PageDep, viewer: ViewerDep, settings: SettingsDep
) -> Response:
    """The sign-in form: an editor pastes an API key."""
    fresh = new_form_session(request)
    token = csrf_token(settings.secret_key, fresh) if fresh else viewer.csrf_token
    response = page.render(
        "sign_in.html", csrf=token, next=local_path(request.query_params.get("next"))
    )
    if fresh:
        keep_form_session(request, response, fresh)
    return response


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in_with_key(
    request: Request, page: PageDep, form: PostedFormDep, session: SessionDep, viewer: ViewerDep
) -> Response:
    """Check the key; keep it in the session cookie, or show the form again saying why not."""
    if not form.trusted:
        return refused(page)
    target = local_path(form.text("next"))
    try:
        authenticate(session, f"Bearer {form.text('key')}")
    except Unauthorized as error:
        problem = page.t(_why(error.detail) if form.text("key") else "signin.no_key")
        return page.render("sign_in.html", csrf=viewer.csrf_token, next=target, problem=problem)
    response = RedirectResponse(target, status_code=303)
    sign_in(request, response, form.text("key"))
    return response


def _why(detail: str) -> str:
    """The label saying why a key was refused, in the page's language."""
    for reason in ("revoked", "expired"):
        if reason in detail:
            return f"signin.{reason}"
    return "signin.invalid"


@router.post("/sign-out")
def sign_out_now(page: PageDep, form: PostedFormDep) -> Response:
    """Forget the key: the session cookie is cleared."""
    if not form.trusted:
        return refused(page)
    response = RedirectResponse("/", status_code=303)
    sign_out(response)
    return response
