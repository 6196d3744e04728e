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
    table: dict[str, int] = {}
    with source.open("r", encoding="utf-8") as handle:
        for line in handle:
            term, _, count = line.rstrip("\n").rpartition(" ")
            table[term] = int(count)
    return table


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
