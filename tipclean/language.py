"""Language tagging: es / en / und for the document and each paragraph.

tipclean corrects Spanish and English only, so the tagger answers one
question per paragraph: correct it as Spanish, as English, or not at all
("und": another language, or nothing to decide on).

How a paragraph (one line after the layout stage) is tagged:

1. **Common-word vote.** The words of the line that appear in the lists of
   the commonest words of Spanish, English and the languages most easily
   mistaken for them (Portuguese, Italian, French, German), and in the
   report vocabulary of Spanish and English, are scored as a naive Bayes
   model whose probabilities come from each word's frequency rank. The lists
   are data (`WORD_TABLE`, built from wordfreq). A lead of `VOTE_MARGIN`
   nats over the runner-up settles the line. Common words are short and
   frequent, so OCR seldom damages them: "nifios", "afios" and "Pera" do not
   matter when "de", "la", "los" and "para" are intact, and the usual OCR
   forms of the Spanish words count too, derived by rule ("mas", "afios",
   "EI"). This settles nearly every paragraph of a report in microseconds.
2. **Context.** A line the vote leaves open whose nearest settled lines on
   both sides are of one language takes it, if its own words are evidence
   for it (`MIN_EVIDENCE`) and trail the best language by no more than
   `CONTEXT_MARGIN`: a wrapped OCR line ("procesara a un presunto
   tratante.") or a short sentence inside a section.
3. **langdetect**, for what is still open, on a private
   :class:`~langdetect.detector_factory.DetectorFactory` that holds only
   the `PROFILES`, with a fixed seed (the same answer on every run and
   under any ``PYTHONHASHSEED``), `PRIORS` that favour the two languages we
   serve, and a cap on the text it reads. Its answer counts when its
   probability reaches `LANGDETECT_MIN_PROB`, or `LANGDETECT_AGREE_PROB`
   when the vote leaned the same way. It is slow (milliseconds a line),
   hence last.
4. **Inheritance.** A line that no step settles (a heading, a number,
   a name, "Lima", a phrase that reads the same in both languages) takes the
   tag of the nearest settled line, the following one on a tie because a
   heading belongs to the text under it. With a language hint it takes the
   hint instead.

A paragraph in another language is tagged "und" and the spelling stage
leaves it alone. The document tag is the majority **by words** over the
paragraph tags (inherited tags included): one long Spanish paragraph
outweighs five English headings. Ties go to the first of "es", "en",
"und".

Detection runs on the text after the encoding and layout stages (mojibake
repaired, paragraphs unwrapped) but before spelling correction, which needs
its answer; it works on raw, wrapped OCR lines too. Nothing is loaded at
import: the word table is built on the first call, and langdetect is
imported and its profiles read on the first line that needs it. The
functions are safe to call from several threads.
"""

from __future__ import annotations

import functools
import math
import threading
import unicodedata
from collections.abc import Sequence
from importlib import resources
from typing import TYPE_CHECKING, NamedTuple

import regex

from .config import LANGUAGES, CleanConfig
from .document import Paragraph
from .runs import Runs

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory

__all__ = ["UND", "detect_language", "line_languages", "load", "mark", "tag"]

UND = "und"

PROFILES = ("es", "en", "pt", "it", "fr", "de")
"""The languages the tagger can recognise, and so the langdetect profiles
it loads: the two it serves and the ones a Spanish or English paragraph
would otherwise be mistaken for, so that those come out "und" instead of
being corrected. Catalan (the largest Latin profile) is left out: Peruvian
reports do not contain it. Galician has no langdetect profile."""

PRIORS = {"es": 0.3, "en": 0.3, "pt": 0.1, "it": 0.1, "fr": 0.1, "de": 0.1}
"""langdetect's prior per profile: a report paragraph is far more often
Spanish or English than anything else. It only matters for short text."""

