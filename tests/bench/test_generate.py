"""The benchmark's data generator: the same seed gives the same file, and it imports cleanly."""

from __future__ import annotations

import io
from collections import Counter

import orjson
from sqlalchemy import func, select

from app.core.auth import Principal, Role
from app.core.db import Database
from app.imports import jobs
from app.models import EventExternalId, Participation
from bench import generate


def generated(count: int, seed: int) -> bytes:
    out = io.BytesIO()
    generate.write(out, count, seed)
    return out.getvalue()


class TestGenerate:
    def test_the_same_seed_gives_the_same_bytes(self) -> None:
        assert generated(300, seed=7) == generated(300, seed=7)
        assert generated(300, seed=7) != generated(300, seed=8)

    def test_the_data_is_skewed_like_real_conflict_data(self) -> None:
        records = [orjson.loads(line) for line in generated(3000, seed=1).splitlines()]
        countries = Counter(r["location"]["country"] for r in records)
        actors = Counter(a["id"] for r in records for a in r["actors"])
        keyword = sum(generate.KEYWORD in r["summary"].get("en", "") for r in records)
        assert countries.most_common(1)[0][1] > 10 * countries.most_common()[-1][1]
        assert actors.most_common(1)[0][1] > 100
        assert 0.06 < keyword / len(records) < 0.10
        assert {r["when"][:4] for r in records} == {str(y) for y in generate.YEARS}


class TestImport:
    def test_the_generated_file_imports_every_row(self, database: Database) -> None:
        data = generated(200, seed=3)
        report = jobs.execute(
            database,
            io.BytesIO(data),
            format="ndjson",
            mode="atomic",
            dry_run=False,
            by=Principal(role=Role.admin, name="test"),
            reason="benchmark data",
        )
        assert (report.created, report.rejected) == (200, [])
        ours = select(EventExternalId.event_id).where(EventExternalId.scheme == "bench")
        with database.session(write=False) as session:
            assert session.scalar(select(func.count()).select_from(ours.subquery())) == 200
            links = session.scalar(select(func.count()).where(Participation.event_id.in_(ours)))
        assert links == sum(len(orjson.loads(line)["actors"]) for line in data.splitlines())
