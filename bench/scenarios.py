"""The benchmark's scenarios: each measured against its limit measured in the same run.

Every `Result` is a row of the results table: what Waqai did, what the limit did, their ratio
and the issue's target for it. Measurements are medians and 95th percentiles of repeated
requests on one keep-alive connection, or wrk's rate over a bounded time.
"""

from __future__ import annotations

import datetime as dt
import http.client
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import Engine

from app.events.filters import EventFilters
from bench import queries, serving
from bench.generate import KEYWORD

PAGE = 100
KEYWORD_PAGE = 50


@dataclass(frozen=True)
class Settings:
    """How hard to measure: requests per latency scenario, wrk's seconds and connections."""

    requests: int
    load_seconds: int
    connections: int = 32


@dataclass(frozen=True)
class Result:
    scenario: str
    measured: str
    limit: str
    ratio: float | None
    target: str
    met: bool | None


def p50(samples: list[float]) -> float:
    return statistics.median(samples)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(samples: list[float]) -> str:
    return f"p50 {p50(samples) * 1000:.1f} ms, p95 {p95(samples) * 1000:.1f} ms"


def latencies(port: int, path: str, settings: Settings) -> list[float]:
    """Sequential GETs on one connection, after a few to warm caches and the pool up."""
    serving.timed_gets(port, path, max(3, settings.requests // 10), budget=5)
    return serving.timed_gets(port, path, settings.requests)


def raw_latencies(engine: Engine, sqls: list[str], settings: Settings) -> list[float]:
    queries.time_raw(engine, sqls, max(3, settings.requests // 10), budget=5)
    return queries.time_raw(engine, sqls, settings.requests)


@contextmanager
def prebuilt_server(body: bytes) -> Iterator[serving.Server]:
    """FastAPI with two workers serving `body` as the answer to every GET."""
    with tempfile.NamedTemporaryFile(suffix=".json") as file:
        file.write(body)
        file.flush()
        env = {"WAQAI_BENCH_PREBUILT": file.name}
        with serving.serving("bench.prebuilt:app", env, factory=False) as server:
            yield server


@dataclass(frozen=True)
class Subject:
    """What the scenarios ask for, chosen from the loaded data."""

    country: str
    month: dt.date
    year: int
    actor: uuid.UUID
    actor_events: int


def subject(engine: Engine) -> Subject:
    actor, count = queries.busiest_actor(engine)
    return Subject(queries.busiest_country(engine), dt.date(2024, 3, 1), 2023, actor, count)


def timeline_path(subject: Subject) -> str:
    start, end = queries.month_window(subject.month)
    query = {"country": subject.country, "from": start, "to": end, "limit": PAGE}
    return "/v1/timeline?" + urlencode(query)


def timeline_scenarios(
    engine: Engine,
    app: serving.Server,
    subject: Subject,
    settings: Settings,
    *,
    load: bool,
    variant: str,
) -> list[Result]:
    """The timeline page under 32 connections (optional) and on one connection; `variant`
    names how the app was serving (its kept answers on or off)."""
    path = timeline_path(subject)
    body = serving.get(app.base_port, path)
    page = queries.timeline_page(
        engine, queries.timeline_filters(subject.country, subject.month), PAGE
    )
    raw = raw_latencies(engine, page, settings)
    ours = latencies(app.base_port, path, settings)
    busy = (
        serving.wrk(
            app.base_port, path, connections=settings.connections, seconds=settings.load_seconds
        )
        if load
        else None
    )
    with prebuilt_server(body) as prebuilt:
        ceiling = latencies(prebuilt.base_port, path, settings)
        free = (
            serving.wrk(
                prebuilt.base_port,
                path,
                connections=settings.connections,
                seconds=settings.load_seconds,
            )
            if load
            else None
        )
    results = []
    if busy is not None and free is not None:
        results.append(_rate_result(busy, free, settings, variant))
    limit = p50(raw) + p50(ceiling)
    ratio = p50(ours) / limit
    results.append(
        Result(
            f"Timeline page, {subject.country} {subject.month:%Y-%m}, {PAGE} events, "
            f"1 connection, {variant}",
            ms(ours),
            f"raw SQL {ms(raw)} + prebuilt {ms(ceiling)}",
            ratio,
            "p50 ≤ 2 × (raw SQL + prebuilt)",
            ratio <= 2,
        )
    )
    return results


def _rate_result(
    busy: serving.Load, free: serving.Load, settings: Settings, variant: str
) -> Result:
    ratio = busy.requests_per_second / free.requests_per_second
    errors = f", {busy.errors} errors" if busy.errors else ""
    return Result(
        f"Timeline page, {settings.connections} connections, {settings.load_seconds} s, {variant}",
        f"{busy.requests_per_second:.0f} req/s{errors}",
        f"prebuilt {free.requests_per_second:.0f} req/s",
        ratio,
        "≥ 50 % of prebuilt req/s",
        ratio >= 0.5 and busy.errors == 0,
    )


def counts_scenario(
    engine: Engine, app: serving.Server, subject: Subject, settings: Settings, variant: str
) -> Result:
    """Daily counts by type for one country over a year."""
    start, end = dt.date(subject.year, 1, 1), dt.date(subject.year, 12, 31)
    query = {"country": subject.country, "from": start, "to": end, "bucket": "day", "limit": 1}
    ours = latencies(app.base_port, "/v1/timeline?" + urlencode(query), settings)
    filters = EventFilters(country=[subject.country], date_from=start, date_to=end)
    raw = raw_latencies(engine, [queries.daily_counts(engine, filters)], settings)
    allowed = 1.5 * p50(raw) + 0.002
    return Result(
        f"Daily counts by type, {subject.country} {subject.year}, {variant}",
        ms(ours),
        f"raw GROUP BY {ms(raw)}",
        p50(ours) / allowed,
        "p50 ≤ 1.5 × raw GROUP BY + 2 ms",
        p50(ours) <= allowed,
    )


def _absolute(
    name: str,
    ours: list[float],
    naive: list[float],
    target_ms: float,
) -> Result:
    return Result(
        name,
        ms(ours),
        f"naive raw SQL {ms(naive)}",
        p50(ours) / (target_ms / 1000),
        f"p50 ≤ {target_ms:g} ms",
        p50(ours) * 1000 <= target_ms,
    )


def actor_scenario(
    engine: Engine, app: serving.Server, subject: Subject, settings: Settings
) -> Result:
    """The busiest actor's newest page."""
    query = {"actor": subject.actor, "sort": "-date", "limit": PAGE}
    ours = latencies(app.base_port, "/v1/events?" + urlencode(query), settings)
    naive = raw_latencies(
        engine, [queries.actor_newest_naive(engine, subject.actor, PAGE)], settings
    )
    name = f"Busiest actor's newest {PAGE} ({subject.actor_events:,} events)"
    return _absolute(name, ours, naive, 10)


def keyword_scenario(engine: Engine, app: serving.Server, settings: Settings) -> Result:
    """The newest events holding a word found in about 8 % of them."""
    query = {"q": KEYWORD, "sort": "-date", "limit": KEYWORD_PAGE}
    ours = latencies(app.base_port, "/v1/events?" + urlencode(query), settings)
    naive = raw_latencies(
        engine, [queries.keyword_newest_naive(engine, KEYWORD, KEYWORD_PAGE)], settings
    )
    return _absolute(f"Keyword '{KEYWORD}', newest {KEYWORD_PAGE}", ours, naive, 15)


def export_scenarios(
    serve: Callable[[], AbstractContextManager[serving.Server]],
    events: int,
    format: str,
    raw_seconds: float,
) -> list[Result]:
    """Every event streamed as NDJSON or CSV twice: built from the events, then asked again
    with the data unchanged (given from the file the first one left, app.formats.kept); with
    the serving workers' peak memory, held against the driver reading the rows the export
    reads (`raw_seconds`, queries.export_reads)."""
    path = f"/v1/events/export?format={format}"
    with serve() as app:
        built = _timed_stream(app.base_port, path)
        again = _timed_stream(app.base_port, path)
        peak = serving.peak_rss_mib(app.worker_pids())
    if not again.kept:
        raise RuntimeError(f"GET {path} asked again was built again, not given from its file")
    return [
        _export_result(
            f"Export of {events:,} events, {format.upper()}", built, events, raw_seconds, peak
        ),
        _export_result(
            f"The same export asked again, {format.upper()}, given from its kept file",
            again,
            events,
            raw_seconds,
            peak,
        ),
    ]


@dataclass(frozen=True)
class Streamed:
    size: int
    seconds: float
    # Only a kept file is answered with its length ahead (a built export is chunked).
    kept: bool


def _export_result(
    scenario: str, streamed: Streamed, events: int, raw_seconds: float, peak: float
) -> Result:
    rate = events / streamed.seconds
    raw_rate = events / raw_seconds
    return Result(
        scenario,
        f"{rate:,.0f} events/s ({streamed.size / 2**20:,.0f} MiB, {streamed.seconds:.1f} s), "
        f"peak RSS {peak:.0f} MiB",
        f"the driver reading the export's rows {raw_rate:,.0f} events/s ({raw_seconds:.1f} s)",
        rate / raw_rate,
        "≥ 100,000 events/s, peak RSS ≤ 300 MB",
        rate >= 100_000 and peak <= 300,
    )


def _timed_stream(port: int, path: str) -> Streamed:
    """Read a streamed answer to its end."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
    try:
        started = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status}")
        size = 0
        while block := response.read(1 << 20):
            size += len(block)
        seconds = time.perf_counter() - started
        return Streamed(size, seconds, kept=response.getheader("Content-Length") is not None)
    finally:
        conn.close()


def import_result(events: int, import_seconds: float, copy_seconds: float | None) -> Result:
    rate = events / import_seconds
    if copy_seconds is None:
        return Result(f"Import of {events:,} events", f"{rate:,.0f} events/s", "—", None, "—", None)
    copy_rate = events / copy_seconds
    ratio = rate / copy_rate
    return Result(
        f"Bulk import of {events:,} events (NDJSON, atomic)",
        f"{rate:,.0f} events/s ({import_seconds:.0f} s)",
        f"raw COPY of the same rows {copy_rate:,.0f} events/s ({copy_seconds:.0f} s)",
        ratio,
        "≥ 40 % of COPY's rate",
        ratio >= 0.4,
    )


def table(results: list[Result]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| scenario | Waqai | limit (same run) | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        ratio = "—" if r.ratio is None else f"{r.ratio:.2f}"
        met = "—" if r.met is None else ("yes" if r.met else "**no**")
        lines.append(f"| {r.scenario} | {r.measured} | {r.limit} | {ratio} | {r.target} | {met} |")
    return "\n".join(lines)


def result_path(directory: Path, db: str, events: int) -> Path:
    return directory / f"{db}-{events}.md"
