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


def test_diff_fast_paths_are_the_full_diff() -> None:
    # _diff trims the common head and tail by binary search, and returns a
    # lone changed character as one edit: what the loops and the character
    # diff they replace give.
    import difflib
    import random

    from tipclean.encoding import _common_head, _common_tail, _diff, _uncurl

    rng = random.Random(3)
    alpha = "ab \u2018\u2019\u201c\u201d'\"x."
    for _ in range(5000):
        old = "".join(rng.choice(alpha) for _ in range(rng.randint(0, 30)))
        chars = list(old)
        for _ in range(rng.randint(1, 3)):
            k = rng.randint(0, len(chars))
            if k < len(chars) and rng.random() < 0.5:
                chars[k] = rng.choice(alpha)
            else:
                chars.insert(k, rng.choice(alpha))
        new = "".join(chars)
        assert _uncurl(old) == old.translate(str.maketrans(dict(zip("\u2018\u2019\u201c\u201d", "''\"\""))))
        if new == old:
            continue
        head, limit = 0, min(len(old), len(new))
        while head < limit and old[head] == new[head]:
            head += 1
        tail = 0
        while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
            tail += 1
        assert (_common_head(old, new, limit), _common_tail(old, new, limit - head)) == (head, tail)
        old_mid, new_mid = old[head : len(old) - tail], new[head : len(new) - tail]
        if len(old_mid) <= 1 and len(new_mid) <= 1:
            ops = difflib.SequenceMatcher(None, old_mid, new_mid, autojunk=False).get_opcodes()
            expected = [(7 + head + c1, 7 + head + c2, new_mid[d1:d2]) for op, c1, c2, d1, d2 in ops if op != "equal"]
            assert [(e.start, e.end, e.after) for e in _diff(old, new, 7, "r")] == expected
