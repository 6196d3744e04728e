"""Real-word OCR errors in English, decided by the neighbouring words.

A word-by-word corrector cannot see that "fist" in "the fist line" is
"first", that "ae" in "they ae created" is "are", or that a lone "t" is
"it": each is a valid word (the lexicon lists "ae", "t" and "fist"). This
module weighs such a word against its OCR confusions (:mod:`tipclean.channel`)
with a bigram language model, the classic noisy-channel real-word corrector::

    gain(w) = log P(w | prev) + log P(next | w) / P(next)      (context)
            - the same for the word as printed
            - channel cost of reading w as the word printed       (OCR)
            - MARGIN, and more for a word the document repeats (neither for a lone letter but "a")

and replaces the word with the best w when the gain is positive.

The bigram counts are the Google Books counts that symspellpy ships for its
``lookup_compound`` (``frequency_bigramdictionary_en_*.txt``, with the
matching unigram list): a runtime dependency already, so nothing is copied
into tipclean. They are parsed once and kept in the lexicon cache.

Only English has such data, and only documents that the OCR visibly damaged
get this step (the caller decides): in clean text, a rare word next to a
common look-alike is far likelier right than misread.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from typing import TYPE_CHECKING, Any, NamedTuple

import regex

from . import lexicon
from .accents import PIECE
from .channel import MAX_SIDE
from .channel import load as load_channel
from .document import Edit
from .runs import LIMIT, Runs
from .spelling import SPLIT_COST, SPLIT_MIN_COUNT, SPLIT_SHORT_MIN_COUNT, _code_digest

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

# In nats. The margin is what context must win by beyond the channel cost;
# every repetition of the same word in the document adds REPEAT_COST (an
# OCR slip seldom repeats, a rare word of the topic does), up to REPEAT_MAX.
MARGIN = 5.0
REPEAT_COST = 2.0
REPEAT_MAX = 3
# "Stupid backoff" weight for a bigram the model has not seen. The usual 0.4
# assumes every bigram of the corpus is listed; symspellpy lists only the
# commonest 243,000, so a pair missing from it is rare.
BACKOFF = 0.02
MAX_CHANNEL_COST = 9.0



class Model:
    """log P(second | first) from symspellpy's bigram counts, unigrams from tipclean's English lexicon."""

    def __init__(self, table: dict[str, float], words: dict[str, int]) -> None:
        self.table = table
        self.words = words
        self.total = sum(words.values()) or 1
        self.backoff = math.log(BACKOFF)
        self.top = math.log(max(words.values(), default=1) / self.total)
        self._unigrams: dict[str, float] = {}

    def unigram(self, word: str) -> float:
        found = self._unigrams.get(word)
        if found is None:
            found = self._unigrams[word] = math.log(max(self.words.get(word, 0), 1) / self.total)
        return found

    def bigram(self, first: str, second: str) -> float:
        """log P(second | first), backing off to the unigram."""
        found = self.table.get(f"{first} {second}")
        return found if found is not None else self.backoff + self.unigram(second)

    def fit(self, prev: str | None, reading: str, nxt: str | None) -> float:
        """How well `reading` (one word, or two run together by the OCR) fits between its neighbours."""
        words = reading.split(" ")
        score = self.bigram(prev, words[0]) if prev is not None else self.unigram(words[0])
        for first, second in itertools.pairwise(words):
            score += self.bigram(first, second)
        if nxt is not None:
            score += self.bigram(words[-1], nxt) - self.unigram(nxt)
        return score

    def support(self, prev: str | None, nxt: str | None, reading: str) -> float:
        """How much better than an unseen pair `reading` fits after `prev` and before `nxt`, in nats (at least 0 per side)."""
        words = reading.lower().split(" ")
        floor = self.backoff
        score = 0.0
        if prev is not None:
            score += max(self.bigram(prev, words[0]) - self.unigram(words[0]) - floor, 0.0)
        if nxt is not None:
            score += max(self.bigram(words[-1], nxt) - self.unigram(nxt) - floor, 0.0)
        return score

    def lead(self, prev: str | None) -> float:
        """An upper bound of log P(reading | prev) for any reading: :meth:`fit` before its next word counts."""
        return max(self.table.get(f"{prev} ", -math.inf), self.backoff + self.top) if prev is not None else self.top

    def trail(self, nxt: str) -> float:
        """An upper bound of what `nxt` adds to :meth:`fit` after any reading: log P(nxt | reading) / P(nxt)."""
        alone = self.unigram(nxt)
        return max(self.table.get(f" {nxt}", -math.inf) - alone, self.backoff)


def _symspell_file(prefix: str) -> Traversable:
    folder = resources.files("symspellpy")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith(prefix) and entry.name.endswith(".txt"):
            return entry
    raise LookupError(f"symspellpy ships no {prefix}*.txt")


_TABLE_VERSION = "2"
"""Changes whenever :func:`_build` would build another table from the same lists."""


def _build(words: dict[str, int], bigram_data: bytes, google_data: bytes) -> dict[str, float]:
    """The model table from symspellpy's bigram and unigram lists and tipclean's English lexicon.

    ``"a b"`` → log P(b | a); ``"a "`` → the best log P(· | a) and ``" b"``
    → the best log P(b | ·), which bound what any reading can gain.
    """
    google = lexicon.parse(google_data)
    fields = bigram_data.decode("utf-8").split()
    # A first word's count on the bigrams' own scale: symspellpy's unigram
    # list where it has the word, the lexicon's count otherwise. The bigram
    # list counts about 23 times as many tokens as the unigram list (another
    # snapshot of the corpus), so both are rescaled to the bigrams' total:
    # unscaled, "if you" and "if the" both came out as probability 1.
    bigram_total = sum(map(int, fields[2::3]))
    scale = bigram_total / max(sum(google.values()), 1)
    lexicon_scale = bigram_total / max(sum(words.values()), 1)
    table: dict[str, float] = {}
    for first, second, count in zip(fields[0::3], fields[1::3], fields[2::3]):
        base = google.get(first, 0) * scale or words.get(first, 0) * lexicon_scale
        if not base:
            continue
        logp = math.log(min(int(count) / base, 1.0))
        table[f"{first} {second}"] = logp
        table[f"{first} "] = max(logp, table.get(f"{first} ", -math.inf))
        table[f" {second}"] = max(logp, table.get(f" {second}", -math.inf))
    return table


@functools.cache
def model() -> Model | None:
    """The English bigram model, loaded on first use; None if symspellpy ships no bigram list.

    The lists are data files of symspellpy, not part of its API: a version
    without them makes this step do nothing rather than fail the document.
    """
    try:
        return _load_model()
    except (LookupError, OSError, ValueError, ImportError):
        return None


def _load_model() -> Model:
    from importlib import metadata

    bigrams = _symspell_file("frequency_bigramdictionary_en_")
    google = _symspell_file("frequency_dictionary_en_")
    # The table is derived from the English lexicon and kept beside it in the
    # cache; symspellpy's lists are read only to build it, and its version
    # and file names stand for them in the cache key.
    version = f"{metadata.version('symspellpy')}-{bigrams.name}-{google.name}-{_TABLE_VERSION}"
    (table,) = lexicon.derived(
        "en", "bigrams", version, lambda words: (_build(words, bigrams.read_bytes(), google.read_bytes()),)
    )
    words = {w: c for w, c in lexicon.counts("en").items() if w.islower()}
    return Model(table, words)


@functools.cache
def _rules(cheap: bool = False) -> dict[str, tuple[tuple[str, float], ...]]:
    """The English rules a reading may use, by the string the OCR printed.

    If `cheap`, only those that cost less than a plain edit.
    """
    channel = load_channel("en")
    if cheap:
        limit = channel.edit_cost
        # _rules(False), not _rules(): the cache keys them apart, and the table would be built twice.
        cheaper = {src: tuple(o for o in options if o[1] < limit) for src, options in _rules(False).items()}
        return {src: options for src, options in cheaper.items() if options}
    return {
        src: tuple((dst, cost) for dst, cost in options if cost <= MAX_CHANNEL_COST)
        for src, options in channel.by_noisy.items()
    }


@functools.lru_cache(maxsize=16384)
def confusions(word: str, cheap: bool = False) -> tuple[tuple[str, float], ...]:
    """Readings of `word` with their channel cost: lower-case English words one
    learned OCR confusion away, and two common words the OCR ran together ("isa").

    If `cheap`, only the readings that cost less than a plain edit: a few
    rules, so far fewer rewrites to look up. A reading's cost is that of its
    cheapest rule, lowered to a plain edit's at most, so these are exactly
    the readings of the full list below that cost.
    """
    rules = _rules(cheap)
    edit_cost = load_channel("en").edit_cost
    lm = model()
    words = lm.words if lm is not None else {}
    costs: dict[str, float] = {}
    # One rule at one place: a direct loop, far cheaper than the general
    # search of Channel.generate, and the rule's cost is the reading's cost
    # unless one plain edit explains it for less.
    n = len(word)
    for i in range(n):
        head = word[:i]
        for end in range(i + 1, min(i + MAX_SIDE, n) + 1):
            options = rules.get(word[i:end])
            if not options:
                continue
            tail = word[end:]
            for dst, cost in options:
                rewrite = head + dst + tail
                if rewrite in words and rewrite != word and cost < costs.get(rewrite, math.inf):
                    costs[rewrite] = cost
    found = [
        (rewrite, min(cost, edit_cost) if cost > edit_cost and _one_edit(word, rewrite) else cost)
        for rewrite, cost in costs.items()
    ]
    # A common word is itself, not two run together ("into", "cannot").
    # A lost space next to a one-letter word ("isa", "fora") is the OCR's
    # commonest merge; longer halves make real words ("inequity", "init"):
    # so the split is after the first letter or before the last.
    splits = n > 1 and words.get(word, 0) < SPLIT_MIN_COUNT and (SPLIT_COST < edit_cost or not cheap)
    for i in sorted({1, n - 1}) if splits else ():
        left, right = word[:i], word[i:]
        short, long_ = sorted((left, right), key=len)
        if words.get(short, 0) >= SPLIT_SHORT_MIN_COUNT and words.get(long_, 0) >= SPLIT_MIN_COUNT:
            found.append((f"{left} {right}", SPLIT_COST))
    return tuple(sorted(found))


_READINGS_VERSION = "1"
"""Changes whenever :func:`confusions` would give other readings for the same word, rules and lexicon
beyond what :func:`_readings` puts in its cache key."""


class _OnDemand:
    """The readings index's ``get``, for a word at a time."""

    @staticmethod
    def get(word: str, default: tuple[tuple[str, float], ...] = ()) -> tuple[tuple[str, float], ...]:
        return confusions(word) or default


