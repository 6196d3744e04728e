"""Run the stages in a fixed order and keep the log of every change.

Order: encoding → layout → spelling, then language tagging.

The issue sketch put spelling before layout; we run layout first because the
corrector works better on unwrapped paragraphs: a word split at a line end
("protec-" / "ción") is whole again, and each paragraph is one line whose
language can be detected once. Layout never needs corrected spelling (it
only asks the lexicon whether a hyphen-joined word is real).

Every step returns :class:`~tipclean.document.Edit` records; the pipeline
applies them, so the change log replays by construction. The whole sequence
is repeated until the text stops changing (at most `MAX_PASSES` times), as
ftfy does, so that a pre-commit hook always settles.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from . import encoding, language, layout, spelling
from .config import CleanConfig, make_config
from .document import Change, Document, Edit, apply_edits

Step = Callable[[str, CleanConfig], list[Edit]]

STAGES: dict[str, tuple[tuple[str, Step], ...]] = {
    "encoding": encoding.STEPS,
    "layout": layout.STEPS,
    "spelling": spelling.STEPS,
}
"""Stage name → its steps, in the order they run."""

MAX_PASSES = 3


class _OffsetMap:
    """Maps offsets of a step's output back to offsets of its input."""

    __slots__ = ("in_ends", "in_starts", "out_ends", "out_starts")

    def __init__(self, edits: Sequence[Edit]) -> None:
        self.out_starts: list[int] = []
        self.out_ends: list[int] = []
        self.in_starts: list[int] = []
        self.in_ends: list[int] = []
        shift = 0
        for edit in edits:
            out_start = edit.start + shift
            self.in_starts.append(edit.start)
            self.in_ends.append(edit.end)
            self.out_starts.append(out_start)
            self.out_ends.append(out_start + len(edit.after))
            shift += len(edit.after) - (edit.end - edit.start)

    def back(self, pos: int) -> int:
        k = bisect.bisect_right(self.out_starts, pos) - 1
        if k < 0:
            return pos
        if pos < self.out_ends[k]:
            return self.in_starts[k]
        return pos - self.out_ends[k] + self.in_ends[k]


class _LineLocator:
    """Finds the original line of an offset in any intermediate text."""

    def __init__(self, original: str, line_offset: int) -> None:
        self.newlines = [i for i, ch in enumerate(original) if ch == "\n"]
        self.line_offset = line_offset
        self.maps: list[_OffsetMap] = []

    def line(self, pos: int) -> int:
        for offset_map in reversed(self.maps):
            pos = offset_map.back(pos)
        return bisect.bisect_right(self.newlines, pos - 1) + 1 + self.line_offset


def split_front_matter(text: str) -> tuple[str, str]:
    """Split a leading ``---`` front-matter block from the body.

    Front matter belongs to the corpus repo's tooling, not to the prose, so
    no stage touches it.

    >>> split_front_matter("---\\nlanguage: es\\n---\\nHola\\n")
    ('---\\nlanguage: es\\n---\\n', 'Hola\\n')
    >>> split_front_matter("--- no\\n")
    ('', '--- no\\n')
    """
    if not text.startswith("---\n"):
        return "", text
    end = text.find("\n---\n", 3)
    if end < 0:
        if text.endswith("\n---") and text.count("\n") >= 2:
            return text, ""
        return "", text
    return text[: end + 5], text[end + 5 :]


def run(text: str, config: CleanConfig | None = None, **overrides: Any) -> Document:
    """Clean `text` and return the :class:`Document` with its change log.

    >>> doc = run("caf\\u00c3\\u00a9 con le\\u00c3\\u00b1a", spelling=False, layout=False)
    >>> doc.text
    'café con leña'
    >>> [c.reason for c in doc.changes]
    ['ftfy: encode latin-1, decode utf-8', 'ftfy: encode latin-1, decode utf-8']
    """
    if not isinstance(text, str):
        raise TypeError(
            f"tipclean works on str, not {type(text).__name__}; decode bytes first "
            "(tipclean.clean_file reads and decodes files)"
        )
    config = make_config(config, **overrides)
    front, body = split_front_matter(text)
    locator = _LineLocator(body, front.count("\n"))
    changes: list[Change] = []
    # Every step is idempotent on its own, so a later pass need not rerun a
    # step whose input is exactly what it returned last time.
    last_output: dict[tuple[str, str], str] = {}
    for pass_no in range(1, MAX_PASSES + 1):
        before_pass = body
        for stage, steps in STAGES.items():
            if not getattr(config, stage):
                continue
            for step_name, step in steps:
                if last_output.get((stage, step_name)) == body:
                    continue
                edits = step(body, config)
                if not edits:
                    last_output[(stage, step_name)] = body
                    continue
                for edit in edits:
                    changes.append(
                        Change(
                            stage=stage,
                            step=step_name,
                            start=edit.start,
                            end=edit.end,
                            line=locator.line(edit.start),
                            before=body[edit.start : edit.end],
                            after=edit.after,
                            reason=edit.reason,
                            pass_no=pass_no,
                        )
                    )
                body = apply_edits(body, edits)
                last_output[(stage, step_name)] = body
                locator.maps.append(_OffsetMap(edits))
        if body == before_pass:
            break
    doc_language, paragraphs = language.tag(body, config)
    if config.mark_language:
        marked = language.mark(front, doc_language)
        if marked != front:
            changes.append(
                Change("language", "mark", 0, len(front), 1, front, marked, "language front matter")
            )
            front = marked
    if front:
        paragraphs = tuple(
            dataclasses.replace(p, start=p.start + len(front), end=p.end + len(front))
            for p in paragraphs
        )
    return Document(
        text=front + body,
        language=doc_language,
        paragraphs=paragraphs,
        changes=tuple(changes),
        original=text,
    )
