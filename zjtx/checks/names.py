"""Two enterprises never share a name once brackets, character width and spaces are normalised, invisible
characters removed and letters that look alike folded together.

Official lists write one name with full-width or half-width brackets and stray spaces; the same enterprise under
two USCCs is found by comparing names in the search's normal form (zjtx/search.py), the form people search in.
A name can also be made to look like another with characters nobody sees (a soft hyphen) or letters of another
script (a Cyrillic а for the Latin a, the katakana ロ for 口): names are compared by the skeleton of Unicode's
confusables (UTS #39), after the invisible characters that zjtx/checks/safe_text.py refuses are removed.
"""

from __future__ import annotations

import difflib
import unicodedata
from functools import cache

from ..search import normalise
from .base import RuleCellError, RuleCheck
from .safe_text import without_invisible

# Names longer than this are not compared character by character (a name has at most 100 characters; a longer
# one is an error of its own, and the comparison takes time in the square of the length).
DIFFERENCES_UP_TO = 300
SHOWN_DIFFERENCES = 3
SHOWN_CHARACTERS = 4  # of one difference


@cache
def _confusables() -> dict[str, list[str]]:
    """Unicode's confusables.txt as confusable-homoglyphs ships it: each source character lists its prototype and
    each prototype its sources; characters of right-to-left scripts are wrapped in U+200E marks there.

    confusable-homoglyphs is a small, maintained package (MIT) that ships the data generated from Unicode's files,
    so nothing is downloaded at run time; its own checks judge one string's scripts, so the skeleton of UTS #39 is
    made here from its table. Imported on first use: reading the table takes a few hundredths of a second."""
    from confusable_homoglyphs.confusables import confusables_data

    def plain(text: str) -> str:
        return text.replace("\u200e", "").replace("\u200f", "")

    return {plain(character): [plain(other["c"]) for other in others] for character, others in confusables_data.items()}


def prototype(character: str) -> str:
    """The character's prototype in Unicode's confusables: what it is mistaken for (itself if nothing)."""
    table = _confusables()
    others = table.get(character)
    if not others or len(others) > 1:
        return character  # not confusable, or the prototype of several
    other = others[0]
    if len(other) > 1 or len(table.get(other, ())) > 1:
        return other  # a sequence (m → rn), or the prototype of several
    return min(character, other)  # a pair: either may be the prototype, and both fold to the same one


class _Prototypes(dict):
    """Code point → prototype, filled on demand, for str.translate."""

    def __missing__(self, code_point: int) -> str:
        self[code_point] = found = prototype(chr(code_point))
        return found


PROTOTYPES = _Prototypes()


def name_key(name: str) -> str:
    """What two names that look the same share: invisible characters removed, compatibility forms (full width)
    composed, each character replaced by its prototype (of the decomposed form, as UTS #39's skeleton), then the
    search's normal form (case, brackets, spaces)."""
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", without_invisible(name)))
    return normalise(text.translate(PROTOTYPES))


def _characters(text: str) -> str:
    shown = " ".join(f"{character!r} (U+{ord(character):04X} {unicodedata.name(character, 'unnamed')})"
                     for character in text[:SHOWN_CHARACTERS])
    return shown + (" …" if len(text) > SHOWN_CHARACTERS else "")


def differences(name: str, first: str, first_row: int) -> tuple[str, str]:
    """Where `name` differs from the `first` name (of line `first_row`), character by character, in Chinese and in
    English."""
    if name == first:
        return "两者完全相同", "the names are identical"
    if max(len(name), len(first)) > DIFFERENCES_UP_TO:
        return "名称太长，未逐字比较", "too long to compare character by character"
    zh, en = [], []
    matcher = difflib.SequenceMatcher(None, name, first, autojunk=False)
    for tag, start, end, first_start, first_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        here, there = _characters(name[start:end]), _characters(first[first_start:first_end])
        if not there:
            zh.append(f"本行多出 {here}")
            en.append(f"{here} only here")
        elif not here:
            zh.append(f"本行少了第 {first_row} 行的 {there}")
            en.append(f"{there} only on line {first_row}")
        else:
            zh.append(f"本行的 {here} 对应第 {first_row} 行的 {there}")
            en.append(f"{here} here, {there} on line {first_row}")
    more = len(zh) - SHOWN_DIFFERENCES
    if more > 0:
        zh, en = zh[:SHOWN_DIFFERENCES] + [f"另有 {more} 处"], en[:SHOWN_DIFFERENCES] + [f"{more} more"]
    return "；".join(zh), "; ".join(en)


class DuplicateNameError(RuleCellError):
    type = "duplicate-name"
    title = "Two enterprises with the same name"
    message_zh = ("企业名称 {value} 与第 {first_row} 行（{first_uscc} {first_name}）看起来相同（忽略括号全半角、字符宽度、"
                  "空格和不可见字符，形近字母视为相同）：{differences_zh}")
    message_en = ("the name {value} looks the same as that of line {first_row} ({first_uscc} {first_name}) once "
                  "brackets, width, spaces and invisible characters are ignored and look-alike letters folded: "
                  "{differences}")
    hint_zh = ("同一企业只保留一行（核对营业执照上的统一社会信用代码），把另一行的认定记录改到该代码下；若确为两家企业，"
               "按营业执照核对名称：删去看不见的字符，把形似的外文字母改为营业执照上的字")
    hint_en = ("Keep one row per enterprise (check the USCC on the business licence) and move the other row's "
               "certifications to it; if they are two enterprises, check the names against the licences: remove "
               "invisible characters and replace look-alike letters of other scripts by the licence's own")
    shown_in_full = ("differences", "differences_zh")


class DuplicateNameCheck(RuleCheck):
    type = "duplicate-name"
    resource_name = "enterprises"
    Errors = [DuplicateNameError]

    def validate_start(self):
        self._first: dict[str, tuple[int, str, str]] = {}
        yield from []

    def validate_row(self, row):
        name = row["name"]
        if not name:
            return
        first = self._first.setdefault(name_key(name), (row.row_number, row["uscc"] or "", name))
        if first[0] != row.row_number:
            zh, en = differences(name, first[2], first[0])
            yield DuplicateNameError.at(row, "name", first_row=first[0], first_uscc=first[1], first_name=first[2],
                                        differences=en, differences_zh=zh)
