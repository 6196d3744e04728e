#!/usr/bin/env python3
"""Build the language tagger's word table from wordfreq and the topic-word source.

    python dictionaries/tools/build_language_words.py          # rewrite the output
    python dictionaries/tools/build_language_words.py --check  # exit 1 if it is stale

Output, written to the folder above tools/: ``language-words.tsv``, the words
tipclean/language.py votes with. UTF-8, LF line ends; lines starting with "#"
are comments; every other line is one word of one language::

    lang<TAB>rank<TAB>word<TAB>list

``lang`` is one of `LANGUAGES`; ``word`` is lowercase letters in NFC; ``list``
says where the word comes from:

- ``common``: the `LIST_SIZE` commonest words of the language, ``rank`` 1 to
  `LIST_SIZE` in the order of wordfreq's ``top_n_list`` once the rules below
  have dropped what is not a word of the language;
- ``topic``: a word of sources/topic-words.txt (hand-curated report
  vocabulary), ``rank`` `LIST_SIZE`: it counts as the last common word.

A word appears at most once per language. Rows come language by language in
`LANGUAGES` order, common words by rank, then topic words alphabetically.

The rules that clean wordfreq's list (its tokens are lowercase, cut at
apostrophes, and drawn from web text, subtitles and the like):

1. **Letters only.** Digits and tokens with an apostrophe ("it's", "don't")
   are not words the tagger can match (it reads runs of letters).
2. **No elision fragments.** wordfreq cuts "l'homme", "d'un", "c'è" and
   "John's" at the apostrophe and counts "l", "d", "c", "s" as words. In none
   of the six languages is a lone consonant a word, so a one-letter token is
   kept only if it is a vowel ("a", "e", "y", "à", "é", "è").
3. **No English quoted in another language.** Song titles, brand names and
   quotes put "the" among the 100 commonest Portuguese words and "a" among
   the German ones. A word at least `QUOTE_RATIO` times as frequent in English
   as in the language being built is English. (The largest ratio among the
   words kept is under 10: French "as", Spanish "he".)
4. **No names that Spanish or English text uses.** A word that the Spanish
   and English hunspell lexicons (es.txt, en.txt, built by build_lexicons.py)
   list only capitalised or in capitals ("Italia", "France", "Paris", "EU"),
   and that Spanish or English text uses at least 1/`NAME_USE_RATIO` as often
   as the language being built, is a name that would make a Spanish or
   English line mentioning it look Italian or French. A name those texts
   seldom use ("deutschland") cannot mislead the tagger and stays, as do the
   many foreign words that en_US happens to list as surnames ("Della",
   "Mann"), which English text rarely uses.

This is a build-time tool; tipclean never imports it. The output is a pure
function of wordfreq's data, the two lexicons and the topic source (no
timestamps, fixed order), so a rebuild with the same wordfreq version is
byte-for-byte identical. Needs: ``pip install wordfreq==3.1.1``, and es.txt
and en.txt built first.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE.parent
OUTPUT = OUT_DIR / "language-words.tsv"
TOPIC_SOURCE = OUT_DIR / "sources" / "topic-words.txt"
LEXICONS = {"es": OUT_DIR / "es.txt", "en": OUT_DIR / "en.txt"}

WORDFREQ_VERSION = "3.1.1"
WORDFREQ_WORDLIST = "large"

LANGUAGES = ("es", "en", "pt", "it", "fr", "de")
"""The tagger's `PROFILES`: the two languages it serves and the four a Spanish
or English paragraph is most easily mistaken for."""
LIST_SIZE = 150
"""Common words kept per language."""
CANDIDATES = 1000
"""How far down wordfreq's list to read; the rules drop far fewer than this."""
VOWELS = frozenset("aeiouy")
"""Rule 2: the base letters of the one-letter words that are kept."""
QUOTE_RATIO = 20
NAME_USE_RATIO = 20

SECTION = re.compile(r"\[([a-z]{2})\]")


class BuildError(Exception):
    """An input is missing, or the topic source breaks one of its rules."""


def check_inputs() -> None:
    problems = []
    from buildcheck import wordfreq_problem

    if problem := wordfreq_problem(WORDFREQ_VERSION, "the table is"):
        problems.append(problem)
    for path in (*LEXICONS.values(), TOPIC_SOURCE):
        if not path.is_file():
            problems.append(f"{path} is missing (build_lexicons.py makes es.txt and en.txt)")
    if problems:
        raise BuildError("cannot build the word table:\n  " + "\n  ".join(problems))


def read_lexicon(path: Path) -> frozenset[str]:
    """The terms of a "term count" lexicon, with their case."""
    return frozenset(
        line.split(" ", 1)[0] for line in path.read_text(encoding="utf-8").splitlines()
    )


def frequency(word: str, lang: str) -> float:
    from wordfreq import word_frequency

    return float(word_frequency(word, lang, wordlist=WORDFREQ_WORDLIST))


# ---------------------------------------------------------------- the rules


def is_letters(word: str) -> bool:
    """Rule 1."""
    return word.isalpha()


def is_elision_fragment(word: str) -> bool:
    """Rule 2: a lone consonant, left of an elided "l'", "d'", "qu'" or "'s"."""
    return len(word) == 1 and unicodedata.normalize("NFD", word)[0] not in VOWELS


def is_quoted_english(word: str, lang: str) -> bool:
    """Rule 3."""
    return lang != "en" and frequency(word, "en") >= QUOTE_RATIO * frequency(word, lang)


