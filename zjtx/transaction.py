"""Replace a set of files all or nothing: after any fault every file is as it was, or every file is new.

A command that writes a user's files (fmt, import-list, demo-data, the package writer) hands every new file to
`replace_files` at once. The steps, each one survivable:

1. A journal naming every target is written beside the package (`.zjtx-transaction.json` in `root`).
2. Each new file is written and flushed beside its target (`.NAME.zjtx-new`), and each old file is kept under a
   second name (`.NAME.zjtx-old`, a hard link, or a copy where the file system has none). A full disk fails here,
   before any target has changed.
3. The new files are renamed over their targets, one by one.
4. The journal is marked committed (one atomic rename): from here on the new files are the result.
5. The kept old files and the journal are removed.

A fault in steps 1 to 3 (an exception, Ctrl+C) puts every old file back before the error is raised. A process
killed at any point leaves the journal behind, and `recover` (called by every writing command, and by
`replace_files` itself, before it writes) finishes the job: before the commit mark it puts the old files back,
after it it only tidies up. Recovery is itself idempotent, so a kill during recovery is repaired the same way.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from collections.abc import Mapping

from .errors import WriteError

JOURNAL = ".zjtx-transaction.json"
JOURNAL_STAGED = JOURNAL + ".tmp"
NEW_SUFFIX = ".zjtx-new"
OLD_SUFFIX = ".zjtx-old"
PREPARED, COMMITTED = "prepared", "committed"


def _new_of(target: Path) -> Path:
    return target.with_name(f".{target.name}{NEW_SUFFIX}")


def _old_of(target: Path) -> Path:
    return target.with_name(f".{target.name}{OLD_SUFFIX}")


def _sync_folder(folder: Path) -> None:
    """Make the renames in `folder` durable (a power cut must not undo a rename the journal relies on)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # a platform or file system that cannot open folders: renames are as durable as it makes them
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _write_durably(path: Path, data: bytes) -> None:
    with open(path, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def _write_journal(root: Path, state: str, entries: list[dict]) -> None:
    journal = root / JOURNAL
    staged = root / JOURNAL_STAGED
    _write_durably(staged, json.dumps({"state": state, "files": entries}, ensure_ascii=False, indent=1).encode())
    os.replace(staged, journal)
    _sync_folder(root)


def _keep_old(target: Path) -> None:
    old = _old_of(target)
    old.unlink(missing_ok=True)
    try:
        os.link(target, old)
    except OSError:
        shutil.copy2(target, old)  # no hard links here (some network and FAT file systems)


def _roll_back(root: Path, entries: list[dict]) -> None:
    """Every target as it was before the transaction, from any step before the commit mark."""
    for entry in entries:
        target = root / entry["path"]
        old = _old_of(target)
        if old.exists():
            os.replace(old, target)
            # rename(2) does nothing when both names are links to one file (no new file was swapped in yet).
            old.unlink(missing_ok=True)
        elif not entry["existed"]:
            target.unlink(missing_ok=True)
        # An old file that existed but was never kept: no target had been replaced yet, so it is untouched.
        _new_of(target).unlink(missing_ok=True)
        _sync_folder(target.parent)


def _tidy(root: Path, entries: list[dict]) -> None:
    for entry in entries:
        target = root / entry["path"]
        _old_of(target).unlink(missing_ok=True)
        _new_of(target).unlink(missing_ok=True)


def _read_journal(root: Path) -> dict | None:
    path = root / JOURNAL
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
        entries = journal["files"]
        if journal["state"] not in (PREPARED, COMMITTED) or not all(
                isinstance(e["path"], str) and isinstance(e["existed"], bool) for e in entries):
            raise ValueError(journal["state"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise WriteError(
            f"{path} was left by an interrupted write and cannot be read ({error}): compare the package with "
            "`git status`, restore what is wrong, then delete that file",
            f"{path} 是一次中断的写入留下的记录，但无法读取（{error}）：请用 git status 核对数据包，恢复有误的文件后删除该记录文件",
        ) from error
    for entry in entries:
        # The journal names files of the package only; anything else is not one this module wrote.
        relative = Path(entry["path"])
        if relative.is_absolute() or ".." in relative.parts:
            raise WriteError(f"{path} names a file outside {root}: {entry['path']}; delete {path}",
                             f"{path} 中记录了 {root} 之外的文件 {entry['path']}：请删除 {path}")
    return journal


def recover(root: Path) -> str | None:
    """Finish a transaction a killed process left in `root`: "rolled back", "completed", or None if there was none."""
    root = Path(root)
    journal = _read_journal(root)
    if journal is None:
        return None
    try:
        if journal["state"] == COMMITTED:
            _tidy(root, journal["files"])
            outcome = "completed"
        else:
            _roll_back(root, journal["files"])
            outcome = "rolled back"
        (root / JOURNAL).unlink()
        (root / JOURNAL_STAGED).unlink(missing_ok=True)
        _sync_folder(root)
    except OSError as error:
        raise WriteError(
            f"an interrupted write in {root} could not be repaired ({error.strerror}: {error.filename}); nothing "
            "else was changed: free the disk or fix the permissions, then run the command again",
            f"{root} 中一次中断的写入无法修复（{error.strerror}：{error.filename}），未做其他改动：请释放磁盘空间或"
            "改正权限后再运行该命令",
        ) from error
    return outcome


def _common_folder(targets: list[Path]) -> Path:
    return Path(os.path.commonpath([str(target.parent) for target in targets]))


def replace_files(files: Mapping[str | Path, bytes], root: str | Path | None = None) -> None:
    """Write every file of `files` (path -> new bytes), or, on any fault, none of them.

    `root` is the folder the journal lives in (the package's folder): every path must lie inside it, and the next
    writer into that folder repairs a journal left by a killed one (`recover`). By default it is the deepest
    folder holding every path. Raises WriteError, with every file as it was, when a file cannot be written."""
    if not files:
        return
    targets = [Path(path).absolute() for path in files]
    root = Path(root).absolute() if root is not None else _common_folder(targets)
    for target in targets:
        if root not in target.parents:
            raise ValueError(f"{target} is not inside {root}")
    recover(root)
    entries = [{"path": target.relative_to(root).as_posix(), "existed": target.exists()} for target in targets]
    new_bytes = dict(zip(targets, files.values()))
    try:
        root.mkdir(parents=True, exist_ok=True)
        _tidy(root, entries)  # names of ours left by hand or a copy, with no journal: nothing to keep
        _write_journal(root, PREPARED, entries)
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_durably(_new_of(target), new_bytes[target])
            if target.exists():
                _keep_old(target)
        for target in targets:
            os.replace(_new_of(target), target)
        for folder in sorted({target.parent for target in targets}):
            _sync_folder(folder)
        _write_journal(root, COMMITTED, entries)
    except BaseException as error:
        _undo(root, entries, error)
        if isinstance(error, OSError):
            raise WriteError(
                f"could not write {error.filename or root} ({error.strerror or error}): every file was left as it "
                "was. Free some disk space or fix the folder's permissions, then run the command again",
                f"无法写入 {error.filename or root}（{error.strerror or error}）：所有文件均保持原样。"
                "请释放磁盘空间或改正文件夹权限后再运行该命令",
            ) from error
        raise
    try:
        _tidy(root, entries)
        (root / JOURNAL).unlink()
    except OSError:
        pass  # every new file is in place; the next writer into `root` removes what is left (recover)


def _undo(root: Path, entries: list[dict], error: BaseException) -> None:
    """Put every old file back after `error`; if even that fails, the journal stays for the next run."""
    try:
        _roll_back(root, entries)
        (root / JOURNAL).unlink(missing_ok=True)
    except OSError as undo_error:
        raise WriteError(
            f"writing into {root} failed ({error}) and the old files could not all be put back yet "
            f"({undo_error.strerror}: {undo_error.filename}); the next command that writes into the package puts "
            f"them back from {root / JOURNAL}: free the disk or fix the permissions, then run it",
            f"写入 {root} 失败（{error}），原文件暂未能全部恢复（{undo_error.strerror}：{undo_error.filename}）；"
            f"下一次写入数据包的命令会按 {root / JOURNAL} 恢复：请释放磁盘空间或改正权限后再运行",
        ) from undo_error
