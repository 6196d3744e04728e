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
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import regex

from .config import CleanConfig
from .document import Edit

if TYPE_CHECKING:
    import ftfy

# Lines that ftfy provably returns unchanged skip it, and ftfy is imported
# only when a line needs it: clean text then costs one regex scan.
#
# A line of plain ASCII without "&" (HTML entities), escapes or control
# characters is left alone by every ftfy fixer. So is a line that also holds
# `PLAIN_CHARS`, the common letters and punctuation of Spanish prose, as long
# as no two non-ASCII characters are adjacent:
#
# - no fixer maps any of them (none is a C1 control, a ligature, a
#   full-width form, a control character or a line break; curly quotes count
#   only when ftfy leaves them curly), and they are NFC already;
# - ftfy repairs mojibake only when ``ftfy.badness.is_bad`` finds a suspect
#   sequence, and every sequence it looks for holds two adjacent non-ASCII
#   characters, except those built on "Ã", "Â", "Œ" and "œ" (not in the set).
#
# :func:`_check_plain_chars` tests this against ftfy itself. A line that is
# plain except for curly quotes gets exactly what ftfy would give it (the
# quotes straightened) without calling ftfy.
#
# The scans use the standard library's re: on these character classes it is
# several times faster than regex.
_ASCII = r"\t\n\x20-\x25\x27-\x7e"
PLAIN_CHARS = "áéíóúüñÁÉÍÓÚÜÑ¿¡«»°ºª¢£€©®™§–—…•\u00a0"
"""Non-ASCII characters that ftfy leaves alone when no other non-ASCII character touches them."""
CURLY_QUOTES = "\u2018\u2019\u201c\u201d"
"""Plain too, when ftfy is told to keep curly quotes (``uncurl_quotes=False``)."""
def _uncurl(text: str) -> str:
    """The curly quotes straightened, as ftfy's uncurl_quotes does (four replaces in C cost less than a translation)."""
    return text.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')


def _plain_prefix(extra: str) -> re.Pattern[str]:
    # Always matches, without backtracking: runs of ASCII, each non-ASCII
    # character followed by ASCII. It stops where the text stops being plain.
    chars = re.escape(extra)
    return re.compile(rf"[{_ASCII}]*(?:[{chars}][{_ASCII}]+)*[{chars}]?")


_PLAIN = {True: _plain_prefix(PLAIN_CHARS), False: _plain_prefix(PLAIN_CHARS + CURLY_QUOTES)}
"""``uncurl_quotes`` → the pattern of the longest prefix that ftfy leaves alone."""

_SPACES = regex.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = regex.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
_ODD_SPACE = re.compile(r"[\u00a0\u2000-\u200d\u202f\u205f\u3000\u00ad\u2060\ufeff]")
"""Either of the two above: most texts have neither, and one scan tells."""


@functools.lru_cache(maxsize=8)
def ftfy_config(uncurl_quotes: bool, unescape_html: bool | str = "auto") -> ftfy.TextFixerConfig:
    """The ftfy configuration tipclean uses (explained in the module docstring)."""
    import ftfy

    return ftfy.TextFixerConfig(
        uncurl_quotes=uncurl_quotes, unescape_html=unescape_html, normalization="NFC", explain=True
    )


def is_plain(text: str, uncurl_quotes: bool = True) -> bool:
    """True if ftfy is sure to leave `text` alone (see `PLAIN_CHARS`); False if it may not.

    >>> is_plain("El niño dijo «sin duda» — ¿3 km?\\n")
    True
    >>> is_plain("el niÃ±o"), is_plain("Tom &amp; Jerry"), is_plain("«¿qué?»")
    (False, False, False)
    >>> is_plain("\\u201cdijo\\u201d"), is_plain("\\u201cdijo\\u201d", uncurl_quotes=False)
    (False, True)
    """
    match = _PLAIN[uncurl_quotes].match(text)
    return match is not None and match.end() == len(text)


def _check_plain_chars(uncurl_quotes: bool) -> list[str]:
    """The short strings on which ftfy would do other than :func:`fix_unicode` expects (none).

    A plain string must come back unchanged, and with `uncurl_quotes` one
    that is plain but for curly quotes must come back with them straightened.

    Every string of up to two characters over `PLAIN_CHARS` and a sample of
    ASCII goes through ftfy (its fixers work character by character), and
    every string of three through its mojibake detector (whose patterns are
    a few characters long).

    >>> _check_plain_chars(True), _check_plain_chars(False)
    ([], [])
    """
    import itertools

    import ftfy
    from ftfy.badness import is_bad

    fixer = ftfy_config(uncurl_quotes)
    alphabet = PLAIN_CHARS + CURLY_QUOTES + "aZ1 .,?!'\\\t\n"
    wrong = []
    for size in (1, 2, 3):
        for chars in itertools.product(alphabet, repeat=size):
            text = "".join(chars)
            expected: tuple[str, list[tuple[str, str]]]
            if is_plain(text, uncurl_quotes):
                expected = (text, [])
            elif uncurl_quotes and is_plain(text, uncurl_quotes=False):
                expected = (_uncurl(text), [("apply", "uncurl_quotes")])
            else:
                continue
            if is_bad(text) or (size < 3 and tuple(ftfy.fix_and_explain(text, fixer)) != expected):
                wrong.append(text)
    return wrong


