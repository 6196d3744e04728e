"""Layout stage: whitespace, bullets, line-end dehyphenation, paragraph unwrapping.

Every step takes the previous step's output and returns
:class:`~tipclean.document.Edit` records, so each change is logged with a
short reason. The steps, in order:

``whitespace``
    Tabs and runs of spaces become one space; spaces at the start and end of
    a line go.
``boilerplate`` (only with ``remove_boilerplate``)
    Whole lines of web furniture: "Send a Letter", "More News", photo
    credits, bare page numbers, the letter-to-the-editor box.
``citations`` (only with ``remove_citations``)
    Wikipedia citation markers ("trafficking.[1]") and the References block.
``bullets``
    A bullet glyph at the start of a line (``« ¢ • ● ▪ ◦ · – - *``, and a
    lone "e" or "o" that is clearly a misread bullet) becomes
    ``config.bullet`` and one space.
``dehyphenate``
    A word split at a line end is joined ("protec-" / "ción" → "protección")
    when the joined word is in the lexicon; compounds keep their hyphen.
``unwrap``
    Hard-wrapped lines are joined into paragraphs, one line each.
``split-inline-list``
    A list whose items were run on inside one paragraph (". * Aumentar",
    ". ¢ Dejar") becomes one bullet line per item.
``quotes``
    "™" misread for a closing quote becomes '"'.
``blocks``
    The output shape: one blank line between paragraphs and headings, none
    between the items of a list, no leading blank lines, one final newline.

How a document is read (see :func:`analyze`): it is either already **one
paragraph per line** (web scrapes, Wikipedia, the eval sources), **hard
wrapped** (PDF and OCR text), or hard wrapped with **doubled lines** (a blank
line after every line). Only hard-wrapped documents get their lines joined;
the others keep their line structure.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from typing import NamedTuple

import regex

from . import lexicon
from .config import CleanConfig
from .document import Edit

Step = Callable[[str, CleanConfig], list[Edit]]

# --------------------------------------------------------------------------
# Reading lines
# --------------------------------------------------------------------------

_SPACE_CHARS = " \t\f\v"

# A line that ends a sentence (or introduces something, with ":"), allowing
# for closing quotes and brackets after the punctuation.
_TERMINAL = regex.compile(r"[.!?:…][\"'»”’)\]]*+$")
# A line that starts with a lowercase letter continues the line before it.
_LOWER_START = regex.compile(r"[(\"'«¿¡]?+\p{Ll}")
# A line that could start a sentence, a heading or an item.
_UPPER_START = regex.compile(r"[(\"'«¿¡]?+[\p{Lu}\p{N}]")
_NUMBERED = regex.compile(r"(?:\(?+\d{1,3}[.)]|[a-z]\)) ")
_LETTERS = regex.compile(r"\p{L}")
_LOWER = regex.compile(r"\p{Ll}")

# Share of successive text lines that must look like a wrapped continuation
# (no sentence end, next line lowercase) for a document to count as hard
# wrapped. Prose that is one paragraph per line has almost none; hard-wrapped
# prose has one in three or more.
WRAPPED_MIN_SHARE = 0.2
# Printed and OCR lines hold at most about 130 characters; paragraph lines
# are longer. A document whose lines are mostly longer is never unwrapped.
WRAPPED_MAX_WIDTH = 200
# Share of text lines followed by a blank line that makes a wrapped document
# "doubled" (seed 001: a PDF dump with a blank line after every line).
DOUBLED_MIN_SHARE = 0.9
# A line that ends a sentence ends its paragraph when the next word would
# have fitted on it: len(line) + 1 + len(word) <= FIT_SHARE * width, where
# width is the 90th percentile of line lengths. Full lines of the seeds come
# to 0.99 or more of the width, last lines of paragraphs to 0.86 or less.
FIT_SHARE = 0.9
# A heading is a short line: shorter than this share of the width (ALL CAPS
# lines may be longer, up to CAPS_HEADING_SHARE).
HEADING_SHARE = 0.75
CAPS_HEADING_SHARE = 0.9


class Line(NamedTuple):
    """One line of a text: ``text[start:end]``, without its newline."""

    start: int
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    """The lines of `text` with their offsets (a final newline adds no line).

    >>> for line in split_lines("ab\\n\\ncd\\n"):
    ...     print(line)
    Line(start=0, end=2, text='ab')
    Line(start=3, end=3, text='')
    Line(start=4, end=6, text='cd')
    """
    lines: list[Line] = []
    pos = 0
    parts = text.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    for part in parts:
        end = pos + len(part)
        lines.append(Line(pos, end, part))
        pos = end + 1
    return lines


def _is_blank(line: str) -> bool:
    return not line.strip(_SPACE_CHARS)


def _ends_sentence(line: str) -> bool:
    # Only the last few characters matter; searching the whole line would
    # try every full stop in it.
    return _TERMINAL.search(line, max(0, len(line) - 12)) is not None


class Layout(NamedTuple):
    """How a document is laid out, as :func:`analyze` reads it."""

    mode: str
    """"lines" (one paragraph per line), "wrapped" or "doubled"."""
    width: int
    """The 90th percentile of text-line lengths: the wrapping width."""

    @property
    def wrapped(self) -> bool:
        """True when the document's lines are to be joined into paragraphs."""
        return self.mode != "lines"

    def extra_gap(self, blanks: int) -> bool:
        """True when `blanks` blank lines between two lines are more than the layout's own."""
        return blanks >= (2 if self.mode == "doubled" else 1)


