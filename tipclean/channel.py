"""The OCR noisy channel: what an OCR engine turns letters into, and at what cost.

The confusion tables ``dictionaries/confusions-{es,en}.tsv`` are learned from
development OCR pairs by ``dictionaries/tools/build_confusions.py``: each
rule says that the OCR printed ``noisy`` where the page had ``gold``, with
``cost = -ln P(gold | noisy)``. This module uses them twice:

- :meth:`Channel.generate` rewrites an unknown token with up to two rules
  into accent-free forms ("nifios" → "ninos"), whose accented spellings the
  spelling stage looks up in the lexicon ("niños"). Accents are free at this
  stage, so a word that only lost its accents needs no rule at all.
- :meth:`Channel.cost` prices a token → word rewrite exactly, with a
  weighted edit distance over the rules (substrings of up to three
  characters), so "nifios" → "niños" (fi → ñ) costs far less than an
  arbitrary two-letter edit.
"""

from __future__ import annotations

import functools
import math
import sys
import unicodedata
from collections.abc import Iterator
from importlib import resources

# Costs of edits no rule explains, in nats. An accent that is simply missing
# or wrong is the commonest OCR slip in Spanish, so it is cheap; anything
# else is priced as a rare event.
ACCENT_COST = 4.5
CASE_COST = 4.0
EDIT_COST = 9.0
MAX_SIDE = 3
MAX_REWRITE_COST = 9.0  # rewrites dearer than this never win: checking them is wasted time
# Spanish read by an English model fails on accents and ñ, which the rules
# cover; a plain edit outside them is rarer there than in English OCR.
EDIT_COSTS = {"es": 8.5, "en": 6.0}
ACCENTED_COSTS = {"es": 6.0}


def _strip_char(ch: str) -> str:
    base = unicodedata.normalize("NFD", ch)[0]
    return base if base.isascii() or not ch.isalpha() else ch


_FOLD = {ord(ch): _strip_char(ch) for ch in "áéíóúüñÁÉÍÓÚÜÑàèìòùâêîôûäëïöÀÈÌÒÙÂÊÎÔÛÄËÏÖçÇ"}

ACCENTED = frozenset(chr(code) for code, base in _FOLD.items() if base != chr(code))
"""The characters :func:`strip_accents` changes."""


def strip_accents(text: str) -> str:
    """Drop the diacritics Spanish and English OCR confuse; case is kept.

    >>> strip_accents("Niños del PERÚ")
    'Ninos del PERU'
    """
    # Nothing ASCII changes (isascii costs nothing: the string knows).
    return text if text.isascii() else text.translate(_FOLD)


