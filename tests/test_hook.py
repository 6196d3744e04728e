"""The pre-commit hook: its definition, its start-up, and a real run with ``pre-commit try-repo``.

try-repo always installs the hook into a fresh virtualenv, so test_try_repo
needs PyPI (for ftfy, regex, symspellpy, langdetect) and takes about a
minute for its two runs. It is skipped only without git or pre-commit.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import tipclean

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _hooks() -> list[dict[str, Any]]:
    yaml = pytest.importorskip("yaml", reason="PyYAML comes with pre-commit")
    hooks: list[dict[str, Any]] = yaml.safe_load(
        (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    )
    return hooks


def test_hook_definitions() -> None:
    hooks = {hook["id"]: hook for hook in _hooks()}
    assert list(hooks) == ["tipclean", "tipclean-check"]
    assert hooks["tipclean"]["entry"] == "tipclean -w"
    assert hooks["tipclean-check"]["entry"] == "tipclean --check"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types"] == ["text"]
        assert hook["stages"] == ["pre-commit", "pre-push", "manual"]
        assert not hook.get(
            "require_serial", False
        )  # pre-commit may split the files among processes
        files = re.compile(hook["files"])
        assert all(files.search(name) for name in ("a.txt", "dir/b.md", "C.TXT", "informe.Md"))
        assert not any(
            files.search(name) for name in ("a.txt.bak", "notes.rst", "mdfile", "x.html")
        )


def test_hook_entry_is_the_console_script() -> None:
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"
    ]
    assert all(hook["entry"].split()[0] in scripts for hook in _hooks())


def test_every_hook_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for hook in _hooks():
        assert re.search(rf"id: {re.escape(hook['id'])}(?![\w-])", readme), hook["id"]


def test_start_up_is_light() -> None:
    # A hook starts once per batch of files: importing the CLI must not load
    # the lexicons, the language models or the process pool.
    code = (
        "import sys, tipclean.cli;"
        "print(sorted(m for m in ('symspellpy', 'langdetect', 'multiprocessing', 'argparse', 'json')"
        " if m in sys.modules))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert proc.stdout == "[]\n"


def _git(*args: str, cwd: Path) -> str:
    proc = subprocess.run(
        ["git", "-c", "user.name=tipclean tests", "-c", "user.email=tests@tipclean.invalid",
         "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return proc.stdout


def _project_files() -> list[str]:
    """What ``git add -A`` would commit: tracked and new files, not ignored ones."""
    try:
        listed = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    except subprocess.CalledProcessError:
        # Not a git checkout (an unpacked sdist): what the package needs.
        names = ["pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "tipclean/dictionaries"]
        names += [f"tipclean/{p.name}" for p in (ROOT / "tipclean").iterdir() if p.is_file()]
        return names + [str(p.relative_to(ROOT)) for p in (ROOT / "dictionaries").rglob("*")]
    return [name for name in listed.split("\0") if name]


def _snapshot_project(target: Path) -> None:
    """Commit the working tree, not HEAD, into a fresh repo: try-repo installs what is committed.

    Tracked and new files are copied as they are on disk, so the test sees
    uncommitted work, a new .pre-commit-hooks.yaml included.
    """
    for name in _project_files():
        source, copy = ROOT / name, target / name
        if source.is_symlink() or source.is_file():  # else deleted since it was tracked
            copy.parent.mkdir(parents=True, exist_ok=True)
            if source.is_symlink():
                copy.symlink_to(os.readlink(source))
            else:
                shutil.copy2(source, copy)
    _git("init", "-q", cwd=target)
    _git("add", "-A", cwd=target)
    _git("commit", "-q", "-m", "working tree of tipclean", cwd=target)


def _corpus(target: Path) -> dict[str, bytes]:
    """A corpus repo: dirty copies of the seeds, plus files the hook must leave alone."""
    target.mkdir()
    files: dict[str, bytes] = {}
    for k, seed in enumerate(SEEDS):
        data = seed.read_bytes()
        if k == 1:
            data = data.replace(b"\n", b"\r\n")  # saved on Windows
        elif k == 2:
            data = data.decode("latin-1").encode("utf-8")  # mojibake: UTF-8 read as Latin-1
        files[f"reports/{seed.name}" if k % 2 else seed.name] = data
    files["README.md"] = "# Corpus\n\nEl Perú es un país de origen.\n".encode()
    files["notes.rst"] = "El Per\u00c3\u00ba es un pa\u00c3\u00ads\n".encode()  # not .txt or .md
    files["scan.png"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    for name, data in files.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(data)
    # pre-commit passes no symlinks to a hook of `types: [text]`.
    (target / "latest.txt").symlink_to(SEEDS[0].name)
    _git("init", "-q", cwd=target)
    _git("add", "-A", cwd=target)
    _git("commit", "-q", "-m", "corpus", cwd=target)
    return files


@pytest.fixture(scope="module")
def pre_commit() -> list[str]:
    if shutil.which("git") is None:
        pytest.skip("needs git")
    if importlib.util.find_spec("pre_commit") is None:
        pytest.skip("needs pre-commit (pip install '.[test]')")
    return [sys.executable, "-m", "pre_commit"]


def _try_repo(
    pre_commit: list[str], project: Path, corpus: Path, hook: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    env.pop("PRE_COMMIT_HOME", None)
    return subprocess.run(
        [*pre_commit, "try-repo", str(project), hook, "--all-files", "--color", "never"],
        cwd=corpus, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def test_try_repo(pre_commit: list[str], tmp_path: Path) -> None:
    project, corpus = tmp_path / "project", tmp_path / "corpus"
    _snapshot_project(project)
    originals = _corpus(corpus)

    first = _try_repo(pre_commit, project, corpus, "tipclean")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "- files were modified by this hook" in first.stdout
    changed = sorted(
        name for name, data in originals.items() if (corpus / name).read_bytes() != data
    )
    assert changed == sorted(name for name in originals if name.endswith(".txt"))
    assert (corpus / "latest.txt").is_symlink()
    for name in changed:
        # The installed hook does what this checkout does.
        original = tmp_path / "originals" / name
        original.parent.mkdir(parents=True, exist_ok=True)
        original.write_bytes(originals[name])
        expected = tipclean.clean_file(original).text
        assert (corpus / name).read_text(encoding="utf-8") == expected, name
    cleaned = {name: (corpus / name).read_bytes() for name in originals}

    second = _try_repo(pre_commit, project, corpus, "tipclean")
    assert second.returncode == 0, second.stdout + second.stderr
    assert re.search(r"^tipclean\.+Passed$", second.stdout, re.MULTILINE), second.stdout
    assert {name: (corpus / name).read_bytes() for name in originals} == cleaned


def test_check_only_hook(pre_commit: list[str], tmp_path: Path) -> None:
    """The check-only definition under pre-commit, run from this environment (no install: fast)."""
    yaml = pytest.importorskip("yaml")
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "tipclean").exists():
        pytest.skip("no tipclean script next to python")
    corpus = tmp_path / "corpus"
    originals = _corpus(corpus)
    (hook,) = [
        {**hook, "language": "system"} for hook in _hooks() if hook["id"] == "tipclean-check"
    ]
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (corpus / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _git("add", ".pre-commit-config.yaml", cwd=corpus)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "PYTHONIOENCODING": "utf-8",
    }
    proc = subprocess.run(
        [*pre_commit, "run", "tipclean-check", "--all-files", "--color", "never"],
        cwd=corpus, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "files were modified by this hook" not in proc.stdout
    for name in originals:
        assert (f"would clean {name}" in proc.stdout) == name.endswith(".txt"), name
        assert (corpus / name).read_bytes() == originals[name]
