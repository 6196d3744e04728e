"""Spanish words whose accented twin is a word too, decided by their neighbours.

An English OCR model drops Spanish accents, and where both spellings are
words, "esta" may be "esta" or "está", "como" "cómo", "si" "sí". The
lexicon's frequencies alone cannot say which (`spelling.REAL_WORD_RATIO`
leaves such pairs alone); the neighbours can: "esta opción", "está
instalado", "está en", "sobre cómo". ``dictionaries/accent-context-es.tsv``
holds, for each such pair, how often clean Spanish text shows each form
after a word, before a word, and before a word with a given ending
(``dictionaries/tools/build_accent_context.py``). A naive Bayes classifier
weighs those against the lexicon's frequencies of the two forms:

    log P(accented) / P(plain)                      (lexicon)
    + log P(word before | accented) / P(... | plain)
    + log P(word after | accented) / P(... | plain)  (or of its ending, if the word was not seen)

Each form's rate of a neighbour is shrunk toward the pair's pooled rate
(`SHRINK` occurrences' worth), so that a neighbour seen once says little.
The accent is put where the sum exceeds `MARGIN`; the caller asks only in a
document whose OCR drops accents.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Iterator
from importlib import resources

import regex

from . import lexicon
from .document import Edit

MARGIN = 2.0
SHRINK = 5.0
SUFFIX = 3  # letters of the next word that stand for it where the table has not seen it
PIECE = regex.compile(r"[\p{L}\p{N}]++|[^\s\p{L}\p{N}]")
"""Words, and each mark apart: the build script splits its text with the same pattern, and the
English context step (:mod:`tipclean.context`) its lines."""


def pieces(line: str) -> list[str]:
    """`line` as the table sees it: lower-case words, "0" for any token with a digit, marks; "^" and "$" at the ends."""
    return ["^", *(_piece(match.group()) for match in PIECE.finditer(line)), "$"]


def _piece(text: str) -> str:
    if any(map(str.isdigit, text)):
        return "0"
    return text.lower()


class Model:
    """The neighbour counts of each plain word and its accented twin."""

    def __init__(self, pairs: dict[str, tuple[str, dict[str, tuple[int, int]]]]) -> None:
        self.pairs = pairs

    def odds(self, plain: str, prev: str, nxt: str) -> tuple[str, float] | None:
        """The accented twin of `plain` and the log odds for it between `prev` and `nxt`; None if it has none."""
        found = self.pairs.get(plain)
        if found is None:
            return None
        accented, features = found
        total_plain, total_accented = features["*"]
        table = lexicon.counts("es")
        score = math.log(table.get(accented, 1) / table.get(plain, 1))
        after = ">" + nxt
        if after not in features and nxt.isalpha() and len(nxt) > SUFFIX:
            after = "~" + nxt[-SUFFIX:]
        for feature in ("<" + prev, after):
            seen = features.get(feature)
            if seen is None:
                continue
            count_plain, count_accented = seen
            pooled = (count_plain + count_accented) / (total_plain + total_accented)
            rate_accented = (count_accented + SHRINK * pooled) / (total_accented + SHRINK)
            rate_plain = (count_plain + SHRINK * pooled) / (total_plain + SHRINK)
            score += math.log(rate_accented / rate_plain)
        return accented, score


@functools.cache
def model() -> Model:
    """The table, parsed on first use (a Spanish document that drops accents)."""
    pairs: dict[str, tuple[str, dict[str, tuple[int, int]]]] = {}
    text = resources.files("tipclean.dictionaries").joinpath("accent-context-es.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        plain, accented, feature, count_plain, count_accented = line.split("\t")
        pairs.setdefault(plain, (accented, {}))[1][feature] = (int(count_plain), int(count_accented))
    return Model(pairs)


def restore(lines: Iterable[tuple[str, Callable[[int, int], int | None]]], words: set[str]) -> Iterator[Edit]:
    """Accents for the lower-case `words` of `lines` where their neighbours call for them.

    Each line comes with a function that maps a span of it to the offset of
    the same span in the document, or None where the span must not change.
    """
    table = model()
    for line, where in lines:
        matches = list(PIECE.finditer(line))
        for k, match in enumerate(matches):
            if match.group() not in words:
                continue
            prev = _piece(matches[k - 1].group()) if k else "^"
            nxt = _piece(matches[k + 1].group()) if k + 1 < len(matches) else "$"
            decided = table.odds(match.group(), prev, nxt)
            if decided is None or decided[1] <= MARGIN:
                continue
            at = where(match.start(), match.end())
            if at is not None:
                context = f"{'¶' if prev == '^' else prev} _ {'¶' if nxt == '$' else nxt}"
                yield Edit(at, match.end() - match.start() + at, decided[0], f"accent (by context: {context})")