class Channel:
    """A confusion table with generation and pricing."""

    def __init__(
        self, rules: list[tuple[str, str, float]], edit_cost: float = EDIT_COST, accented_cost: float = EDIT_COST
    ) -> None:
        self.edit_cost = edit_cost
        self.accented_cost = accented_cost
        self.rules: dict[tuple[str, str], float] = {}
        for noisy, gold, cost in rules:
            key = (noisy, gold)
            self.rules[key] = min(cost, self.rules.get(key, math.inf))
        # Generation only needs rules that change the skeleton: an accent-only
        # rule (o → ó) is already covered by the accent-free lookup.
        by_src: dict[str, dict[str, float]] = {}
        for (noisy, gold), cost in self.rules.items():
            target = strip_accents(gold)
            if target != strip_accents(noisy):
                slot = by_src.setdefault(noisy, {})
                slot[target] = min(cost, slot.get(target, math.inf))
        self.by_src = {src: sorted(dsts.items(), key=lambda kv: kv[1]) for src, dsts in by_src.items()}
        # by_src by the first letter of the source, each letter's sources shortest first (for generate).
        by_first: dict[str, list[tuple[int, str, list[tuple[str, float]]]]] = {}
        for src, options in self.by_src.items():
            if src:
                by_first.setdefault(src[0], []).append((len(src), src, options))
        self._sources_by_first = {letter: sorted(found) for letter, found in by_first.items()}
        by_noisy: dict[str, list[tuple[str, float]]] = {}
        for (noisy, gold), cost in sorted(self.rules.items()):
            by_noisy.setdefault(noisy, []).append((gold, cost))
        self.by_noisy = by_noisy
        # Pricing may skip paths once they cost more than a bound only when no
        # step can make a path cheaper.
        self.nonnegative = min(edit_cost, accented_cost, ACCENT_COST, CASE_COST) >= 0 and all(
            cost >= 0 for cost in self.rules.values()
        )
        # Plain steps whose sums never round (see _settled).
        self.exact_steps = all(
            (2 * cost).is_integer() and 0 <= cost < 2**40
            for cost in (edit_cost, accented_cost, ACCENT_COST, CASE_COST, ACCENT_COST + CASE_COST)
        )
        # -ln P(the OCR printed `noisy` and the page said it too): high for
        # strings the OCR mostly prints in error, such as "é" for "ó".
        self.identity: dict[str, float] = {
            noisy: -math.log(max(1.0 - sum(math.exp(-cost) for _, cost in options), 0.05))
            for noisy, options in by_noisy.items()
        }

    def generate(self, token: str, max_rules: int = 2, max_cost: float | None = None) -> dict[str, float]:
        """Accent-free rewrites of `token` reachable with at most `max_rules` rules.

        Returns ``{rewrite: cheapest rule cost}``; the token's own skeleton is
        always included, at cost 0. Case is kept, so that "EI" can become "El".
        """
        found: dict[str, float] = {}
        limit = MAX_REWRITE_COST if max_cost is None else max_cost
        if max_rules > 2:
            for text, cost in self._walk(token, 0, max_rules, limit):
                if cost < found.get(text, math.inf):
                    found[text] = cost
            return found
        # What _walk yields for up to two rules, in the same order, without
        # its recursion: every rule that applies is found once.
        plain = strip_accents(token)
        found[plain] = 0.0
        if max_rules == 0:
            return found
        spots: list[tuple[int, int, str, float]] = []
        first = []  # first[k]: the index of the first spot at or after position k
        by_first = self._sources_by_first
        for i, letter in enumerate(token):
            first.append(len(spots))
            # Most letters start no source; those that do start a few, shortest first.
            for size, src, options in by_first.get(letter, ()):
                if size > 1 and not token.startswith(src, i):
                    continue
                for dst, cost in options:
                    if cost > limit:
                        break
                    spots.append((i, i + size, dst, cost))
        first.append(len(spots))
        if not spots:
            return found
        inf = math.inf
        # Most pairs of rules cost more than the limit together: the second
        # rule is looked for among the spots in order of cost, and those
        # found are then taken in the order _walk takes them. Most often not
        # even the cheapest spot fits: then there is nothing to look for.
        costs = [spot[3] for spot in spots]
        cheapest = min(costs)
        by_cost: list[int] | None = None
        for i, end, dst, cost in spots:
            head = plain[:i] + dst
            text = head + plain[end:]
            if cost < found.get(text, inf):
                found[text] = cost
            if max_rules == 1:
                continue
            rest = limit - cost
            if cheapest > rest:
                continue
            if by_cost is None:
                by_cost = sorted(range(len(spots)), key=costs.__getitem__)
            after = first[end]
            seconds = []
            for k in by_cost:
                if costs[k] > rest:
                    break
                if k >= after:
                    seconds.append(k)
            seconds.sort()
            for k in seconds:
                i2, end2, dst2, cost2 = spots[k]
                text = head + plain[end:i2] + dst2 + plain[end2:]
                if cost + cost2 < found.get(text, inf):
                    found[text] = cost + cost2
        return found

    def _walk(self, token: str, start: int, budget: int, max_cost: float) -> Iterator[tuple[str, float]]:
        plain = strip_accents(token[start:])
        yield plain, 0.0
        if budget == 0:
            return
        for i in range(start, len(token)):
            head = strip_accents(token[start:i])
            for size in range(1, MAX_SIDE + 1):
                src = token[i : i + size]
                if len(src) < size:
                    break
                for dst, cost in self.by_src.get(src, ()):
                    if cost > max_cost:
                        break
                    for tail, tail_cost in self._walk(token, i + size, budget - 1, max_cost - cost):
                        yield head + dst + tail, cost + tail_cost

    def cost(self, noisy: str, gold: str) -> float:
        """Weighted edit distance: the cheapest way the OCR could print `noisy` for `gold`.

        >>> ch = Channel([("fi", "ñ", 1.6)])
        >>> ch.cost("nifios", "niños")
        1.6
        >>> ch.cost("proteccion", "protección") == ACCENT_COST
        True
        """
        return _distance(self, noisy, gold)


