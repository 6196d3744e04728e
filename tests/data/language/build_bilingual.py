"""Build ``bilingual.jsonl``, the per-paragraph test set of the language tagger.

The sources are Debian packages; none of them feeds the seeds or ``eval/``:

- debian-reference-{en,es,fr,de,it,pt} 2.100 (GPL-2+): one HTML book in six
  languages. The Spanish translation is aligned with the English original
  paragraph for paragraph, so a "Spanish" paragraph that is the English one
  (or mostly its words) was left untranslated and is dropped rather than
  mislabelled. The other translations are not aligned; a paragraph of theirs
  is kept when at most 30 % of its words occur anywhere in the English book.
  A paragraph number is used once across languages, so the file holds no
  translation pairs.
- fortunes-es 1.36 (GPL-2+) and fortunes 1:1.99.1-7.3 (BSD; quotations):
  short sentences, of which the book has too few. Offensive sections are
  not used.

Only prose is kept: no paragraph with commands, paths, quotes, options or
many numbers. Each record is ``{"lang", "text", "source"}``, where ``lang``
is "es", "en" or "und" (French, German, Italian and Portuguese). Records come
in runs of one to four of the same language in random order, so the file
read as one document switches language far more often than a report does.

Rebuild (the output is the same on every run)::

    apt-get install debian-reference-es debian-reference-en debian-reference-fr \\
        debian-reference-de debian-reference-it debian-reference-pt fortunes-es fortunes
    python tests/data/language/build_bilingual.py

``--dev PATH`` writes a half-size tuning set that shares no paragraph with
the test file, so that the thresholds of tipclean/language.py are chosen on
text the tests do not score.
"""

from __future__ import annotations

import json
import random
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import regex

REFERENCE = Path("/usr/share/debian-reference")
FORTUNES = Path("/usr/share/games/fortunes")
OUT = Path(__file__).with_name("bilingual.jsonl")
CHAPTERS = ["pr01", *(f"ch{i:02d}" for i in range(1, 13)), "apa"]
LANGS = ("es", "en", "fr", "de", "it", "pt")

FORTUNES_ES = [
    "amistad", "arte", "ciencia", "famosos", "filosofia", "humanos", "libertad",
    "poder", "proverbios", "refranes", "sabiduria", "sentimientos", "verdad", "vida",
]  # fmt: skip
FORTUNES_EN = [
    "computers", "education", "literature", "people", "platitudes", "science", "wisdom", "work",
]  # fmt: skip

LONG, SHORT = 20, 5
"""Bands: paragraphs of LONG words or more, and lines of SHORT to LONG - 1 words."""
N_LONG = {"es": 250, "en": 250, "fr": 10, "de": 10, "it": 8, "pt": 8}
N_SHORT_REFERENCE = {"es": 150, "en": 150, "fr": 6, "de": 6, "it": 5, "pt": 5}
N_SHORT_FORTUNES = {"es": 150, "en": 150}

WORD = regex.compile(r"\p{L}+")
CODE = re.compile(r"[/_=<>{}$|\\@#*%]|--|\w\.\w|\(\d\)")


