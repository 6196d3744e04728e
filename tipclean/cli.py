"""Command line: ``tipclean PATH...`` / ``python -m tipclean``.

Exit codes: 0 success (also after ``-w`` rewrote files), 1 ``--check`` or
``--diff`` found files that would change, 2 usage or input error, 130
interrupted (Ctrl-C or SIGTERM).

Each file is read, cleaned and rendered (text, diff, JSON, explanation) by
:func:`clean_one`, in this process or in worker processes (``--jobs``).
Only this process writes, one atomic rename at a time, so an interrupted run
stops between two files, never in the middle of one.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
import threading
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import argparse

    from .config import CleanConfig
    from .files import InputError

EXIT_OK = 0
EXIT_CHANGED = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130

STDIN = "-"
STAGE_NAMES = ("encoding", "layout", "spelling", "language")
PROGRESS_MIN_FILES = 20
"""The progress bar shows only on a terminal and for at least this many files."""


def _jobs(value: str) -> int:
    import argparse

    try:
        jobs = int(value)
    except ValueError:
        jobs = -1
    if jobs < 0:
        raise argparse.ArgumentTypeError(
            f"expected a number of processes (0: one per CPU), not {value!r}"
        )
    return jobs


def _size(value: str) -> int:
    """``8M``, ``500k``, ``1048576``: a size in bytes (k, M, G are powers of 1024)."""
    import argparse

    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    number, scale = value, 1
    if value[-1:].lower() in units:
        number, scale = value[:-1], units[value[-1].lower()]
    try:
        size = int(number) * scale
    except ValueError:
        size = 0
    if size <= 0:
        raise argparse.ArgumentTypeError(
            f"expected a size such as 8M, 500k or 1048576, not {value!r}"
        )
    return size


def _parser() -> argparse.ArgumentParser:
    import argparse

    from ._version import __version__
    from .files import MAX_BYTES, TEXT_SUFFIXES

    parser = argparse.ArgumentParser(
        prog="tipclean",
        description="Repair OCR noise and normalize bilingual Spanish/English text.",
        epilog="Exit status: 0 ok, 1 --check/--diff found changes, 2 usage or input error, 130 interrupted.",
    )
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help=f"files, or folders to search for {' and '.join(TEXT_SUFFIXES)} files; - reads stdin",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "-w", "--write", action="store_true", help="rewrite files in place (atomically)"
    )
    mode.add_argument(
        "--check", action="store_true", help="exit 1 if any file would change; write nothing"
    )
    mode.add_argument("--diff", action="store_true", help="print a unified diff; write nothing")
    mode.add_argument(
        "--json", action="store_true", help="print each Document as JSON (one line per file)"
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="list every change: path:line: [stage] before ==> after",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="clean files in N processes (0: one per CPU; default 1)",
    )
    parser.add_argument(
        "--report",
        metavar="FILE.jsonl",
        help="write one JSON line per file: status, language, changes",
    )
    parser.add_argument(
        "--max-size",
        type=_size,
        default=MAX_BYTES,
        metavar="SIZE",
        help=f"refuse larger files (default {MAX_BYTES >> 20}M)",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no summary or progress on stderr"
    )
    parser.add_argument("--version", action="version", version=f"tipclean {__version__}")
    stages = parser.add_argument_group("stages and options")
    for stage in STAGE_NAMES:
        stages.add_argument(f"--no-{stage}", action="store_true", help=f"skip the {stage} stage")
    stages.add_argument(
        "--no-context",
        action="store_true",
        help="skip decisions by context: English real-word errors and readings of equal cost (faster on noisy English), Spanish esta/está",
    )
    stages.add_argument(
        "--lang", choices=("es", "en"), help="force the language instead of detecting it"
    )
    stages.add_argument("--bullet", help="canonical bullet marker (default •)")
    stages.add_argument(
        "--keep-curly-quotes", action="store_true", help="do not straighten curly quotes"
    )
    stages.add_argument(
        "--remove-boilerplate", action="store_true", help="drop web boilerplate lines"
    )
    stages.add_argument(
        "--remove-citations", action="store_true", help="drop [1] markers and reference blocks"
    )
    stages.add_argument(
        "--mark-language", action="store_true", help="add a language: front-matter block"
    )
    return parser


def _config(args: argparse.Namespace) -> CleanConfig:
    from .config import CleanConfig

    options: dict[str, object] = {
        "encoding": not args.no_encoding,
        "layout": not args.no_layout,
        "spelling": not args.no_spelling,
        "language": not args.no_language,
        "uncurl_quotes": not args.keep_curly_quotes,
        "remove_boilerplate": args.remove_boilerplate,
        "remove_citations": args.remove_citations,
        "language_hint": args.lang,
        "mark_language": args.mark_language,
        "context": not args.no_context,
    }
    if args.bullet is not None:
        options["bullet"] = args.bullet
    return CleanConfig(**options)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Task:
    """One file to clean: its path (or ``-``) and whether the user named it."""

    name: str
    explicit: bool = True

    @property
    def label(self) -> str:
        return "<stdin>" if self.name == STDIN else self.name


@dataclass(frozen=True)
class Job:
    """What every file of a run is cleaned with; sent once per file to a worker."""

    config: CleanConfig
    mode: str
    explain: bool = False
    max_bytes: int = 0


@dataclass
class Result:
    """What cleaning one file gave: a status, the output to print and the text to write."""

    task: Task
    status: str
    """changed, unchanged, failed or skipped; cleaned once -w has written it."""
    message: str = ""
    output: str = ""
    text: str | None = None
    stamp: tuple[int, int] | None = None
    """Size and mtime of the file as it was read: -w writes only if they still hold."""
    language: str | None = None
    languages: dict[str, int] = field(default_factory=dict)
    changes: dict[str, int] = field(default_factory=dict)

    def record_line(self) -> str:
        """The line of ``--report``."""
        import json

        return json.dumps(self.record(), ensure_ascii=False) + "\n"

    def record(self) -> dict[str, object]:
        """The record of ``--report``."""
        return {
            "path": self.task.label,
            "status": self.status,
            "changed": self.status in ("changed", "cleaned"),
            "language": self.language,
            "languages": self.languages,
            "changes": {stage: self.changes.get(stage, 0) for stage in STAGE_NAMES},
            "error": self.message or None,
        }


def clean_one(task: Task, job: Job) -> Result:
    """Read, clean and render one file. Never raises: a failure becomes the result's message."""
    from .files import BinaryFileError, InputError, decode, read_file, read_stream
    from .pipeline import run_decoded

    label = task.label
    stamp = None
    try:
        if task.name == STDIN:
            raw = read_stream(sys.stdin.buffer, label, job.max_bytes)
        else:
            raw, info = read_file(task.name, job.max_bytes)
            stamp = (info.st_size, info.st_mtime_ns)
        text, note = decode(raw, label)
        doc = run_decoded(text, note, job.config)
    except BinaryFileError as err:
        return Result(task, "failed" if task.explicit else "skipped", str(err))
    except InputError as err:
        return Result(task, "failed", str(err))
    except Exception as err:
        if _stop_requested.is_set():
            raise KeyboardInterrupt from err
        reason = f"{type(err).__name__}: {err}".strip().splitlines()[0]
        return Result(
            task, "failed", f"{label}: cannot clean: {reason} (a bug in tipclean; please report it)"
        )
    changed = doc.text.encode("utf-8") != raw
    output = ""
    if job.explain:
        output = "".join(f"{label}:{change.line}: {change.describe()}\n" for change in doc.changes)
    if (job.mode == "print" and not job.explain) or (job.mode == "write" and task.name == STDIN):
        output += doc.text
    elif job.mode == "json":
        import json

        output += (
            json.dumps({"path": label, "changed": changed, **doc.to_dict()}, ensure_ascii=False)
            + "\n"
        )
    elif job.mode == "diff" and changed:
        output += _diff(label, text, doc.text)
    return Result(
        task,
        "changed" if changed else "unchanged",
        output=output,
        text=doc.text if changed and job.mode == "write" and task.name != STDIN else None,
        stamp=stamp,
        language=doc.language,
        languages=doc.languages,
        changes=doc.changes_by_stage(),
    )


