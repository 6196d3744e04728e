"""A hook runs on other people's files: bad input, interruptions and pathological text must not hurt them.

- every kind of bad input is one case of tests/cases/bad_input.json, run by
  one test: a clear one-line message naming the file, the documented exit
  code, no traceback, no changed file, and the other file of the run cleaned;
- a run killed or interrupted in the middle leaves every file whole;
- pathological text goes through the whole pipeline, via the CLI, in time.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import tipclean
from tipclean import cli, files

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "cases" / "bad_input.json").read_text(encoding="utf-8")
)
SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))

DIRTY = "El Per\u00c3\u00ba es un pa\u00c3\u00ads de origen.\n"
CLEAN = "El Perú es un país de origen.\n"
TEMP_FILE = re.compile(r"\..+\.[0-9]+\.[^.]+\.tipclean")


def _content(spec: dict[str, Any]) -> bytes:
    # "bytes" holds one byte per character (latin-1); "text" is UTF-8.
    data: bytes = (
        spec["bytes"].encode("latin-1") if "bytes" in spec else spec.get("text", "").encode("utf-8")
    )
    repeat: int = spec.get("repeat", 1)
    return data * repeat


def _make(case: dict[str, Any], path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make = case["make"]
    if make in ("file", "unreadable"):
        path.write_bytes(_content(case))
    if make == "unreadable":
        path.chmod(0)
        if os.geteuid() == 0:
            # Root reads a mode-000 file anyway: make open() answer as it
            # would for anyone else.
            def deny(name: str, *args: Any, **kwargs: Any) -> Any:
                if os.fspath(name) == str(path):
                    raise PermissionError(13, "Permission denied", str(name))
                return open(name, *args, **kwargs)

            monkeypatch.setattr(files, "open", deny, raising=False)
    elif make == "sparse":
        with open(path, "wb") as handle:
            handle.truncate(case["size"])
    elif make == "dir":
        path.mkdir()
        for name, spec in case["tree"].items():
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            (path / name).write_bytes(_content(spec))
    elif make == "symlink":
        target = path.with_name("target.txt")
        target.write_bytes(_content(case))
        path.symlink_to(target.name)
    elif make == "broken-symlink":
        path.symlink_to("nowhere.txt")
    elif make == "fifo":
        os.mkfifo(path)


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            sha.update(block)
    return sha.hexdigest()


def _snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Every entry under `root` with its kind, mode, mtime and content (links not followed)."""
    entries: dict[str, tuple[object, ...]] = {}
    for folder, subfolders, names in os.walk(root):
        for name in subfolders + names:
            path = Path(folder, name)
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                entries[str(path.relative_to(root))] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                readable = os.access(path, os.R_OK) and info.st_mode & 0o444
                digest = _digest(path) if readable else None
                entries[str(path.relative_to(root))] = (
                    "file",
                    info.st_mode,
                    info.st_mtime_ns,
                    digest,
                )
            else:
                entries[str(path.relative_to(root))] = ("other", info.st_mode)
    return entries


