"""tipclean: repair OCR noise and normalize bilingual Spanish/English text.

>>> import tipclean
>>> tipclean.clean("caf\\u00c3\\u00a9 y ni\\u00c3\\u00b1os")
'café y niños\\n'
"""

from __future__ import annotations

import os
from typing import Any

from ._version import __version__
from .config import CleanConfig
from .document import Change, Document, Paragraph
from .files import InputError
from .pipeline import run as _run

__all__ = [
    "Change",
    "CleanConfig",
    "Document",
    "InputError",
    "Paragraph",
    "__version__",
    "clean",
    "clean_document",
    "clean_file",
    "detect_file_language",
    "detect_language",
]


def clean(text: str, config: CleanConfig | None = None, **overrides: Any) -> str:
    """Return the cleaned text.

    Args:
        text: the text to clean (``str``; decode bytes first, or use
            :func:`clean_file`).
        config: a :class:`CleanConfig`; None means the defaults.
        **overrides: fields of :class:`CleanConfig` to change for this call,
            e.g. ``spelling=False``.
    """
    return _run(text, config, **overrides).text


def clean_document(text: str, config: CleanConfig | None = None, **overrides: Any) -> Document:
    """Clean `text` and return a :class:`Document`: text, language, paragraphs, changes."""
    return _run(text, config, **overrides)


def clean_file(
    path: str | os.PathLike[str], config: CleanConfig | None = None, **overrides: Any
) -> Document:
    """Read, decode and clean a file; nothing is written.

    Raises:
        InputError: the file cannot be read or decoded (the message names it).
    """
    from .files import read_text
    from .pipeline import run_decoded

    text, note = read_text(path)
    return run_decoded(text, note, config, **overrides)


def detect_language(text: str) -> str:
    """Return "es", "en" or "und" for `text` (see :mod:`tipclean.language`)."""
    from .language import detect_language as _detect

    return _detect(text)


def detect_file_language(path: str | os.PathLike[str]) -> str:
    """Read and decode a file and return its language tag."""
    from .files import read_text

    return detect_language(read_text(path)[0])