@functools.cache
def _readings() -> dict[str, tuple[tuple[str, float], ...]] | None:
    """``confusions(word)`` of every word of the model that has a reading (a quarter of them).

    The step asks about most words of a document, and generating a word's
    readings was most of what it cost: built once for the lexicon (two or
    three seconds, on the first English document a machine cleans) and kept
    beside it in the cache, where the channel's rules, the split settings
    and the code that finds readings key it. None where it cannot be kept.
    """
    lm = model()
    if lm is None:
        return {}
    channel = load_channel("en")
    key = (
        _READINGS_VERSION,
        sorted(_rules(False).items()),
        channel.edit_cost,
        (SPLIT_COST, SPLIT_MIN_COUNT, SPLIT_SHORT_MIN_COUNT, MAX_SIDE, MAX_CHANNEL_COST),
        [_code_digest(f.__code__) for f in (confusions.__wrapped__, _rules.__wrapped__, _one_edit)],
    )
    version = format(zlib.crc32(repr(key).encode()), "08x")
    words = lm.words
    find = confusions.__wrapped__  # not through the per-word cache

    def build(_: dict[str, int]) -> tuple[dict[str, tuple[tuple[str, float], ...]]]:
        return ({word: found for word in words if (found := find(word))},)

    kept = lexicon.kept("en", "readings", version, build)
    return kept[0] if kept is not None else None


