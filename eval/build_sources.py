#!/usr/bin/env python3
"""Rebuild eval/sources/ from the seeds and from installed Debian documentation.

    apt-get install debian-edu-doc-es debian-handbook
    python eval/build_sources.py [--seeds DIR]

Writes one plain UTF-8 file per source, one paragraph per line. The output is
committed, so this script only documents (and can redo) how it was made; the
exact package versions used are recorded in eval/README.md. Running it against
other package versions gives different text, and then the pairs must be rebuilt
too (eval/make_pairs.py).
"""
from __future__ import annotations

import argparse
import html.parser
import pathlib
import re
import unicodedata

EVAL = pathlib.Path(__file__).resolve().parent
REPO = EVAL.parent

HANDBOOK = pathlib.Path("/usr/share/doc/debian-handbook/html")
EDU_MANUAL = pathlib.Path(
    "/usr/share/doc/debian-edu-doc-es/debian-edu-bookworm-manual.html")

# Heldout Spanish and heldout English both come from the Debian Administrator's
# Handbook, but from different chapters, so the two languages are not
# translations of each other: the preface and chapter 1 for Spanish, the
# security chapter and appendix B for English.
HANDBOOK_ES_FILES = [
    "preface.html", "foreword.html", "sect.who-is-this-book-for.html",
    "sect.selected-approach.html", "sect.book-structure.html",
    "sect.acknowledgments.html", "the-debian-project.html",
    "sect.foundation-documents.html", "sect.debian-internals.html",
    "sect.follow-debian-news.html", "sect.role-of-distributions.html",
    "sect.release-lifecycle.html",
]
HANDBOOK_EN_FILES = [
    "security.html", "sect.firewall-packet-filtering.html",
    "sect.supervision.html", "sect.other-security-considerations.html",
    "sect.dealing-with-compromised-machine.html",
    "short-remedial-course.html", "sect.computer-layers.html",
    "sect.kernel-role-and-tasks.html", "sect.user-space.html",
]

# Budgets in characters of paragraph text: enough for ~40 KB of gold per split
# and language once the seed text is added.
BUDGET_HANDBOOK = 36_000
BUDGET_EDU = 30_000

# Markup that means "this is a command, a path or an identifier": a paragraph
# holding any of it is not running prose, and OCR repair of code is out of scope.
CODE_TAGS = {"code", "pre", "tt", "kbd", "samp", "table"}
CODE_CLASSES = {
    "command", "filename", "literal", "replaceable", "userinput",
    "computeroutput", "varname", "option", "systemitem", "programlisting",
    "screen", "email", "uri", "ulink", "package", "guimenu", "guimenuitem",
    "guibutton", "guilabel", "keycap", "menuchoice", "footnote",
}

# Tiny stopword lists are enough to tell the two languages apart on whole
# paragraphs; they are used to drop the untranslated English paragraphs that
# both Spanish manuals contain.
STOP = {
    "es": {"el", "la", "los", "las", "de", "que", "y", "en", "un", "una", "es",
           "por", "con", "para", "del", "al", "se", "no", "su", "sus", "como",
           "más", "pero", "lo", "este", "esta"},
    "en": {"the", "of", "and", "to", "in", "is", "that", "for", "it", "with", "as",
           "are", "be", "this", "by", "on", "or", "not", "an", "which", "from"},
}


class ParagraphParser(html.parser.HTMLParser):
    """Collects the text of each paragraph element and whether it holds code."""

    def __init__(self, is_paragraph):
        super().__init__(convert_charrefs=True)
        self.is_paragraph = is_paragraph
        self.stack: list[str] = []
        self.parts: list[str] | None = None
        self.codey = False
        self.paragraphs: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        if self.parts is None:
            if self.is_paragraph(tag, classes):
                self.parts, self.codey, self.stack = [], False, [tag]
            return
        if tag in ("br", "img", "hr", "meta", "link"):
            return  # void elements never get an end tag
        self.stack.append(tag)
        if tag in CODE_TAGS or classes & CODE_CLASSES:
            self.codey = True

    def handle_endtag(self, tag):
        if self.parts is None or tag in ("br", "img", "hr", "meta", "link"):
            return
        self.stack.pop()
        if not self.stack:
            text = " ".join("".join(self.parts).split())
            self.paragraphs.append((text, self.codey))
            self.parts = None

    def handle_data(self, data):
        if self.parts is not None:
            self.parts.append(data)


def is_prose(text: str, lang: str) -> bool:
    """A long, link-free paragraph clearly in `lang`."""
    if len(text) < 200 or re.search(r"https?:|www\.|@|[/\\_{}$=<>|`]", text):
        return False
    words = re.findall(r"\w+", text.lower())
    mine = sum(w in STOP[lang] for w in words)
    other = sum(w in STOP["en" if lang == "es" else "es"] for w in words)
    return mine >= 2 * other + 3


