"""Runs of a character class, found with the standard library's re where it can.

The regex module's Unicode classes (``\\p{L}``) cost about twice what re
costs on an explicit class. Below `LIMIT` (Latin, Greek, Cyrillic,
punctuation...) the class is spelled out as the characters regex itself
matches there, so both find the same runs; a text with a character above
it goes to regex.
"""

from __future__ import annotations

import re

import regex

LIMIT = 0x3000
_WIDE = re.compile(f"[^\\x00-{re.escape(chr(LIMIT - 1))}]")


class Runs:
    """``regex.compile(f"[{chars}]++").findall``, faster on text below `LIMIT`.

    >>> Runs(r"\\p{L}").findall("El niño, 3 años; 東京")
    ['El', 'niño', 'años', '東京']
    >>> Runs(r"\\p{L}").split("El niño, 3")
    ['', 'El', ' ', 'niño', ', 3']
    """

    __slots__ = ("_fast", "_fast_split", "_split", "pattern")

    def __init__(self, chars: str) -> None:
        self.pattern = regex.compile(f"[{chars}]++")
        self._fast: re.Pattern[str] | None = None
        self._fast_split: re.Pattern[str] | None = None
        self._split: regex.Pattern[str] | None = None

    def findall(self, text: str) -> list[str]:
        if _WIDE.search(text) is not None:
            return self.pattern.findall(text)
        fast = self._fast or self._spell_out()
        return fast.findall(text)

    def split(self, text: str) -> list[str]:
        """``regex.split(f"([{chars}]++)", text)``: the text before the first run, then each run and the text after it."""
        if _WIDE.search(text) is not None:
            if self._split is None:
                self._split = regex.compile(f"({self.pattern.pattern})")
            return self._split.split(text)
        if self._fast_split is None:
            self._fast_split = re.compile(f"({(self._fast or self._spell_out()).pattern})")
        return self._fast_split.split(text)

    def _spell_out(self) -> re.Pattern[str]:
        # In the string of all characters below LIMIT, in order, each run the
        # class matches is a range of code points.
        every = "".join(map(chr, range(LIMIT)))
        ranges = (f"{re.escape(every[m.start()])}-{re.escape(every[m.end() - 1])}" for m in self.pattern.finditer(every))
        self._fast = re.compile(f"[{''.join(ranges)}]+")
        return self._fast
