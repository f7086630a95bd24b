"""HTTP routes of imports: upload a file as a job, then follow the job."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from app.core.auth import Role, require
from app.core.deps import AdminDep, DatabaseDep, PrincipalDep, SessionDep, SettingsDep
from app.core.errors import FieldError, NotFound, ValidationFailed
from app.core.ids import uuid7
from app.core.responses import problems
from app.imports import jobs
from app.imports.schemas import IMPORT_FORMATS, IMPORT_MODES, ImportJobRead
from app.models import ImportJob

router = APIRouter(tags=["imports"])
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "format"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "format": {"type": "string", "enum": list(IMPORT_FORMATS)},
                        "mode": {
                            "type": "string",
                            "enum": list(IMPORT_MODES),
                            "default": "atomic",
                        },
                        "dry_run": {"type": "boolean", "default": False},
                    },
                }
            }
        },
    }
}


def _read(job: ImportJob, request: Request) -> ImportJobRead:
    body = ImportJobRead.model_validate(job)
    if job.rejected_csv is not None:
        body.rejected_rows_url = str(request.url_for("get_import_rejected_rows", job_id=job.id))
    return body


@router.post(
    "/imports",
    status_code=202,
    response_model=ImportJobRead,
    responses=problems(400, 401, 403, 413, 422),
    openapi_extra=UPLOAD_BODY,
)
async def create_import(
    request: Request,
    session: SessionDep,
    database: DatabaseDep,
    settings: SettingsDep,
    principal: AdminDep,
) -> Response:
    """Upload a file (multipart field `file`) to import as a job; follow it at Location.

    `format`: csv, ndjson, acled, ucdp or gdelt. `mode=atomic` (default) writes every row or
    none; `mode=skip_invalid` writes the valid rows and lists the rest. `dry_run=true` checks
    and counts without writing.
    """
    # End the transaction that checked the key before a long upload: on SQLite it holds the
    # write lock, which every other writer would wait on for as long as the file takes.
    session.commit()
    async with request.form() as form:
        upload, options = _options(form)
        job = ImportJob(
            id=uuid7(),
            filename=(upload.filename or "")[:500] or None,
            state="queued",
            created_by=principal.label,
            counts={},
            errors=[],
            **options,
        )
        await run_in_threadpool(_save, upload, jobs.upload_path(settings.data_dir, job.id))
    session.add(job)
    session.commit()  # the job must exist before its task starts, right after the response
    location = str(request.url_for("get_import", job_id=job.id))
    task = BackgroundTask(jobs.run_job, database, job.id, data_dir=settings.data_dir, by=principal)
    return JSONResponse(
        _read(job, request).model_dump(mode="json"),
        status_code=202,
        headers={"Location": location},
        background=task,
    )


def _save(upload: UploadFile, path: Path) -> None:
    """Keep the uploaded file where the job will read it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as target:
        shutil.copyfileobj(upload.file, target, 1 << 20)


def _options(form: Any) -> tuple[UploadFile, dict[str, Any]]:
    """The upload and its options from the form, or a 422 naming every bad field."""
    errors: list[FieldError] = []
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        errors.append(_bad("file", "send the file as the multipart field 'file'", "missing"))
    fmt = form.get("format")
    if fmt not in IMPORT_FORMATS:
        allowed = ", ".join(IMPORT_FORMATS)
        errors.append(_bad("format", f"must be one of {allowed}", "unknown_format"))
    mode = form.get("mode") or "atomic"
    if mode not in IMPORT_MODES:
        errors.append(_bad("mode", "must be atomic or skip_invalid", "unknown_mode"))
    # A boolean in a form is the word true or false (OpenAPI's form encoding), nothing else.
    dry_run = form.get("dry_run") or "false"
    if dry_run not in ("true", "false"):
        errors.append(_bad("dry_run", "must be true or false", "bool_parsing"))
    if errors or not isinstance(upload, UploadFile):
        raise ValidationFailed("The import request is incomplete or invalid.", errors=errors)
    return upload, {"format": fmt, "mode": mode, "dry_run": dry_run == "true"}


def _bad(field: str, msg: str, kind: str) -> FieldError:
    return FieldError(loc=["body", field], msg=msg, type=kind)


ImportId = Annotated[uuid.UUID, "import job id"]


def _job(job_id: ImportId, session: SessionDep, principal: PrincipalDep) -> ImportJob:
    """The job, to an admin; to any other key there is no such job (404, not 403: a job's
    existence and file name are the admins' business), and without a key 401."""
    require(principal, Role.reader)
    job = session.get(ImportJob, job_id) if principal.role is Role.admin else None
    if job is None:
        raise NotFound("import", job_id)
    return job


JobDep = Annotated[ImportJob, Depends(_job)]


@router.get("/imports/{job_id}", response_model=ImportJobRead, responses=problems(401, 404, 422))
def get_import(request: Request, job: JobDep) -> ImportJobRead:
    """An import job (admin): its state, progress, counts and rejected rows."""
    return _read(job, request)


@router.get(
    "/imports/{job_id}/rejected.csv",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {}}, "description": "Every rejected row with its reason."},
        **problems(401, 404, 422),
    },
)
def get_import_rejected_rows(job: JobDep) -> Response:
    """The rejected rows of an import as CSV (admin): line, reason, then the row as read."""
    if job.rejected_csv is None:
        raise NotFound("rejected_rows_of_import", job.id)
    return Response(
        job.rejected_csv.encode(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="import-{job.id}-rejected.csv"'},
    )
