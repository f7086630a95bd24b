"""Who is looking at a page: anonymous, or an editor signed in with an API key; and the CSRF
token every form of the dashboard carries.

The key is kept in an HttpOnly, SameSite=Strict cookie (Secure over https): scripts cannot read
it and other sites cannot send it. The CSRF token is an HMAC, under the app's secret key, of
what identifies the browser's session: the session cookie once signed in, before that a random
value in a cookie of its own (so even the sign-in form cannot be posted from elsewhere).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from app.core.auth import SESSION_COOKIE, Principal, Role, session_principal
from app.core.deps import SessionDep, SettingsDep

FORM_COOKIE = "waqai_form"
CSRF_FIELD = "csrf_token"


def csrf_token(secret_key: str, basis: str) -> str:
    """The token a form must send back: bound to this browser's session and this server."""
    digest = hmac.new(secret_key.encode(), f"csrf:{basis}".encode(), hashlib.sha256)
    return digest.hexdigest()


def _basis(request: Request) -> str:
    return request.cookies.get(SESSION_COOKIE) or request.cookies.get(FORM_COOKIE) or ""


@dataclass(frozen=True)
class Viewer:
    """The page's reader: the principal its reads and writes run as, and its form token."""

    principal: Principal
    csrf_token: str

    @property
    def signed_in(self) -> bool:
        return self.principal.role is not None

    def may_read(self, *, public_read: bool) -> bool:
        """Whether events are shown to this reader: to anyone with public reading on, else
        only to a signed-in key."""
        return public_read or self.signed_in

    @property
    def may_edit(self) -> bool:
        role = self.principal.role
        return role is not None and role.rank >= Role.editor.rank


def viewer(request: Request, session: SessionDep, settings: SettingsDep) -> Viewer:
    """Who reads this page; kept on the request so the page's header can show it."""
    principal = session_principal(session, request.cookies.get(SESSION_COOKIE))
    seen = Viewer(principal, csrf_token(settings.secret_key, _basis(request)))
    request.state.viewer = seen
    return seen


ViewerDep = Annotated[Viewer, Depends(viewer)]


@dataclass(frozen=True)
class PostedForm:
    """A submitted form and whether it carried this session's CSRF token."""

    fields: FormData
    trusted: bool

    def text(self, name: str) -> str:
        value = self.fields.get(name)
        return value.strip() if isinstance(value, str) else ""

    def texts(self, name: str) -> list[str]:
        return [v.strip() if isinstance(v, str) else "" for v in self.fields.getlist(name)]


async def posted_form(request: Request, settings: SettingsDep) -> PostedForm:
    """The form, checked against the token of the session it was posted in."""
    fields = await request.form()
    sent = fields.get(CSRF_FIELD)
    basis = _basis(request)
    expected = csrf_token(settings.secret_key, basis)
    trusted = bool(basis) and isinstance(sent, str) and hmac.compare_digest(sent, expected)
    return PostedForm(fields, trusted)


PostedFormDep = Annotated[PostedForm, Depends(posted_form)]


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def new_form_session(request: Request) -> str | None:
    """A random value to bind the sign-in form to, for a browser holding no session cookie."""
    if _basis(request):
        return None
    return secrets.token_urlsafe(32)


def keep_form_session(request: Request, response: Response, value: str) -> None:
    response.set_cookie(
        FORM_COOKIE, value, httponly=True, samesite="strict", secure=_secure(request)
    )


def sign_in(request: Request, response: Response, key: str) -> None:
    """Keep the key in the session cookie (it lasts until the browser closes)."""
    response.set_cookie(
        SESSION_COOKIE, key, httponly=True, samesite="strict", secure=_secure(request)
    )
    response.delete_cookie(FORM_COOKIE)


def sign_out(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE)


@dataclass(frozen=True)
class Account:
    """What every page's header shows about the session."""

    signed_in: bool
    name: str | None
    csrf_token: str
    may_edit: bool


def account(request: Request) -> Account:
    """The page's viewer when the page looked it up; otherwise only whether a session cookie
    is there (a page that never reads as its viewer need not look the key up)."""
    seen: Viewer | None = getattr(request.state, "viewer", None)
    if seen is not None:
        return Account(seen.signed_in, seen.principal.name, seen.csrf_token, seen.may_edit)
    secret_key: str = request.app.state.settings.secret_key
    signed_in = bool(request.cookies.get(SESSION_COOKIE))
    return Account(signed_in, None, csrf_token(secret_key, _basis(request)), signed_in)


def to_sign_in(request: Request) -> RedirectResponse:
    """To the sign-in form, which brings the reader back to this page afterwards."""
    return RedirectResponse(f"/sign-in?{urlencode({'next': request.url.path})}", status_code=303)


def sign_in_first(request: Request, seen: Viewer, *, public_read: bool) -> Response | None:
    """With public reading off, an anonymous reader is sent to sign in, then brought back."""
    return None if seen.may_read(public_read=public_read) else to_sign_in(request)
