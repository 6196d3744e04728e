"""Encoding stage: mojibake and Unicode oddities, repaired with ftfy.

ftfy options we use, and why (see :func:`ftfy_config`):

- ``fix_encoding`` with ftfy's defaults: mojibake such as "Ã±" → "ñ".
- ``uncurl_quotes`` follows ``CleanConfig.uncurl_quotes`` (on by default, as in
  ftfy): corpus text is easier to search with one kind of quote. ftfy leaves
  guillemets « », the Spanish ¿ ¡ and dashes alone, and so do we.
- ``fix_line_breaks``: CRLF, CR and U+2028 become LF.
- ``remove_control_chars``: drops the BOM and other invisible controls.
- ``fix_latin_ligatures`` ("ﬁ" → "fi") and ``fix_character_width``.
- ``normalization="NFC"``, never NFKC: NFKC would turn "10³" into "103" and
  "º" into "o".
- ``unescape_html="auto"``: "&amp;" becomes "&" unless the text is HTML.

ftfy keeps NBSP and zero-width characters because they can be meant; in prose
corpora they are scraping debris, so the second step turns NBSP (and the
other fixed-width spaces) into a plain space and drops zero-width characters
and soft hyphens.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Sequence

import ftfy
import regex

from .config import CleanConfig
from .document import Edit

# A line that is plain ASCII without "&" (HTML entities), escapes or control
# characters cannot be changed by ftfy, so it skips ftfy entirely: that keeps
# clean English close to the speed of a string scan.
_ASCII_SAFE = regex.compile(r"[\t\n\x20-\x25\x27-\x7e]*+")
_LINE = regex.compile(r"[^\n]*+\n?")

_SPACES = regex.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = regex.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")


@functools.lru_cache(maxsize=4)
def ftfy_config(uncurl_quotes: bool) -> ftfy.TextFixerConfig:
    """The ftfy configuration tipclean uses (explained in the module docstring)."""
    return ftfy.TextFixerConfig(uncurl_quotes=uncurl_quotes, normalization="NFC", explain=True)


def _explain(steps: Sequence[tuple[str, str]] | None) -> str:
    if not steps:
        return "ftfy"
    return "ftfy: " + ", ".join(
        param if action == "apply" else f"{action} {param}" for action, param in steps
    )


_PIECE = regex.compile(r"\w+|\s+|.", regex.DOTALL)


def _diff(old: str, new: str, base: int, reason: str) -> list[Edit]:
    """Edits turning line `old` into `new`, as small as the change.

    A character diff of a long paragraph-line is quadratic, so the lines are
    first compared word by word, and only the words that differ character by
    character.
    """
    # The unchanged head and tail need no diff at all.
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    base += head
    old, new = old[head : len(old) - tail], new[head : len(new) - tail]
    a, b = _PIECE.findall(old), _PIECE.findall(new)
    edits: list[Edit] = []
    pos_a = [0]
    for piece in a:
        pos_a.append(pos_a[-1] + len(piece))
    pos_b = [0]
    for piece in b:
        pos_b.append(pos_b[-1] + len(piece))
    # autojunk keeps frequent pieces (spaces, "the") from making this quadratic.
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if tag == "equal":
            continue
        start, end = pos_a[i1], pos_a[i2]
        old_part, new_part = old[start:end], new[pos_b[j1] : pos_b[j2]]
        chars = difflib.SequenceMatcher(None, old_part, new_part, autojunk=False)
        edits.extend(
            Edit(base + start + c1, base + start + c2, new_part[d1:d2], reason)
            for op, c1, c2, d1, d2 in chars.get_opcodes()
            if op != "equal"
        )
    return edits


def fix_unicode(text: str, config: CleanConfig) -> list[Edit]:
    """Edits that ftfy makes, line by line, with positions.

    ftfy itself works one line at a time, so nothing is lost by calling it per
    line, and a change can be located exactly.

    >>> from tipclean.document import apply_edits
    >>> text = "Espa\\u00c3\\u00b1a\\r\\n\\u201cs\\u00ed\\u201d\\n"
    >>> apply_edits(text, fix_unicode(text, CleanConfig()))
    'España\\n"sí"\\n'
    """
    fixer = ftfy_config(config.uncurl_quotes)
    edits: list[Edit] = []
    for match in _LINE.finditer(text):
        line = match.group()
        if not line or _ASCII_SAFE.fullmatch(line):
            continue
        fixed, steps = ftfy.fix_and_explain(line, fixer)
        if fixed != line:
            edits.extend(_diff(line, fixed, match.start(), _explain(steps)))
    return edits


def fix_spaces(text: str, config: CleanConfig) -> list[Edit]:
    """NBSP and other fixed-width spaces → space; zero-width chars and soft hyphens dropped.

    >>> from tipclean.document import apply_edits
    >>> apply_edits("a\\u00a0b\\u200bc", fix_spaces("a\\u00a0b\\u200bc", CleanConfig()))
    'a bc'
    """
    edits = [Edit(m.start(), m.end(), " ", "nbsp/fixed-width space") for m in _SPACES.finditer(text)]
    for m in _INVISIBLE.finditer(text):
        # A soft hyphen at a line end marks a word split by the typesetter;
        # the layout stage decides whether to join it, like any hyphen.
        if m.group() == "\u00ad" and text.startswith("\n", m.end()):
            edits.append(Edit(m.start(), m.end(), "-", "soft hyphen at line end"))
        else:
            edits.append(Edit(m.start(), m.end(), "", "invisible character"))
    edits.sort()
    return edits


STEPS = (("ftfy", fix_unicode), ("spaces", fix_spaces))
