"""Tests of the layout stage: data-driven cases, the seeds, and worst-case inputs.

Cases run through ``tipclean.clean(..., spelling=False)`` so that they do not
depend on the corrector. Dehyphenation asks the lexicon; the cases use the
small stub lexicon `STUB` below (the bundled lists are built separately), and
`test_hyphenation_with_bundled_lexicon` checks the core examples against the
real lists when they are installed.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import time
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import regex

import tipclean
from tipclean import layout, lexicon
from tipclean.config import CleanConfig
from tipclean.document import apply_edits, replay

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
CASE_FILES = ("bullets.json", "hyphenation.json", "layout.json")
WORD = regex.compile(r"[\p{L}\p{N}]+")

# Just the words the hyphenation cases ask about, so that each case states
# its own evidence: "socioeconómico" is a word and still keeps its hyphen.
STUB: dict[str, frozenset[str]] = {
    "es": frozenset(
        {
            "protección",
            "comisión",
            "misión",
            "económico",
            "socioeconómico",
            "trata",
            "de",
            "la",
            "explotación",
            "sexual",
            "internacional",
            "nacional",
        }
    ),
    "en": frozenset(
        {
            "trafficking",
            "operation",
            "cooperation",
            "year",
            "old",
            "and",
            "term",
            "short",
            "long",
            "victim",
            "centered",
            "american",
            "government",
            "pre",
        }
    ),
}


def stub_is_word(word: str, lang: str | None = None) -> bool:
    lower = word.lower()
    return any(lower in STUB[name] for name in ((lang,) if lang else ("es", "en")))


@pytest.fixture
def stub_lexicon(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexicon, "is_word", stub_is_word)


def load_cases() -> Iterator[Any]:
    for name in CASE_FILES:
        with open(CASES / name, encoding="utf-8") as handle:
            for case in json.load(handle):
                yield pytest.param(case, id=f"{name.removesuffix('.json')}:{case['label']}")


ALL_CASES = list(load_cases())


@pytest.mark.parametrize("case", ALL_CASES)
@pytest.mark.usefixtures("stub_lexicon")
def test_case(case: dict[str, Any]) -> None:
    options = case.get("options", {})
    doc = tipclean.clean_document(case["original"], spelling=False, **options)
    assert doc.text == case["cleaned"]
    assert tipclean.clean(case["cleaned"], spelling=False, **options) == case["cleaned"]
    assert replay(case["original"], doc.changes) == doc.text


def test_case_files_are_well_formed() -> None:
    fields = {f.name for f in dataclasses.fields(CleanConfig)}
    labels = set()
    for param in ALL_CASES:
        case = param.values[0]
        assert set(case) <= {"label", "comment", "original", "cleaned", "options"}
        assert case["label"] and case["comment"]
        assert case["label"] not in labels, f"duplicate label {case['label']}"
        labels.add(case["label"])
        assert set(case.get("options", {})) <= fields
    for name in CASE_FILES:
        # Each rule has cases that must not change the text.
        with open(CASES / name, encoding="utf-8") as handle:
            cases = json.load(handle)
        assert any(c["original"] == c["cleaned"] for c in cases)
        assert any(c["original"] != c["cleaned"] for c in cases)


@pytest.mark.usefixtures("stub_lexicon")
def test_every_change_has_a_reason() -> None:
    for param in ALL_CASES:
        case = param.values[0]
        doc = tipclean.clean_document(case["original"], spelling=False, **case.get("options", {}))
        for change in doc.changes:
            if change.stage == "layout":
                assert change.reason and change.step in dict(layout.STEPS)


def _has_bundled_lexicon() -> bool:
    try:
        return resources.files("tipclean.dictionaries").joinpath("es.txt").is_file()
    except (ModuleNotFoundError, FileNotFoundError):
        return False


@pytest.mark.skipif(not _has_bundled_lexicon(), reason="dictionaries/*.txt not built yet")
@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("protec", "ción", "protección"),
        ("traf", "ficking", "trafficking"),
        ("anti", "trafficking", "anti-trafficking"),
        ("socio", "económico", "socio-económico"),
        ("17", "year", "17-year"),
        ("co", "operation", "co-operation"),
        ("co", "misión", "comisión"),
    ],
)
def test_hyphenation_with_bundled_lexicon(left: str, right: str, joined: str) -> None:
    joiner, _ = layout.hyphen_decision(left, right)
    assert left + joiner + right == joined


# --------------------------------------------------------------------------
# Seeds and eval texts
# --------------------------------------------------------------------------


def seed(prefix: str) -> str:
    path = next((ROOT / "seeds").glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


def corpus_files() -> list[Path]:
    files = sorted((ROOT / "seeds").glob("*.txt"))
    files += sorted((ROOT / "eval" / "sources").glob("**/*.txt"))
    files += sorted((ROOT / "eval" / "pairs").glob("**/*.noisy.txt"))
    return files


@dataclasses.dataclass
class Cleaned:
    original: str
    base: str  # after the encoding stage only
    doc: tipclean.Document


_CACHE: dict[tuple[str, bool, bool], Cleaned] = {}


def cleaned(text: str, boilerplate: bool = False, citations: bool = False) -> Cleaned:
    key = (text, boilerplate, citations)
    if key not in _CACHE:
        doc = tipclean.clean_document(
            text, spelling=False, remove_boilerplate=boilerplate, remove_citations=citations
        )
        # The encoding stage's own changes of the first pass give the text
        # layout received, without running ftfy (the slow part) again.
        encoding = [c for c in doc.changes if c.stage == "encoding" and c.pass_no == 1]
        _CACHE[key] = Cleaned(text, replay(text, encoding), doc)
    return _CACHE[key]


def blocks(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


def assert_words_kept(before: str, after: str) -> None:
    """The words of `after` are those of `before`, but for hyphen joins and misread bullets."""
    old, new = WORD.findall(before), WORD.findall(after)
    if old == new:
        return
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "delete" and set(old[i1:i2]) <= {"e", "o"}:
            continue
        if tag == "replace" and "".join(old[i1:i2]) == "".join(new[j1:j2]):
            continue
        raise AssertionError(f"words changed: {old[i1:i2]} ==> {new[j1:j2]}")


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_corpus_words_kept_and_idempotent(path: Path) -> None:
    result = cleaned(path.read_text(encoding="utf-8"))
    text = result.doc.text
    assert_words_kept(result.base, text)
    # Language tags never change the text; leaving them out saves time.
    assert tipclean.clean(text, spelling=False, language=False) == text
    assert replay(result.original, result.doc.changes) == text


def test_eval_pairs_are_globbed_when_present() -> None:
    pairs = list((ROOT / "eval" / "pairs").glob("**/*.noisy.txt"))
    if not pairs:
        pytest.skip("eval/pairs not generated yet")
    assert all(p in corpus_files() for p in pairs)


def test_seed_000_structure() -> None:
    out = cleaned(seed("000")).doc.text
    lines = out.split("\n")
    for heading in (
        "Pera (Nivel 2)",
        "RECOMENDACIONES POR ORDEN DE PRIORIDAD:",
        "Procesamiento judicial",
        "PROTECCION",
        "PREVENCION",
        "PERFIL DE LA TRATA DE PERSONAS",
    ):
        assert heading in lines
    first = lines.index("RECOMENDACIONES POR ORDEN DE PRIORIDAD:") + 2
    items = lines[first : first + 13]
    assert all(item.startswith("• ") for item in items)
    assert items[0].startswith("• Aumentar la financiacion y el acceso")
    assert items[6].startswith("• Dejar de retener a las victimas en las estaciones")
    assert items[6].endswith("policia, especialmente a los nifios.")
    assert items[12].startswith("• Hacer cumplir las leyes")
    assert lines[first + 13] == ""
    assert sum(line.startswith("• ") for line in lines) == 13
    assert len(blocks(out)) == 33  # 6 headings, 14 paragraphs, 13 items
    assert "Si bien varios ministerios" in "\n".join(line[:30] for line in lines)
    assert 'formas de explotacion" que' in out and "™" not in out


def test_seed_001_structure() -> None:
    original = seed("001")
    out = cleaned(original).doc.text
    assert original.count("\n") > 500
    paragraphs = blocks(out)
    assert len(paragraphs) == 13
    headings = [p for p in paragraphs if len(p) < 40]
    assert headings == ["Procesos Judiciales", "Protección", "Prevención"]
    assert all(p[-1] in ".:" for p in paragraphs if p not in headings)
    assert "\n\n\n" not in out


def test_seed_003_recommendations_become_a_list() -> None:
    lines = cleaned(seed("003")).doc.text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("• "))
    items = lines[start : start + 10]
    assert all(item.startswith("• ") for item in items)
    assert items[0].startswith("• Amend the anti-trafficking law")
    assert items[1].startswith("• Increase funding for anti-trafficking efforts")
    assert lines[start - 1] == "" and lines[start + 10] == ""
    assert sum(line.startswith("• ") for line in lines) == 10


@pytest.mark.parametrize("prefix", ["002", "003", "004"])
def test_paragraph_per_line_seeds_keep_their_lines(prefix: str) -> None:
    result = cleaned(seed(prefix))
    before = [" ".join(line.split()) for line in result.base.split("\n") if line.strip()]
    before = [regex.sub(r"^• ", "• ", line) for line in before]
    after = blocks(result.doc.text)
    if prefix == "003":
        # Its run-on recommendations are the one line split into items.
        assert len(after) == len(before) + 9
    else:
        assert after == before


def test_seed_002_boilerplate_removed_on_request() -> None:
    result = cleaned(seed("002"), boilerplate=True)
    out = result.doc.text
    for gone in ("Send a Letter", "More News", "Pexels", "LETTER TO THE EDITOR", "Have a concern"):
        assert gone not in out
    assert not regex.search(r"(?m)^\d+$", out)
    assert out.startswith("2023 Trafficking in Persons Report: Peru\n")
    removed = [c for c in result.doc.changes if c.step == "boilerplate"]
    assert len(removed) == 13 and all(c.after == "" for c in removed)
    assert replay(result.original, result.doc.changes) == out
    kept = cleaned(seed("002")).doc.text
    assert "Send a Letter" in kept and "More News" in kept


def test_seed_004_citations_removed_on_request() -> None:
    result = cleaned(seed("004"), citations=True)
    out = result.doc.text
    assert not regex.search(r"\[\d+\]", out)
    assert "References" not in out and "See also" not in out and "BBC News" not in out
    assert out.endswith(
        "\n\nThis article is issued from Wikipedia. The text is licensed under "
        "Creative Commons - Attribution - Sharealike. Additional terms may apply "
        "for the media files.\n"
    )
    assert replay(result.original, result.doc.changes) == out
    both = cleaned(seed("004"), boilerplate=True, citations=True).doc.text
    assert both.endswith("gold mining hub.\n")
    kept = cleaned(seed("004")).doc.text
    assert "[1]" in kept and "References" in kept


# --------------------------------------------------------------------------
# Worst cases and speed
# --------------------------------------------------------------------------


def run_layout(text: str, config: CleanConfig | None = None) -> str:
    config = config or CleanConfig(remove_boilerplate=True, remove_citations=True)
    for _, step in layout.STEPS:
        edits = step(text, config)
        if edits:
            text = apply_edits(text, edits)
    return text


# The sizes of issue 5 (100k hyphens, bullets, spaces; a megabyte of one
# letter or of one line) and, for inputs of many lines, 20k lines: enough for
# a quadratic step to take minutes, small enough for a quick test run.
PATHOLOGICAL: dict[str, Callable[[], str]] = {
    "hyphens": lambda: "-" * 100_000,
    "hyphen-lines": lambda: "-\n" * 20_000,
    "bullets": lambda: "• " * 100_000,
    "asterisks": lambda: "* " * 100_000,
    "guillemets": lambda: "« " * 100_000,
    "spaces": lambda: " " * 1_000_000,
    "one-letter": lambda: "a" * 1_000_000,
    "one-megabyte-line": lambda: "palabra, otra. " * 70_000,
    "periods": lambda: "." * 1_000_000,
    "newlines": lambda: "\n" * 100_000,
    "trademarks": lambda: 'a "b™ ' * 100_000,
    "citations": lambda: "a.[1]" * 100_000,
    "tabs-and-spaces": lambda: "a \t " * 50_000,
    "inline-markers": lambda: "A. * " * 20_000,
    "hyphen-line-ends": lambda: "ab-\n" * 20_000,
    "bullet-lines": lambda: "• x\n" * 20_000,
    "letter-bullets": lambda: "e Aumentar.\n" * 20_000,
    "doubled-lines": lambda: "una linea que sigue\n\n" * 20_000,
}


@pytest.mark.usefixtures("stub_lexicon")
@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_input_is_fast(name: str) -> None:
    text = PATHOLOGICAL[name]()
    start = time.perf_counter()
    run_layout(text)
    assert time.perf_counter() - start < 3.0


def test_steps_are_registered_in_order() -> None:
    assert [name for name, _ in layout.STEPS] == [
        "whitespace",
        "boilerplate",
        "citations",
        "bullets",
        "dehyphenate",
        "unwrap",
        "split-inline-list",
        "quotes",
        "blocks",
    ]
