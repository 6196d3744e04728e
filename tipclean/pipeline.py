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
import hashlib
from array import array
from collections.abc import Callable, Sequence
from typing import Any

import regex

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

RERUN = frozenset({("spelling", "words")})
"""Steps that are not idempotent on their own and must confirm their output:
a correction can change a line's language ("ofa" → "ora" makes a line
Spanish), and the next run then corrects that line as Spanish."""


class _OffsetMap:
    """Maps offsets of a step's output back to offsets of its input."""

    __slots__ = ("in_ends", "in_starts", "out_ends", "out_starts")

    def __init__(self, edits: Sequence[Edit]) -> None:
        out_starts: list[int] = []
        out_ends: list[int] = []
        in_starts: list[int] = []
        in_ends: list[int] = []
        shift = 0
        for edit in edits:
            out_start = edit.start + shift
            in_starts.append(edit.start)
            in_ends.append(edit.end)
            out_starts.append(out_start)
            out_ends.append(out_start + len(edit.after))
            shift += len(edit.after) - (edit.end - edit.start)
        # Machine integers: a long document has maps for 100,000 edits.
        self.out_starts = array("q", out_starts)
        self.out_ends = array("q", out_ends)
        self.in_starts = array("q", in_starts)
        self.in_ends = array("q", in_ends)

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
        self.original = original
        self.line_offset = line_offset
        self.maps: list[_OffsetMap] = []
        self._newlines: list[int] | None = None

    @property
    def newlines(self) -> list[int]:
        """Offsets of the original's newlines, found when the first change is logged."""
        if self._newlines is None:
            text = self.original
            found: list[int] = []
            at = text.find("\n")
            while at >= 0:
                found.append(at)
                at = text.find("\n", at + 1)
            self._newlines = found
        return self._newlines

    def line(self, pos: int) -> int:
        for offset_map in reversed(self.maps):
            pos = offset_map.back(pos)
        return bisect.bisect_right(self.newlines, pos - 1) + 1 + self.line_offset

    def lines(self, positions: Sequence[int]) -> list[int]:
        """:meth:`line` of each of `positions`, map by map (a step logs thousands)."""
        found = list(positions)
        bisect_right = bisect.bisect_right
        for offset_map in reversed(self.maps):
            out_starts, out_ends = offset_map.out_starts, offset_map.out_ends
            in_starts, in_ends = offset_map.in_starts, offset_map.in_ends
            for i, pos in enumerate(found):
                k = bisect_right(out_starts, pos) - 1
                if k >= 0:
                    found[i] = in_starts[k] if pos < out_ends[k] else pos - out_ends[k] + in_ends[k]
        newlines, first = self.newlines, 1 + self.line_offset
        return [bisect_right(newlines, pos - 1) + first for pos in found]


def _digest(text: str, version: int, digests: dict[int, bytes]) -> bytes:
    """The digest of `text`, which is version `version` of the document (computed once)."""
    found = digests.get(version)
    if found is None:
        data = text.encode("utf-8", "surrogatepass")
        found = digests[version] = hashlib.blake2b(data, digest_size=16).digest()
    return found


def split_front_matter(text: str) -> tuple[str, str]:
    """Split a leading ``---`` front-matter block from the body.

    Front matter belongs to the corpus repo's tooling, not to the prose, so
    no stage touches it.

    >>> split_front_matter("---\\nlanguage: es\\n---\\nHola\\n")
    ('---\\nlanguage: es\\n---\\n', 'Hola\\n')
    >>> split_front_matter("--- no\\n")
    ('', '--- no\\n')

    A block needs a ``key: value`` line: two rules of dashes around nothing
    are a horizontal rule in the prose, and cleaning must not be able to
    turn prose into front matter (" ---" loses its space).

    >>> split_front_matter("---\\n\\n---\\nHola\\n")
    ('', '---\\n\\n---\\nHola\\n')
    """
    if not text.startswith("---\n"):
        return "", text
    end = text.find("\n---\n", 3)
    if end < 0:
        if text.endswith("\n---") and text.count("\n") >= 2:
            end = len(text) - 4
            front, body = text, ""
        else:
            return "", text
    else:
        front, body = text[: end + 5], text[end + 5 :]
    if not _FRONT_KEY.search(text[4:end]):
        return "", text
    return front, body


_FRONT_KEY = regex.compile(r"^[\w-]+[ \t]*:", regex.M)


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
    # step whose input is exactly what it returned last time. The texts are
    # not kept for that (a long document would be held once per step): each
    # step's output is known by its version number, and an older version by
    # its digest, taken only if a step's output was that version.
    last_output: dict[tuple[str, str], int] = {}
    digests: dict[int, bytes] = {}
    version = 0
    # The spelling passes share their index of the document's words. Should a
    # step raise, it stays until the next run replaces it: only memory.
    spelling.begin_document()
    for pass_no in range(1, MAX_PASSES + 1):
        before_pass = body
        for stage, steps in STAGES.items():
            if not getattr(config, stage):
                continue
            for step_name, step in steps:
                seen = last_output.get((stage, step_name))
                if seen is not None and (stage, step_name) not in RERUN and (
                    seen == version or digests[seen] == _digest(body, version, digests)
                ):
                    continue
                edits = step(body, config)
                if not edits:
                    last_output[(stage, step_name)] = version
                    continue
                lines = locator.lines([edit.start for edit in edits])
                for edit, line in zip(edits, lines, strict=True):
                    changes.append(
                        Change(
                            stage=stage,
                            step=step_name,
                            start=edit.start + len(front),
                            end=edit.end + len(front),
                            line=line,
                            before=body[edit.start : edit.end],
                            after=edit.after,
                            reason=edit.reason,
                            pass_no=pass_no,
                        )
                    )
                if version in last_output.values():
                    _digest(body, version, digests)
                body = apply_edits(body, edits)
                version += 1
                last_output[(stage, step_name)] = version
                locator.maps.append(_OffsetMap(edits))
        if body == before_pass:
            break
    spelling.end_document()
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


def run_decoded(text: str, note: Edit | None, config: CleanConfig | None = None, **overrides: Any) -> Document:
    """:func:`run` on text decoded from a file; `note` (from :func:`tipclean.files.decode`)
    says how, when it was not plain UTF-8, and heads the change log."""
    doc = run(text, config, **overrides)
    if note is None:
        return doc
    decoded = Change("encoding", "decode", 0, 0, 1, "", "", note.reason)
    return dataclasses.replace(doc, changes=(decoded, *doc.changes))