def _explain(steps: Sequence[tuple[str, str]] | None) -> str:
    if not steps:
        return "ftfy"
    return "ftfy: " + ", ".join(
        param if action == "apply" else f"{action} {param}" for action, param in steps
    )


_PIECE = regex.compile(r"\w+|\s+|.", regex.DOTALL)


def _common_head(old: str, new: str, limit: int) -> int:
    """The length of the longest common prefix, at most `limit`.

    A binary search of comparisons in C: a line holds a curly quote or two,
    and a loop over its characters cost more than the rest of the step.
    """
    low, high = 0, limit
    while low < high:
        mid = (low + high + 1) // 2
        if old.startswith(new[low:mid], low):
            low = mid
        else:
            high = mid - 1
    return low


def _common_tail(old: str, new: str, limit: int) -> int:
    """The length of the longest common suffix, at most `limit` (see :func:`_common_head`)."""
    low, high = 0, limit
    n, m = len(old), len(new)
    while low < high:
        mid = (low + high + 1) // 2
        if old[n - mid : n - low] == new[m - mid : m - low]:
            low = mid
        else:
            high = mid - 1
    return low


def _diff(old: str, new: str, base: int, reason: str) -> list[Edit]:
    """Edits turning line `old` into `new`, as small as the change.

    A character diff of a long paragraph-line is quadratic, so the lines are
    first compared word by word, and only the words that differ character by
    character.
    """
    # The unchanged head and tail need no diff at all.
    limit = min(len(old), len(new))
    head = _common_head(old, new, limit)
    tail = _common_tail(old, new, limit - head)
    base += head
    old, new = old[head : len(old) - tail], new[head : len(new) - tail]
    if len(old) <= 1 and len(new) <= 1:
        # One character replaced, inserted or deleted (a curly quote): the
        # one edit both diffs below would find, without building them.
        return [Edit(base, base + len(old), new, reason)]
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
        if len(old_part) + len(new_part) > MAX_CHAR_DIFF:
            # A long changed stretch (a run of CRs, of mojibake) is one edit:
            # a character diff of it would be quadratic.
            edits.append(Edit(base + start, base + end, new_part, reason))
            continue
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
    edits: list[Edit] = []
    for start, line in _unplain_lines(text, config.uncurl_quotes):
        # ftfy's "auto" HTML rule looks for "<" in what it is given: decide it
        # for the whole line, whatever piece of it goes to ftfy.
        html: bool | str = "auto" if "<" not in line else False
        for offset, piece in _pieces(line):
            if config.uncurl_quotes and is_plain(piece, uncurl_quotes=False):
                fixed, reason = _uncurl(piece), "ftfy: uncurl_quotes"
            else:
                import ftfy

                fixed, steps = ftfy.fix_and_explain(piece, ftfy_config(config.uncurl_quotes, html))
                reason = _explain(steps)
            if fixed != piece:
                edits.extend(_diff(piece, fixed, start + offset, reason))
    return edits


PIECE = 2000
MAX_CHAR_DIFF = 200
"""Longest stretch of a line that goes to ftfy and to the diff at once."""
_SAFE_CUT = re.compile(r"(?<=[A-Za-z0-9.,;:]) (?=[A-Za-z0-9])")


def _pieces(line: str) -> Iterator[tuple[int, str]]:
    """``(offset, piece)`` cuts of a line, so that a long one costs linear time.

    A diff of one long paragraph-line is quadratic; a 10 MB line would never
    end. Cuts fall on a space between ASCII characters, where no mojibake
    sequence can be split; a line without such a space is cut at spaces, and
    one without spaces anywhere at `PIECE` characters.

    >>> [len(p) for _, p in _pieces("ab " * 1000)]
    [2001, 999]
    """
    pos, size = 0, len(line)
    while size - pos > PIECE:
        cut = _SAFE_CUT.search(line, pos + PIECE, pos + 4 * PIECE)
        end = cut.end() if cut else line.find(" ", pos + PIECE, pos + 4 * PIECE) + 1 or pos + PIECE
        yield pos, line[pos:end]
        pos = end
    yield pos, line[pos:]


def _unplain_lines(text: str, uncurl_quotes: bool) -> Iterator[tuple[int, str]]:
    """``(offset, line)`` of each line, newline included, that ftfy may change.

    >>> list(_unplain_lines("plain\\nel niÃ±o\\nniño\\n\\u201cs\\u00ed\\u201d", True))
    [(6, 'el niÃ±o\\n'), (20, '“sí”')]
    """
    plain = _PLAIN[uncurl_quotes]
    pos, size = 0, len(text)
    while True:
        stop = plain.match(text, pos).end()  # type: ignore[union-attr]
        if stop >= size:
            return
        start = text.rfind("\n", 0, stop) + 1
        end = text.find("\n", stop)
        end = size if end < 0 else end + 1
        yield start, text[start:end]
        pos = end


def fix_spaces(text: str, config: CleanConfig) -> list[Edit]:
    """NBSP and other fixed-width spaces → space; zero-width chars and soft hyphens dropped.

    >>> from tipclean.document import apply_edits
    >>> apply_edits("a\\u00a0b\\u200bc", fix_spaces("a\\u00a0b\\u200bc", CleanConfig()))
    'a bc'
    """
    if text.isascii() or _ODD_SPACE.search(text) is None:
        return []
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
