#!/usr/bin/env python3
"""Learn the OCR confusion tables from the train and development OCR pairs.

    python dictionaries/tools/build_confusions.py

Reads ``eval/pairs/{train,dev}/{es,en}/*.{noisy,gold}.txt`` (never the
held-out pairs) and writes ``dictionaries/confusions-{es,en}.tsv``. The train
split (``eval/make_pairs.py --split train``, about 310 KB of Spanish and 150 KB
of English gold) exists for this: the dev pairs alone saw many rules once or
never. Counts are summed over both splits. One rule a line,
``noisy<TAB>gold<TAB>count<TAB>cost``, where ``noisy`` is what the OCR printed,
``gold`` what the page said, ``count`` how often the rule was seen and
``cost = -ln P(gold | noisy)`` with P estimated as count / (occurrences of
``noisy`` in the OCR'd words + SMOOTHING).

How rules are found (the substring channel model of Brill & Moore, 2000):
words of each pair are aligned as score.py aligns them (token Levenshtein);
each 1:1 replaced word pair is aligned character by character; adjacent
edits merge into one region ("nifios"/"niños" gives fi → ñ); a pure
insertion or deletion takes one neighbouring character as context so that a
rule always rewrites something present in the OCR'd word ("gque"/"que"
gives gq → q). Word pairs that share less than half their letters are left
out as misalignments, except a lone one-letter word between two matching
words ("0" for the conjunction "o" gives 0 → o). A pair that is really two
words run together or one word split in two ("Sino" aligned with the "no" of
"Si no") is left out too: it would teach a rule that deletes a word
("Si" → "").

Build-time needs: rapidfuzz, regex. Output is deterministic.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from pathlib import Path

import regex
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[2]
# Never "heldout": the tables ship with tipclean, and heldout is for reporting.
SPLITS = ("train", "dev")
PAIRS = [ROOT / "eval" / "pairs" / split for split in SPLITS]
OUT = ROOT / "dictionaries"
WORD = regex.compile(r"[\p{L}\p{N}]+")
INVERTED_MARKS = ("¡", "¿")
MAX_SIDE = 3  # longest substring on either side of a rule
MIN_COUNT = 2  # a rule seen once is as likely a misalignment as a confusion
SMOOTHING = 5  # pseudo-occurrences added to every rule's denominator


def word_pairs(noisy: str, gold: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(noisy, gold) pairs of 1:1 aligned words, and every aligned noisy word."""
    n = WORD.findall(noisy)
    found = list(WORD.finditer(gold))
    g = [m.group() for m in found]
    # The OCR reads "¡" and "¿" as letters ("jOh", "gQué"); the scorer's
    # words leave the marks out, so such a pair would teach "j"→"" and "g"→"",
    # deletions that break real words ("tjener"). The marks are restored on
    # their own (spelling._inverted_marks).
    marked = {j for j, m in enumerate(found) if gold[max(m.start() - 1, 0) : m.start()] in INVERTED_MARKS}
    pairs: list[tuple[str, str]] = []
    seen: list[str] = []
    ops = Levenshtein.opcodes(n, g)
    for o, op in enumerate(ops):
        if op.tag == "equal":
            seen.extend(n[op.src_start : op.src_end])
        elif op.tag == "replace" and op.src_end - op.src_start == op.dest_end - op.dest_start:
            # One word replaced between two matching ones: the alignment is
            # sure, even for a one-letter word ("0" for the conjunction "o").
            anchored = op.src_end - op.src_start == 1 and all(
                ops[x].tag == "equal" for x in (o - 1, o + 1) if 0 <= x < len(ops)
            )
            for k in range(op.src_end - op.src_start):
                i, j = op.src_start + k, op.dest_start + k
                a, b = n[i], g[j]
                seen.append(a)
                # A pair that shares less than half its letters is two different
                # words (a dropped or split word shifted the alignment).
                similar = Levenshtein.normalized_distance(a, b) <= 0.5 or (
                    anchored and len(a) == len(b) == 1
                )
                if similar and j not in marked and not merged(n, g, i, j):
                    pairs.append((a, b))
    return pairs, seen


