"""The channel's fast paths give exactly what the plain algorithms give."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

import pytest

from tipclean import channel
from tipclean.channel import ACCENT_COST, CASE_COST, MAX_SIDE, Channel, strip_accents


def reference_distance(ch: Channel, noisy: str, gold: str) -> float:
    """The weighted edit distance over the whole table, as first written."""
    n, m = len(noisy), len(gold)
    n_plain = [strip_accents(c) for c in noisy]
    g_plain = [strip_accents(c) for c in gold]
    n_low, g_low = noisy.lower(), gold.lower()
    dist = [[math.inf] * (m + 1) for _ in range(n + 1)]
    dist[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = dist[i][j]
            if here == math.inf:
                continue
            if i < n:
                if j < m:
                    if noisy[i] == gold[j]:
                        step = 0.0
                    elif n_plain[i] == g_plain[j]:
                        step = ACCENT_COST
                    elif n_low[i] == g_low[j]:
                        step = CASE_COST
                    elif n_plain[i].lower() == g_plain[j].lower():
                        step = ACCENT_COST + CASE_COST
                    elif g_plain[j] != gold[j] and gold[j].isalpha():
                        step = min(ch.edit_cost, ch.accented_cost)
                    else:
                        step = ch.edit_cost
                    dist[i + 1][j + 1] = min(dist[i + 1][j + 1], here + step)
                dist[i + 1][j] = min(dist[i + 1][j], here + ch.edit_cost)
            if j < m:
                dist[i][j + 1] = min(dist[i][j + 1], here + ch.edit_cost)
            for size in range(1, min(MAX_SIDE, n - i) + 1):
                for dst, cost in ch.by_noisy.get(noisy[i : i + size], ()):
                    if gold.startswith(dst, j):
                        end = dist[i + size][j + len(dst)]
                        dist[i + size][j + len(dst)] = min(end, here + cost)
    return dist[n][m]


def reference_walk(ch: Channel, token: str, start: int, budget: int, limit: float) -> Iterator[tuple[str, float]]:
    yield strip_accents(token[start:]), 0.0
    if budget == 0:
        return
    for i in range(start, len(token)):
        for size in range(1, MAX_SIDE + 1):
            src = token[i : i + size]
            if len(src) < size:
                break
            for dst, cost in ch.by_src.get(src, ()):
                if cost > limit:
                    break
                for tail, tail_cost in reference_walk(ch, token, i + size, budget - 1, limit - cost):
                    yield strip_accents(token[start:i]) + dst + tail, cost + tail_cost


def random_strings(ch: Channel, seed: int, count: int) -> list[str]:
    """Strings made of the channel's own sources and targets and of letters it confuses."""
    rng = random.Random(seed)
    pieces = [*ch.by_noisy, *(dst for options in ch.by_noisy.values() for dst, _ in options)]
    letters = "aeiounrmlcfIlñáéíóúüÑEOPR10 -'"
    return [
        "".join(rng.choice(pieces) if rng.random() < 0.4 else rng.choice(letters) for _ in range(rng.randint(0, 8)))
        for _ in range(count)
    ]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_distance_is_the_full_table(lang: str) -> None:
    ch = channel.load(lang)
    rng = random.Random(lang)
    words = random_strings(ch, 1, 600)
    for noisy in words:
        # Near and far pairs: the pruned pass decides the near ones alone.
        golds = [rng.choice(words), noisy[: len(noisy) // 2] + rng.choice(words)[:3] + noisy[len(noisy) // 2 :]]
        for gold in golds:
            assert ch.cost(noisy, gold) == reference_distance(ch, noisy, gold), (noisy, gold)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_settled_prices_are_the_full_table(lang: str) -> None:
    # Near pairs, as the corrector prices them: a lost accent, a case, one
    # rule or one plain edit apart. Most are settled without the table.
    ch = channel.load(lang)
    rng = random.Random(f"settled-{lang}")
    rules = sorted(ch.rules)
    words = ["nifios", "proteccion", "EI", "Perd", "rnodelo", "tratficking", "Ilevar", "comparacion", "aument6"]
    words += random_strings(ch, 3, 300)
    settled = 0
    for noisy in words:
        golds = {strip_accents(noisy), noisy.lower(), noisy.capitalize(), noisy.upper()}
        for src, dst in rng.sample(rules, 8):
            at = noisy.find(src)
            if at >= 0:
                golds.add(noisy[:at] + dst + noisy[at + len(src) :])
        for k in range(len(noisy)):
            golds.add(noisy[:k] + rng.choice("aeiouáéíóúñnmrlt1İΣς") + noisy[k + 1 :])
            golds.add(noisy[:k] + noisy[k + 1 :])
        for gold in golds - {noisy}:
            settled += channel._settled(ch, noisy, gold, channel._alignment(ch, noisy, gold)) is not None
            assert ch.cost(noisy, gold) == reference_distance(ch, noisy, gold), (noisy, gold)
    assert settled > 500


def test_distance_without_pruning_on_negative_costs() -> None:
    ch = Channel([("rn", "m", -0.5), ("fi", "ñ", 1.6)])
    assert not ch.nonnegative
    for noisy, gold in [("rnrn", "mm"), ("nifios", "niños"), ("abc", "xyz")]:
        assert ch.cost(noisy, gold) == reference_distance(ch, noisy, gold)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_generate_is_the_walk(lang: str) -> None:
    ch = channel.load(lang)
    # A limit equal to a rule's cost, and to twice it (exact in floating point), tests the ties.
    cheapest = min(cost for options in ch.by_src.values() for _, cost in options)
    limits = ((0, 9.0), (1, 9.0), (2, 9.0), (2, 3.0), (1, cheapest), (2, 2 * cheapest))
    for token in random_strings(ch, 2, 400) + ["nifios", "EI", "rnodelo", "Perd", "tratficking"]:
        for max_rules, limit in limits:
            expected: dict[str, float] = {}
            for text, cost in reference_walk(ch, token, 0, max_rules, limit):
                if cost < expected.get(text, math.inf):
                    expected[text] = cost
            assert list(ch.generate(token, max_rules, limit).items()) == list(expected.items()), token
