"""Naive per-word spelling correctors that tipclean has to beat.

Both baselines look at one word at a time, with no OCR knowledge and no
context, so they show what an off-the-shelf spell checker does to OCR text:

- ``symspellpy``: ``SymSpell.lookup(word, Verbosity.TOP, max_edit_distance=2,
  transfer_casing=True)``. English uses the dictionary bundled with symspellpy
  (frequency_dictionary_en_82_765.txt). symspellpy ships no Spanish one, so
  for Spanish the dictionary is built at run time from
  ``wordfreq.get_frequency_dict("es", "large")``: every entry made only of
  letters, with count ``round(frequency * 1e9)`` (the rarest entries, 1e-8,
  get 10). That list comes from web text and so already contains common OCR
  damage such as "nifios" and "victimas", which the baseline then keeps.
- ``pyspellchecker``: ``SpellChecker(language=lang).correction(word)``,
  keeping the word when it returns None.

Only word tokens (``\\p{L}+``) are replaced; digits, punctuation, spacing and
line breaks are kept byte for byte. A word containing a digit ("aument6") is
therefore seen as a letter run plus a number. Case is restored simply: an
all-caps word stays all caps, a capitalised word stays capitalised.
"""
from __future__ import annotations

import functools
import importlib.metadata
import importlib.resources
from collections.abc import Callable

import regex

WORD = regex.compile(r"\p{L}+")

SYSTEMS = ("symspellpy", "pyspellchecker")


def recase(like: str, word: str) -> str:
    if len(like) > 1 and like.isupper():
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def replace_words(text: str, fix: Callable[[str], str]) -> str:
    """Apply `fix` to each word token, leaving every other character alone."""
    return WORD.sub(lambda m: fix(m.group()), text)


@functools.cache
def _symspell(lang: str):
    from symspellpy import SymSpell

    sym = SymSpell(max_dictionary_edit_distance=2)
    if lang == "en":
        path = importlib.resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
        with importlib.resources.as_file(path) as p:
            # load_dictionary reports a missing file by returning False.
            if not sym.load_dictionary(str(p), 0, 1, encoding="utf-8"):
                raise OSError(f"cannot load {p}")
    else:
        import wordfreq

        for word, freq in wordfreq.get_frequency_dict(lang, "large").items():
            if WORD.fullmatch(word):
                sym.create_dictionary_entry(word, max(1, round(freq * 1e9)))
    return sym


@functools.cache
def _pyspell(lang: str):
    from spellchecker import SpellChecker

    return SpellChecker(language=lang)


@functools.cache
def corrector(system: str, lang: str) -> Callable[[str], str]:
    """A text -> text function for one baseline and language."""
    if system == "symspellpy":
        from symspellpy import Verbosity

        sym = _symspell(lang)

        # Memoised per word: OCR text repeats words a lot, and lookups are
        # pure, so this only saves time.
        @functools.cache
        def fix(word: str) -> str:
            hits = sym.lookup(word, Verbosity.TOP, max_edit_distance=2,
                              transfer_casing=True)
            return hits[0].term if hits else word

    elif system == "pyspellchecker":
        spell = _pyspell(lang)

        @functools.cache
        def fix(word: str) -> str:
            best = spell.correction(word.lower())
            return word if best is None else recase(word, best)

    else:
        raise ValueError(f"unknown baseline {system!r}")
    return lambda text: replace_words(text, fix)


def version(system: str) -> str:
    """Package versions that decide a baseline's output (part of the cache key)."""
    packages = {"symspellpy": ["symspellpy", "wordfreq"],
                "pyspellchecker": ["pyspellchecker"]}[system]
    return " ".join(f"{p}=={importlib.metadata.version(p)}" for p in packages)
