#!/usr/bin/env python3
"""Speed and memory of tipclean against its anchors, in one run.

    python benchmarks/run.py [--runs N] [--quick]

Prints, side by side:

- cold start: wall time of ``python -m tipclean`` on a 30 KB OCR-noisy
  Spanish file (seed 000) against ``python -c pass`` and
  ``python -c "import ftfy"`` (median of N runs), with peak RSS;
- warm throughput (MB/s) of ``tipclean.clean`` on clean text against
  ``ftfy.fix_text``, and on OCR-noisy text against symspellpy's per-word
  ``lookup`` (with and without loading its dictionary);
- growth: time for 1x, 10x and 100x a seed (``--quick`` stops at 10x).

Figures depend on the machine and its load: run on a quiet machine and
record the date and machine with them (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOISY_ES = ROOT / "seeds" / "000_a550cea61c976ffa.txt"
CLEAN_EN = ROOT / "seeds" / "003_7cbec4ab768cb28d.txt"
CLEAN_ES = ROOT / "seeds" / "001_81311d7e8b204b27.txt"


def cold(cmd: list[str], runs: int) -> tuple[float, float]:
    """Median wall seconds and peak RSS (MB) of a command, run `runs` times."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, cwd=ROOT, check=True
        )
        times.append(time.perf_counter() - start)
        peaks.append(int(proc.stderr.decode().strip().splitlines()[-1]) / 1024)
    return statistics.median(times), max(peaks)


def throughput(func, text: str, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    """Best MB/s of `func(text)` over `repeat` runs."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func(text)
        best = min(best, time.perf_counter() - start)
    return len(text.encode("utf-8")) / 1e6 / best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    py = sys.executable
    print(f"# {platform.node()} {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}")
    print(f"## cold start (median of {args.runs}), peak RSS")
    for label, cmd in [
        ("python -c pass", [py, "-c", "pass"]),
        ("python -c 'import ftfy'", [py, "-c", "import ftfy"]),
        ("python -c 'import ftfy, regex, symspellpy, langdetect'", [py, "-c", "import ftfy, regex, symspellpy, langdetect"]),
        (f"python -m tipclean {NOISY_ES.name} (30 KB, OCR-noisy es)", [py, "-m", "tipclean", str(NOISY_ES)]),
        (f"python -m tipclean {CLEAN_EN.name} (39 KB, clean en)", [py, "-m", "tipclean", str(CLEAN_EN)]),
    ]:
        seconds, peak = cold(cmd, args.runs)
        print(f"  {seconds:6.3f} s  {peak:6.1f} MB  {label}")

    import ftfy

    import tipclean

    clean_en = CLEAN_EN.read_text(encoding="utf-8")
    clean_es = CLEAN_ES.read_text(encoding="utf-8")
    noisy = NOISY_ES.read_text(encoding="utf-8")
    tipclean.clean(noisy)  # warm: dictionaries loaded, caches filled
    print("## warm throughput (MB/s, best of 3)")
    for label, text in [("clean en (seed 003)", clean_en), ("clean es (seed 001)", clean_es)]:
        print(f"  {label:22s} tipclean {throughput(tipclean.clean, text):6.2f}   ftfy.fix_text {throughput(ftfy.fix_text, text):6.2f}")

    import regex
    from symspellpy import SymSpell, Verbosity

    def symspell_words(text: str, sym: SymSpell) -> str:
        return regex.sub(
            r"\p{L}+", lambda m: (sym.lookup(m.group(), Verbosity.TOP, 2, transfer_casing=True) or [m])[0].term
            if not isinstance((sym.lookup(m.group(), Verbosity.TOP, 2) or [None])[0], type(None)) else m.group(), text
        )

    start = time.perf_counter()
    sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    from importlib import resources

    with resources.files("symspellpy").joinpath("frequency_dictionary_en_82_765.txt").open(encoding="utf-8") as fh:
        sym.load_dictionary(fh, 0, 1)  # type: ignore[arg-type]
    load = time.perf_counter() - start
    start = time.perf_counter()
    symspell_words(noisy, sym)
    run = time.perf_counter() - start
    size = len(noisy.encode("utf-8")) / 1e6
    tipclean.spelling.candidates.cache_clear()
    print(f"  {'noisy es (seed 000)':22s} tipclean {throughput(tipclean.clean, noisy, 1):6.2f}   "
          f"symspellpy lookup {size / run:6.2f} (with its {load:.1f} s dictionary load: {size / (run + load):6.2f})")

    print("## growth (seconds, warm)")
    for factor in (1, 10) if args.quick else (1, 10, 100):
        text = noisy * factor
        start = time.perf_counter()
        tipclean.clean(text)
        print(f"  {factor:4d}x seed 000 ({len(text) // 1024} KB): {time.perf_counter() - start:7.3f} s")
    print(f"## peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
