"""The bundled word lists, loaded lazily and once per process.

``dictionaries/{es,en,domain}.txt`` hold ``term count`` lines built by
``dictionaries/tools/build_lexicons.py``; every term is a valid word of its
language (hunspell) with a wordfreq frequency. Reading them is the only
start-up cost of the spelling stage, so they are plain text parsed in one
pass into dicts, and only when first needed.
"""

from __future__ import annotations

import functools
from importlib import resources

LEXICONS = ("es", "en", "domain")


@functools.cache
def counts(name: str) -> dict[str, int]:
    """``{term: count}`` of a bundled lexicon ("es", "en" or "domain")."""
    if name not in LEXICONS:
        raise LookupError(f"no bundled lexicon {name!r}; choose from {', '.join(LEXICONS)}")
    source = resources.files("tipclean.dictionaries").joinpath(f"{name}.txt")
    # Terms never contain spaces, so one split() parses the whole file: about
    # three times faster than a loop over lines, and this is start-up time.
    fields = source.read_text(encoding="utf-8").split()
    return dict(zip(fields[0::2], map(int, fields[1::2])))


@functools.cache
def common(name: str, min_count: int) -> dict[str, int]:
    """The head of a lexicon: its terms with at least `min_count` occurrences.

    The files are sorted by descending count, so this reads only as far as
    needed: a Spanish document asks English only for its common words, and a
    fraction of the file costs a fraction of the time.
    """
    source = resources.files("tipclean.dictionaries").joinpath(f"{name}.txt")
    text = source.read_text(encoding="utf-8")
    table: dict[str, int] = {}
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        term, _, count = text[pos:end].rpartition(" ")
        if int(count) < min_count:
            break
        table[term] = int(count)
        pos = end + 1
    return table


def lookup(word: str, name: str, table: dict[str, int] | None = None) -> str | None:
    """The lexicon's spelling of `word`, allowing for capitalization, or None.

    "El" and "EL" match "el"; "PERÚ" matches "Perú". A lowercase word does not
    match a proper noun ("perú" is not "Perú").
    """
    if table is None:
        table = counts(name)
    if word in table:
        return word
    lower = word.lower()
    if lower != word:
        if lower in table:
            return lower
        title = word[:1] + word[1:].lower()
        if title != word and title in table:
            return title
    return None


def is_word(word: str, lang: str | None = None) -> bool:
    """True if `word` is a valid word of `lang` ("es", "en"; None: either) or a domain term."""
    names = (lang, "domain") if lang else LEXICONS
    return any(lookup(word, name) is not None for name in names)


@functools.cache
def total(name: str) -> int:
    """Sum of the counts of a lexicon (the denominator of its word probabilities)."""
    return sum(counts(name).values())
