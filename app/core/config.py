"""Settings read from the environment (prefix WAQAI_); every one is documented in the README."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from limits import parse_many
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("var/waqai.db")
PLACEHOLDER_SECRETS = {"changeme", "change-me", "secret", "please-change", "xxx"}


class Settings(BaseSettings):
    """Everything an operator can set; names are WAQAI_ + the upper-cased field name."""

    model_config = SettingsConfigDict(env_prefix="WAQAI_", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_SQLITE_PATH}",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user:pw@host/db.",
    )
    database_read_url: str | None = Field(
        default=None,
        description="A PostgreSQL read replica for plain reads; writes and as-of reads use "
        "database_url. Reads there may lag the primary by the replication delay.",
    )
    public_read: bool = Field(
        default=True, description="Published records are readable without an API key."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Minimum level of the JSON log lines written to stderr."
    )
    secret_key: str = Field(
        default_factory=lambda: secrets.token_urlsafe(32),
        description="Signs pagination cursors; set it when several workers serve one database.",
        min_length=16,
    )
    max_body_bytes: int = Field(
        default=1_048_576, ge=1024, description="Largest request body accepted (413 above it)."
    )
    max_upload_bytes: int = Field(
        default=1_073_741_824,
        ge=1024,
        description="Largest file accepted by POST /v1/imports (413 above it).",
    )
    data_dir: Path = Field(
        default=Path("var"),
        description="Where uploaded import files wait while they are loaded, and where exports "
        "are kept (export_cache_mb).",
    )
    sqlite_busy_timeout_ms: int = Field(
        default=5000, ge=0, description="How long a SQLite writer waits for the lock."
    )
    db_pool_size: int = Field(default=10, ge=1, description="PostgreSQL connections per worker.")
    db_pool_timeout: float = Field(
        default=30,
        gt=0,
        description="Seconds a request waits for a free PostgreSQL connection (503 after).",
    )
    review_requires_second_editor: bool = Field(
        default=False,
        description="Four eyes: events are published only from in_review, by another editor.",
    )
    as_of_max_changes: int = Field(
        default=100_000,
        ge=1,
        description="Most records changed since an as_of instant that one read rewinds (422 "
        "above it): the work of an as-of read grows with the changes made since.",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default=[],
        description="Origins allowed to call the API from a browser (comma-separated, e.g. "
        "https://monitor.example.org); none by default.",
    )
    max_concurrent_exports: int = Field(
        default=4,
        ge=1,
        description="Exports one worker streams at once (429 with Retry-After above it).",
    )
    answer_cache_mb: int = Field(
        default=32,
        ge=0,
        description="MiB of timeline answers one worker keeps by their ETag, to answer the "
        "same query again without reading the events while the data is unchanged; 0: none.",
    )
    export_cache_mb: int = Field(
        default=2048,
        ge=0,
        description="MiB of export files the workers of one host keep on disk (under data_dir) "
        "by their ETag, to give the same export again while the data is unchanged without "
        "building it; never more than half the disk space free; 0: none.",
    )
    rate_limit_key: str | None = Field(
        default=None,
        description='Requests allowed per API key, e.g. "100/minute" or "10/second;1000/hour" '
        "(429 above it); unlimited if unset.",
    )
    rate_limit_anonymous: str | None = Field(
        default=None,
        description="Requests allowed per client address without a key, same notation.",
    )
    redis_url: str | None = Field(
        default=None,
        description="redis://host:6379/0: rate-limit counts shared by every worker and host "
        "(otherwise each process counts alone).",
    )
    load_demo: bool = Field(
        default=True, description="`waqai serve` loads the demo data into an empty SQLite file."
    )
    production: bool = Field(
        default=False,
        description="Refuse to start on a placeholder secret, or on a database that can lose "
        "acknowledged commits (PostgreSQL fsync or synchronous_commit off, SQLite synchronous "
        "below FULL).",
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("rate_limit_key", "rate_limit_anonymous")
    @classmethod
    def _rate_limit(cls, value: str | None) -> str | None:
        if value:
            try:
                parse_many(value)
            except ValueError as exc:
                raise ValueError(f'{value!r} is not a rate such as "100/minute"') from exc
        return value

    @field_validator("secret_key")
    @classmethod
    def refuse_placeholder(cls, value: str) -> str:
        """Refuse well-known placeholder secrets: a guessable key lets anyone forge cursors."""
        if value.lower() in PLACEHOLDER_SECRETS:
            raise ValueError("WAQAI_SECRET_KEY is a placeholder; set a random value")
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