def tidy(text: str) -> str:
    # Footnote calls like [3] are not text a reader would see in a printed report.
    text = re.sub(r"\s*\[\d+\]", "", text)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def html_paragraphs(path, is_paragraph, lang):
    parser = ParagraphParser(is_paragraph)
    parser.feed(path.read_text(encoding="utf-8"))
    for text, codey in parser.paragraphs:
        text = tidy(text)
        if not codey and is_prose(text, lang):
            yield text


def take(paragraphs, budget):
    out, size = [], 0
    for p in paragraphs:
        if size >= budget:
            break
        if p not in out:  # manuals repeat notes verbatim; a repeat adds nothing
            out.append(p)
            size += len(p) + 1
    return out


def handbook(lang, files):
    root = HANDBOOK / ("es-ES" if lang == "es" else "en-US")

    def para(tag, classes):
        return tag == "div" and "para" in classes

    def gen():
        for name in files:
            yield from html_paragraphs(root / name, para, lang)

    return take(gen(), BUDGET_HANDBOOK)


def edu_manual():
    def para(tag, classes):
        return tag == "p" and not classes

    return take(html_paragraphs(EDU_MANUAL, para, "es"), BUDGET_EDU)


# --- seeds -----------------------------------------------------------------

def unwrap_hard_wrapped(text: str) -> list[str]:
    """Join the lines of seed 001 (a PDF dump: one line, one blank line) back
    into paragraphs. A line closes a paragraph when it ends a sentence and the
    next line starts with a capital, or when it is a short heading."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    paras, cur = [], []
    for i, line in enumerate(lines):
        cur.append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        sentence_end = re.search(r"[.:!?]$", line) and nxt[:1].isupper()
        heading = len(line) < 40 and not re.search(r"[.,;]$", line)
        if not nxt or sentence_end or heading:
            paras.append(tidy(" ".join(cur)))
            cur = []
    return paras


# Page furniture of the scraped seeds (002 is a news site, 004 a Wikipedia
# mirror): not part of the report text.
SEED_DROP = {
    "64", "Brown Wooden Table Inside the Building | Pexels by Laura Musikanski",
    "Regional Affairs", "LETTER TO THE EDITOR",
    "Have a concern or an opinion about this story? Click below to share your thoughts.",
    "Send a Letter",
}
SEED_STOP = ("Original source can be found here.", "See also", "References",
             "This article is issued from Wikipedia")


def seed_paragraphs(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = line.strip().lstrip("•").strip()
        if line.startswith(SEED_STOP):
            break
        if line and line not in SEED_DROP:
            out.append(tidy(line))
    return out


def split_at(paragraphs, fraction):
    """Cut a paragraph list at the paragraph boundary nearest `fraction` of its
    characters, so dev and heldout never share a paragraph."""
    total = sum(len(p) + 1 for p in paragraphs)
    size = 0
    for i, p in enumerate(paragraphs):
        size += len(p) + 1
        if size >= fraction * total:
            return paragraphs[: i + 1], paragraphs[i + 1:]
    return paragraphs, []


def write(rel, paragraphs):
    path = EVAL / "sources" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    print(f"{rel:45s} {len(paragraphs):4d} paragraphs "
          f"{len(path.read_bytes()):7d} bytes")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=pathlib.Path, default=None,
                    help="seed folder (default: repo seeds/ or ../shared/seeds)")
    a = ap.parse_args()
    seeds = a.seeds or next(p for p in (REPO / "seeds", REPO.parent / "shared" / "seeds")
                            if p.is_dir())

    def seed(prefix):
        return next(seeds.glob(prefix + "_*.txt")).read_text(encoding="utf-8")

    es_dev, es_held = split_at(unwrap_hard_wrapped(seed("001")), 0.6)
    write("dev/es/seed001-a.txt", es_dev)
    write("heldout/es/seed001-b.txt", es_held)
    write("dev/es/debian-edu-manual.txt", edu_manual())
    write("heldout/es/debian-handbook-es.txt", handbook("es", HANDBOOK_ES_FILES))
    write("dev/en/seed002.txt", seed_paragraphs(seed("002")))
    write("dev/en/seed003.txt", seed_paragraphs(seed("003")))
    write("heldout/en/seed004.txt", seed_paragraphs(seed("004")))
    write("heldout/en/debian-handbook-en.txt", handbook("en", HANDBOOK_EN_FILES))


if __name__ == "__main__":
    main()
