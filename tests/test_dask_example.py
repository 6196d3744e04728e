"""examples/dask_corpus.py cleans a tree of files on a local Dask cluster.

The cluster runs in this process (threads), which starts in a second; the
example's default, worker processes, is run by tests/test_examples.py.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from types import ModuleType

import pytest

import tipclean

pytest.importorskip("dask.distributed", reason="needs the dask extra: pip install 'tipclean[dask]'")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "dask_corpus", ROOT / "examples" / "dask_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The seeds in a tree with a subfolder, a file to ignore and one that cannot be decoded."""
    src = tmp_path / "src"
    (src / "nested" / "deeper").mkdir(parents=True)
    for k, seed in enumerate(SEEDS):
        folder = src if k % 2 else src / "nested" / "deeper"
        shutil.copy(seed, folder / seed.name)
    (src / "nested" / "binary.txt").write_bytes(b"\x00\x01PNG")
    (src / "notes.md").write_text("not matched by *.txt\n", encoding="utf-8")
    return src


def test_cleans_tree_on_local_cluster(example: ModuleType, corpus: Path, tmp_path: Path) -> None:
    dst, report = tmp_path / "dst", tmp_path / "report.jsonl"
    argv = [
        str(corpus),
        str(dst),
        "--report",
        str(report),
        "--in-process",
        "--workers",
        "1",
        "--threads",
        "2",
    ]
    assert example.main(argv) == 1  # the binary file failed, the others were cleaned

    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    paths = [r["path"] for r in records]
    expected = sorted(str(p.relative_to(corpus)) for p in corpus.rglob("*.txt"))
    assert paths == expected  # every file once, in path order; notes.md skipped
    by_path = {r["path"]: r for r in records}
    assert by_path["nested/binary.txt"]["error"].endswith("binary file (contains NUL bytes)")
    assert not (dst / "nested" / "binary.txt").exists()

    for seed in SEEDS:
        (relative,) = [p for p in paths if p.endswith(seed.name)]
        record = by_path[relative]
        doc = tipclean.clean_file(seed)
        assert (dst / relative).read_bytes() == doc.text.encode("utf-8")
        assert record["language"] == doc.language
        assert record["languages"] == doc.languages
        assert record["changes"] == doc.changes_by_stage()
        assert record["changed"] is True
        assert record["bytes_in"] == seed.stat().st_size
    assert not list(dst.rglob("*.tmp"))


def test_summary_names_each_file_and_its_language(
    example: ModuleType, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [str(corpus), str(tmp_path / "dst"), "--in-process", "--workers", "1", "--lang", "es"]
    example.main(argv)
    out = capsys.readouterr().out
    for seed in SEEDS:
        assert f"{seed.name}: language: es" in out
    assert (tmp_path / "dst" / example.REPORT_NAME).is_file()
    assert "6 files, 1 failed" in out


def test_needs_both_folders(example: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        example.main([str(tmp_path)])
    assert exit_info.value.code == 2
