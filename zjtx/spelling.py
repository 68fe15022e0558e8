"""Other spellings of a name than the one written: its pinyin, its initials, and traditional characters.

People type an enterprise's name as pinyin (yifeng), as the initials of its syllables (yf), or in traditional
characters (電機 for 电机). Both conversions come from well-kept libraries and run when the search index is built:
pypinyin gives the syllables of every name, OpenCC the traditional characters that map to the simplified ones the
index holds. search.js reads the results as data and converts nothing itself.

The libraries are imported on first use: commands that only compare names (validate, import-list) do not load
their dictionaries.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Letters only: a syllable without its tone, ü written as v (lü → lv), as people type it.
_SYLLABLE = re.compile("[a-z]+")


def syllables(text: str) -> list[str]:
    """The pinyin of the Han characters of `text`, one syllable each, in order; other characters are left out.

    A character with several readings takes the one pypinyin gives it in context: the reading of the phrase it
    belongs to in pypinyin's phrase dictionary (重庆 chongqing, 银行 yinhang), else its most common reading.
    Only that reading is indexed, so a name is found by the pinyin most people would say, not by every reading.
    """
    from pypinyin.seg.simpleseg import seg

    # pypinyin reads a text word by word, as its own segmentation cuts it; names share most of their words
    # (天津市, 科技, 有限公司), so each word is read once.
    return [syllable for word in seg(text) for syllable in _word_syllables(word)]


@functools.lru_cache(maxsize=1 << 16)
def _word_syllables(word: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(syllable for syllable in lazy_pinyin(word, errors="ignore") if _SYLLABLE.fullmatch(syllable))


# The Han blocks (the basic block, extension A, and the supplementary plane's extensions); compatibility
# ideographs are skipped, as normalising (NFKC) turns them into unified ones before any conversion.
HAN_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x323AF))
# OpenCC's conversions to simplified characters, the general one first; Taiwan's and Hong Kong's variant
# characters (峯, 綫) are read where the general one leaves a character as it is.
OPENCC_CONFIGS = ("t2s", "tw2s", "hk2s")


@functools.cache
def _traditional() -> dict[str, str]:
    """Every Han character that OpenCC turns into one other character, with that character."""
    import opencc

    characters = [character for first, last in HAN_BLOCKS for character in map(chr, range(first, last + 1))
                  if unicodedata.normalize("NFKC", character) == character]
    table: dict[str, str] = {}
    for config in OPENCC_CONFIGS:
        # One call for all characters: a newline between two keeps OpenCC from reading them as a phrase.
        converted = opencc.OpenCC(config).convert("\n".join(characters)).split("\n")
        for character, simplified in zip(characters, converted, strict=True):
            if simplified != character and len(simplified) == 1:
                table.setdefault(character, simplified)
    return table


def is_traditional(character: str) -> bool:
    """Whether OpenCC reads `character` as another, simplified one."""
    return character in _traditional()


def simplified_map(alphabet: set[str]) -> dict[str, str]:
    """Traditional characters that `alphabet` (the characters the index holds) lacks, each with the simplified
    character it stands for, when the index holds that one: 電 → 电 for an index of names with 电.

    Limited so, the map stays small, and reading a query through it changes only characters that could find
    nothing as they were typed.
    """
    return {
        character: simplified
        for character, simplified in sorted(_traditional().items())
        if character not in alphabet and simplified in alphabet
    }
