"""Spelling stage: the Spanish/English OCR word corrector.

For each paragraph (one line after the layout stage) in Spanish or English:

1. Tokens that are words of the paragraph's language, domain terms, common
   words of the other language, numbers, URLs, e-mail addresses, parts of
   hyphenated compounds and single letters are left alone; that is a set
   lookup, and it is all the work clean text costs.
2. An unknown token gets candidates: rewrites by the learned OCR confusion
   rules (:mod:`tipclean.channel`) looked up in the lexicon's accent-free
   index (so lost accents come back for free), plus symspellpy's edit-distance
   suggestions among the words the same document spells correctly.
3. Each candidate is scored as a noisy channel: the rewrite's cost plus the
   word's rarity, with a bonus when the document itself uses the word. Keeping
   the token is a candidate too, and more likely for names (capitalized
   mid-sentence), acronyms and tokens that recur. The best candidate replaces
   the token only when its share of the probability reaches
   ``CleanConfig.min_confidence``; otherwise the token is left alone.
"""

from __future__ import annotations

import bisect
import contextvars
import functools
import itertools
import math
import re
import zlib
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import regex

from . import accents, lexicon
from .channel import ACCENTED, Channel, common_ends, strip_accents
from .channel import load as load_channel
from .config import CleanConfig
from .document import Edit, apply_edits
from .runs import Runs

TOKEN = regex.compile(r"[\p{L}\p{N}\p{M}]++")
_TOKENS = Runs(r"\p{L}\p{N}\p{M}")  # TOKEN.findall, faster
# Not inside a word: a match starts where a word does, and the engine need
# not try the rest of each word that has no hyphen after it.
COMPOUND = regex.compile(r"(?<!\p{L})\p{L}++(?:-\p{L}++)+")
_WORD_HYPHEN = regex.compile(r"(?<=\p{L})-(?=\p{L})")
_LETTERS_BEFORE = regex.compile(r"(?r)\p{L}++")


def _compounds(text: str) -> Iterator[Any]:
    """``COMPOUND.finditer(text)``, found from the hyphens between letters.

    The regex engine tries every word start of the text for a compound;
    most texts hold few hyphens, and searching for them is a scan for one
    character. A compound holds one: the first after the last compound
    found is in the next, which starts where its letters before it do.
    """
    end = 0
    for hyphen in _WORD_HYPHEN.finditer(text):
        if hyphen.start() < end:
            continue
        head = _LETTERS_BEFORE.match(text, end, hyphen.start())
        assert head is not None  # a letter stands before the hyphen
        match = COMPOUND.match(text, head.start())
        assert match is not None
        end = match.end()
        yield match
_URLISH = regex.compile(r"://|^www\.|@|[/\\_=#%]|\w\.\w+\.\w|\.(?:com|org|gov|net|edu|pe|es)\b", regex.I)

# Scores are in nats (-ln probability). A token no rule explains is a valid
# word we do not know (a name, a rare word) with this prior; names and
# acronyms and recurring tokens are likelier still.
KEEP_COSTS = {"es": 12.0, "en": 15.0}
PRIOR_WEIGHT = 0.4
NAME_BONUS = 3.0
COMMON_AS_NAME_PENALTY = 3.0  # a common word read where the page has a capital mid-sentence
ACRONYM_BONUS = 4.0
RECUR_BONUS = 1.5  # per other occurrence of the same token, up to RECUR_MAX of them
RECUR_MAX = 3
TERM_RECURS = 10
DIGIT_PENALTY = 4.0
# English OCR text repeats its topic words, and its errors are plain edits more
# often than learned confusions: the document's own spelling weighs more there.
EVIDENCE_BONUSES = {"es": 2.0, "en": 4.5}
OTHER_LANGUAGE_PROTECT = 3_000  # a count of 3e-6 (Zipf 3.5): words of the other language ("intern")
# ...unless its accented twin in the paragraph's language is at least this common.
ACCENTED_TWIN_MIN_COUNT = 10_000  # Zipf 4
# An edit that no learned confusion explains ("generic") must also score
# below this, whatever the keep cost: near the keep cost, such readings of
# jargon ("chroot" as "cheroot", "traceback" as "trackback") outnumbered the
# misreadings they repaired on the train pages.
GENERIC_MAX_SCORES = {"es": 11.0, "en": 12.5}
EVIDENCE_COMMON = 100_000  # Zipf 5: words every document of the language uses
MAX_RULES = 2
MAX_ROUNDS = 3
NOISY_DOCUMENT_RATE = 0.005  # unknown tokens per token that mark OCR noise
# Real-word accent restoration ("mas" → "más") needs a document that drops
# accents (this share of its Spanish tokens was restored already), and an
# accented form this many times more frequent than the plain one.
ACCENT_LOSS_RATE = 0.005
REAL_WORD_RATIO = 4.0
# ...or this much, for a plain form rarer than RARE_WORD_COUNT (Zipf 3.2):
# mostly a past subjunctive against a future ("mostrara", "mostrará"), which
# reports and manuals use far more than the lexicon's mixed sources say.
# On the train pages this gave 64 more words for 5 broken, none on dev;
# from 3,000, "varia" (the plain form, 3.7 times rarer) broke a dev word.
RARE_WORD_RATIO = 1.5
RARE_WORD_COUNT = 1_500
# A valid word is read as a misprint only where the OCR mostly prints its
# string in error (-ln P(right) at least this) and the rewrite wins by this.
REAL_RULE_IDENTITY = 0.7
REAL_RULE_MARGIN = 2.5
# ...or by this, for a word rarer than REAL_RULE_COMMON. The lexicon's
# frequencies come from all kinds of text; a rare inflection such as a first
# person ("tendré", "informé") is rarer still in a report or a manual, while
# a common word ("esté", "estén") is as common there: on the dev and train
# pages, every reading of a rare word this margin allowed was right, and
# those of "esté" were right 19 times in 44.
RARE_RULE_MARGIN = 0.5
REAL_RULE_COMMON = 30_000  # Zipf 4.5
MIN_EDIT_LENGTH = 4  # below this, one plain edit reaches too many words
MIN_PLAIN_LENGTH = 5
# Spanish text with fewer tokens a thousand words than this that a learned
# confusion repairs (and clearly: by CLEAN_TEXT_MARGIN under the keep cost)
# is clean (see _Scan.careful). On the train pages, OCR'd Spanish had 37 to
# 124 (median 73); the same pages' gold text 0 to 32 (median 1.3).
CLEAN_TEXT_LEVEL = 10.0
CLEAN_TEXT_MARGIN = 2.0
SPLIT_COST = 4.0
SPACE_AS_LETTER_COST = 2.0  # a space read as a copy of the next letter ("Apperson")
# How much a reading's fit between its neighbours (context.Model.support)
# counts against its score, for an English token no reading was clear for.
CONTEXT_WEIGHT = 1.0
APOSTROPHE_COST = 3.0  # an apostrophe is the smallest mark on the page
HYPHEN_COST = 3.0  # a lost hyphen, likewise
MIN_SPLIT_LENGTH = 3  # "isa" is "is a"
# Spanish prefixes that make new words freely, which no lexicon lists all of.
PREFIXES = ("pre", "re", "des", "sub", "auto", "multi", "inter", "super", "sobre", "anti", "contra", "semi", "micro", "post", "pos")
PREFIX_COST = 2.0
MIN_PREFIXED = 5  # letters after the prefix: "reas" is no "re" + "as"
QUOTE_OPENERS = "«“\"‘"  # a capital after one starts a quotation, not a name (see _mid_sentence)
# A name the document uses this often can be restored from a common word
# one cheap confusion away, unless that word is this common.
NAME_MIN_COUNT = 3
# A capitalized unknown token the document writes this often, once at least
# mid-sentence, is a name for the lower-case form too (see choose).
NAMED_MIN_COUNT = 2
NAME_MAX_COST = 6.0
NAME_COMMON_WORD = 100_000
# A term (name, identifier, acronym) the document writes at least this often,
# and this many times as often as a token one cheap confusion away from it.
TERM_MIN_COUNT = 2
TERM_MIN_RATIO = 3
TERM_MAX_COST = 6.0
SPLIT_MIN_COUNT = 10_000  # Zipf 4
SPLIT_SHORT_MIN_COUNT = 1_000_000  # Zipf 6: function words
# A token the document also writes with an ending its reading cannot take
# ("preseed" beside "preseeding": "presseding" is no word) is the stem of a
# word the lexicon lacks.
FAMILY_BONUS = 3.0
ENDINGS = {"es": ("s", "es"), "en": ("s", "es", "d", "ed", "ing", "er", "ers")}


class Candidate(NamedTuple):
    """A possible reading of a token and its score (lower is better).

    A named tuple: a document makes a thousand of them, and a frozen
    dataclass costs three times as much to make.
    """

    word: str
    score: float
    reason: str
    generic: bool = False


def _other(lang: str) -> str:
    return "en" if lang == "es" else "es"


@functools.lru_cache(maxsize=65536)
def is_protected(token: str, lang: str) -> bool:
    """True if `token` must be left alone in a `lang` paragraph: a known word (cached per token: each line asks again)."""
    if lexicon.lookup(token, lang) is not None or lexicon.lookup(token, "domain") is not None:
        return True
    if lang == "es" and (_enclitic(token) or _adverb(token)):
        return True
    if lexicon.lookup(token, _other(lang), lexicon.common(_other(lang), OTHER_LANGUAGE_PROTECT)) is None:
        return False
    # "areas" is English, but in Spanish it is "áreas" without its accent;
    # "items" stays: "ítems" is too rare in Spanish to outweigh the English word.
    table = lexicon.counts(lang)
    return not any(
        table.get(word, 0) >= ACCENTED_TWIN_MIN_COUNT for word in _accepted(accent_forms(token, lang)[1:], lang).values()
    )


# Pronouns written onto a Spanish verb, longest first ("selo" before "lo").
CLITICS = ("selos", "selas", "seles", "selo", "sela", "sele", "melo", "mela", "telo", "tela", "noslo", "nosla",
           "los", "las", "les", "nos", "lo", "la", "le", "me", "te", "se", "os")  # fmt: skip


_STRESSED = "áéíóú"  # the vowels a written accent stresses
_STRESS = str.maketrans(_STRESSED, "aeiou")


