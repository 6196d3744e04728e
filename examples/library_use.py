"""Library use: clean a scanned Spanish report and audit what changed.

Run from anywhere: ``python examples/library_use.py [FILE]``; without FILE it
cleans the first lines of seed 000 (Spanish read by an English OCR model).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import tipclean

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_a550cea61c976ffa.txt"


def main(argv: list[str]) -> int:
    if argv:
        doc = tipclean.clean_file(argv[0])
    else:
        sample = "".join(SEED.read_text(encoding="utf-8").splitlines(keepends=True)[:12])
        doc = tipclean.clean_document(sample)
    print(f"language: {doc.language}  paragraphs: {len(doc.paragraphs)}  changes: {len(doc.changes)}")
    print("changes per stage:", dict(Counter(c.stage for c in doc.changes)))
    for change in doc.changes:
        if change.stage == "spelling":
            print(f"  line {change.line}: {change.before} -> {change.after} ({change.reason})")
    print()
    print(doc.text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