@functools.lru_cache(maxsize=65536)
def _distance(channel: Channel, noisy: str, gold: str) -> float:
    # Cached: a document prices the same token against the same word in each
    # pass, and the passes that restore names and terms price them again.
    # Every step costs at least 0, so each cell on a cheapest path costs no
    # more than the whole path: expanding only cells up to a bound gives the
    # exact result whenever that result is within the bound. The cost of one
    # plain alignment is such a bound (a lost accent costs 4.5), and the
    # band of cells within it is narrow. Most pairs need no table at all
    # (_settled). Above 12 the bound is still worth it: capping it at 12
    # and computing the third of those pairs that fail in full cost more.
    if channel.nonnegative:
        alignment = _alignment(channel, noisy, gold)
        settled = _settled(channel, noisy, gold, alignment)
        if settled is not None:
            return settled
        bound = _aligned_cost(channel, alignment) + _SLACK
        cost = _cheapest(channel, noisy, gold, bound)
        if cost <= bound:
            return cost
    return _cheapest(channel, noisy, gold, sys.float_info.max)


_SLACK = 1e-9
"""Added to a path's cost used as a bound: the table may sum the same steps in another order.
(A bound below the result only costs the pass in full.)"""


def common_ends(a: str, b: str) -> tuple[int, int]:
    """The lengths of the longest common prefix and, after it, the longest common suffix."""
    n, m = len(a), len(b)
    shorter = min(n, m)
    i = 0
    while i < shorter and a[i] == b[i]:
        i += 1
    j = 0
    while j < shorter - i and a[n - 1 - j] == b[m - 1 - j]:
        j += 1
    return i, j


def _alignment(channel: Channel, noisy: str, gold: str) -> tuple[float, str, str]:
    """The plain alignment of `noisy` with `gold`: its price, and the middles it aligns.

    The common prefix and suffix kept, and the letters between paired off in
    order, each pair priced as one step as the table prices it (:func:`_step`),
    and the letters left over deleted or inserted.
    """
    n, m = len(noisy), len(gold)
    i, j = common_ends(noisy, gold)
    middle, target = noisy[i : n - j], gold[i : m - j]
    price = channel.edit_cost * abs(n - m)
    for a, b in zip(middle, target):
        if a != b:
            price += _step(channel, a, b)
    return price, middle, target


def _aligned_cost(channel: Channel, alignment: tuple[float, str, str]) -> float:
    """The cost of one path :func:`_cheapest` can take, so no less than its result.

    The plain alignment (:func:`_alignment`), or the middles rewritten by one
    rule ("fi" → "ñ"), whichever costs less.
    """
    price, middle, target = alignment
    return min(channel.rules.get((middle, target), math.inf), price)


@functools.lru_cache(maxsize=4096)
def _step(channel: Channel, a: str, b: str) -> float:
    """What :func:`_cheapest` charges for reading `a` as `b` in one plain step (a != b).

    The same tests in the same order; only for characters whose lower case
    is one character and does not depend on its neighbours (see :func:`_settled`).
    """
    a_plain, b_plain = strip_accents(a), strip_accents(b)
    if a_plain == b_plain:
        return ACCENT_COST
    if a.lower() == b.lower():
        return CASE_COST
    if a_plain.lower() == b_plain.lower():
        return ACCENT_COST + CASE_COST
    if b_plain != b and b.isalpha():
        return min(channel.edit_cost, channel.accented_cost)
    return channel.edit_cost


def _settled(channel: Channel, noisy: str, gold: str, alignment: tuple[float, str, str]) -> float | None:
    """The price of `alignment` (:func:`_alignment`), or of its one rule, when no path can cost less; else None.

    Every character `gold` holds more often than `noisy` is written by a
    step other than a match: a plain edit, or a rule that applies in
    `noisy` and whose result is in `gold`; likewise every character
    `noisy` holds more often is read by one. With no step below 0, a path
    costs at least its dearest step, so at least the cheapest step that can
    do so, for each such character. Where that bound reaches the price of
    a path :func:`_cheapest` can take, that price is the distance: so for
    three pairs in four, without the table. The price is the one the table
    would sum: a rule alone, or plain steps whose costs are exact in binary
    (halves), whose sums do not round.
    """
    n, m = len(noisy), len(gold)
    edit_cost = channel.edit_cost
    # The common prefix and suffix hold the same characters on both sides:
    # only the middles can hold more of one.
    price, middle, target = alignment
    if edit_cost * abs(n - m) > edit_cost:
        return None  # one plain edit can write or read any character for less
    if len(middle) <= MAX_SIDE and middle:
        rule = channel.rules.get((middle, target))
        if rule is not None and rule < price:
            price = rule
    if price > edit_cost:
        return None
    # Beyond U+036F (Greek's final sigma) or with a letter whose lower case
    # is two (İ), str.lower of the whole string is not that of each
    # character, which _step assumes.
    if (
        not channel.exact_steps
        or max(noisy, default="") > "\u036f"
        or max(gold, default="") > "\u036f"
        or len(noisy.lower()) != n
        or len(gold.lower()) != m
    ):
        return None
    writing, reading = _rules_by_letter(channel)
    for c in set(target):
        if target.count(c) > middle.count(c) and _dearest(channel, c, price, noisy, gold, writing.get(c, ()), False):
            return price
    for c in set(middle):
        if middle.count(c) > target.count(c) and _dearest(channel, c, price, noisy, gold, reading.get(c, ()), True):
            return price
    return None


def _dearest(
    channel: Channel, c: str, price: float, noisy: str, gold: str, rules: tuple[tuple[float, str, str], ...], read: bool
) -> bool:
    """True if no step writes the character `c` of `gold` (or, if `read`, reads it in `noisy`) for less than `price`.

    `rules` are those holding `c` on that side, cheapest first. See :func:`_settled`.
    """
    if read:
        for other in set(gold):
            if other != c and _step(channel, c, other) < price:
                return False
    else:
        for other in set(noisy):
            if other != c and _step(channel, other, c) < price:
                return False
    for cost, src, dst in rules:
        if cost >= price:
            break
        if src in noisy and dst in gold:
            return False
    return True


@functools.cache
def _rules_by_letter(channel: Channel) -> tuple[dict[str, tuple[tuple[float, str, str], ...]], ...]:
    """``(cost, source, result)`` of the rules by each letter of their result, and of their source; cheapest first."""
    writing: dict[str, list[tuple[float, str, str]]] = {}
    reading: dict[str, list[tuple[float, str, str]]] = {}
    for src, options in channel.by_noisy.items():
        for dst, cost in options:
            for letter in set(dst):
                writing.setdefault(letter, []).append((cost, src, dst))
            for letter in set(src):
                reading.setdefault(letter, []).append((cost, src, dst))
    return tuple({letter: tuple(sorted(rules)) for letter, rules in table.items()} for table in (writing, reading))


_Rules = dict[str, tuple[tuple[int, str, int, float], ...]]


@functools.lru_cache(maxsize=4096)
def _rules_at(channel: Channel, noisy: str) -> tuple[_Rules, ...]:
    """For each position of `noisy`, the rules that rewrite the text there, by first letter of the result.

    ``(length of the source, gold, len(gold), cost)``; rules that delete are under "".
    """
    return tuple(_rules_in(channel, noisy[i : i + MAX_SIDE]) for i in range(len(noisy) + 1))


_NO_RULES: _Rules = {}


@functools.lru_cache(maxsize=4096)
def _rules_in(channel: Channel, window: str) -> _Rules:
    """The rules whose source starts `window` (the next `MAX_SIDE` characters of a token).

    Cached: tokens share most of their windows, and merging the rules of a
    window is most of what :func:`_rules_at` costs.
    """
    grouped = _grouped(channel)
    here = [rules for size in range(1, len(window) + 1) if (rules := grouped.get(window[:size]))]
    if not here:
        return _NO_RULES
    if len(here) == 1:
        return here[0]
    merged: dict[str, list[tuple[int, str, int, float]]] = {}
    for rules in here:
        for first, options in rules.items():
            merged.setdefault(first, []).extend(options)
    return {first: tuple(options) for first, options in merged.items()}


@functools.lru_cache(maxsize=16)
def _grouped(channel: Channel) -> dict[str, _Rules]:
    """The channel's rules by source, then by first letter of the result."""
    found: dict[str, dict[str, list[tuple[int, str, int, float]]]] = {}
    for src, options in channel.by_noisy.items():
        for dst, cost in options:
            found.setdefault(src, {}).setdefault(dst[:1], []).append((len(src), dst, len(dst), cost))
    return {src: {first: tuple(rules) for first, rules in by_first.items()} for src, by_first in found.items()}


