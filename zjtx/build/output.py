"""The output folder: one build at a time into it, the new site written beside it, and the swap that puts the new
site in its place, so that readers (and a web server) always find a whole site, the old one or the new one.

The swap is one system call where Linux offers it (renameat2 with RENAME_EXCHANGE exchanges two folders
atomically); elsewhere it is two renames, and a build killed between them leaves the old site beside the output
folder, where the next build finds it and puts it back before anything else. No step ever deletes the last good
site before the new one is in place.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path

from ..errors import BuildError
from ..urls import SITE_MARKER

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def check_out_dir(out_dir: Path, sources: list[Path]) -> None:
    """Refuse an output folder whose replacement would destroy anything but a previous build, or that cannot be
    replaced at all."""
    for source in sources:
        if source == out_dir or source in out_dir.parents:
            raise BuildError(
                f"--out {out_dir} is inside {source}: choose a folder outside the data package and templates",
                f"--out {out_dir} 位于 {source} 之中：请选择数据包和模板之外的文件夹",
            )
    if out_dir.exists():
        if not out_dir.is_dir():
            raise BuildError(f"--out {out_dir} is a file: choose a folder", f"--out {out_dir} 是文件：请指定文件夹")
        if os.path.ismount(out_dir):
            raise BuildError(
                f"--out {out_dir} is a mount point, which a finished build cannot replace in one step: build into "
                f"a folder inside it (e.g. --out {out_dir / 'site'}) and serve that folder",
                f"--out {out_dir} 是挂载点，生成完成后无法一步替换：请生成到其中的子文件夹（如 --out "
                f"{out_dir / 'site'}），并让网站服务该子文件夹",
            )
        if any(out_dir.iterdir()) and not (out_dir / SITE_MARKER).exists():
            raise BuildError(
                f"--out {out_dir} holds files that build.py did not write: choose another folder, or empty it",
                f"--out {out_dir} 中有不是 build.py 生成的文件：请换一个文件夹，或先清空它",
            )


@contextlib.contextmanager
def build_lock(out_dir: Path):
    """One build at a time into an output folder: a second one is refused at once, saying which is running.

    The lock file beside the output exists only while a build runs: it is removed before it is unlocked, and a
    build that locked a file someone removed meanwhile tries again on the new one."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out_dir.with_name(f".{out_dir.name}.lock")
    while True:
        handle = open(lock_path, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise BuildError(
                f"another build into {out_dir} is running (process {holder}): wait for it to finish, or use --out",
                f"另一个构建正在写入 {out_dir}（进程 {holder}）：请等它完成，或用 --out 指定其他文件夹",
            ) from None
        try:
            same = os.stat(lock_path).st_ino == os.fstat(handle.fileno()).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        handle.close()  # the previous holder removed this file before we locked it
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        lock_path.unlink(missing_ok=True)
        handle.close()


def _old_sites(out_dir: Path) -> list[Path]:
    """Sites a swap moved aside, newest first."""
    return sorted(out_dir.parent.glob(f".{out_dir.name}.old-*"), key=lambda p: p.stat().st_mtime, reverse=True)


def repair(out_dir: Path) -> None:
    """Put back the last site if a build was killed between the two renames of a swap, then remove what killed
    builds left beside the output. Runs with the lock held, so no running build owns these folders."""
    old = _old_sites(out_dir)
    if not out_dir.exists() and old and (old[0] / SITE_MARKER).exists():
        os.rename(old[0], out_dir)
        old = old[1:]
    for leftover in [*old, *out_dir.parent.glob(f".{out_dir.name}.new-*")]:
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in Path(tempfile.gettempdir()).glob("zjtx-build-*"):
        try:
            if time.time() - leftover.stat().st_mtime > 24 * 3600:  # another build's, if still fresh
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            pass


def new_site(out_dir: Path, kind: str = "site") -> Path:
    """A private folder beside the output (named as `repair` finds it): the new site, or a scratch folder whose
    files move into it by renames."""
    folder = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-{kind}-", dir=out_dir.parent))
    folder.chmod(0o755)  # mkdtemp makes it private; a web server must read the site
    return folder


def _exchange(first: Path, second: Path) -> bool:
    """Exchange two folders in one step (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # a file system or kernel without the exchange: two renames instead
    raise OSError(code, os.strerror(code), str(second))


def replace_dir(new: Path, out: Path) -> None:
    """Put `new` in the place of `out`; if that fails, `out` is left as it was. `new` is gone afterwards."""
    if out.exists() and _exchange(new, out):
        shutil.rmtree(new, ignore_errors=True)  # now the old site
        return
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}-{time.time_ns()}")
        os.rename(out, old)
    try:
        os.rename(new, out)
    except OSError:
        if old is not None:
            os.rename(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# Failures of the file system rather than of the build: each gets a message that says what to do.
DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EBUSY, errno.EXDEV}


def disk_error(error: OSError, out_dir: Path) -> BuildError:
    """A failure to write the new site (full disk, read-only, busy) as the build reports it: the last site is
    whole, since nothing was written into it."""
    reason = {errno.ENOSPC: ("the disk is full", "磁盘已满"), errno.EDQUOT: ("the disk quota is used up", "磁盘配额已用完"),
              errno.EROFS: ("the file system is read-only", "文件系统是只读的"),
              errno.EACCES: ("permission denied", "没有写入权限"), errno.EPERM: ("permission denied", "没有写入权限"),
              errno.EBUSY: ("the folder is busy (in use or a mount point)", "文件夹正被占用（或是挂载点）"),
              errno.EXDEV: ("the new site and the output folder are on different file systems",
                            "新网站与输出文件夹不在同一文件系统上")}
    en, zh = reason.get(error.errno, (error.strerror or str(error), error.strerror or str(error)))
    where = error.filename or out_dir
    return BuildError(
        f"the site could not be written ({en}: {where}); the previous site in {out_dir} is unchanged. Free space or "
        "fix the permissions, or build into another folder with --out",
        f"无法写入网站（{zh}：{where}）；{out_dir} 中原有的网站保持不变。请腾出磁盘空间或修正权限，或用 --out 生成到其他文件夹",
    )
