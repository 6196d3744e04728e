"""The command line, in-process first (fast), then through the real entry points."""

from __future__ import annotations

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
    assert {"stage", "step", "start", "end", "line", "before", "after", "reason"} <= set(record["changes"][0])
    assert record["paragraphs"][0]["text"] == CLEAN.strip()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    import tipclean

    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out == f"tipclean {tipclean.__version__}\n"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "no such file"),
        ("binary.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (contains NUL bytes)"),
        ("broken.txt", b"caf\xc3 \x81\x9d", "cannot decode: not UTF-8 (invalid byte 3) and not cp1252"),
        ("folder", "dir", "is a directory"),
    ],
)
def test_bad_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, clean: Path, name: str, content: object, message: str
) -> None:
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    code, out, err = run(capsys, "-w", str(path), str(clean))
    assert code == 2
    assert err.splitlines()[0] == f"tipclean: error: {path}: {message}"
    assert "Traceback" not in err
    assert err.splitlines()[-1] == "1 file unchanged, 1 file failed"
    if isinstance(content, bytes):
        assert path.read_bytes() == content


def test_cp1252_is_decoded_and_logged(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(CLEAN.encode("cp1252"))
    code, out, _ = run(capsys, "--explain", str(path))
    assert code == 0
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


@pytest.mark.parametrize("entry", [[sys.executable, "-m", "tipclean"]], ids=["python-m"])
def test_real_entry_point(entry: list[str], tmp_path: Path, dirty: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([*entry, str(dirty)], capture_output=True, env=env, timeout=60)
    assert (proc.returncode, proc.stdout.decode("utf-8"), proc.stderr) == (0, CLEAN, b"")
    proc = subprocess.run([*entry, "-"], input=DIRTY.encode("utf-8"), capture_output=True, env=env, timeout=60)
    assert (proc.returncode, proc.stdout.decode("utf-8")) == (0, CLEAN)
    proc = subprocess.run([*entry, str(tmp_path / "nope.txt")], capture_output=True, env=env, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.decode() == f"tipclean: error: {tmp_path / 'nope.txt'}: no such file\n"