def _enclitic(token: str) -> bool:
    """True if `token` is a Spanish verb form with pronouns written onto it ("pruébelo", "pégala", "mapeándola").

    The lexicon lists few of them. The pronouns move the stress, which then
    takes a written accent: the verb is a word of the lexicon once that one
    accent is taken away ("pruebe", "pega", "mapeando"). A misreading seldom
    looks so (an English model drops accents, it does not add one).
    """
    low = token.lower()
    if low.isascii():  # the one accent it needs: nearly every token is done here
        return False
    for clitic in CLITICS:
        if low.endswith(clitic) and len(low) - len(clitic) >= 3:
            verb = low[: -len(clitic)]
            if sum(ch in _STRESSED for ch in verb) == 1 and verb.translate(_STRESS) in lexicon.counts("es"):
                return True
    return False


def _adverb(token: str) -> bool:
    """True if `token` is a Spanish adjective with "-mente" ("estáticamente"), which the lexicon seldom lists.

    The adjective keeps its accent, so one that lost it ("automaticamente")
    is no word of the lexicon and is still corrected; nor is an adjective
    whose accent-free spelling is another word ("practica", a verb, is not
    "práctica": "practicamente" is still corrected).
    """
    low = token.lower()
    if not low.endswith("mente") or len(low) < 8:
        return False
    base = low[:-5]
    return base in lexicon.counts("es") and (not base.isascii() or base not in _accent_index("es")[0])