def analyze(text: str) -> Layout:
    """Tell whether `text` is one paragraph per line, hard wrapped, or doubled.

    Counts successive text lines (blank lines skipped) where the first does
    not end a sentence and the second starts lowercase: that only happens
    inside a hard-wrapped paragraph. When at least `WRAPPED_MIN_SHARE` of
    them do and the lines are narrow (`WRAPPED_MAX_WIDTH`), the document is
    wrapped, and "doubled" if nearly every text line (`DOUBLED_MIN_SHARE`) is
    followed by a blank line.

    >>> analyze("One paragraph.\\nAnother paragraph.\\n").mode
    'lines'
    >>> analyze("A paragraph that was\\nwrapped by a printer.\\n").mode
    'wrapped'
    >>> analyze("A paragraph that was\\n\\nwrapped and then\\n\\ndoubled.\\n").mode
    'doubled'
    """
    lines = [line.strip(_SPACE_CHARS) for line in text.split("\n")]
    lengths: list[int] = []
    pairs = continued = spaced = 0
    prev: str | None = None
    blanks = 0
    for line in lines:
        if not line:
            blanks += 1
            continue
        lengths.append(len(line))
        if prev is not None:
            pairs += 1
            if blanks:
                spaced += 1
            if not _ends_sentence(prev) and _LOWER_START.match(line):
                continued += 1
        prev = line
        blanks = 0
    lengths.sort()
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    if not continued or continued < WRAPPED_MIN_SHARE * pairs or width > WRAPPED_MAX_WIDTH:
        return Layout("lines", width)
    if spaced >= DOUBLED_MIN_SHARE * pairs:
        return Layout("doubled", width)
    return Layout("wrapped", width)


# --------------------------------------------------------------------------
# whitespace
# --------------------------------------------------------------------------

_WHITESPACE = regex.compile(
    r"(?P<lead>^[ \t\f\v]++)|(?P<trail>[ \t\f\v]++$)|(?P<run>[ \t\f\v]{2,}+|[\t\f\v])"
)


def normalize_whitespace(text: str, config: CleanConfig) -> list[Edit]:
    """Collapse runs of spaces and tabs to one space; strip line starts and ends.

    Indentation carries nothing in prose (OCR indents lines at random) and
    is dropped; blank lines are shaped later by :func:`shape_blocks`.

    >>> from tipclean.document import apply_edits
    >>> text = "  • Uno\\t dos  \\ntres   cuatro\\n"
    >>> apply_edits(text, normalize_whitespace(text, CleanConfig()))
    '• Uno dos\\ntres cuatro\\n'
    """
    edits: list[Edit] = []
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        # Clean lines are the rule: rule them out with C-speed string tests.
        if not line or (
            line[0] not in _SPACE_CHARS
            and line[-1] not in _SPACE_CHARS
            and "  " not in line
            and "\t" not in line
            and "\f" not in line
            and "\v" not in line
        ):
            continue
        for m in _WHITESPACE.finditer(line):
            kind = m.lastgroup
            if kind == "lead":
                edits.append(Edit(start + m.start(), start + m.end(), "", "strip leading space"))
            elif kind == "trail":
                edits.append(Edit(start + m.start(), start + m.end(), "", "strip trailing space"))
            elif m.group() != " ":
                reason = "collapse spaces" if len(m.group()) > 1 else "tab → space"
                edits.append(Edit(start + m.start(), start + m.end(), " ", reason))
    return edits


# --------------------------------------------------------------------------
# boilerplate (opt-in)
# --------------------------------------------------------------------------

_BOILERPLATE = regex.compile(
    r"(?P<page_number>(?:page |página |p\. ?)?+\d{1,4}(?: (?:of|de) \d{1,4})?+|[-–] ?\d{1,4} ?[-–])"
    r"|(?P<web_furniture>send a letter|submit your story|more news|letter to the editor|read more"
    r"|related (?:news|articles|stories)|share this (?:article|story)|advertisement"
    r"|original source can be found here\.?"
    r"|have a concern or an opinion about this story\?.{0,120}"
    r"|know of a story that needs to be covered\?.{0,120}"
    r"|this article is issued from wikipedia\..{0,300})"
    r"|(?P<photo_credit>[^|]{0,150}\| "
    r"(?:pexels|unsplash|pixabay|getty images|shutterstock)\b.{0,80}"
    r"|(?:photo|image|foto|imagen)(?: credit| by|:| de:)[^.]{0,120})",
    regex.IGNORECASE,
)
"""Whole lines of web furniture, by kind (the group name)."""