@functools.cache
def _cheapest_reading() -> float:
    """The lowest channel cost any reading in :func:`confusions` can have."""
    channel = load_channel("en")
    return min([SPLIT_COST, channel.edit_cost, *channel.rules.values()])


def _one_edit(a: str, b: str) -> bool:
    """True if one insertion, deletion or substitution turns `a` into `b`."""
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1 or a == b:
        return False
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def _words(line: str) -> list[tuple[int, int, str] | None]:
    """The line as words (start, end, text) and None for each separator that breaks context.

    A neighbour counts only when nothing but spaces stands between (a comma
    or a full stop ends the context): the words and marks of
    :data:`tipclean.accents.PIECE`, the Spanish context step's too.
    """
    pieces: list[tuple[int, int, str] | None] = []
    for match in PIECE.finditer(line):
        text = match.group()
        pieces.append((match.start(), match.end(), text) if text[0].isalnum() else None)
    return pieces


class _Line(NamedTuple):
    """A line as its words: each word's text, start and end, and whether only spaces stand before it."""

    words: list[str]
    starts: list[int]
    ends: list[int]
    spaced: list[bool]
    """``spaced[k]``: the text between word k - 1 and word k is spaces only (meaningless for k = 0)."""

    def around(self, k: int) -> tuple[str | None, str | None]:
        """The words before and after word `k`, lower-cased; None across a separator or at an end."""
        words, spaced = self.words, self.spaced
        prev = words[k - 1].lower() if k and spaced[k] else None
        return prev, words[k + 1].lower() if k + 1 < len(words) and spaced[k + 1] else None


