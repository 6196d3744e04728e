"""An installed copy works on its own: from another directory, data via importlib.resources."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # No build isolation: the test must not need the network; setuptools is
    # already there wherever pip is.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("tipclean-*.whl")
    return built


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "tipclean/py.typed" in names
    for lexicon in ("es", "en", "domain"):
        assert f"tipclean/dictionaries/{lexicon}.txt" in names
    assert not any(name.startswith(("tests/", "eval/", "seeds/")) for name in names)
    assert not any(name.endswith("build_lexicons.py") for name in names)


def test_installed_copy_runs_elsewhere(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    sample = elsewhere / "sample.txt"
    sample.write_text("El Per\u00c3\u00ba es un pa\u00c3\u00ads.\n", encoding="utf-8")
    code = (
        "import tipclean, tipclean.lexicon as lx, sys;"
        "assert tipclean.__file__.startswith(sys.argv[1]), tipclean.__file__;"
        "assert lx.is_word('niños', 'es') and lx.is_word('trafficking', 'en');"
        "print(tipclean.clean_file('sample.txt').text, end='')"
    )
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-c", code, str(target)], cwd=elsewhere, env=env, capture_output=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode("utf-8") == "El Perú es un país.\n"
    proc = subprocess.run(
        [sys.executable, "-m", "tipclean", "--check", "sample.txt"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1 and b"would clean sample.txt" in proc.stderr
