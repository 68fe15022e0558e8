"""Problems printed for people (grouped by file) and for CI (JSON)."""

from __future__ import annotations

import json
from itertools import groupby

from .problems import ERROR, Problem

# A broken export can hold thousands of the same error; after this many per file the rest are counted.
SHOWN_PER_FILE = 200


def summary(problems: list[Problem]) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.severity == ERROR)
    return errors, len(problems) - errors


def _location(problem: Problem) -> str:
    parts = []
    if problem.row:
        parts.append(f"第 {problem.row} 行 (line {problem.row})")
    if problem.field:
        parts.append(f"字段 {problem.field} (field)")
    if problem.value not in (None, ""):
        value = problem.value if len(problem.value) <= 80 else problem.value[:77] + "..."
        parts.append(f"值 {value!r}")
    return ", ".join(parts)


def format_text(problems: list[Problem]) -> str:
    lines = []
    for file, group in groupby(sorted(problems, key=lambda p: p.sort_key), key=lambda p: p.file):
        group = list(group)
        lines.append(f"{file}")
        for problem in group[:SHOWN_PER_FILE]:
            label = "错误 ERROR" if problem.severity == ERROR else "警告 WARNING"
            location = _location(problem)
            lines.append(f"  [{label}] {location}" if location else f"  [{label}]")
            lines.append(f"    {problem.message_zh}")
            lines.append(f"    {problem.message_en}")
            if problem.hint_zh or problem.hint_en:
                lines.append(f"    修改：{problem.hint_zh}")
                lines.append(f"    Fix: {problem.hint_en}")
        if len(group) > SHOWN_PER_FILE:
            rest = len(group) - SHOWN_PER_FILE
            lines.append(f"  …… 另有 {rest} 处问题未列出（用 --format json 查看全部）/ {rest} more (see --format json)")
        lines.append("")
    errors, warnings = summary(problems)
    lines.append(f"{errors} 处错误，{warnings} 处警告 / {errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)


def format_json(problems: list[Problem]) -> str:
    errors, warnings = summary(problems)
    return json.dumps(
        {"valid": errors == 0, "errors": errors, "warnings": warnings,
         "problems": [p.to_dict() for p in problems]},
        ensure_ascii=False, indent=2,
    )


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: list[Problem], package_path: str = "datapackage") -> str:
    """GitHub Actions workflow commands (::error file=…,line=…::), so each problem is annotated on the line of
    the pull request's diff; `package_path` is the package folder relative to the repository's top."""
    lines = []
    for problem in sorted(problems, key=lambda p: p.sort_key):
        command = "error" if problem.severity == ERROR else "warning"
        path = f"{package_path.rstrip('/')}/{problem.file}" if package_path not in ("", ".") else problem.file
        properties = [f"file={_github_property(path)}"]
        if problem.row:
            properties.append(f"line={problem.row}")
        title = f"{problem.code} {problem.field}" if problem.field else problem.code
        properties.append(f"title={_github_property(title)}")
        message = f"{problem.message_zh} / {problem.message_en}"
        if problem.value not in (None, ""):
            message += f"（值 value: {problem.value[:80]!r}）"
        if problem.hint_zh or problem.hint_en:
            message += f"\n修改：{problem.hint_zh}\nFix: {problem.hint_en}"
        lines.append(f"::{command} {','.join(properties)}::{_github_data(message)}")
    errors, warnings = summary(problems)
    lines.append(f"{errors} 处错误，{warnings} 处警告 / {errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)
