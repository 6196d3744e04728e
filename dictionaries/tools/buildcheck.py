"""Checks shared by the build scripts in this folder (build time only)."""

from __future__ import annotations


def wordfreq_problem(wanted: str, what: str) -> str | None:
    """Why the installed wordfreq cannot rebuild `what`, or None if it can.

    The counts come from wordfreq's data, so only the version the committed
    files were built from rebuilds them byte for byte.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("wordfreq")
    except PackageNotFoundError:
        return f"wordfreq is missing: pip install wordfreq=={wanted}"
    if found != wanted:
        return f"wordfreq {found} is installed, {what} built from {wanted}: pip install wordfreq=={wanted}"
    return None
