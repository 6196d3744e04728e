"""The bundled word lists, loaded lazily and once per process.

``dictionaries/{es,en,domain}.txt`` hold ``term count`` lines built by
``dictionaries/tools/build_lexicons.py``; every term is a valid word of its
language (hunspell) with a wordfreq frequency. Reading them is the main
start-up cost of the spelling stage, so they are parsed in one pass into
dicts, only when first needed.

The text files are the only source. Parsing ``es.txt`` (245,000 entries)
takes 0.15–0.25 s, so the first process that parses a list also leaves the
parsed dict in a cache file (:mod:`marshal` format, about twice as fast to
load), named after the SHA-256 of the text it came from and the Python
version: a rebuilt list or another interpreter never reads a stale copy.
The cache lives in ``$TIPCLEAN_CACHE_DIR``, else
``$XDG_CACHE_HOME/tipclean`` or ``~/.cache/tipclean`` (the same convention
as black's cache); ``TIPCLEAN_CACHE_DIR=`` (empty) turns it off. A cache
that cannot be read or written is simply not used. Structures the spelling
stage derives from a list (:func:`derived`) are cached the same way, each in
a file of its own, so that a process loads only what its text needs.
"""

from __future__ import annotations

import functools
import itertools
import os
import sys
from collections.abc import Callable
from importlib import resources
from typing import Any, TypeVar

T = TypeVar("T")

LEXICONS = ("es", "en", "domain")

CACHE_ENV = "TIPCLEAN_CACHE_DIR"
"""Environment variable naming the cache folder; empty turns the cache off."""

_CACHE_FORMAT = 2


def _source(name: str) -> bytes:
    if name not in LEXICONS:
        raise LookupError(f"no bundled lexicon {name!r}; choose from {', '.join(LEXICONS)}")
    return resources.files("tipclean.dictionaries").joinpath(f"{name}.txt").read_bytes()


def parse(data: bytes) -> dict[str, int]:
    """``{term: count}`` from the bytes of a ``term count`` list, in file order.

    >>> parse("de 100\\nniños 7\\n".encode("utf-8"))
    {'de': 100, 'niños': 7}
    """
    # Terms never contain spaces, so one split() parses the whole file: about
    # three times faster than a loop over lines.
    fields = data.decode("utf-8").split()
    return dict(zip(fields[0::2], map(int, fields[1::2])))


def cache_dir() -> str | None:
    """The folder of the parsed-lexicon cache, or None when it is turned off."""
    folder = os.environ.get(CACHE_ENV)
    if folder is not None:
        return folder or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "tipclean")


def _cache_path(folder: str, name: str, data: bytes) -> str:
    import hashlib

    digest = hashlib.sha256(data).hexdigest()[:24]
    _digests[name] = digest
    return _cache_file(folder, name, digest)


def _cache_file(folder: str, stem: str, digest: str) -> str:
    import marshal

    tag = f"{sys.implementation.cache_tag}-m{marshal.version}-f{_CACHE_FORMAT}"
    return os.path.join(folder, f"{stem}-{digest}-{tag}.marshal")


_digests: dict[str, str] = {}
"""Lexicon name → digest of the text its table was loaded from (when the cache is on)."""


def _read_cache(path: str, kind: type = dict) -> Any:
    import marshal

    try:
        with open(path, "rb") as handle:
            value = marshal.loads(handle.read())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return value if type(value) is kind else None


_STALE_SECONDS = 86400


def _write_cache(path: str, name: str, table: Any) -> None:
    """Write the cache file atomically; never fail.

    Caches of `name` for other list versions are removed once they are a day
    old (two installs used in turn each keep theirs).
    """
    import marshal
    import threading
    import time

    folder = os.path.dirname(path)
    tmp = f"{path}.{os.getpid()}-{threading.get_ident()}.tmp"
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        with open(tmp, "wb") as handle:
            handle.write(marshal.dumps(table))
        os.replace(tmp, path)
        keep = os.path.basename(path)
        stale = time.time() - _STALE_SECONDS
        for entry in os.listdir(folder):
            if entry.startswith(f"{name}-") and entry.endswith(".marshal") and entry != keep:
                old = os.path.join(folder, entry)
                if os.stat(old).st_mtime < stale:
                    os.unlink(old)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def load(name: str, data: bytes) -> dict[str, int]:
    """Parse the bytes of lexicon `name`, through the cache when there is one."""
    folder = cache_dir()
    if folder is None:
        return parse(data)
    path = _cache_path(folder, name, data)
    table: dict[str, int] | None = _read_cache(path)
    if table is None:
        table = parse(data)
        _write_cache(path, name, table)
    return table


