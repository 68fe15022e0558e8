"""The library's own exceptions. Only the command layer (build.py) turns them into messages for people."""

from __future__ import annotations


class ZjtxError(Exception):
    """Base class: every error carries an English and a Chinese message."""

    def __init__(self, message_en: str, message_zh: str = ""):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_zh = message_zh or message_en

    def bilingual(self) -> str:
        return f"{self.message_zh}\n{self.message_en}"


class PackageError(ZjtxError):
    """The package cannot be read at all (no descriptor, broken JSON, a path outside the package)."""


class InvalidPackage(ZjtxError):
    """Validation found errors; `problems` lists every one of them."""

    def __init__(self, problems):
        self.problems = problems
        errors = sum(1 for p in problems if p.severity == "error")
        super().__init__(f"the data package has {errors} error(s)", f"数据包有 {errors} 处错误")


class BuildError(ZjtxError):
    """The site could not be built; the previous site is left as it was."""


class DemoError(ZjtxError):
    """The demo register cannot be generated with these settings, or would overwrite real data."""


class ServeError(ZjtxError):
    """The preview server cannot start (the port is taken, the address is not this machine's)."""
