"""Reading and writing files: decoding at the edge, directory walks, atomic writes.

Library functions take ``str``; this module owns bytes, so that every
decoding decision and its error message lives in one place.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import signal
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import regex

from .document import Edit

MAX_BYTES = 8 * 1024 * 1024
"""Files larger than this are refused before a byte is read.

The pipeline keeps the text, every intermediate version and the change log
in memory (about 40 bytes per input byte) and cleans roughly 100 kB a
second, so 8 MiB (a whole annual report is under half of that) bounds a run
to a few hundred MB and a minute or two per file. ``tipclean --max-size``
changes it.
"""

TEXT_SUFFIXES = (".txt", ".md")
"""What a directory walk picks up (case-insensitively). Files named on the command line are always cleaned."""

TEMP_SUFFIX = ".tipclean"
"""Ends the name of every temporary file :func:`write_atomic` creates."""

# ".<name>.<pid>.<random>.tipclean": hidden, so walks and editors ignore it,
# and the pid tells a later run whether its writer is still alive.
_TEMP_NAME = regex.compile(r"\..+\.(?P<pid>[0-9]+)\.[^.]+" + regex.escape(TEMP_SUFFIX))

# Bytes that cp1252 leaves undefined; text containing them is not cp1252.
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")
# What a legacy-encoded Spanish or English text plausibly contains above ASCII.
_LATIN_TEXT = regex.compile(r"[\p{Latin}\p{Zs}\p{P}\p{S}\p{N}\t\r\n\x20-\x7e]*+")
_CONTROL = regex.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


class InputError(ValueError):
    """A file that cannot be cleaned; the message names the file and the reason."""


class BinaryFileError(InputError):
    """The file holds binary data, not text: a directory walk skips it quietly."""


def decode(data: bytes, name: str = "<input>") -> tuple[str, Edit | None]:
    """Decode file bytes to text.

    UTF-8, with or without a BOM, is decoded as is (the encoding stage drops
    the BOM and turns CRLF into LF, and logs both). Bytes that are not UTF-8
    are decoded as cp1252 only when that is clearly right: no undefined
    cp1252 byte, and the result is Latin-script text; the returned Edit says
    so, for the change log. Anything else raises :class:`InputError`.

    >>> decode("año".encode("utf-8"))
    ('año', None)
    >>> text, note = decode("año".encode("cp1252"))
    >>> text, note.reason
    ('año', 'decoded as cp1252: the file is not valid UTF-8')
    >>> decode(b"\\x00\\x01PNG")
    Traceback (most recent call last):
    ...
    tipclean.files.BinaryFileError: <input>: binary file (contains NUL bytes)

    UTF-16 with a byte-order mark (what Windows Notepad long called
    "Unicode") is decoded too, and noted, since its NUL bytes would
    otherwise make it look binary:

    >>> text, note = decode("año".encode("utf-16"))
    >>> text, note.reason
    ('año', 'decoded as UTF-16: the file is not UTF-8')
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_utf16(data, name), Edit(0, 0, "", "decoded as UTF-16: the file is not UTF-8")
    if b"\x00" in data:
        raise BinaryFileError(f"{name}: binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        text = _decode_legacy(data, name, err)
        return text, Edit(0, 0, "", "decoded as cp1252: the file is not valid UTF-8")
    if len(_CONTROL.findall(text[:65536])) > 8:
        raise BinaryFileError(f"{name}: binary file (control characters)")
    return text, None


def _decode_utf16(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        raise BinaryFileError(f"{name}: binary file (starts like UTF-16 but is not)") from None
    # Any two bytes after FF FE decode to something: only Latin-script text
    # without control characters is taken for UTF-16 text.
    if "\x00" in text or _CONTROL.search(text) or not _LATIN_TEXT.fullmatch(text):
        raise BinaryFileError(f"{name}: binary file (starts like UTF-16 but is not)")
    return text


def _decode_legacy(data: bytes, name: str, err: UnicodeDecodeError) -> str:
    where = f"byte {err.start}"
    if _CP1252_HOLES.intersection(data):
        raise InputError(f"{name}: cannot decode: not UTF-8 (invalid {where}) and not cp1252")
    text = data.decode("cp1252")
    high = sum(1 for ch in text if ord(ch) > 0x7F)
    if high > len(text) // 4 + 1 or not _LATIN_TEXT.fullmatch(text) or _CONTROL.search(text):
        raise InputError(
            f"{name}: cannot decode: not UTF-8 (invalid {where}) and not clearly cp1252"
        )
    return text


def _too_large(name: str, size: int, max_bytes: int) -> InputError:
    return InputError(f"{name}: too large ({size} bytes; the limit is {max_bytes}, see --max-size)")


def read_file(
    path: str | os.PathLike[str], max_bytes: int = MAX_BYTES
) -> tuple[bytes, os.stat_result]:
    """Return a file's bytes and its status as read; raise :class:`InputError` with a one-line reason.

    The file is checked before it is opened (a directory, a FIFO or a device
    is refused, and so is a file over `max_bytes`), and never more than
    `max_bytes` + 1 bytes are read, even from a file that grows meanwhile.
    """
    name = os.fspath(path)
    try:
        info = os.stat(name)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{name}: is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{name}: not a regular file")
        if info.st_size > max_bytes:
            raise _too_large(name, info.st_size, max_bytes)
        with open(name, "rb") as handle:
            data = handle.read(max_bytes + 1)
            info = os.fstat(handle.fileno())
    except FileNotFoundError:
        if os.path.islink(name):
            raise InputError(f"{name}: broken symlink") from None
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory") from None
    except OSError as err:
        raise InputError(f"{name}: cannot read: {err.strerror or err}") from None
    if len(data) > max_bytes:
        raise _too_large(name, len(data), max_bytes)
    return data, info


def read_stream(stream: BinaryIO, name: str = "<stdin>", max_bytes: int = MAX_BYTES) -> bytes:
    """Read a stream (stdin) to its end, refusing more than `max_bytes` without holding it all."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"{name}: too large (more than {max_bytes} bytes, see --max-size)")
    return data


def read_text(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> tuple[str, Edit | None]:
    """Read and decode a file; raise :class:`InputError` with a one-line reason."""
    data, _ = read_file(path, max_bytes)
    return decode(data, os.fspath(path))


def is_text_name(name: str, suffixes: tuple[str, ...] = TEXT_SUFFIXES) -> bool:
    """True for a name a directory walk picks up: a text suffix, not hidden.

    >>> is_text_name("informe.TXT"), is_text_name("notes.md"), is_text_name(".draft.txt")
    (True, True, False)
    >>> is_text_name("scan.pdf")
    False
    """
    return not name.startswith(".") and name.lower().endswith(suffixes)


def iter_text_files(
    directory: str | os.PathLike[str],
    suffixes: tuple[str, ...] = TEXT_SUFFIXES,
    on_error: Callable[[str, InputError], None] | None = None,
) -> Iterator[str]:
    """Yield the text files under `directory`, sorted, as paths that start with it.

    Hidden files and folders (``.git``, ``.venv``, the temporary files of
    :func:`write_atomic`) are skipped, and so are symlinks: a link inside
    the tree leads either back into it, where its target is found anyway, or
    out of it, where a walk should not write. A folder that cannot be listed
    goes to `on_error` (with its path) and the walk goes on.
    """

    def report(err: OSError) -> None:
        if on_error is not None:
            where = os.fspath(err.filename or directory)
            on_error(where, InputError(f"{where}: cannot list: {err.strerror or err}"))

    for folder, subfolders, names in os.walk(directory, onerror=report):
        subfolders[:] = sorted(
            d
            for d in subfolders
            if not d.startswith(".") and not os.path.islink(os.path.join(folder, d))
        )
        for name in sorted(names):
            path = os.path.join(folder, name)
            if is_text_name(name, suffixes) and not os.path.islink(path):
                yield path


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Replace the file's content with `text` (UTF-8, LF) without ever leaving it half-written.

    The new content goes to a temporary file in the same directory, is
    flushed to disk, gets the original file's permissions and then replaces
    the original in one rename: a reader (or a crash) sees the old file or
    the new one, nothing in between. A symlink is followed: its target is
    rewritten and the link stays a link.

    Only a killed process (SIGKILL, a power cut) can leave the temporary
    file behind; it is named ``.<name>.<pid>.<random>.tipclean``, and
    :func:`remove_stale_temp_files` deletes it on a later run. Ctrl-C and
    SIGTERM wait until the write is over: one landing between the creation
    of the temporary file and the ``try`` would leave it behind.
    """
    target = Path(os.path.realpath(path))
    mode = stat.S_IMODE(target.stat().st_mode)
    with _signals_deferred():
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=target.parent
        )
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(text.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back until the block ends (where the platform can)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        # Another user's live process, or a pid that cannot be checked: when
        # unsure, the file stays.
        return True
    return True


def stale_temp_files(directory: str | os.PathLike[str]) -> list[Path]:
    """The temporary files of :func:`write_atomic` in `directory` whose writer is gone.

    A file counts only if its name has the exact shape write_atomic gives
    and the process id in it is not running on this machine: a run going on
    next to this one keeps its files.
    """
    stale = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return []
    for entry in entries:
        match = _TEMP_NAME.fullmatch(entry.name)
        if match and entry.is_file(follow_symlinks=False) and not _alive(int(match["pid"])):
            stale.append(Path(entry.path))
    return sorted(stale)


def remove_stale_temp_files(directory: str | os.PathLike[str]) -> list[Path]:
    """Delete what :func:`stale_temp_files` finds; return the files deleted."""
    removed = []
    for path in stale_temp_files(directory):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed
