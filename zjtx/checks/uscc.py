"""An enterprise's unified social credit code must be a valid GB 32100 code (python-stdnum computes the check)."""

from __future__ import annotations

import re

from stdnum.cn import uscc

from .base import RuleCellError, RuleCheck

# The schema's pattern reports a code of the wrong shape; this check judges only the check character.
WELL_FORMED = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")


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
            expected = uscc.calc_check_digit(code)
            if code[-1] != expected:
                yield InvalidUsccError.at(row, "uscc", expected=expected)
