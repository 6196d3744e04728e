#!/usr/bin/env python3
"""Build tipclean's bundled word lists from hunspell dictionaries and wordfreq.

    python dictionaries/tools/build_lexicons.py          # rewrite the outputs
    python dictionaries/tools/build_lexicons.py --check  # exit 1 if they are stale

Outputs, written to the folder above tools/:

    es.txt, en.txt   every word form the hunspell dictionary accepts that real text
                     is likely to contain, as "term count", rank-ordered
    domain.txt       the words of sources/domain.txt (Peruvian places, institutions,
                     acronyms), each with the fixed count DOMAIN_COUNT

This is a build-time tool. tipclean never imports it, and the tests read only the
committed outputs. dictionaries/README.md explains the policy; the comments below
say why each step is there. The output is a pure function of the inputs (sorted,
no timestamps, integer arithmetic where a sum decides membership), so a rebuild
on the same package versions is byte-for-byte identical.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE.parent
DOMAIN_SOURCE = OUT_DIR / "sources" / "domain.txt"
HUNSPELL_DIR = Path("/usr/share/hunspell")

WORDFREQ_VERSION = "3.1.1"
WORDFREQ_WORDLIST = "large"
# wordfreq gives proportions; 1e9 turns them into "occurrences per billion words",
# integers that symspellpy can load as counts. The smallest 'large' frequency is
# about 1e-8, so every wordfreq-known word gets a count of at least 10, and
# count 1 marks a form that wordfreq never saw.
SCALE = 1e9

# A hunspell form that wordfreq has never seen is kept only if it is an
# inflection or clitic form (no prefix) of a headword whose inflections together
# occur at least this often per billion words. Reports use rare forms of common
# verbs ("reclutarlas", "explotándolas", "capacitarla") that wordfreq's corpora
# happen to miss, and a corrector that did not know them would "fix" them into a
# neighbour; the rare forms of rare headwords would mostly hide OCR errors.
# The threshold is set by the size budget: 4,000 keeps Spanish under 250k entries
# (3,000 gives 258k; "salvaguardara" at 3,551 and "penalizaban" at 2,683 fall
# just below it).
FAMILY_MIN_COUNT = 4000

# Spanish only: an unaccented form whose accented twin is at least this many
# times more frequent is dropped. "numero" (I number) and "victimas" (you
# victimise) are real verb forms, but in wordfreq, as in OCR output, they are
# almost always "número" and "víctimas" without the accent; if the lexicon
# accepted them the corrector could never restore the accent. Twins that are
# both common ("esta"/"está" 0.7, "mas"/"más" 5.8, "continua"/"continúa" 1.9)
# stay, because each is a word in its own right.
ACCENT_SHADOW_RATIO = 10

# domain.txt entries are names the corrector should prefer over an ordinary
# word at the same edit distance, but not over the very common words: only
# about the first 1,000 lines of es.txt and 1,250 of en.txt count more.
DOMAIN_COUNT = 100_000

# Case oddities in the upstream dictionaries. Hunspell accepts them, but they
# are only ever OCR-like misspellings of the correctly cased entry beside them,
# or (The) a capitalized article that would pass for a name.
EXCLUDED_TERMS = {
    "es": {"VIctoria": "typo in es_ES.dic, which also lists Victoria"},
    "en": {
        "ErvIn": "typo in en_US.dic for Ervin",
        "The": "en_GB.dic lists the article as a proper noun (The/M)",
    },
}

# Clitic pronouns that Spanish attaches to verbs: "dándoselo", "estimarla".
CLITIC_RE = re.compile(r"(?:me|te|se|nos|os|la|las|lo|los|le|les)$")

# The hunspell checker is the judge of validity; a word that no dictionary
# could contain proves that it really ran and reported rejections.
CANARY = "qxzqxzq"


class BuildError(Exception):
    """An input is missing or differs from what this script understands."""


@dataclass(frozen=True)
class Language:
    code: str
    # Debian's dictionary names; the union of their word forms is used.
    variants: tuple[str, ...]
    apt_package: str
    # English keeps contractions listed in the .dic ("can't", "o'clock").
    allow_apostrophe: bool
    # Spanish suffix classes that add clitic pronouns (see enclitic_flags).
    has_enclitic_classes: bool
    drop_accent_shadows: bool


ES = Language("es", ("es_ES", "es_PE"), "hunspell-es", False, True, True)
# British spellings too ("favourite", "colour", "organisation"): reports and
# documentation are written in both, and a corrector that knew only one would
# "americanize" the other.
EN = Language("en", ("en_US", "en_GB"), "hunspell-en-us hunspell-en-gb", True, False, False)
LANGUAGES = (ES, EN)


# ---------------------------------------------------------------- inputs


def check_inputs() -> None:
    """Fail early, naming the package that provides each missing input."""
    problems = []
    for lang in LANGUAGES:
        for variant in lang.variants:
            for ext in (".dic", ".aff"):
                path = HUNSPELL_DIR / f"{variant}{ext}"
                if not path.is_file():
                    problems.append(f"{path} is missing: apt-get install {lang.apt_package}")
    if shutil.which("hunspell") is None:
        problems.append("the hunspell command is missing: apt-get install hunspell")
    from buildcheck import wordfreq_problem

    if problem := wordfreq_problem(WORDFREQ_VERSION, "the lists are"):
        problems.append(problem)
    if not DOMAIN_SOURCE.is_file():
        problems.append(f"{DOMAIN_SOURCE} is missing (it is committed with this script)")
    if problems:
        raise BuildError("cannot build the dictionaries:\n  " + "\n  ".join(problems))


def package_versions() -> dict[str, str]:
    """Debian package versions, printed so a changed output can be traced."""
    versions = {}
    for pkg in ("hunspell-es", "hunspell-en-us", "hunspell-en-gb", "hunspell"):
        try:
            out = subprocess.run(
                ["dpkg-query", "-W", "-f=${Version}", pkg],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        except (OSError, subprocess.CalledProcessError):
            out = "unknown"
        versions[pkg] = out
    return versions


# ---------------------------------------------------------------- hunspell files


@dataclass(frozen=True)
class AffixRule:
    strip: str
    add: str
    continuation: str  # flags of twofold suffixes that may follow this one
    condition: re.Pattern[str] | None  # None: matches any word


@dataclass
class AffixClass:
    kind: str  # "PFX" or "SFX"
    cross_product: bool
    rules: list[AffixRule] = field(default_factory=list)


@dataclass
class AffixFile:
    classes: dict[str, AffixClass]
    # Roots carrying these flags are not standalone words (or must never be
    # suggested), so they and all their forms are left out.
    excluded_root_flags: frozenset[str]


# The affix-file directives this script understands. Anything else (NEEDAFFIX,
# CIRCUMFIX, FULLSTRIP, IGNORE, ...) would change hunspell's verdicts, so it
# stops the build rather than being ignored.
MODELLED_DIRECTIVES = {"SET", "FLAG", "PFX", "SFX", "NOSUGGEST", "ONLYINCOMPOUND", "FORBIDDENWORD"}
# These steer only suggestions and input conversion.
SUGGESTION_DIRECTIVES = {"TRY", "MAP", "REP", "ICONV", "OCONV", "WORDCHARS", "KEY"}
# en_US compounds only digits with ordinal suffixes ("21st"); digits are never
# lexicon entries, so compounding can be ignored.
COMPOUND_DIRECTIVES = {"COMPOUNDMIN", "COMPOUNDRULE"}
KNOWN_DIRECTIVES = MODELLED_DIRECTIVES | SUGGESTION_DIRECTIVES | COMPOUND_DIRECTIVES


def condition_regex(condition: str, kind: str) -> re.Pattern[str] | None:
    """Translate hunspell's condition syntax (chars, '.', [abc], [^abc]).

    >>> condition_regex("[^aeo]er", "SFX").pattern
    '[^aeo]er$'
    >>> condition_regex(".", "PFX") is None
    True
    """
    if condition == ".":
        return None
    parts = []
    i = 0
    while i < len(condition):
        char = condition[i]
        if char == "[":
            end = condition.index("]", i)
            body = condition[i + 1 : end]
            negate = body.startswith("^")
            chars = "".join(re.escape(c) for c in (body[1:] if negate else body))
            parts.append(f"[{'^' if negate else ''}{chars}]")
            i = end + 1
        else:
            parts.append("." if char == "." else re.escape(char))
            i += 1
    pattern = "".join(parts)
    return re.compile("^" + pattern if kind == "PFX" else pattern + "$")


def read_aff(path: Path) -> AffixFile:
    classes: dict[str, AffixClass] = {}
    flags: dict[str, str] = {}
    # utf-8-sig: Debian's en_GB files start with a byte-order mark.
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        directive = parts[0]
        if directive not in KNOWN_DIRECTIVES:
            raise BuildError(f"{path}: unsupported directive {directive}; extend read_aff")
        if directive == "SET" and parts[1] != "UTF-8":
            raise BuildError(f"{path}: encoding {parts[1]} is not supported")
        if directive == "FLAG" and parts[1] != "UTF-8":
            # Python strings make UTF-8 flags one character each, the same as
            # the default single-character flags; long and numeric flags differ.
            raise BuildError(f"{path}: FLAG {parts[1]} is not supported")
        if directive in ("NOSUGGEST", "ONLYINCOMPOUND", "FORBIDDENWORD"):
            flags[directive] = parts[1]
        if directive not in ("PFX", "SFX"):
            continue
        flag = parts[1]
        if flag not in classes:  # the header line: PFX flag Y|N count
            classes[flag] = AffixClass(directive, parts[2] == "Y")
            continue
        strip, add = parts[2], parts[3]
        condition = parts[4] if len(parts) > 4 else "."
        add, _, continuation = add.partition("/")
        classes[flag].rules.append(
            AffixRule(
                strip="" if strip == "0" else strip,
                add="" if add == "0" else add,
                continuation=continuation,
                condition=condition_regex(condition, directive),
            )
        )
    return AffixFile(classes, frozenset(flags.values()))


_MORPH_FIELD = re.compile(r"[ \t][a-z][a-z]:")


def read_dic(path: Path) -> Iterator[tuple[str, str]]:
    """Yield (root, flags) the way hunspell's HashMgr reads a .dic line.

    Spaces belong to the word (so "Mala Pascua" is one entry, and the entry
    "Huancané " with its stray trailing space can never match a token); only a
    tab or a morphological field like " po:noun" ends it.
    """
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    for line in lines[1:]:  # the first line is the entry count
        end = len(line)
        if "\t" in line:
            end = line.index("\t")
        morph = _MORPH_FIELD.search(line)
        if morph and morph.start() < end:
            end = morph.start()
        entry = line[:end]
        slash = re.search(r"(?<!\\)/", entry)
        if slash:
            root, flags = entry[: slash.start()], entry[slash.end() :]
        else:
            root, flags = entry, ""
        root = root.replace("\\/", "/")
        if root:
            yield root, flags


def apply_rule(rule: AffixRule, kind: str, word: str) -> str | None:
    """The word with one affix rule applied, or None if the rule does not apply.

    >>> plural = AffixRule("", "es", "", condition_regex("[bdhíjlmrúxy]", "SFX"))
    >>> apply_rule(plural, "SFX", "país"), apply_rule(plural, "SFX", "casa")
    (None, None)
    >>> apply_rule(plural, "SFX", "mujer")
    'mujeres'
    """
    # Without FULLSTRIP hunspell never strips a whole word: "errar" does not
    # become "ierra", and "echar" does not become "échala".
    if len(rule.strip) >= len(word):
        return None
    if kind == "SFX":
        if not word.endswith(rule.strip):
            return None
        if rule.condition and not rule.condition.search(word):
            return None
        return word[: len(word) - len(rule.strip)] + rule.add
    if not word.startswith(rule.strip):
        return None
    if rule.condition and not rule.condition.search(word):
        return None
    return rule.add + word[len(rule.strip) :]


# What expand() reports about each form: how it was derived.
INFLECTION = "inflection"  # the root, or the root with suffixes
ENCLITIC = "enclitic"  # the root with suffixes, one of which adds a clitic pronoun
PREFIXED = "prefixed"  # anything with a prefix


def expand(
    root: str, flags: str, aff: AffixFile, enclitic: frozenset[str]
) -> Iterator[tuple[str, str]]:
    """Yield (form, kind) for every form hunspell derives from one .dic entry.

    Hunspell allows up to two suffixes (the second from the first one's
    continuation flags) and one prefix, combined only when both classes allow
    cross products; the prefix condition is tested on the suffixed word.
    enclitic holds the suffix classes whose forms count as ENCLITIC.
    """
    yield root, INFLECTION
    suffixed: list[tuple[str, bool]] = []  # (form, cross product allowed)
    for flag in flags:
        cls = aff.classes.get(flag)
        if cls is None or cls.kind != "SFX":
            continue
        for rule in cls.rules:
            form = apply_rule(rule, "SFX", root)
            if form is None:
                continue
            yield form, ENCLITIC if flag in enclitic else INFLECTION
            suffixed.append((form, cls.cross_product))
            for flag2 in rule.continuation:
                cls2 = aff.classes.get(flag2)
                if cls2 is None or cls2.kind != "SFX":
                    continue
                for rule2 in cls2.rules:
                    form2 = apply_rule(rule2, "SFX", form)
                    if form2 is not None:
                        kind = ENCLITIC if enclitic & {flag, flag2} else INFLECTION
                        yield form2, kind
                        suffixed.append((form2, cls.cross_product and cls2.cross_product))
    for flag in flags:
        cls = aff.classes.get(flag)
        if cls is None or cls.kind != "PFX":
            continue
        for rule in cls.rules:
            form = apply_rule(rule, "PFX", root)
            if form is not None:
                yield form, PREFIXED
            if cls.cross_product:
                for base, cross in suffixed:
                    if cross and (form := apply_rule(rule, "PFX", base)) is not None:
                        yield form, PREFIXED


def enclitic_flags(aff: AffixFile, path: Path) -> frozenset[str]:
    """The suffix classes that attach clitic pronouns to Spanish verbs.

    RLA-ES gives every such class a non-ASCII flag (À..ú) and keeps ASCII
    flags for inflection (R, E, I, X conjugate; G, S, D inflect). No rule shape
    tells them apart reliably ("-ble" and "-illo" end like "le" and "lo"), so
    the convention is used and checked: a dictionary update that breaks it
    stops the build instead of silently changing the policy.
    """
    flags = set()
    for flag, cls in aff.classes.items():
        if cls.kind != "SFX" or flag.isascii():
            continue
        bad = [rule.add for rule in cls.rules if not CLITIC_RE.search(rule.add)]
        if bad:
            raise BuildError(
                f"{path}: class {flag} is not enclitic ({bad[:3]}); revise enclitic_flags"
            )
        flags.add(flag)
    return frozenset(flags)


def is_word(form: str, lang: Language) -> bool:
    """Letters only (plus internal apostrophes for English contractions).

    Entries with digits ("1st"), dots ("DD.HH."), hyphens ("Huac-Huas"),
    spaces ("Reino Unido"), or format characters (a left-to-right mark in
    "Caldas", a soft hyphen in "papelerío") can never be one \\p{L}+ token, so
    a lexicon lookup could never hit them.
    """
    if lang.allow_apostrophe:
        # A final 's is a possessive ("government's", and en_US lists a few
        # hundred like "man's" as roots) or a clitic "is"/"has" ("here's");
        # either way the word before it is the entry, so the corrector should
        # strip 's (after mapping ’ to ') before a lookup. Other contractions
        # ("can't", "o'clock") are one word and stay.
        return not form.endswith("'s") and all(part.isalpha() for part in form.split("'"))
    return form.isalpha()


def hunspell_rejects(words: Sequence[str], variant: str) -> set[str]:
    """The subset of words that the real hunspell checker does not accept.

    Pipe mode (-a) answers each input line with one result per token and a blank
    line, so every answer maps back to its word even if hunspell splits it; a
    word is accepted only if hunspell saw tokens and accepted all of them
    ("*" found, "+" found through an affix, "-" found as a compound).
    """
    executable = shutil.which("hunspell") or "hunspell"
    # "^" makes hunspell read the line as text, never as a pipe-mode command;
    # -p /dev/null keeps a personal dictionary in $HOME out of the verdicts.
    lines = "".join(f"^{word}\n" for word in (CANARY, *words))
    result = subprocess.run(
        [executable, "-a", "-i", "utf-8", "-p", "/dev/null", "-d", str(HUNSPELL_DIR / variant)],
        input=lines.encode("utf-8"),
        capture_output=True,
        check=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    answers = result.stdout.decode("utf-8").split("\n")[1:]  # skip the banner
    blocks: list[list[str]] = [[]]
    for answer in answers:
        if answer:
            blocks[-1].append(answer)
        else:
            blocks.append([])
    blocks = blocks[: 1 + len(words)]
    if len(blocks) != 1 + len(words):
        raise BuildError(f"hunspell -d {variant} answered {len(blocks)} of {1 + len(words)} lines")
    verdicts = [bool(block) and all(a[0] in "*+-" for a in block) for block in blocks]
    if verdicts[0]:
        raise BuildError(f"hunspell -d {variant} accepted {CANARY!r}; is the dictionary loaded?")
    return {word for word, ok in zip(words, verdicts[1:]) if not ok}


# ---------------------------------------------------------------- lexicons


def strip_accents(word: str) -> str:
    """Remove acute accents and diaeresis, the marks OCR most often loses.

    >>> strip_accents("víctimas"), strip_accents("pingüino"), strip_accents("niño")
    ('victimas', 'pinguino', 'niño')
    """
    decomposed = unicodedata.normalize("NFD", word)
    kept = "".join(c for c in decomposed if c not in "\u0301\u0308")
    return unicodedata.normalize("NFC", kept)


def distinct_variants(lang: Language) -> list[str]:
    """Drop variants whose files are identical to an earlier one.

    In Debian's hunspell-es every es_* file is a symlink to es_ES (one pan-Hispanic
    dictionary with Americanisms), so es_PE adds nothing today; the union is kept
    so that a future package that splits the variants is still honoured.
    """
    seen: dict[str, str] = {}
    result = []
    for variant in lang.variants:
        digest = hashlib.sha256()
        for ext in (".aff", ".dic"):
            digest.update((HUNSPELL_DIR / f"{variant}{ext}").read_bytes())
        key = digest.hexdigest()
        if key in seen:
            print(f"{lang.code}: {variant} is identical to {seen[key]}, skipped")
            continue
        seen[key] = variant
        result.append(variant)
    return result


def build_language(lang: Language) -> list[tuple[str, int]]:
    from wordfreq import get_frequency_dict  # build-time only

    freq = get_frequency_dict(lang.code, WORDFREQ_WORDLIST)

    def count_of(term: str) -> int:
        # wordfreq stores casefolded keys: "Perú" counts as "perú" does.
        return round(freq.get(term.casefold(), 0.0) * SCALE)

    selected: dict[str, int] = {}
    for variant in distinct_variants(lang):
        aff_path = HUNSPELL_DIR / f"{variant}.aff"
        aff = read_aff(aff_path)
        enclitic = enclitic_flags(aff, aff_path) if lang.has_enclitic_classes else frozenset()

        forms_total = 0
        known: set[str] = set()
        # form -> largest family count among the roots that derive it
        family_of: dict[str, int] = defaultdict(int)
        for root, flags in read_dic(HUNSPELL_DIR / f"{variant}.dic"):
            if aff.excluded_root_flags & set(flags):
                continue
            by_kind: dict[str, set[str]] = defaultdict(set)
            for form, kind in expand(root, flags, aff, enclitic):
                forms_total += 1
                if is_word(form, lang) and unicodedata.is_normalized("NFC", form):
                    by_kind[kind].add(form)
                    if count_of(form) > 0:
                        known.add(form)
            # How common the headword is: its inflections, not its clitic forms,
            # which would count the same verb once per pronoun.
            family = sum(count_of(f) for f in by_kind[INFLECTION])
            for form in by_kind[INFLECTION] | by_kind[ENCLITIC]:
                if count_of(form) == 0 and family > family_of[form]:
                    family_of[form] = family
        extras = {f for f, fam in family_of.items() if fam >= FAMILY_MIN_COUNT}

        candidates = (known | extras) - EXCLUDED_TERMS.get(lang.code, {}).keys()
        rejected = hunspell_rejects(sorted(candidates), variant)
        print(
            f"{lang.code}: {variant}: {forms_total:,} generated forms; {len(known):,} known to "
            f"wordfreq; {len(extras):,} unseen inflection and clitic forms of common headwords "
            f"(family count >= {FAMILY_MIN_COUNT:,}); hunspell rejected {len(rejected)}"
            + (f": {' '.join(sorted(rejected)[:20])}" if rejected else "")
        )
        for form in candidates - rejected:
            selected[form] = max(count_of(form), 1)

    if lang.drop_accent_shadows:
        twin_count: dict[str, int] = defaultdict(int)
        for term, count in selected.items():
            key = term.casefold()
            bare = strip_accents(key)
            if bare != key:
                twin_count[bare] = max(twin_count[bare], count)
        shadows = sorted(
            (
                t
                for t, c in selected.items()
                if strip_accents(t.casefold()) == t.casefold()
                and twin_count.get(t.casefold(), 0) >= ACCENT_SHADOW_RATIO * c
            ),
            key=lambda t: (-selected[t], t),
        )
        for term in shadows:
            del selected[term]
        print(
            f"{lang.code}: dropped {len(shadows):,} unaccented forms at least "
            f"{ACCENT_SHADOW_RATIO}x rarer than an accented twin, most frequent: "
            + " ".join(shadows[:15])
        )

    print(f"{lang.code}: {len(selected):,} entries")
    return sorted(selected.items(), key=lambda item: (-item[1], item[0]))


# ---------------------------------------------------------------- domain lexicon

_DOMAIN_TOKEN = re.compile(r"[^\W\d_]+")
# Punctuation a name may contain besides its words: "LGBTQI+",
# "Shipibo-Konibo", "OIM/IOM", "(CHS)".
_DOMAIN_PUNCTUATION = set(" -+/()")
# Its entries stay whole: the corrector restores a compound, not its parts.
COMPOUND_SECTION = "compounds"
_DOMAIN_COMPOUND = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")


def build_domain() -> list[tuple[str, int]]:
    """Split each name of sources/domain.txt into the words a tokenizer sees.

    Inside a multi-word name, lowercase words are connectives ("de", "la",
    "y", "of", "and"); they are left to es.txt/en.txt so that the domain's
    high count does not inflate them. A one-word lowercase entry is a term
    in its own right ("psicosocial") and is kept.
    """
    terms: set[str] = set()
    per_section: dict[str, int] = defaultdict(int)
    section = None
    text = DOMAIN_SOURCE.read_text(encoding="utf-8")
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        where = f"{DOMAIN_SOURCE.name}:{lineno}"
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        if section is None:
            raise BuildError(f"{where}: entry before the first [section]")
        if not unicodedata.is_normalized("NFC", line):
            raise BuildError(f"{where}: {line!r} is not NFC")
        tokens = _DOMAIN_TOKEN.findall(line)
        residue = set(_DOMAIN_TOKEN.sub("", line))
        if not tokens or not residue <= _DOMAIN_PUNCTUATION:
            allowed = "".join(sorted(_DOMAIN_PUNCTUATION))
            raise BuildError(
                f"{where}: {line!r} holds characters other than letters and {allowed!r}"
            )
        if section == COMPOUND_SECTION:
            if not _DOMAIN_COMPOUND.fullmatch(line):
                raise BuildError(f"{where}: {line!r} is not words joined by hyphens")
            if line not in terms:
                per_section[section] += 1
            terms.add(line)
            continue
        for token in tokens:
            if len(tokens) > 1 and token.islower():
                continue
            if token not in terms:
                per_section[section] += 1
            terms.add(token)
    print(
        "domain: "
        + ", ".join(f"{name} {n}" for name, n in per_section.items())
        + f"; {len(terms)} entries"
    )
    return sorted(((t, DOMAIN_COUNT) for t in terms), key=lambda item: (-item[1], item[0]))


# ---------------------------------------------------------------- output


def render(entries: Sequence[tuple[str, int]]) -> str:
    return "".join(f"{term} {count}\n" for term, count in entries)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="build in memory and exit 1 if a committed output differs",
    )
    args = parser.parse_args(argv)
    try:
        check_inputs()
        print(
            "inputs: "
            + ", ".join(f"{k} {v}" for k, v in package_versions().items())
            + f", wordfreq {WORDFREQ_VERSION}"
        )
        outputs = {f"{lang.code}.txt": render(build_language(lang)) for lang in LANGUAGES}
        outputs["domain.txt"] = render(build_domain())
    except BuildError as error:
        print(f"build_lexicons: {error}", file=sys.stderr)
        return 2

    stale = []
    for name, content in outputs.items():
        path = OUT_DIR / name
        data = content.encode("utf-8")
        changed = not path.exists() or path.read_bytes() != data
        if changed:
            stale.append(name)
            if not args.check:
                path.write_bytes(data)
        note = (" (differs)" if args.check else " (rewritten)") if changed else ""
        print(f"{name}: {content.count(chr(10)):,} entries, {len(data):,} bytes{note}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
