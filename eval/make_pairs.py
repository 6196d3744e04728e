#!/usr/bin/env python3
"""Turn eval/sources/ into OCR noisy/gold pairs with the shared ocrgen tool.

    python eval/make_pairs.py [--split dev|heldout|heldout2|train ...] [--ocrgen PATH]
                              [--score PATH] [--jobs N] [--dry-run | --check]

Each source file (one paragraph per line) is cut into chunks of about 4.5 KB at
paragraph boundaries, because tesseract gets slow and unreliable on very tall
pages. Every chunk is rendered and read back by ocrgen.py, which writes
eval/pairs/<split>/<lang>/<name>.gold.txt and .noisy.txt. eval/pairs/manifest.json
lists every pair with its source, the exact ocrgen arguments and its WER before
repair (score.py with OUTPUT = NOISY).

The pairs are committed, so tests and eval/run.py never need tesseract. Rerun
this only when the sources change. Without --split it rewrites eval/pairs/
completely; with --split it rewrites only the pairs of the splits named and
keeps every other split's files and manifest entries exactly as they are.

Splits: dev (tuning), heldout and heldout2 (reporting only; heldout2 is the
larger second held-out set) and train (only for learning the confusion
tables; run.py does not score it by default).
"""
from __future__ import annotations

import argparse
import concurrent.futures
import importlib.util
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

EVAL = pathlib.Path(__file__).resolve().parent
REPO = EVAL.parent
SOURCES = EVAL / "sources"
PAIRS = EVAL / "pairs"
SPLITS = ("dev", "heldout", "heldout2", "train")

TARGET_CHUNK = 4500   # bytes of clean text per page
MAX_CHUNK = 6000
MIN_TAIL = 1500       # a smaller last piece is folded into the previous chunk

# OCR settings, cycled per (split, language) in chunk order, so each set sees
# every setting and a rerun chooses exactly the same ones.
#
# Spanish is always read with the English model, as in seed 000: that is what
# produces nifios/afios/explotacién. Fonts, sizes 14-18 and blur 0.4-0.8 are
# interleaved so that no font is tied to one size or one blur.
SETTINGS = {
    "es": [
        ("serif", 14, 0.8), ("sans", 15, 0.5), ("dejavu", 16, 0.7),
        ("serif", 17, 0.4), ("sans", 18, 0.6), ("dejavu", 14, 0.5),
        ("serif", 15, 0.7), ("sans", 16, 0.4), ("dejavu", 17, 0.6),
        ("serif", 18, 0.8), ("sans", 14, 0.7), ("dejavu", 15, 0.4),
        ("serif", 16, 0.6), ("sans", 17, 0.8), ("dejavu", 18, 0.5),
    ],
    # English text read by the English model is nearly perfect at readable
    # sizes, so these are small and blurred, chosen on a 3.9 KB sample of seed
    # 003 to land at 3-8 % word errors (measured: 5.8, 3.3, 2.9, 6.6, 3.7,
    # 3.1 %). Small sizes are erratic from page to page: serif 12 at blur 0.7
    # gave 1.7 % on one chunk and 16.5 % (words run together) on another, so
    # serif 12 uses blur 0.6 (2.2-8.1 % on five chunks). DejaVu has a cliff:
    # 10 pt at blur 0.8 gave 20 % and 11 pt at blur 1.0 gave 96 %, so it stays
    # well below that.
    "en": [
        ("sans", 12, 0.7), ("serif", 12, 0.6), ("dejavu", 10, 0.6),
        ("sans", 12, 0.8), ("serif", 13, 0.8), ("dejavu", 11, 0.9),
    ],
}

# Sources added to a split after its pages were first made. They come after
# that split's other sources (in this order), whatever their names, so that
# adding text never moves the OCR settings of the pages already made: settings
# are cycled in chunk order.
SOURCES_LATER = {
    "train": [
        "installation-guide-es", "debian-history-es", "lilypond-doc-es",
        "apt-doc-es", "maint-guide-es",
        "installation-guide-en", "debian-faq", "debian-history-en",
        "apt-doc-en", "maint-guide-en",
    ],
}

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")


def split_long(paragraph: str) -> list[str]:
    """Cut a paragraph longer than MAX_CHUNK at sentence ends (rare: only a
    few report paragraphs come near it)."""
    if len(paragraph.encode("utf-8")) <= MAX_CHUNK:
        return [paragraph]
    pieces, cur = [], ""
    for sentence in SENTENCE_END.split(paragraph):
        if cur and len((cur + " " + sentence).encode("utf-8")) > TARGET_CHUNK:
            pieces.append(cur)
            cur = sentence
        else:
            cur = f"{cur} {sentence}" if cur else sentence
    return pieces + [cur] if cur else pieces


def chunk(paragraphs: list[str]) -> list[tuple[int, int]]:
    """Greedy paragraph ranges [start, end) of about TARGET_CHUNK bytes."""
    ranges, start, size = [], 0, 0
    for i, p in enumerate(paragraphs):
        n = len(p.encode("utf-8")) + 1
        if size and size + n > MAX_CHUNK:
            ranges.append((start, i))
            start, size = i, 0
        size += n
        if size >= TARGET_CHUNK:
            ranges.append((start, i + 1))
            start, size = i + 1, 0
    if start < len(paragraphs):
        if ranges and size < MIN_TAIL:
            ranges[-1] = (ranges[-1][0], len(paragraphs))
        else:
            ranges.append((start, len(paragraphs)))
    return ranges


def source_files(split: str, lang: str) -> list[pathlib.Path]:
    """The sources of one set in planning order: by name, then those of
    SOURCES_LATER in its order."""
    later = SOURCES_LATER.get(split, [])
    return sorted((SOURCES / split / lang).glob("*.txt"),
                  key=lambda p: (p.stem in later,
                                 later.index(p.stem) if p.stem in later else 0, p.name))


def plan(splits=SPLITS):
    """Every chunk to render, in a fixed order, with its ocrgen arguments.
    Settings are cycled per (split, language), so one split's chunks get the
    same settings whether or not the other splits are planned too."""
    jobs = []
    for split in (s for s in SPLITS if s in splits):
        for lang in ("es", "en"):
            n = 0
            for src in source_files(split, lang):
                paragraphs = []
                for line in src.read_text(encoding="utf-8").splitlines():
                    paragraphs += split_long(line) if line.strip() else []
                for k, (a, b) in enumerate(chunk(paragraphs)):
                    font, size, blur = SETTINGS[lang][n % len(SETTINGS[lang])]
                    n += 1
                    jobs.append({
                        "split": split,
                        "lang": lang,
                        "name": f"{src.stem}-{k:02d}",
                        "source": src.relative_to(REPO).as_posix(),
                        # Line range [a, b) of the source; the same as its
                        # paragraphs while no paragraph exceeds MAX_CHUNK.
                        "paragraphs": [a, b],
                        "text": "\n".join(paragraphs[a:b]) + "\n",
                        "ocrgen_args": ["--lang", "eng", "--font", font,
                                        "--size", str(size), "--blur", str(blur)],
                    })
    return jobs


def render(job, ocrgen, score, tmp):
    outdir = PAIRS / job["split"] / job["lang"]
    clean = pathlib.Path(tmp) / f"{job['split']}-{job['lang']}" / f"{job['name']}.txt"
    clean.parent.mkdir(parents=True, exist_ok=True)
    clean.write_text(job["text"], encoding="utf-8")
    # One tesseract thread per process: we already run one process per core,
    # and OpenMP inside tesseract would only oversubscribe them.
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    subprocess.run([sys.executable, str(ocrgen), str(clean), str(outdir),
                    *job["ocrgen_args"]], check=True, env=env)
    gold = outdir / f"{job['name']}.gold.txt"
    noisy = outdir / f"{job['name']}.noisy.txt"
    out = subprocess.run([sys.executable, str(score), str(gold), str(noisy),
                          str(noisy), "--json"],
                         check=True, capture_output=True, text=True, encoding="utf-8")
    result = json.loads(out.stdout)
    entry = {k: v for k, v in job.items() if k != "text"}
    entry.update({
        "gold": gold.relative_to(REPO).as_posix(),
        "noisy": noisy.relative_to(REPO).as_posix(),
        "gold_bytes": len(gold.read_bytes()),
        "gold_words": result["gold_words"],
        "wer_before": result["wer_before"],
    })
    return entry


def check(jobs, ocrgen, splits=SPLITS) -> int:
    """Do the committed pairs still come from the current sources? Renders
    each chunk's gold with ocrgen's own wrapping (not its OCR) and compares."""
    spec = importlib.util.spec_from_file_location("ocrgen", ocrgen)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    with open(PAIRS / "manifest.json", encoding="utf-8") as f:
        listed = {(e["split"], e["lang"], e["name"]): e for e in json.load(f)["pairs"]
                  if e["split"] in splits}
    stale = []
    for job in jobs:
        entry = listed.pop((job["split"], job["lang"], job["name"]), None)
        font, size, blur = job["ocrgen_args"][3], int(job["ocrgen_args"][5]), \
            float(job["ocrgen_args"][7])
        _, gold = tool.render(job["text"], font, size, blur)
        if (entry is None or entry["ocrgen_args"] != job["ocrgen_args"]
                or (REPO / entry["gold"]).read_text(encoding="utf-8") != gold
                or not (REPO / entry["noisy"]).is_file()):
            stale.append(job["name"])
    stale += [key[2] for key in listed]  # pairs whose chunk no longer exists
    for name in stale:
        print(f"stale: {name}")
    print(f"{len(jobs) - len(stale)} pairs up to date, {len(stale)} stale")
    return 1 if stale else 0


def tesseract_version() -> str:
    out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True,
                         check=False)
    return (out.stdout or out.stderr).splitlines()[0].strip()


def main(argv=None) -> int:
    tools = REPO.parent / "shared" / "tools"
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ocrgen", type=pathlib.Path, default=tools / "ocrgen.py")
    ap.add_argument("--score", type=pathlib.Path, default=tools / "score.py")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--dry-run", action="store_true",
                    help="list the chunks and their settings, render nothing")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 unless the committed pairs match the sources "
                         "(compares gold text and settings; needs no tesseract)")
    ap.add_argument("--split", action="append", choices=SPLITS,
                    help="only this split (repeatable; default: all). The other "
                         "splits' pairs and manifest entries are kept as they are")
    a = ap.parse_args(argv)

    splits = tuple(s for s in SPLITS if s in (a.split or SPLITS))
    jobs = plan(splits)
    if a.check:
        return check(jobs, a.ocrgen, splits)
    if a.dry_run:
        for j in jobs:
            print(j["split"], j["lang"], j["name"], len(j["text"].encode("utf-8")),
                  " ".join(j["ocrgen_args"]))
        return 0
    kept, version = [], tesseract_version()
    if a.split:
        # Keep the other splits byte for byte: their files stay, and so do
        # their manifest entries, in the manifest's split order.
        with open(PAIRS / "manifest.json", encoding="utf-8") as f:
            old = json.load(f)
        kept = [e for e in old["pairs"] if e["split"] not in splits]
        if old["tesseract"] != version:
            print(f"warning: the kept pairs were made with {old['tesseract']}, "
                  f"these with {version}; the manifest records only the latter",
                  file=sys.stderr)
        for split in splits:
            shutil.rmtree(PAIRS / split, ignore_errors=True)
    else:
        # Start from nothing so that a changed chunking leaves no stale pair behind.
        shutil.rmtree(PAIRS, ignore_errors=True)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, \
            concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        futures = [pool.submit(render, j, a.ocrgen, a.score, tmp) for j in jobs]
        entries = []
        for f in futures:
            e = f.result()
            entries.append(e)
            flag = "  <-- outside the expected band" if (
                e["lang"] == "en" and not 0.02 <= e["wer_before"] <= 0.10
                or e["wer_before"] > 0.25) else ""
            print(f"{e['split']:9s}{e['lang']:3s}{e['name']:28s}"
                  f"{' '.join(e['ocrgen_args'][2:]):28s}{e['gold_bytes']:6d} B"
                  f"  WER {e['wer_before']:.3f}{flag}", flush=True)
    print(f"{len(entries)} pages in {time.perf_counter() - start:.0f} s "
          f"with {a.jobs} jobs", flush=True)

    order = {s: i for i, s in enumerate(SPLITS)}
    # A stable sort: each split keeps its own (chunk) order.
    entries = sorted(kept + entries, key=lambda e: order[e["split"]])
    manifest = {
        "generator": "eval/make_pairs.py",
        "ocrgen": "shared/tools/ocrgen.py",
        "tesseract": version,
        "pairs": entries,
    }
    (PAIRS / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
