"""The `waqai` command against a fresh database of the backend under test."""

from __future__ import annotations

import gc
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.cli import cli
from app.core.auth import Role, authenticate, hash_secret
from app.core.config import get_settings
from app.core.errors import Unauthorized
from app.core.migrations import head
from app.models import ApiKey
from tests.conftest import TEST_URL, fresh_database_url

COUNTED = ("outlets", "sources", "actors", "locations", "processes", "events", "revisions")


@pytest.fixture
def database_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """WAQAI_DATABASE_URL names a new, empty database for the command to use."""
    url = fresh_database_url(tmp_path, "cli")
    monkeypatch.setenv("WAQAI_DATABASE_URL", url)
    monkeypatch.setenv("WAQAI_LOG_LEVEL", "WARNING")
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.fixture
def engine(database_env: str) -> Iterator[Engine]:
    engine = create_engine(database_env)
    yield engine
    engine.dispose()


def waqai(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _upgraded() -> None:
    result = waqai("db", "upgrade")
    assert result.exit_code == 0, result.output


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in COUNTED
        }


class TestDb:
    def test_upgrade_then_current_shows_head(self, database_env: str) -> None:
        before = waqai("db", "current")
        assert before.exit_code == 0
        assert "database: None" in before.stdout
        upgraded = waqai("db", "upgrade")
        assert upgraded.exit_code == 0, upgraded.output
        assert f"database at {head()}" in upgraded.stdout
        current = waqai("db", "current")
        assert current.exit_code == 0
        assert current.stdout.splitlines() == [f"database: {head()}", f"code:     {head()}"]

    def test_downgrade_to_base(self, database_env: str) -> None:
        _upgraded()
        result = waqai("db", "downgrade", "base")
        assert result.exit_code == 0, result.output
        assert "database at None" in result.stdout


class TestDemoLoad:
    def test_second_load_creates_nothing(self, engine: Engine) -> None:
        _upgraded()
        first = waqai("demo", "load")
        assert first.exit_code == 0, first.output
        assert "records created" in first.stdout
        counts = _counts(engine)
        assert counts["events"] == 16
        second = waqai("demo", "load")
        assert second.exit_code == 0, second.output
        assert "already loaded" in second.stdout
        assert _counts(engine) == counts

    def test_refuses_an_unmigrated_database(self, engine: Engine) -> None:
        result = waqai("demo", "load")
        assert result.exit_code == 2
        assert "waqai db upgrade" in result.stderr


class TestKeys:
    def _create(self, engine: Engine, role: str = "editor") -> tuple[str, str]:
        """Create a key with the command; returns its id and the printed secret."""
        result = waqai("keys", "create", "--name", "x", "--role", role)
        assert result.exit_code == 0, result.output
        secret = result.stdout.strip()
        with engine.connect() as connection:
            key = connection.execute(
                select(ApiKey.id, ApiKey.role).where(ApiKey.secret_hash == hash_secret(secret))
            ).one()
        assert key.role == role
        assert str(key.id) in result.stderr
        return str(key.id), secret

    def test_create_prints_a_secret_that_authenticates(self, engine: Engine) -> None:
        _upgraded()
        _, secret = self._create(engine)
        assert secret.startswith("wq_")
        with Session(engine) as session:
            principal, _ = authenticate(session, f"Bearer {secret}")
        assert principal.role == Role.editor

    def test_list_never_prints_secrets(self, engine: Engine) -> None:
        _upgraded()
        key_id, secret = self._create(engine)
        result = waqai("keys", "list")
        assert result.exit_code == 0, result.output
        line = next(line for line in result.stdout.splitlines() if key_id in line)
        assert line.split() == [key_id, "editor", "active", "x"]
        assert secret not in result.output
        assert hash_secret(secret) not in result.output

    def test_revoke(self, engine: Engine) -> None:
        _upgraded()
        key_id, secret = self._create(engine, role="admin")
        result = waqai("keys", "revoke", key_id)
        assert result.exit_code == 0, result.output
        assert f"revoked {key_id}" in result.stdout
        listed = waqai("keys", "list").stdout
        assert next(line for line in listed.splitlines() if key_id in line).split()[2] == "revoked"
        with Session(engine) as session, pytest.raises(Unauthorized, match="revoked"):
            authenticate(session, f"Bearer {secret}")


class TestServe:
    @pytest.mark.skipif(not TEST_URL, reason="SQLite databases are migrated by `serve` itself")
    def test_refuses_an_unmigrated_postgresql_database(self, engine: Engine) -> None:
        # An unusable host: were the check ever skipped, uvicorn would fail to bind, not serve.
        result = waqai("serve", "--host", "256.0.0.1", "--port", "1")
        assert result.exit_code == 2, result.output
        assert "waqai db upgrade" in result.stderr
        assert waqai("db", "current").stdout.startswith("database: None")


class TestConnections:
    def test_commands_close_their_database_connections(self, database_env: str) -> None:
        gc.collect()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ResourceWarning)
            for args in (("db", "upgrade"), ("db", "current"), ("keys", "list")):
                assert waqai(*args).exit_code == 0
            gc.collect()
        assert [str(w.message) for w in caught if w.category is ResourceWarning] == []


class TestImportExport:
    def test_an_export_imports_into_an_empty_database_and_again_adds_nothing(
        self, engine: Engine, tmp_path: Path
    ) -> None:
        _upgraded()
        assert waqai("demo", "load").exit_code == 0
        exported = waqai("export", "--format", "csv", "--drafts")
        assert exported.exit_code == 0, exported.output
        assert exported.stdout.startswith("id,type,when,")
        demo = _counts(engine)
        with engine.begin() as connection:  # empty the database, keeping its schema
            for table in (
                "event_external_ids",
                "citations",
                "participations",
                "event_processes",
                "event_links",
                "search_documents",
                "events",
            ):
                connection.execute(text(f"DELETE FROM {table}"))
        path = tmp_path / "demo.csv"
        path.write_text(exported.stdout, encoding="utf-8")
        first = waqai("import", str(path), "--format", "csv")
        assert first.exit_code == 0, first.output
        assert "Imported: 16 created, 0 updated, 0 unchanged, 0 rejected." in first.stdout
        again = waqai("import", str(path), "--format", "csv")
        assert "0 created, 0 updated, 16 unchanged" in again.stdout
        assert _counts(engine)["events"] == demo["events"]

    def test_a_bad_file_exits_2_and_bad_rows_exit_1_with_their_lines(
        self, engine: Engine, tmp_path: Path
    ) -> None:
        _upgraded()
        wrong = tmp_path / "wrong.csv"
        wrong.write_text("foo,bar\n1,2\n", encoding="utf-8")
        refused = waqai("import", str(wrong), "--format", "acled")
        assert refused.exit_code == 2
        assert "missing columns event_id_cnty" in refused.stderr
        bad = tmp_path / "bad.csv"
        bad.write_text("type,when,title\nother,2020-02-31,x\n", encoding="utf-8")
        rejected_file = tmp_path / "rejected.csv"
        result = waqai("import", str(bad), "--format", "csv", "--rejected", str(rejected_file))
        assert result.exit_code == 1
        assert "line 2: when:" in result.stderr
        assert rejected_file.read_text(encoding="utf-8").startswith("line,reason,type,when,title")
        assert _counts(engine)["events"] == 0

    def test_export_refuses_an_unknown_format(self, engine: Engine) -> None:
        _upgraded()
        result = waqai("export", "--format", "xlsx")
        assert result.exit_code == 2
        assert "timelinejs" in result.stderr
