"""The editor: create an event (`/events/new`) and change one (`/events/{id}/edit`), through
the API's own services, schemas and version checks. A failed save shows the API's problem
inline and keeps what the editor typed; a save made against an old version (someone else saved
first) is refused with 412 and explained: who changed what, and when.

The participants and citations an event holds are changed or removed in the same save, as
PATCH and DELETE on /v1/events/{id}/participants|citations/{item_id} would, one revision each."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.core.errors import NotFound, VersionConflict, WaqaiError
from app.core.http import check_version, version_etag
from app.dashboard import editor_form as form_values
from app.dashboard.editor_form import Kind, Problems, Row, Values
from app.dashboard.event_page import visible_event
from app.dashboard.pages import Page
from app.dashboard.reading import Reading, ReadingDep, not_found, record_id
from app.dashboard.session import PostedForm, PostedFormDep, Viewer, to_sign_in
from app.dashboard.signin import refused
from app.events import service
from app.events.schemas import EventDetail
from app.models import Citation, Event, Participation

router = APIRouter()
BLANK_ROWS = 2
# Citations first: a participant that a citation refers to can go once the citation has gone.
HELD: tuple[tuple[Kind, type[Participation] | type[Citation]], ...] = (
    ("citation", Citation),
    ("participant", Participation),
)


class RowRefused(Exception):
    """A change to one participant or citation was refused: the problem belongs to its row
    (`row`: the prefix of its fields' names, `participant_<id>`)."""

    def __init__(self, row: str, error: WaqaiError | ValidationError) -> None:
        super().__init__(row)
        self.row = row
        self.error = error


def editors_only(request: Request, page: Page, viewer: Viewer) -> Response | None:
    """Anonymous visitors are sent to sign in; keys below editor are refused."""
    if not viewer.signed_in:
        return to_sign_in(request)
    if not viewer.may_edit:
        return page.render("refused.html", status_code=403, message=page.t("editor.needs_editor"))
    return None


def render_form(
    page: Page,
    session: Session,
    values: Values,
    *,
    event: Any = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The form with `values`, and blank rows to add participants and citations."""
    for row, key in (("participants", "actor"), ("citations", "source")):
        filled = [r for r in values.get(row, []) if r.get(key)]
        values[row] = filled + [{}] * BLANK_ROWS
    return page.render(
        "editor.html",
        status_code=status_code,
        values=values,
        event=event,
        choices=form_values.choices(session, page.t),
        **context,
    )


def refusal(request: Request, reading: Reading, form: PostedForm | None = None) -> Response | None:
    """Why this request may not use the editor, if it may not: a form without its CSRF token
    (403), a visitor not signed in (to the sign-in form), a key below editor (403)."""
    if form is not None and not form.trusted:
        return refused(reading.page)
    return editors_only(request, reading.page, reading.viewer)


@router.get("/events/new", response_class=HTMLResponse)
def new_event_form(request: Request, reading: ReadingDep) -> Response:
    """An empty event form."""
    if stop := refusal(request, reading):
        return stop
    page = reading.page
    blank = {"original_language": page.t.lang, "status": "draft", "location_precision": "1"}
    return render_form(page, reading.session, blank)


@router.post("/events/new", response_class=HTMLResponse)
def create_event(request: Request, reading: ReadingDep, form: PostedFormDep) -> Response:
    """Create the event as POST /v1/events would, with its participants and citations."""
    if stop := refusal(request, reading, form):
        return stop
    session, values = reading.session, form_values.values_posted(form)
    try:
        event = service.create(
            session,
            data=form_values.new_event(values),
            by=reading.viewer.principal,
            second_editor=reading.settings.review_requires_second_editor,
        )
    except (ValidationError, WaqaiError) as error:
        session.rollback()
        return render_form(
            reading.page, session, values, status_code=422, problems=Problems.of(error)
        )
    return RedirectResponse(f"/events/{event.id}", status_code=303)


@router.get("/events/{event_id}/edit", response_class=HTMLResponse)
def edit_event_form(request: Request, event_id: str, reading: ReadingDep) -> Response:
    """The event's form, filled with what it holds now and the version it holds."""
    if stop := refusal(request, reading):
        return stop
    detail = _current(reading.session, event_id, reading.viewer)
    if detail is None:
        return not_found(reading.page)
    return render_form(reading.page, reading.session, form_values.values_of(detail), event=detail)


@router.post("/events/{event_id}/edit", response_class=HTMLResponse)
def save_event(
    request: Request, event_id: str, reading: ReadingDep, form: PostedFormDep
) -> Response:
    """Save the changes as PATCH /v1/events/{id} would (If-Match: the version the form was
    loaded with), change or remove the participants and citations it held, add the new ones."""
    if stop := refusal(request, reading, form):
        return stop
    page, session, viewer = reading.page, reading.session, reading.viewer
    event = visible_event(session, event_id, viewer.principal)
    if event is None:
        return not_found(page)
    values = form_values.values_posted(form)
    second_editor = reading.settings.review_requires_second_editor
    try:
        _save(session, event, values, viewer, second_editor=second_editor)
    except VersionConflict:
        session.rollback()
        return _conflict(page, session, event_id, values, viewer)
    except RowRefused as failed:
        session.rollback()
        return _not_saved(reading, event_id, values, Problems.of(failed.error, row=failed.row))
    except (ValidationError, WaqaiError) as error:
        session.rollback()
        return _not_saved(reading, event_id, values, Problems.of(error))
    return RedirectResponse(f"/events/{event.id}", status_code=303)


def _not_saved(reading: Reading, event_id: str, values: Values, problems: Problems) -> Response:
    """422: the form again as the editor typed it, with the API's problem."""
    detail = _current(reading.session, event_id, reading.viewer)
    return render_form(
        reading.page, reading.session, values, event=detail, status_code=422, problems=problems
    )


def _save(
    session: Session, event: Event, values: Values, viewer: Viewer, *, second_editor: bool
) -> None:
    """The change, the changes and removals of participants and citations, and the additions,
    in one transaction: all of them or none."""
    check_version(event.version, version_etag(read_version(values)))
    stored = service.detail(session, event, viewer.principal)
    changes = form_values.changes(values, stored)
    if changes.model_fields_set:
        service.update(
            session,
            event,
            data=changes,
            by=viewer.principal,
            if_match=version_etag(event.version),
            second_editor=second_editor,
        )
    _change_held(session, event, values, stored, viewer)
    for participant in form_values.participants(values):
        service.add_participant(session, event, data=participant, by=viewer.principal)
    for citation in form_values.citations(values):
        service.add_citation(session, event, data=citation, by=viewer.principal)


def _change_held(
    session: Session, event: Event, values: Values, stored: EventDetail, viewer: Viewer
) -> None:
    """Each participant and citation row the editor changed, then each one ticked "remove",
    with the version its row was loaded with (If-Match, as the API asks)."""
    removed: list[tuple[Kind, type[Participation] | type[Citation], Row]] = []
    for kind, model in HELD:
        held = {str(item.id): item for item in getattr(stored, f"{kind}s")}
        for row in values[f"current_{kind}s"]:
            if row["remove"]:
                removed.append((kind, model, row))
                continue
            with _problem_of(kind, row):
                item = _held(event, kind, model, row)
                data = form_values.row_changes(kind, row, held[row["id"]])
                if data.model_fields_set:
                    service.update_child(
                        session, event, item, data=data, by=viewer.principal, if_match=_etag(row)
                    )
    for kind, model, row in removed:
        with _problem_of(kind, row):
            item = _held(event, kind, model, row)
            service.remove_child(session, event, item, by=viewer.principal, if_match=_etag(row))


@contextmanager
def _problem_of(kind: Kind, row: Row) -> Iterator[None]:
    """Refusals of the change to `row` are its row's problem; a version conflict is the
    whole form's (someone else saved the event)."""
    try:
        yield
    except VersionConflict:
        raise
    except (ValidationError, WaqaiError) as error:
        raise RowRefused(f"{kind}_{row['id']}", error) from error


def _held(
    event: Event, kind: Kind, model: type[Participation] | type[Citation], row: Row
) -> Participation | Citation:
    """The participant or citation a row names; 404 if the event does not hold it."""
    item_id = record_id(row["id"])
    if item_id is None:
        raise NotFound(kind, row["id"])
    return service.child(event, model, item_id)


def _etag(row: Row) -> str:
    return version_etag(read_version(row))


def read_version(values: Values | Row) -> int:
    """The version a form or row was loaded with (0, which nothing has, if it was tampered
    with)."""
    return int(values["version"]) if values["version"].isdigit() else 0


def _current(session: Session, event_id: str, viewer: Viewer) -> Any:
    event = visible_event(session, event_id, viewer.principal)
    return service.detail(session, event, viewer.principal) if event else None


def _conflict(
    page: Page, session: Session, event_id: str, values: Values, viewer: Viewer
) -> HTMLResponse:
    """412: someone saved the event after this form was loaded. Their changes are listed, the
    fields where the saved record now differs from what the editor typed are named, and the
    form keeps the editor's values with the current versions, to save again on purpose."""
    event = visible_event(session, event_id, viewer.principal)
    if event is None:
        return not_found(page)
    current = service.detail(session, event, viewer.principal)
    read = read_version(values)
    since = [r for r in service.revisions(session, event, viewer.principal) if r.version > read]
    saved = form_values.values_of(current)
    differing = form_values.differences(values, saved)
    return render_form(
        page,
        session,
        form_values.rebased(values, saved),
        event=current,
        status_code=412,
        conflict={"read": read, "since": since, "differing": differing},
    )
