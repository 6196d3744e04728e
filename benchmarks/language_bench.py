"""Benchmark the language tagger: load time, speed on 30 KB documents, accuracy.

Run from the repository root::

    python benchmarks/language_bench.py [--repeat N]

It prints:

- the cold start in a fresh interpreter: importing tipclean, then
  ``language.load()`` (the word table, langdetect's import and the
  `PROFILES`), against langdetect's own factory with all 55 profiles;
- detection (:func:`detect_language`) and per-paragraph tagging
  (:func:`line_languages`, :func:`tag`) on 30 KB documents: raw OCR Spanish,
  the same unwrapped one paragraph per line, English, and a bilingual mix;
  timed with the line caches emptied, so each run pays for every line, and
  the number of lines that needed langdetect;
- per-paragraph accuracy on tests/data/language/bilingual.jsonl, by language
  and by length band: each paragraph alone, the file as one document, each
  paragraph alone with synthetic OCR noise, and plain langdetect (the same
  six profiles, seeded) for comparison.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import regex

from tests.data.language.noise import ocr_noise
from tipclean import language
from tipclean.config import CleanConfig

BILINGUAL = ROOT / "tests" / "data" / "language" / "bilingual.jsonl"
SEEDS = ROOT / "seeds"
WORD = regex.compile(r"\p{L}+")
SIZE = 30_000

COLD_START = """
import time
import unicodedata
t0 = time.perf_counter()
import tipclean
from tipclean import language
t1 = time.perf_counter()
language.load()
t2 = time.perf_counter()
from langdetect.detector_factory import DetectorFactory, PROFILES_DIRECTORY
t3 = time.perf_counter()
DetectorFactory().load_profile(PROFILES_DIRECTORY)
t4 = time.perf_counter()
print(t1 - t0, t2 - t1, t4 - t3)
"""


def cold_start(repeat: int) -> None:
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", COLD_START], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout
        runs.append([float(x) for x in out.split()])
    med = [statistics.median(col) * 1000 for col in zip(*runs, strict=True)]
    print(f"cold start, median of {repeat} fresh interpreters:")
    n = len(language.PROFILES)
    print(f"  import tipclean                                  {med[0]:7.1f} ms")
    print(f"  language.load(): word table, langdetect, {n} profiles {med[1]:6.1f} ms")
    print(f"  langdetect's own factory with all 55 profiles    {med[2]:7.1f} ms")


def clip(text: str, size: int = SIZE) -> str:
    """The first `size` characters of `text`, cut at a line end."""
    if len(text) <= size:
        return text
    cut = text.rfind("\n", 0, size)
    return text[: cut if cut > 0 else size]


def unwrap(text: str) -> str:
    """One paragraph per line, as the layout stage will give (roughly)."""
    blocks = re.split(r"\n\s*\n", text)
    return "\n\n".join(" ".join(block.split()) for block in blocks if block.strip())


def documents() -> dict[str, str]:
    seed = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    with BILINGUAL.open(encoding="utf-8") as handle:
        mixed = "\n\n".join(json.loads(line)["text"] for line in handle)
    return {
        "000 raw OCR es (wrapped)": clip(seed["000"]),
        "000 unwrapped es": clip(unwrap(seed["000"])),
        "003 en": clip(seed["003"]),
        "bilingual mix": clip(mixed),
    }


def timed(run: Callable[[], object], repeat: int) -> str:
    """Median and best time of `run`, each run paying for every line."""
    times = []
    for _ in range(repeat):
        language._vote.cache_clear()
        language._detect_line.cache_clear()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return f"{statistics.median(times) * 1000:5.1f} ({min(times) * 1000:4.1f})"


def speed(repeat: int) -> None:
    language.load()
    config = CleanConfig()
    print(
        f"\nspeed on ~30 KB documents in ms, profiles loaded, line caches emptied: "
        f"median (best) of {repeat}; 'cached' is a second call, 'langdetect' the lines "
        "that needed it:"
    )
    print(f"  {'document':26} {'KB':>5} {'lines':>5} {'detect_language':>16} "
          f"{'line_languages':>16} {'tag':>12} {'cached':>7} {'langdetect':>10}")  # fmt: skip
    for name, text in documents().items():
        n_lines = sum(1 for line in text.split("\n") if line.strip())
        detect = timed(partial(language.detect_language, text), repeat)
        lines = timed(partial(language.line_languages, text), repeat)
        tag = timed(partial(language.tag, text, config), repeat)
        calls = language._detect_line.cache_info().misses
        start = time.perf_counter()
        language.line_languages(text)
        cached = (time.perf_counter() - start) * 1000
        print(
            f"  {name:26} {len(text.encode()) / 1000:5.1f} {n_lines:5d} {detect:>16} "
            f"{lines:>16} {tag:>12} {cached:7.1f} {calls:10d}"
        )


def band(text: str) -> str:
    return "≥20 words" if len(WORD.findall(text)) >= 20 else "5-19 words"


def report(title: str, tags: list[str], records: list[dict[str, str]], seconds: float) -> None:
    groups: dict[tuple[str, str], list[bool]] = {}
    for lang, record in zip(tags, records, strict=True):
        key = (record["lang"], band(record["text"]))
        groups.setdefault(key, []).append(lang == record["lang"])
    print(f"  {title} ({seconds * 1000:.0f} ms for {len(records)} paragraphs)")
    for (lang, size), hits in sorted(groups.items()):
        share = sum(hits) / len(hits)
        print(f"    {lang:3} {size:10}  {share:7.2%}  ({sum(hits)}/{len(hits)})")




def plain_langdetect(text: str) -> str:
    lang, _ = language._langdetect(text)
    return lang if lang in ("es", "en") else "und"


def accuracy() -> None:
    with BILINGUAL.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    print(f"\naccuracy on {BILINGUAL.relative_to(ROOT)} (und = fr/de/it/pt):")
    texts = [r["text"] for r in records]
    rng = random.Random(0)
    noisy = [
        t if r["lang"] == "und" else ocr_noise(t, rng) for t, r in zip(texts, records, strict=True)
    ]
    runs: list[tuple[str, Callable[[], list[str]]]] = [
        ("each paragraph alone", lambda: [language.detect_language(t) for t in texts]),
        ("the file as one document", lambda: language.line_languages("\n".join(texts))),
        (
            "each alone, OCR noise on 20 % of es/en words, accents off half",
            lambda: [language.detect_language(t) for t in noisy],
        ),
        ("plain langdetect, each alone", lambda: [plain_langdetect(t) for t in texts]),
    ]
    for title, run in runs:
        language._vote.cache_clear()
        language._detect_line.cache_clear()
        start = time.perf_counter()
        tags = run()
        report(title, tags, records, time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per timing (default 7)")
    args = parser.parse_args()
    cold_start(args.repeat)
    speed(args.repeat)
    accuracy()


if __name__ == "__main__":
    main()
