"""Routes every reference resource (actors, locations, outlets, sources, processes) shares.

A domain describes itself with a `Resource`; `add_routes` gives it list, create, read, change,
delete and revisions with the same HTTP behaviour everywhere.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.core import records
from app.core.auth import Principal
from app.core.deps import AdminDep, EditorDep, ReaderDep, SessionDep, SettingsDep
from app.core.http import IfMatch, json_response, version_etag
from app.core.ids import uuid7
from app.core.listing import Page, PageDep, by_id, fetch_page, list_query, page_response
from app.core.responses import CHANGE, CREATE, DELETE, LIST, READ, record_links
from app.core.schemas import RevertRequest, RevisionRead
from app.core.types import present
from app.history import service as history
from app.history.as_of import ReadSessionDep
from app.models.base import Record

Conditions = Callable[..., list[ColumnElement[bool]]]


def no_filters() -> list[ColumnElement[bool]]:
    return []


@dataclass(frozen=True)
class Resource:
    """What the shared routes need to know about one kind of record."""

    entity: str  # singular, snake_case: "actor"
    path: str  # "/actors"
    model: type[Record]
    create_schema: type[BaseModel]
    update_schema: type[BaseModel]
    read_schema: type[BaseModel]
    filters: Conditions = no_filters
    check_refs: Callable[[Session, dict[str, Any]], None] = lambda session, values: None
    to_columns: Callable[[dict[str, Any]], dict[str, Any]] = lambda values: values
    # Rules across fields that a PATCH alone cannot check: the record as it would become.
    check_change: Callable[[Session, Any, dict[str, Any]], None] = lambda s, record, values: None
    options: tuple[Any, ...] = field(default=())
    children: tuple[str, ...] = ()  # view-only collections to load into a new record's snapshot

    def snapshot(self, record: Any) -> dict[str, Any]:
        """How revisions picture a record: its read shape as JSON."""
        return self.read_schema.model_validate(record).model_dump(mode="json")

    def _snapshot_new(self, session: Session) -> Callable[[Any], dict[str, Any]]:
        def take(record: Any) -> dict[str, Any]:
            if self.children:
                session.refresh(record, list(self.children))
            return self.snapshot(record)

        return take

    def load(self, session: Session, record_id: uuid.UUID, *, include_deleted: bool = False) -> Any:
        return records.load(
            session,
            self.model,
            record_id,
            entity=self.entity,
            options=self.options,
            include_deleted=include_deleted,
        )

    def create(
        self, session: Session, data: BaseModel, by: Principal, record_id: uuid.UUID | None = None
    ) -> Any:
        values = data.model_dump()
        self.check_refs(session, values)
        record = self.model(id=record_id or uuid7(), **self.to_columns(values))
        return records.create(
            session, record, entity=self.entity, snapshot=self._snapshot_new(session), by=by
        )

    def update(
        self,
        session: Session,
        record: Any,
        data: BaseModel,
        by: Principal,
        if_match: str,
        *,
        op: str = "update",
        reason: str | None = None,
    ) -> Any:
        values = present(data)
        self.check_refs(session, values)
        self.check_change(session, record, values)
        return records.update(
            session,
            record,
            self.to_columns(values),
            entity=self.entity,
            snapshot=self.snapshot,
            by=by,
            if_match=if_match,
            op=op,
            reason=reason,
        )

    def revert(
        self,
        session: Session,
        record: Any,
        request: RevertRequest,
        by: Principal,
        if_match: str,
    ) -> Any:
        """Apply the record's own fields as they were at `request.version`."""
        data = history.fields_at(
            session,
            entity_type=self.entity,
            entity_id=record.id,
            version=request.version,
            shape=self.update_schema,
        )
        return self.update(
            session,
            record,
            data,
            by,
            if_match,
            op="revert",
            reason=f"revert to version {request.version}: {request.reason}",
        )


def _respond(request: Request, resource: Resource, record: Any, status_code: int = 200) -> Response:
    body = resource.read_schema.model_validate(record)
    return json_response(request, body, etag=version_etag(record.version), status_code=status_code)


def add_routes(router: APIRouter, resource: Resource) -> None:
    """Add list, create, read, change, delete and revisions routes for `resource`."""
    _add_collection_routes(router, resource)
    _add_item_routes(router, resource)


