"""Clean a directory tree of text files with Dask, and write a JSONL report.

Needs the Dask extra: ``pip install 'tipclean[dask]'``.

    python examples/dask_corpus.py SRC DST [--report FILE] [--scheduler ADDRESS]
                                           [--workers N] [--threads N] [--in-process]
                                           [--pattern GLOB] [--files-per-task N]
                                           [--lang es|en] [--no-spelling]
    python examples/dask_corpus.py          # demo: the repository's seeds, into a temporary folder

Every file under SRC that matches ``--pattern`` (``*.txt``) is cleaned with
:func:`tipclean.clean_file` and written to the same relative path under DST
(UTF-8, LF). The report (``DST/tipclean-report.jsonl`` unless ``--report``
says otherwise) holds one JSON object per file, in path order: its language,
paragraph languages, changes per stage, sizes, time and worker, or the error
that stopped it (a file that cannot be decoded is reported and skipped; the
exit status is then 1).

Where it runs:

- By default on a ``LocalCluster`` of this machine: one worker process per
  core, one thread each. tipclean is pure Python, so threads would share one
  core; each worker process loads the dictionaries once (about 100 MB).
- ``--scheduler tcp://host:8786`` runs the same code on a real cluster. Each
  worker needs tipclean installed (``pip install tipclean``) and SRC and DST
  at the same paths (a shared file system), because workers read and write
  the files themselves: only file names and report records travel through
  the scheduler, never the texts.
- ``--in-process`` uses threads in this process (quick start-up, for tests
  and small jobs).

Files are sent to the workers in batches (``--files-per-task``, 8), so that
the scheduler's overhead per task is spread over several files, and the
report is written batch by batch as results arrive, so its size does not
limit the corpus.
"""

# mypy: disable-error-code="no-untyped-call"
# (dask and distributed leave many functions unannotated)
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tipclean

if TYPE_CHECKING:
    from dask.distributed import Client

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
REPORT_NAME = "tipclean-report.jsonl"


