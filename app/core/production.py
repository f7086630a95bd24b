"""Production mode refuses to start on a setup that could lose acknowledged writes or whose
secrets are public knowledge.

A crash or power cut loses commits that PostgreSQL acknowledged with `fsync=off` or
`synchronous_commit=off`, and SQLite below `PRAGMA synchronous=FULL` (the app sets FULL);
a placeholder secret copied from an example lets anyone forge cursors or reach the database.
The checks read what the database actually does, on a connection of the app's own engine, so
a role's or a database's `SET`, or a URL `options=-c ...`, is seen as the app will live it.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from sqlalchemy import Engine, text

from app.core.config import PLACEHOLDER_SECRETS, Settings

# Words of a value someone meant to replace: "change-me-in-production", "example-password",
# "compose-demo-secret-please-set-in-production".
PLACEHOLDER_MARKERS = ("change", "placeholder", "please", "example", "insecure", "default", "dummy")
SQLITE_SYNCHRONOUS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
SQLITE_DURABLE_LEVEL = 2  # FULL: a commit is on disk before it returns, even in WAL mode


class UnsafeProduction(RuntimeError):
    """The service is in production mode on a setup that could lose or expose data."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("refusing to start in production mode:\n- " + "\n- ".join(problems))


def refuse_unsafe(settings: Settings, engine: Engine) -> None:
    """In production mode, raise UnsafeProduction naming every unsafe setting."""
    if not settings.production:
        return
    problems = secret_problems(settings) + durability_problems(engine)
    if problems:
        raise UnsafeProduction(problems)


def is_placeholder(value: str) -> bool:
    """Whether a secret looks like one copied from an example rather than generated."""
    lowered = value.lower()
    return lowered in PLACEHOLDER_SECRETS or any(word in lowered for word in PLACEHOLDER_MARKERS)


def secret_problems(settings: Settings) -> list[str]:
    """Every secret setting, and every password inside a `*_url` setting, that is a placeholder."""
    problems = []
    for name in sorted(Settings.model_fields):
        value = getattr(settings, name)
        if not isinstance(value, str):
            continue
        variable = f"WAQAI_{name.upper()}"
        if any(word in name for word in ("secret", "password", "token")) and is_placeholder(value):
            problems.append(f"{variable} is a placeholder; set a random value.")
        elif name.endswith("_url") and is_placeholder(unquote(urlsplit(value).password or "")):
            problems.append(f"the password in {variable} is a placeholder; set a real one.")
    return problems


def durability_problems(engine: Engine) -> list[str]:
    """The database settings under which an acknowledged commit can be lost in a crash."""
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            level = int(connection.exec_driver_sql("PRAGMA synchronous").scalar_one())
            if level >= SQLITE_DURABLE_LEVEL:
                return []
            name = SQLITE_SYNCHRONOUS.get(level, str(level))
            return [f"SQLite runs with PRAGMA synchronous={name}; commits need FULL."]
        query = "SELECT pg_catalog.current_setting(:name)"
        fsync = connection.execute(text(query), {"name": "fsync"}).scalar_one()
        commit = connection.execute(text(query), {"name": "synchronous_commit"}).scalar_one()
    problems = []
    if fsync == "off":
        problems.append("PostgreSQL runs with fsync=off: a crash can lose or corrupt any data.")
    if commit == "off":
        problems.append(
            "PostgreSQL runs with synchronous_commit=off for this role or database: a crash "
            "loses commits already acknowledged."
        )
    return problems
