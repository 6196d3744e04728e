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

import functools
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import regex

from . import lexicon
from .channel import Channel, load as load_channel, strip_accents
from .config import CleanConfig
from .document import Edit

TOKEN = regex.compile(r"[\p{L}\p{N}\p{M}]++")
COMPOUND = regex.compile(r"\p{L}++(?:-\p{L}++)+")
_CHUNK = regex.compile(r"\S++")
_URLISH = regex.compile(r"://|^www\.|@|[/\\_=#%]|\w\.\w+\.\w|\.(?:com|org|gov|net|edu|pe|es)\b", regex.I)

# Scores are in nats (-ln probability). A token no rule explains is a valid
# word we do not know (a name, a rare word) with this prior; names and
# acronyms and recurring tokens are likelier still.
KEEP_COST = 12.0
PRIOR_WEIGHT = 0.4
NAME_BONUS = 3.0
ACRONYM_BONUS = 4.0
RECUR_BONUS = 1.5
DIGIT_PENALTY = 4.0
EVIDENCE_BONUS = 2.0
OTHER_LANGUAGE_PROTECT = 10_000  # a count of 1e-5 (Zipf 4): common words of the other language
MAX_RULES = 2
MAX_ROUNDS = 3
# Real-word accent restoration ("mas" → "más") needs a document that drops
# accents (this share of its Spanish tokens was restored already), and an
# accented form this many times more frequent than the plain one.
ACCENT_LOSS_RATE = 0.005
REAL_WORD_RATIO = 4.0
MIN_EDIT_LENGTH = 4  # below this, one plain edit reaches too many words


@dataclass(frozen=True)
class Candidate:
    """A possible reading of a token and its score (lower is better)."""

    word: str
    score: float
    reason: str
    generic: bool = False


def _other(lang: str) -> str:
    return "en" if lang == "es" else "es"


def is_protected(token: str, lang: str) -> bool:
    """True if `token` must be left alone in a `lang` paragraph: a known word."""
    if lexicon.lookup(token, lang) is not None or lexicon.lookup(token, "domain") is not None:
        return True
    other = lexicon.lookup(token, _other(lang))
    return other is not None and lexicon.counts(_other(lang))[other] >= OTHER_LANGUAGE_PROTECT


