"""Command line: ``tipclean FILE...`` / ``python -m tipclean``.

Exit codes: 0 success (also after ``-w`` rewrote files), 1 ``--check`` or
``--diff`` found files that would change, 2 usage or input error, 130
interrupted.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import argparse

    from .document import Document

EXIT_OK = 0
EXIT_CHANGED = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130

STDIN = "-"


def _parser() -> argparse.ArgumentParser:
    import argparse

    from ._version import __version__

    parser = argparse.ArgumentParser(
        prog="tipclean",
        description="Repair OCR noise and normalize bilingual Spanish/English text.",
        epilog="Exit status: 0 ok, 1 --check/--diff found changes, 2 usage or input error.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="files to clean; - reads stdin")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("-w", "--write", action="store_true", help="rewrite files in place (atomically)")
    mode.add_argument("--check", action="store_true", help="exit 1 if any file would change; write nothing")
    mode.add_argument("--diff", action="store_true", help="print a unified diff; write nothing")
    mode.add_argument("--json", action="store_true", help="print each Document as JSON (one line per file)")
    parser.add_argument("--explain", action="store_true", help="list every change: path:line: [stage] before ==> after")
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    parser.add_argument("--version", action="version", version=f"tipclean {__version__}")
    stages = parser.add_argument_group("stages and options")
    for stage in ("encoding", "layout", "spelling", "language"):
        stages.add_argument(f"--no-{stage}", action="store_true", help=f"skip the {stage} stage")
    stages.add_argument("--lang", choices=("es", "en"), help="force the language instead of detecting it")
    stages.add_argument("--bullet", help="canonical bullet marker (default •)")
    stages.add_argument("--keep-curly-quotes", action="store_true", help="do not straighten curly quotes")
    stages.add_argument("--remove-boilerplate", action="store_true", help="drop web boilerplate lines")
    stages.add_argument("--remove-citations", action="store_true", help="drop [1] markers and reference blocks")
    stages.add_argument("--mark-language", action="store_true", help="add a language: front-matter block")
    return parser


def _config(args: argparse.Namespace):  # type: ignore[no-untyped-def]
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
    }
    if args.bullet is not None:
        options["bullet"] = args.bullet
    return CleanConfig(**options)  # type: ignore[arg-type]


@dataclass
class Report:
    """Counts for the closing summary, in the style of black."""

    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed: int = 0

    def summary(self, mode: str) -> str:
        def files(n: int) -> str:
            return f"{n} file{'s' if n != 1 else ''}"

        verb = {"write": "cleaned", "check": "would be cleaned", "diff": "would be cleaned"}.get(mode, "would be cleaned")
        parts = []
        if self.changed:
            parts.append(f"{files(len(self.changed))} {verb}")
        if self.unchanged:
            parts.append(f"{files(self.unchanged)} unchanged")
        if self.failed:
            parts.append(f"{files(self.failed)} failed")
        return ", ".join(parts) or "no files"


def _read(name: str) -> tuple[str, bytes]:
    from .files import InputError, decode, read_text

    if name == STDIN:
        data = sys.stdin.buffer.read()
        text, _ = decode(data, "<stdin>")
        return text, data
    text, _ = read_text(name)
    try:
        with open(name, "rb") as handle:
            raw = handle.read()
    except OSError as err:
        raise InputError(f"{name}: cannot read: {err.strerror}") from None
    return text, raw


def _explain(name: str, doc: Document, out: TextIO) -> None:
    out.writelines(f"{name}:{change.line}: {change.describe()}\n" for change in doc.changes)


def _diff(name: str, old: str, new: str, out: TextIO) -> None:
    import difflib

    out.writelines(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{name}", f"b/{name}"
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        sys.stderr.write("tipclean: interrupted\n")
        return EXIT_INTERRUPTED


def _main(argv: Sequence[str] | None) -> int:
    import json

    from .files import InputError, write_atomic
    from .pipeline import run

    parser = _parser()
    args = parser.parse_args(argv)
    try:
        config = _config(args)
    except ValueError as err:
        parser.error(str(err))
    mode = "write" if args.write else "check" if args.check else "diff" if args.diff else "json" if args.json else "print"
    if mode == "print" and len(args.files) > 1 and not args.explain:
        parser.error("more than one file: use -w, --check, --diff, --json or --explain")
    if args.files.count(STDIN) > 1:
        parser.error("- (stdin) can be given only once")

    out = sys.stdout
    report = Report()
    for name in args.files:
        try:
            text, raw = _read(name)
            doc = run(text, config)
        except InputError as err:
            sys.stderr.write(f"tipclean: error: {err}\n")
            report.failed += 1
            continue
        new_raw = doc.text.encode("utf-8")
        is_changed = new_raw != raw
        label = "<stdin>" if name == STDIN else name
        if args.explain:
            _explain(label, doc, out)
        if mode == "print" and not args.explain:
            out.write(doc.text)
        elif mode == "json":
            record = {"path": label, "changed": is_changed, **doc.to_dict()}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif mode == "diff" and is_changed:
            _diff(label, text, doc.text, out)
        elif mode == "write" and is_changed:
            if name == STDIN:
                out.write(doc.text)
            else:
                try:
                    write_atomic(name, doc.text)
                except OSError as err:
                    sys.stderr.write(f"tipclean: error: {name}: cannot write: {err.strerror or err}\n")
                    report.failed += 1
                    continue
                if not args.quiet:
                    sys.stderr.write(f"cleaned {label}\n")
        elif mode == "check" and is_changed and not args.quiet:
            sys.stderr.write(f"would clean {label}\n")
        if is_changed:
            report.changed.append(label)
        else:
            report.unchanged += 1
    out.flush()
    if not args.quiet and (mode in ("write", "check", "diff") or len(args.files) > 1):
        sys.stderr.write(report.summary(mode) + "\n")
    if report.failed:
        return EXIT_ERROR
    if mode in ("check", "diff") and report.changed:
        return EXIT_CHANGED
    return EXIT_OK