def remove_boilerplate(text: str, config: CleanConfig) -> list[Edit]:
    """Delete whole lines of web furniture (only with ``remove_boilerplate``).

    Only lines that are nothing but the furniture go: a sentence that merely
    mentions "more news" stays.

    >>> from tipclean.document import apply_edits
    >>> text = "64\\nPeru report.\\nSend a Letter\\nMore News\\n"
    >>> apply_edits(text, remove_boilerplate(text, CleanConfig(remove_boilerplate=True)))
    'Peru report.\\n'
    >>> remove_boilerplate(text, CleanConfig())
    []
    """
    if not config.remove_boilerplate:
        return []
    edits: list[Edit] = []
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if not line or len(line) > 400:
            continue
        m = _BOILERPLATE.fullmatch(line.strip(_SPACE_CHARS))
        if m is not None and m.lastgroup is not None:
            kind = m.lastgroup.replace("_", " ")
            edits.append(Edit(start, min(pos, len(text)), "", f"remove boilerplate ({kind})"))
    return edits


# --------------------------------------------------------------------------
# citations (opt-in)
# --------------------------------------------------------------------------

# Wikipedia's markers sit right after a word or punctuation: "country.[1]".
_CITATION = regex.compile(
    r"(?<=[\p{L}\p{N}.,;:!?)\"'»”’%])(?:\[(?:\d{1,3}|[a-z]|citation needed|cita requerida|"
    r"nota \d{1,3}|note \d{1,3})\])++",
    regex.IGNORECASE,
)
_REFERENCES_HEADING = regex.compile(
    r"(?:references|notes|notes and references|citations|sources|referencias|notas|"
    r"notas y referencias|fuentes)",
    regex.IGNORECASE,
)
_SEE_ALSO = regex.compile(r"(?:see also|véase también|ver también)", regex.IGNORECASE)
_REFERENCE_ITEM = regex.compile(r"(?:\d{1,3}[.)]|\^|[•*·▪●◦-]) \S")


def remove_citations(text: str, config: CleanConfig) -> list[Edit]:
    """Delete citation markers and the References block (only with ``remove_citations``).

    The block is the heading ("References", "Referencias", "Notes") and the
    numbered or bulleted entries right under it; an empty "See also" section
    in front of it goes too. A bracketed number that is not attached to a
    word ("see [1]") is left alone.

    >>> from tipclean.document import apply_edits
    >>> text = ("In the country.[1] More text.[2][3] See [4].\\n\\n"
    ...         "References\\n\\n1. A source.\\n2. B.\\n")
    >>> apply_edits(text, remove_citations(text, CleanConfig(remove_citations=True)))
    'In the country. More text. See [4].\\n'
    """
    if not config.remove_citations:
        return []
    if (
        "[" not in text
        and _REFERENCES_HEADING.search(text) is None
        and _SEE_ALSO.search(text) is None
    ):
        return []
    lines = split_lines(text)
    edits: list[Edit] = []
    k = 0
    while k < len(lines):
        line = lines[k]
        content = line.text.strip(_SPACE_CHARS) if len(line.text) < 40 else ""
        if content and (_REFERENCES_HEADING.fullmatch(content) or _SEE_ALSO.fullmatch(content)):
            block = _reference_block(lines, k)
            if block > k:
                start = line.start
                # The blank lines in front of the block go with it.
                j = k - 1
                while j >= 0 and _is_blank(lines[j].text):
                    start = lines[j].start
                    j -= 1
                if edits and edits[-1].end > start:
                    start = edits[-1].end
                end = min(lines[block - 1].end + 1, len(text))
                edits.append(Edit(start, end, "", f"remove references block ({content})"))
                k = block
                continue
        if "[" not in line.text:
            k += 1
            continue
        for m in _CITATION.finditer(line.text):
            edits.append(
                Edit(line.start + m.start(), line.start + m.end(), "", "remove citation marker")
            )
        k += 1
    return edits


def _reference_block(lines: Sequence[Line], k: int) -> int:
    """Index just past the References block starting at heading `k`, or `k` if none."""
    content = lines[k].text.strip(_SPACE_CHARS)
    j = k + 1
    while j < len(lines) and _is_blank(lines[j].text):
        j += 1
    if _SEE_ALSO.fullmatch(content):
        # An empty "See also" section, followed by References or nothing.
        if j == len(lines):
            return j
        nxt = lines[j].text.strip(_SPACE_CHARS)
        if _REFERENCES_HEADING.fullmatch(nxt):
            after = _reference_block(lines, j)
            return after if after > j else k
        return k
    items = 0
    while j < len(lines) and _REFERENCE_ITEM.match(lines[j].text.strip(_SPACE_CHARS)):
        items += 1
        j += 1
    return j if items else k


# --------------------------------------------------------------------------
# bullets
# --------------------------------------------------------------------------

