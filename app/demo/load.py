"""Load the demo data set (seed.json, built by hand from the seed article).

Records get stable ids derived from their `ref`, so loading twice creates nothing new and the
README can point at fixed URLs. Everything goes through the same schemas and services as the
API, so the demo obeys every rule a user's data does.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from importlib import resources
from typing import Any

from sqlalchemy.orm import Session

from app.actors.router import ACTORS
from app.actors.schemas import ActorCreate
from app.core.auth import Principal, Role
from app.core.http import version_etag
from app.events import service as events
from app.events.schemas import EventCreate, EventUpdate, ParticipationCreate
from app.locations.router import LOCATIONS
from app.locations.schemas import LocationCreate
from app.models import Event, Participation
from app.processes import service as processes
from app.processes.router import PROCESSES
from app.processes.schemas import ProcessCreate
from app.sources.router import OUTLETS, SOURCES
from app.sources.schemas import OutletCreate, SourceCreate

NAMESPACE = uuid.UUID("8f0b6a52-3c1e-4c55-9a8e-2f6a1c0d7e41")
LOADER = Principal(role=Role.admin, name="demo-loader")


def demo_id(kind: str, ref: str) -> uuid.UUID:
    """The stable id of a demo record."""
    return uuid.uuid5(NAMESPACE, f"{kind}:{ref}")


def read_seed() -> dict[str, Any]:
    text = resources.files("app.demo").joinpath("seed.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _ordered(
    items: list[dict[str, Any]], parents_of: Callable[[dict[str, Any]], Iterable[str]]
) -> list[dict[str, Any]]:
    """Items with every item's parents before it (affiliation targets, parent processes)."""
    by_ref = {item["ref"]: item for item in items}
    done: dict[str, dict[str, Any]] = {}

    def visit(ref: str, trail: tuple[str, ...]) -> None:
        if ref in done:
            return
        if ref in trail:
            raise ValueError(f"demo data has a cycle: {' -> '.join((*trail, ref))}")
        for parent in parents_of(by_ref[ref]):
            visit(parent, (*trail, ref))
        done[ref] = by_ref[ref]

    for item in items:
        visit(item["ref"], ())
    return list(done.values())


