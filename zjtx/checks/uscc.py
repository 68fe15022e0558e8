"""An enterprise's unified social credit code must be a valid GB 32100 code (its check held to python-stdnum's)."""

from __future__ import annotations

import re

from .base import RuleCellError, RuleCheck

# The schema's pattern reports a code of the wrong shape; this check judges only the check character.
WELL_FORMED = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")
# GB 32100's characters, each worth its place, and the weights of the first 17 (as in python-stdnum).
CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {character: value for value, character in enumerate(CHARACTERS)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(code: str) -> str:
    """The 18th character of a well-formed code, as stdnum.cn.uscc.calc_check_digit computes it.

    stdnum first cleans its argument of separators and case, two thirds of its 36 µs a code, a third of
    validating the enterprises; a code of the schema's shape has nothing to clean. A test holds this to stdnum.
    """
    return CHARACTERS[-sum(VALUES[character] * weight for character, weight in zip(code, WEIGHTS)) % 31]


class InvalidUsccError(RuleCellError):
    type = "invalid-uscc"
    title = "Invalid unified social credit code"
    message_zh = "统一社会信用代码 {value} 无效：第 18 位校验码应为 {expected}"
    message_en = "unified social credit code {value} is invalid: the check character (the 18th) should be {expected}"
    hint_zh = "对照营业执照逐位核对前 17 位；抄错任何一位都会使校验码不符"
    hint_en = "Check the first 17 characters against the business licence; any mistyped one breaks the check character"


class UsccCheck(RuleCheck):
    type = "uscc"
    resource_name = "enterprises"
    Errors = [InvalidUsccError]

    def validate_row(self, row):
        code = row["uscc"]
        if code and WELL_FORMED.fullmatch(code):
            expected = check_character(code)
            if code[-1] != expected:
                yield InvalidUsccError.at(row, "uscc", expected=expected)
