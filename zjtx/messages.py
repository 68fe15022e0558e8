"""Frictionless errors turned into problems a bureau can act on, in Chinese and English.

The schema validation's own errors are explained here; the rule checks carry their messages in their error
classes (zjtx/checks), and this module only formats those.
"""

from __future__ import annotations

import re

from .checks import error_classes
from .checks.base import details_of
from .problems import ERROR, Problem

TYPE_NAMES = {
    "date": ("日期", "date", "写成 YYYY-MM-DD，如 2024-07-15（Excel 常把日期改成 2024/7/15：把该列设为文本后重新输入）",
             "write it as YYYY-MM-DD, e.g. 2024-07-15 (Excel often turns dates into 2024/7/15: format the column as text and retype)"),
    "integer": ("整数", "whole number", "只填数字，不带小数点、千位分隔符、空格或单位",
                "digits only: no decimal point, thousands separator, space or unit"),
    "number": ("数字", "number", "只填数字", "digits only"),
    "string": ("文本", "text", "", ""),
}

CONSTRAINT_NOTE = re.compile(r'constraint "(\w+)" is "(.*)"', re.S)
ROW_POSITION = re.compile(r"position (\d+)")
# What Excel makes of a long code typed into a cell formatted as a number: 9.11200E+17.
EXCEL_NUMBER = re.compile(r"\d+(\.\d+)?[eE]\+?\d+")
EXCEL_HINT_ZH = ("Excel 把代码当成数字，改成了科学计数法：把该列设为“文本”格式后重新输入或粘贴原代码"
                 "（不要从已变成科学计数法的单元格复制）")
EXCEL_HINT_EN = ("Excel turned the code into a number in scientific notation: format the column as Text, then retype "
                 "or paste the original code (not from the spoiled cell)")
SHORT = 60

# Frictionless's own error types, explained in Chinese; its English message goes to the English slot only.
GENERIC_ZH = {
    "source-error": "无法读取数据源（文件为空或内容无法识别）",
    "scheme-error": "无法打开文件",
    "format-error": "文件格式无法识别",
    "encoding-error": "文件编码不对",
    "hash-count": "文件的校验值或大小与说明不符",
    "byte-count": "文件大小与说明不符",
    "schema-error": "数据说明（schema）有误",
    "field-error": "字段定义有误",
    "resource-error": "资源定义有误",
    "package-error": "数据包说明有误",
    "checklist-error": "校验设置有误",
    "check-error": "校验设置有误",
    "row-error": "这一行无法校验",
    "cell-error": "这个单元格无法校验",
}


def short(value) -> str:
    """A value as messages quote it: long ones cut, so one cell cannot flood a report."""
    text = "" if value is None else str(value)
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def quoted(value) -> str:
    return repr(short(value))


def _field_of(resource, name):
    try:
        return resource.schema.get_field(name)
    except Exception:  # the schema may itself be broken; then there is no field to describe
        return None


# Where a field's description turns from Chinese to English: the full stop before the first English sentence.
ENGLISH_STARTS = re.compile(r"。(?=[A-Za-z0-9])")


def _describe(field) -> tuple[str, str]:
    """The Chinese and the English part of the field's description ("中文。English.")."""
    if field is None:
        return "", ""
    description = field.description or ""
    turn = ENGLISH_STARTS.search(description)
    if turn is None:
        return description.rstrip("。"), description
    return description[:turn.start()], description[turn.end():].strip()


def _cell(error) -> str | None:
    """The cell as the file has it: Frictionless writes a missing cell as the text 'None'."""
    cell = getattr(error, "cell", None)
    if cell == "None":
        cells, number = getattr(error, "cells", None) or [], getattr(error, "field_number", 0) or 0
        if not 0 < number <= len(cells) or cells[number - 1] == "":
            return ""
    return cell


def _problem(file, error, code, message_zh, message_en, hint_zh="", hint_en="", field=None, value=None,
             severity=ERROR, row=None):
    return Problem(
        file=file,
        row=row or getattr(error, "row_number", None),
        field=field if field is not None else getattr(error, "field_name", None),
        value=value if value is not None else _cell(error),
        code=code,
        severity=severity,
        message_zh=message_zh,
        message_en=message_en,
        hint_zh=hint_zh,
        hint_en=hint_en,
    )


def _type_error(file, error, resource, context):
    field = _field_of(resource, error.field_name)
    kind = TYPE_NAMES.get(field.type if field else "string", TYPE_NAMES["string"])
    hint_zh, hint_en = kind[2], kind[3]
    if EXCEL_NUMBER.fullmatch(str(error.cell or "")):
        hint_zh, hint_en = EXCEL_HINT_ZH, EXCEL_HINT_EN
    return _problem(
        file, error, "type-error",
        f"{error.field_name} 的值 {quoted(error.cell)} 不是有效的{kind[0]}",
        f"{error.field_name} value {quoted(error.cell)} is not a valid {kind[1]}",
        hint_zh, hint_en,
    )


