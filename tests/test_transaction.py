"""transaction.replace_files: every file new or every file as it was, whatever fails and wherever a process dies."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from zjtx import transaction
from zjtx.errors import WriteError
from zjtx.transaction import JOURNAL, recover, replace_files

ROOT = Path(__file__).resolve().parent.parent
OLD = {"data/a.csv": b"a,old\n", "data/b.csv": b"b,old\n", "datapackage.json": b"{}\n"}
NEW = {"data/a.csv": b"a,new\n", "data/b.csv": b"b,new\n", "datapackage.json": b'{"v": 2}\n',
       "data/c.csv": b"c,created\n"}


@pytest.fixture
def package(tmp_path) -> Path:
    root = tmp_path / "package"
    for relative, data in OLD.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)
    return root


def contents(root: Path) -> dict[str, bytes]:
    """Every file under root, hidden ones included, so a left-over journal or kept file shows."""
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def new_files(root: Path) -> dict[Path, bytes]:
    return {root / relative: data for relative, data in NEW.items()}


def test_every_file_is_replaced_and_nothing_is_left_beside_them(package):
    replace_files(new_files(package), root=package)
    assert contents(package) == NEW


def test_a_rename_that_fails_on_the_second_file_leaves_every_file_as_it_was(package, monkeypatch):
    real_replace = os.replace
    swapped = []

    def failing_replace(source, target):
        if str(source).endswith(transaction.NEW_SUFFIX):
            swapped.append(target)
            if len(swapped) == 2:
                raise OSError(errno.EIO, "Input/output error", str(target))
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(WriteError) as raised:
        replace_files(new_files(package), root=package)
    assert len(swapped) == 2  # the first file had been swapped in
    assert contents(package) == OLD
    assert "所有文件均保持原样" in raised.value.message_zh and "every file was left as it was" in raised.value.message_en


def test_a_full_disk_while_writing_the_new_files_changes_nothing(package, monkeypatch):
    real_write = transaction._write_durably
    written = []

    def full_disk(path, data):
        written.append(path)
        if len(written) == 3:  # the journal, the first new file, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real_write(path, data)

    monkeypatch.setattr(transaction, "_write_durably", full_disk)
    with pytest.raises(WriteError) as raised:
        replace_files(new_files(package), root=package)
    assert contents(package) == OLD
    assert "No space left on device" in raised.value.message_en


def test_ctrl_c_in_the_middle_of_the_swap_puts_the_old_files_back(package, monkeypatch):
    real_replace = os.replace
    swapped = []

    def interrupted(source, target):
        if str(source).endswith(transaction.NEW_SUFFIX):
            swapped.append(target)
            if len(swapped) == 3:
                raise KeyboardInterrupt
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        replace_files(new_files(package), root=package)
    assert contents(package) == OLD


KILLER = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from zjtx import transaction

root = Path({package!r})
stage = {stage!r}
real_replace, real_journal = os.replace, transaction._write_journal
renamed = []

def replace(source, target):
    if str(source).endswith(transaction.NEW_SUFFIX):
        renamed.append(target)
        if stage == "between renames" and len(renamed) == 2:
            os.kill(os.getpid(), signal.SIGKILL)
    return real_replace(source, target)

def journal(folder, state, entries):
    real_journal(folder, state, entries)
    if stage == "after the commit" and state == transaction.COMMITTED:
        os.kill(os.getpid(), signal.SIGKILL)

os.replace, transaction._write_journal = replace, journal
transaction.replace_files({files!r}, root=root)
"""


def killed_midway(package: Path, stage: str) -> None:
    files = {str(path): data for path, data in new_files(package).items()}
    script = KILLER.format(root=str(ROOT), package=str(package), stage=stage, files=files)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()
    assert (package / JOURNAL).is_file()


def test_a_process_killed_between_two_renames_is_rolled_back_by_the_next_run(package):
    killed_midway(package, "between renames")
    assert (package / "data/a.csv").read_bytes() == NEW["data/a.csv"]  # a mix, as the kill left it
    assert (package / "data/b.csv").read_bytes() == OLD["data/b.csv"]
    assert recover(package) == "rolled back"
    assert contents(package) == OLD
    assert recover(package) is None


def test_a_process_killed_after_the_commit_mark_is_completed_by_the_next_run(package):
    killed_midway(package, "after the commit")
    assert recover(package) == "completed"
    assert contents(package) == NEW


def test_the_next_write_repairs_a_journal_before_it_writes(package):
    killed_midway(package, "between renames")
    replace_files({package / "data/b.csv": b"b,third\n"}, root=package)
    assert contents(package) == {**OLD, "data/b.csv": b"b,third\n"}


def test_a_recovery_that_fails_midway_is_finished_by_the_next_one(package, monkeypatch):
    killed_midway(package, "between renames")
    real_replace = os.replace
    calls = []

    def failing_once(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error", str(target))
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_once)
    with pytest.raises(WriteError):
        recover(package)
    monkeypatch.setattr(os, "replace", real_replace)
    assert recover(package) == "rolled back"
    assert contents(package) == OLD


@pytest.mark.parametrize("journal", [b"{not json", b'{"state": "prepared", "files": [{"path": "../x", "existed": true}]}'])
def test_a_journal_that_cannot_be_trusted_is_explained_and_nothing_is_touched(package, journal):
    (package / JOURNAL).write_bytes(journal)
    before = contents(package)
    with pytest.raises(WriteError) as raised:
        recover(package)
    assert JOURNAL in raised.value.message_en and JOURNAL in raised.value.message_zh
    assert contents(package) == before


def test_any_command_on_the_package_first_repairs_a_write_a_killed_command_left(tmp_path):
    from click.testing import CliRunner

    import build
    from packages import make_good_package

    package = make_good_package(tmp_path / "package")
    before = contents(package)
    files = {str(package / "data" / name): b"uscc\n" for name in ("enterprises.csv", "products.csv")}
    script = KILLER.format(root=str(ROOT), package=str(package), stage="between renames", files=files)
    assert subprocess.run([sys.executable, "-c", script]).returncode == -signal.SIGKILL
    assert (package / JOURNAL).is_file()
    result = CliRunner().invoke(build.cli, ["fmt", "--check", "--datapackage", str(package)])
    assert result.exit_code == 0, result.output
    assert "an interrupted write in" in result.output and "was rolled back" in result.output
    assert contents(package) == before
