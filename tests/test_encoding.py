"""Encoding stage cases, run through the encoding stage alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import tipclean
from tipclean.document import replay

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "cases" / "encoding.json").read_text(encoding="utf-8")
)
ONLY_ENCODING = {"layout": False, "spelling": False}


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_encoding_case(case: dict[str, Any]) -> None:
    options = {**ONLY_ENCODING, **case.get("options", {})}
    doc = tipclean.clean_document(case["original"], **options)
    assert doc.text == case["cleaned"]
    assert tipclean.clean(doc.text, **options) == doc.text
    assert replay(case["original"], doc.changes) == doc.text
    assert all(c.stage == "encoding" and c.reason for c in doc.changes)


def test_change_positions_point_at_the_damage() -> None:
    doc = tipclean.clean_document("uno\ndos Per\u00c3\u00ba\n", **ONLY_ENCODING)
    (change,) = doc.changes
    assert (change.line, change.before, change.after) == (2, "\u00c3\u00ba", "ú")
    assert doc.original[change.start : change.end] == change.before