def _diff(name: str, old: str, new: str) -> str:
    import difflib

    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{name}", f"b/{name}"
        )
    )


def _tasks(paths: Sequence[str], on_error: Callable[[str, InputError], None]) -> list[Task]:
    """The files to clean: named ones as given, folders walked; each file once."""
    from .files import iter_text_files

    tasks: list[Task] = []
    seen: set[str] = set()

    def add(name: str, explicit: bool) -> None:
        # A file reached twice (named and walked, or through a link) must be
        # cleaned once: two workers rewriting it would race.
        key = name if name == STDIN else os.path.realpath(name)
        if key not in seen:
            seen.add(key)
            tasks.append(Task(name, explicit))

    for path in paths:
        if path != STDIN and os.path.isdir(path):
            for name in iter_text_files(path, on_error=on_error):
                add(name, explicit=False)
        else:
            add(path, explicit=True)
    return tasks


def _worker_init() -> None:
    import signal

    # Ctrl-C reaches the whole process group; the main process alone decides
    # what to do with it (stop the pool), and the workers write nothing.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _results(tasks: Sequence[Task], job: Job, workers: int) -> Generator[Result, None, None]:
    """Clean `tasks` in order, here or in `workers` processes; results come in task order."""
    if workers <= 1:
        for task in tasks:
            yield clean_one(task, job)
        return
    import functools
    import multiprocessing

    # spawn, not fork: forking a process that may hold threads or locks is
    # unsafe, and spawn behaves the same on every platform.
    pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_worker_init)
    try:
        yield from pool.imap(functools.partial(clean_one, job=job), tasks)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


