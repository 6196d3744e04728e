"""Reading and writing files: decoding at the edge, atomic writes.

Library functions take ``str``; this module owns bytes, so that every
decoding decision and its error message lives in one place.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

import regex

from .document import Edit

MAX_BYTES = 256 * 1024 * 1024
"""Files larger than this are refused rather than read into memory."""

# Bytes that cp1252 leaves undefined; text containing them is not cp1252.
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")
# What a legacy-encoded Spanish or English text plausibly contains above ASCII.
_LATIN_TEXT = regex.compile(r"[\p{Latin}\p{Zs}\p{P}\p{S}\p{N}\t\r\n\x20-\x7e]*+")
_CONTROL = regex.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


class InputError(ValueError):
    """A file that cannot be cleaned; the message names the file and the reason."""


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
    tipclean.files.InputError: <input>: binary file (contains NUL bytes)
    """
    if b"\x00" in data:
        raise InputError(f"{name}: binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        text = _decode_legacy(data, name, err)
        return text, Edit(0, 0, "", "decoded as cp1252: the file is not valid UTF-8")
    if len(_CONTROL.findall(text[:65536])) > 8:
        raise InputError(f"{name}: binary file (control characters)")
    return text, None


def _decode_legacy(data: bytes, name: str, err: UnicodeDecodeError) -> str:
    where = f"byte {err.start}"
    if _CP1252_HOLES.intersection(data):
        raise InputError(f"{name}: cannot decode: not UTF-8 (invalid {where}) and not cp1252")
    text = data.decode("cp1252")
    high = sum(1 for ch in text if ord(ch) > 0x7F)
    if high > len(text) // 4 + 1 or not _LATIN_TEXT.fullmatch(text) or _CONTROL.search(text):
        raise InputError(f"{name}: cannot decode: not UTF-8 (invalid {where}) and not clearly cp1252")
    return text


def read_text(path: str | os.PathLike[str]) -> tuple[str, Edit | None]:
    """Read and decode a file; raise :class:`InputError` with a one-line reason."""
    name = os.fspath(path)
    try:
        info = os.stat(name)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{name}: is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{name}: not a regular file")
        if info.st_size > MAX_BYTES:
            raise InputError(f"{name}: too large ({info.st_size} bytes; the limit is {MAX_BYTES})")
        data = Path(name).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory") from None
    except OSError as err:
        raise InputError(f"{name}: cannot read: {err.strerror or err}") from None
    return decode(data, name)


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Replace the file's content with `text` (UTF-8, LF) without ever leaving it half-written.

    The new content goes to a temporary file in the same directory, is
    flushed to disk, gets the original file's permissions and then replaces
    the original in one rename: a reader (or a crash) sees the old file or
    the new one, nothing in between. A symlink is followed: its target is
    rewritten and the link stays a link.
    """
    target = Path(os.path.realpath(path))
    mode = stat.S_IMODE(target.stat().st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tipclean", dir=target.parent)
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