_loaded: dict[str, dict[str, int]] = {}


@functools.cache
def counts(name: str) -> dict[str, int]:
    """``{term: count}`` of a bundled lexicon ("es", "en" or "domain"), in file order."""
    table = load(name, _source(name))
    _loaded[name] = table
    return table


def derived(name: str, kind: str, version: str, build: Callable[[dict[str, int]], T]) -> T:
    """``build(counts(name))``, through the cache when there is one.

    `kind` names the structure; `version` must change whenever `build` would
    return something else for the same list. The value must be a tuple that
    :mod:`marshal` can store. Its cache file is named after the list's digest
    and `version`, and old versions are removed like old tables.
    """
    value = _derived(name, kind, version, build, kept_only=False)
    assert value is not None
    return value


def kept(name: str, kind: str, version: str, build: Callable[[dict[str, int]], T]) -> T | None:
    """:func:`derived`, or None where the result could not be kept: no cache, or one that cannot be written.

    For a structure that only pays for its building over many runs.
    """
    return _derived(name, kind, version, build, kept_only=True)


def _derived(
    name: str, kind: str, version: str, build: Callable[[dict[str, int]], T], *, kept_only: bool
) -> T | None:
    table = counts(name)
    folder = cache_dir()
    digest = _digests.get(name)
    if folder is None or digest is None:
        return None if kept_only else build(table)
    stem = f"{name}.{kind}"
    path = _cache_file(folder, stem, f"{digest}-{version}")
    value: T | None = _read_cache(path, tuple)
    if value is None:
        if kept_only and not _writable(folder):
            return None
        value = build(table)
        _write_cache(path, stem, value)
    return value


def _writable(folder: str) -> bool:
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


@functools.cache
def common(name: str, min_count: int) -> dict[str, int]:
    """The head of a lexicon: its terms with at least `min_count` occurrences.

    The files are sorted by descending count, so this reads only as far as
    needed: a Spanish document asks English only for its common words, and a
    fraction of the file costs a fraction of the time. When the whole list
    is loaded already, its head is taken from it.
    """
    table = _loaded.get(name)
    if table is not None:
        return dict(itertools.takewhile(lambda item: item[1] >= min_count, table.items()))
    text = _source(name).decode("utf-8")
    head: dict[str, int] = {}
    pos, size = 0, 1 << 16
    # A chunk of whole lines at a time, split at once: terms hold no spaces.
    while pos < len(text):
        end = text.find("\n", pos + size)
        end = len(text) if end < 0 else end + 1
        fields = text[pos:end].split()
        for term, count in zip(fields[0::2], map(int, fields[1::2])):
            if count < min_count:
                return head
            head[term] = count
        pos, size = end, size * 2
    return head


def lookup(word: str, name: str, table: dict[str, int] | None = None) -> str | None:
    """The lexicon's spelling of `word`, allowing for capitalization, or None.

    "El" and "EL" match "el"; "PERÚ" matches "Perú". A lowercase word does not
    match a proper noun ("perú" is not "Perú").
    """
    if table is None:
        table = counts(name)
    if word in table:
        return word
    lower = word.lower()
    if lower != word:
        if lower in table:
            return lower
        title = word[:1] + word[1:].lower()
        if title != word and title in table:
            return title
    return None


def is_word(word: str, lang: str | None = None) -> bool:
    """True if `word` is a valid word of `lang` ("es", "en"; None: either) or a domain term."""
    names = (lang, "domain") if lang else LEXICONS
    return any(lookup(word, name) is not None for name in names)


@functools.cache
def total(name: str) -> int:
    """Sum of the counts of a lexicon (the denominator of its word probabilities)."""
    return sum(counts(name).values())