class Progress:
    """A one-line progress bar at the bottom of a terminal; messages scroll above it."""

    WIDTH = 30

    def __init__(self, total: int, stream: TextIO, enabled: bool) -> None:
        self.total = total
        self.done = 0
        self.stream = stream
        self.enabled = enabled
        self._shown = 0.0

    def note(self, line: str) -> None:
        """Write `line` (with its newline) above the bar."""
        if self.enabled:
            self.stream.write("\r\x1b[K")
        self.stream.write(line)
        if self.enabled:
            self._draw()

    def advance(self) -> None:
        import time

        self.done += 1
        # Redrawing for every file of a big run would cost more than it shows.
        if self.enabled and (time.monotonic() - self._shown > 0.1 or self.done == self.total):
            self._draw()

    def _draw(self) -> None:
        import time

        filled = self.WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r\x1b[K[{bar}] {self.done}/{self.total} files")
        self.stream.flush()
        self._shown = time.monotonic()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.enabled = False


@dataclass
class Report:
    """Counts for the closing summary, in the style of black."""

    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0

    def summary(self, mode: str) -> str:
        def files(n: int) -> str:
            return f"{n} file{'s' if n != 1 else ''}"

        verb = "cleaned" if mode == "write" else "would be cleaned"
        parts = []
        if self.changed:
            parts.append(f"{files(len(self.changed))} {verb}")
        if self.unchanged:
            parts.append(f"{files(self.unchanged)} unchanged")
        if self.failed:
            parts.append(f"{files(self.failed)} failed")
        if self.skipped:
            parts.append(f"{files(self.skipped)} skipped (binary)")
        return ", ".join(parts) or "no files"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    restore = _catch_interrupts()
    try:
        return _main(argv)
    except KeyboardInterrupt:
        sys.stderr.write("tipclean: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of stdout left (| head): stop quietly, and keep Python
        # from failing again when it flushes stdout at exit.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    finally:
        restore()


_stop_requested = threading.Event()
"""Set by Ctrl-C or SIGTERM. A library that catches everything (langdetect
has a bare ``except:``) could turn the KeyboardInterrupt into an ordinary
error; :func:`clean_one` checks this and stops the run instead of reporting
a failed file."""


def _catch_interrupts() -> Callable[[], None]:
    """Make Ctrl-C and SIGTERM stop a run alike (no temporary file left) and mark the stop; return the undo."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        _stop_requested.set()
        raise KeyboardInterrupt

    _stop_requested.clear()
    try:
        previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGTERM, signal.SIGINT)}
    except ValueError:  # not the main thread: leave signals alone
        return lambda: None

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore


def _main(argv: Sequence[str] | None) -> int:
    from .files import remove_stale_temp_files

    parser = _parser()
    args = parser.parse_args(argv)
    try:
        config = _config(args)
    except ValueError as err:
        parser.error(str(err))
    mode = next((m for m in ("write", "check", "diff", "json") if getattr(args, m)), "print")
    if args.paths.count(STDIN) > 1:
        parser.error("- (stdin) can be given only once")
    walk_errors: list[Result] = []
    tasks = _tasks(
        args.paths, lambda path, err: walk_errors.append(Result(Task(path), "failed", str(err)))
    )
    if mode == "print" and len(tasks) > 1 and not args.explain:
        parser.error("more than one file: use -w, --check, --diff, --json or --explain")
    try:
        report_file = open(args.report, "w", encoding="utf-8", buffering=1) if args.report else None  # noqa: SIM115
    except OSError as err:
        parser.error(f"cannot write the report {args.report}: {err.strerror or err}")
    if mode == "write":
        for folder in sorted(
            {os.path.dirname(os.path.realpath(t.name)) for t in tasks if t.name != STDIN}
        ):
            remove_stale_temp_files(folder)

    workers = min(args.jobs or os.cpu_count() or 1, len(tasks))
    if any(t.name == STDIN for t in tasks):
        workers = 1  # only this process can read its stdin
    show_progress = not args.quiet and len(tasks) >= PROGRESS_MIN_FILES and sys.stderr.isatty()
    progress = Progress(len(tasks), sys.stderr, show_progress)
    report = Report()
    job = Job(config, mode, args.explain, args.max_size)
    # closing(): an interruption stops the worker processes at once, not
    # whenever the generator happens to be collected.
    try:
        with contextlib.closing(_results(tasks, job, workers)) as results:
            for result in itertools.chain(walk_errors, results):
                _finish(result, mode, args.quiet, report, progress)
                if report_file:
                    report_file.write(result.record_line())
    finally:
        progress.close()
        if report_file:
            report_file.close()
    sys.stdout.flush()
    if not args.quiet and (mode in ("write", "check", "diff") or len(tasks) > 1):
        sys.stderr.write(report.summary(mode) + "\n")
    if report.failed:
        return EXIT_ERROR
    if mode in ("check", "diff") and report.changed:
        return EXIT_CHANGED
    return EXIT_OK


def _finish(result: Result, mode: str, quiet: bool, report: Report, progress: Progress) -> None:
    """Print a file's output, write it if -w changed it, name it on stderr, count it."""
    from .files import InputError

    label = result.task.label
    if result.output:
        sys.stdout.write(result.output)
        sys.stdout.flush()
    if result.status == "changed" and result.text is not None and result.stamp is not None:
        try:
            _write(result.task.name, result.text, result.stamp)
        except OSError as err:
            result.status, result.message = (
                "failed",
                f"{label}: cannot write: {err.strerror or err}",
            )
        except InputError as err:
            result.status, result.message = "failed", str(err)
        else:
            result.status = "cleaned"
    if result.status == "failed":
        report.failed += 1
        progress.note(f"tipclean: error: {result.message}\n")
    elif result.status == "skipped":
        report.skipped += 1
    elif result.status == "unchanged":
        report.unchanged += 1
    else:
        report.changed.append(label)
        if not quiet and result.status == "cleaned":
            progress.note(f"cleaned {label}\n")
        elif not quiet and mode == "check":
            progress.note(f"would clean {label}\n")
    progress.advance()


def _write(name: str, text: str, stamp: tuple[int, int]) -> None:
    """Write `text` over `name` unless someone changed the file since it was read."""
    from .files import InputError, write_atomic

    try:
        info = os.stat(name)
    except OSError as err:
        raise InputError(f"{name}: cannot write: {err.strerror or err}") from None
    if (info.st_size, info.st_mtime_ns) != stamp:
        raise InputError(f"{name}: changed while tipclean was cleaning it; not written")
    write_atomic(name, text)
