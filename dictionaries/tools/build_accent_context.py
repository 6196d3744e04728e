#!/usr/bin/env python3
"""Learn which neighbours tell a Spanish word from its accented twin ("esta"/"está").

    python dictionaries/tools/build_accent_context.py           # rewrites dictionaries/accent-context-es.tsv
    python dictionaries/tools/build_accent_context.py --check   # exit 1 if it is stale

An English OCR model drops Spanish accents, and where both spellings are
words ("esta" and "está", "si" and "sí", "como" and "cómo", "ano" and
"año") only the neighbours say which one the page had: "esta opción",
"está instalado", "está en". This script counts, in clean Spanish text, the
word before and the word after each form of such pairs, and the last three
letters of the word after (a suffix stands for words the text never used
beside the form: "-ado" after "está", "-ión" after "esta").

The text is human-written Spanish that no evaluation split uses:

- the Spanish translations of Debian's package descriptions (the DDTP's
  ``Translation-es``, fetched by ``apt-get -o Acquire::Languages=es update``);
- the Spanish message catalogues (``/usr/share/locale/es/LC_MESSAGES/*.mo``)
  of the command-line packages in ``PACKAGES``. Desktop and help packages
  (GNOME, LibreOffice, yelp) are left out: the heldout2 split is made of
  their help pages.

Pairs are those of tipclean's Spanish lexicon (``dictionaries/es.txt``): a
plain form and an accented form of the same letters, both in the lexicon.
A pair is kept when the text uses each form at least ``MIN_FORM`` times; a
neighbour when the text shows it beside the pair at least ``MIN_FEATURE``
times. Accents that are optional ("sólo", "éste") are no pair. One line a pair
and neighbour: ``plain<TAB>accented<TAB>feature<TAB>plain count<TAB>accented count``,
where the feature is ``*`` (every occurrence), ``<word`` (the word before),
``>word`` (the word after), ``~abc`` (the word after ends in "abc") or a
mark (``>.``, ``<,``; ``^`` and ``$`` are the line's ends).

Build-time needs: apt (apt-helper), dpkg, the packages below, regex.
Output is deterministic for the same package versions (printed).
"""

from __future__ import annotations

import argparse
import gettext
import subprocess
import sys
from collections import Counter
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tipclean import lexicon
from tipclean.accents import pieces
from tipclean.channel import strip_accents
from tipclean.spelling import accent_forms

OUT = ROOT / "dictionaries" / "accent-context-es.tsv"
LISTS = Path("/var/lib/apt/lists")
# Command-line tools and libraries whose Spanish messages are prose.
PACKAGES = (
    "adduser", "apparmor", "apt", "aspell", "bash", "binutils-common", "bison", "coreutils", "debconf-i18n",
    "diffutils", "dpkg", "e2fsprogs-l10n", "findutils", "gawk", "gcc-12-locales", "gettext", "gettext-base",
    "git", "gnupg-l10n", "grep", "libapt-pkg6.0", "libc-l10n", "libdpkg-perl", "libelf1", "libgnutls30",
    "libidn2-0", "login", "m4", "make", "man-db", "nano", "postgresql-15", "postgresql-client-15", "procps",
    "psmisc", "sed", "sudo", "systemd", "tar", "util-linux-locales", "wget", "xz-utils",
)  # fmt: skip
MIN_FEATURE = 3
# A pair is kept when the text shows each form this often: with fewer, the
# neighbours of the rare form are a handful of sentences ("qué", "sí",
# "cómo"), and on the train pages they broke as many words as they mended.
MIN_FORM = 100
# Accents that the RAE's 2010 orthography makes optional (and discourages):
# "sólo" and the demonstrative pronouns. Either form is right, so restoring
# one repairs nothing, and the text's older habit would decide.
OPTIONAL = frozenset(
    {"sólo", "éste", "ésta", "ésto", "éstos", "éstas", "ése", "ésa", "éso", "ésos", "ésas"}
    | {"aquél", "aquélla", "aquéllo", "aquéllos", "aquéllas"}
)
SUFFIX = 3
# printf, Python and shell placeholders: a gap in the sentence, not a word.
PLACEHOLDER = regex.compile(r"%(?:\d+\$)?[-+ #0']*\d*(?:\.\d+)?[hlLqjzt]*[a-zA-Z%]|\{[^{}]*\}|\$\{?\w+\}?|<[^<>]*>")


