"""The README documents every setting (a setting nobody can find does not exist)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.config import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme_table(name: str) -> None:
    assert f"| `WAQAI_{name.upper()}` |" in README


def test_the_readme_starts_with_the_two_commands() -> None:
    head = README[: README.index("## The demo data")]
    assert "make run" in head
    assert "make test" in head
