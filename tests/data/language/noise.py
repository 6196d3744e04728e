"""Synthetic OCR noise for the tagger's robustness test and benchmark.

Shared by tests/test_language.py and benchmarks/language_bench.py, so both
measure the tagger on the same damage.
"""

from __future__ import annotations

import random
import unicodedata

import regex

WORD = regex.compile(r"\p{L}+")

OCR_CONFUSIONS = [
    ("ñ", "fi"), ("l", "I"), ("rn", "m"), ("m", "rn"), ("u", "n"), ("e", "c"),
    ("i", "1"), ("o", "0"), ("h", "b"), ("cl", "d"), ("ó", "é"), ("á", "d"),
]  # fmt: skip
"""(right, misread) pairs typical of an English OCR model."""


def ocr_noise(text: str, rng: random.Random, rate: float = 0.2) -> str:
    """Drop the accents of half the words and damage `rate` of them as OCR does."""

    def damage(match: regex.Match[str]) -> str:
        word = match.group()
        if rng.random() < 0.5:
            word = "".join(
                c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)
            )
            word = unicodedata.normalize("NFC", word)
        if rng.random() < rate:
            options = [(a, b) for a, b in OCR_CONFUSIONS if a in word]
            if options:
                a, b = rng.choice(options)
                word = word.replace(a, b, 1)
        return word

    return WORD.sub(damage, text)