def _add_collection_routes(router: APIRouter, r: Resource) -> None:
    read, create = r.read_schema, r.create_schema
    FiltersDep = Annotated[list[ColumnElement[bool]], Depends(r.filters)]

    @router.get(r.path, response_model=Page[read], responses=LIST, name=f"list_{r.entity}s")  # type: ignore[valid-type]
    def list_records(
        request: Request,
        session: ReadSessionDep,
        settings: SettingsDep,
        principal: ReaderDep,
        conditions: FiltersDep,
        page: PageDep,
    ) -> Response:
        stmt = select(r.model).where(r.model.deleted_at.is_(None), *conditions).options(*r.options)
        rows, next_cursor = fetch_page(
            session,
            stmt,
            sort=by_id(r.model.id.expression),
            page=page,
            settings=settings,
            query={"path": r.path, "params": list_query(request)},
        )
        body = Page[read](items=[read.model_validate(x) for x in rows], next_cursor=next_cursor)  # type: ignore[valid-type]
        return page_response(request, body)

    @router.post(
        r.path,
        status_code=201,
        response_model=read,
        responses=CREATE,
        name=f"create_{r.entity}",
        openapi_extra=record_links(r.path + "/{record_id}", ID, 201),
    )
    def create_record(
        request: Request,
        data: create,  # type: ignore[valid-type]
        session: SessionDep,
        principal: EditorDep,
    ) -> Response:
        record = r.create(session, data, principal)
        response = _respond(request, r, record, 201)
        response.headers["Location"] = f"/v1{r.path}/{record.id}"
        return response

    noun = r.entity.replace("_", " ")
    list_records.__doc__ = (
        f"{noun.capitalize()}s, oldest first, with filters and cursor paging (as they were at "
        "`as_of`, if given)."
    )
    create_record.__doc__ = f"Create a {noun} (editor)."


# The record an answer carries, for the links to it.
ID = {"record_id": "$response.body#/id"}


def _add_item_routes(router: APIRouter, r: Resource) -> None:
    item = r.path + "/{record_id}"
    update = r.update_schema

    links = record_links(item, ID)

    @router.get(
        item,
        response_model=r.read_schema,
        responses=READ,
        name=f"get_{r.entity}",
        openapi_extra=links,
    )
    def get_record(
        request: Request,
        record_id: uuid.UUID,
        session: ReadSessionDep,
        principal: ReaderDep,
    ) -> Response:
        return _respond(request, r, r.load(session, record_id))

    @router.patch(
        item,
        response_model=r.read_schema,
        responses=CHANGE,
        name=f"update_{r.entity}",
        openapi_extra=links,
    )
    def update_record(
        request: Request,
        record_id: uuid.UUID,
        data: update,  # type: ignore[valid-type]
        session: SessionDep,
        principal: EditorDep,
        if_match: IfMatch,
    ) -> Response:
        record = r.update(session, r.load(session, record_id), data, principal, if_match)
        return _respond(request, r, record)

    @router.post(
        item + "/revert",
        response_model=r.read_schema,
        responses=CHANGE,
        name=f"revert_{r.entity}",
        openapi_extra=links,
    )
    def revert_record(
        request: Request,
        record_id: uuid.UUID,
        data: RevertRequest,
        session: SessionDep,
        principal: EditorDep,
        if_match: IfMatch,
    ) -> Response:
        record = r.revert(session, r.load(session, record_id), data, principal, if_match)
        return _respond(request, r, record)

    @router.delete(item, status_code=204, responses=DELETE, name=f"delete_{r.entity}")
    def delete_record(
        record_id: uuid.UUID, session: SessionDep, principal: AdminDep, if_match: IfMatch
    ) -> Response:
        record = r.load(session, record_id)
        records.tombstone(
            session,
            record,
            entity=r.entity,
            snapshot=r.snapshot,
            by=principal,
            if_match=if_match,
        )
        return Response(status_code=204)

    @router.get(
        item + "/revisions",
        response_model=list[RevisionRead],
        responses=READ,
        name=f"list_{r.entity}_revisions",
    )
    def list_revisions(
        record_id: uuid.UUID, session: SessionDep, principal: ReaderDep
    ) -> list[RevisionRead]:
        record = r.load(session, record_id, include_deleted=True)
        found = history.list_for(session, entity_type=r.entity, entity_id=record.id)
        return [RevisionRead.model_validate(rev) for rev in found]

    noun = r.entity.replace("_", " ")
    get_record.__doc__ = f"One {noun} (as it was at `as_of`, if given)."
    update_record.__doc__ = f"Change a {noun}; send the ETag you read as If-Match."
    delete_record.__doc__ = f"Delete a {noun} (admin); it is kept as a tombstone and in history."
    list_revisions.__doc__ = f"Every change to the {noun}, oldest first."
    revert_record.__doc__ = (
        f"Bring a {noun} back to one of its versions (editor); the revert is a new revision."
    )
