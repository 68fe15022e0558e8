"""Text is published to spreadsheets and web pages, so it must not start a formula nor carry personal data."""

from __future__ import annotations

import re

from stdnum.cn import ric

from .base import RuleCellError, RuleCheck

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
# Both kinds of number have at least 11 digits in a row: a cheap test that spares most cells the two searches.
LONG_NUMBER = re.compile(r"[0-9]{11}")
# A USCC is public registration data; its 18 characters can look like an ID number.
NOT_PERSONAL_FIELDS = {"uscc"}


class FormulaPrefixError(RuleCellError):
    type = "formula-prefix"
    title = "Text starts like a spreadsheet formula"
    message_zh = "文本以 {prefix} 开头，电子表格会把它当作公式执行"
    message_en = "the text starts with {prefix}, which spreadsheet programs run as a formula"
    hint_zh = "删去开头的 = + - @、制表符或回车，或改写为不以这些字符开头的文字"
    hint_en = "Remove the leading = + - @, tab or carriage return, or reword the text"


class PersonalDataError(RuleCellError):
    type = "personal-data"
    title = "Personal data"
    message_zh = "文本中含有{what_zh}（{match}），个人信息不得公开"
    message_en = "the text contains {what} ({match}); personal data is never published"
    hint_zh = "删去该号码；需要联系方式时填写单位总机或网站"
    hint_en = "Remove the number; give the organisation's switchboard or website instead"


def _masked(number: str) -> str:
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


class SafeTextCheck(RuleCheck):
    type = "safe-text"
    resource_name = ""  # every resource
    Errors = [FormulaPrefixError, PersonalDataError]

    def validate_start(self):
        self._text_fields = [f.name for f in self.resource.schema.fields if f.type == "string"]
        yield from []

    def validate_row(self, row):
        for name in self._text_fields:
            text = row[name]
            if not text:
                continue
            if text.startswith(FORMULA_PREFIXES):
                yield FormulaPrefixError.at(row, name, prefix=repr(text[0]))
            if name in NOT_PERSONAL_FIELDS or not LONG_NUMBER.search(text):
                continue
            for match in RESIDENT_ID.findall(text):
                if ric.is_valid(match):
                    yield PersonalDataError.at(row, name, what="a resident ID number", what_zh="居民身份证号码",
                                               match=_masked(match), value=text.replace(match, _masked(match)))
            for match in MOBILE.findall(text):
                yield PersonalDataError.at(row, name, what="a mobile phone number", what_zh="手机号码",
                                           match=_masked(match), value=text.replace(match, _masked(match)))
