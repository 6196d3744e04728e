"""The command line, in-process first (fast), then through the real entry points."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tipclean import cli

CLEAN = "El Perú es un país de origen.\n"
DIRTY = "El Per\u00c3\u00ba es un pa\u00c3\u00ads de origen.\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def dirty(tmp_path: Path) -> Path:
    path = tmp_path / "dirty.txt"
    path.write_text(DIRTY, encoding="utf-8")
    return path


@pytest.fixture()
def clean(tmp_path: Path) -> Path:
    path = tmp_path / "clean.txt"
    path.write_text(CLEAN, encoding="utf-8")
    return path


def test_exit_code_constants() -> None:
    assert (cli.EXIT_OK, cli.EXIT_CHANGED, cli.EXIT_ERROR, cli.EXIT_INTERRUPTED) == (0, 1, 2, 130)


def test_prints_cleaned_text(capsys: pytest.CaptureFixture[str], dirty: Path) -> None:
    assert run(capsys, str(dirty)) == (0, CLEAN, "")
    assert dirty.read_text(encoding="utf-8") == DIRTY


def test_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(DIRTY.encode("utf-8"))))
    assert run(capsys, "-") == (0, CLEAN, "")


def test_check(capsys: pytest.CaptureFixture[str], dirty: Path, clean: Path) -> None:
    code, out, err = run(capsys, "--check", str(dirty), str(clean))
    assert (code, out) == (1, "")
    assert err == f"would clean {dirty}\n1 file would be cleaned, 1 file unchanged\n"
    assert dirty.read_text(encoding="utf-8") == DIRTY
    assert run(capsys, "--check", str(clean)) == (0, "", "1 file unchanged\n")


def test_write(capsys: pytest.CaptureFixture[str], dirty: Path, clean: Path) -> None:
    dirty.chmod(0o640)
    before = clean.stat().st_mtime_ns
    code, out, err = run(capsys, "-w", str(dirty), str(clean))
    assert (code, out) == (0, "")
    assert err == f"cleaned {dirty}\n1 file cleaned, 1 file unchanged\n"
    assert dirty.read_bytes() == CLEAN.encode("utf-8")
    assert oct(dirty.stat().st_mode & 0o777) == oct(0o640)
    assert clean.stat().st_mtime_ns == before
    assert not [p for p in dirty.parent.iterdir() if p.name.startswith(".")]
    assert run(capsys, "--check", str(dirty)) == (0, "", "1 file unchanged\n")


def test_write_crlf_and_bom(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"\xef\xbb\xbf" + CLEAN.replace("\n", "\r\n").encode("utf-8"))
    assert run(capsys, "-q", "-w", str(path))[0] == 0
    assert path.read_bytes() == CLEAN.encode("utf-8")


def test_diff(capsys: pytest.CaptureFixture[str], dirty: Path) -> None:
    code, out, _ = run(capsys, "--diff", str(dirty))
    assert code == 1
    assert f"--- a/{dirty}\n+++ b/{dirty}\n" in out
    assert "-" + DIRTY in out and "+" + CLEAN in out


def test_explain(capsys: pytest.CaptureFixture[str], dirty: Path) -> None:
    code, out, _ = run(capsys, "--explain", str(dirty))
    assert code == 0
    assert out.splitlines()[0].startswith(f"{dirty}:1: [encoding] 'Ãº' ==> 'ú' (ftfy: encode ")


def test_json(capsys: pytest.CaptureFixture[str], dirty: Path) -> None:
    code, out, _ = run(capsys, "--json", str(dirty))
    record = json.loads(out)
    assert code == 0
    assert record["path"] == str(dirty) and record["changed"] is True
    assert record["text"] == CLEAN and record["language"] in ("es", "und")
    assert {"stage", "step", "start", "end", "line", "before", "after", "reason"} <= set(
        record["changes"][0]
    )
    assert record["paragraphs"][0]["text"] == CLEAN.strip()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    import tipclean

    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out == f"tipclean {tipclean.__version__}\n"


def test_cp1252_is_decoded_and_logged(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(CLEAN.encode("cp1252"))
    code, out, _ = run(capsys, "--explain", str(path))
    assert code == 0
    assert (
        out == f"{path}:1: [encoding] '' ==> '' (decoded as cp1252: the file is not valid UTF-8)\n"
    )
    import tipclean

    doc = tipclean.clean_file(path)
    assert doc.text == CLEAN
    assert doc.changes[0].reason == "decoded as cp1252: the file is not valid UTF-8"
    assert run(capsys, "-q", "-w", str(path))[0] == 0
    assert path.read_bytes() == CLEAN.encode("utf-8")


def test_usage_errors(capsys: pytest.CaptureFixture[str], dirty: Path, clean: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main([str(dirty), str(clean)])
    assert exc.value.code == 2
    assert "more than one file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        cli.main(["--check", "--diff", str(dirty)])
    assert exc.value.code == 2


def test_stage_switches(capsys: pytest.CaptureFixture[str], dirty: Path) -> None:
    assert run(capsys, "--no-encoding", str(dirty))[1] == DIRTY


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--jobs", "-1"],
            "argument -j/--jobs: expected a number of processes (0: one per CPU), not '-1'",
        ),
        (
            ["--jobs", "two"],
            "argument -j/--jobs: expected a number of processes (0: one per CPU), not 'two'",
        ),
        (
            ["--max-size", "0"],
            "argument --max-size: expected a size such as 8M, 500k or 1048576, not '0'",
        ),
        (
            ["--max-size", "8X"],
            "argument --max-size: expected a size such as 8M, 500k or 1048576, not '8X'",
        ),
        (["-", "-"], "- (stdin) can be given only once"),
    ],
)
def test_more_usage_errors(
    capsys: pytest.CaptureFixture[str], dirty: Path, args: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["--check", *args, str(dirty)])
    assert exc.value.code == cli.EXIT_ERROR
    assert capsys.readouterr().err.splitlines()[-1] == f"tipclean: error: {message}"


def test_stdin_with_write_prints_the_text(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    # -w cannot rewrite stdin, so it prints, changed or not, as black does.
    for text in (DIRTY, CLEAN):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
        assert run(capsys, "-q", "-w", "-") == (0, CLEAN, "")


def _tree(root: Path) -> None:
    """A corpus repo: what a walk cleans, and what it must leave alone."""
    for name in ("a.txt", "b.md", "C.TXT", "sub/d.txt", "sub/deeper/e.md"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(DIRTY, encoding="utf-8")
    for name in (
        ".git/HEAD.txt",
        ".venv/x.txt",
        ".hidden.txt",
        "notes.rst",
        "scan.pdf",
        "sub/.draft.md",
    ):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(DIRTY, encoding="utf-8")
    (root / "sub" / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (root / "sub" / "link.txt").symlink_to("../a.txt")
    (root / "linked").symlink_to("sub", target_is_directory=True)


WALKED = ["C.TXT", "a.txt", "b.md", "sub/d.txt", "sub/deeper/e.md"]


def test_directory_walk(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _tree(tmp_path)
    code, out, err = run(capsys, "--check", str(tmp_path))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        *(f"would clean {tmp_path / name}" for name in WALKED),
        "5 files would be cleaned, 1 file skipped (binary)",
    ]
    untouched = {
        p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink()
    }
    assert run(capsys, "-q", "-w", str(tmp_path))[0] == 0
    changed = sorted(
        str(p.relative_to(tmp_path)) for p, data in untouched.items() if p.read_bytes() != data
    )
    assert changed == WALKED
    assert (tmp_path / "sub" / "link.txt").is_symlink()


def test_directory_and_file_overlap_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _tree(tmp_path)
    err = run(
        capsys,
        "--check",
        str(tmp_path / "a.txt"),
        str(tmp_path),
        str(tmp_path / "sub" / "link.txt"),
    )[2]
    assert err.splitlines()[-1] == "5 files would be cleaned, 1 file skipped (binary)"
    assert err.splitlines()[0] == f"would clean {tmp_path / 'a.txt'}"


def test_binary_named_on_the_command_line_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _tree(tmp_path)
    binary = tmp_path / "sub" / "binary.txt"
    assert run(capsys, "--check", str(binary)) == (
        2, "", f"tipclean: error: {binary}: binary file (contains NUL bytes)\n1 file failed\n"
    )  # fmt: skip


def test_print_mode_takes_one_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "only.txt").write_text(DIRTY, encoding="utf-8")
    assert run(capsys, str(tmp_path)) == (0, CLEAN, "")
    (tmp_path / "second.md").write_text(DIRTY, encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        cli.main([str(tmp_path)])
    assert exc.value.code == cli.EXIT_ERROR
    assert "more than one file" in capsys.readouterr().err


def test_empty_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(capsys, "--check", str(tmp_path)) == (0, "", "no files\n")


def test_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, dirty: Path, clean: Path
) -> None:
    report = tmp_path / "out" / "report.jsonl"
    report.parent.mkdir()
    missing = tmp_path / "missing.txt"
    code, _, _ = run(capsys, "-w", "--report", str(report), str(dirty), str(clean), str(missing))
    assert code == cli.EXIT_ERROR
    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert [(r["path"], r["status"], r["changed"]) for r in records] == [
        (str(dirty), "cleaned", True),
        (str(clean), "unchanged", False),
        (str(missing), "failed", False),
    ]
    assert records[0]["changes"] == {"encoding": 2, "layout": 0, "spelling": 0, "language": 0}
    assert records[0]["language"] in ("es", "und") and records[0]["error"] is None
    assert records[2] == {
        "path": str(missing),
        "status": "failed",
        "changed": False,
        "language": None,
        "languages": {},
        "changes": {"encoding": 0, "layout": 0, "spelling": 0, "language": 0},
        "error": f"{missing}: no such file",
    }
    dirty.write_text(DIRTY, encoding="utf-8")
    assert run(capsys, "--check", "--report", str(report), str(dirty))[0] == cli.EXIT_CHANGED
    assert json.loads(report.read_text(encoding="utf-8"))["status"] == "changed"


def test_report_that_cannot_be_written_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, dirty: Path
) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["-w", "--report", str(tmp_path / "no" / "such" / "dir.jsonl"), str(dirty)])
    assert exc.value.code == cli.EXIT_ERROR
    assert "cannot write the report" in capsys.readouterr().err
    assert dirty.read_text(encoding="utf-8") == DIRTY  # nothing was done


def test_max_size(capsys: pytest.CaptureFixture[str], dirty: Path) -> None:
    size = len(DIRTY.encode("utf-8"))
    assert run(capsys, "--check", "--max-size", "20", str(dirty)) == (
        2, "", f"tipclean: error: {dirty}: too large ({size} bytes; the limit is 20, see --max-size)\n1 file failed\n"
    )  # fmt: skip
    assert run(capsys, "--check", "-q", "--max-size", "1k", str(dirty))[0] == cli.EXIT_CHANGED


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("count", "quiet", "shown"), [(25, False, True), (25, True, False), (5, False, False)]
)
def test_progress_bar_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, count: int, quiet: bool, shown: bool
) -> None:
    for k in range(count):
        (tmp_path / f"{k:02}.txt").write_text(CLEAN if k % 5 else DIRTY, encoding="utf-8")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli.main(["--check", *(["-q"] if quiet else []), str(tmp_path)]) == cli.EXIT_CHANGED
    err = terminal.getvalue()
    assert (f"] {count}/{count} files" in err) is shown
    if shown:
        # Each message clears the bar, which is redrawn below it, and the
        # bar is gone before the summary.
        assert f"\r\x1b[Kwould clean {tmp_path / '00.txt'}\n" in err
        assert err.endswith(
            f"\r\x1b[K{count // 5} files would be cleaned, {count - count // 5} files unchanged\n"
        )
    elif not quiet:
        assert "\x1b" not in err


def test_no_progress_bar_when_stderr_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for k in range(25):
        (tmp_path / f"{k:02}.txt").write_text(CLEAN, encoding="utf-8")
    assert run(capsys, "--check", str(tmp_path)) == (0, "", "25 files unchanged\n")


def test_jobs_give_the_same_output_in_the_same_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for k in range(6):
        (tmp_path / f"{k}.txt").write_text(DIRTY * (k + 1) if k % 2 else CLEAN, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"caf\xc3 \x81\x9d")
    serial = run(capsys, "--json", "--explain", str(tmp_path))
    parallel = run(capsys, "--json", "--explain", "--jobs", "3", str(tmp_path))
    assert serial[0] == parallel[0] == cli.EXIT_ERROR
    assert serial[1] == parallel[1]
    assert serial[2] == parallel[2]
    assert run(capsys, "-w", "-j", "0", str(tmp_path))[2].splitlines()[-1] == (
        "3 files cleaned, 3 files unchanged, 1 file failed"
    )


SCRIPT = Path(sys.executable).with_name("tipclean")


@pytest.mark.parametrize(
    "entry",
    [
        [sys.executable, "-m", "tipclean"],
        pytest.param(
            [str(SCRIPT)],
            marks=pytest.mark.skipif(
                not SCRIPT.exists(), reason="no tipclean script next to python"
            ),
        ),
    ],
    ids=["python-m", "script"],
)
def test_real_entry_point(entry: list[str], tmp_path: Path, dirty: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [*entry, str(dirty)], capture_output=True, env=env, timeout=60, check=False
    )
    assert (proc.returncode, proc.stdout.decode("utf-8"), proc.stderr) == (0, CLEAN, b"")
    proc = subprocess.run(
        [*entry, "-"],
        input=DIRTY.encode("utf-8"),
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert (proc.returncode, proc.stdout.decode("utf-8")) == (0, CLEAN)
    proc = subprocess.run(
        [*entry, str(tmp_path / "nope.txt")], capture_output=True, env=env, timeout=60, check=False
    )
    assert proc.returncode == 2
    assert proc.stderr.decode() == f"tipclean: error: {tmp_path / 'nope.txt'}: no such file\n"
