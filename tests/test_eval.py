"""The evaluation harness: its ceiling figure, and one command that scores a set."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest
import regex

ROOT = Path(__file__).resolve().parent.parent
SCORE = ROOT.parent / "shared" / "tools" / "score.py"


def _harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tipclean_eval_run", ROOT / "eval" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# score.py's words, without needing score.py itself.
WORDS = SimpleNamespace(words=regex.compile(r"[\p{L}\p{N}]+").findall)


@pytest.mark.parametrize(
    ("noisy", "errors", "lost"),
    [
        ("the cat sat on the mat", 0, 0),
        ("the cat saton the mat", 2, 0),  # run together: the token holds both words
        ("the cat sat the mat", 1, 1),  # "on" is gone
        ("the cat the mat", 2, 2),  # a line lost: nothing stands for "sat on"
        ("the cot sat on the mat", 1, 0),  # misread, not lost
    ],
)
def test_lost_words_are_the_gold_words_no_token_stands_for(tmp_path: Path, noisy: str, errors: int, lost: int) -> None:
    (tmp_path / "g.txt").write_text("the cat sat on the mat\n", encoding="utf-8")
    (tmp_path / "n.txt").write_text(noisy + "\n", encoding="utf-8")
    pairs = [{"gold": str(tmp_path / "g.txt"), "noisy": str(tmp_path / "n.txt")}]
    assert _harness().lost_words(WORDS, pairs) == (errors, lost)


@pytest.mark.skipif(not SCORE.is_file(), reason="the shared score.py is not beside the checkout")
def test_the_harness_scores_a_set_with_one_command() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "eval" / "run.py"), "--split", "dev", "--systems", "tipclean", "--json"],
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    report = json.loads(proc.stdout)
    sets = {(s["split"], s["lang"]): s for s in report["sets"]}
    assert set(sets) == {("dev", "es"), ("dev", "en")}
    for found in sets.values():
        (row,) = found["rows"]
        assert row["status"] == "ok"
        # Far from the committed figures on purpose: this checks the harness, not the corrector.
        assert row["error_reduction"] > 0.5
        assert row["damage_per_1k_correct"] < 5
        assert 0.9 < found["reduction_ceiling"] <= 1
    assert all(seed["changed"] == 0 for seed in report["clean_seeds"])