SEED = 0
"""langdetect samples n-grams at random: a fixed seed makes it repeatable."""
LANGDETECT_MAX_CHARS = 1000
"""langdetect reads at most this many characters of a line: plenty for a
confident answer, and its cost grows with the length."""
LANGDETECT_MIN_PROB = 0.8
LANGDETECT_AGREE_PROB = 0.5
LANGDETECT_MIN_WORDS = 4
"""Below this many words langdetect guesses: such a line inherits instead."""
MIN_WORDS = 3
"""A line with fewer words is never settled on its own: it inherits."""
VOTE_MARGIN = 4.0
"""Lead in log-likelihood (nats) over the runner-up that settles a line."""
LEAN_MARGIN = 1.0
"""A smaller lead: the vote leans that way (langdetect may confirm it)."""
CONTEXT_MARGIN = 2.0
"""How far behind the best a language may be and still be taken from the
neighbours on both sides."""
MIN_EVIDENCE = 4.0
"""The least gain a line needs for its neighbours' language to be taken."""
RANK_OFFSET = 5
FLOOR_RANK = 1500
"""The rank a word is given in a language whose list lacks it."""

WORD_TABLE = "language-words.tsv"
"""The common words of each of `PROFILES`, most frequent first, and the
report vocabulary of Spanish and English: ``lang<TAB>rank<TAB>word<TAB>list``
lines in ``tipclean/dictionaries``, built from wordfreq by
``dictionaries/tools/build_language_words.py`` (which says how). Rank r gives
a word probability 1 / (r + `RANK_OFFSET`); a word missing from a language's
list gets the probability of rank `FLOOR_RANK` there. The Spanish rows also
give their OCR forms, by rule (:func:`_ocr_forms`, :func:`_l_read_as_i`)."""

_WORDS = Runs(r"\p{L}")
_LINE = regex.compile(r"[^\n]+")
_NONBLANK = regex.compile(r"\S")
_FRONT_KEY = regex.compile(r"language[ \t]*:")


def _served(lang: str) -> str:
    return lang if lang in LANGUAGES else UND


