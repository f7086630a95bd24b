"""The built islands, found through Vite's manifest (web/ builds them into static/dist)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

STATIC = Path(__file__).parent / "static"
MANIFEST = STATIC / "dist" / ".vite" / "manifest.json"
URL_PREFIX = "/static/dist/"


class DashboardNotBuilt(RuntimeError):
    """The islands were never built; `make run` and `make test` build them."""


@dataclass(frozen=True)
class Island:
    """What a page includes to run one island: its module script, the modules it imports
    (preloaded) and its stylesheets."""

    script: str
    preloads: tuple[str, ...]
    styles: tuple[str, ...]


@cache
def _manifest(path: Path = MANIFEST) -> dict[str, dict[str, object]]:
    try:
        manifest: dict[str, dict[str, object]] = json.loads(path.read_text())
    except FileNotFoundError:
        raise DashboardNotBuilt(
            f"{path} is missing: build the dashboard with `npm run build --prefix web`"
        ) from None
    return manifest


def island(name: str) -> Island:
    """The files of the island built from web/src/<name>.ts."""
    manifest = _manifest()
    entry = manifest[f"src/{name}.ts"]
    chunks = _imported_chunks(manifest, entry)
    styles = [*_strings(entry, "css"), *(css for chunk in chunks for css in _strings(chunk, "css"))]
    return Island(
        script=URL_PREFIX + str(entry["file"]),
        preloads=tuple(URL_PREFIX + str(chunk["file"]) for chunk in chunks),
        styles=tuple(URL_PREFIX + css for css in dict.fromkeys(styles)),
    )


def _imported_chunks(
    manifest: dict[str, dict[str, object]], entry: dict[str, object]
) -> list[dict[str, object]]:
    """Every chunk the entry imports, directly or not, each once, in import order."""
    seen: dict[str, dict[str, object]] = {}
    pending = list(_strings(entry, "imports"))
    while pending:
        key = pending.pop(0)
        if key not in seen:
            seen[key] = manifest[key]
            pending += _strings(manifest[key], "imports")
    return list(seen.values())


def _strings(chunk: dict[str, object], field: str) -> list[str]:
    values = chunk.get(field, [])
    return [str(value) for value in values] if isinstance(values, list) else []