class Loader:
    """Creates what is missing, counting what it created."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.created = 0

    def exists(self, model: type[Any], record_id: uuid.UUID) -> bool:
        return self.session.get(model, record_id) is not None

    def reference(
        self,
        resource: Any,
        kind: str,
        items: list[dict[str, Any]],
        schema: type[Any],
        to_body: Callable[[dict[str, Any]], dict[str, Any]],
    ) -> None:
        for item in items:
            record_id = demo_id(kind, item["ref"])
            if self.exists(resource.model, record_id):
                continue
            resource.create(
                self.session, schema.model_validate(to_body(item)), LOADER, record_id=record_id
            )
            self.created += 1

    def load(self, seed: dict[str, Any]) -> int:
        self.reference(OUTLETS, "outlet", seed["outlets"], OutletCreate, _strip)
        self.reference(SOURCES, "source", seed["sources"], SourceCreate, _source)
        self.reference(LOCATIONS, "location", seed["locations"], LocationCreate, _strip)
        actors = _ordered(seed["actors"], lambda a: [t["actor"] for t in a.get("affiliations", [])])
        self.reference(ACTORS, "actor", actors, ActorCreate, _actor)
        procs = _ordered(seed["processes"], lambda p: [p["parent"]] if p.get("parent") else [])
        self.reference(PROCESSES, "process", procs, ProcessCreate, _process)
        for process in procs:
            self.process_participants(process)
        # Link targets first, so that every event is created whole, links included.
        for event in _ordered(seed["events"], lambda e: [k["to"] for k in e.get("links", [])]):
            self.event(event)
        return self.created

    def process_participants(self, item: dict[str, Any]) -> None:
        process = PROCESSES.load(self.session, demo_id("process", item["ref"]))
        for index, part in enumerate(item.get("participants", [])):
            record_id = demo_id("participation", f"{item['ref']}/{index}")
            if not self.exists(Participation, record_id):
                data = ParticipationCreate.model_validate(_participant(part))
                processes.add_participant(
                    self.session, process, data=data, by=LOADER, record_id=record_id
                )
                self.created += 1

    def event(self, item: dict[str, Any]) -> None:
        """The event with all its children in one create (one revision, version 1). One
        marked `entered_in_review` is entered for review and then published: two revisions,
        so that the demo has a change to read the service as of before and after."""
        event_id = demo_id("event", item["ref"])
        if self.exists(Event, event_id):
            return
        body = _event(item)
        if item.get("entered_in_review"):
            body["status"] = "in_review"
        event = events.create(
            self.session, data=EventCreate.model_validate(body), by=LOADER, record_id=event_id
        )
        if event.status != item["status"]:
            events.update(
                self.session,
                event,
                data=EventUpdate(status=item["status"]),
                by=LOADER,
                if_match=version_etag(event.version),
            )
        self.created += 1


def _strip(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != "ref"}


def _source(item: dict[str, Any]) -> dict[str, Any]:
    body = _strip(item)
    body["outlet_id"] = demo_id("outlet", body.pop("outlet")) if body.get("outlet") else None
    body.pop("outlet", None)
    return body


def _actor(item: dict[str, Any]) -> dict[str, Any]:
    body = _strip(item)
    body["affiliations"] = [
        {
            "actor_id": demo_id("actor", t["actor"]),
            "relation": t["relation"],
            "valid": t.get("valid"),
        }
        for t in item.get("affiliations", [])
    ]
    return body


def _process(item: dict[str, Any]) -> dict[str, Any]:
    body = {k: v for k, v in _strip(item).items() if k not in ("parent", "participants")}
    body["parent_id"] = demo_id("process", item["parent"]) if item.get("parent") else None
    if item.get("scope"):
        scope = dict(item["scope"])
        scope["location_ids"] = [demo_id("location", ref) for ref in scope.pop("locations", [])]
        body["scope"] = scope
    return body


def _participant(part: dict[str, Any]) -> dict[str, Any]:
    body = {k: v for k, v in part.items() if k not in ("ref", "actor")}
    body["actor_id"] = demo_id("actor", part["actor"])
    return body


def _event(item: dict[str, Any]) -> dict[str, Any]:
    # Verification is not entered: the claims decide it (the seed records what they give).
    skip = (
        *("ref", "location", "participants", "citations", "processes", "links"),
        *("verification", "entered_in_review"),
    )
    body = {k: v for k, v in item.items() if k not in skip}
    body["location_id"] = demo_id("location", item["location"]) if item.get("location") else None
    parts = item.get("participants", [])
    body["participants"] = [_participant(part) for part in parts]
    index = {part["ref"]: i for i, part in enumerate(parts) if part.get("ref")}
    body["citations"] = [_citation(cite, index) for cite in item.get("citations", [])]
    body["processes"] = [
        {"process_id": demo_id("process", rel["process"]), "relation": rel["relation"]}
        for rel in item.get("processes", [])
    ]
    body["links"] = [
        {"target_event_id": demo_id("event", link["to"]), "relation": link["relation"]}
        for link in item.get("links", [])
    ]
    return body


def _citation(cite: dict[str, Any], participants: dict[str, int]) -> dict[str, Any]:
    body = {k: v for k, v in cite.items() if k not in ("source", "claimant", "participant")}
    body["source_id"] = demo_id("source", cite["source"])
    body["claimant_actor_id"] = demo_id("actor", cite["claimant"]) if cite.get("claimant") else None
    if cite.get("participant"):
        body["participant"] = participants[cite["participant"]]
    return body


def load(session: Session) -> int:
    """Load the demo data set; returns how many records it created (0 if already loaded)."""
    return Loader(session).load(read_seed())
