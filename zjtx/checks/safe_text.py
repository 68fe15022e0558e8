"""Text is published to spreadsheets and web pages, so it must not start a formula, carry invisible or
direction-changing characters or stray whitespace, nor hold personal data in any spelling."""

from __future__ import annotations

import re
import unicodedata

from stdnum.cn import ric

from .base import RuleCellError, RuleCheck

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters no cell may hold, besides the C0 and C1 controls (NUL, tab, line breaks...): none shows on a page, and
# each makes two texts that look the same differ (or, like U+202E, reverses a page title). They are every format
# character (Unicode category Cf: soft hyphen, zero-width and bidirectional controls, invisible operators, tag
# characters, the byte-order mark...), the other default-ignorable code points of Unicode's DerivedCoreProperties
# (the combining grapheme joiner, Hangul fillers, variation selectors, unassigned ones kept for later), the line and
# paragraph separators and the blank braille pattern. Written out, since Python's unicodedata has no such property
# and deriving the set at import would cost more than validating; tests/test_validate_text.py checks it holds
# every Cf character of the running Python.
INVISIBLE = ("\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5\u180b-\u180f"
             "\u200b-\u200f\u2028-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
             "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
             "\U000e0000-\U000e0fff")
INVISIBLE_CHARACTER = re.compile(f"[{INVISIBLE}]")
CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{INVISIBLE}]")
# A variation selector right after a symbol picks its emoji or text look (❤️): the one place it is not invisible.
VARIATION_SELECTOR = re.compile("[\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]")
DOUBLED_SPACE = re.compile(r"\s\s")

# Personal numbers, after full-width digits are made ASCII and separators between digits removed.
RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86)?1[3-9][0-9]{9}(?![0-9])")
SEPARATOR_BETWEEN_DIGITS = re.compile(r"(?<=[0-9])[\s\-\u2010-\u2015()]+(?=[0-9])")
FULL_WIDTH = str.maketrans("０１２３４５６７８９＋－　（）Ｘｘ", "0123456789+- ()Xx")
# A spelled number has at least 11 digits with at most separators between them.
LONG_NUMBER = re.compile(r"[0-9０-９](?:[\s\-－　]*[0-9０-９]){10}")
# One search finds every cell worth a closer look: a formula start, whitespace at an end or doubled, a control
# character (UNCLEAN), or a long number. Most cells have none, and are spared every other test.
UNCLEAN = re.compile(f"^[=+\\-@\\s]|\\s$|\\s\\s|[\x00-\x1f\x7f-\x9f{INVISIBLE}]")
SUSPECT = re.compile(f"{UNCLEAN.pattern}|{LONG_NUMBER.pattern}")
# A USCC is public registration data; its 18 characters can look like an ID number.
NOT_PERSONAL_FIELDS = {"uscc"}


class FormulaPrefixError(RuleCellError):
    type = "formula-prefix"
    title = "Text starts like a spreadsheet formula"
    message_zh = "文本以 {prefix} 开头，电子表格会把它当作公式执行"
    message_en = "the text starts with {prefix}, which spreadsheet programs run as a formula"
    hint_zh = "删去开头的 = + - @、制表符或回车，或改写为不以这些字符开头的文字"
    hint_en = "Remove the leading = + - @, tab or carriage return, or reword the text"


class EdgeWhitespaceError(RuleCellError):
    type = "edge-whitespace"
    title = "Whitespace at the start or end"
    message_zh = "文本{where_zh}有空白字符（{what}）"
    message_en = "the text has whitespace ({what}) at its {where}"
    hint_zh = "删去首尾的空格、全角空格（U+3000）或制表符：{suggestion}"
    hint_en = "Remove the leading and trailing spaces, ideographic spaces (U+3000) or tabs: {suggestion}"


class DoubledWhitespaceError(RuleCellError):
    type = "doubled-whitespace"
    title = "Doubled whitespace"
    message_zh = "文本中有连续的空白字符（第 {position} 个字符起）"
    message_en = "the text has doubled whitespace (from character {position})"
    hint_zh = "把连续的空格改为一个：{suggestion}"
    hint_en = "Use a single space: {suggestion}"


class ControlCharacterError(RuleCellError):
    type = "control-character"
    title = "Invisible, format or control character"
    message_zh = "文本中有看不见的字符 {codepoint}（{name}，第 {position} 个字符）"
    message_en = "the text holds the invisible character {codepoint} ({name}, character {position})"
    hint_zh = ("删去该字符：{suggestion}（这类字符常由复制粘贴带入，看不见却使看来相同的文字不同；"
               "U+202E 等方向控制符会使网页上的文字倒序显示）")
    hint_en = ("Delete it: {suggestion} (copy and paste brings these in; unseen, they make texts that look the same "
               "differ, and direction controls such as U+202E reverse text on the page)")


