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


def _module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_manifest(tmp_path: Path, splits: list[str]) -> Path:
    """A manifest of one tiny Spanish pair per split, in the order given."""
    (tmp_path / "g.txt").write_text("el niño tiene un año\n", encoding="utf-8")
    (tmp_path / "n.txt").write_text("el nifio tiene un afio\n", encoding="utf-8")
    pairs = [
        {"split": split, "lang": "es", "name": f"{split}-00",
         "gold": str(tmp_path / "g.txt"), "noisy": str(tmp_path / "n.txt"),
         "gold_bytes": 23, "gold_words": 5, "wer_before": 0.4}
        for split in splits
    ]
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"pairs": pairs}), encoding="utf-8")
    return path


@pytest.mark.skipif(not SCORE.is_file(), reason="the shared score.py is not beside the checkout")
def test_the_default_run_scores_both_heldout_splits_after_dev_and_never_train(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run = _harness()
    manifest = _fake_manifest(tmp_path, ["train", "heldout2", "heldout", "dev"])
    monkeypatch.setattr(run, "MANIFEST", manifest)
    assert run.main(["--systems", "", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [s["split"] for s in report["sets"]] == ["dev", "heldout", "heldout2"]


@pytest.mark.skipif(not SCORE.is_file(), reason="the shared score.py is not beside the checkout")
@pytest.mark.parametrize("split", ["heldout", "heldout2"])
def test_heldout_examples_stay_hidden_unless_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], split: str
) -> None:
    run = _harness()
    monkeypatch.setattr(run, "MANIFEST", _fake_manifest(tmp_path, [split]))
    monkeypatch.setattr(run, "SEED_DIRS", ())
    args = ["--split", split, "--systems", "tipclean", "--examples", "3", "--json"]
    assert run.main(args) == 0
    (hidden,) = json.loads(capsys.readouterr().out)["sets"]
    assert hidden["examples"] is None
    assert run.main([*args, "--show-heldout-examples"]) == 0
    (shown,) = json.loads(capsys.readouterr().out)["sets"]
    assert isinstance(shown["examples"], list)


def test_every_split_of_the_manifest_is_known_and_the_confusion_tables_read_no_heldout() -> None:
    make_pairs = _module("tipclean_eval_make_pairs", ROOT / "eval" / "make_pairs.py")
    manifest = json.loads((ROOT / "eval" / "pairs" / "manifest.json").read_text("utf-8"))
    assert {p["split"] for p in manifest["pairs"]} == set(make_pairs.SPLITS)
    assert {"dev", "heldout", "heldout2", "train"} == set(make_pairs.SPLITS)
    tool = ROOT / "dictionaries" / "tools" / "build_confusions.py"
    confusions = _module("tipclean_build_confusions", tool)
    assert set(confusions.SPLITS) == {"train", "dev"}
    assert all(path.name in confusions.SPLITS for path in confusions.PAIRS)
