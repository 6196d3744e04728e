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


@functools.lru_cache(maxsize=None)
def counts(name: str) -> dict[str, int]:
    """``{term: count}`` of a bundled lexicon ("es", "en" or "domain")."""
    if name not in LEXICONS:
        raise LookupError(f"no bundled lexicon {name!r}; choose from {', '.join(LEXICONS)}")
    source = resources.files("tipclean.dictionaries").joinpath(f"{name}.txt")
    # Terms never contain spaces, so one split() parses the whole file: about
    # three times faster than a loop over lines, and this is start-up time.
    fields = source.read_text(encoding="utf-8").split()
    return dict(zip(fields[0::2], map(int, fields[1::2])))


def lookup(word: str, name: str) -> str | None:
    """The lexicon's spelling of `word`, allowing for capitalization, or None.

    "El" and "EL" match "el"; "PERÚ" matches "Perú". A lowercase word does not
    match a proper noun ("perú" is not "Perú").
    """
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


@functools.lru_cache(maxsize=None)
def total(name: str) -> int:
    """Sum of the counts of a lexicon (the denominator of its word probabilities)."""
    return sum(counts(name).values())
