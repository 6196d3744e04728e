"""The committed word lists in dictionaries/ are well-formed and hold the words they must.

These tests read only the committed files: no wordfreq, no hunspell, no network.
dictionaries/tools/build_lexicons.py regenerates the lists; its --check flag
verifies that they are current on a machine with the build inputs installed.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

DICTIONARIES = Path(__file__).parent.parent / "dictionaries"
OUTPUTS = ("es.txt", "en.txt", "domain.txt")
LINE = re.compile(r"(\S+) ([1-9][0-9]*)")
MAX_ENTRIES = 250_000
DOMAIN_COUNT = 100_000


@functools.cache
def entries(name: str) -> tuple[tuple[str, int], ...]:
    """(term, count) pairs of one output, in file order; fails on a malformed line."""
    data = (DICTIONARIES / name).read_bytes()
    text = data.decode("utf-8")  # strict: any invalid byte fails here
    assert text.endswith("\n"), f"{name}: missing final newline"
    assert "\r" not in text, f"{name}: CR line ends"
    assert not text.startswith("\ufeff"), f"{name}: byte-order mark"
    result = []
    for lineno, line in enumerate(text[:-1].split("\n"), 1):
        match = LINE.fullmatch(line)
        assert match, f"{name}:{lineno}: {line!r} is not 'term count'"
        result.append((match[1], int(match[2])))
    return tuple(result)


@functools.cache
def terms(name: str) -> frozenset[str]:
    return frozenset(term for term, _ in entries(name))


@pytest.mark.parametrize("name", OUTPUTS)
def test_lines_are_term_and_positive_count(name: str) -> None:
    assert entries(name), f"{name} is empty"
    assert all(count >= 1 for _, count in entries(name))


@pytest.mark.parametrize("name", OUTPUTS)
def test_terms_are_nfc(name: str) -> None:
    bad = [t for t in terms(name) if not unicodedata.is_normalized("NFC", t)]
    assert not bad, f"{name}: not NFC: {bad[:10]}"


@pytest.mark.parametrize("name", OUTPUTS)
def test_no_duplicate_terms(name: str) -> None:
    counted = Counter(term for term, _ in entries(name))
    duplicates = [term for term, n in counted.items() if n > 1]
    assert not duplicates, f"{name}: duplicates {duplicates[:10]}"


@pytest.mark.parametrize("name", OUTPUTS)
def test_sorted_by_descending_count_then_term(name: str) -> None:
    keys = [(-count, term) for term, count in entries(name)]
    out_of_order = [b for a, b in itertools.pairwise(keys) if a >= b]
    assert not out_of_order, f"{name}: out of order at {out_of_order[:5]}"


def test_spanish_terms_are_letters_only() -> None:
    bad = [t for t in terms("es.txt") if not t.isalpha()]
    assert not bad, f"es.txt: non-letter terms {bad[:10]}"


def test_domain_terms_are_letters_or_compounds() -> None:
    # Hyphenated terms ("anti-trafficking") are kept whole for the compound repair.
    bad = [t for t in terms("domain.txt") if not all(part.isalpha() for part in t.split("-"))]
    assert not bad, f"domain.txt: non-letter terms {bad[:10]}"


def test_english_terms_are_letters_or_contractions() -> None:
    bad = [t for t in terms("en.txt") if not all(part.isalpha() for part in t.split("'"))]
    assert not bad, f"en.txt: {bad[:10]}"


def test_english_possessives_are_not_entries() -> None:
    possessives = [t for t in terms("en.txt") if t.endswith("'s")]
    assert not possessives, possessives[:10]
    assert "government's" not in terms("en.txt")
    assert "can't" in terms("en.txt")  # contractions listed by hunspell stay


@pytest.mark.parametrize("name", ("es.txt", "en.txt"))
def test_size_budget(name: str) -> None:
    assert len(entries(name)) <= MAX_ENTRIES


def test_every_txt_file_is_a_known_output() -> None:
    found = sorted(p.name for p in DICTIONARIES.glob("*.txt"))
    assert found == sorted(OUTPUTS)


def test_readme_names_outputs_and_their_sizes() -> None:
    readme = (DICTIONARIES / "README.md").read_text(encoding="utf-8")
    for name in OUTPUTS:
        assert name in readme, f"README.md does not name {name}"
        # The README states each list's size; a rebuild must update it.
        assert f"{len(entries(name)):,}" in readme, f"README.md lacks the entry count of {name}"
    assert "python dictionaries/tools/build_lexicons.py" in readme
    assert "pip install wordfreq==3.1.1" in readme


def test_build_script_and_domain_source_are_committed() -> None:
    assert (DICTIONARIES / "tools" / "build_lexicons.py").is_file()
    assert (DICTIONARIES / "sources" / "domain.txt").is_file()


SPANISH_WORDS = [
    "víctimas",
    "país",
    "niños",
    "años",
    "Perú",
    "número",
    "protección",
    "información",
    "aumentó",
    "estándares",
    "está",
    "esta",
    "más",
    "mas",
    "él",
    "el",
    "continúa",
    "continua",
    "continuó",
]
SPANISH_NON_WORDS = [
    "victimas",
    "pais",
    "nifios",
    "afios",
    "proteccion",
    "informacion",
    "estandares",
    "numero",
    "nimero",
]


@pytest.mark.parametrize("word", SPANISH_WORDS)
def test_spanish_word_is_in_es(word: str) -> None:
    assert word in terms("es.txt")


@pytest.mark.parametrize("word", SPANISH_NON_WORDS)
def test_spanish_misspelling_is_not_in_es(word: str) -> None:
    assert word not in terms("es.txt")


@pytest.mark.parametrize("word", ["trafficking", "government", "the"])
def test_english_word_is_in_en(word: str) -> None:
    assert word in terms("en.txt")


def test_english_misspelling_is_not_in_en() -> None:
    assert "tbe" not in terms("en.txt")


def test_counts_follow_word_frequency() -> None:
    es = dict(entries("es.txt"))
    assert es["de"] > es["víctimas"] > es["aumentó"] > 1
    assert entries("es.txt")[0] == ("de", es["de"])
    assert entries("en.txt")[0][0] == "the"
    # A proper noun counts as its lowercase form does in wordfreq.
    assert es["Perú"] == es["perú"]


@pytest.mark.parametrize(
    "word",
    [
        "Perú",
        "Loreto",
        "Madre",
        "Dios",
        "Cusco",
        "Cuzco",
        "Junín",
        "Huánuco",
        "Ucayali",
        "Iquitos",
        "Pucallpa",
        "Rinconada",
        "Maldonado",
        "Juliaca",
        "Policía",
        "Público",
        "Defensoría",
        "Ministerio",
        "Vulnerables",
        "SUNAFIL",
        "MININTER",
        "MIMP",
        "PNP",
        "DIRCTPTIM",
        "CHS",
        "Alternativo",
        "OIM",
        "IOM",
        "UNODC",
        "OIT",
        "ILO",
        "ONG",
        "NGO",
        "LGBTI",
        "LGBTQI",
        "COVID",
        "Sendero",
        "Luminoso",
        "Shipibo",
        "Aymara",
        "Quechua",
        "Venezuela",
        "venezolanos",
    ],
)
def test_domain_word(word: str) -> None:
    assert word in terms("domain.txt")


def test_domain_spells_names_with_their_accents() -> None:
    for unaccented in ("Peru", "Junin", "Huanuco", "Policia", "Publico", "Defensoria"):
        assert unaccented not in terms("domain.txt")


def test_domain_entries_share_one_fixed_count() -> None:
    assert {count for _, count in entries("domain.txt")} == {DOMAIN_COUNT}


def test_domain_skips_connectives_of_names() -> None:
    assert not {"de", "del", "la", "y", "of", "the", "and"} & terms("domain.txt")


def test_domain_terms_come_from_the_source() -> None:
    source = (DICTIONARIES / "sources" / "domain.txt").read_text(encoding="utf-8")
    words = set(re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", source)) | set(re.findall(r"[^\W\d_]+", source))
    assert terms("domain.txt") <= words


def test_accent_context_pairs_are_twins_of_the_lexicon() -> None:
    # dictionaries/tools/build_accent_context.py: plain<TAB>accented<TAB>feature<TAB>count<TAB>count,
    # a pair of lexicon words that differ only by accents, with its total ("*") line.
    from tipclean import lexicon
    from tipclean.channel import strip_accents

    lines = (DICTIONARIES / "accent-context-es.tsv").read_text(encoding="utf-8").splitlines()
    assert lines
    pairs = set()
    for line in lines:
        plain, accented, feature, count_plain, count_accented = line.split("\t")
        assert strip_accents(accented) == plain != accented
        assert feature[:1] in "*<>~" and int(count_plain) >= 0 and int(count_accented) >= 0
        pairs.add((plain, accented, feature == "*"))
    table = lexicon.counts("es")
    for plain, accented, _ in pairs:
        assert plain in table and accented in table
        assert (plain, accented, True) in pairs
