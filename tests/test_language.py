"""The language tagger: seeds, data-driven cases, accuracy on a bilingual file, determinism."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import regex

import tipclean
from tests.data.language.noise import ocr_noise
from tipclean import language
from tipclean.config import CleanConfig

HERE = Path(__file__).resolve().parent
SEEDS = sorted((HERE.parent / "seeds").glob("*.txt"))
SEED_LANGUAGE = {"000": "es", "001": "es", "002": "en", "003": "en", "004": "en"}
CASES: list[dict[str, Any]] = json.loads(
    (HERE / "cases" / "language.json").read_text(encoding="utf-8")
)
BILINGUAL = HERE / "data" / "language" / "bilingual.jsonl"
WORD = regex.compile(r"\p{L}+")
LONG = 20
"""Paragraphs of at least this many words form the long band; 5 to 19 words the short one."""


def records() -> list[dict[str, str]]:
    with BILINGUAL.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def band(text: str) -> str:
    n = len(WORD.findall(text))
    return "long" if n >= LONG else "short" if n >= 5 else "tiny"


def accuracy(tags: list[str], data: list[dict[str, str]]) -> dict[tuple[str, str], float]:
    """Share of right tags per (language, band), over the es and en paragraphs."""
    right: dict[tuple[str, str], list[bool]] = {}
    for lang, record in zip(tags, data, strict=True):
        if record["lang"] in ("es", "en"):
            right.setdefault((record["lang"], band(record["text"])), []).append(
                lang == record["lang"]
            )
    return {key: sum(hits) / len(hits) for key, hits in sorted(right.items())}


def run_python(code: str, hashseed: str) -> str:
    """Run `code` in a fresh interpreter that imports the tipclean under test."""
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    package_root = str(Path(tipclean.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=120,
    )
    return done.stdout


# Seeds ---------------------------------------------------------------------


@pytest.mark.parametrize("path", SEEDS, ids=[p.name[:3] for p in SEEDS])
def test_seed_document_tag(path: Path) -> None:
    expected = SEED_LANGUAGE[path.name[:3]]
    text = path.read_text(encoding="utf-8")
    assert language.detect_language(text) == expected
    assert tipclean.detect_language(text) == expected


@pytest.mark.parametrize("path", SEEDS, ids=[p.name[:3] for p in SEEDS])
def test_seed_after_cleaning(path: Path) -> None:
    expected = SEED_LANGUAGE[path.name[:3]]
    doc = tipclean.clean_document(path.read_text(encoding="utf-8"), spelling=False)
    assert doc.language == expected
    words = {lang: 0 for lang in ("es", "en", "und")}
    for para in doc.paragraphs:
        assert doc.text[para.start : para.end] == para.text
        words[para.language] += len(WORD.findall(para.text))
    # Nearly every word is tagged with the seed's language (002 to 004 quote
    # a few Spanish titles; a short OCR line may come out "und").
    assert words[expected] >= 0.97 * sum(words.values())


# Data-driven cases ---------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    assert language.detect_language(case["text"]) == case["expected"]
    if "lines" in case:
        assert language.line_languages(case["text"], case.get("hint")) == case["lines"]


# Accuracy on the bilingual file --------------------------------------------


@pytest.fixture(scope="module")
def bilingual() -> list[dict[str, str]]:
    return records()


def test_bilingual_file_is_well_formed(bilingual: list[dict[str, str]]) -> None:
    assert len(bilingual) > 1000
    for record in bilingual:
        assert set(record) == {"lang", "text", "source"}
        assert record["lang"] in ("es", "en", "und")
        assert "\n" not in record["text"] and record["text"] == record["text"].strip()
        assert band(record["text"]) != "tiny"
    bands = {(r["lang"], band(r["text"])) for r in bilingual}
    assert bands == {(lang, b) for lang in ("es", "en", "und") for b in ("long", "short")}


def test_accuracy_each_paragraph_alone(bilingual: list[dict[str, str]]) -> None:
    """No neighbours to lean on: an undecided paragraph counts as wrong."""
    tags = [language.detect_language(r["text"]) for r in bilingual]
    scores = accuracy(tags, bilingual)
    for (lang, size), score in scores.items():
        assert score >= (0.99 if size == "long" else 0.95), (lang, size, score)


def test_accuracy_in_a_mixed_document(bilingual: list[dict[str, str]]) -> None:
    """The file as one document switching language every one to four paragraphs."""
    tags = language.line_languages("\n".join(r["text"] for r in bilingual))
    scores = accuracy(tags, bilingual)
    for (lang, size), score in scores.items():
        assert score >= (0.99 if size == "long" else 0.95), (lang, size, score)




def test_accuracy_under_ocr_noise(bilingual: list[dict[str, str]]) -> None:
    """A fifth of the words damaged, half of them without accents: tags hold."""
    rng = random.Random(0)
    served = [r for r in bilingual if r["lang"] in ("es", "en")]
    noisy = [{**r, "text": ocr_noise(r["text"], rng, 0.2)} for r in served]
    assert sum(a["text"] != b["text"] for a, b in zip(noisy, served, strict=True)) > 0.9 * len(
        served
    )
    tags = [language.detect_language(r["text"]) for r in noisy]
    for (lang, size), score in accuracy(tags, noisy).items():
        assert score >= (0.99 if size == "long" else 0.95), (lang, size, score)


def test_other_languages_are_und(bilingual: list[dict[str, str]]) -> None:
    others = [r for r in bilingual if r["lang"] == "und"]
    tags = [language.detect_language(r["text"]) for r in others]
    assert tags.count("und") >= 0.95 * len(others)


@pytest.mark.parametrize(
    "text",
    [
        (
            "Le gouvernement a augmenté ses efforts pour identifier les victimes et poursuivre "
            "les trafiquants, mais les services aux victimes adultes restent insuffisants."
        ),
        (
            "Die Regierung hat ihre Bemühungen verstärkt, Opfer zu identifizieren und Täter zu "
            "verfolgen, aber die Betreuung erwachsener Opfer bleibt unzureichend."
        ),
    ],
    ids=["french", "german"],
)
def test_french_and_german_paragraphs_are_und(text: str) -> None:
    assert language.detect_language(text) == "und"
    spanish = "El gobierno aumentó sus esfuerzos para identificar a las víctimas de trata."
    assert language.line_languages(f"{spanish}\n{text}\n{spanish}") == ["es", "und", "es"]


# Determinism ---------------------------------------------------------------

DETERMINISM = """
    import hashlib, json
    from tipclean import language
    with open({path!r}, encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle]
    out = [language.line_languages("\\n".join(texts))]
    out.append([language.detect_language(t) for t in texts])
    # langdetect's own sampling, on the short lines where it is least sure.
    out.append([language._langdetect(t) for t in texts if len(t) < 60][:150])
    print(hashlib.sha256(json.dumps(out).encode()).hexdigest())
