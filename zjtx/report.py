"""Problems printed for people (causes first, errors by file, then warnings by kind) and for CI (JSON).

Nothing is left out silently: where the text shows only part of a file's problems, or validation stopped at the
error limit, the report says so and how to see everything.
"""

from __future__ import annotations

import json
from itertools import groupby

from .problems import ERROR, Problem

# A broken export can hold thousands of the same error; after this many per file the rest are counted.
SHOWN_PER_FILE = 200
SHOWN_VALUE = 80


def summary(problems: list[Problem]) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.severity == ERROR)
    return errors, len(problems) - errors


def _count(n: int) -> str:
    return f"{n:,}"


def _location(problem: Problem, with_file: bool = False) -> str:
    parts = [problem.file] if with_file else []
    if problem.row:
        parts.append(f"第 {problem.row} 行 (line {problem.row})")
    if problem.field:
        parts.append(f"字段 {problem.field} (field)")
    if problem.value not in (None, ""):
        value = problem.value if len(problem.value) <= SHOWN_VALUE else problem.value[: SHOWN_VALUE - 1] + "…"
        parts.append(f"值 {value!r}")
    return ", ".join(parts)


def _entry(problem: Problem, with_file: bool = False) -> list[str]:
    label = "错误 ERROR" if problem.severity == ERROR else "警告 WARNING"
    location = _location(problem, with_file)
    lines = [f"  [{label}] {location}" if location else f"  [{label}]",
             f"    {problem.message_zh}", f"    {problem.message_en}"]
    if problem.hint_zh or problem.hint_en:
        lines += [f"    修改：{problem.hint_zh}", f"    Fix: {problem.hint_en}"]
    if problem.follows:
        n = _count(problem.follows)
        lines.append(f"    …… 以及由此引起的 {n} 处错误（改正这一处后重新运行即可看到仍存在的）/ and {n} "
                     f"{'error that follows' if problem.follows == 1 else 'errors that follow'} from this (fix this one and run again)")
    return lines


def _more(rest: int) -> str:
    return (f"  …… 另有 {_count(rest)} 处未列出（用 --all 或 --format json 查看全部）/ {_count(rest)} more not "
            "listed (see them all with --all or --format json)")


def format_text(problems: list[Problem], capped=(), limit: int = 0, errors_only: bool = False,
                shown_per_file: int | None = SHOWN_PER_FILE) -> str:
    """The report for a terminal. `capped` names files whose validation stopped after `limit` errors;
    `shown_per_file=None` lists everything."""
    errors = [p for p in problems if p.severity == ERROR]
    warnings = [p for p in problems if p.severity != ERROR]
    lines: list[str] = []
    shown_in: dict[str, int] = {}
    current_file = None
    for problem in errors:  # already causes first, then by file and line
        shown = shown_in.get(problem.file, 0)
        shown_in[problem.file] = shown + 1
        if shown_per_file is not None and shown >= shown_per_file:
            continue
        if problem.file != current_file:
            lines += ([""] if lines else []) + [problem.file]
            current_file = problem.file
        lines += _entry(problem)
    for file, count in shown_in.items():
        if shown_per_file is not None and count > shown_per_file:
            lines.append(f"{file}: " + _more(count - shown_per_file).strip())
    for file in capped:
        lines.append(f"{file}: 校验在 {_count(limit)} 处错误后停止，可能还有更多；用 --all 校验全部行 / validation "
                     f"stopped after {_count(limit)} errors, there may be more: run with --all to check every row")
    if warnings and not errors_only:
        lines += ["", "警告 / Warnings"]
        for code, group in groupby(sorted(warnings, key=lambda p: (p.code, p.sort_key)), key=lambda p: p.code):
            group = list(group)
            lines.append(f"{code}：{len(group)} 处 / {len(group)}")
            limit_shown = len(group) if shown_per_file is None else shown_per_file
            for problem in group[:limit_shown]:
                lines += _entry(problem, with_file=True)
            if len(group) > limit_shown:
                lines.append(_more(len(group) - limit_shown))
    error_count, warning_count = summary(problems)
    lines += ["", f"{error_count} 处错误，{warning_count} 处警告 / {error_count} error{'s' if error_count != 1 else ''}, "
                  f"{warning_count} warning{'s' if warning_count != 1 else ''}"]
    if errors_only and warning_count:
        lines.append("（警告未列出：去掉 --errors-only 查看）/ (warnings not listed: drop --errors-only to see them)")
    return "\n".join(lines).lstrip("\n")


def format_json(problems: list[Problem], capped=(), limit: int = 0, errors_only: bool = False) -> str:
    """Every problem found (no per-file cap); `truncated` names files whose validation stopped at the limit."""
    errors, warnings = summary(problems)
    listed = [p for p in problems if p.severity == ERROR or not errors_only]
    return json.dumps(
        {"valid": errors == 0, "errors": errors, "warnings": warnings,
         "truncated": [{"file": file, "stopped_after_errors": limit} for file in capped],
         "problems": [p.to_dict() for p in listed]},
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
