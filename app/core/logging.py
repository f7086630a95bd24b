"""Structured JSON logs on stderr."""

from __future__ import annotations

import logging
import sys

import structlog


def configure(level: str) -> None:
    """JSON lines with a timestamp, level and the request id bound by the middleware."""
    logging.basicConfig(stream=sys.stderr, level=level, format="%(message)s", force=True)
    # Alembic announces its dialect on every schema check (/readyz); that is not news.
    logging.getLogger("alembic.runtime.migration").setLevel(
        max(logging.WARNING, logging.getLevelName(level))
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )
