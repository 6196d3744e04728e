#!/usr/bin/env python3
"""Score tipclean and two spell-checker baselines on the committed OCR pairs.

    python eval/run.py [--split dev|heldout|heldout2|train|all] [--examples N]
                       [--show-heldout-examples] [--score PATH] [--json]

For every set (split x language) listed in eval/pairs/manifest.json it prints
one row per system: WER before and after, error reduction, correct words
damaged per 1,000, words fixed, and seconds spent repairing. Figures are summed
over the pairs of a set (micro-average), using the shared score.py. Seconds
cover the repair calls only: a baseline's one-time dictionary build is left
out, while tipclean's lazy loading falls inside its first call.

Then it runs tipclean over the clean seeds 001-004 and counts how many of
their words it changed per 10,000: on clean text every change is a false
positive.

dev sets are for tuning. heldout and heldout2 sets are for reporting only:
--examples shows remaining errors on dev sets and hides held-out ones unless
--show-heldout-examples is given. train sets only feed the confusion tables
(dictionaries/tools/build_confusions.py), so "all" means dev, heldout and
heldout2; --split train scores them on request (their examples are shown
like dev's).

Baseline outputs are cached in eval/.cache/ (keyed by system, package
versions, pair and content hash) because pyspellchecker takes minutes;
tipclean is never cached, since it changes under us.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import pathlib
import sys
import time
import traceback
from collections import Counter

EVAL = pathlib.Path(__file__).resolve().parent
REPO = EVAL.parent
CACHE = EVAL / ".cache"
MANIFEST = EVAL / "pairs" / "manifest.json"
SEED_DIRS = (REPO / "seeds", REPO.parent / "shared" / "seeds")
CLEAN_SEEDS = ("001", "002", "003", "004")

sys.path.insert(0, str(EVAL))
import baselines

SYSTEMS = ("tipclean",) + baselines.SYSTEMS
NOTE = {"dev": "dev: tune on it", "heldout": "heldout: report only, never tune",
        "heldout2": "heldout2: report only, never tune",
        "train": "train: the confusion tables learn from it"}
HELDOUT = ("heldout", "heldout2")  # report only: their examples stay hidden
ALL = ("dev",) + HELDOUT  # what --split all scores, in this order


def load_score(path: pathlib.Path):
    """Import the shared score.py by file path: one scorer for everybody,
    never a copy that could drift."""
    spec = importlib.util.spec_from_file_location("tipclean_eval_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load score.py from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Unavailable(Exception):
    """A system that cannot run here (tipclean not written yet)."""


def tipclean_function():
    # Imported late on purpose: the library is being written while this
    # harness is used, and a missing or broken package must not stop the
    # baselines from being scored. The working tree's package comes first,
    # so an older installed copy is never the one measured.
    for root in (REPO / "src", REPO):
        if root.is_dir() and str(root) not in sys.path:
            sys.path.insert(0, str(root))
    try:
        import tipclean
        return tipclean.clean
    except Exception as exc:
        raise Unavailable(f"{type(exc).__name__}: {exc}") from exc


def cached_baseline(system, lang, name, text):
    """(output, seconds, from_cache). The seconds are those of the run that
    filled the cache, so the table keeps showing what the baseline costs."""
    key = hashlib.sha256(f"{baselines.version(system)}\n{lang}\n{text}"
                         .encode()).hexdigest()[:16]
    path = CACHE / system / lang / f"{name}-{key}.json"
    if path.exists():
        with open(path, encoding="utf-8") as f:
            hit = json.load(f)
        return hit["output"], hit["seconds"], True
    fix = baselines.corrector(system, lang)  # builds the dictionary once
    start = time.perf_counter()
    output = fix(text)
    seconds = time.perf_counter() - start
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"system": system, "version": baselines.version(system),
                   "pair": name, "output": output, "seconds": seconds}, f,
                  ensure_ascii=False)
    return output, seconds, False


def read(rel: str) -> str:
    with open(REPO / rel, encoding="utf-8") as f:
        return f.read()


def score_set(score, system, lang, pairs, clean=None):
    """Micro-averaged score of one system over the pairs of one set."""
    total = Counter()
    seconds, cached, outputs = 0.0, False, []
    for pair in pairs:
        gold, noisy = read(pair["gold"]), read(pair["noisy"])
        if system == "tipclean":
            start = time.perf_counter()
            out = clean(noisy)
            seconds += time.perf_counter() - start
        else:
            out, sec, hit = cached_baseline(system, lang, pair["name"], noisy)
            seconds += sec
            cached |= hit
        outputs.append((gold, out))
        r = score.score(gold, noisy, out)
        # score() rounds WER to 4 places; with fewer than 10,000 words per pair
        # wer * words still gives back the exact integer edit distance.
        assert r["gold_words"] < 10_000, pair["name"]
        total["gold_words"] += r["gold_words"]
        total["before"] += round(r["wer_before"] * r["gold_words"])
        total["after"] += round(r["wer_after"] * r["gold_words"])
        for k in ("wrong_before", "fixed", "damaged"):
            total[k] += r[k]
    words = max(total["gold_words"], 1)
    correct_before = total["gold_words"] - total["wrong_before"]
    row = {
        "system": system,
        "status": "ok",
        "gold_words": total["gold_words"],
        "wer_before": total["before"] / words,
        "wer_after": total["after"] / words,
        "error_reduction": ((total["before"] - total["after"]) / total["before"]
                            if total["before"] else 0.0),
        "damage_per_1k_correct": 1000 * total["damaged"] / max(correct_before, 1),
        "wrong_before": total["wrong_before"],
        "fixed": total["fixed"],
        "damaged": total["damaged"],
        "seconds": round(seconds, 2),
        "seconds_from_cache": cached,
    }
    return row, outputs


def lost_words(score, pairs):
    """Edit distance and gold words the OCR lost outright, summed over `pairs`.

    A gold word is lost when the alignment inserts it and neither noisy
    token beside the gap spells it together with its own gold word (as
    "ofthe" spells "of" and "the"): no token of the page stands for it, so
    no word corrector can bring it back.
    1 - lost / errors is then the best error reduction a word corrector can
    reach on the set. This reads only the noisy and gold texts, no output.
    """
    from rapidfuzz.distance import Levenshtein

    errors = lost = 0
    for pair in pairs:
        gold, noisy = score.words(read(pair["gold"])), score.words(read(pair["noisy"]))
        errors += Levenshtein.distance(noisy, gold)
        for op in Levenshtein.opcodes(noisy, gold):
            if op.tag != "insert":
                continue
            inserted = "".join(gold[op.dest_start:op.dest_end])
            # The token before the gap with its own gold word, or the one
            # after it: does it spell that word and the missing ones?
            held = (op.src_start > 0 and op.dest_start > 0 and Levenshtein.normalized_distance(
                noisy[op.src_start - 1], gold[op.dest_start - 1] + inserted) <= 1 / 3) or (
                op.src_start < len(noisy) and op.dest_end < len(gold) and Levenshtein.normalized_distance(
                    noisy[op.src_start], inserted + gold[op.dest_end]) <= 1 / 3)
            lost += 0 if held else op.dest_end - op.dest_start
    return errors, lost


def changed_words(score, clean, text):
    """Words of `text` that clean(text) does not reproduce exactly, and all its words."""
    src, hyp = score.words(text), score.words(clean(text))
    return len(src) - len(score.correct_positions(hyp, src)), len(src)


def gold_false_positives(score, clean, pairs):
    """Words tipclean changes in the gold pages themselves, clean text of the
    same sources; a change there is wrong unless it repairs a slip of the
    gold (an accent its author left out, a typo)."""
    changed = words = 0
    for pair in pairs:
        c, w = changed_words(score, clean, read(pair["gold"]))
        changed, words = changed + c, words + w
    return changed, words


def seed_false_positives(score, clean):
    """Changed words per 10,000 when tipclean runs on the clean seeds, with
    score.py's words and alignment: words of the input the output does not
    reproduce exactly."""
    seed_dir = next((d for d in SEED_DIRS if d.is_dir()), None)
    if seed_dir is None:
        return []
    rows = []
    for prefix in CLEAN_SEEDS:
        for path in sorted(seed_dir.glob(f"{prefix}_*.txt")):
            with open(path, encoding="utf-8") as f:
                text = f.read()
            start = time.perf_counter()
            changed, words = changed_words(score, clean, text)
            seconds = time.perf_counter() - start
            rows.append({"seed": path.name, "words": words, "changed": changed,
                         "per_10k": 10_000 * changed / max(words, 1),
                         "seconds": round(seconds, 2)})
    return rows


def remaining_errors(score, outputs, limit):
    counts = Counter()
    for gold, out in outputs:
        for pair, n in score.examples(gold, out, limit=10 ** 9):
            counts[pair] += n
    return counts.most_common(limit)


def fmt_row(row):
    if row.get("status") in ("n/a", "error"):
        return f"  {row['system']:15s} {row['status']} ({row['detail']})"
    star = "*" if row["seconds_from_cache"] else " "
    return (f"  {row['system']:15s}{100 * row['wer_before']:9.2f}%"
            f"{100 * row['wer_after']:9.2f}%{100 * row['error_reduction']:10.1f}%"
            f"{row['damage_per_1k_correct']:11.2f}"
            f"{row['fixed']:7d}/{row['wrong_before']:<6d}{row['seconds']:8.1f}{star}")


HEADER = (f"  {'system':15s}{'WER before':>10s}{'WER after':>10s}{'reduction':>11s}"
          f"{'damaged/1k':>11s}{'fixed/wrong':>14s}{'seconds':>8s}")


def main(argv=None) -> int:
    tools = REPO.parent / "shared" / "tools"
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        epilog="* = seconds of the run that filled eval/.cache/")
    ap.add_argument("--split", choices=ALL + ("train", "all"), default="all",
                    help="all (the default) is dev, heldout and heldout2; train "
                         "is scored only when asked for")
    ap.add_argument("--examples", type=int, default=0, metavar="N",
                    help="show tipclean's N most frequent remaining errors per dev set")
    ap.add_argument("--show-heldout-examples", action="store_true",
                    help="also show them for heldout and heldout2 sets (do not "
                         "tune on them)")
    ap.add_argument("--score", type=pathlib.Path, default=tools / "score.py",
                    help="the shared score.py (default: %(default)s)")
    ap.add_argument("--systems", default=",".join(SYSTEMS),
                    help="comma-separated subset of: " + ", ".join(SYSTEMS))
    ap.add_argument("--json", action="store_true", help="print one JSON document")
    a = ap.parse_args(argv)

    score = load_score(a.score)
    systems = [s for s in a.systems.split(",") if s]
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        ap.error(f"unknown system(s): {', '.join(sorted(unknown))}")
    with open(MANIFEST, encoding="utf-8") as f:
        manifest = json.load(f)

    clean, unavailable = None, None
    if "tipclean" in systems:
        try:
            clean = tipclean_function()
        except Unavailable as exc:
            unavailable = str(exc)

    splits = ALL if a.split == "all" else (a.split,)
    report = {"sets": [], "clean_seeds": None, "tipclean_unavailable": unavailable}
    failed = False
    for split in splits:
        for lang in ("es", "en"):
            pairs = [p for p in manifest["pairs"]
                     if p["split"] == split and p["lang"] == lang]
            if not pairs:
                continue
            result = {"split": split, "lang": lang, "pairs": len(pairs),
                      "gold_bytes": sum(p["gold_bytes"] for p in pairs),
                      "rows": [], "examples": None}
            if not a.json:
                print(f"\n== {split}/{lang}  ({NOTE[split]})  {len(pairs)} pairs, "
                      f"{sum(p['gold_words'] for p in pairs):,} gold words, "
                      f"{result['gold_bytes'] / 1000:.1f} KB")
                print(HEADER)
            for system in systems:
                if system == "tipclean" and clean is None:
                    row = {"system": system, "status": "n/a",
                           "detail": f"tipclean not importable: {unavailable}"}
                    outputs = None
                else:
                    try:
                        row, outputs = score_set(score, system, lang, pairs, clean)
                    except (ImportError, importlib.metadata.PackageNotFoundError) as exc:
                        # A baseline's package is an extra, not a dependency of tipclean.
                        missing = getattr(exc, "name", None) or str(exc)
                        row = {"system": system, "status": "n/a",
                               "detail": f"{missing} is not installed: pip install '.[eval]'"}
                        outputs = None
                    except Exception as exc:  # noqa: BLE001 - report it, score the others
                        failed = True
                        traceback.print_exc(file=sys.stderr)
                        row = {"system": system, "status": "error",
                               "detail": f"{type(exc).__name__}: {exc}"}
                        outputs = None
                result["rows"].append(row)
                if not a.json:
                    print(fmt_row(row), flush=True)
                show = split not in HELDOUT or a.show_heldout_examples
                if system == "tipclean" and outputs and a.examples and show:
                    result["examples"] = [
                        {"output": o, "gold": g, "count": n}
                        for (o, g), n in remaining_errors(score, outputs, a.examples)]
            if clean is not None and "tipclean" in systems:
                changed, words = gold_false_positives(score, clean, pairs)
                result["gold_changed"] = changed
                if not a.json:
                    print(f"  the gold pages as input: tipclean changes {changed} of their {words:,} words "
                          f"({10_000 * changed / max(words, 1):.1f} per 10k)")
            errors, lost = lost_words(score, pairs)
            result["lost_words"] = lost
            result["reduction_ceiling"] = 1 - lost / errors if errors else 1.0
            if not a.json:
                print(f"  the OCR lost {lost} of the {errors} word errors outright: "
                      f"no word corrector removes more than {100 * result['reduction_ceiling']:.1f} %")
            if not a.json and result["examples"] is not None:
                print("  tipclean's most frequent remaining errors (output -> gold):")
                for ex in result["examples"]:
                    print(f"    {ex['count']:4d}  {ex['output']!r} -> {ex['gold']!r}")
            elif not a.json and a.examples and split in HELDOUT and clean:
                print(f"  (examples hidden on {split}; --show-heldout-examples to see)")
            report["sets"].append(result)

    if clean is not None:
        try:
            report["clean_seeds"] = seed_false_positives(score, clean)
        except Exception:  # noqa: BLE001 - the tables above still stand
            failed = True
            traceback.print_exc(file=sys.stderr)
        if not a.json and report["clean_seeds"] == []:
            print("\n== clean seeds: none found in " + " or ".join(map(str, SEED_DIRS)))
        elif not a.json and report["clean_seeds"] is not None:
            print("\n== clean seeds: words tipclean changed (every change is wrong)")
            for r in report["clean_seeds"]:
                print(f"  {r['seed']:28s}{r['words']:7d} words{r['changed']:6d} changed"
                      f"{r['per_10k']:8.1f} per 10k{r['seconds']:7.1f} s")
    elif not a.json and "tipclean" in systems:
        print(f"\n== clean seeds: n/a (tipclean not importable: {unavailable})")

    if a.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