# Glyphs that are bullets whenever they start a line.
_SURE_BULLETS = "•●▪◦■□►▸‣⁃∙➢❖◆◇○"
# Glyphs that start an item only where an item may start (after a sentence
# end, a blank line or another item) and before a capital or a digit.
_LIKELY_BULLETS = "*¢·«"
# Dashes also carry a parenthetical across a line break ("la incursión\n–
# y luego"); the em dash opens Spanish dialogue and is left alone.
_DASH_BULLETS = "-–"
# OCR reads "•" as "e" and "◦" as "o"; both are Spanish words, so they also
# need a neighbouring item.
_LETTER_BULLETS = "eo"

_GLYPHS = _SURE_BULLETS + _LIKELY_BULLETS + _DASH_BULLETS + _LETTER_BULLETS
_BULLET_LINE = regex.compile(r"(?P<glyph>[" + regex.escape(_GLYPHS) + r"])(?P<space> ?+)(?P<rest>.)")
_ITEM_START = regex.compile(r"[(\"'«¿¡]?+[\p{Lu}\p{N}]")
# Where an item may follow: a line ending a sentence, a clause or a lead-in.
_ITEM_BEFORE = regex.compile(r"[.!?:;…][\"'»”’)\]]*+$")


def _ends_clause(line: str) -> bool:
    return _ITEM_BEFORE.search(line, max(0, len(line) - 12)) is not None


def _maybe_bullets(text: str) -> bool:
    """Cheap test that lets text without any bullet candidate skip the step."""
    for line in text.split("\n"):
        head = line.lstrip(_SPACE_CHARS)[:2]
        if head and (head[0] in _SURE_BULLETS or (head[0] in _GLYPHS and head[1:] == " ")):
            return True
    return False


def _bullet_kind(line: str, bullet: str) -> tuple[str, int] | None:
    """(glyph, length of glyph and space) if `line` starts with a bullet candidate."""
    if line.startswith(bullet + " "):
        return None
    m = _BULLET_LINE.match(line)
    if m is None:
        return None
    glyph = m.group("glyph")
    if glyph in _SURE_BULLETS:
        return glyph, m.start("rest")
    if not m.group("space") or not _ITEM_START.match(line, m.start("rest")):
        return None
    if glyph == "«" and "»" in line:
        return None  # a quotation with spaces inside: « Así »
    return glyph, m.start("rest")


def _is_item(line: str, bullet: str) -> bool:
    return line.startswith(bullet + " ") or _NUMBERED.match(line) is not None


def canonical_bullets(text: str, config: CleanConfig) -> list[Edit]:
    """Turn the bullet glyph starting an item into ``config.bullet`` and one space.

    Sure glyphs (• ● ▪ ◦ …) always count. ``* ¢ · « - –`` count before a
    capital or a digit where an item may start: after a line ending a
    sentence or clause, a blank line (in a hard-wrapped document: a paragraph
    break), or another item; « not when a » closes it (a quotation). A lone
    "e" or "o" (OCR for • and ◦) needs all that and an item, or another such
    line, next to it. In a document of one paragraph per line every line may
    start an item. A glyph alone on its line is joined with the item text
    after it.

    >>> from tipclean.document import apply_edits
    >>> text = "Recomendaciones:\\n« Aumentar la ayuda.\\n¢ Dejar de retener.\\n«Así» dijo.\\n"
    >>> apply_edits(text, canonical_bullets(text, CleanConfig()))
    'Recomendaciones:\\n• Aumentar la ayuda.\\n• Dejar de retener.\\n«Así» dijo.\\n'
    >>> text = "Dijo:\\ne Ayudar.\\no Proteger.\\nLa trata en Chile\\no Argentina\\n"
    >>> apply_edits(text, canonical_bullets(text, CleanConfig(bullet="-")))
    'Dijo:\\n- Ayudar.\\n- Proteger.\\nLa trata en Chile\\no Argentina\\n'
    """
    bullet = config.bullet
    if not _maybe_bullets(text):
        return []
    lines = [line for line in split_lines(text) if not _is_blank(line.text)]
    stripped = [line.text.strip(_SPACE_CHARS) for line in lines]
    offsets = [line.start + len(line.text) - len(line.text.lstrip(_SPACE_CHARS)) for line in lines]
    kinds = [_bullet_kind(s, bullet) for s in stripped]
    count = len(lines)
    layout = analyze(text)

    def may_open(k: int) -> bool:
        if k == 0 or not layout.wrapped:
            return True
        blanks = text.count("\n", lines[k - 1].end, lines[k].start) - 1
        prev = stripped[k - 1]
        return (
            layout.extra_gap(blanks)
            or _ends_clause(prev)
            or _is_item(prev, bullet)
            or (kinds[k - 1] is not None and kinds[k - 1][0] in _SURE_BULLETS)  # type: ignore[index]
        )

    accepted = [
        kind is not None
        and kind[0] not in _LETTER_BULLETS
        and (kind[0] in _SURE_BULLETS or may_open(k))
        for k, kind in enumerate(kinds)
    ]
    letters = [
        kind is not None and kind[0] in _LETTER_BULLETS and may_open(k)
        for k, kind in enumerate(kinds)
    ]
    for k in range(count):
        if letters[k]:
            accepted[k] = any(
                accepted[j] or letters[j] or _is_item(stripped[j], bullet)
                for j in (k - 1, k + 1)
                if 0 <= j < count
            )

    edits: list[Edit] = []
    for k, kind in enumerate(kinds):
        if kind is None or not accepted[k]:
            continue
        glyph, length = kind
        start = offsets[k]
        edits.append(Edit(start, start + length, bullet + " ", f"bullet {glyph} → {bullet}"))

    # A glyph alone on its line (a PDF puts the bullet in its own text box).
    for k, content in enumerate(stripped):
        if len(content) == 1 and content in _SURE_BULLETS and k + 1 < count:
            if kinds[k + 1] is not None or _is_item(stripped[k + 1], bullet):
                continue
            start = offsets[k]
            edits.append(
                Edit(start, offsets[k + 1], bullet + " ", f"join bullet {content} with its item")
            )
    edits.sort()
    return edits