@pytest.mark.parametrize("case", CASES, ids=[case["label"] for case in CASES])
def test_bad_input(
    case: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    good = tmp_path / "good.txt"
    good.write_text(DIRTY, encoding="utf-8")
    path = work / (case["label"] + ("" if case["make"] == "dir" else ".txt"))
    _make(case, path, monkeypatch)
    original = _content(case)
    before = _snapshot(work)

    code = cli.main(["-w", str(path), str(good)])
    out, err = capsys.readouterr()

    assert "Traceback" not in err
    assert (code, out) == (case["code"], "")
    errors = [line for line in err.splitlines() if line.startswith("tipclean: error:")]
    assert errors == ([f"tipclean: error: {path}: {case['message']}"] if case["message"] else [])
    assert err.splitlines()[-1] == case["summary"]
    assert good.read_text(encoding="utf-8") == CLEAN
    after = _snapshot(work)
    if case["after"] == "same":
        assert after == before
    else:
        expected = case.get("cleaned") or tipclean.clean(original.decode("utf-8"))
        assert path.read_bytes() == expected.encode("utf-8")
        assert after.keys() == before.keys()  # no temporary file left, a link still a link
        assert [after[name][0] for name in after] == [before[name][0] for name in before]
    assert not list(tmp_path.rglob("*.tipclean"))

    if "max_memory_mb" in case:
        tracemalloc.start()
        try:
            assert cli.main(["--check", "-q", str(path)]) == cli.EXIT_ERROR
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < case["max_memory_mb"] * 2**20
    if case["make"] == "unreadable":
        path.chmod(0o644)


def test_bad_input_cases_cover_the_issue() -> None:
    labels = {case["label"] for case in CASES}
    assert {
        "empty", "binary", "nul-bytes", "invalid-utf8", "mixed-crlf-lf", "ten-megabyte-line",
        "hundred-megabyte-file", "directory", "missing", "unreadable", "symlink",
    } <= labels  # fmt: skip
    assert len(labels) == len(CASES)


# --- Interrupted runs ------------------------------------------------------


# Enough files that a run is still going when the signal lands, even on a
# fast machine with a slow poller: 120 files took 1.3 s on a fast machine,
# and a signal that lands after the run has ended proves nothing.
CORPUS_FILES = 400


def _corpus(folder: Path, count: int) -> dict[Path, bytes]:
    """`count` different dirty files cut from the seeds, a few kB each."""
    folder.mkdir()
    texts = [seed.read_bytes() for seed in SEEDS]
    originals = {}
    for k in range(count):
        text = texts[k % len(texts)]
        start = (k * 1733) % max(1, len(text) - 6000)
        data = text[start : start + 2000 + 97 * (k % 120)]
        data = data.decode("utf-8", errors="ignore").encode("utf-8")  # cut at a character
        path = folder / f"report-{k:03}.txt"
        path.write_bytes(data)
        originals[path] = data
    return originals


def _wait_until(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout} s")
        time.sleep(0.02)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGKILL], ids=["sigint", "sigkill"])
def test_interrupted_run_leaves_every_file_whole(tmp_path: Path, signum: int) -> None:
    corpus = tmp_path / "corpus"
    originals = _corpus(corpus, CORPUS_FILES)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    with open(tmp_path / "stderr.txt", "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tipclean", "-w", str(corpus)], stderr=log, env=env
        )
        try:
            # Stop it once a few files are rewritten and most are not yet.
            _wait_until(lambda: sum(p.read_bytes() != b for p, b in originals.items()) >= 3, 120)
            proc.send_signal(signum)
            code = proc.wait(timeout=60)
        finally:
            proc.kill()
            proc.wait()
    log_text = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert "Traceback" not in log_text
    stopped = {path: path.read_bytes() for path in originals}
    leftovers = sorted(p.name for p in corpus.iterdir() if p not in originals)
    if signum == signal.SIGKILL:
        assert code == -signal.SIGKILL
        # Only a killed writer leaves a temporary file, and it says what it is.
        assert all(TEMP_FILE.fullmatch(name) for name in leftovers), leftovers
    else:
        assert code == cli.EXIT_INTERRUPTED
        assert log_text.endswith("tipclean: interrupted\n")
        assert leftovers == []

    # The next run removes the leftovers and finishes the job.
    proc2 = subprocess.run(
        [sys.executable, "-m", "tipclean", "-q", "-w", str(corpus)],
        env=env,
        timeout=300,
        check=False,
    )
    assert proc2.returncode == 0
    assert sorted(corpus.iterdir()) == sorted(originals)
    finished = {path: path.read_bytes() for path in originals}
    assert all(stopped[p] in (originals[p], finished[p]) for p in originals)  # whole, old or new
    assert any(
        stopped[p] == originals[p] != finished[p] for p in originals
    )  # it was stopped midway
    assert any(stopped[p] == finished[p] != originals[p] for p in originals)


