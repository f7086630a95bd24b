"""Every ORM class, one module per aggregate; importing this package registers them all."""

from app.models.actor import Actor, Affiliation
from app.models.base import Base
from app.models.event import (
    Citation,
    Event,
    EventExternalId,
    EventLink,
    EventProcess,
    Participation,
)
from app.models.history import ApiKey, Revision
from app.models.idempotency import IdempotentRequest
from app.models.imports import ImportJob
from app.models.location import Location
from app.models.process import Process
from app.models.search import SearchDocument
from app.models.source import Outlet, Source

__all__ = [
    "Actor",
    "Affiliation",
    "ApiKey",
    "Base",
    "Citation",
    "Event",
    "EventExternalId",
    "EventLink",
    "EventProcess",
    "IdempotentRequest",
    "ImportJob",
    "Location",
    "Outlet",
    "Participation",
    "Process",
    "Revision",
    "SearchDocument",
    "Source",
]
