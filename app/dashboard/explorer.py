"""The timeline explorer (`/`): the filtered events on a timeline, as counts and as a list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from app.core.deps import SessionDep, SettingsDep
from app.core.listing import PageParams
from app.dashboard import words
from app.dashboard.filtering import SHOWN_EVENTS, refusing_route, render_filtered
from app.dashboard.i18n import Translator
from app.dashboard.pages import Page, PageDep
from app.dashboard.session import ViewerDep
from app.events import vocabulary
from app.events.filters import EventFiltersDep, conditions
from app.timelines import service
from app.timelines.schemas import GroupBy, TimelineItem

ChartUnit = Literal["day", "week", "month"]
# What the filter form offers besides the filters: the timeline's lanes and the chart's buckets.
VIEW_CHOICES = {"lanes": get_args(GroupBy), "buckets": get_args(ChartUnit)}


@dataclass(frozen=True)
class ListedEvent:
    """One row of the explorer's list, in the page's language."""

    id: str
    title: str
    when: str
    type: str
    actors: str
    place: str
    verification: str


router = APIRouter(route_class=refusing_route("explorer.html", **VIEW_CHOICES))


@router.get("/", response_class=HTMLResponse)
def explorer(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    viewer: ViewerDep,
    filters: EventFiltersDep,
    group_by: Annotated[GroupBy, Query()] = "actor",
    bucket: Annotated[ChartUnit, Query()] = "day",
) -> HTMLResponse:
    """The timeline explorer over the events the URL's filters select."""
    if not viewer.may_read(public_read=settings.public_read):
        return _render(page, session, private=True)
    # What the reader may see: a signed-in editor's drafts too, as the islands' API reads.
    timeline = service.timeline(
        session,
        conditions(filters, viewer.principal),
        page=PageParams(limit=SHOWN_EVENTS, cursor=None),
        settings=settings,
        query={"explorer": filters.as_query()},
        bucket=None,
        group_by=None,
    )
    events = [_listed(item, page.t) for item in timeline.items]
    more = timeline.next_cursor is not None
    return _render(page, session, events=events, more=more, group_by=group_by, bucket=bucket)


def _render(page: Page, session: Session, **context: Any) -> HTMLResponse:
    labels = {e.code: words.event_type(e.code, page.t.lang) for e in vocabulary.VOCABULARY}
    return render_filtered(
        page, session, "explorer.html", type_labels=labels, **VIEW_CHOICES, **context
    )


def _listed(item: TimelineItem, t: Translator) -> ListedEvent:
    location = item.location
    return ListedEvent(
        id=str(item.id),
        title=t.pick(item.title),
        when=words.when(item, t.lang),
        type=words.event_type(item.type, t.lang),
        actors=t("explorer.list.separator").join(t.pick(actor.names) for actor in item.actors),
        place=t.pick(location.names) if location else "",
        verification=words.code(item.verification, t.lang),
    )