def descriptions() -> tuple[list[str], str]:
    """The lines of Debian's Spanish package descriptions, and the list file read."""
    found = sorted(LISTS.glob("*_i18n_Translation-es*"))
    if not found:
        sys.exit("no Translation-es in /var/lib/apt/lists: run apt-get -o Acquire::Languages=es update")
    text = subprocess.run(
        ["/usr/lib/apt/apt-helper", "cat-file", str(found[0])], check=True, capture_output=True
    ).stdout.decode("utf-8")
    lines = []
    for line in text.splitlines():
        if line.startswith("Description-es:"):
            lines.append(line.split(":", 1)[1].strip())
        elif line.startswith(" ") and line.strip() != ".":
            lines.append(line.strip())
    return lines, found[0].name


def catalogues() -> tuple[list[str], list[str]]:
    """The Spanish messages of PACKAGES, one line each, and the package versions read."""
    lines: list[str] = []
    versions = []
    for package in PACKAGES:
        query = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], check=False, capture_output=True, text=True)
        if query.returncode != 0:
            sys.exit(f"{package} is not installed: apt-get install {' '.join(PACKAGES)}")
        versions.append(f"{package} {query.stdout}")
        files = subprocess.run(["dpkg", "-L", package], check=True, capture_output=True, text=True).stdout.split()
        for name in sorted(f for f in files if f.startswith("/usr/share/locale/es/LC_MESSAGES/") and f.endswith(".mo")):
            with open(name, "rb") as handle:
                catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
            for key in sorted(catalog, key=repr):
                if key:  # the empty msgid holds the header
                    lines.extend(PLACEHOLDER.sub(" | ", catalog[key]).splitlines())
    return lines, versions


def build() -> tuple[str, list[str]]:
    text, source = descriptions()
    messages, versions = catalogues()
    lines = [pieces(line) for line in text + messages]
    vocab = Counter(piece for line in lines for piece in line)
    table = lexicon.counts("es")
    twin: dict[str, tuple[str, str]] = {}
    for word in vocab:
        if not word.isalpha() or word not in table or word in OPTIONAL:
            continue
        plain = strip_accents(word)
        if plain == word or plain not in table or not vocab[plain]:
            continue
        # The commonest accented form a plain one has ("esta": "está", not "ésta").
        if plain in twin and vocab[twin[plain][1]] >= vocab[word]:
            continue
        if word in accent_forms(plain, "es"):
            twin[plain] = (plain, word)
    counts: Counter[tuple[str, str, str, int]] = Counter()
    forms = {form: (pair, side) for pair in twin.values() for side, form in enumerate(pair)}
    for line in lines:
        for i in range(1, len(line) - 1):
            found = forms.get(line[i])
            if found is None:
                continue
            (plain, accented), side = found
            prev, nxt = line[i - 1], line[i + 1]
            feats = ["*", "<" + prev, ">" + nxt]
            if nxt.isalpha() and len(nxt) > SUFFIX:
                feats.append("~" + nxt[-SUFFIX:])
            for feat in feats:
                counts[(plain, accented, feat, side)] += 1
    rows = []
    for plain, accented, feat in sorted({key[:3] for key in counts}):
        p, a = counts[(plain, accented, feat, 0)], counts[(plain, accented, feat, 1)]
        if feat == "*" or p + a >= MIN_FEATURE:
            rows.append(f"{plain}\t{accented}\t{feat}\t{p}\t{a}\n")
    pairs_seen = {(plain, accented) for plain, accented, feat, side in counts if feat == "*"}
    both = {pair for pair in pairs_seen if min(counts[(*pair, "*", 0)], counts[(*pair, "*", 1)]) >= MIN_FORM}
    rows = [row for row in rows if tuple(row.split("\t")[:2]) in both]
    info = [source, *versions, f"{len(text) + len(messages)} lines, {sum(vocab.values())} pieces, {len(both)} pairs"]
    return "".join(rows), info


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed table is stale")
    args = ap.parse_args()
    content, info = build()
    for line in info:
        print(line)
    if args.check:
        stale = not OUT.exists() or OUT.read_text(encoding="utf-8") != content
        print(f"{OUT.name}: {'stale' if stale else 'up to date'}")
        return 1 if stale else 0
    OUT.write_text(content, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {content.count(chr(10))} lines, {len(content.encode())} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