def _line_words(line: str) -> _Line:
    """:func:`_words` of `line`, as the context step walks it.

    Split at runs of letters and digits by the standard library's re, which
    costs a fraction of a match object a piece (see :class:`~tipclean.runs.Runs`);
    where a character could make that differ from :func:`_words` (one
    above `~tipclean.runs.LIMIT`, or one of :func:`_unusual`), from :func:`_words` itself.
    """
    if _unusual().search(line) is None:
        parts = _RUNS.split(line)
        ends = list(itertools.accumulate(map(len, parts)))
        return _Line(parts[1::2], ends[0:-1:2], ends[1::2], list(map(str.isspace, parts[0:-1:2])))
    words: list[str] = []
    starts: list[int] = []
    word_ends: list[int] = []
    spaced: list[bool] = []
    after_word = False
    for piece in _words(line):
        if piece is None:
            after_word = False
            continue
        starts.append(piece[0])
        word_ends.append(piece[1])
        words.append(piece[2])
        spaced.append(after_word)
        after_word = True
    return _Line(words, starts, word_ends, spaced)


_RUNS = Runs(r"\p{L}\p{N}")


@functools.cache
def _unusual() -> re.Pattern[str]:
    """Finds a character for which :func:`_line_words` must not split by re.

    Those at or above `LIMIT`, and below it those where Python and regex
    disagree: a letter or digit of a newer Unicode than Python's, which
    ``str.isalnum`` does not know (so :func:`_words` makes it a separator),
    and the four separators ``str.isspace`` counts as spaces and regex's
    ``\\s`` does not.
    """
    every = "".join(map(chr, range(LIMIT)))
    odd = {ch for m in _RUNS.pattern.finditer(every) for ch in m.group() if not ch.isalnum()}
    spaces = {m.group() for m in regex.finditer(r"\s", every)}
    odd.update(ch for ch in every if ch.isspace() != (ch in spaces))
    return re.compile(f"[{''.join(map(re.escape, sorted(odd)))}]|[^\\x00-{re.escape(chr(LIMIT - 1))}]")


