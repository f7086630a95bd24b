"""The ceasefire tracker (`/ceasefires/{id}`): a truce's lifecycle, its breaches per day and by
accused actor, each party's stances with who reported them, and unlinked violent events for an
analyst to review; and `/ceasefires`, the ceasefire processes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dashboard.reading import ReadingDep, addressed, not_found
from app.dashboard.words import event_type
from app.models import Process
from app.processes.router import PROCESSES, process_filters
from app.timelines import ceasefire, stances
from app.timelines.schemas import CeasefireTracker

router = APIRouter()


@router.get("/ceasefires", response_class=HTMLResponse)
def ceasefires(reading: ReadingDep) -> Response:
    """The ceasefire processes, each linking to its tracker."""
    if reading.redirect:
        return reading.redirect
    stmt = (
        select(Process)
        .where(*process_filters(kind=["ceasefire"], parent=None), Process.deleted_at.is_(None))
        .order_by(Process.effective_from.desc(), Process.id)
    )
    processes = reading.session.scalars(stmt).all()
    return reading.page.render("ceasefires.html", nav="ceasefires", processes=processes)


@router.get("/ceasefires/{process_id}", response_class=HTMLResponse)
def tracker(process_id: str, reading: ReadingDep) -> Response:
    """One ceasefire's tracker, read through the services of the API's tracker and ledger."""
    if reading.redirect:
        return reading.redirect
    session, principal, page = reading.session, reading.viewer.principal, reading.page
    process = _ceasefire(session, process_id)
    if process is None:
        return not_found(page)
    found = ceasefire.track(session, process, principal=principal, settings=reading.settings)
    ledger = stances.ledger(session, process, principal=principal)
    chart = chart_data(found, page.t.lang)
    return page.render("tracker.html", nav="ceasefires", tracker=found, ledger=ledger, chart=chart)


def _ceasefire(session: Session, text: str) -> Process | None:
    """The ceasefire process named in the address; None for anything else."""
    process: Process | None = addressed(text, lambda found_id: PROCESSES.load(session, found_id))
    return process if process is not None and process.kind == "ceasefire" else None


def chart_data(tracker: CeasefireTracker, lang: str) -> dict[str, Any]:
    """What the breaches-per-day chart draws: the day buckets and a name for each type."""
    per_day = tracker.breaches.per_day
    types = {code for bucket in per_day.buckets for code in bucket.by_type}
    return {
        "buckets": [
            {"start": b.start.isoformat(), "end": b.end.isoformat(), "by_type": b.by_type}
            for b in per_day.buckets
        ],
        "types": {code: event_type(code, lang) for code in types},
    }
