"""Who says what about an event: its claims grouped by what they are about and what they say,
contradictions side by side, and the reported figures as an explained aggregate.

The service picks no side: where sources disagree, both stand, each with its outlet and
claimant; where they report different death tolls, the range is shown with every figure and who
gave it, never one figure silently chosen.
"""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from typing import Any

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.core.types import Output
from app.models import Actor, Citation, Event, Outlet, Source


class Claim(Output):
    """One source's statement, with who published it and on whose behalf."""

    citation_id: uuid.UUID
    source_id: uuid.UUID
    outlet: dict[str, str] | None = Field(description="The outlet's names.")
    claimant: dict[str, str] | None = Field(description="Who makes the claim, if named.")
    polarity: str
    quote: str | None
    quote_language: str | None
    translations: dict[str, str]
    reported_when: str | None
    resolved_when: str | None
    fatalities_low: int | None
    fatalities_best: int | None
    fatalities_high: int | None
    accused_actor_id: uuid.UUID | None


class ClaimGroup(Output):
    """The claims about one thing: the event itself, or one actor's part in it."""

    about: str = Field(description="`event`, or the id of the participation they concern.")
    actor_id: uuid.UUID | None = Field(description="Whose part, for a participation.")
    role: str | None
    asserts: list[Claim]
    denies: list[Claim]
    contradicted: bool = Field(description="Some sources assert it and others deny it.")


class ReportedFigures(Output):
    """Fatalities as the sources report them, aggregated without choosing between them."""

    low: int | None = Field(description="The lowest figure any source gives.")
    best: int | None = Field(description="The median of the sources' best figures.")
    high: int | None = Field(description="The highest figure any source gives.")
    reports: int = Field(description="How many claims give a figure.")
    contradicted: bool = Field(description="Sources give figures that cannot all be true.")
    explanation: str


class ClaimsView(Output):
    groups: list[ClaimGroup]
    figures: ReportedFigures | None


def view(session: Session, event: Event) -> ClaimsView:
    """The event's live claims, grouped, with their figures aggregated."""
    claims = _claims(session, event.id)
    return ClaimsView(groups=_groups(event, claims), figures=_figures(claims))


# Made once, as aliases are (app.events.periods).
_CLAIMANT = aliased(Actor)


def _claims(session: Session, event_id: uuid.UUID) -> list[tuple[uuid.UUID | None, Claim]]:
    stmt = (
        select(Citation, Outlet.names, _CLAIMANT.names)
        .join(Source, Source.id == Citation.source_id)
        .outerjoin(Outlet, Outlet.id == Source.outlet_id)
        .outerjoin(_CLAIMANT, _CLAIMANT.id == Citation.claimant_actor_id)
        .where(Citation.event_id == event_id, Citation.deleted_at.is_(None))
        .order_by(Citation.id)
    )
    return [
        (citation.participation_id, _claim(citation, outlet, claimant_names))
        for citation, outlet, claimant_names in session.execute(stmt)
    ]


def _claim(citation: Citation, outlet: Any, claimant: Any) -> Claim:
    fields = {
        name: getattr(citation, name) for name in Claim.model_fields if hasattr(citation, name)
    }
    return Claim(**fields, citation_id=citation.id, outlet=outlet, claimant=claimant)


def _groups(event: Event, claims: list[tuple[uuid.UUID | None, Claim]]) -> list[ClaimGroup]:
    by_subject: dict[uuid.UUID | None, list[Claim]] = defaultdict(list)
    for about, claim in claims:
        by_subject[about].append(claim)
    parts = {p.id: p for p in event.participants}
    groups = []
    for about, items in by_subject.items():
        part = parts.get(about) if about is not None else None
        asserts = [c for c in items if c.polarity == "asserts"]
        denies = [c for c in items if c.polarity == "denies"]
        groups.append(
            ClaimGroup(
                about="event" if about is None else str(about),
                actor_id=part.actor_id if part else None,
                role=part.role if part else None,
                asserts=asserts,
                denies=denies,
                contradicted=bool(asserts and denies),
            )
        )
    return sorted(groups, key=lambda group: group.about != "event")


def _figures(claims: list[tuple[uuid.UUID | None, Claim]]) -> ReportedFigures | None:
    reported = [claim for _, claim in claims if claim.polarity == "asserts" and _figures_of(claim)]
    if not reported:
        return None
    known = [v for claim in reported for v in _figures_of(claim)]
    bests = [c.fatalities_best for c in reported if c.fatalities_best is not None]
    best = int(statistics.median(bests)) if bests else None
    contradicted = _disjoint(reported)
    return ReportedFigures(
        low=min(known),
        best=best,
        high=max(known),
        reports=len(reported),
        contradicted=contradicted,
        explanation=_explain(reported, best, contradicted),
    )


def _figures_of(claim: Claim) -> list[int]:
    figures = (claim.fatalities_low, claim.fatalities_best, claim.fatalities_high)
    return [v for v in figures if v is not None]


def _span(claim: Claim) -> tuple[int, int]:
    values = _figures_of(claim)
    return min(values), max(values)


def _disjoint(reported: list[Claim]) -> bool:
    """Two reports whose ranges do not overlap cannot both be right."""
    spans = [_span(claim) for claim in reported]
    return max(low for low, _ in spans) > min(high for _, high in spans)


def _explain(reported: list[Claim], best: int | None, contradicted: bool) -> str:
    parts = []
    for claim in reported:
        low, high = _span(claim)
        who = (claim.outlet or {}).get("en") or next(
            iter((claim.outlet or {}).values()), "a source"
        )
        parts.append(f"{who}: {low}" if low == high else f"{who}: {low}–{high}")
    sentence = f"{len(reported)} report{'s' if len(reported) > 1 else ''} ({'; '.join(parts)})"
    if best is not None:
        sentence += f"; best is the median of their best figures ({best})"
    if contradicted:
        sentence += "; the reports contradict each other"
    return sentence + "."
