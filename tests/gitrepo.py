"""A throw-away git repository holding a small package, for commands that compare revisions (diff, check-scope)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from packages import make_good_package


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=test", "-c", "user.email=test@example.invalid",
         "-c", "commit.gpgsign=false", *args],
        capture_output=True, text=True, check=True,
    )
    return result.stdout


def make_repo(root: Path, files: dict[str, str] | None = None) -> Path:
    """A repository with the good package in datapackage/ and `files` (path → text), all in one commit on main."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "--quiet", "--initial-branch=main")
    make_good_package(root / "datapackage")
    for relative, text in (files or {}).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    commit(root, "base")
    return root


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()