# --------------------------------------------------------------------------
# dehyphenate
# --------------------------------------------------------------------------

# The word part right before a line-end hyphen: "traf" in "anti-traf-".
_HYPHENATED_TAIL = regex.compile(r"(?<![\p{L}\p{M}\p{N}])[\p{L}\p{M}\p{N}]++[-\u2010]$")
# Typesetters (groff, pdftotext) break words with U+2010 HYPHEN as often as with "-".
_HYPHENS = ("-", "\u2010")
_WORD_START = regex.compile(r"[\p{L}\p{M}\p{N}]++")

# Prefixes written with a hyphen before a whole word even where the joined
# form is also a word ("co-operation", "socio-económico"). Kept short on
# purpose: typesetters break words at syllables, and many syllables look
# like prefixes ("inter-nacional", "super-visión", "co-misión").
KEEP_PREFIXES: dict[str, frozenset[str]] = {
    "en": frozenset({"co", "non", "self", "socio", "cross", "well"}),
    "es": frozenset({"socio"}),
}
# A hyphen before "and"/"y" is a suspended compound: "short- and long-term".
SUSPENDED = frozenset({"and", "or", "nor", "to", "y", "e", "o", "u", "ni", "a"})


def hyphen_decision(left: str, right: str, chained: bool = False) -> tuple[str, str]:
    """How to join "left-" at a line end with "right" at the next line's start.

    Returns ``(joiner, reason)``: joiner ``""`` drops the hyphen (a word the
    typesetter split), ``"-"`` keeps it (a compound), ``"- "`` keeps it with
    a space (a suspended compound: "short-" / "and long-term"). `chained`
    says that another hyphen follows `right` ("day-" / "to-day"), which
    makes it part of a compound, never a suspended one.

    The word is joined when the joined form is in the lexicon, or when the
    right half is no word either: an OCR-damaged split such as "protec-" /
    "cidn" or "pre-" / "vencion" is more likely one word the corrector can
    repair than a compound (short fragments such as "pre", "co" or "de" are
    words of some lexicon, so the left half proves nothing). The hyphen
    stays for digits ("17-year-old"), a capital after it ("anti-American"),
    a compound the lexicon knows, a prefix of `KEEP_PREFIXES` before a word
    of four letters or more of the same language ("co-operation", not
    "co-met"), and a right half that is a word when the joined form is not
    ("anti-trafficking").

    >>> hyphen_decision("17", "year")
    ('-', 'keep hyphen (number)')
    >>> hyphen_decision("short", "and")
    ('- ', 'keep suspended hyphen')
    >>> hyphen_decision("day", "to", chained=True)
    ('-', 'keep compound hyphen')
    >>> hyphen_decision("pro", "Perú")
    ('-', 'keep hyphen (capital)')
    """
    if left[-1:].isdigit() or right[:1].isdigit():
        return "-", "keep hyphen (number)"
    if right[:1].isupper() and not left[-1:].isupper():
        return "-", "keep hyphen (capital)"
    if right.lower() in SUSPENDED:
        if chained:
            return "-", "keep compound hyphen"
        return "- ", "keep suspended hyphen"
    if lexicon.is_word(f"{left}-{right}"):
        return "-", "keep compound hyphen"
    joined = left + right
    if len(right) >= 4:
        for lang, prefixes in KEEP_PREFIXES.items():
            if (
                left.lower() in prefixes
                and lexicon.is_word(right, lang)
                and (not lexicon.is_word(joined) or lexicon.is_word(joined, lang))
            ):
                return "-", "keep compound hyphen (prefix)"
    if lexicon.is_word(joined):
        return "", "join line-end hyphen"
    if lexicon.is_word(right):
        return "-", "keep compound hyphen"
    return "", "join line-end hyphen (split word)"


