"""Whole-pipeline properties on every seed: idempotent, deterministic, the log replays."""

from __future__ import annotations

from pathlib import Path

import pytest

import tipclean
from tipclean.document import replay

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))


@pytest.fixture(scope="module", params=SEEDS, ids=[p.name[:3] for p in SEEDS])
def seed(request: pytest.FixtureRequest) -> tuple[str, tipclean.Document]:
    path: Path = request.param
    text = path.read_text(encoding="utf-8")
    return text, tipclean.clean_document(text)


def test_idempotent(seed: tuple[str, tipclean.Document]) -> None:
    _, doc = seed
    again = tipclean.clean_document(doc.text)
    assert again.text == doc.text
    assert again.changes == ()


def test_log_replays(seed: tuple[str, tipclean.Document]) -> None:
    text, doc = seed
    assert replay(text, doc.changes) == doc.text


def test_deterministic(seed: tuple[str, tipclean.Document]) -> None:
    text, doc = seed
    assert tipclean.clean_document(text) == doc