def _constraint_error(file, error, resource, context):
    field = _field_of(resource, error.field_name)
    match = CONSTRAINT_NOTE.search(error.note or "")
    constraint, limit = (match.group(1), match.group(2)) if match else ("", "")
    about_zh, about_en = _describe(field)
    name = error.field_name
    if constraint == "required":
        return _problem(file, error, "required", f"{name} 不能为空", f"{name} is required",
                        f"填写{about_zh}", f"Fill in: {about_en}", value="")
    if constraint == "enum":
        allowed = ", ".join(str(v) for v in (field.constraints.get("enum", []) if field else []))
        return _problem(file, error, "not-allowed-value", f"{name} 的值 {quoted(error.cell)} 不在允许的取值中",
                        f"{name} value {quoted(error.cell)} is not one of the allowed values",
                        f"只能填写：{allowed}（区分大小写）", f"Use one of: {allowed} (case matters)")
    if constraint == "pattern" and EXCEL_NUMBER.fullmatch(str(error.cell or "")):
        return _problem(file, error, "bad-format", f"{name} 的值 {quoted(error.cell)} 被 Excel 改成了科学计数法",
                        f"{name} value {quoted(error.cell)} was turned into a number by Excel",
                        EXCEL_HINT_ZH, EXCEL_HINT_EN)
    if constraint == "pattern":
        return _problem(file, error, "bad-format", f"{name} 的值 {quoted(error.cell)} 格式不对",
                        f"{name} value {quoted(error.cell)} has the wrong format",
                        f"应为：{about_zh}", f"Expected: {about_en}")
    if constraint == "maxLength":
        length = len(error.cell or "")
        return _problem(file, error, "too-long", f"{name} 有 {length} 个字符，超过上限 {limit} 个字符",
                        f"{name} is {length} characters long, over its limit of {limit}",
                        f"缩短到 {limit} 个字符以内（按字符计，不按字节：一个汉字、字母、数字或标点都算一个字符）。{about_zh}",
                        f"Shorten it to {limit} characters or fewer (counted in characters, not bytes: a Chinese "
                        f"character, a letter, a digit or a punctuation mark each count as one). {about_en}",
                        value=short(error.cell))
    if constraint in ("minimum", "maximum"):
        word_zh, word_en = ("小于最小值", "below the minimum") if constraint == "minimum" else ("大于最大值", "above the maximum")
        return _problem(file, error, "out-of-range", f"{name} 的值 {error.cell} {word_zh} {limit}",
                        f"{name} value {error.cell} is {word_en} {limit}", f"应为：{about_zh}", f"Expected: {about_en}")
    return _problem(file, error, "constraint-error", f"{name} 的值 {quoted(error.cell)} 不符合约束 {constraint}",
                    f"{name} value {quoted(error.cell)} breaks the {constraint} constraint ({limit})",
                    about_zh, about_en)


def _duplicate(file, error, resource, what_zh, what_en, fields):
    match = ROW_POSITION.search(error.note or "")
    first = match.group(1) if match else "?"
    return _problem(file, error, error.type, f"{what_zh.strip()}与第 {first} 行重复", f"{what_en.strip()} repeats line {first}",
                    "删除重复的一行，或改正其中一行的值", "Delete the duplicate row or correct one of them",
                    field=fields)


def foreign_key_problem(file: str, row: int, field_names: list[str], values: list[str], target: str,
                        reference_field_names: list[str], context=None) -> Problem:
    """A row whose key points at nothing in `target` (a resource name), with the fix; a district written as its
    name gets its code as the hint, a code Excel spoiled gets the Excel hint."""
    fields = ", ".join(field_names)
    value = ", ".join(values)
    hint_zh = f"先在 data/{target}.csv 中添加这一条，或改正为已有的 {', '.join(reference_field_names)}"
    hint_en = f"Add it to data/{target}.csv first, or use an existing {', '.join(reference_field_names)}"
    code = context.district_codes_by_name.get(value.strip()) if context and target == "districts" else None
    if code:
        hint_zh = f"这里填代码而不是名称：{value.strip()} 的代码是 {code}"
        hint_en = f"Write the code, not the name: {value.strip()} is {code}"
    elif EXCEL_NUMBER.fullmatch(value):
        hint_zh, hint_en = EXCEL_HINT_ZH, EXCEL_HINT_EN
    return Problem(
        file, row, fields, value, "foreign-key", ERROR,
        f"{fields} 的值 {quoted(value)} 在 data/{target}.csv 中不存在",
        f"{fields} value {quoted(value)} is not in data/{target}.csv",
        hint_zh, hint_en,
    )


