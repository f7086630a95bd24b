"""Real databases built by migrations, one rolled-back transaction per test.

The suite runs against SQLite by default and against PostgreSQL when WAQAI_TEST_DATABASE_URL
names one (`make test` runs it both ways). Each pytest-xdist worker gets its own database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url

from app.core.auth import Role
from app.core.config import Settings
from app.core.db import Database, create_db_engine
from app.core.migrations import upgrade
from app.keys import service as keys
from app.main import create_app

TEST_URL = os.environ.get("WAQAI_TEST_DATABASE_URL", "")
# The one Chromium every browser test shares (`browser`).
pytest_plugins = ["tests.browser"]


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def fresh_database_url(tmp_dir: Path, name: str) -> str:
    """The URL of a new, empty database on the backend under test."""
    if not TEST_URL:
        return f"sqlite:///{tmp_dir / f'{name}.db'}"
    url = make_url(TEST_URL)
    database = f"{url.database}_{name}_{_worker()}".lower()
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return url.set(database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return fresh_database_url(tmp_path_factory.mktemp("db"), "suite")


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key="test-secret-key-0123456789",
        log_level="WARNING",
        data_dir=tmp_path_factory.mktemp("data"),
    )


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection whose transaction is rolled back after the test."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def database(engine: Engine, connection: Connection) -> Database:
    database = Database(engine)
    database.bind_to(connection)
    return database


@pytest.fixture
def app_settings(settings: Settings) -> Settings:
    return settings


@pytest.fixture
def client(app_settings: Settings, database: Database) -> Iterator[TestClient]:
    with TestClient(create_app(app_settings, database), raise_server_exceptions=False) as client:
        yield client


def _key(database: Database, role: Role) -> str:
    with database.session(write=True) as session:
        _, secret = keys.create(session, name=f"test {role}", role=role)
    return secret


@pytest.fixture
def admin_headers(database: Database) -> dict[str, str]:
    return {"Authorization": f"Bearer {_key(database, Role.admin)}"}


@pytest.fixture
def editor_headers(database: Database) -> dict[str, str]:
    return {"Authorization": f"Bearer {_key(database, Role.editor)}"}


@pytest.fixture
def reader_headers(database: Database) -> dict[str, str]:
    return {"Authorization": f"Bearer {_key(database, Role.reader)}"}


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:8]