def dehyphenate(text: str, config: CleanConfig) -> list[Edit]:
    """Join words split by a hyphen at a line end; keep compounds' hyphens.

    In a hard-wrapped document any line ending in "letter-" is joined with
    the next text line when that starts with a letter or digit (also across
    a page break); in a document of one paragraph per line only when the next
    line follows at once and starts lowercase, which cannot be a new
    paragraph. See :func:`hyphen_decision` for the choice of joiner.

    >>> from tipclean.document import apply_edits
    >>> text = "Los niños de 17-\\naños y un grupo de 12-\\n15 personas.\\n"
    >>> apply_edits(text, dehyphenate(text, CleanConfig()))
    'Los niños de 17-años y un grupo de 12-15 personas.\\n'
    """
    if "-\n" not in text and "\u2010\n" not in text:
        return []
    layout = analyze(text)
    lines = split_lines(text)
    edits: list[Edit] = []
    decided: dict[tuple[str, str, bool], tuple[str, str]] = {}
    for k, line in enumerate(lines):
        if not line.text.endswith(_HYPHENS):
            continue
        # Only the end of the line can hold the split word; a bounded window
        # keeps a megabyte-long line from being scanned.
        m = _HYPHENATED_TAIL.search(line.text, max(0, len(line.text) - 200))
        if m is None or m.start() == max(0, len(line.text) - 200) > 0:
            continue
        j = k + 1
        while j < len(lines) and _is_blank(lines[j].text):
            j += 1
        if j == len(lines):
            continue
        nxt = lines[j].text.lstrip(_SPACE_CHARS)
        right = _WORD_START.match(nxt)
        if right is None:
            continue
        lower = nxt[0].islower()
        if layout.wrapped:
            if not lower and j - k - 1 > (1 if layout.mode == "doubled" else 0):
                continue
        elif not lower or j != k + 1:
            continue
        chained = nxt.startswith(_HYPHENS, right.end())
        key = (m.group()[:-1], right.group(), chained)
        if key not in decided:
            decided[key] = hyphen_decision(*key)
        joiner, reason = decided[key]
        hyphen = line.start + m.end() - 1
        next_start = lines[j].end - len(nxt)
        # A hyphen that stays is the one the text has.
        edits.append(Edit(hyphen, next_start, joiner.replace("-", line.text[-1]), reason))
    return edits


# --------------------------------------------------------------------------
# unwrap
# --------------------------------------------------------------------------


def _is_heading(
    lines: Sequence[str], gaps: Sequence[int], k: int, layout: Layout, bullet: str
) -> bool:
    """A short line that is not a sentence, between a sentence end and a capital."""
    line = lines[k]
    if len(line) >= CAPS_HEADING_SHARE * layout.width:
        return False  # most lines: a full line is never a heading
    if _is_item(line, bullet) or not _UPPER_START.match(line) or line[-1] in ".,;-–":
        return False
    caps = _LETTERS.search(line) is not None and _LOWER.search(line) is None
    limit = (CAPS_HEADING_SHARE if caps else HEADING_SHARE) * layout.width
    if len(line) >= limit:
        return False
    if k > 0 and not layout.extra_gap(gaps[k]):
        prev = lines[k - 1]
        if not (
            _ends_sentence(prev)
            or _is_item(prev, bullet)
            or len(prev) < HEADING_SHARE * layout.width
        ):
            return False
    return (
        k + 1 == len(lines)
        or layout.extra_gap(gaps[k + 1])
        or _UPPER_START.match(lines[k + 1]) is not None
        or _is_item(lines[k + 1], bullet)
    )


def _first_word(line: str) -> str:
    return line.split(" ", 1)[0]


def unwrap(text: str, config: CleanConfig) -> list[Edit]:
    """Join the lines of hard-wrapped paragraphs; keep one paragraph per line as is.

    Only documents that :func:`analyze` finds hard wrapped (or doubled) are
    touched. Two successive text lines stay apart when the second is a list
    item, either is a heading, or the first ends a sentence and is short
    (the next word would have fitted on it, see `FIT_SHARE`). Across more
    blank lines than the layout's own (a paragraph or page break) they are
    joined only when the first does not end a sentence and is full, or the
    second starts lowercase: a page break inside a sentence.

    >>> from tipclean.document import apply_edits
    >>> text = ("El gobierno no cumple con los estándares mínimos para eliminar la\\n"
    ...         "trata de personas.\\n"
    ...         "Procesamiento judicial\\n"
    ...         "El gobierno aumentó los esfuerzos de procesamiento judicial y\\n"
    ...         "condenó a más tratantes.\\n")
    >>> print(apply_edits(text, unwrap(text, CleanConfig())), end="")
    El gobierno no cumple con los estándares mínimos para eliminar la trata de personas.
    Procesamiento judicial
    El gobierno aumentó los esfuerzos de procesamiento judicial y condenó a más tratantes.
    """
    layout = analyze(text)
    if not layout.wrapped:
        return []
    bullet = config.bullet
    spans = [line for line in split_lines(text) if not _is_blank(line.text)]
    lines = [line.text for line in spans]
    gaps = [0] * len(spans)
    for k in range(1, len(spans)):
        gaps[k] = text.count("\n", spans[k - 1].end, spans[k].start) - 1
    headings = [_is_heading(lines, gaps, k, layout, bullet) for k in range(len(lines))]
    fit_limit = FIT_SHARE * layout.width
    edits: list[Edit] = []
    for k in range(1, len(lines)):
        prev, line = lines[k - 1], lines[k]
        if headings[k - 1] or headings[k]:
            continue
        ends = _ends_sentence(prev)
        fits = len(prev) + 1 + len(_first_word(line)) <= fit_limit
        if layout.extra_gap(gaps[k]):
            # A page break inside a sentence: the line before it is full (or
            # the text goes on in lowercase), and no sentence ends there.
            if ends or _is_item(line, bullet) or (fits and not _LOWER_START.match(line)):
                continue
            reason = "join paragraph split by a page break"
        else:
            # "12) ..." after a line ending mid-sentence is the sentence going on.
            if line.startswith(bullet + " ") or (
                _is_item(line, bullet) and (_ends_clause(prev) or _is_item(prev, bullet))
            ):
                continue
            if ends and fits:
                continue
            reason = "unwrap hard-wrapped line"
        edits.append(Edit(spans[k - 1].end, spans[k].start, " ", reason))
    return edits


