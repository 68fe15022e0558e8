"""An enterprise's unified social credit code must be a valid GB 32100 code (python-stdnum checks it)."""

from __future__ import annotations

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, ValidationError

from .base import RuleCellError, RuleCheck


class InvalidUsccError(RuleCellError):
    type = "invalid-uscc"
    title = "Invalid unified social credit code"
    message_zh = "统一社会信用代码 {value} 无效：{reason_zh}"
    message_en = "unified social credit code {value} is invalid: {reason}"
    hint_zh = "对照营业执照核对这 18 位代码（字母大写，不含 I、O、Z、S、V）"
    hint_en = "Check the 18 characters against the business licence (upper case; no I, O, Z, S or V)"


class UsccCheck(RuleCheck):
    type = "uscc"
    resource_name = "enterprises"
    Errors = [InvalidUsccError]

    def validate_row(self, row):
        code = row["uscc"]
        if not code:
            return
        try:
            uscc.validate(code)
        except InvalidChecksum:
            yield InvalidUsccError.at(row, "uscc", reason="the check character (the 18th) does not match",
                                      reason_zh="第 18 位校验码与前 17 位不符")
        except ValidationError:
            yield InvalidUsccError.at(row, "uscc", reason="it is not 18 characters of the allowed alphabet",
                                      reason_zh="不是 18 位合法字符")
        else:
            if code != uscc.compact(code):
                yield InvalidUsccError.at(row, "uscc", reason="letters must be upper case, without spaces",
                                          reason_zh="字母须大写，且不含空格")
