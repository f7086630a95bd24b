"""The dashboard's labels in English and Arabic, and the language a request asks for.

Labels live in `locales/*.json`, one file per area of the dashboard, each label with both
languages side by side so a missing translation shows in review (and fails a test).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from fastapi import Request

Language = Literal["en", "ar"]

LOCALES = Path(__file__).parent / "locales"
LANGUAGES: tuple[Language, ...] = ("en", "ar")
LANGUAGE_COOKIE = "waqai_lang"


@cache
def catalog() -> dict[str, dict[str, str]]:
    """Every label: key -> {"en": ..., "ar": ...}; a key defined in two files is an error."""
    labels: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALES.glob("*.json")):
        for key, texts in json.loads(path.read_text(encoding="utf-8")).items():
            if key in labels:
                raise ValueError(f"label {key!r} is defined twice (again in {path.name})")
            labels[key] = texts
    return labels


@dataclass(frozen=True)
class Translator:
    """The labels of one language; a page calls it as `t("key", name=value)`."""

    lang: Language

    @property
    def dir(self) -> str:
        return "rtl" if self.lang == "ar" else "ltr"

    @property
    def other(self) -> Language:
        return "en" if self.lang == "ar" else "ar"

    def __call__(self, key: str, /, **values: object) -> str:
        text = catalog()[key][self.lang]
        return text.format(**values) if values else text

    def pick(self, texts: dict[str, str] | None) -> str:
        """A record's multilingual text in this language, else English, else any."""
        if not texts:
            return ""
        return texts.get(self.lang) or texts.get("en") or next(iter(texts.values()), "")

    def labels(self, *prefixes: str) -> dict[str, str]:
        """The labels an island needs, by key prefix, handed to it as JSON."""
        return {
            key: texts[self.lang] for key, texts in catalog().items() if key.startswith(prefixes)
        }


def request_language(request: Request) -> Language:
    """`?lang=` first (it is also remembered in a cookie), then that cookie, then English."""
    for asked in (request.query_params.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if asked in LANGUAGES:
            return asked
    return "en"