def merged(n: list[str], g: list[str], i: int, j: int) -> bool:
    """Is noisy word n[i], aligned with gold word g[j], really two words run
    together ("Sino" for "Si no", "ofthe" for "of the") or one word split in
    two ("ver" "sión" for "versión")? The token alignment pairs such a word
    with one of the two, and the rule it teaches ("Si" -> "", "of" -> "")
    would delete real words."""
    a, b = n[i], g[j]
    d = Levenshtein.distance(a, b)
    joined = []
    if j > 0:
        joined.append((a, g[j - 1] + b))
    if j + 1 < len(g):
        joined.append((a, b + g[j + 1]))
    if i > 0:
        joined.append((n[i - 1] + a, b))
    if i + 1 < len(n):
        joined.append((a + n[i + 1], b))
    return any(Levenshtein.distance(x, y) < d for x, y in joined)


def regions(noisy: str, gold: str) -> list[tuple[str, str]]:
    """The edit regions that turn `noisy` into `gold`, with context for pure insertions."""
    found: list[tuple[str, str]] = []
    ops = [op for op in Levenshtein.opcodes(noisy, gold)]
    i = 0
    while i < len(ops):
        if ops[i].tag == "equal":
            i += 1
            continue
        s1, d1 = ops[i].src_start, ops[i].dest_start
        while i < len(ops) and ops[i].tag != "equal":
            s2, d2 = ops[i].src_end, ops[i].dest_end
            i += 1
        if s1 == s2:  # insertion: anchor it on a neighbouring OCR'd character
            if s1 > 0:
                s1, d1 = s1 - 1, d1 - 1
            elif s2 < len(noisy):
                s2, d2 = s2 + 1, d2 + 1
            else:
                continue
        found.append((noisy[s1:s2], gold[d1:d2]))
    return found


def learn(lang: str) -> list[tuple[str, str, int, float]]:
    rules: Counter[tuple[str, str]] = Counter()
    seen_words: Counter[str] = Counter()
    noisy_paths = [p for d in PAIRS for p in sorted((d / lang).glob("*.noisy.txt"))]
    for noisy_path in noisy_paths:
        gold_path = noisy_path.with_name(noisy_path.name.replace(".noisy.", ".gold."))
        pairs, seen = word_pairs(
            noisy_path.read_text(encoding="utf-8"), gold_path.read_text(encoding="utf-8")
        )
        seen_words.update(seen)
        for noisy, gold in pairs:
            for src, dst in regions(noisy, gold):
                if 0 < len(src) <= MAX_SIDE and len(dst) <= MAX_SIDE:
                    rules[(src, dst)] += 1
    occurrences: Counter[str] = Counter()
    wanted = {src for src, _ in rules}
    for word, times in seen_words.items():
        for size in range(1, MAX_SIDE + 1):
            for start in range(len(word) - size + 1):
                piece = word[start : start + size]
                if piece in wanted:
                    occurrences[piece] += times
    table = []
    for (src, dst), count in rules.items():
        if count >= MIN_COUNT:
            # Add-five smoothing: a rule seen three times on a rare string is
            # not three-in-four likely.
            cost = -math.log(count / (max(occurrences[src], count) + SMOOTHING))
            table.append((src, dst, count, round(cost, 3)))
    table.sort(key=lambda row: (row[3], row[0], row[1]))
    return table


def main() -> int:
    missing = [str(d / lang) for d in PAIRS for lang in ("es", "en") if not (d / lang).is_dir()]
    if missing:
        sys.stderr.write(f"no OCR pairs under {', '.join(missing)}; run eval/make_pairs.py first\n")
        return 1
    for lang in ("es", "en"):
        table = learn(lang)
        lines = [f"{src}\t{dst}\t{count}\t{cost}\n" for src, dst, count, cost in table]
        (OUT / f"confusions-{lang}.tsv").write_text("".join(lines), encoding="utf-8")
        print(f"confusions-{lang}.tsv: {len(table)} rules")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
