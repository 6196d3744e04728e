"""Configuration of a cleaning run.

`CleanConfig` is frozen so that it can be hashed, shared between threads and
used as a cache key; change it with keyword overrides (``clean(text,
spelling=False)``) or :func:`dataclasses.replace`, as ftfy does with its
``TextFixerConfig``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

LANGUAGES = ("es", "en")
"""The languages tipclean corrects. Anything else is tagged "und" and left alone."""


@dataclass(frozen=True)
class CleanConfig:
    """Options of the cleaning pipeline, one field per stage or option.

    Stage switches (each stage can be turned off on its own):

    - ``encoding``: repair mojibake and Unicode oddities with ftfy, turn CRLF
      into LF, drop the BOM, NBSP and invisible characters.
    - ``layout``: canonical bullets, line-end dehyphenation, paragraph
      unwrapping, whitespace.
    - ``spelling``: the Spanish/English OCR word corrector.
    - ``language``: tag the document and each paragraph as es, en or und.

    Options:

    - ``uncurl_quotes``: turn curly quotes into straight ones (ftfy's
      default). Guillemets « » and ¿ ¡ are never touched.
    - ``bullet``: the canonical list marker every bullet item starts with.
      "•" by default: it cannot be mistaken for a hyphen, a dash, a minus sign
      or a Spanish dialogue dash, which "-" and "*" can.
    - ``remove_boilerplate`` / ``remove_citations``: opt-in removal of web
      boilerplate lines and of Wikipedia citation markers and reference
      blocks. Off by default because they delete words.
    - ``language_hint``: force the language ("es" or "en") instead of
      detecting it; None detects.
    - ``min_confidence``: how sure the corrector must be (0..1) before it
      replaces a word. Higher means fewer corrections and less damage.
    - ``context``: in English text the OCR visibly damaged, also correct
      valid words that their neighbours show to be misreadings ("the fist
      year"), and let the neighbours choose between readings of about the
      same cost ("officials faled to": "failed", not "faced"), with a bigram
      model (:mod:`tipclean.context`); and in Spanish text that drops
      accents, let the neighbours say whether "esta" is "está"
      (:mod:`tipclean.accents`). It costs about a fifth of the time on noisy
      English text; off skips both.
    - ``mark_language``: add (or update) a ``language:`` front-matter block at
      the top of the output text. Off by default: the output stays unmarked.
    """

    encoding: bool = True
    layout: bool = True
    spelling: bool = True
    language: bool = True
    uncurl_quotes: bool = True
    bullet: str = "•"
    remove_boilerplate: bool = False
    remove_citations: bool = False
    language_hint: str | None = None
    min_confidence: float = 0.5
    context: bool = True
    mark_language: bool = False

    def __post_init__(self) -> None:
        if self.language_hint not in (None, *LANGUAGES):
            raise ValueError(
                f"language_hint must be one of {', '.join(LANGUAGES)} or None, "
                f"not {self.language_hint!r}"
            )
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError("min_confidence must be between 0 and 1")
        if not self.bullet or self.bullet.strip() != self.bullet or "\n" in self.bullet:
            raise ValueError("bullet must be a non-empty marker without spaces")


def make_config(config: CleanConfig | None = None, **overrides: Any) -> CleanConfig:
    """Return `config` (or the defaults) with keyword `overrides` applied.

    >>> make_config(spelling=False).spelling
    False
    >>> make_config(colour=True)
    Traceback (most recent call last):
    ...
    TypeError: unknown option(s) for CleanConfig: colour
    """
    base = config if config is not None else CleanConfig()
    if not overrides:
        return base
    names = {f.name for f in dataclasses.fields(CleanConfig)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise TypeError(f"unknown option(s) for CleanConfig: {', '.join(unknown)}")
    return dataclasses.replace(base, **overrides)
