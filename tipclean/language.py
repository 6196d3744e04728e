"""Language tagging: es / en / und for the document and each paragraph.

(First version; being improved.)
"""

from __future__ import annotations

import functools

import regex

from .config import CleanConfig
from .document import Paragraph

_LINE = regex.compile(r"[^\n]+")


@functools.lru_cache(maxsize=1)
def _factory():  # type: ignore[no-untyped-def]
    from langdetect import DetectorFactory

    DetectorFactory.seed = 0
    from langdetect.detector_factory import init_factory, _factory as fac

    init_factory()
    return fac


def detect_language(text: str) -> str:
    """Return "es", "en" or "und" for `text`."""
    words = regex.findall(r"\p{L}+", text)
    if len(words) < 3:
        return "und"
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        lang = detect(text)
    except LangDetectException:
        return "und"
    return lang if lang in ("es", "en") else "und"


def tag(text: str, config: CleanConfig) -> tuple[str, tuple[Paragraph, ...]]:
    """Tag the document and each of its lines."""
    if not config.language:
        lang = config.language_hint or "und"
        return lang, tuple(Paragraph(m.group(), lang, m.start(), m.end()) for m in _LINE.finditer(text))
    doc = config.language_hint or detect_language(text)
    paras = []
    for m in _LINE.finditer(text):
        lang = detect_language(m.group())
        paras.append(Paragraph(m.group(), doc if lang == "und" else lang, m.start(), m.end()))
    return doc, tuple(paras)


def mark(front: str, lang: str) -> str:
    """Add or update ``language:`` in the front-matter block."""
    if not front:
        return f"---\nlanguage: {lang}\n---\n"
    lines = front.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("language:"):
            lines[i] = f"language: {lang}"
            return "\n".join(lines)
    lines.insert(1, f"language: {lang}")
    return "\n".join(lines)
