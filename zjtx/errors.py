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

    def __reduce__(self):
        # An error raised in a second process of the build reaches the first as itself: its type, both messages
        # and whatever a subclass keeps (InvalidPackage's problems, ImportRefused's result).
        return _rebuild, (type(self), self.message_en, dict(self.__dict__))


def _rebuild(kind: type, message_en: str, state: dict) -> ZjtxError:
    error = kind.__new__(kind)
    Exception.__init__(error, message_en)
    error.__dict__.update(state)
    return error


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


class ListError(ZjtxError):
    """An official list cannot be read or used: no header, an unknown encoding, an announcement not in the package."""


class ImportRefused(ZjtxError):
    """An import that would leave rows out or make the package invalid; `result` says which rows and problems, and
    the message names the fix of each row that stopped it (importer.refusal_messages)."""

    def __init__(self, result, message_en: str, message_zh: str):
        self.result = result
        super().__init__(message_en, message_zh)


class ScopeError(ZjtxError):
    """The district owners file is missing or malformed, or the change cannot be compared."""


class WriteError(ZjtxError):
    """Files could not be replaced (a full disk, a folder without permission); every file was left as it was."""


class PublishError(ZjtxError):
    """The site cannot be published: not a built site, a bad target, refused credentials, a missing bucket, an
    unreachable store, or a host configuration that cannot be written."""