# --------------------------------------------------------------------------
# split-inline-list
# --------------------------------------------------------------------------

_INLINE_MARKERS = "*«¢•●▪◦·■"
_INLINE_ITEM = regex.compile(
    r"(?<=[.!?;:…][\"'»”’)\]]?) ([" + regex.escape(_INLINE_MARKERS) + r"]) "
    r"(?=[\"'«¿¡(]?+[\p{Lu}\p{N}])"
)
_SENTENCE_BREAK = regex.compile(r"[.!?…][\"'»”’)\]]*+ [\"'«¿¡(]?+\p{Lu}")


def split_inline_lists(text: str, config: CleanConfig) -> list[Edit]:
    """Put each item of a list run on inside a paragraph on its own bullet line.

    A paragraph is a run-on list when at least two markers (``* « ¢ • ·`` …)
    follow a sentence end and precede a capital. One is enough inside a list
    item, or in a paragraph that runs straight into list items (a marker of
    the run landed at a line start, so the bullets step made it an item). A
    « that a » closes before the next marker is a quotation, not a marker.

    The first item: the text before the first marker becomes the first item
    when it is one sentence, because these reports drop the first marker
    (seed 000 after its recommendations heading, seed 003 with no heading).
    A lead-in that ends with ":" or holds several sentences stays a
    paragraph. Likewise a one-sentence paragraph between a heading ending
    with ":" and the list items right under it is the first item.

    >>> from tipclean.document import apply_edits
    >>> text = "Aumentar la ayuda. * Juzgar a los tratantes. ¢ Dejar de retener.\\n"
    >>> print(apply_edits(text, split_inline_lists(text, CleanConfig())), end="")
    • Aumentar la ayuda.
    • Juzgar a los tratantes.
    • Dejar de retener.
    >>> text = "The report says «así». The plan: * Increase aid. * Train judges.\\n"
    >>> print(apply_edits(text, split_inline_lists(text, CleanConfig())), end="")
    The report says «así». The plan:
    • Increase aid.
    • Train judges.
    >>> text = "RECOMMENDATIONS:\\nIncrease aid.\\n• Train judges.\\n"
    >>> print(apply_edits(text, split_inline_lists(text, CleanConfig())), end="")
    RECOMMENDATIONS:
    • Increase aid.
    • Train judges.
    """
    bullet = config.bullet
    item_mark = bullet + " "
    hits: list[int] = []
    for glyph in _INLINE_MARKERS:
        needle = f" {glyph} "
        at = text.find(needle)
        while at >= 0:
            hits.append(at + 1)
            at = text.find(needle, at + 2)
    if not hits and "\n" + item_mark not in text:
        return []
    lines = split_lines(text)
    starts = [line.start for line in lines]
    marked = sorted({bisect.bisect_right(starts, at) - 1 for at in hits})
    edits: list[Edit] = []
    done: set[int] = set()
    for k in marked:
        line = lines[k]
        into_list = k + 1 < len(lines) and lines[k + 1].text.startswith(item_mark)
        found = _split_line(line.text, line.start, bullet, into_list)
        if found:
            edits.extend(found)
            done.add(k)
    # A lone first item between a "...:" heading and the items under it.
    for k in range(1, len(lines) - 1):
        if k in done or not lines[k + 1].text.startswith(item_mark):
            continue
        content = lines[k].text
        if (
            not content
            or _is_item(content, bullet)
            or not _UPPER_START.match(content)
            or not _ends_sentence(content)
            or content.endswith(":")
            or _SENTENCE_BREAK.search(content) is not None
        ):
            continue
        j = k - 1
        while j >= 0 and _is_blank(lines[j].text):
            j -= 1
        heading = lines[j].text.strip(_SPACE_CHARS) if j >= 0 else ""
        if (
            heading.endswith(":")
            and len(heading) <= 80
            and _SENTENCE_BREAK.search(heading) is None
            and not _is_item(heading, bullet)
        ):
            edits.append(Edit(lines[k].start, lines[k].start, item_mark, "first item of list"))
    edits.sort()
    return edits