def _transfer_case(pattern: str, word: str) -> str:
    if len(pattern) > 1 and pattern.isupper():
        return word.upper()
    if pattern[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _is_proper(word: str, lang: str) -> bool:
    """True if the lexicon spells `word` with its capital (a name, not a sentence start)."""
    return word in lexicon.counts("domain") or word in lexicon.counts(lang)


def _parts_prior(word: str, lang: str) -> float:
    """The prior of a hyphenated word: that of its rarest part, as the lexicons spell it."""
    return max(_prior(lexicon.lookup(part, lang) or lexicon.lookup(part, "domain") or part, lang) for part in word.split("-"))


def _prior(word: str, lang: str) -> float:
    table = lexicon.counts(lang)
    count = table.get(word) or lexicon.counts("domain").get(word, 0)
    return -math.log(max(count, 1) / lexicon.total(lang))


_ACUTE = dict(zip("aeiouAEIOU", "áéíóúÁÉÍÓÚ"))
_TILDE = {"n": "ñ", "N": "Ñ"}


def accent_forms(plain: str, lang: str | None) -> list[str]:
    """Spellings of an accent-free string that a Spanish word could have.

    Spanish writes at most one acute accent per word, and rarely more than one
    ñ, so this is a short list. :func:`_accent_index` knows which accent-free
    strings have a form in the lexicon, so most strings never need the list
    (``_ACCENT_FORM`` mirrors these rules to build it).

    >>> accent_forms("nino", "es")
    ['nino', 'níno', 'ninó', 'ñino', 'ñíno', 'ñinó', 'niño', 'níño', 'niñó']
    >>> accent_forms("nino", "en")
    ['nino']
    """
    if lang == "en":
        return [plain]
    bases = [plain]
    for i, ch in enumerate(plain):
        if ch in _TILDE:
            bases.append(plain[:i] + _TILDE[ch] + plain[i + 1 :])
    forms = []
    for base in bases:
        forms.append(base)
        forms.extend(base[:i] + _ACUTE[ch] + base[i + 1 :] for i, ch in enumerate(base) if ch in _ACUTE)
    return forms


def _accent_form_pattern() -> re.Pattern[str]:
    # A word is in accent_forms(strip_accents(word), "es") when the only
    # characters strip_accents changes in it are at most one acute vowel and
    # at most one ñ. The standard library's re: about five times faster than
    # regex on character classes like these.
    acutes, tildes = "".join(_ACUTE.values()), "".join(_TILDE.values())
    others = "".join(sorted(ACCENTED - set(acutes) - set(tildes)))
    rest = f"[^{others}{acutes}{tildes}]*"
    acute, tilde = f"[{acutes}]{rest}", f"[{tildes}]{rest}"
    return re.compile(f"{rest}(?:{acute}(?:{tilde})?|{tilde}(?:{acute})?)?")


_ACCENT_FORM = _accent_form_pattern()


def _code_digest(code: Any) -> list[Any]:
    # Nested code objects (the generator expressions) print their address: walk them instead.
    return [code.co_code, *(_code_digest(c) if hasattr(c, "co_code") else c for c in code.co_consts)]


# Names the rules accent_forms follows, so that a cached index built under
# other rules is never read.
_ACCENT_INDEX_VERSION = format(
    zlib.crc32(
        repr(
            (sorted(_ACUTE.items()), sorted(_TILDE.items()), sorted(ACCENTED), _ACCENT_FORM.pattern)
            + tuple(_code_digest(accent_forms.__code__))
        ).encode()
    ),
    "08x",
)


def _build_accent_index(accents: bool, table: dict[str, int]) -> tuple[frozenset[str], dict[str, str]]:
    capitals = {term.lower(): term for term in table if not term.islower()}
    missing = {key: term for key, term in capitals.items() if key not in table}
    if not accents:
        return frozenset(), missing
    words = [w for w in itertools.chain(table, missing) if not w.isascii() and _ACCENT_FORM.fullmatch(w)]
    # These words hold no accented letters but acute vowels and ñ, so
    # replacing those is strip_accents, and much faster on a whole list.
    plain = "\n".join(words)
    for letter in (*_ACUTE.values(), *_TILDE.values()):
        plain = plain.replace(letter, strip_accents(letter))
    return frozenset(key for key, word in zip(plain.split("\n"), words) if key != word), missing


@functools.cache
def _accent_index(name: str) -> tuple[frozenset[str], dict[str, str]]:
    """What :func:`_matches` can find in lexicon `name` beyond a plain lookup.

    - The accent-free keys that have an accented spelling among
      ``accent_forms(key, mode)`` which is an entry, or the lower case of a
      capitalized entry (none for English, whose forms are the key alone).
      A rewrite outside this set can only match itself, so the forms of
      almost every rewrite are never built.
    - Lower-case key → capitalized entry, for the entries whose lower case
      is not an entry itself: the only ones a lower-case form can reach.

    Loaded when the first unknown token needs it, through the lexicon cache.
    """
    return lexicon.derived(
        name, "accents", _ACCENT_INDEX_VERSION, functools.partial(_build_accent_index, name != "en")
    )


ALPHABET = {"es": "abcdefghijklmnopqrstuvwxyzáéíóúñü", "en": "abcdefghijklmnopqrstuvwxyz"}


def single_edits(token: str, lang: str) -> set[str]:
    """Every string one plain edit away from `token` (deletion, transposition, substitution, insertion).

    Generic edits are what no learned rule explains ("availabilty"); for a
    word of ten letters this is about 700 strings, each a dict lookup, so the
    work grows with the unknown tokens, not with the size of the lexicon.
    """
    letters = ALPHABET[lang]
    edits: set[str] = set()
    add = edits.add
    for i in range(len(token) + 1):
        a, b = token[:i], token[i:]
        if b:
            rest = b[1:]
            add(a + rest)
            if rest:
                add(a + rest[0] + b[0] + rest[1:])
            for c in letters:
                head = a + c
                add(head + rest)
                add(head + b)
        else:
            for c in letters:
                add(a + c)
    edits.discard(token)
    return edits


def _accepted(forms: Iterable[str], name: str) -> dict[str, str]:
    """``{form: lexicon word}`` for the forms lexicon `name` accepts.

    The same case rules as :func:`tipclean.lexicon.lookup`, done as set
    intersections with the lexicon's keys, because a token can have a
    thousand forms to check.
    """
    table = lexicon.counts(name)
    pending = set(forms)
    found = {form: form for form in pending & table.keys()}
    pending -= found.keys()
    for fold in (str.lower, lambda f: f[:1] + f[1:].lower()):
        folded: dict[str, list[str]] = {}
        for form in pending:
            key = fold(form)
            if key != form:
                folded.setdefault(key, []).append(form)
        for key in folded.keys() & table.keys():
            for form in folded[key]:
                found[form] = key
        pending -= found.keys()
    return found


@functools.cache
def _capitalized(name: str) -> dict[str, str]:
    """Lower-case key → entry, for the entries of a lexicon written with capitals (names, acronyms).

    Only those whose lower case is not an entry too: :func:`_matches` looks
    here only for a form the lexicon lacks.
    """
    return _accent_index(name)[1]


@functools.cache
def _findable(name: str) -> frozenset[str]:
    """Beyond the entries of lexicon `name`, the strings :func:`_accent_matches` can find something for.

    The keys of :func:`_accent_index` and the lower case of capitalized
    entries, in one set: a rewrite is looked up in two, not three.
    """
    keys, capitals = _accent_index(name)
    return keys.union(capitals)


def _matches(pattern: str, lowered: Iterable[str], name: str) -> Iterator[tuple[str, str]]:
    """``(pattern, word)`` for the lower-case spellings the lexicon knows.

    A lower-case entry fits any capitalization of the token; a name or an
    acronym only a token written with capitals (the rules of
    :func:`tipclean.lexicon.lookup`). One dict lookup a spelling: a token can
    have a thousand of them.
    """
    table = lexicon.counts(name)
    capitals = _capitalized(name) if not pattern.islower() else {}
    for form in lowered:
        if form in table:
            yield pattern, form
        elif (word := capitals.get(form)) is not None and (
            word[1:].islower() or _transfer_case(pattern, word) == word
        ):
            yield pattern, word


def _matches_among(pattern: str, forms: set[str], name: str) -> list[tuple[str, str]]:
    """The pairs of ``_matches(pattern, forms, name)``, in no particular order.

    Set intersections with the lexicon's keys, for the thousand forms of a
    plain edit.
    """
    found = [(pattern, form) for form in forms & lexicon.counts(name).keys()]
    if not pattern.islower():
        # Its keys are lower-case forms the lexicon lacks: what _matches tries them for.
        capitals = _capitalized(name)
        for form in forms & capitals.keys():
            word = capitals[form]
            if word[1:].islower() or _transfer_case(pattern, word) == word:
                found.append((pattern, word))
    return found


def _accent_matches(pattern: str, low: str, lang: str | None, name: str) -> list[tuple[str, str]]:
    """``list(_matches(pattern, accent_forms(low, lang), name))``, in the same order.

    Nearly every rewrite has no accented spelling in the lexicon; the index
    says so with one lookup, and only the others have their forms built.
    """
    keys, capitals = _accent_index(name)
    # The index is keyed on accent-free strings; rewrites always are.
    if low in keys or not (low.isascii() or strip_accents(low) == low):
        return list(_matches(pattern, accent_forms(low, lang), name))
    if low in lexicon.counts(name) or low in capitals:
        return list(_matches(pattern, (low,), name))
    return []


@functools.lru_cache(maxsize=65536)
def candidates(token: str, lang: str) -> tuple[Candidate, ...]:
    """Scored readings of an unknown token, without document evidence (cached per token)."""
    channel: Channel = load_channel(lang)
    pairs: list[tuple[str, str]] = []
    rewrites = channel.generate(token, MAX_RULES)
    joined = "".join(rewrites)
    # Most tokens are lower case, and so are all their rewrites: each is its own lower case.
    by_low: dict[str, list[str]] | None = None
    if joined.lower() != joined:
        by_low = {}
        for rewrite in rewrites:
            by_low.setdefault(rewrite.lower(), []).append(rewrite)
    lows = rewrites.keys() if by_low is None else by_low.keys()
    odd = set() if joined.isascii() else {low for low in lows if not low.isascii()}
    # Domain terms keep their accents in English text too ("Apurímac").
    for mode, name in ((lang, lang), (None, "domain")):
        # _accent_matches finds nothing for the others: nearly every rewrite.
        # (A frozenset intersected with a view would walk the frozenset.)
        for low in _findable(name).intersection(lows) | (lows & lexicon.counts(name).keys()) | odd:
            for rewrite in (low,) if by_low is None else by_low[low]:
                pairs.extend(_accent_matches(rewrite, low, mode, name))
    found = _score(token, lang, channel, pairs)
    # Plain edits only where no learned confusion explains the token: they
    # cost more than any rule, so they could not win against one anyway.
    # Plain edits are for ordinary words: an acronym ("HTTPS") or a short
    # lower-case abbreviation ("tty", "xcf") is too near too many words.
    if len(token) >= MIN_PLAIN_LENGTH and not token.isupper() and not any(not c.generic for c in found.values()):
        edits = single_edits(token.lower(), lang)
        plain = [*_matches_among(token, edits, lang), *_matches_among(token, edits, "domain")]
        for form, cand in _score(token, lang, channel, plain).items():
            found.setdefault(form, cand)
    # A lower-case token that only a name matches ("isa", "Isa") is more
    # often two words run together than the name without its capital. In
    # English the split is weighed even against a learned reading: "Acity"
    # is "A city" (on the Spanish train pages that cost more than it gave).
    if len(token) >= MIN_SPLIT_LENGTH and (
        lang == "en" or not any(not c.generic and c.reason != "ocr case" for c in found.values())
    ):
        for split in _splits(token, lang):
            left, right = split.word.split(" ", 1)
            # A one-letter word run into the next ("Acity"): the letter read
            # as dropped ("city") is the same event as the lost space, learned
            # from the same merges, so it is one reading, not two that split
            # the confidence between them.
            dropped = found.get(right) if len(left) == 1 else None
            if dropped is not None and dropped.score < split.score:
                del found[right]
                split = Candidate(split.word, dropped.score, split.reason, split.generic)
            found.setdefault(split.word, split)
    # A prefix written onto a word the lexicon has ("preconfiguracién" is
    # "pre" and "configuración"). A prefix and a word of the lexicon are not
    # taken for a word, though: "automatico" is no "auto" + "matico".
    if lang == "es" and not any(not c.generic for c in found.values()):
        low = token.lower()
        for prefix in PREFIXES:
            rest = token[len(prefix) :]
            if low.startswith(prefix) and len(rest) >= MIN_PREFIXED and lexicon.lookup(rest, lang) is None:
                for c in candidates(rest, lang):
                    if not c.generic and " " not in c.word:
                        word = token[: len(prefix)] + c.word
                        found.setdefault(word, Candidate(word, c.score + PREFIX_COST, c.reason, c.generic))
    for contraction in _contractions(token, lang):
        found.setdefault(contraction.word, contraction)
    for compound in _lost_hyphens(token, lang):
        found.setdefault(compound.word, compound)
    return tuple(sorted(found.values(), key=lambda c: (c.score, c.word)))


def _adds_accents(token: str, word: str) -> bool:
    """True if `word` is `token` with accents added only, none taken away or moved."""
    return all(a == b or a not in ACCENTED for a, b in zip(token, word))


_CLITICS = ("t", "s", "re", "ve", "ll", "d", "m")


def _contractions(token: str, lang: str) -> Iterator[Candidate]:
    """An English contraction whose apostrophe the OCR lost ("dont" → "don't").

    Only for unknown tokens (the caller's): "cant", "wont" and "its" are
    words as they stand.
    """
    if lang != "en" or not token.isalpha():
        return
    for clitic in _CLITICS:
        if len(token) > len(clitic) + 1 and token.lower().endswith(clitic):
            form = f"{token[: -len(clitic)]}'{token[-len(clitic):]}"
            if (word := lexicon.lookup(form, lang)) is not None:
                yield Candidate(form, APOSTROPHE_COST + PRIOR_WEIGHT * _prior(word, lang), "ocr lost '")


@functools.cache
def _domain_compounds() -> dict[str, str]:
    """``{letters without hyphens, lower case: compound}`` of the domain lexicon's hyphenated terms."""
    return {term.replace("-", "").lower(): term for term in lexicon.counts("domain") if "-" in term}


def _lost_hyphens(token: str, lang: str) -> Iterator[Candidate]:
    """A hyphenated domain term whose hyphen the OCR lost ("antitrafficking")."""
    term = _domain_compounds().get(token.lower())
    if term is not None:
        yield Candidate(_transfer_case(token, term), HYPHEN_COST + PRIOR_WEIGHT * _parts_prior(term, lang), "ocr lost -")


def _splits(token: str, lang: str) -> Iterator[Candidate]:
    """Two common words the OCR ran together ("ofthe" → "of the").

    Both halves must be common words (`SPLIT_MIN_COUNT`): a rare pair of
    halves is more often a name ("Cordova" is not "Cord ova").
    """
    if not (token.islower() or (token[:1].isupper() and token[1:].islower())):
        return
    table = lexicon.counts(lang)
    # The space itself may be read as the next letter ("Apperson" for "A person").
    cuts = [(i, i, 0.0) for i in range(1, len(token))]
    cuts += [(i, i + 1, SPACE_AS_LETTER_COST) for i in range(1, len(token) - 1) if token[i] == token[i + 1]]
    for i, j, extra in cuts:
        left, right = token[:i], token[j:]
        left_word = lexicon.lookup(left, lang)
        if left_word is None or right not in table:
            continue
        # One half must be a short, very common word ("of", "the", "de"): two
        # long halves are more often a compound the lexicon lacks
        # ("namespace", "sobreescribir") than two words run together.
        # Of two equally short halves ("did" + "not"), the commoner is the function word.
        short, long_ = sorted(((left, left_word), (right, right)), key=lambda part: (len(part[0]), -table[part[1]]))
        if len(short[0]) > 3 or table[short[1]] < SPLIT_SHORT_MIN_COUNT or table[long_[1]] < SPLIT_MIN_COUNT:
            continue
        score = SPLIT_COST + extra + PRIOR_WEIGHT * (_prior(left_word, lang) + _prior(right, lang))
        yield Candidate(f"{left} {right}", score, "ocr words run together", True)


def _score(token: str, lang: str, channel: Channel, pairs: Iterable[tuple[str, str]]) -> dict[str, Candidate]:
    """Candidates for `(pattern, word)` pairs: the word written with the pattern's capitals."""
    found: dict[str, Candidate] = {}
    for pattern, word in sorted(set(pairs)):
        fixed = _transfer_case(pattern, word)
        if fixed == token or fixed in found:
            continue
        cost = channel.cost(token, fixed)
        score = cost + PRIOR_WEIGHT * _prior(word, lang)
        found[fixed] = Candidate(fixed, score, _reason(token, fixed), cost >= channel.edit_cost)
    return found


def _reason(token: str, form: str) -> str:
    if strip_accents(token) == strip_accents(form):
        return "accent"
    if token.lower() == form.lower():
        return "ocr case"
    return "ocr " + _edit_summary(token, form)


def _edit_summary(token: str, form: str) -> str:
    # The differing stretch, e.g. "fi→ñ", to make the log readable.
    i, j = common_ends(token, form)
    return f"{token[i:len(token) - j] or '∅'}→{form[i:len(form) - j] or '∅'}"


def _recur_bonus(recurs: int) -> float:
    # The same misreading again and again is ever less likely than a word
    # the lexicon lacks: each repetition is evidence, up to a point.
    return RECUR_BONUS * min(int(recurs), RECUR_MAX)


def keep_cost(token: str, lang: str, mid_sentence: bool, recurs: int, acronym: bool = True) -> float:
    """The score of leaving `token` as it is; `recurs` counts its other occurrences in the document."""
    cost = KEEP_COSTS[lang]
    if token[:1].isupper() and mid_sentence:
        cost -= NAME_BONUS
    if acronym and len(token) > 1 and token.isupper():
        cost -= ACRONYM_BONUS
    if token[:1].isupper():
        cost -= _recur_bonus(min(recurs, 1))
    if any(map(str.isdigit, token)):
        cost += DIGIT_PENALTY
    return cost


_PREFIX_LENGTH = 7
_MAX_DISTANCE = 2
"""symspellpy's settings for the document index: deletes of up to two letters from the first seven."""


def _key_size(size: int) -> int:
    """The fewest letters of a string that a word of `size` letters and a token both reach by deletes (see :class:`_Index`)."""
    return max(min(size, _PREFIX_LENGTH) - _MAX_DISTANCE, 0)


def _subsequences(text: str, letters: int) -> Iterator[str]:
    """The strings of `letters` letters, in order, among the first ``letters + 2`` of `text` (see :class:`_Index`)."""
    return map("".join, itertools.combinations(text[: letters + _MAX_DISTANCE], letters))


@functools.lru_cache(maxsize=4096)
def _keys(text: str, letters: int) -> frozenset[str]:
    """:func:`_subsequences` as a set, for a token (cached: a token asks in each pass, and for each length)."""
    return frozenset(_subsequences(text, letters))


@functools.cache
def _verbosity_all() -> Any:
    from symspellpy import Verbosity

    return Verbosity.ALL


@functools.cache
def _symspell_class() -> Any:
    from symspellpy import SymSpell

    class _SymSpell(SymSpell):  # type: ignore[misc]
        """symspellpy's index, with the deletes of a word listed without recursion.

        The same set as SymSpell._edits_prefix (a test compares them): the
        word's first `prefix_length` letters with up to two of them deleted.
        Listing them is most of what indexing a word costs.
        """

        def _edits_prefix(self, key: str) -> set[str]:
            if self._max_dictionary_edit_distance != 2:
                return super()._edits_prefix(key)  # type: ignore[no-any-return]
            found = {""} if len(key) <= 2 else set()
            key = key[: self._prefix_length]
            found.add(key)
            for i in range(len(key)):
                once = key[:i] + key[i + 1 :]
                found.add(once)
                for j in range(i, len(once)):
                    found.add(once[:j] + once[j + 1 :])
            return found

    return _SymSpell


class _Index:
    """A symspellpy index of document words, entered only when a token could find them.

    symspellpy finds a word only through a string both it and the token
    reach by deleting at most two letters from their first seven, and only
    when their lengths differ by at most two. For a word of n letters that
    string has at least ``k = min(n, 7) - 2`` letters (:func:`_key_size`),
    and each of its first k letters lies at most two places after its own
    position in the word, and in the token: so its first k letters are k
    letters of the first k + 2 of the word, and of the token, in order
    (:func:`_keys`). Words wait by length and by the first two letters of
    such strings (few of them, so filing a word is cheap). A token compares
    its keys with those of each word in a small group of its two letters;
    a large or often asked group it moves to groups by whole keys, where it and later
    tokens find the words that share a key with them: so a token's work
    does not grow with the document. Indexing a word (its deletes) is most
    of what a lookup costs, and few words share a key with a token.
    """

    def __init__(self) -> None:
        self.symspell = _symspell_class()(max_dictionary_edit_distance=_MAX_DISTANCE, prefix_length=_PREFIX_LENGTH)
        self.words: set[str] = set()
        self._filed: set[str] = set()
        # length → two letters → words; length → key → words moved there
        self._waiting: dict[int, dict[str, list[str]]] = {}
        self._keyed: dict[int, dict[str, list[str]]] = {}
        self._moved: set[str] = set()
        self._opened: dict[int, set[str]] = {}  # length → the keys tokens have asked for
        self._scanned: dict[int, dict[str, int]] = {}  # length → two letters → words compared so far
        # token → (len(self._fresh) then, what symspellpy found): the rounds
        # and passes over a document ask again about the same tokens, and an
        # answer changes only when a word sharing a key with the token is
        # filed (a word entered for another token shares none: see lookup).
        self._found: dict[str, tuple[int, list[str]]] = {}
        self._fresh: list[dict[int, set[str]]] = []  # per call of file: length → keys of the words it entered

    def _enter(self, word: str) -> None:
        if word not in self.words:
            self.words.add(word)
            self.symspell.create_dictionary_entry(word, 1)

    def file(self, words: Iterable[str]) -> None:
        """Make `words` findable: indexed at once where a token has asked for one of their keys, else waiting."""
        fresh: dict[int, set[str]] = {}
        new = set(words) - self._filed
        self._filed |= new
        for word in sorted(new):
            size = len(word)
            letters = _key_size(size)
            opened = self._opened.get(size)
            if opened and not opened.isdisjoint(keys := set(_subsequences(word, letters))):
                self._enter(word)
                fresh.setdefault(size, set()).update(keys)
                continue
            waiting = self._waiting.get(size)
            if waiting is None:
                waiting = self._waiting[size] = {}
            # A document files thousands of words: the six pairs of a word's
            # first four letters are spelled out rather than combined.
            if letters >= 2:
                a, b, c, d = word[0], word[1], word[2], word[3]
                pairs: Iterable[str] = {a + b, a + c, a + d, b + c, b + d, c + d}
            else:
                pairs = set(_subsequences(word, letters))
            for pair in pairs:
                group = waiting.get(pair)
                if group is None:
                    waiting[pair] = [word]
                else:
                    group.append(word)
        if fresh:
            self._fresh.append(fresh)

    def lookup(self, token: str) -> list[str]:
        """The words filed so far that symspellpy finds within two edits of `token`.

        A word entered after a token asked shares no key with it (every
        filed word that does is entered when the token asks), unless
        :meth:`file` entered it: only then is the answer looked up again.
        """
        cached = self._found.get(token)
        if cached is not None:
            seen, found = cached
            if not any(
                abs(size - len(token)) <= _MAX_DISTANCE and not _keys(token, _key_size(size)).isdisjoint(keys)
                for fresh in self._fresh[seen:]
                for size, keys in fresh.items()
            ):
                self._found[token] = (len(self._fresh), found)
                return found
        for size in range(len(token) - _MAX_DISTANCE, len(token) + _MAX_DISTANCE + 1):
            letters = _key_size(size)
            keys = _keys(token, letters)
            opened = self._opened.setdefault(size, set())
            if keys <= opened:
                continue  # asked for already: every word sharing one of these is in the index
            opened |= keys
            waiting = self._waiting.get(size, {})
            keyed = self._keyed.setdefault(size, {})
            scanned = self._scanned.setdefault(size, {})
            words, tried = self.words, set()  # a word in several groups of the token's pairs is compared once
            for pair in _keys(token, min(2, letters)):
                group = waiting.get(pair, ())
                spent = scanned.get(pair, 0) + len(group)
                if spent <= _GROUP_SCAN:
                    scanned[pair] = spent
                    for word in group:
                        if word not in words and word not in tried:
                            tried.add(word)
                            if not keys.isdisjoint(_subsequences(word, letters)):
                                self._enter(word)
                    continue
                del waiting[pair]
                for word in group:
                    if word not in self._moved:
                        self._moved.add(word)
                        for key in set(_subsequences(word, letters)):
                            keyed.setdefault(key, []).append(word)
            for key in keys:
                for word in keyed.pop(key, ()):
                    self._enter(word)
        found = [item.term for item in self.symspell.lookup(token, _verbosity_all(), max_edit_distance=_MAX_DISTANCE)]
        self._found[token] = (len(self._fresh), found)
        return found


_GROUP_SCAN = 24
"""A group of waiting words is compared with each token until this many words have been compared
in all; then it is moved by key once (in a long document a group is asked again and again)."""


_DOCUMENT_INDEX: contextvars.ContextVar[list[_Index | None] | None] = contextvars.ContextVar(
    "tipclean_document_index", default=None
)


def begin_document() -> None:
    """Let the spelling passes over one document, until :func:`end_document`, share one index.

    The pipeline runs the spelling step again on its own output to confirm
    it; the second pass asks about nearly the same tokens against nearly the
    same words, and would otherwise index them all again. Each
    :class:`Evidence` still answers only with its own known words.
    """
    _DOCUMENT_INDEX.set([None])


def end_document() -> None:
    _DOCUMENT_INDEX.set(None)


class Evidence:
    """What the document itself says about its words.

    A word the document spells correctly elsewhere is a strong candidate for
    a mangled token ("trafficking" for "tratficking"); symspellpy finds such
    words within two edits. Its index is built over the document's own
    vocabulary, and only when an unknown token needs it, so it costs
    milliseconds instead of the seconds a whole-lexicon index would; and
    only the words a token could find are indexed (see :class:`_Index`).

    Whether symspellpy returns a word depends on the token and that word
    alone, so an index that holds more words (those of an earlier pass, see
    :func:`begin_document`) gives the same answer once it is narrowed to
    the known words; the order differs, and nothing depends on it.
    """

    def __init__(self, known: Iterable[str]) -> None:
        self.known = {word for word in known if len(word) >= MIN_EDIT_LENGTH}
        self._index: _Index | None = None
        self._nearby: dict[str, list[str]] = {}

    def add(self, words: Iterable[str]) -> None:
        """Count `words` as spelled correctly in the document from now on."""
        fresh = {word for word in words if len(word) >= MIN_EDIT_LENGTH} - self.known
        if fresh:
            self.known |= fresh
            self._nearby.clear()
            if self._index is not None:
                self._index.file(fresh)

    def nearby(self, token: str) -> list[str]:
        """Known words of the document within two edits of `token`."""
        if len(token) < MIN_EDIT_LENGTH or not self.known:
            return []
        if token in self._nearby:
            return self._nearby[token]
        index = self._index
        if index is None:
            shared = _DOCUMENT_INDEX.get()
            if shared is None:
                index = _Index()
            else:
                index = shared[0] = shared[0] or _Index()
            self._index = index
            index.file(self.known)
        known = self.known
        found = [word for word in index.lookup(token) if word in known]
        self._nearby[token] = found
        return found


def _document_candidate(token: str, word: str, lang: str) -> Candidate:
    channel = load_channel(lang)
    word = _transfer_case(token, word)
    cost = channel.cost(token, word)
    prior = _parts_prior(word, lang)
    return Candidate(word, cost + PRIOR_WEIGHT * prior, _reason(token, word), cost >= channel.edit_cost)


def choose(
    token: str,
    lang: str,
    *,
    mid_sentence: bool,
    recurs: int,
    evidence: Evidence | None = None,
    min_confidence: float = 0.5,
    context: Callable[[str], float] | None = None,
    named: bool = False,
    vocab: Container[str] = (),
    careful: bool = False,
) -> Candidate | None:
    """The correction for `token`, or None to leave it alone.

    `context`, if given, says in nats how much better than an unseen pair
    each reading fits between its neighbours: it is weighed with the scores.
    `named` says that the document writes the token capitalized, as a name
    (:attr:`_Scan.names`). `vocab` holds the document's tokens. `careful`
    makes no reading that no learned confusion explains (:attr:`_Scan.careful`).
    """
    # English words hold no digits; a token with one is a name ("ext2",
    # "3Com", "fat32") more often than a misreading: on the train pages
    # such corrections broke five words for one they repaired. (Spanish
    # accents come out as digits: "aument6", "Disminuy0".)
    if lang == "en" and not token.isalpha():
        return None
    options = list(candidates(token, lang))
    # The document's own words are asked only when the lexicon has no
    # convincing reading: building their index is most of what a clean
    # document with one odd token would cost.
    if evidence is not None and not token.isupper():
        keep = keep_cost(token, lang, mid_sentence, recurs)
        if not any(c.score < keep for c in options):
            # Found in two cases ("Trafficking", "trafficking"), a word is one
            # reading once the token's case is put on it, not two that split
            # the confidence between them.
            listed = {c.word for c in options}
            # (A word that is the token once its case is put on it,
            # "kubuntu" for "Kubuntu", is the token: no reading.)
            listed.add(token)
            for word in evidence.nearby(token):
                found = _document_candidate(token, word, lang)
                # A short token is one plain edit from too many common
                # words for the page's use of one to say much: in Spanish
                # text (where plain edits are rarer than in English OCR)
                # "perl" is no "pero".
                if lang == "es" and found.generic and len(token) < MIN_PLAIN_LENGTH and _common(found.word, lang):
                    continue
                if found.word not in listed:
                    listed.add(found.word)
                    options.append(found)
    if not options:
        return None
    seen = evidence.known if evidence is not None else set()
    # A capital letter mid-sentence marks a name: a common word is then an
    # unlikely reading ("Debian" is not "Debían").
    name_like = mid_sentence and token[:1].isupper() and not token.isupper()
    # Nor is a name, or a name in a command or a host name written in lower
    # case ("debian-edu-ltsp-chroot" where the page says "Debian"), a word
    # that lost its accents, unless the lexicon spells the word as a name.
    accentless_name = name_like or named
    # An accent the page shows was seen by the OCR, which drops accents or
    # reads one accented letter as another ("cumplié"), but does not make
    # one up: taking it away ("guión", "tí", "incluída") would correct the
    # author's spelling, not the OCR's. (On the train pages it did nothing
    # else; and "méas", where the page has "más", became "meas".)
    kept_accents = not token.isascii()
    scored = []
    for c in options:
        if kept_accents and c.reason == "accent" and not _adds_accents(token, c.word):
            continue
        # A reading no learned confusion explains must score clearly on its own,
        # or it is no reading at all (a learned one may still win: "condend" is
        # "condenó", not the "condena" the page also uses).
        if c.generic and not _generic_score(c, seen, lang) < GENERIC_MAX_SCORES[lang]:
            continue
        if accentless_name and c.reason == "accent" and not _is_proper(c.word[:1].upper() + c.word[1:], lang):
            continue
        known = c.word in seen
        common = name_like and _same_first(c.word, token) and not _is_proper(c.word, lang)
        # A candidate nothing changes is kept as it is (most are: a new one costs more than the rest).
        if known or common:
            bonus = EVIDENCE_BONUSES[lang] if known else 0.0
            c = Candidate(c.word, c.score - bonus + (COMMON_AS_NAME_PENALTY if common else 0.0), c.reason, c.generic)
        scored.append(c)
    # A lower-case token is not a name the OCR lowered: on the train pages
    # such readings ("sid" as "Sid", "debian" as "Debian" in a package or
    # host name) were all wrong.
    if token.islower():
        scored = [c for c in scored if c.word.lower() != token]
    # Nor is a capital the OCR got right lowered by a reading ("Codigo" is
    # "Código", not "código"): a misread first letter changes the letter.
    elif token[:1].isupper():
        scored = [c for c in scored if c.word[:1] != token[:1].lower()]
    if not scored:
        return None
    raw = {c.word: c.score for c in scored}
    if context is not None:
        scored = [Candidate(c.word, c.score - CONTEXT_WEIGHT * context(c.word), c.reason, c.generic) for c in scored]
    scored.sort(key=lambda c: (c.score, c.word))
    # A token shaped like a name made from a word ("systemd") is left alone;
    # in Spanish text too when it has three letters, as program names do
    # ("dvi", "lzo", "ext" are no "di", "lo", "ex").
    if (lang == "en" or len(token) <= 3) and _drops_lone_letter(token, scored[0].word):
        return None
    best = scored[0]
    # In clean text such a reading is not made; it still stands in the way
    # of the others (a token between two readings stays undecided).
    if careful and best.generic:
        return None
    # Written this often, it is a term whatever the page: the same slip that
    # no learned confusion explains, ten times over, is not what an OCR makes
    # ("readline", 109 times in the bash manual, is no "deadline").
    if best.generic and recurs + 1 >= TERM_RECURS:
        return None
    if not _same_first(best.word, token) and not token.isupper():
        # The first letter itself was misread ("Ilevar", "Gltima"): its
        # capital says nothing, the position in the sentence decides.
        return _recased_first(best, raw[best.word], token, lang, mid_sentence, scored, min_confidence)
    # Capitals that only lost their accents (PERU, PROTECCION) are a heading,
    # not an acronym.
    keep = keep_cost(token, lang, mid_sentence, recurs, acronym=best.reason != "accent")
    # A capitalized token the document repeats without an accent is a name
    # ("Debian", not "Debían"): an English model drops accents here and
    # there, not every time. Misread letters do repeat (EI for El all over a
    # scan), so only accents count every repetition.
    if best.reason == "accent" and token[:1].isupper():
        keep -= _recur_bonus(recurs) - _recur_bonus(min(recurs, 1))
    # A name the lexicon knows explains the capital as well as keeping does.
    if mid_sentence and token[:1].isupper() and not token.isupper() and _is_proper(best.word, lang):
        keep += NAME_BONUS
    # A token that recurs and that no learned confusion explains is more
    # likely a term of the document ("tjener") than the same slip twice.
    # (keep_cost counts a recurring capitalized token already.)
    if best.generic or (token.islower() and best.reason == "accent"):
        keep -= _recur_bonus(min(recurs, 1))
    # Likewise a capitalized token, even at a sentence start: names are what
    # the lexicon lacks most ("Oroville", "Einhorn").
    if best.generic and token[:1].isupper() and not mid_sentence:
        keep -= NAME_BONUS
    if _inflected_apart(token, best.word, lang, vocab):
        keep -= FAMILY_BONUS
    # Context decides between readings; it does not make a reading of a
    # token that is better kept without it.
    if raw[best.word] >= keep:
        return None
    if _share(best, scored, keep) < min_confidence:
        return None
    if best.generic and _CAMEL.search(token):
        return None
    return best


def _common(word: str, lang: str) -> bool:
    """True if every document of the language uses `word` (`EVIDENCE_COMMON`)."""
    return lexicon.counts(lang).get(word.lower(), 0) >= EVIDENCE_COMMON


def _generic_score(candidate: Candidate, seen: set[str], lang: str) -> float:
    """The candidate's score with the document's evidence counted only for a word that is not common.

    That a document uses "trafficking" says the misreading is that word; that
    it uses "tener" says little, since every Spanish document does.
    """
    word = candidate.word
    if word in seen and not _common(word, lang):
        return candidate.score - EVIDENCE_BONUSES[lang]
    return candidate.score


def _inflected_apart(token: str, word: str, lang: str, vocab: Container[str]) -> bool:
    """True if `vocab` holds `token` with an ending that `word` does not take.

    A misreading inflects with its word ("nifio", "nifios" are "niño",
    "niños"); a stem the lexicon lacks inflects alone. An ending may move
    the word's accent ("versión", "versiones").
    """
    low, target = token.lower(), word.lower()
    plain = strip_accents(target)
    return any(
        (low + end in vocab or (low + end).capitalize() in vocab)
        and lexicon.lookup(target + end, lang) is None
        and lexicon.lookup(plain + end, lang) is None
        for end in ENDINGS[lang]
    )


def _drops_lone_letter(token: str, word: str) -> bool:
    """True if `word` is `token` without one letter, and that letter is not a doubled one.

    The OCR prints a letter twice ("hhave", "bbut"); a letter more that is
    not a repeat is how technical English makes its names ("systemd",
    "htop", "libc", "inode", "printk"), and reading those as "system",
    "top", "lib", "node", "print" (or as the next best reading, "systems")
    broke more English words on the train pages than it repaired. In
    Spanish such a letter is as often a mark the OCR read as one ("¿entonces"
    as "gentonces"), and the rule is not used.
    """
    if len(word) != len(token) - 1:
        return False
    low, target = token.lower(), word.lower()
    found = False
    for i in range(len(low)):
        if low[:i] + low[i + 1 :] == target:
            if (i > 0 and low[i - 1] == low[i]) or (i + 1 < len(low) and low[i + 1] == low[i]):
                return False
            found = True
    return found


def _recased_first(
    best: Candidate, raw: float, token: str, lang: str, mid_sentence: bool, scored: list[Candidate], min_confidence: float
) -> Candidate | None:
    word = best.word
    if mid_sentence and not _is_proper(word, lang):
        word = word[:1].lower() + word[1:]
    elif not mid_sentence:
        word = word[:1].upper() + word[1:]
    keep = keep_cost(token.lower(), lang, mid_sentence, recurs=0, acronym=False)
    if raw >= keep or _share(best, scored, keep) < min_confidence:
        return None
    return Candidate(word, best.score, best.reason, best.generic)


def _same_first(word: str, token: str) -> bool:
    # When the first letter itself was misread, its capital means nothing.
    return word[:1].lower() == token[:1].lower()


def _share(best: Candidate, scored: list[Candidate], keep: float) -> float:
    """The probability of `best` among the candidates and keeping the token."""
    floor = best.score
    return 1.0 / (math.exp(floor - keep) + sum(math.exp(floor - c.score) for c in scored))


_LONE_ZERO = (
    regex.compile(r"(?<=\p{L}{2}) 0 (?=\p{L}{2,}(?: \p{L}|[,;:.)]))"),
    regex.compile(r"(?<=[\p{L}\p{N}][,;)»\"”']) 0 (?=[«\"“'(]?\p{L}{2,})"),
    regex.compile(r"(?<= )\(0 (?=\p{L}{2,})"),
    regex.compile(r"(?<=(?<![\p{N}.,] ?)\b\p{N}{1,3}) 0 (?=\p{N}{1,3}\b(?! ?\p{N}))"),
)
# Not inside a word, like COMPOUND.
_BEFORE_NUMBER = regex.compile(r"(?<!\p{L})(\p{L}++) \p{N}")
_IDENTIFIER = regex.compile(r"\p{Lu}{2,}\p{Ll}")
# "ownCloud", "iPhone" are names written on purpose; "precisiGn", "grAfica"
# and "comUn" are accents the OCR read as capitals. Such a token is corrected
# only when a learned confusion explains it.
_CAMEL = regex.compile(r"\p{Ll}\p{Lu}\p{Ll}|\p{Ll}\p{Lu}$")


def _skip(line: str, start: int, end: int, token: str) -> bool:
    return _skip_token(token) or _skip_place(line, start, end, token)


def _skip_token(token: str) -> bool:
    """The part of :func:`_skip` that depends on the token alone."""
    if len(token) < 2 or token.isdigit():
        return True
    # "CPython", "GOsa": a name written on purpose (camelCase: see _CAMEL).
    if _IDENTIFIER.search(token):
        return True
    digits = sum(ch.isdigit() for ch in token) if not token.isalpha() else 0
    return bool(digits and (digits > 2 or digits * 2 >= len(token)))


def _skip_place(line: str, start: int, end: int, token: str) -> bool:
    """The part of :func:`_skip` that depends on where the token stands."""
    before = line[start - 1] if start else " "
    after = line[end] if end < len(line) else " "
    if before in " (\"«¿¡" and after in " .,;:!?)\"»":
        return False
    # Short parts of hyphenated compounds ("anti-", "socio-", "co-") and
    # contractions are left alone; a long part is a word like any other.
    inside_word = start > 1 and line[start - 2].isalnum()
    if (before in "'’" and inside_word) or (after in "'’" and line[end + 1 : end + 2].isalnum()):
        return True
    return len(token) < 5 and (before == "-" or (after == "-" and line[end + 1 : end + 2].isalnum()))


def _mid_sentence(line: str, start: int) -> bool:
    # A quotation starts with a capital as a sentence does: a quoted title
    # or menu label ("el menú «Precisión»") is no name.
    # (A quotation in lower case goes on the sentence: its first letter, if
    # misread, is not capitalized.)
    if start > 0 and line[start - 1] in QUOTE_OPENERS and line[start : start + 1].isupper():
        return False
    i = start - 1
    while i >= 0 and line[i] in " \t\"'«(¿¡*•":
        i -= 1
    return i >= 0 and line[i] not in ".!?:;"


class _Token(NamedTuple):
    start: int
    text: str
    lang: str
    mid_sentence: bool


@dataclass
class _Scan:
    """What one read of the text finds: the unknown tokens and the known words."""

    unknown: list[_Token]
    known: set[str]
    vocab: Counter[str]
    lines: list[tuple[int, str, str]]
    words: list[tuple[str, ...]]
    """The distinct tokens of each of `lines`: the later passes ask which words a line holds before they walk it."""
    sizes: Counter[str] = field(default_factory=Counter)
    """Tokens a language's lines hold."""

    @functools.cached_property
    def careful(self) -> frozenset[str]:
        """The languages whose text shows too little OCR damage for readings no learned confusion explains.

        OCR'd Spanish has dozens of tokens a thousand words that a learned
        confusion repairs ("instalacién", "nifios"); clean Spanish, even full
        of program names, a handful ("CLEAN_TEXT_LEVEL"). In clean text an
        edit no learned confusion explains, or a split, meets names and
        jargon far more often than slips ("devio" is no "de vio", "perl" no
        "pero"). English OCR damage is too often as slight as that of clean
        English for the test to tell them apart, so it is not made there.
        """
        size = self.sizes["es"]
        if not size:
            return frozenset()
        # Counted until the level is reached: in OCR'd text, within a few
        # lines (and those tokens' readings are wanted next anyway).
        needed = CLEAN_TEXT_LEVEL * size / 1000
        repaired = 0
        for tok in self.unknown:
            if tok.lang == "es":
                best = candidates(tok.text, "es")
                if best and not best[0].generic and best[0].score < KEEP_COSTS["es"] - CLEAN_TEXT_MARGIN:
                    repaired += 1
                    if repaired >= needed:
                        return frozenset()
        return frozenset({"es"})

    @functools.cached_property
    def names(self) -> frozenset[str]:
        """The unknown capitalized tokens the document writes in the middle of a sentence, and more than once."""
        seen = {tok.text for tok in self.unknown if tok.mid_sentence and tok.text[:1].isupper() and not tok.text.isupper()}
        return frozenset(text for text in seen if self.vocab[text] >= NAMED_MIN_COUNT)


def _scan(text: str, hint: str | None) -> _Scan:
    """Tokens of the Spanish and English lines, split into known words and unknown tokens.

    Nearly every token of real text is a word of its line's language, so a
    line is first checked as a set of distinct words with one dict lookup
    each; only a line with an unknown word is walked token by token. That
    keeps clean text close to the speed of a plain scan.
    """
    from .language import line_languages

    scan = _Scan([], set(), Counter(), [], [])
    sizes = scan.sizes
    # One string object per distinct word of the document, whatever the
    # number of lines that hold it (see _Scan.words).
    canonical: dict[str, str] = {}
    offset = 0
    for line, lang in zip(text.split("\n"), line_languages(text, hint)):
        if lang in ("es", "en"):
            scan.lines.append((offset, line, lang))
            words = _TOKENS.findall(line)
            scan.vocab.update(words)
            sizes[lang] += len(words)
            # Only the languages the text has are loaded.
            table = lexicon.counts(lang)
            distinct = set(words)
            # The later passes ask only which words a line holds. Kept as a
            # tuple of shared strings: a set or a list of fresh strings per
            # line held 27 MB for a 3 MB document.
            scan.words.append(tuple(map(canonical.setdefault, distinct, distinct)))
            odd = {w for w in distinct.difference(table) if not is_protected(w, lang)}
            if odd:
                scan.known.update(distinct - odd)
                scan.unknown.extend(_unknown_tokens(line, offset, lang, odd))
            else:
                scan.known.update(distinct)
        offset += len(line) + 1
    return scan


_TOKEN_CHAR = regex.compile(r"[\p{L}\p{N}\p{M}]")
_TOKEN_CHARS: dict[str, bool] = {}  # character → whether _TOKEN_CHAR matches it (a dict lookup is cheaper)


def _is_token_char(ch: str) -> bool:
    found = _TOKEN_CHARS.get(ch)
    if found is None:
        found = _TOKEN_CHARS[ch] = _TOKEN_CHAR.match(ch) is not None
    return found


# The chunk (run of non-spaces) around a token: its part before the token, matched backwards, and after it.
_CHUNK_HEAD = regex.compile(r"(?r)\S*+")
_CHUNK_TAIL = regex.compile(r"\S*+")
_URL_CHARS = frozenset(":@/\\_=#%.")  # every _URLISH match holds one of these


def _unknown_tokens(line: str, offset: int, lang: str, odd: set[str]) -> Iterator[_Token]:
    # A paragraph is one long line with a few odd tokens in it: they are
    # found with str.find (a TOKEN match is a run of token characters, so an
    # occurrence with none on either side), in line order.
    spans = []
    size = len(line)
    for token in odd:
        # Whatever its place, such a token is left alone (_skip): its places are not looked for.
        if _skip_token(token):
            continue
        start = line.find(token)
        while start >= 0:
            end = start + len(token)
            if not (start and _is_token_char(line[start - 1])) and not (end < size and _is_token_char(line[end])):
                spans.append((start, end, token))
            start = line.find(token, start + 1)
    spans.sort()
    # URLs, paths and e-mail addresses: a token inside a chunk (a run of
    # non-spaces) that _URLISH matches, in a line it matches. Only chunks
    # holding an odd token are tried, and only those with a character a
    # match needs.
    shielded: dict[int, bool] = {}
    line_urlish: bool | None = None
    for start, end, token in spans:
        # A token between spaces is a chunk of its own, with none of the
        # characters a URL needs (a token is letters and digits).
        if (start == 0 or line[start - 1] == " ") and (end == size or line[end] == " "):
            if not _skip_place(line, start, end, token):
                yield _Token(offset + start, token, lang, _mid_sentence(line, start))
            continue
        head = _CHUNK_HEAD.match(line, 0, start)
        assert head is not None  # \S*+ matches the empty string too
        first = head.start()
        if first not in shielded:
            tail = _CHUNK_TAIL.match(line, end)
            assert tail is not None
            chunk = line[first : tail.end()]
            shielded[first] = not _URL_CHARS.isdisjoint(chunk) and _URLISH.search(chunk) is not None
            if shielded[first]:
                if line_urlish is None:
                    line_urlish = _URLISH.search(line) is not None
                shielded[first] = line_urlish
        if shielded[first]:
            continue
        if _skip_place(line, start, end, token):
            continue
        yield _Token(offset + start, token, lang, _mid_sentence(line, start))


def correct(text: str, config: CleanConfig) -> list[Edit]:
    """Edits that repair OCR-mangled words of `text`.

    >>> from tipclean.document import apply_edits
    >>> text = "Los nifios y las victimas del Perú.\\n"
    >>> apply_edits(text, correct(text, CleanConfig(language_hint="es")))
    'Los niños y las víctimas del Perú.\\n'
    """
    scan = _scan(text, config.language_hint)
    if not scan.unknown:
        return []
    # The document's own vocabulary is asked only in a document with OCR
    # noise: a clean text with one odd token should not pay for an index,
    # and is better left alone than corrected from weak evidence.
    noisy = len(scan.unknown) >= max(3, NOISY_DOCUMENT_RATE * sum(scan.vocab.values()))
    hyphenated = {m.group() for m in _compounds(text)} if noisy else set()
    evidence = Evidence(
        scan.known
        | {c for c in hyphenated if all(is_protected(part, "en") or is_protected(part, "es") for part in c.split("-"))}
        if noisy
        else ()
    )
    # The mark first: the word behind it is corrected on the next pass, as
    # a word ("jOh" must become "¡Oh", not "Oh").
    fixes: dict[int, Edit] = {e.start: e for e in _inverted_marks(scan)} if noisy else {}
    _fix_unknown(scan, fixes, evidence, config.min_confidence)
    accent_fixes = sum(1 for e in fixes.values() if e.reason == "accent")
    spanish = sum(map(scan.vocab.__getitem__, scan.vocab.keys() & lexicon.counts("es").keys()))
    if accent_fixes >= max(3, ACCENT_LOSS_RATE * spanish):
        restored = {e.start: e for e in _restore_real_words(scan, fixes, config.context)}
        if restored:
            fixes.update(restored)
            evidence.add(e.after for e in restored.values())
            _fix_unknown(scan, fixes, evidence, config.min_confidence)
    if len(fixes) >= max(3, ACCENT_LOSS_RATE * sum(scan.vocab.values())):
        for edit in _restore_names(scan, fixes):
            fixes.setdefault(edit.start, edit)
        for edit in _restore_terms(scan, fixes):
            fixes.setdefault(edit.start, edit)
        for edit in list(_restore_compounds(scan, fixes)):
            # The compound's edit takes the place of its parts' corrections.
            for inner in [at for at in fixes if edit.start <= at < edit.end]:
                del fixes[inner]
            fixes[edit.start] = edit
        for edit in _lone_zeros(scan):
            fixes.setdefault(edit.start, edit)
        if config.context and any(lang == "en" for _, _, lang in scan.lines):
            from .context import real_word_errors

            for edit in real_word_errors(_corrected_lines(scan, fixes, "en")):
                fixes.setdefault(edit.start, edit)
            _fix_in_context(scan, fixes, evidence, config.min_confidence)
    return sorted(fixes.values())


def _fix_in_context(scan: _Scan, fixes: dict[int, Edit], evidence: Evidence, min_confidence: float) -> None:
    """Decide the English unknown tokens left alone for want of a clear reading by their neighbours.

    "faled" reads as "failed", "faced" or "filed" at nearly the same cost;
    "the attempt faled to" leaves one of them.
    """
    from .context import model, words_around

    lm = model()
    left = {tok.start: tok for tok in scan.unknown if tok.lang == "en" and tok.start not in fixes}
    if lm is None or not left:
        return
    for offset, prev, nxt in words_around(_corrected_lines(scan, fixes, "en", left.keys()), left.keys()):
        tok = left[offset]
        best = choose(
            tok.text,
            "en",
            mid_sentence=tok.mid_sentence,
            recurs=_occurrences(scan.vocab, tok.text) - 1,
            evidence=evidence,
            min_confidence=min_confidence,
            context=functools.partial(lm.support, prev, nxt),
            named=tok.text.capitalize() in scan.names,
            vocab=scan.vocab,
        )
        if best is not None:
            fixes[offset] = Edit(offset, offset + len(tok.text), best.word, best.reason + f" (by context: {prev or '¶'} _ {nxt or '¶'})")


def _corrected_lines(
    scan: _Scan, fixes: dict[int, Edit], lang: str, holding: Iterable[int] | None = None
) -> Iterator[tuple[str, Callable[[int, int], int | None]]]:
    """The `lang` lines with `fixes` applied, each with a map from its spans back to the text.

    A span inside a fix maps to None: the word is decided already, though it
    is context for its neighbours. With `holding` (offsets of the text), only
    the lines that hold one of them.
    """
    starts = sorted(fixes)
    wanted = sorted(holding) if holding is not None else None
    for offset, line, line_lang in scan.lines:
        if line_lang != lang:
            continue
        if wanted is not None:
            k = bisect.bisect_left(wanted, offset)
            if k == len(wanted) or wanted[k] >= offset + len(line):
                continue
        parts: list[str] = []
        kept: list[tuple[int, int, int]] = []  # (start in the new line, end, offset in the text)
        size, pos = 0, offset
        for k in range(bisect.bisect_left(starts, offset), bisect.bisect_left(starts, offset + len(line))):
            edit = fixes[starts[k]]
            same = line[pos - offset : edit.start - offset]
            kept.append((size, size + len(same), pos))
            parts += [same, edit.after]
            size += len(same) + len(edit.after)
            pos = edit.end
        kept.append((size, size + offset + len(line) - pos, pos))
        parts.append(line[pos - offset :])
        yield "".join(parts), functools.partial(_kept_offset, kept, [first for first, _, _ in kept])


def _kept_offset(kept: list[tuple[int, int, int]], firsts: list[int], start: int, end: int) -> int | None:
    """The text offset of the span `start:end` of a corrected line, or None if it is not kept as it was."""
    # The kept stretches are in order and apart: only the last one starting
    # at or before `start` can hold the span.
    first, last, at = kept[bisect.bisect_right(firsts, start) - 1]
    return at + start - first if end <= last else None


def _lone_zeros(scan: _Scan) -> Iterator[Edit]:
    """A lone zero where Spanish puts the conjunction "o" is that "o" misread.

    Four shapes: between two words ("niños 0 adolescentes", "trasero 0
    ambos."), after a comma or a closing quote or bracket before a word ("a
    la red, 0 conectadas"), after an opening bracket before a word ("(0 la
    IP local"), and between two small numbers ("2 0 3", "de 32 0 64 bits").
    Only in documents the OCR damaged (the caller checks): in clean text "el
    plano 0 en el grupo" means zero; and "de 0 a 255" is a range.
    """
    spanish = [(offset, line) for offset, line, lang in scan.lines if lang == "es"]
    lines = [(offset, line) for offset, line in spanish if " 0 " in line or "(0 " in line]
    if not lines:
        return
    found = [(offset, m.start(), shape) for offset, line in lines for shape in _LONE_ZERO for m in shape.finditer(line)]
    # A word the document puts before a number elsewhere ("el grupo 0.",
    # "de 255") counts its lone zero as a number too. Only a zero between
    # two words (the first shape) asks, and the answer is a pass over the
    # document.
    lone = {(offset, start) for offset, start, _ in found}
    numbered = (
        {
            m.group(1).lower()
            for offset, line in spanish
            for m in _BEFORE_NUMBER.finditer(line)
            if (offset, m.end(1)) not in lone
        }
        if any(shape is _LONE_ZERO[0] for _, _, shape in found)
        else set()
    )
    texts = dict(lines)
    for offset, start, shape in sorted(set(found), key=lambda f: (f[0], f[1])):
        before = texts[offset][:start].rsplit(" ", 1)[-1].lower()
        if shape is not _LONE_ZERO[0] or before not in numbered:
            yield Edit(offset + start + 1, offset + start + 2, "o", "ocr 0→o")


# An English model reads Spanish "¡" and "¿" as letters glued to the next word: "jOh", "iQué", "gCual", "éQuién".
_INVERTED = regex.compile(r"(?<![\p{L}\p{N}\p{M}])[jigeéí](?=(\p{Lu}\p{Ll}*+)(?![\p{L}\p{N}]))")
# What every _INVERTED match holds: the letter, then no space, lower-case
# Latin letter, digit or common punctuation (no \p{Lu} is among those). A
# line without it is passed over with one search of re, a third of regex's.
_INVERTED_HINT = re.compile(r"[jigeéí][^\sa-zß-ÿ0-9.,;:!?'\"()\-]")
_CLOSING = regex.compile(r"[?!.;:]")


def _inverted_marks(scan: _Scan) -> Iterator[Edit]:
    """Spanish opening marks the OCR read as a letter: "jOh, memoria!" → "¡Oh, memoria!".

    The letter must stand before a capitalized Spanish word, and the mark
    is the one the sentence closes with ("?" → "¿", "!" → "¡"); a sentence
    closed by neither keeps its letter ("iPXE", "eMMC" never qualify).
    Only in documents with OCR noise (the caller checks).
    """
    for offset, line, lang in scan.lines:
        if lang != "es" or _INVERTED_HINT.search(line) is None:
            continue
        for match in _INVERTED.finditer(line):
            word = match.group(1)
            if lexicon.lookup(word, "es") is None and not any(not c.generic for c in candidates(word, "es")[:1]):
                continue
            close = _CLOSING.search(line, match.end())
            mark = {"?": "¿", "!": "¡"}.get(close.group() if close else "")
            if mark is not None:
                start = offset + match.start()
                yield Edit(start, start + 1, mark, f"ocr {match.group()}→{mark}")


def _is_term(word: str) -> bool:
    """Written like a product name, an identifier or an acronym: capitals after the first letter, or digits with letters.

    Plain and capitalized words are left to the lexicon: a document can
    repeat a misreading ("configuracién") as often as a word.
    """
    return any(map(str.isupper, word[1:])) or (not word.isalpha() and not word.isdigit())


def _near(a: str, b: str) -> bool:
    """A cheap filter before pricing: same length give or take one, at most two characters apart."""
    if abs(len(a) - len(b)) > 1:
        return False
    i, j = common_ends(a, b)
    return max(len(a), len(b)) - i - j <= 2


def _restore_terms(scan: _Scan, fixes: dict[int, Edit]) -> Iterator[Edit]:
    """A misreading of a term the document itself keeps writing ("FreedomBax" for "FreedomBox").

    Product names, identifiers and acronyms ("MediaWiki", "MD5", "IPv6")
    are not in the lexicons, and the corrector leaves such shapes alone. But
    a document that writes "FreedomBox" ten times and "FreedomBax" once is
    its own dictionary: a rarer token one cheap confusion away from a term
    it uses at least `TERM_MIN_RATIO` times as often is that term. Terms
    that differ in a digit ("IPv4", "IPv6"; "2010", "2019") are different
    terms. Only in documents the OCR damaged (the caller checks).
    """
    fixed = {e.start for e in fixes.values()}
    terms = {
        w: n
        for w, n in scan.vocab.items()
        if n >= TERM_MIN_COUNT and len(w) >= MIN_EDIT_LENGTH and _is_term(w)
    }
    if not terms:
        return

    def decide(word: str, lang: str) -> str | None:
        if word in scan.known or len(word) < MIN_EDIT_LENGTH - 1 or word.isdigit():
            return None
        term = _term_for(word, lang, terms, scan.vocab[word])
        # Same letters, other case ("Gosa" beside "GOsa") is the author's choice, not a misreading.
        return term if term is not None and term.lower() != word.lower() else None

    for start, word, term in _places(scan, decide):
        if start not in fixed:
            yield Edit(start, start + len(word), term, "ocr, a term the document uses")


def _places(scan: _Scan, decide: Callable[[str, str], str | None]) -> Iterator[tuple[int, str, str]]:
    """``(offset, word, decide(word, lang))`` for each place of a word that `decide` gives a value for.

    The decision does not depend on where a word stands: each word of a
    language is decided once, and only a line holding one with a value is
    walked for its places.
    """
    # The distinct words of each language, decided at once; then a set
    # intersection a line tells whether it holds one with a value.
    distinct: dict[str, set[str]] = {}
    for (_, _, lang), words in zip(scan.lines, scan.words):
        distinct.setdefault(lang, set()).update(words)
    chosen: dict[str, dict[str, str]] = {}
    for lang, held in distinct.items():
        values = chosen[lang] = {}
        for word in held:
            value = decide(word, lang)
            if value is not None:
                values[word] = value
    for (offset, line, lang), words in zip(scan.lines, scan.words):
        values = chosen[lang]
        if not values or values.keys().isdisjoint(words):
            continue
        for tok in TOKEN.finditer(line):
            word = tok.group()
            value = values.get(word)
            if value is not None:
                yield offset + tok.start(), word, value


def _restore_compounds(scan: _Scan, fixes: dict[int, Edit]) -> Iterator[Edit]:
    """A compound whose head or tail the OCR misread, where the document writes it right more often.

    "ant-trafficking" is two words, so no word is unknown; but in a report
    that writes "anti-trafficking" three times as often, it is that
    compound. A hyphenated term of the domain lexicon needs no such count.
    Only in documents the OCR damaged (the caller checks). An edit may
    cover corrections of the compound's parts: it replaces them.
    """
    found = [(offset, m, lang) for offset, line, lang in scan.lines for m in _compounds(line)]
    counts = Counter(m.group() for _, m, _ in found)
    terms = {c: n for c, n in counts.items() if n >= TERM_MIN_COUNT}
    domain = {c: lexicon.counts("domain")[c] for c in _domain_compounds().values()}
    if not terms and not domain:
        return
    largest = max(terms.values(), default=0)
    fixed = sorted(fixes)  # before the caller adds the edits of this generator
    chosen: dict[tuple[str, str], tuple[str, str] | None] = {}
    for offset, match, lang in found:
        compound = match.group()
        start, end = offset + match.start(), offset + match.end()
        k = bisect.bisect_left(fixed, start)
        inner = [fixes[at] for at in fixed[k : bisect.bisect_left(fixed, end)]]
        if inner:
            # A part is corrected already ("ant-traficking"): only a domain
            # term can still take the whole, read with that correction.
            if all(e.end <= end for e in inner):
                read = apply_edits(compound, [e._replace(start=e.start - start, end=e.end - start) for e in inner])
                term = _domain_term(read, lang, domain)
                if term is not None:
                    yield Edit(start, end, term, "ocr, a term of the domain")
            continue
        key = (compound, lang)
        if key not in chosen:
            term = _domain_term(compound, lang, domain)
            if term is not None:
                chosen[key] = (term, "ocr, a term of the domain")
            elif compound in terms and counts[compound] * TERM_MIN_RATIO > largest:
                chosen[key] = None  # a compound of its own, not a rare misreading
            elif (term := _term_for(compound, lang, terms, counts[compound])) and _misread_compound(compound, term):
                chosen[key] = (term, "ocr, a compound the document uses")
            else:
                chosen[key] = None
        found_term = chosen[key]
        if found_term is not None:
            yield Edit(start, end, *found_term)


def _domain_term(compound: str, lang: str, domain: dict[str, int]) -> str | None:
    """The domain lexicon's compound that `compound` misreads, if any.

    A term of the domain lexicon needs no count in the document: the OCR can
    misread it as often as it reads it right.
    """
    lower = compound.lower()
    if lower in domain:
        return None
    term = _term_for(lower, lang, domain, 1)
    return _transfer_case(compound, term) if term is not None and _misread_compound(compound, term) else None


def _misread_compound(compound: str, term: str) -> bool:
    # The same parts in another case ("Anti-trafficking" opening a sentence) is no misreading.
    return term.count("-") == compound.count("-") and term.lower() != compound.lower()


def _term_for(word: str, lang: str, terms: dict[str, int], count: int) -> str | None:
    channel = load_channel(lang)
    digits = [ch for ch in word if ch.isdigit()]
    options = sorted(
        (channel.cost(word, term), term)
        for term, n in terms.items()
        if n >= TERM_MIN_RATIO * count
        and term != word
        and _near(word, term)
        and (not digits or [ch for ch in term if ch.isdigit()] == digits)
    )
    if not options or options[0][0] > TERM_MAX_COST:
        return None
    if len(options) > 1 and options[1][0] - options[0][0] < 1.0:
        return None  # two terms fit about as well: not ours to choose
    return options[0][1]


def _restore_names(scan: _Scan, fixes: dict[int, Edit]) -> Iterator[Edit]:
    """A common word that is a misread of the document's most frequent names.

    "Pera (Nivel 2)" heads a report that names "Perú" forty times: "pera" is a
    word (a pear), but a capitalized one-off one OCR confusion away from a
    name the document keeps using is that name. Only in documents the OCR
    damaged (the caller checks), and never for common words ("Pero").
    """
    counts = Counter(scan.vocab)
    for edit in fixes.values():
        counts[edit.after] += 1
    names = {
        (w, lang)
        for lang in {lang for _, _, lang in scan.lines}
        for w, n in counts.items()
        if n >= NAME_MIN_COUNT and w[:1].isupper() and w[1:].islower() and _is_proper(w, lang)
    }
    if not names:
        return

    def decide(word: str, lang: str) -> str | None:
        return _name_for(word, lang, names, counts, lexicon.counts(lang), load_channel(lang))

    for start, word, name in _places(scan, decide):
        yield Edit(start, start + len(word), name, "ocr, a name the document uses")


def _name_for(
    word: str, lang: str, names: set[tuple[str, str]], counts: Counter[str], table: dict[str, int], channel: Channel
) -> str | None:
    """The name of `names` that the capitalized word `word` misreads, or None (see :func:`_restore_names`)."""
    lower = word.lower()
    if not (word[:1].isupper() and word[1:].islower()) or word in table or lower not in table:
        return None
    if counts[word] + counts[lower] > 1 or table[lower] >= NAME_COMMON_WORD:
        return None
    options = [
        (channel.cost(word, name), name)
        for name, name_lang in names
        if name_lang == lang and name[0] == word[0] and abs(len(name) - len(word)) <= 1
    ]
    cost, name = min(options, default=(math.inf, ""))
    return name if cost <= NAME_MAX_COST else None


def _occurrences(vocab: Counter[str], token: str) -> int:
    """How often the document writes `token`, counting its capitalized form too."""
    title = token.capitalize()
    return vocab[token] + (vocab[title] if title != token else 0)


def _fix_unknown(scan: _Scan, fixes: dict[int, Edit], evidence: Evidence, min_confidence: float) -> None:
    """Correct the unknown tokens not fixed yet, adding to `fixes` (keyed by offset).

    A correction is evidence for the next token ("años" fixed once makes
    "afos" readable), so rounds repeat until nothing new is fixed: that is
    what makes one pass of the pipeline a fixed point.
    """
    for _ in range(MAX_ROUNDS):
        new: list[str] = []
        # The evidence grows only between rounds: within one, the same token
        # in the same position of a sentence is decided once.
        decided: dict[tuple[str, str, bool], Candidate | None] = {}
        for tok in scan.unknown:
            if tok.start in fixes:
                continue
            key = (tok.text, tok.lang, tok.mid_sentence)
            if key in decided:
                best = decided[key]
            else:
                best = decided[key] = choose(
                    tok.text,
                    tok.lang,
                    mid_sentence=tok.mid_sentence,
                    # "debian" where the document writes "Debian" again and
                    # again is that name, not a word of the lexicon.
                    recurs=_occurrences(scan.vocab, tok.text) - 1,
                    evidence=evidence,
                    min_confidence=min_confidence,
                    named=tok.text.capitalize() in scan.names,
                    vocab=scan.vocab,
                    careful=tok.lang in scan.careful,
                )
            if best is not None:
                fixes[tok.start] = Edit(tok.start, tok.start + len(tok.text), best.word, best.reason)
                new.append(best.word)
        if not new:
            return
        evidence.add(new)


@functools.lru_cache(maxsize=65536)
def _accented_rival(word: str) -> str | None:
    """The accented spelling of a Spanish word that is far more frequent than it, if any."""
    table = lexicon.counts("es")
    if word not in table or word not in _accent_index("es")[0]:
        return None
    best = max(
        (form for form in accent_forms(word, "es")[1:] if form in table and strip_accents(form) == word),
        key=lambda form: (table[form], form),
        default=None,
    )
    ratio = REAL_WORD_RATIO if table[word] >= RARE_WORD_COUNT else RARE_WORD_RATIO
    return best if best is not None and table[best] >= ratio * table[word] else None


@functools.cache
def _misread_sources() -> tuple[str, ...]:
    """The strings the Spanish OCR prints mostly in error: those :func:`_misread_rival` rewrites."""
    channel = load_channel("es")
    return tuple(src for src, identity in channel.identity.items() if identity >= REAL_RULE_IDENTITY)


@functools.cache
def _misread_pattern() -> re.Pattern[str]:
    """Finds whether a word holds one of :func:`_misread_sources` (one search, not one test a source)."""
    return re.compile("|".join(map(re.escape, sorted(_misread_sources(), key=len, reverse=True))) or "(?!)")


@functools.lru_cache(maxsize=65536)
def _misread_rival(word: str) -> str | None:
    """A word that `word` is more likely a misreading of than itself.

    Where the OCR prints a string mostly in error ("é" stands for "ó" more
    often than for itself), a valid word holding it competes with its
    rewrite: "informé" against "informó", "histérico" against "histórico".
    Both are priced in full (channel and word frequency); the rewrite must
    win by `REAL_RULE_MARGIN`, or `RARE_RULE_MARGIN` for a rare word.
    """
    table = lexicon.counts("es")
    channel = load_channel("es")
    # Nearly every word holds none of those strings: one search.
    if word not in table or _misread_pattern().search(word) is None:
        return None
    best, best_score = None, -math.log(table[word])
    margin = REAL_RULE_MARGIN if table[word] >= REAL_RULE_COMMON else RARE_RULE_MARGIN
    for i in range(len(word)):
        for size in range(1, 4):
            src = word[i : i + size]
            identity = channel.identity.get(src, 0.0)
            if len(src) < size or identity < REAL_RULE_IDENTITY:
                continue
            for dst, cost in channel.by_noisy[src]:
                rival = word[:i] + dst + word[i + size :]
                if rival in table:
                    score = cost - identity - math.log(table[rival])
                    if score + margin < best_score:
                        best, best_score = rival, score + margin
    return best


def _restore_real_words(scan: _Scan, fixes: dict[int, Edit], context: bool = True) -> Iterator[Edit]:
    """Accents for valid unaccented words, in a document that is known to drop them.

    "maquinas" and "mas" are words, but in a text whose OCR lost accents all
    over, "máquinas" and "más", many times more frequent, are what the page
    said. Pairs of comparable frequency are real ambiguities: their
    neighbours decide where :mod:`tipclean.accents` has learned them
    ("esta"/"está"), and elsewhere they stay as they are ("continua"/"continúa").
    """
    spanish = [(offset, line, words) for (offset, line, lang), words in zip(scan.lines, scan.words) if lang == "es"]
    # Each word of the document is decided once; a line is walked only where it holds one with a rival.
    rivals: dict[str, tuple[str, str]] = {}
    # What each rival function asks first, asked here (a word has neither,
    # nearly always): a word of the lexicon, with an accented form, or
    # holding a string the OCR prints mostly in error.
    table, accented, misread = lexicon.counts("es"), _accent_index("es")[0], _misread_pattern()
    vocabulary = set().union(*(words for _, _, words in spanish))
    for word in vocabulary:
        # A capitalized word where a sentence starts is the same word
        # ("Capitulo"); in mid-sentence it may be a name, and is left alone.
        low = word if word.islower() else word.lower() if word[:1].isupper() and word[1:].islower() else ""
        if low not in table:
            continue
        if low in accented and (rival := _accented_rival(low)):
            rivals[word] = (_transfer_case(word, rival), "accent (the document drops accents)")
        elif misread.search(low) and (rival := _misread_rival(low)):
            rivals[word] = (_transfer_case(word, rival), "ocr " + _edit_summary(low, rival) + " (a likelier word)")
    # A plain word whose accented twin is about as common ("esta", "está")
    # is decided by its neighbours, each time it occurs.
    twins = (accents.model().pairs.keys() & vocabulary) - rivals.keys() if context else set()
    if twins:
        holding = [offset for offset, _, words in spanish if not twins.isdisjoint(words)]
        yield from accents.restore(_corrected_lines(scan, fixes, "es", holding), twins)
    if not rivals:
        return
    for offset, line, words in spanish:
        found = rivals.keys() & words
        if not found:
            continue
        for tok in _unknown_tokens(line, offset, "es", found):
            if tok.mid_sentence and not tok.text.islower():
                continue
            rival, reason = rivals[tok.text]
            yield Edit(tok.start, tok.start + len(tok.text), rival, reason)


STEPS = (("words", correct),)