def is_used_name(word: str, lang: str, lexicon: frozenset[str]) -> bool:
    """Rule 4. `lexicon` is the union of es.txt and en.txt.

    One-letter words are never names ("I" is listed capitalised).
    """
    if len(word) < 2 or word in lexicon:
        return False
    if word[0].upper() + word[1:] not in lexicon and word.upper() not in lexicon:
        return False
    used = max(frequency(word, "es"), frequency(word, "en"))
    return used * NAME_USE_RATIO >= frequency(word, lang)


def common_words(lang: str, lexicon: frozenset[str], dropped: dict[str, list[str]]) -> list[str]:
    """The first `LIST_SIZE` words of wordfreq's list that pass the rules."""
    from wordfreq import top_n_list

    kept: list[str] = []
    for word in top_n_list(lang, CANDIDATES, wordlist=WORDFREQ_WORDLIST):
        if not unicodedata.is_normalized("NFC", word) or word != word.lower():
            raise BuildError(f"wordfreq gave {word!r} for {lang}: not lowercase NFC")
        if not is_letters(word):
            reason = "1 not letters"
        elif is_elision_fragment(word):
            reason = "2 elision fragment"
        elif is_quoted_english(word, lang):
            reason = "3 English"
        elif is_used_name(word, lang, lexicon):
            reason = "4 name"
        else:
            kept.append(word)
            if len(kept) == LIST_SIZE:
                return kept
            continue
        dropped.setdefault(reason, []).append(word)
    raise BuildError(f"only {len(kept)} of wordfreq's first {CANDIDATES} {lang} words pass")


# ---------------------------------------------------------------- topic words


def read_topics(path: Path) -> dict[str, list[str]]:
    """The sections of the topic source, each word checked for form."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    problems: list[str] = []
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where = f"{path.name}:{lineno}"
        header = SECTION.fullmatch(line)
        if header:
            lang = header[1]
            if lang not in LANGUAGES:
                problems.append(f"{where}: [{lang}] is not one of {', '.join(LANGUAGES)}")
            elif lang in sections:
                problems.append(f"{where}: a second [{lang}] section")
            current = sections.setdefault(lang, [])
            continue
        if current is None:
            problems.append(f"{where}: words before the first [lang] section")
            continue
        for word in line.split():
            if not unicodedata.is_normalized("NFC", word):
                problems.append(f"{where}: {word!r} is not NFC")
            elif not word.isalpha() or word != word.lower():
                problems.append(f"{where}: {word!r} is not lowercase letters only")
            elif word in current:
                problems.append(f"{where}: {word!r} is listed twice")
            else:
                current.append(word)
    if problems:
        raise BuildError("\n  ".join(["topic source rejected:", *problems]))
    return sections


def check_topics(
    topics: dict[str, list[str]],
    common: dict[str, list[str]],
    lexicons: dict[str, frozenset[str]],
) -> None:
    """Each topic word is a word of its language and of no other's common list."""
    problems = []
    for lang, words in topics.items():
        own = set(common[lang])
        others = {other: set(common[other]) for other in LANGUAGES if other != lang}
        for word in words:
            if lang in lexicons and word not in lexicons[lang]:
                problems.append(f"[{lang}] {word!r} is not in {lang}.txt")
            if word in own:
                problems.append(f"[{lang}] {word!r} is one of its common words already: remove it")
            shared = [other for other, listed in others.items() if word in listed]
            if shared:
                problems.append(f"[{lang}] {word!r} is a common word of {', '.join(shared)}")
    if problems:
        raise BuildError("\n  ".join(["topic source rejected:", *problems]))


# ---------------------------------------------------------------- output


HEADER = """\
# Word table of tipclean/language.py; do not edit. Built by
# dictionaries/tools/build_language_words.py from wordfreq {version} top_n_list
# '{wordlist}' (data CC-BY-SA 4.0), filtered by rule, and sources/topic-words.txt.
# lang<TAB>rank<TAB>word<TAB>list. list "common": rank in wordfreq's list once
# filtered; "topic": a topic word, ranked {size} like the last common word.
"""


def render(common: dict[str, list[str]], topics: dict[str, list[str]]) -> str:
    rows = []
    for lang in LANGUAGES:
        rows += [f"{lang}\t{rank}\t{word}\tcommon" for rank, word in enumerate(common[lang], 1)]
        rows += [f"{lang}\t{LIST_SIZE}\t{word}\ttopic" for word in sorted(topics.get(lang, ()))]
    header = HEADER.format(version=WORDFREQ_VERSION, wordlist=WORDFREQ_WORDLIST, size=LIST_SIZE)
    return header + "".join(row + "\n" for row in rows)


def build() -> str:
    check_inputs()
    lexicons = {lang: read_lexicon(path) for lang, path in LEXICONS.items()}
    union = frozenset().union(*lexicons.values())
    common: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        dropped: dict[str, list[str]] = {}
        common[lang] = common_words(lang, union, dropped)
        print(
            f"{lang}: dropped "
            + "; ".join(
                f"rule {reason}: {' '.join(words)}" for reason, words in sorted(dropped.items())
            )
            if dropped
            else f"{lang}: dropped nothing"
        )
    topics = read_topics(TOPIC_SOURCE)
    check_topics(topics, common, lexicons)
    return render(common, topics)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="build in memory and exit 1 if the committed output differs",
    )
    args = parser.parse_args(argv)
    try:
        content = build()
    except BuildError as error:
        print(f"build_language_words: {error}", file=sys.stderr)
        return 2
    data = content.encode("utf-8")
    changed = not OUTPUT.exists() or OUTPUT.read_bytes() != data
    if changed and not args.check:
        OUTPUT.write_bytes(data)
    rows = sum(1 for line in content.splitlines() if not line.startswith("#"))
    note = (" (differs)" if args.check else " (rewritten)") if changed else ""
    print(f"{OUTPUT.name}: {rows:,} rows, {len(data):,} bytes{note}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