class PersonalDataError(RuleCellError):
    type = "personal-data"
    title = "Personal data"
    message_zh = "文本中含有{what_zh}（{match}），个人信息不得公开"
    message_en = "the text contains {what} ({match}); personal data is never published"
    hint_zh = "删去该号码；需要联系方式时填写单位总机或网站"
    hint_en = "Remove the number; give the organisation's switchboard or website instead"


def _masked(number: str) -> str:
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def personal_numbers(text: str):
    """(kind, masked number) for each resident ID or mobile number in the text, however it is spelled."""
    ascii_text = text.translate(FULL_WIDTH)
    # Both spellings: joining the digits finds 138-1234-5678, but can glue a number to its neighbour.
    spellings = (ascii_text, SEPARATOR_BETWEEN_DIGITS.sub("", ascii_text))
    found = {}
    for plain in spellings:
        for match in RESIDENT_ID.findall(plain):
            if ric.is_valid(match.upper()):
                found.setdefault(match[-18:].upper(), "id")
        for match in MOBILE.findall(plain):
            found.setdefault(match[-11:], "mobile")
    for number, kind in found.items():
        yield kind, _masked(number)


def _codepoint(character: str) -> tuple[str, str]:
    kind = "control character" if unicodedata.category(character) == "Cc" else "unassigned invisible character"
    return f"U+{ord(character):04X}", unicodedata.name(character, kind)


def invisible_characters(text: str):
    """The matches of the characters no cell may hold (CONTROL), but for a variation selector after a symbol."""
    for match in CONTROL.finditer(text):
        start = match.start()
        if not (start and VARIATION_SELECTOR.match(text, start) and unicodedata.category(text[start - 1]) == "So"):
            yield match


def without_invisible(text: str) -> str:
    kept, end = [], 0
    for match in invisible_characters(text):
        kept.append(text[end:match.start()])
        end = match.end()
    return "".join(kept) + text[end:]


def clean_text_errors(row, name: str, text: str):
    """Formula starts, whitespace at the ends or doubled, control characters: each an error with its fix."""
    if text.startswith(FORMULA_PREFIXES):
        yield FormulaPrefixError.at(row, name, prefix=repr(text[0]))
    stripped = text.strip()
    if stripped != text:
        ends = [(text[0], "start", "开头"), (text[-1], "end", "末尾")]
        where = [(c, en, zh) for c, en, zh in ends if c.isspace()]
        what = ", ".join(sorted({_codepoint(c)[0] for c, _, _ in where}))
        yield EdgeWhitespaceError.at(row, name, what=what, where=" and ".join(en for _, en, _ in where),
                                     where_zh="和".join(zh for _, _, zh in where), suggestion=repr(stripped))
    doubled = DOUBLED_SPACE.search(stripped)
    if doubled and not CONTROL.search(doubled.group()):
        single = re.sub(r"\s{2,}", " ", stripped)
        yield DoubledWhitespaceError.at(row, name, position=text.index(doubled.group()) + 1, suggestion=repr(single))
    # A tab or line break at an end is whitespace there, reported above: look inside the text only.
    control = next(invisible_characters(stripped), None)
    if control:
        codepoint, character_name = _codepoint(control.group())
        position = len(text) - len(text.lstrip()) + control.start() + 1
        yield ControlCharacterError.at(row, name, codepoint=codepoint, name=character_name, position=position,
                                       value=repr(text), suggestion=repr(without_invisible(stripped)))


class SafeTextCheck(RuleCheck):
    type = "safe-text"
    resource_name = ""  # every resource
    Errors = [FormulaPrefixError, EdgeWhitespaceError, DoubledWhitespaceError, ControlCharacterError,
              PersonalDataError]

    def validate_start(self):
        # A USCC always looks like a long number: its field is searched for unclean text only.
        self._text_fields = [(f.name, UNCLEAN if f.name in NOT_PERSONAL_FIELDS else SUSPECT)
                             for f in self.resource.schema.fields if f.type == "string"]
        yield from []

    def validate_row(self, row):
        for name, suspect in self._text_fields:
            text = row[name]
            if not text or not suspect.search(text):
                continue
            if suspect is UNCLEAN or UNCLEAN.search(text):
                yield from clean_text_errors(row, name, text)
            if suspect is UNCLEAN or not LONG_NUMBER.search(text):
                continue
            for kind, masked in personal_numbers(text):
                what, what_zh = ("a resident ID number", "居民身份证号码") if kind == "id" else ("a mobile phone number", "手机号码")
                yield PersonalDataError.at(row, name, what=what, what_zh=what_zh, match=masked, value=masked)
