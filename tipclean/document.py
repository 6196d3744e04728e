"""Result types: what a cleaning run returns and how it explains itself."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple


class Edit(NamedTuple):
    """One replacement a pipeline step wants: ``text[start:end]`` becomes ``after``.

    Steps return edits instead of new text so that the pipeline, not each
    step, applies them: the change log then replays by construction.
    """

    start: int
    end: int
    after: str
    reason: str


@dataclass(frozen=True)
class Change:
    """One change the pipeline made.

    ``start``/``end`` are offsets in the text as the step found it, a
    leading front-matter block included (so the changes of one step, applied
    in order, replay exactly: :func:`replay` rebuilds the output from the
    input);
    ``line`` is the 1-based line of the *original* input where the change
    happened, which is what a person looks for.
    """

    stage: str
    step: str
    start: int
    end: int
    line: int
    before: str
    after: str
    reason: str
    pass_no: int = 1

    def describe(self) -> str:
        """``[stage] before ==> after (reason)``, as listed by ``--explain``."""
        return f"[{self.stage}] {self.before!r} ==> {self.after!r} ({self.reason})"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph, heading or list item of the output, one line each."""

    text: str
    language: str
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """The cleaned text with its language tags and the list of changes."""

    text: str
    language: str = "und"
    paragraphs: tuple[Paragraph, ...] = ()
    changes: tuple[Change, ...] = ()
    original: str = field(default="", repr=False, compare=False)

    @property
    def changed(self) -> bool:
        """True when the cleaned text differs from the input."""
        return self.text != self.original

    @property
    def languages(self) -> dict[str, int]:
        """How many paragraphs carry each language tag."""
        counts: dict[str, int] = {}
        for para in self.paragraphs:
            counts[para.language] = counts.get(para.language, 0) + 1
        return dict(sorted(counts.items()))

    def changes_by_stage(self) -> dict[str, int]:
        """Number of changes each stage made."""
        counts: dict[str, int] = {}
        for change in self.changes:
            counts[change.stage] = counts.get(change.stage, 0) + 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view (what ``--json`` prints)."""
        return {
            "text": self.text,
            "language": self.language,
            "languages": self.languages,
            "paragraphs": [asdict(p) for p in self.paragraphs],
            "changes": [asdict(c) for c in self.changes],
        }


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply sorted, non-overlapping edits to `text`.

    >>> apply_edits("nifios y afios", [Edit(0, 6, "niños", "x"), Edit(9, 14, "años", "x")])
    'niños y años'
    """
    out: list[str] = []
    pos = 0
    for edit in edits:
        if edit.start < pos or edit.end < edit.start:
            raise ValueError(f"edits overlap or are unsorted at {edit.start}")
        out.append(text[pos : edit.start])
        out.append(edit.after)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)


def replay(text: str, changes: Iterable[Change]) -> str:
    """Re-apply a change log to the original text.

    Consecutive changes of the same step (and pass) share one input, as the
    pipeline applied them; this is how a test proves that the log is complete.
    """
    group: list[Edit] = []
    key: tuple[int, str, str] | None = None
    for change in changes:
        this = (change.pass_no, change.stage, change.step)
        if key is not None and this != key:
            text = apply_edits(text, group)
            group = []
        key = this
        group.append(Edit(change.start, change.end, change.after, change.reason))
    return apply_edits(text, group)