def _row_shape(file, error, resource, context):
    if error.type == "extra-cell":
        return _problem(file, error, "extra-cell", "这一行的单元格比表头多", "this row has more cells than the header",
                        "含英文逗号的文本要用英文双引号括起来，或删去多余的逗号",
                        "Quote text that contains a comma with double quotes, or remove the extra comma",
                        field="", value=error.cell)
    if error.type == "missing-cell":
        return _problem(file, error, "missing-cell", f"这一行缺少 {error.field_name} 等单元格",
                        f"this row is missing cells from {error.field_name} on",
                        "补齐缺少的逗号，使每行的列数与表头相同（空值也要保留逗号）",
                        "Add the missing commas so every row has as many cells as the header (keep commas for empty values)",
                        value="")
    return _problem(file, error, "blank-row", "空行", "blank row", "删除这一空行", "Delete the blank row", field="", value="")


def _label(file, error, resource, context):
    expected = ", ".join(resource.schema.field_names) if resource.schema else ""
    label = getattr(error, "label", "")
    return _problem(
        file, error, error.type,
        f"表头第 {getattr(error, 'field_number', '?')} 列 {quoted(label)} 与数据说明不符（{error.type}）",
        f"header column {getattr(error, 'field_number', '?')} {quoted(label)} does not match the schema ({error.type})",
        f"表头应依次为：{expected}", f"The header must be, in order: {expected}",
        field=getattr(error, "field_name", label), value=label, row=1,
    )


def _rule(file, error, rule_class):
    details = details_of(error)
    field = getattr(error, "field_name", None) or rule_class.field

    whole = getattr(rule_class, "shown_in_full", ())
    shown = {key: short(value) if isinstance(value, str) and key not in whole else value
             for key, value in details.items()}

    def fill(template: str) -> str:
        try:
            return template.format(**shown)
        except (KeyError, IndexError, ValueError):
            return template

    return _problem(
        file, error, rule_class.type, fill(rule_class.message_zh), fill(rule_class.message_en),
        fill(rule_class.hint_zh), fill(rule_class.hint_en), field=field,
        value=details.get("value", getattr(error, "cell", None)), severity=rule_class.severity,
    )


def _generic(file, error, resource, context):
    message = getattr(error, "message", "") or error.note
    what_zh = GENERIC_ZH.get(error.type, "无法读取或校验")
    return _problem(file, error, error.type, f"{what_zh}（{error.type}）", f"cannot read or check: {message}",
                    "按英文信息中说明的原因修正后，重新运行 python build.py validate",
                    "Fix what the English message says, then run python build.py validate again")


def descriptor_problem(error) -> Problem:
    """An error of datapackage.json itself, as Frictionless finds it when reading the descriptor."""
    message = getattr(error, "message", "") or getattr(error, "note", "")
    what_zh = GENERIC_ZH.get(error.type, "数据包说明文件有误")
    return Problem(
        "datapackage.json", None, None, None, error.type, ERROR,
        f"数据包说明文件 datapackage.json 有误：{what_zh}（{error.type}）", f"the descriptor is invalid: {message}",
        "按 Frictionless Data Package 规范改正 datapackage.json（英文信息指出了出错的位置）",
        "Correct datapackage.json (Frictionless Data Package spec); the message names the place",
    )


HANDLERS = {
    "type-error": _type_error,
    "constraint-error": _constraint_error,
    "extra-cell": _row_shape,
    "missing-cell": _row_shape,
    "blank-row": _row_shape,
    "incorrect-label": _label,
    "missing-label": _label,
    "extra-label": _label,
    "duplicate-label": _label,
    "blank-label": _label,
}
RULES = error_classes()


def problem_from_error(file: str, error, resource, context=None) -> Problem:
    """One frictionless error of `resource` (read from `file`) as a Problem; `context` (the rule checks'
    look-ups) lets a message suggest the code of a district written as its name."""
    if error.type in RULES:
        return _rule(file, error, RULES[error.type])
    if error.type == "unique-error":
        return _duplicate(file, error, resource, f"{error.field_name} 的值 {quoted(error.cell)} ",
                          f"{error.field_name} value {quoted(error.cell)} ", error.field_name)
    if error.type == "primary-key":
        keys = ", ".join(resource.schema.primary_key)
        if "None" in (error.note or ""):
            return _problem(file, error, "primary-key", f"主键 {keys} 为空", f"the primary key {keys} is empty",
                            f"填写 {keys}", f"Fill in {keys}", field=keys, value="")
        return _duplicate(file, error, resource, f"主键 {keys} ", f"primary key {keys} ", keys)
    handler = HANDLERS.get(error.type, _generic)
    return handler(file, error, resource, context)