class _Paragraphs(HTMLParser):
    """The text of every ``<p>`` element, whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.buf: list[str] = []
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self.depth += 1
            self.buf = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self.depth:
            self.depth -= 1
            self.out.append(" ".join("".join(self.buf).split()))

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.buf.append(data)


def reference(lang: str) -> list[str]:
    out: list[str] = []
    for chapter in CHAPTERS:
        parser = _Paragraphs()
        parser.feed((REFERENCE / f"{chapter}.{lang}.html").read_text(encoding="utf-8"))
        out.extend(parser.out)
    return out


def n_words(text: str) -> int:
    return len(WORD.findall(text))


def prose(text: str) -> bool:
    """Mostly words: commands, paths and option lists are not what we tag."""
    tokens = text.split()
    if not tokens:
        return False
    code = sum(1 for t in tokens if CODE.search(t) or any(c.isdigit() for c in t))
    return code <= 0.1 * len(tokens) and "«" not in text and '"' not in text


def translated(text: str, original: str) -> bool:
    """The aligned Spanish paragraph is not the English one left as it was."""
    if text == original:
        return False
    mine = [w.lower() for w in WORD.findall(text) if len(w) > 2]
    theirs = {w.lower() for w in WORD.findall(original)}
    return bool(mine) and sum(w in theirs for w in mine) <= 0.3 * len(mine)


def foreign(text: str, english: set[str]) -> bool:
    """Not left in English (for the translations that are not aligned)."""
    mine = [w.lower() for w in WORD.findall(text) if len(w) > 2]
    return bool(mine) and sum(w in english for w in mine) <= 0.3 * len(mine)


def fortunes(files: list[Path]) -> list[tuple[str, str]]:
    """(text, source) of the one-paragraph cookies of SHORT to LONG - 1 words."""
    out: list[tuple[str, str]] = []
    for path in files:
        folder = "fortunes" if path.parent == FORTUNES else path.parent.name
        for cookie in path.read_text(encoding="utf-8").split("\n%\n"):
            body: list[str] = []
            for line in cookie.split("\n"):
                if line.lstrip().startswith("--"):
                    break  # the attribution
                if line[:1].isspace() or ":" in line or '"' in line:
                    body = []  # verse, dialogue or quotation
                    break
                body.append(line)
            text = " ".join(" ".join(body).split())
            if text and SHORT <= n_words(text) < LONG and not any(c.isdigit() for c in text):
                out.append((text, f"{folder}/{path.name}"))
    return out


def main(argv: list[str]) -> None:
    out = OUT
    rng = random.Random(20240601)
    exclude: set[str] = set()
    scale = 1.0
    if argv[:1] == ["--dev"]:
        out = Path(argv[1])
        rng = random.Random(7)
        scale = 0.5
        with OUT.open(encoding="utf-8") as handle:
            exclude = {json.loads(line)["text"] for line in handle}

    english = reference("en")
    vocabulary = {w.lower() for p in english for w in WORD.findall(p)}
    used: set[int] = set()
    picked: list[dict[str, str]] = []

    def take(
        lang: str, paras: list[str], order: list[int], band: tuple[int, int], count: int
    ) -> None:
        chosen = 0
        for i in order:
            if chosen == count:
                break
            text = paras[i]
            if i in used or text in exclude or not prose(text):
                continue
            if not band[0] <= n_words(text) < band[1]:
                continue
            if lang == "es" and not translated(text, english[i]):
                continue
            if lang not in ("es", "en") and not foreign(text, vocabulary):
                continue
            used.add(i)
            chosen += 1
            tag = lang if lang in ("es", "en") else "und"
            picked.append({"lang": tag, "text": text, "source": f"debian-reference-{lang} #{i}"})
        if chosen < count:
            raise SystemExit(f"only {chosen} {lang} paragraphs of {band} words")

    order = list(range(len(english)))
    for lang in LANGS:
        paras = english if lang == "en" else reference(lang)
        if lang == "es" and len(paras) != len(english):
            raise SystemExit("debian-reference-es is no longer aligned with the English original")
        rng.shuffle(order)
        take(lang, paras, order, (LONG, 10**6), round(N_LONG[lang] * scale))
        take(lang, paras, order, (SHORT, LONG), round(N_SHORT_REFERENCE[lang] * scale))

    pools = {
        "es": fortunes([FORTUNES / "es" / f"{name}.fortunes" for name in FORTUNES_ES]),
        "en": fortunes([FORTUNES / name for name in FORTUNES_EN]),
    }
    for lang, count in N_SHORT_FORTUNES.items():
        seen: set[str] = set()
        unique: list[tuple[str, str]] = []
        for text, source in pools[lang]:
            if text not in exclude and text not in seen:
                seen.add(text)
                unique.append((text, source))
        for text, source in rng.sample(unique, round(count * scale)):
            picked.append({"lang": lang, "text": text, "source": f"fortunes {source}"})

    by_lang: dict[str, list[dict[str, str]]] = {}
    for record in picked:
        by_lang.setdefault(record["lang"], []).append(record)
    runs: list[list[dict[str, str]]] = []
    for records in by_lang.values():
        rng.shuffle(records)
    for records in by_lang.values():
        while records:
            size = rng.randint(1, 4)
            runs.append(records[:size])
            del records[:size]
    rng.shuffle(runs)
    with out.open("w", encoding="utf-8") as handle:
        for run in runs:
            for record in run:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")

    counts: dict[str, int] = {}
    for record in picked:
        key = f"{record['lang']}/{'long' if n_words(record['text']) >= LONG else 'short'}"
        counts[key] = counts.get(key, 0) + 1
    print(out, dict(sorted(counts.items())))


if __name__ == "__main__":
    main(sys.argv[1:])
