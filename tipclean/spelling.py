"""Spelling stage: the Spanish/English OCR word corrector.

(Being built: passes text through unchanged for now.)
"""

from __future__ import annotations

STEPS: tuple = ()