# ruff: noqa: PLR1730 (comparisons rather than min() and max() in the pricing loop: a call costs more)
def _cheapest(channel: Channel, noisy: str, gold: str, bound: float) -> float:
    """The weighted edit distance, expanding only the cells that cost at most `bound`.

    A cell dearer than `bound` is never expanded, so it is not even written:
    the result is exact when it is within the bound, and inf otherwise. Most
    cells on the first try are one plain edit off the diagonal, and all
    their steps but a match or a cheap rule lead past the bound.
    """
    starts = _rules_at(channel, noisy)
    edit_cost = channel.edit_cost
    accented_cost = min(edit_cost, channel.accented_cost)
    n, m = len(noisy), len(gold)
    # Per-character views, computed once: the inner loop compares them.
    # (strip_accents maps each character on its own.)
    n_plain = list(strip_accents(noisy))
    g_plain = list(strip_accents(gold))
    n_low = noisy.lower()
    g_low = gold.lower()
    inf = math.inf
    dist = [[inf] * (m + 1) for _ in range(n + 1)]
    dist[0][0] = 0.0
    # The columns of each row that hold a cell within the bound lie between
    # these: only they are visited.
    lo = [m + 1] * (n + 1)
    hi = [-1] * (n + 1)
    lo[0] = hi[0] = 0
    for i in range(n + 1):
        j, last = lo[i], hi[i]
        if j > last:
            continue
        row = dist[i]
        nxt = dist[i + 1] if i < n else None
        rules = starts[i]
        deletes = rules.get("", ())
        while j <= last:
            here = row[j]
            if here > bound:
                j += 1
                continue
            edited = here + edit_cost
            if edited > bound:
                edited = inf  # no plain edit from here stays within the bound
            if nxt is not None:
                if j < m:
                    a, b = noisy[i], gold[j]
                    if a == b:
                        value = here
                    elif n_plain[i] == g_plain[j]:
                        value = here + ACCENT_COST
                    elif n_low[i] == g_low[j]:
                        value = here + CASE_COST
                    elif n_plain[i].lower() == g_plain[j].lower():
                        value = here + (ACCENT_COST + CASE_COST)
                    elif g_plain[j] != b and b.isalpha():
                        # An accented letter is what an English model misreads
                        # most, into anything: Perú as Pera, Perd, Pert, Perq.
                        value = here + accented_cost
                    else:
                        value = edited
                    if value <= bound and value < nxt[j + 1]:
                        nxt[j + 1] = value
                        if j + 1 < lo[i + 1]:
                            lo[i + 1] = j + 1
                        if j + 1 > hi[i + 1]:
                            hi[i + 1] = j + 1
                if edited < nxt[j]:
                    nxt[j] = edited
                    if j < lo[i + 1]:
                        lo[i + 1] = j
                    if j > hi[i + 1]:
                        hi[i + 1] = j
            if j < m:
                if edited < row[j + 1]:
                    row[j + 1] = edited
                    if j + 1 > last:
                        last = j + 1
                if rules:
                    for size, dst, length, cost in rules.get(gold[j], ()):
                        value = here + cost
                        if value <= bound and gold.startswith(dst, j) and value < dist[i + size][j + length]:
                            end, col = i + size, j + length
                            dist[end][col] = value
                            if col < lo[end]:
                                lo[end] = col
                            if col > hi[end]:
                                hi[end] = col
            for size, _dst, _length, cost in deletes:
                value = here + cost
                end = i + size
                if value <= bound and value < dist[end][j]:
                    dist[end][j] = value
                    if j < lo[end]:
                        lo[end] = j
                    if j > hi[end]:
                        hi[end] = j
            j += 1
    return dist[n][m]


@functools.cache
def load(lang: str) -> Channel:
    """The bundled channel of `lang` ("es" or "en")."""
    source = resources.files("tipclean.dictionaries").joinpath(f"confusions-{lang}.tsv")
    rules = []
    with source.open("r", encoding="utf-8") as handle:
        for line in handle:
            noisy, gold, _count, cost = line.rstrip("\n").split("\t")
            rules.append((noisy, gold, float(cost)))
    return Channel(rules, EDIT_COSTS.get(lang, EDIT_COST), ACCENTED_COSTS.get(lang, EDIT_COST))
