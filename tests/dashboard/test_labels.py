"""The dashboard's labels: every one in English and in Arabic, with the same placeholders."""

from __future__ import annotations

import string

from app.dashboard.i18n import LANGUAGES, catalog


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_label_has_every_language() -> None:
    missing = [
        (key, lang)
        for key, texts in catalog().items()
        for lang in LANGUAGES
        if not texts.get(lang, "").strip()
    ]
    assert missing == []


def test_translations_fill_the_same_placeholders() -> None:
    differing = [
        key
        for key, texts in catalog().items()
        if _placeholders(texts["en"]) != _placeholders(texts["ar"])
    ]
    assert differing == []
