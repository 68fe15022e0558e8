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


class ListError(ZjtxError):
    """An official list cannot be read or used: no header, an unknown encoding, an announcement not in the package."""


class ImportRefused(ZjtxError):
    """An import that would leave rows out or make the package invalid; `result` says which rows and problems."""

    def __init__(self, result):
        self.result = result
        stopping = len(result.stopping)
        errors = sum(1 for p in result.problems if p.severity == "error")
        if errors:
            super().__init__(
                f"the package would have {errors} error(s) after the import: nothing was written. Errors in rows "
                "this list does not touch were there before: run `python build.py validate` and fix them first",
                f"导入后数据包将有 {errors} 处错误：未写入任何文件。与本名单无关的错误是原已存在的："
                "请先运行 python build.py validate 改正",
            )
        else:
            super().__init__(
                f"{stopping} row(s) of the list are ambiguous or unmatched: nothing was written. Correct the names "
                "or add the USCC column to the list, or pass --allow-unmatched to import the other rows",
                f"名单中有 {stopping} 行有歧义或未匹配：未写入任何文件。请改正名称或在名单中补充统一社会信用代码列，"
                "或加 --allow-unmatched 只导入其余各行",
            )


class ScopeError(ZjtxError):
    """The district owners file is missing or malformed, or the change cannot be compared."""


class PublishError(ZjtxError):
    """The site cannot be published: not a built site, a bad target, refused credentials, a missing bucket, an
    unreachable store, or a host configuration that cannot be written."""
