"""Layout stage: bullets, line-end dehyphenation, paragraph unwrapping, whitespace.

(Being built: passes text through unchanged for now.)
"""

from __future__ import annotations

STEPS: tuple = ()