def _transfer_case(pattern: str, word: str) -> str:
    if len(pattern) > 1 and pattern.isupper():
        return word.upper()
    if pattern[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _is_proper(word: str, lang: str) -> bool:
    """True if the lexicon spells `word` with its capital (a name, not a sentence start)."""
    return word in lexicon.counts("domain") or word in lexicon.counts(lang)


def _prior(word: str, lang: str) -> float:
    table = lexicon.counts(lang)
    count = table.get(word) or lexicon.counts("domain").get(word, 0)
    return -math.log(max(count, 1) / lexicon.total(lang))


_ACUTE = dict(zip("aeiouAEIOU", "áéíóúÁÉÍÓÚ"))
_TILDE = {"n": "ñ", "N": "Ñ"}


def accent_forms(plain: str, lang: str | None) -> list[str]:
    """Spellings of an accent-free string that a Spanish word could have.

    Spanish writes at most one acute accent per word, and rarely more than one
    ñ, so this is a short list, and checking it against the lexicon is cheaper
    than building an accent-free index of the whole lexicon at start-up.

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


ALPHABET = {"es": "abcdefghijklmnopqrstuvwxyzáéíóúñü", "en": "abcdefghijklmnopqrstuvwxyz"}


def single_edits(token: str, lang: str) -> set[str]:
    """Every string one plain edit away from `token` (deletion, transposition, substitution, insertion).

    Generic edits are what no learned rule explains ("availabilty"); for a
    word of ten letters this is about 700 strings, each a dict lookup, so the
    work grows with the unknown tokens, not with the size of the lexicon.
    """
    letters = ALPHABET[lang]
    splits = [(token[:i], token[i:]) for i in range(len(token) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    edits.update(a + c + b[1:] for a, b in splits if b for c in letters)
    edits.update(a + c + b for a, b in splits for c in letters)
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


@functools.lru_cache(maxsize=65536)
def candidates(token: str, lang: str) -> tuple[Candidate, ...]:
    """Scored readings of an unknown token, without document evidence (cached per token)."""
    channel: Channel = load_channel(lang)
    rewrites = channel.generate(token, MAX_RULES)
    matches = _accepted((form for rewrite in rewrites for form in accent_forms(rewrite, lang)), lang)
    # Domain terms keep their accents in English text too ("Apurímac").
    matches.update(_accepted((form for rewrite in rewrites for form in accent_forms(rewrite, None)), "domain"))
    found = _score(token, lang, channel, matches)
    # Plain edits only where no learned confusion explains the token: they
    # cost more than any rule, so they could not win against one anyway.
    if len(token) >= MIN_EDIT_LENGTH and not any(not c.generic for c in found.values()):
        edits = single_edits(token, lang)
        matches = _accepted(edits, lang)
        matches.update(_accepted(edits, "domain"))
        for form, cand in _score(token, lang, channel, matches).items():
            found.setdefault(form, cand)
    return tuple(sorted(found.values(), key=lambda c: (c.score, c.word)))


def _score(token: str, lang: str, channel: Channel, matches: dict[str, str]) -> dict[str, Candidate]:
    found: dict[str, Candidate] = {}
    for form, word in sorted(matches.items()):
        fixed = _transfer_case(form, word)
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
    # The first differing stretch, e.g. "fi→ñ", to make the log readable.
    i = 0
    while i < min(len(token), len(form)) and token[i] == form[i]:
        i += 1
    j = 0
    while j < min(len(token), len(form)) - i and token[-1 - j] == form[-1 - j]:
        j += 1
    return f"{token[i:len(token) - j] or '∅'}→{form[i:len(form) - j] or '∅'}"


def keep_cost(token: str, mid_sentence: bool, recurs: bool) -> float:
    """The score of leaving `token` as it is."""
    cost = KEEP_COST
    if token[:1].isupper() and mid_sentence:
        cost -= NAME_BONUS
    if len(token) > 1 and token.isupper():
        cost -= ACRONYM_BONUS
    if recurs and token[:1].isupper():
        cost -= RECUR_BONUS
    if any(ch.isdigit() for ch in token):
        cost += DIGIT_PENALTY
    return cost


class Evidence:
    """What the document itself says about its words.

    A word the document spells correctly elsewhere is a strong candidate for
    a mangled token ("trafficking" for "tratficking"); symspellpy finds such
    words within two edits. Its index is built over the document's own
    vocabulary, and only when an unknown token needs it, so it costs
    milliseconds instead of the seconds a whole-lexicon index would.
    """

    def __init__(self, known: Iterable[str]) -> None:
        self.known = {word for word in known if len(word) >= MIN_EDIT_LENGTH}
        self._index: Any = None
        self._nearby: dict[str, list[str]] = {}

    def add(self, words: Iterable[str]) -> None:
        """Count `words` as spelled correctly in the document from now on."""
        before = len(self.known)
        self.known.update(word for word in words if len(word) >= MIN_EDIT_LENGTH)
        if len(self.known) != before:
            self._index = None
            self._nearby.clear()

    def nearby(self, token: str) -> list[str]:
        """Known words of the document within two edits of `token`."""
        if len(token) < MIN_EDIT_LENGTH or not self.known:
            return []
        if token in self._nearby:
            return self._nearby[token]
        if self._index is None:
            from symspellpy import SymSpell

            self._index = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
            for word in sorted(self.known):
                self._index.create_dictionary_entry(word, 1)
        from symspellpy import Verbosity

        found = [item.term for item in self._index.lookup(token, Verbosity.ALL, max_edit_distance=2)]
        self._nearby[token] = found
        return found


def _document_candidate(token: str, word: str, lang: str) -> Candidate:
    channel = load_channel(lang)
    cost = channel.cost(token, word)
    parts = word.split("-")
    prior = max(_prior(lexicon.lookup(part, lang) or lexicon.lookup(part, "domain") or part, lang) for part in parts)
    return Candidate(word, cost + PRIOR_WEIGHT * prior, _reason(token, word), cost >= channel.edit_cost)


def choose(
    token: str,
    lang: str,
    *,
    mid_sentence: bool,
    recurs: bool,
    evidence: Evidence | None = None,
    min_confidence: float = 0.5,
) -> Candidate | None:
    """The correction for `token`, or None to leave it alone."""
    options = list(candidates(token, lang))
    if evidence is not None:
        listed = {c.word for c in options}
        options += [_document_candidate(token, w, lang) for w in evidence.nearby(token) if w not in listed]
    if not options:
        return None
    seen = evidence.known if evidence is not None else set()
    # A capital letter mid-sentence marks a name: a common word is then an
    # unlikely reading ("Debian" is not "Debían").
    name_like = mid_sentence and token[:1].isupper() and not token.isupper()
    scored = [
        Candidate(
            c.word,
            c.score
            - (EVIDENCE_BONUS if c.word in seen else 0.0)
            + (NAME_BONUS if name_like and not _is_proper(c.word, lang) else 0.0),
            c.reason,
            c.generic,
        )
        for c in options
    ]
    scored.sort(key=lambda c: (c.score, c.word))
    keep = keep_cost(token, mid_sentence, recurs)
    best = scored[0]
    # A token that recurs and that no learned confusion explains is more
    # likely a term of the document ("tjener") than the same slip twice.
    if recurs and best.generic:
        keep -= RECUR_BONUS
    if best.score >= keep:
        return None
    floor = best.score
    mass = math.exp(floor - keep) + sum(math.exp(floor - c.score) for c in scored)
    if 1.0 / mass < min_confidence:
        return None
    return best


def _skip(line: str, start: int, end: int, token: str) -> bool:
    if len(token) < 2 or not any(ch.isalpha() for ch in token):
        return True
    digits = sum(ch.isdigit() for ch in token)
    if digits and (digits > 2 or digits * 2 >= len(token)):
        return True
    before = line[start - 1] if start else " "
    after = line[end] if end < len(line) else " "
    # Short parts of hyphenated compounds ("anti-", "socio-", "co-") and
    # contractions are left alone; a long part is a word like any other.
    inside_word = start > 1 and line[start - 2].isalnum()
    if (before in "'’" and inside_word) or (after in "'’" and line[end + 1 : end + 2].isalnum()):
        return True
    if len(token) < 5 and (before == "-" or (after == "-" and line[end + 1 : end + 2].isalnum())):
        return True
    chunk_start = line.rfind(" ", 0, start) + 1
    chunk_end = line.find(" ", end)
    chunk = line[chunk_start : chunk_end if chunk_end >= 0 else len(line)]
    return bool(_URLISH.search(chunk))


def _mid_sentence(line: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and line[i] in " \t\"'«(¿¡*•":
        i -= 1
    return i >= 0 and line[i] not in ".!?:;"


@dataclass
class _Token:
    start: int
    text: str
    lang: str
    mid_sentence: bool


def _tokens(text: str, hint: str | None) -> Iterator[tuple[_Token, bool]]:
    """Every word token of a Spanish or English line, with whether it is a known word."""
    from .language import line_languages

    offset = 0
    for line, lang in zip(text.split("\n"), line_languages(text, hint)):
        if lang in ("es", "en"):
            for tok in TOKEN.finditer(line):
                token = tok.group()
                if _skip(line, tok.start(), tok.end(), token):
                    continue
                known = is_protected(token, lang)
                yield _Token(offset + tok.start(), token, lang, _mid_sentence(line, tok.start())), known
        offset += len(line) + 1


def correct(text: str, config: CleanConfig) -> list[Edit]:
    """Edits that repair OCR-mangled words of `text`.

    >>> from tipclean.document import apply_edits
    >>> text = "Los nifios y las victimas del Perú.\\n"
    >>> apply_edits(text, correct(text, CleanConfig(language_hint="es")))
    'Los niños y las víctimas del Perú.\\n'
    """
    tokens = list(_tokens(text, config.language_hint))
    if not tokens:
        return []
    vocab = Counter(tok.text for tok, _ in tokens)
    compounds = Counter(m.group() for m in COMPOUND.finditer(text))
    evidence = Evidence(
        [tok.text for tok, known in tokens if known]
        + [c for c in compounds if all(is_protected(part, "en") or is_protected(part, "es") for part in c.split("-"))]
    )
    fixes: dict[int, Edit] = {}
    _fix_unknown(tokens, fixes, evidence, vocab, config.min_confidence)
    accent_fixes = sum(1 for e in fixes.values() if e.reason == "accent")
    spanish = sum(1 for tok, _ in tokens if tok.lang == "es")
    if spanish and accent_fixes >= max(3, ACCENT_LOSS_RATE * spanish):
        restored = {e.start: e for e in _restore_real_words(tokens)}
        if restored:
            fixes.update(restored)
            evidence.add(e.after for e in restored.values())
            _fix_unknown(tokens, fixes, evidence, vocab, config.min_confidence)
    return sorted(fixes.values())


def _fix_unknown(
    tokens: list[tuple[_Token, bool]],
    fixes: dict[int, Edit],
    evidence: Evidence,
    vocab: Counter[str],
    min_confidence: float,
) -> None:
    """Correct the unknown tokens not fixed yet, adding to `fixes` (keyed by offset).

    A correction is evidence for the next token ("años" fixed once makes
    "afos" readable), so rounds repeat until nothing new is fixed: that is
    what makes one pass of the pipeline a fixed point.
    """
    for _ in range(MAX_ROUNDS):
        new: list[str] = []
        for tok, known in tokens:
            if known or tok.start in fixes:
                continue
            best = choose(
                tok.text,
                tok.lang,
                mid_sentence=tok.mid_sentence,
                recurs=vocab[tok.text] > 1,
                evidence=evidence,
                min_confidence=min_confidence,
            )
            if best is not None:
                fixes[tok.start] = Edit(tok.start, tok.start + len(tok.text), best.word, best.reason)
                new.append(best.word)
        if not new:
            return
        evidence.add(new)


def _restore_real_words(tokens: list[tuple[_Token, bool]]) -> Iterator[Edit]:
    """Accents for valid unaccented words, in a document that is known to drop them.

    "maquinas" and "mas" are words, but in a text whose OCR lost accents all
    over, "máquinas" and "más", many times more frequent, are what the page
    said. Pairs of comparable frequency ("esta"/"está", "continua"/"continuó")
    are real ambiguities and stay as they are.
    """
    table = lexicon.counts("es")
    for tok, known in tokens:
        word = tok.text
        if not known or tok.lang != "es" or not word.islower() or word not in table:
            continue
        best = max(
            (form for form in accent_forms(word, "es")[1:] if form in table and strip_accents(form) == word),
            key=lambda form: (table[form], form),
            default=None,
        )
        if best is not None and table[best] >= REAL_WORD_RATIO * table[word]:
            yield Edit(tok.start, tok.start + len(word), best, "accent (the document drops accents)")


STEPS = (("words", correct),)
