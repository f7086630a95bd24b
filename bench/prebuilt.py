"""FastAPI serving one prebuilt answer: the ceiling a Waqai route can reach on this machine.

    WAQAI_BENCH_PREBUILT=answer.json uvicorn bench.prebuilt:app --workers 2

Every GET, whatever its path, gets the bytes of the file as JSON. What the real route takes
beyond this is Waqai's own work: the queries, the models, the serialisation.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, Response

app = FastAPI(openapi_url=None)
BODY = Path(os.environ.get("WAQAI_BENCH_PREBUILT", "/dev/null")).read_bytes()


@app.get("/{path:path}")
def prebuilt(path: str) -> Response:
    """The same bytes on every path."""
    return Response(content=BODY, media_type="application/json")