def clean_one(relative: str, src: str, dst: str, config: tipclean.CleanConfig) -> dict[str, Any]:
    """Clean ``src/relative`` into ``dst/relative``; return its report record.

    Runs on a worker. Never raises: a failure becomes the record's "error".
    """
    source, target = Path(src, relative), Path(dst, relative)
    record: dict[str, Any] = {"path": relative, "worker": _worker_name()}
    start = time.perf_counter()
    try:
        doc = tipclean.clean_file(source, config)
        data = doc.text.encode("utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except tipclean.InputError as err:
        record["error"] = str(err)
    except Exception as err:  # noqa: BLE001 (a batch job reports a bug in one file and goes on)
        record["error"] = f"{relative}: {type(err).__name__}: {err}"
    else:
        record.update(
            output=str(target),
            language=doc.language,
            languages=doc.languages,
            changed=doc.changed,
            changes=doc.changes_by_stage(),
            bytes_in=source.stat().st_size,
            bytes_out=len(data),
        )
    record["seconds"] = round(time.perf_counter() - start, 4)
    return record


def _worker_name() -> str:
    try:
        from dask.distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return "local"


def find_files(src: Path, pattern: str) -> list[str]:
    """Paths under `src` matching `pattern`, relative to it, sorted."""
    return sorted(str(p.relative_to(src)) for p in src.rglob(pattern) if p.is_file())


def clean_tree(
    client: Client,
    src: Path,
    dst: Path,
    config: tipclean.CleanConfig,
    *,
    pattern: str = "*.txt",
    files_per_task: int = 8,
) -> Iterator[dict[str, Any]]:
    """Clean every matching file of `src` into `dst` on `client`'s cluster.

    Yields the report records in path order, one batch at a time as the
    batches finish.
    """
    import dask.bag as db

    files = [f for f in find_files(src, pattern) if not f.endswith(REPORT_NAME)]
    if not files:
        return
    # Batches of `files_per_task`, but small enough that a small corpus
    # still keeps every worker busy.
    workers = max(1, len(client.scheduler_info()["workers"]))
    size = max(1, min(files_per_task, -(-len(files) // (2 * workers))))
    batches = db.from_sequence(files, partition_size=size)
    records = batches.map(clean_one, str(src), str(dst), config)
    futures = client.compute(records.to_delayed())
    futures.reverse()
    while futures:
        # Dropping each future once read frees its results on the cluster.
        yield from futures.pop().result()


def make_client(
    scheduler: str | None, workers: int | None, threads: int, in_process: bool
) -> Client:
    """A client of the cluster at `scheduler`, or of a new local cluster."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    cluster = LocalCluster(
        n_workers=workers or os.cpu_count() or 1,
        threads_per_worker=threads,
        processes=not in_process,
        dashboard_address=":0",  # any free port: 8787 may be taken by another cluster
    )
    return Client(cluster)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "src", nargs="?", type=Path, help="folder of text files (default: the seeds, as a demo)"
    )
    parser.add_argument("dst", nargs="?", type=Path, help="folder for the cleaned files")
    parser.add_argument("--report", type=Path, help=f"JSONL report (default: DST/{REPORT_NAME})")
    parser.add_argument(
        "--scheduler", help="address of a running Dask scheduler (default: a local cluster)"
    )
    parser.add_argument(
        "--workers", type=int, help="local worker processes (default: one per core)"
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per local worker (default 1)"
    )
    parser.add_argument(
        "--in-process", action="store_true", help="local workers as threads of this process"
    )
    parser.add_argument("--pattern", default="*.txt", help="file name pattern (default *.txt)")
    parser.add_argument(
        "--files-per-task", type=int, default=8, help="files per Dask task (default 8)"
    )
    parser.add_argument(
        "--lang", choices=("es", "en"), help="force the language instead of detecting it"
    )
    parser.add_argument("--no-spelling", action="store_true", help="skip the spelling stage")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if (args.src is None) != (args.dst is None):
        _parser().error("give both SRC and DST, or neither for the demo")
    config = tipclean.CleanConfig(language_hint=args.lang, spelling=not args.no_spelling)
    with tempfile.TemporaryDirectory(prefix="tipclean-dask-") as scratch:
        if args.src is None:
            # The demo: the seeds, on a local cluster of at most two workers.
            src, dst = SEEDS, Path(scratch)
            workers = args.workers or min(2, os.cpu_count() or 1)
        else:
            src, dst, workers = args.src, args.dst, args.workers
        if not src.is_dir():
            print(f"dask_corpus: error: {src}: not a directory", file=sys.stderr)
            return 2
        report = args.report or dst / REPORT_NAME
        status = run(src, dst, report, config, args, workers)
        if args.src is None:
            print("(the demo's output folder is temporary: it is removed now)")
        return status


def run(
    src: Path,
    dst: Path,
    report: Path,
    config: tipclean.CleanConfig,
    args: argparse.Namespace,
    workers: int | None,
) -> int:
    start = time.perf_counter()
    dst.mkdir(parents=True, exist_ok=True)
    report.parent.mkdir(parents=True, exist_ok=True)
    totals: Counter[str] = Counter()
    with make_client(args.scheduler, workers, args.threads, args.in_process) as client:
        where = (
            args.scheduler or f"local cluster, {len(client.scheduler_info()['workers'])} workers"
        )
        print(f"cleaning {src} -> {dst} on {where}")
        with report.open("w", encoding="utf-8") as out:
            for record in clean_tree(
                client, src, dst, config, pattern=args.pattern, files_per_task=args.files_per_task
            ):
                out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
                print(_summary(record))
                totals["files"] += 1
                totals["failed"] += "error" in record
                totals["bytes"] += record.get("bytes_in", 0)
    seconds = time.perf_counter() - start
    mb = totals["bytes"] / 1e6
    print(
        f"{totals['files']} files, {totals['failed']} failed, {mb:.2f} MB in {seconds:.1f} s "
        f"({mb / seconds:.2f} MB/s with start-up); report: {report}"
    )
    return 1 if totals["failed"] else 0


def _summary(record: dict[str, Any]) -> str:
    if "error" in record:
        return f"{record['path']}: error: {record['error']}"
    languages = " ".join(f"{lang}={n}" for lang, n in record["languages"].items())
    changes = sum(record["changes"].values())
    return (
        f"{record['path']}: language: {record['language']}  paragraphs: {languages}  "
        f"changes: {changes}  {record['bytes_in'] / 1000:.1f} KB  {record['seconds']:.2f} s"
    )


if __name__ == "__main__":
    raise SystemExit(main())
