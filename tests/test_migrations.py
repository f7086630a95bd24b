"""Migrations go up and down cleanly, match the models, and guard the service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import Engine, inspect

from app.core.config import Settings
from app.core.db import create_db_engine
from app.core.migrations import (
    SchemaOutdated,
    current,
    described_by_models,
    downgrade,
    ensure_current,
    head,
    upgrade,
)
from app.main import create_app
from app.models import Base
from tests.conftest import fresh_database_url


@pytest.fixture
def fresh_settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=fresh_database_url(tmp_path, "migrations"),
        secret_key="test-secret-key-0123456789",
        log_level="WARNING",
    )


@pytest.fixture
def fresh_engine(fresh_settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(fresh_settings)
    yield engine
    engine.dispose()


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


class TestUpgradeAndDowngrade:
    def test_round_trip(self, fresh_engine: Engine) -> None:
        upgrade(fresh_engine)
        assert current(fresh_engine) == head()
        assert set(Base.metadata.tables) <= _tables(fresh_engine)
        downgrade(fresh_engine, "base")
        assert current(fresh_engine) is None
        assert _tables(fresh_engine) == {"alembic_version"}
        upgrade(fresh_engine)
        assert current(fresh_engine) == head()
        assert set(Base.metadata.tables) <= _tables(fresh_engine)

    def test_models_and_migrations_do_not_drift(self, fresh_engine: Engine) -> None:
        upgrade(fresh_engine)
        with fresh_engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": described_by_models}
            )
            diff = compare_metadata(context, Base.metadata)
        assert diff == []


class TestEnsureCurrent:
    def test_unmigrated_database_is_refused(self, fresh_engine: Engine) -> None:
        with pytest.raises(SchemaOutdated, match="not migrated") as refused:
            ensure_current(fresh_engine)
        assert "waqai db upgrade" in str(refused.value)

    def test_migrated_database_passes(self, fresh_engine: Engine) -> None:
        upgrade(fresh_engine)
        ensure_current(fresh_engine)


class TestProbes:
    def test_migrated_database_is_ready(self, client: TestClient) -> None:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json() == {"status": "ready"}

    def test_unmigrated_database_is_not_ready(self, fresh_settings: Settings) -> None:
        with TestClient(create_app(fresh_settings), raise_server_exceptions=False) as client:
            assert client.get("/healthz").status_code == 200
            ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.headers["Content-Type"] == "application/problem+json"
        assert ready.json()["code"] == "not_ready"
        assert "waqai db upgrade" in ready.json()["detail"]