# The marks that join a word to its neighbour ("don't", "anti-", "e-mail").
_COMPOUND_MARKS = frozenset("'’-")


def real_word_errors(lines: Iterable[tuple[str, Callable[[int, int], int | None]]]) -> Iterator[Edit]:
    """Edits for the English real-word misreadings of `lines`.

    Each line comes with a function that maps a span of it to the offset of
    the same span in the document, or None where the span must not change
    (a word corrected already still serves as context).
    """
    lm = model()
    if lm is None:
        return
    split = [(line, where, _line_words(line)) for line, where in lines]
    # The "t" of "don't" is no repetition of a lone "t": the words that are
    # not _in_compound. All words are counted at once, and those next to a
    # mark (found from the marks: they are fewer) taken off.
    counts: Counter[str] = Counter()
    inside: list[set[int]] = []
    for line, _, found in split:
        counts.update(found.words)
        marked = _compounded(line, found) if not _COMPOUND_MARKS.isdisjoint(line) else set()
        counts.subtract(found.words[k] for k in marked)
        inside.append(marked)
    cheapest = _cheapest_reading()
    edit_cost = load_channel("en").edit_cost
    # confusions(word) of each word: looked up in the index kept in the
    # cache; where it cannot be kept, every process would build that index
    # (2-3 s), so each word's are found as it comes, as before the index.
    readings = _readings() or _OnDemand()
    # What does not depend on where a word stands, once per distinct word:
    # nearly every word stops here (no reading, a name, a number).
    kinds: dict[str, tuple[str, tuple[tuple[str, float], ...], bool] | None] = {}
    # lm.lead and lm.trail per word: a document repeats its words.
    leads: dict[str | None, float] = {}
    trails: dict[str, float] = {}
    # lm.bigram, spelled out: it is asked twice for nearly every word.
    table, backoff, unigram = lm.table, lm.backoff, lm.unigram
    for (line, where, found), marked in zip(split, inside):
        words, spaced = found.words, found.spaced
        last = len(words) - 1
        for k, token in enumerate(words):
            if token in kinds:
                kind = kinds[token]
            else:
                kind = kinds[token] = _kind(token, lm.words, readings)
            # A capitalized word is read only at the start of a sentence.
            if kind is None or k in marked or (kind[2] and not _sentence_start(line, found.starts[k])):
                continue
            word, options, _ = kind
            # found.around(k), spelled out: most words get this far.
            prev = words[k - 1].lower() if k and spaced[k] else None
            nxt = words[k + 1].lower() if k < last and spaced[k + 1] else None
            low = token.lower()
            if prev is None:
                here = unigram(word)
            else:
                found_pair = table.get(f"{prev} {low}")
                here = found_pair if found_pair is not None else backoff + unigram(low)
            if nxt is not None:
                found_pair = table.get(f"{low} {nxt}")
                here += (found_pair if found_pair is not None else backoff + unigram(nxt)) - unigram(nxt)
            # A lone letter other than "a" is no word of English prose: the
            # "t" of "t will" or the "i" of "i the" needs only a better fit,
            # and its repetitions are repeated slips, not a term.
            if len(token) == 1 and token != "a":
                penalty = 0.0
            else:
                penalty = MARGIN + REPEAT_COST * min(counts[token] - 1, REPEAT_MAX)
            # No reading fits better than lm.lead(prev) + lm.trail(nxt), the
            # best any word does after `prev` and before `nxt`: where even
            # that cannot pay for the cheapest confusion, the word stays
            # without generating its confusions.
            ceiling = leads.get(prev)
            if ceiling is None:
                ceiling = leads[prev] = lm.lead(prev)
            if nxt is not None:
                trail = trails.get(nxt)
                if trail is None:
                    trail = trails[nxt] = lm.trail(nxt)
                ceiling += trail
            if ceiling - here - cheapest - penalty <= 0:
                continue
            # Likewise, where it cannot pay for a plain edit, no reading that
            # costs as much can win: only the cheaper ones are tried.
            if ceiling - here - edit_cost - penalty <= 0:
                options = tuple(option for option in options if option[1] < edit_cost)
            at = where(found.starts[k], found.ends[k]) if options else None
            if at is None:
                continue
            best, best_gain = None, 0.0
            for rival, cost in options:
                gain = lm.fit(prev, rival, nxt) - here - cost - penalty
                if gain > best_gain:
                    best, best_gain = rival, gain
            if best is not None:
                fixed = best if token.islower() else best[:1].upper() + best[1:]
                context = f"{prev or '¶'} _ {nxt or '¶'}"
                yield Edit(at, at + len(token), fixed, f"ocr, a likelier word here ({context})")