def test_sigterm_stops_like_ctrl_c(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    originals = _corpus(corpus, CORPUS_FILES)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tipclean", "-w", "--jobs", "2", str(corpus)],
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    try:
        _wait_until(lambda: any(p.read_bytes() != b for p, b in originals.items()), 120)
        proc.terminate()
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == cli.EXIT_INTERRUPTED
    assert err.decode("utf-8").endswith("tipclean: interrupted\n")
    assert sorted(corpus.iterdir()) == sorted(originals)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_temp_files_are_ignored_then_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    stale = tmp_path / f".a.txt.{_dead_pid()}.k2j4x8qz.tipclean"
    live = tmp_path / f".a.txt.{os.getppid()}.q8w7e6r5.tipclean"  # pytest's parent runs on
    lookalike = tmp_path / ".a.txt.notes.tipclean"
    for path in (stale, live, lookalike):
        path.write_text(DIRTY[:10], encoding="utf-8")
    assert cli.main(["--check", str(tmp_path)]) == cli.EXIT_CHANGED
    assert stale.exists()  # --check never writes, not even to tidy up
    assert capsys.readouterr().err == f"would clean {tmp_path / 'a.txt'}\n1 file would be cleaned\n"
    assert cli.main(["-w", str(tmp_path)]) == cli.EXIT_OK
    assert not stale.exists() and live.exists() and lookalike.exists()
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == CLEAN


def test_failed_write_keeps_the_original(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(DIRTY, encoding="utf-8")

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    assert cli.main(["-w", str(path)]) == cli.EXIT_ERROR
    assert capsys.readouterr().err == (
        f"tipclean: error: {path}: cannot write: No space left on device\n1 file failed\n"
    )
    assert path.read_text(encoding="utf-8") == DIRTY
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_ctrl_c_while_writing_keeps_the_original(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(DIRTY, encoding="utf-8")

    def ctrl_c(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", ctrl_c)
    assert cli.main(["-w", str(path)]) == cli.EXIT_INTERRUPTED
    assert capsys.readouterr().err == "tipclean: interrupted\n"
    assert path.read_text(encoding="utf-8") == DIRTY
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_ctrl_c_swallowed_by_a_library_still_stops_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # langdetect loads its profiles under a bare `except:` and re-raises any
    # exception, Ctrl-C included, as "Profile format error"; CI once caught a
    # run reporting that as a failed file instead of stopping.
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(DIRTY, encoding="utf-8")

    def swallowing_library(*args: object) -> None:
        try:
            signal.raise_signal(signal.SIGINT)
        except:  # noqa: E722 (what the library does)
            raise ValueError("Profile format error.") from None

    monkeypatch.setattr("tipclean.pipeline.run_decoded", swallowing_library)
    assert cli.main(["-w", str(tmp_path)]) == cli.EXIT_INTERRUPTED
    assert capsys.readouterr().err == "tipclean: interrupted\n"
    assert all(p.read_text(encoding="utf-8") == DIRTY for p in tmp_path.iterdir())


def test_file_edited_during_the_run_is_not_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(DIRTY, encoding="utf-8")
    clean_one = cli.clean_one

    def edit_meanwhile(task: cli.Task, job: cli.Job) -> cli.Result:
        result = clean_one(task, job)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("Una línea nueva.\n")
        return result

    monkeypatch.setattr(cli, "clean_one", edit_meanwhile)
    assert cli.main(["-w", str(path)]) == cli.EXIT_ERROR
    assert capsys.readouterr().err.splitlines()[0] == (
        f"tipclean: error: {path}: changed while tipclean was cleaning it; not written"
    )
    assert path.read_text(encoding="utf-8") == DIRTY + "Una línea nueva.\n"


def test_written_file_keeps_mode_and_unchanged_file_keeps_mtime(tmp_path: Path) -> None:
    dirty, clean = tmp_path / "dirty.txt", tmp_path / "clean.txt"
    dirty.write_text(DIRTY, encoding="utf-8")
    clean.write_text(CLEAN, encoding="utf-8")
    dirty.chmod(0o604)
    os.utime(clean, ns=(1_000_000_000, 1_000_000_000))
    assert cli.main(["-q", "-w", str(tmp_path)]) == cli.EXIT_OK
    assert stat.S_IMODE(dirty.stat().st_mode) == 0o604
    assert clean.stat().st_mtime_ns == 1_000_000_000
    assert dirty.read_text(encoding="utf-8") == CLEAN


# --- Pathological input, whole pipeline, through the CLI --------------------

BOUND = 3.0
"""Seconds for any of these inputs; each takes well under one when the work is linear."""


class TookTooLong(BaseException):
    """Not an Exception: the CLI must not catch it as a per-file failure."""


def within(seconds: float, work: Callable[[], object]) -> bool:
    """Run `work`; False if it was stopped after `seconds`."""

    def expire(signum: int, frame: object) -> None:
        raise TookTooLong

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        work()
    except TookTooLong:
        # Report it outside this handler: on Python 3.11 pytest cannot render
        # a traceback raised from a signal handler (tb_lineno is None).
        return False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return True


PATHOLOGICAL: dict[str, Callable[[], str]] = {
    "hyphens": lambda: "-" * 100_000,
    "hyphen-lines": lambda: "-\n" * 5_000,
    "bullets": lambda: "• " * 50_000,
    "bullet-lines": lambda: "• x\n" * 10_000,
    "spaces": lambda: " " * 1_000_000,
    "tabs-and-spaces": lambda: "a \t " * 25_000,
    "newlines": lambda: "\n" * 100_000,
    "one-letter": lambda: "a" * 1_000_000,
    "one-accented-letter": lambda: "ñ" * 200_000,
    "periods": lambda: "." * 1_000_000,
    "one-word-line": lambda: "palabra " * 100_000,
    "ocr-word-line": lambda: "nifios " * 10_000,
    "ocr-word-lines": lambda: "los nifios del Perd.\n" * 2_000,
    "hyphen-line-ends": lambda: "ab-\n" * 10_000,
    "long-word": lambda: "nifios" * 20_000,
    "hyphenated-word": lambda: "a-" * 50_000,
    "url": lambda: "http://" + "a/" * 50_000,
    "digits": lambda: "1" * 1_000_000,
    "mojibake-run": lambda: "\u00c3\u00a9" * 20_000,
    "mojibake-lines": lambda: "Per\u00c3\u00ba\n" * 2_000,
    "crlf-lines": lambda: "a\r\n" * 2_000,
    "zero-width": lambda: "a\u200b" * 20_000,
    "combining-marks": lambda: "a" + "\u0301" * 50_000,
    "citations": lambda: "a.[1]" * 50_000,
    "cr-line-ends": lambda: "a\r" * 50_000,
    "curly-quotes-on-one-line": lambda: "\u201ca\u201d " * 20_000,
    "mojibake-on-one-line": lambda: "Per\u00c3\u00ba " * 20_000,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_input_is_fast(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "input.txt"
    path.write_text(PATHOLOGICAL[name](), encoding="utf-8", newline="")
    tipclean.clean(
        "warm up: los nifios"
    )  # the lexicons load once per session, not within the bound
    codes: list[int] = []
    assert within(BOUND, lambda: codes.append(cli.main(["--check", "-q", str(path)]))), (
        f"over {BOUND} s"
    )
    assert codes[0] in (cli.EXIT_OK, cli.EXIT_CHANGED)
    assert capsys.readouterr().err == ""


def test_long_paragraph_line_is_fast(tmp_path: Path) -> None:
    """Two seeds on one 70 kB line (a scraped page often is one), with hundreds of encoding repairs."""
    text = " ".join(seed.read_text(encoding="utf-8").replace("\n", " ") for seed in SEEDS[2:4])
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    codes: list[int] = []
    assert within(BOUND, lambda: codes.append(cli.main(["--check", "-q", str(path)]))), (
        f"over {BOUND} s"
    )
    assert codes == [cli.EXIT_CHANGED]


def test_size_limit_matches_the_cases() -> None:
    # The messages of bad_input.json quote the documented default.
    assert files.MAX_BYTES == 8 * 2**20