def _strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.replace("ñ", "\0"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("\0", "ñ")


def _ocr_forms(word: str) -> list[str]:
    """What OCR makes of a Spanish word: accents lost, ñ read as "fi" or "n"."""
    forms = [_strip_accents(word)]
    forms += [form.replace("ñ", sub) for form in forms if "ñ" in form for sub in ("fi", "n")]
    return [form for form in forms if form != word]


def _l_read_as_i(word: str) -> str | None:
    """A common Spanish word with l read as I ("EI", "Ios", "Ias"), lowercased.

    None when the word has no l.

    >>> _l_read_as_i("el"), _l_read_as_i("los"), _l_read_as_i("de")
    ('ei', 'ios', None)
    """
    return word.replace("l", "i") if "l" in word else None


def _read_table() -> list[tuple[str, int, str, str]]:
    """The rows of `WORD_TABLE`: (lang, rank, word, "common" or "topic")."""
    text = resources.files("tipclean.dictionaries").joinpath(WORD_TABLE).read_text("utf-8")
    rows = []
    for line in text.split("\n"):
        if line and not line.startswith("#"):
            lang, rank, word, kind = line.split("\t")
            rows.append((lang, int(rank), word, kind))
    found = {lang for lang, _, _, _ in rows}
    if found != set(PROFILES):
        raise LookupError(f"{WORD_TABLE} holds {sorted(found)}, not the profiles {PROFILES}")
    return rows


@functools.lru_cache(maxsize=1)
def _evidence() -> dict[str, tuple[tuple[int, float], ...]]:
    """word → (index in `PROFILES`, log-likelihood gain) for each list holding it.

    The gain is the word's log-probability there minus that of a word
    missing from the list (rank `FLOOR_RANK`): the missing-word terms are
    the same for every language, so leaving them out changes no margin and
    makes the vote a sparse sum.

    >>> [(PROFILES[k], round(gain, 2)) for k, gain in _evidence()["ios"]]
    [('es', 4.27)]
    """
    rows = _read_table()
    ranks: dict[str, dict[int, int]] = {}

    def put(word: str, k: int, rank: int) -> None:
        row = ranks.setdefault(word, {})
        row[k] = min(row.get(k, FLOOR_RANK), rank)

    for lang, rank, word, _ in rows:
        put(word, PROFILES.index(lang), rank)
    listed = set(ranks)
    es = PROFILES.index("es")
    spanish = [(word, kind) for lang, _, word, kind in rows if lang == "es"]
    # OCR forms count as half as frequent as the word itself.
    for word, _ in spanish:
        for form in _ocr_forms(word):
            put(form, es, 2 * ranks[word][es])
    # l read as I, in the common words only ("el", "los", "las"), unless that
    # makes a listed word: "lo" and "del" would give Italian "io" and "dei".
    for word, kind in spanish:
        ocr = _l_read_as_i(word) if kind == "common" else None
        if ocr is not None and ocr not in listed:
            put(ocr, es, 2 * ranks[word][es])
    floor = math.log(FLOOR_RANK + RANK_OFFSET)
    return {
        word: tuple((k, floor - math.log(rank + RANK_OFFSET)) for k, rank in sorted(row.items()))
        for word, row in ranks.items()
    }


class _Vote(NamedTuple):
    tag: str | None
    """"es", "en" or "und" when the vote settles the line."""
    lean: str | None
    """"es" or "en" when the vote leans that way without settling it."""
    words: int
    scores: tuple[float, ...] = ()
    """Log-likelihood gain of each of `PROFILES`."""


@functools.lru_cache(maxsize=8192)
def _vote(line: str) -> _Vote:
    """The common-word vote on one line.

    Cached: the spelling stage and the final tagging see mostly the same
    lines, and each pipeline pass repeats them.
    """
    words = _WORDS.findall(line.lower())
    if len(words) < MIN_WORDS:
        return _Vote(None, None, len(words))
    table = _evidence()
    scores = [0.0] * len(PROFILES)
    # Only the words the table lists count; map and filter skip the others without a Python step.
    for gains in filter(None, map(table.get, words)):
        for k, gain in gains:
            scores[k] += gain
    first, second = sorted(range(len(PROFILES)), key=lambda k: (-scores[k], k))[:2]
    margin = scores[first] - scores[second]
    best = _served(PROFILES[first])
    if margin >= VOTE_MARGIN:
        return _Vote(best, None, len(words), tuple(scores))
    lean = best if margin >= LEAN_MARGIN and best != UND else None
    return _Vote(None, lean, len(words), tuple(scores))


_factory_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _factory() -> DetectorFactory:
    """A langdetect factory with only `PROFILES`, seeded; built on first use.

    Not langdetect's global factory: that one loads all 55 profiles, and
    seeding it would change the results of any other langdetect user in the
    process.
    """
    import json

    from langdetect.detector_factory import DetectorFactory
    from langdetect.utils.lang_profile import LangProfile

    folder = resources.files("langdetect").joinpath("profiles")
    factory = DetectorFactory()
    # Not factory.load_json_profile: its bare `except:` turns a Ctrl-C that
    # lands while the profiles load into "Profile format error".
    for index, code in enumerate(PROFILES):
        data = json.loads(folder.joinpath(code).read_text(encoding="utf-8"))
        factory.add_profile(LangProfile(**data), index, len(PROFILES))
    factory.set_seed(SEED)
    return factory


def load() -> float:
    """Load the word table and the langdetect profiles now; return the seconds taken.

    Everything loads on first use anyway; this is for benchmarks and for
    servers that would rather pay the cost at start-up.

    >>> load() >= 0.0
    True
    """
    import time

    start = time.perf_counter()
    _evidence()
    with _factory_lock:
        _factory()
    return time.perf_counter() - start


def _langdetect(text: str) -> tuple[str, float]:
    """langdetect's best guess among `PROFILES`, and its probability."""
    from langdetect.lang_detect_exception import (
        LangDetectException,
    )

    with _factory_lock:
        factory = _factory()
    detector = factory.create()
    detector.set_max_text_length(LANGDETECT_MAX_CHARS)
    detector.set_prior_map(PRIORS)
    detector.append(text)
    try:
        ranked = detector.get_probabilities()
    except LangDetectException:
        # No n-gram it knows: digits, symbols, words in capitals only.
        return UND, 0.0
    if not ranked:
        return UND, 0.0
    return ranked[0].lang, ranked[0].prob


@functools.lru_cache(maxsize=2048)
def _detect_line(line: str, lean: str | None) -> str | None:
    """langdetect's tag for a line the vote left open, or None when unsure.

    When langdetect agrees with the way the vote leans, two weak signals
    make a decision and `LANGDETECT_AGREE_PROB` is enough.
    """
    lang, prob = _langdetect(line)
    if lang == UND:
        return None
    if prob >= LANGDETECT_MIN_PROB or (lang == lean and prob >= LANGDETECT_AGREE_PROB):
        return _served(lang)
    return None


def _fits(vote: _Vote, lang: str) -> bool:
    """The line's words are evidence for `lang`, close enough to the best.

    For a line between two lines of `lang` (a wrapped line of a paragraph,
    a short sentence in a section): the neighbours count as a prior of
    `CONTEXT_MARGIN` nats.
    """
    if lang not in LANGUAGES or not vote.scores:
        return False
    score = vote.scores[PROFILES.index(lang)]
    return score >= MIN_EVIDENCE and score >= max(vote.scores) - CONTEXT_MARGIN


def _decide(lines: Sequence[str]) -> list[str | None]:
    """Each line's own tag, or None where it has to inherit one."""
    votes = [_vote(line) for line in lines]
    previous: list[str | None] = []
    last: str | None = None
    for vote in votes:
        previous.append(last)
        if vote.tag is not None:
            last = vote.tag
    out: list[str | None] = [vote.tag for vote in votes]
    following: str | None = None
    for i in range(len(lines) - 1, -1, -1):
        vote = votes[i]
        if vote.tag is not None:
            following = vote.tag
            continue
        context = {tag for tag in (previous[i], following) if tag is not None}
        if len(context) == 1 and _fits(vote, *context):
            out[i] = context.pop()
        elif vote.words >= LANGDETECT_MIN_WORDS:
            out[i] = _detect_line(lines[i], vote.lean)
    return out


def _inherit(decided: Sequence[str | None], hint: str | None) -> list[str]:
    """Fill the undecided entries from the nearest decided one, or with `hint`.

    With a hint the caller knows the document's language, and only a line
    sure of itself may differ from it.
    """
    if hint is not None:
        return [tag if tag is not None else hint for tag in decided]
    before: list[tuple[int, str] | None] = []
    last: tuple[int, str] | None = None
    for i, tag in enumerate(decided):
        if tag is not None:
            last = (i, tag)
        before.append(last)
    out: list[str] = [UND] * len(decided)
    after: tuple[int, str] | None = None
    for i in range(len(decided) - 1, -1, -1):
        tag = decided[i]
        if tag is not None:
            after = (i, tag)
            out[i] = tag
            continue
        previous = before[i]
        if after is not None and (previous is None or after[0] - i <= i - previous[0]):
            out[i] = after[1]
        elif previous is not None:
            out[i] = previous[1]
    return out


def _tag_lines(lines: Sequence[str], hint: str | None) -> list[str]:
    return _inherit(_decide(lines), hint)


def _majority(lines: Sequence[str], tags: Sequence[str]) -> str:
    """The tag carried by the most words; "und" when there are no words."""
    weights = dict.fromkeys((*LANGUAGES, UND), 0)
    for line, lang in zip(lines, tags, strict=True):
        weights[lang] += _vote(line).words
    best = max(weights, key=lambda lang: weights[lang])  # first of equals wins
    return best if weights[best] else UND


def _check_hint(hint: str | None) -> None:
    if hint is not None and hint not in LANGUAGES:
        raise ValueError(f"hint must be one of {', '.join(LANGUAGES)} or None, not {hint!r}")


def detect_language(text: str) -> str:
    """Return "es", "en" or "und" for `text`: the tag of most of its words.

    Each line is tagged as :func:`line_languages` does, and the tag carried
    by the most words wins.

    Args:
        text: any text, one paragraph per line or wrapped.

    Returns:
        "es" or "en"; "und" when most of the text is in another language or
        there is too little of it to tell.

    >>> detect_language("El gobierno no cumple con los estándares mínimos.")
    'es'
    >>> detect_language("The government does not meet the minimum standards.")
    'en'
    >>> detect_language("Lima")
    'und'
    >>> detect_language("Le gouvernement ne respecte pas les normes minimales.")
    'und'
    """
    lines = [line for line in text.split("\n") if _NONBLANK.search(line)]
    return _majority(lines, _tag_lines(lines, None))


def line_languages(text: str, hint: str | None = None) -> list[str]:
    """One tag per line of ``text.split("\\n")``: "es", "en" or "und".

    The spelling stage calls this on the layout stage's output to decide,
    per paragraph, whether to correct it as Spanish, as English or not at
    all. A line too short or too ambiguous to decide (a heading, a number, a
    name) takes the tag of the nearest decided line, or `hint` when there is
    one. A blank line takes the tag of the line before it (after it at the
    top).

    Args:
        text: the text, one paragraph per line.
        hint: "es" or "en" when the caller knows the document's language.

    Returns:
        ``len(text.split("\\n"))`` tags.

    Raises:
        ValueError: `hint` is not "es", "en" or None.

    >>> line_languages("PERÚ\\n\\nEl Perú es un país de origen.\\nPeru is a source country.")
    ['es', 'es', 'es', 'en']
    >>> line_languages("Lima\\n2019", hint="en")
    ['en', 'en']
    """
    _check_hint(hint)
    raw = text.split("\n")
    index = [i for i, line in enumerate(raw) if _NONBLANK.search(line)]
    tags = _tag_lines([raw[i] for i in index], hint)
    own: dict[int, str] = dict(zip(index, tags, strict=True))
    out: list[str] = []
    fill = tags[0] if tags else (hint or UND)
    for i in range(len(raw)):
        fill = own.get(i, fill)
        out.append(fill)
    return out


def tag(text: str, config: CleanConfig) -> tuple[str, tuple[Paragraph, ...]]:
    """Tag the document and each of its non-blank lines.

    Args:
        text: the body after the cleaning stages, one paragraph per line.
        config: ``config.language`` False skips detection (every tag is
            ``config.language_hint`` or "und"); a ``language_hint`` forces the
            document tag and is inherited by the lines that cannot be decided.

    Returns:
        The document tag and one :class:`Paragraph` per non-blank line, its
        offsets those of the line without its surrounding whitespace.

    >>> text = "Informe 2024\\nEl gobierno aumentó los esfuerzos contra la trata.\\n"
    >>> doc, paras = tag(text, CleanConfig())
    >>> doc, [(p.text, p.language) for p in paras]
    ('es', [('Informe 2024', 'es'), ('El gobierno aumentó los esfuerzos contra la trata.', 'es')])
    >>> tag("Lima\\n", CleanConfig(language_hint="en"))[0]
    'en'
    """
    spans: list[tuple[int, int]] = []
    for match in _LINE.finditer(text):
        line = match.group()
        stripped = line.strip()
        if stripped:
            start = match.start() + (len(line) - len(line.lstrip()))
            spans.append((start, start + len(stripped)))
    lines = [text[start:end] for start, end in spans]
    if config.language:
        tags = _tag_lines(lines, config.language_hint)
        doc = config.language_hint or _majority(lines, tags)
    else:
        doc = config.language_hint or UND
        tags = [doc] * len(lines)
    return doc, tuple(
        Paragraph(line, lang, start, end)
        for line, lang, (start, end) in zip(lines, tags, spans, strict=True)
    )


def mark(front: str, lang: str) -> str:
    """Return the front-matter block `front` with ``language: <lang>`` in it.

    A top-level ``language:`` line is updated where it stands (any later one
    is dropped); without one the key is added as the block's last line. An
    empty `front` becomes a new block. Marking again changes nothing.

    Args:
        front: the leading ``---\\n...\\n---\\n`` block, or "".
        lang: the tag to record.

    Raises:
        ValueError: `front` is neither empty nor a front-matter block.

    >>> mark("", "es")
    '---\\nlanguage: es\\n---\\n'
    >>> mark("---\\ntitle: Perú\\nlanguage: en\\nyear: 2019\\n---\\n", "es")
    '---\\ntitle: Perú\\nlanguage: es\\nyear: 2019\\n---\\n'
    >>> mark("---\\ntitle: Perú\\n---\\n", "es")
    '---\\ntitle: Perú\\nlanguage: es\\n---\\n'
    >>> once = mark("---\\ntitle: Perú\\n---\\n", "es")
    >>> mark(once, "es") == once
    True
    """
    entry = f"language: {lang}"
    if not front:
        return f"---\n{entry}\n---\n"
    lines = front.split("\n")
    if lines[0] != "---" or "---" not in lines[1:]:
        raise ValueError("front matter must open and close with a '---' line")
    close = lines.index("---", 1)
    kept: list[str] = []
    found = False
    for line in lines[1:close]:
        if _FRONT_KEY.match(line):
            if not found:
                kept.append(entry)
                found = True
            continue
        kept.append(line)
    if not found:
        kept.append(entry)
    return "\n".join(["---", *kept, *lines[close:]])