def _compounded(line: str, found: _Line) -> set[int]:
    """The indices of the words of `found` that are :func:`_in_compound` in `line`."""
    marked = set()
    count = len(found.words)
    for mark in _MARK.finditer(line):
        at = mark.start()
        k = bisect.bisect_left(found.ends, at)  # the word ending at the mark
        if k < count and found.ends[k] == at:
            marked.add(k)
        k = bisect.bisect_left(found.starts, at + 1)  # the word after it
        if k < count and found.starts[k] == at + 1:
            marked.add(k)
    return marked


_MARK = re.compile(f"[{re.escape(''.join(sorted(_COMPOUND_MARKS)))}]")


def _kind(
    token: str, words: dict[str, int], readings: Any
) -> tuple[str, tuple[tuple[str, float], ...], bool] | None:
    """``(word, its readings, whether it is capitalized)`` for a token the step may read otherwise, else None.

    Only words of the model, lower case or capitalized (then only at the
    start of a sentence, which the caller checks), with a reading, and no
    term of the domain lexicon.
    """
    if not token.isalpha():
        return None
    if token.islower():
        word, capital = token, False
    elif token[0].isupper() and token[1:].islower():
        word, capital = token.lower(), True
    else:
        return None  # a name mid-sentence, or capitals
    if word not in words:
        return None
    # Three words of the lexicon in four have no reading: nothing can change them.
    options: tuple[tuple[str, float], ...] = readings.get(word, ())
    if not options or lexicon.lookup(token, "domain") is not None:
        return None
    return word, options, capital


def words_around(
    lines: Iterable[tuple[str, Callable[[int, int], int | None]]], offsets: Iterable[int]
) -> Iterator[tuple[int, str | None, str | None]]:
    """For each word of `lines` kept at one of `offsets` of the text: that offset and its neighbours (lower case; None across punctuation)."""
    wanted = set(offsets)
    for line, where in lines:
        found = _line_words(line)
        for k, (start, end) in enumerate(zip(found.starts, found.ends)):
            at = where(start, end)
            if at is None or at not in wanted:
                continue
            yield at, *found.around(k)


def _in_compound(line: str, start: int, end: int) -> bool:
    # Parts of "don't", "anti-", "e-mail" are not words on their own.
    return (start > 0 and line[start - 1] in _COMPOUND_MARKS) or (end < len(line) and line[end] in _COMPOUND_MARKS)


def _sentence_start(line: str, start: int) -> bool:
    # Backwards over the spaces, without copying the line: it is a paragraph.
    i = start - 1
    while i >= 0 and line[i].isspace():
        i -= 1
    return i < 0 or line[i] in ".!?:;"