def _split_line(content: str, start: int, bullet: str, into_list: bool) -> list[Edit]:
    found = list(_INLINE_ITEM.finditer(content))
    markers = []
    for n, m in enumerate(found):
        if m.group(1) == "«":
            stop = found[n + 1].start() if n + 1 < len(found) else len(content)
            if "»" in content[m.end() : stop]:
                continue
        markers.append(m)
    is_item = _is_item(content, bullet)
    if len(markers) < (1 if is_item or into_list else 2):
        return []
    edits: list[Edit] = []
    if not is_item:
        lead = content[: markers[0].start()]
        if not lead.endswith(":") and _SENTENCE_BREAK.search(lead) is None:
            edits.append(Edit(start, start, bullet + " ", "first item of run-on list"))
    for m in markers:
        edits.append(
            Edit(
                start + m.start(),
                start + m.end(),
                "\n" + bullet + " ",
                f"split run-on list at {m.group(1)}",
            )
        )
    return edits


# --------------------------------------------------------------------------
# quotes
# --------------------------------------------------------------------------

_TM_QUOTE = regex.compile(r"(?<=[\p{L}\p{N}.,;:!?])™(?=[\s.,;:!?)]|$)")


def repair_quotes(text: str, config: CleanConfig) -> list[Edit]:
    """Turn "™" that closes an open quotation into '"' (OCR misreads "”" as "™").

    It counts as a quote only when the paragraph has an odd number of '"'
    before it: a real trademark ("Windows™") has no quotation to close.

    >>> from tipclean.document import apply_edits
    >>> text = 'delitos de "trabajo" y "esclavitud y otras formas™ que Windows™ tiene.\\n'
    >>> apply_edits(text, repair_quotes(text, CleanConfig()))
    'delitos de "trabajo" y "esclavitud y otras formas" que Windows™ tiene.\\n'
    """
    edits: list[Edit] = []
    if "™" not in text:
        return edits
    for line in split_lines(text):
        if "™" not in line.text:
            continue
        quotes, counted = 0, 0
        for m in _TM_QUOTE.finditer(line.text):
            # A running count: the '"' before this ™, and the ™ already made quotes.
            quotes += line.text.count('"', counted, m.start())
            counted = m.start()
            if quotes % 2 == 1:
                start = line.start + m.start()
                edits.append(Edit(start, start + 1, '"', '™ → " (closing quote)'))
                quotes += 1
    return edits


# --------------------------------------------------------------------------
# blocks
# --------------------------------------------------------------------------


def shape_blocks(text: str, config: CleanConfig) -> list[Edit]:
    """One blank line between blocks, none inside a list, one newline at the end.

    Every line is a block of its own (a paragraph or a heading) except list
    items, which follow each other on consecutive lines.

    >>> from tipclean.document import apply_edits
    >>> text = "\\n\\nTitle\\nText.\\n• one\\n\\n• two\\n\\n\\n\\nEnd."
    >>> print(apply_edits(text, shape_blocks(text, CleanConfig())), end="")
    Title
    <BLANKLINE>
    Text.
    <BLANKLINE>
    • one
    • two
    <BLANKLINE>
    End.
    """
    bullet = config.bullet
    spans = [line for line in split_lines(text) if not _is_blank(line.text)]
    edits: list[Edit] = []
    if not spans:
        if text:
            edits.append(Edit(0, len(text), "", "remove blank text"))
        return edits
    if spans[0].start > 0:
        edits.append(Edit(0, spans[0].start, "", "remove leading blank lines"))
    prev_item = _is_item(spans[0].text, bullet)
    for k in range(1, len(spans)):
        item = _is_item(spans[k].text, bullet)
        start, end = spans[k - 1].end, spans[k].start
        want = "\n" if prev_item and item else "\n\n"
        if text[start:end] != want:
            have = text.count("\n", start, end)
            if want == "\n":
                reason = "no blank line inside a list"
            elif have > 2:
                reason = "collapse blank lines"
            else:
                reason = "blank line between blocks"
            edits.append(Edit(start, end, want, reason))
        prev_item = item
    last = spans[-1].end
    if text[last:] != "\n":
        edits.append(Edit(last, len(text), "\n", "end with one newline"))
    return edits


STEPS: tuple[tuple[str, Step], ...] = (
    ("whitespace", normalize_whitespace),
    ("boilerplate", remove_boilerplate),
    ("citations", remove_citations),
    ("bullets", canonical_bullets),
    ("dehyphenate", dehyphenate),
    ("unwrap", unwrap),
    ("split-inline-list", split_inline_lists),
    ("quotes", repair_quotes),
    ("blocks", shape_blocks),
)
"""The layout steps, in the order they run."""