"""


def test_same_tags_whatever_the_hash_seed() -> None:
    code = DETERMINISM.format(path=str(BILINGUAL))
    digests = {run_python(code, seed) for seed in ("0", "1", "4242")}
    assert len(digests) == 1


def test_langdetect_is_seeded_per_call() -> None:
    text = "A buen hambre, no hay pan duro."
    first = language._langdetect(text)
    assert all(language._langdetect(text) == first for _ in range(5))


def test_nothing_loads_at_import() -> None:
    code = """
        import sys
        import tipclean
        from tipclean import language
        print("langdetect" in sys.modules, language._factory.cache_info().currsize)
        language.detect_language("El gobierno aumentó los esfuerzos contra la trata.")
        print("langdetect" in sys.modules, language._factory.cache_info().currsize)
        language.load()
        print("langdetect" in sys.modules, language._factory.cache_info().currsize)
    """
    lines = run_python(code, "0").split("\n")
    # A clear paragraph is settled by the word vote alone: langdetect waits.
    assert lines[:3] == ["False 0", "False 0", "True 1"]


def test_loads_only_the_profiles_it_needs() -> None:
    assert language._factory().get_lang_list() == list(language.PROFILES)


# tag() and line_languages() ------------------------------------------------


def test_tag_one_paragraph_per_nonblank_line() -> None:
    text = (
        "  Informe anual  \n\n\nEl gobierno aumentó los esfuerzos.\n"
        "   \nThe government increased efforts.\n"
    )
    doc, paras = language.tag(text, CleanConfig())
    assert [p.text for p in paras] == [
        "Informe anual",
        "El gobierno aumentó los esfuerzos.",
        "The government increased efforts.",
    ]
    assert all(text[p.start : p.end] == p.text for p in paras)
    assert [p.language for p in paras] == ["es", "es", "en"]
    assert doc == "es"


def test_tag_without_detection() -> None:
    text = "El gobierno aumentó los esfuerzos.\nThe government increased efforts.\n"
    doc, paras = language.tag(text, CleanConfig(language=False))
    assert doc == "und" and {p.language for p in paras} == {"und"}
    doc, paras = language.tag(text, CleanConfig(language=False, language_hint="en"))
    assert doc == "en" and {p.language for p in paras} == {"en"}


def test_hint_forces_document_and_fills_undecided_lines() -> None:
    text = (
        "Lima\n"
        "El gobierno peruano aumentó los esfuerzos para identificar a las víctimas de trata.\n"
        "Cusco\n"
        "The government increased its efforts to identify trafficking victims.\n"
    )
    doc, paras = language.tag(text, CleanConfig(language_hint="en"))
    assert doc == "en"
    assert [p.language for p in paras] == ["en", "es", "en", "en"]
    assert language.line_languages(text, hint="en") == ["en", "es", "en", "en", "en"]
    assert language.line_languages(text) == ["es", "es", "en", "en", "en"]


def test_line_languages_one_tag_per_line() -> None:
    for text in ("", "\n", "a\n\nb", "El gobierno aumentó los esfuerzos.\n\n\n"):
        assert len(language.line_languages(text)) == len(text.split("\n"))
    with pytest.raises(ValueError, match="hint"):
        language.line_languages("x", hint="fr")


def test_pipeline_tags_paragraphs() -> None:
    doc = tipclean.clean_document(
        "El gobierno aumentó los esfuerzos contra la trata de personas.\n"
        "The government increased its efforts against trafficking.\n",
        spelling=False,
    )
    assert [p.language for p in doc.paragraphs] == ["es", "en"]
    assert doc.languages == {"en": 1, "es": 1}


# mark() ---------------------------------------------------------------------

MARKS = [
    ("", "es", "---\nlanguage: es\n---\n"),
    ("---\ntitle: Perú\n---\n", "es", "---\ntitle: Perú\nlanguage: es\n---\n"),
    ("---\nlanguage: en\ntitle: Perú\n---\n", "es", "---\nlanguage: es\ntitle: Perú\n---\n"),
    ("---\nlanguage:en\nlanguage: fr\n---\n", "es", "---\nlanguage: es\n---\n"),
    ("---\n---\n", "en", "---\nlanguage: en\n---\n"),
    ("---\ntitle: x\n---", "en", "---\ntitle: x\nlanguage: en\n---"),
    (
        "---\nmeta:\n  language: fr\n---\n",
        "es",
        "---\nmeta:\n  language: fr\nlanguage: es\n---\n",
    ),
]


@pytest.mark.parametrize(("front", "lang", "expected"), MARKS)
def test_mark(front: str, lang: str, expected: str) -> None:
    assert language.mark(front, lang) == expected
    assert language.mark(expected, lang) == expected


def test_mark_rejects_what_is_not_front_matter() -> None:
    with pytest.raises(ValueError, match="front matter"):
        language.mark("title: x\n", "es")


def test_mark_through_the_pipeline() -> None:
    text = "---\ntitle: Informe\n---\nEl gobierno aumentó los esfuerzos contra la trata.\n"
    doc = tipclean.clean_document(text, mark_language=True, spelling=False)
    assert doc.text.startswith("---\ntitle: Informe\nlanguage: es\n---\n")
    assert tipclean.clean(doc.text, mark_language=True, spelling=False) == doc.text
    assert tipclean.clean(text, spelling=False) == text
    (body,) = doc.paragraphs
    assert doc.text[body.start : body.end] == body.text
    assert body.language == "es"
