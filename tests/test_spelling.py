"""Spelling stage cases: what must be repaired, and what must never change."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import regex

import tipclean
from tipclean import spelling
from tipclean.document import replay

CASES = Path(__file__).parent / "cases"


def load(name: str) -> list[dict[str, Any]]:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


def params(name: str) -> list[Any]:
    marks = {"fail": pytest.mark.xfail(reason="known failure", strict=True)}
    return [
        pytest.param(case, id=case["label"], marks=[marks[case["expect"]]] if case.get("expect") in marks else [])
        for case in load(name)
    ]


@pytest.mark.parametrize("case", params("spelling.json") + params("negative.json"))
def test_case(case: dict[str, Any]) -> None:
    options = {"language_hint": case["lang"]} if case.get("lang") else {}
    doc = tipclean.clean_document(case["original"], **options)
    assert doc.text == case["cleaned"]
    assert tipclean.clean(doc.text, **options) == doc.text
    assert replay(case["original"], doc.changes) == doc.text
    assert all(c.reason for c in doc.changes if c.stage == "spelling")


def test_known_words_cost_a_lookup() -> None:
    spelling.candidates.cache_clear()
    tipclean.clean("El gobierno del Perú informó que los niños son víctimas.\n", language_hint="es")
    assert spelling.candidates.cache_info().currsize == 0


def test_confidence_threshold_leaves_unsure_words() -> None:
    text = "los nifios del Perd"
    assert tipclean.clean(text, language_hint="es", min_confidence=1.0) == "los nifios del Perd\n"


def test_spelling_can_be_switched_off() -> None:
    assert tipclean.clean("los nifios", spelling=False, language_hint="es") == "los nifios\n"


def test_context_can_be_switched_off() -> None:
    text = "The govemment did not report traffcking data on the Intemet in the fist year."
    assert "first year" in tipclean.clean(text, language_hint="en")
    assert "fist year" in tipclean.clean(text, language_hint="en", context=False)
    text = "El gobierno esta revisando la informacion de las victimas y la proteccion de los nifios."
    assert "gobierno está revisando" in tipclean.clean(text, language_hint="es")
    assert "gobierno esta revisando" in tipclean.clean(text, language_hint="es", context=False)


def test_seed_000_reads_like_the_original() -> None:
    case = json.loads((CASES / "seed000.json").read_text(encoding="utf-8"))
    seed = Path(__file__).parent.parent / "seeds" / case["seed"]
    words = set(regex.findall(r"[\p{L}\p{N}]+", tipclean.clean_file(seed).text))
    assert sorted(set(case["gone"]) & words) == []
    assert sorted(set(case["present"]) - words) == []


def test_accent_form_pattern_follows_accent_forms() -> None:
    # The accent index is built with a pattern instead of accent_forms (a
    # thousand times faster on a whole lexicon); they must agree everywhere.
    import itertools

    from tipclean.channel import strip_accents

    alphabet = "anNAñÑáÁéüÜàçx"
    for size in range(5):
        for letters in itertools.product(alphabet, repeat=size):
            word = "".join(letters)
            expected = word in spelling.accent_forms(strip_accents(word), "es")
            assert bool(spelling._ACCENT_FORM.fullmatch(word)) == expected, word


@pytest.mark.parametrize("name, lang", [("es", "es"), ("domain", None), ("en", "en")])
def test_accent_index_matches_accent_forms(name: str, lang: str | None) -> None:
    from tipclean import lexicon
    from tipclean.channel import strip_accents

    # Every third of the commonest words, every key of the index, and a few others.
    keys = {strip_accents(word.lower()) for word in list(lexicon.counts(name))[:40_000:3]}
    keys |= set(spelling._accent_index(name)[0]) | {"nino", "peru", "ninos", "sr", "usa", "xyz"}
    for key in sorted(keys):
        for pattern in (key, key.capitalize(), key.upper()):
            expected = list(spelling._matches(pattern, spelling.accent_forms(key, lang), name))
            assert spelling._accent_matches(pattern, key, lang, name) == expected, (pattern, name)


@pytest.mark.parametrize("shared", [False, True])
def test_evidence_finds_what_a_full_index_finds(shared: bool) -> None:
    # Evidence indexes a word only when a token could find it, into an index
    # that an earlier pass over the document may have filled with other
    # words; lookups must return the same words as an index of its own.
    import random

    import regex
    from symspellpy import SymSpell, Verbosity

    root = Path(__file__).parent.parent
    words = sorted(
        {w for p in sorted(root.glob("eval/pairs/dev/*/*.noisy.txt"))[:12] for w in regex.findall(r"\w+", p.read_text("utf-8"))}
    )
    rng = random.Random(8)
    known = set(rng.sample(words, len(words) // 2))
    if shared:
        spelling.begin_document()
        earlier = spelling.Evidence(rng.sample(words, len(words) // 2))
        for token in rng.sample(words, 200):
            earlier.nearby(token)
    evidence = spelling.Evidence(known)
    full = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    for word in sorted(evidence.known):
        full.create_dictionary_entry(word, 1)
    def misspell(word: str) -> str:
        # One or two random edits, most of them in the first letters, where
        # the index decides which words a token can find.
        for _ in range(rng.randint(1, 2)):
            i = min(rng.randrange(len(word) + 1), rng.randrange(9))
            op = rng.choice("dist")
            if op == "d" and i < len(word):
                word = word[:i] + word[i + 1 :]
            elif op == "i":
                word = word[:i] + rng.choice("aeinorst") + word[i:]
            elif op == "s" and i < len(word):
                word = word[:i] + rng.choice("aeinorst") + word[i + 1 :]
            elif op == "t" and i + 1 < len(word):
                word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        return word

    tokens = rng.sample(words, 300) + ["ab", "abc", "tratficking", "Gobierno"]
    tokens += [misspell(word) for word in rng.sample(sorted(known), 300)]

    def check(token: str) -> None:
        expected = {item.term for item in full.lookup(token, Verbosity.ALL, max_edit_distance=2)}
        if len(token) < spelling.MIN_EDIT_LENGTH:
            expected = set()
        assert set(evidence.nearby(token)) == expected, token

    for n, token in enumerate(tokens):
        if n % 50 == 49:
            fresh = set(rng.sample(words, 40))
            # Near some of the tokens asked already (the index keeps its answers).
            fresh |= {misspell(t) for t in rng.sample(tokens[:n], 10)}
            evidence.add(fresh)
            for word in sorted(fresh - set(full.words)):
                if len(word) >= spelling.MIN_EDIT_LENGTH:
                    full.create_dictionary_entry(word, 1)
            # The answers given before the new words came: asked again.
            for earlier in tokens[:n]:
                check(earlier)
        check(token)
    spelling.end_document()


def test_unknown_tokens_are_found_where_a_token_scan_finds_them() -> None:
    # _unknown_tokens looks for the odd tokens with str.find and tries only
    # the chunks around them for URLs; this is the plain scan it replaces.
    import random

    import regex

    def reference(line: str, lang: str, odd: set[str]) -> list[tuple[int, str, bool]]:
        chunks = [m.span() for m in regex.finditer(r"\S++", line) if spelling._URLISH.search(m.group())]
        shielded = chunks if spelling._URLISH.search(line) else []
        found = []
        for tok in spelling.TOKEN.finditer(line):
            start, end = tok.span()
            if tok.group() not in odd or any(a <= start < b for a, b in shielded):
                continue
            if not spelling._skip(line, start, end, tok.group()):
                found.append((start, tok.group(), spelling._mid_sentence(line, start)))
        return found

    rng = random.Random(5)
    pieces = ["nifio", "ni", "casa", "Perd", "www.x.pe", "http://a.b/c", "a@b.org", "x_y", "co-", "-op",
              "l'nifio", "nifio's", "3d", "1999", "e.g.", "nifio.", "(nifio)", "«nifio»", "¿nifio?", "caf\u00e9",
              "n\u0303ifio", "\u2003", " ", "  ", "\t", ",", ".", "www.nifio", "nifio.com", "100%"]
    for _ in range(3000):
        line = "".join(rng.choice(pieces) + rng.choice(["", " ", " ", "\u00a0"]) for _ in range(rng.randint(0, 12)))
        odd = set(rng.sample(sorted(set(spelling.TOKEN.findall(line)) or {"nifio"}), k=1)) | {"nifio", "ni"}
        got = [(t.start, t.text, t.mid_sentence) for t in spelling._unknown_tokens(line, 0, "es", odd)]
        assert got == reference(line, "es", odd), line


def test_symspell_deletes_are_symspellpys() -> None:
    # Evidence's index lists the deletes of a word itself (faster); they must
    # be what symspellpy lists, or its lookups would find other words.
    import random

    from symspellpy import SymSpell

    ours = spelling._symspell_class()(max_dictionary_edit_distance=2, prefix_length=7)
    theirs = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    rng = random.Random(2)
    words = ["", "a", "ab", "abc", "aab", "niños", "tratficking", "mississippi", "aaaaaaaaa"]
    words += ["".join(rng.choice("abñé") for _ in range(rng.randint(0, 11))) for _ in range(2000)]
    for word in words:
        assert ours._edits_prefix(word) == theirs._edits_prefix(word), word


def test_plain_edits_and_their_matches() -> None:
    # single_edits builds its set with fewer string operations, and
    # _matches_among finds with set intersections what _matches finds one
    # form at a time; both against the plain versions.
    import random

    def reference_edits(token: str, lang: str) -> set[str]:
        letters = spelling.ALPHABET[lang]
        splits = [(token[:i], token[i:]) for i in range(len(token) + 1)]
        edits = {a + b[1:] for a, b in splits if b}
        edits.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
        edits.update(a + c + b[1:] for a, b in splits if b for c in letters)
        edits.update(a + c + b for a, b in splits for c in letters)
        edits.discard(token)
        return edits

    rng = random.Random(4)
    tokens = ["", "a", "ab", "nifios", "tratficking", "Peru", "GOBIERNO", "Lima", "usa", "Ilevar"]
    tokens += ["".join(rng.choice("aeinorsñáAPL") for _ in range(rng.randint(1, 9))) for _ in range(200)]
    for token in tokens:
        for lang in ("es", "en"):
            edits = spelling.single_edits(token.lower(), lang)
            assert edits == reference_edits(token.lower(), lang), token
            for name in (lang, "domain"):
                expected = set(spelling._matches(token, sorted(edits), name))
                got = spelling._matches_among(token, edits, name)
                assert len(got) == len(set(got)) and set(got) == expected, (token, name)


def test_cheap_confusions_are_the_cheap_part_of_all() -> None:
    # The context step generates only the cheap readings where context cannot
    # pay for a plain edit: they must be exactly those of the full list.
    from tipclean import context
    from tipclean.channel import load

    lm = context.model()
    assert lm is not None
    edit_cost = load("en").edit_cost
    for word in [*sorted(lm.words)[::40], "isa", "fist", "lmow", "modem", "ae"]:
        full = context.confusions(word)
        assert context.confusions(word, True) == tuple(o for o in full if o[1] < edit_cost), word


@pytest.mark.parametrize(
    "line",
    [
        "the fist line, they ae created; don't t-shirt co-op 'quoted' it’s",
        "  leading and trailing  ",
        "a\x1cb c\x1fd e\u2028f g\u00a0h",  # separators Python and regex read differently
        "new \u088f letters \u0c5cx and CJK 東京 tokyo",
        "digits 3com ½ x² and marks ¿qué? —dash— «fin»",
        "",
        "-",
        "word",
    ],
)
def test_line_words_are_words(line: str) -> None:
    # The context step splits lines with re where it can: the words, their
    # offsets and which of them only spaces part must be those of _words.
    from tipclean import context

    pieces = context._words(line)
    found = context._line_words(line)
    words = [(k, piece) for k, piece in enumerate(pieces) if piece is not None]
    assert found.words == [piece[2] for _, piece in words]
    assert found.starts == [piece[0] for _, piece in words]
    assert found.ends == [piece[1] for _, piece in words]
    for n, (k, _) in enumerate(words):
        if n:
            assert found.spaced[n] == (pieces[k - 1] is not None), (line, n)
    marked = context._compounded(line, found) if line else set()
    assert marked == {n for n, (_, p) in enumerate(words) if context._in_compound(line, p[0], p[1])}


def test_readings_index_is_confusions() -> None:
    # The context step looks a word's readings up in an index built once per
    # lexicon (and kept in the cache): it must hold what confusions finds.
    from tipclean import context

    lm = context.model()
    assert lm is not None
    index = context._readings()
    assert index is not None
    # (The step asks only about words of the model.)
    for word in [*sorted(lm.words)[::7], "fist", "modem", "ae", "form"]:
        assert word in lm.words
        assert index.get(word, ()) == context.confusions(word), word


@pytest.mark.parametrize("where", ["no cache", "unwritable cache"])
def test_context_step_without_a_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, where: str) -> None:
    # Where the readings index cannot be kept it is not built (every process
    # would pay for it): each word's readings are found as it comes, to the same end.
    from tipclean import context, lexicon

    text = (Path(__file__).parent.parent / "eval" / "pairs" / "dev" / "en" / "seed002-05.noisy.txt").read_text(encoding="utf-8")
    cached = tipclean.clean_document(text)
    assert context._readings() is not None
    if where == "no cache":
        monkeypatch.setattr(lexicon, "cache_dir", lambda: None)
    else:
        monkeypatch.setattr(lexicon, "cache_dir", lambda: str(tmp_path / "cache"))
        monkeypatch.setattr(lexicon, "_writable", lambda folder: False)
    context._readings.cache_clear()
    try:
        assert context._readings() is None
        uncached = tipclean.clean_document(text)
    finally:
        context._readings.cache_clear()
    assert uncached.text == cached.text and uncached.changes == cached.changes
    assert any("likelier word here" in change.reason for change in cached.changes)


def test_context_step_without_bigram_data(monkeypatch: pytest.MonkeyPatch) -> None:
    # The bigram lists are symspellpy's data files, not its API: without
    # them the step does nothing, and the rest of the corrector still runs.
    from tipclean import context

    def missing(prefix: str) -> bytes:
        raise LookupError(f"symspellpy ships no {prefix}*.txt")

    monkeypatch.setattr(context, "_symspell_file", missing)
    context.model.cache_clear()
    context.confusions.cache_clear()
    try:
        text = "The govemment did not report traffcking data on the Intemet in the fist year."
        assert tipclean.clean(text, language_hint="en") == (
            "The government did not report trafficking data on the Internet in the fist year.\n"
        )
    finally:
        monkeypatch.undo()
        context.model.cache_clear()
        context.confusions.cache_clear()


def test_runs_are_what_regex_finds() -> None:
    # Tokens and the language vote's words are found with re on a class
    # spelled out from regex's own: both must find the same runs.
    import random

    import regex

    from tipclean.runs import LIMIT, Runs

    rng = random.Random(3)
    for chars in (r"\p{L}\p{N}\p{M}", r"\p{L}"):
        runs, pattern = Runs(chars), regex.compile(f"[{chars}]++")
        every = "".join(map(chr, range(LIMIT)))
        assert runs.findall(every) == pattern.findall(every)
        for _ in range(2000):
            text = "".join(chr(rng.choice([rng.randrange(128), rng.randrange(LIMIT + 300)])) for _ in range(rng.randrange(40)))
            assert runs.findall(text) == pattern.findall(text), text


def test_lone_words_are_the_words_outside_compounds() -> None:
    # The context step counts a document's words as all words less those _compounded finds from the marks.
    import random

    from tipclean import context

    rng = random.Random(4)
    pieces = ["don", "'", "’", "t", "-", "anti", "e", "mail", " ", "  ", ".", "2", "x2", "é", "n\u0303", "—", "_", "'s"]
    for _ in range(3000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        expected = [
            piece[2]
            for piece in context._words(line)
            if piece is not None and not context._in_compound(line, piece[0], piece[1])
        ]
        found = context._line_words(line)
        marked = context._compounded(line, found)
        got = [word for k, word in enumerate(found.words) if k not in marked]
        assert got == expected, line


def test_inverted_mark_hint_lets_every_capital_through() -> None:
    # _inverted_marks skips a line _INVERTED_HINT finds nothing in: it must
    # find the letter before any capital _INVERTED takes.
    import regex

    capital = regex.compile(r"\p{Lu}")
    for code in range(0x110000):
        ch = chr(code)
        if capital.match(ch):
            for letter in "jigeéí":
                assert spelling._INVERTED_HINT.search(letter + ch), hex(code)


def test_no_change_leaves_a_word_as_it_was() -> None:
    # A token the document spells the same way elsewhere (a line of the other
    # language knows "Kubuntu") once came back as a reading of itself, an
    # empty "accent" entry in the change log.
    evidence = spelling.Evidence({"Kubuntu", "equipo", "paquetes"})
    assert spelling.choose("Kubuntu", "es", mid_sentence=False, recurs=6, evidence=evidence) is None


def test_compounds_are_the_regex_matches() -> None:
    # Compounds are found from their hyphens: the same matches as the pattern's own search.
    import random

    rng = random.Random(7)
    texts = ["anti-trafficking co-op x-y-z -a- b--c", "e-mail, self-help\nnon-Ñandú-2x", "--", "a-", "-b"]
    texts += ["".join(rng.choice("ab-- é1_\n-xÑ") for _ in range(rng.randint(0, 20))) for _ in range(3000)]
    for text in texts:
        assert [m.span() for m in spelling._compounds(text)] == [m.span() for m in spelling.COMPOUND.finditer(text)], text
