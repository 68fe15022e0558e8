"""Enterprise search: the normaliser, the reference matcher, and the static index read back exactly as search.js reads it."""

from __future__ import annotations

import dataclasses
import functools
import json
import random
import re
import time
import tracemalloc
import unicodedata
from datetime import date
from pathlib import Path

import jinja2
import pytest

from packages import ROOT, make_good_package, view_of, replaced, tree
from zjtx import demo, search, spelling, trie
from zjtx.load import Certification, Enterprise, Product
from zjtx.view import RegisterView
from zjtx.search import matches, normalise, write_search_index

SEARCH_JS = ROOT / "templates" / "assets" / "search" / "search.js"
TEMPLATES = ROOT / "templates"

# Names that make normalising, the trie and the page earn their keep.
TRICKY = [
    ("中才邦业（杭州）智能技术有限公司", ["水泥 生产线 控制系统"]),
    ("恒业智能驱动(杭州)有限公司", ["伺服电机"]),
    ("德帕姆 (杭州) 泵业科技有限公司", ["计量泵", "ＰＴ－１００ 压力变送器"]),
    ("天津【滨海】精工有限公司", []),
    ("ＡＢＣ Robotics（天津）有限公司", ["AGV 小车"]),
    ("Straße Technik 天津有限公司", []),
    ("天天天天天天科技有限公司", ["天天"]),
    ("天津市<script>window.__xss=1</script>科技有限公司", ["<img src=x onerror=window.__xss=1>"]),
    ("天津𠀋鑫材料有限公司", ["𠀋型材"]),
    ("天津 滨海 新区 和平 路 贸易 有限公司", []),
    ("天津市亿丰科技有限公司", []),                       # yifeng, yf, tjyf, tjsyf
    ("天津长城行车电机有限公司", ["电机控制器"]),          # 长 chang, 行 xing in context; 電機 for 电机
    ("重庆银行(天津)数据服务有限公司", []),                # 重 chong, 行 hang in context
    ("天津绿略女装有限公司", []),                         # ü as v: lvlvenvzhuang
]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
AS_OF = date(2026, 11, 24)


def with_tricky_names(view: RegisterView, seed: int = 7) -> RegisterView:
    """The register of `view` with the tricky enterprises added, in random districts and tiers, on the same day."""
    base = view.register
    rnd = random.Random(seed)
    districts = sorted(code for code, district in base.districts.items() if district.kind == "district")
    enterprises, certifications, products = dict(base.enterprises), list(base.certifications), list(base.products)
    for name, product_names in TRICKY:
        district = rnd.choice(districts)
        uscc = "91" + district + "".join(rnd.choice(USCC_ALPHABET) for _ in range(10))
        enterprises[uscc] = Enterprise(uscc, name, district, "34", "", "", "")
        for tier in rnd.sample(sorted(base.tiers), rnd.choice([0, 1, 2])):
            certifications.append(Certification(uscc, tier, "x", district, date(2024, 1, 1), None, "active", None, "", ""))
        products += [Product(uscc, product, "", "") for product in product_names]
    return RegisterView(dataclasses.replace(base, enterprises=enterprises, certifications=certifications,
                                            products=products), view.day)


def demo_register(folder: Path, size: int, seed: int = 2021) -> RegisterView:
    """A demo register of `size` enterprises (zjtx.demo) with the tricky names added, on AS_OF."""
    demo.generate(folder, size, seed=seed, as_of=AS_OF)
    return with_tricky_names(view_of(folder, AS_OF))


@pytest.fixture(scope="session")
def good_register(tmp_path_factory) -> RegisterView:
    return view_of(make_good_package(tmp_path_factory.mktemp("good")), AS_OF)


@pytest.fixture(scope="session")
def register(tmp_path_factory) -> RegisterView:
    return demo_register(tmp_path_factory.mktemp("demo"), 300)


# Reading the index back, the way search.js does ------------------------------------------------------------------


class IndexReader:
    """A second reader of the index files (search.js is the first), so the format is tested without a browser."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        self.fetched: list[str] = []

    def file(self, name: str) -> bytes:
        self.fetched.append(name)
        return (self.folder / name).read_bytes()

    @staticmethod
    def varint(data: bytes, at: int) -> tuple[int, int]:
        value, shift = 0, 0
        while True:
            byte = data[at]
            at += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value, at

    def posting(self, data: bytes, at: int) -> tuple[set[int], int]:
        head, at = self.varint(data, at)
        ids = set()
        if head % 2:
            first, at = self.varint(data, at)
            length, at = self.varint(data, at)
            for index in range(length):
                ids.update((first + index) * 8 + bit for bit in range(8) if data[at + index] >> bit & 1)
            return ids, at + length
        identifier = -1
        for _ in range(head // 2):
            gap, at = self.varint(data, at)
            identifier += gap + 1
            ids.add(identifier)
        return ids, at

    def record(self, pack: bytes, char: str) -> bytes | None:
        count, at = self.varint(pack, 0)
        for _ in range(count):
            code, at = self.varint(pack, at)
            length, at = self.varint(pack, at)
            if code == ord(char):
                return pack[at:at + length]
            at += length
        return None

    def substring(self, query: str, trie: str = "") -> set[int]:
        roots = self.manifest["product_root_packs" if trie else "root_packs"]
        body = self.record(self.file(f"{trie}t/{search.fnv1a32(query[0]) % roots}.bin"), query[0])
        depth = 1
        while body is not None:
            if body[0] == 0:
                count, at = self.varint(body, 1)
                wanted = query[depth:].encode("utf-8")
                found, previous = set(), b""
                for _ in range(count):
                    shared, at = self.varint(body, at)
                    length, at = self.varint(body, at)
                    remainder = previous[:shared] + body[at:at + length]
                    ids, at = self.posting(body, at + length)
                    if remainder.startswith(wanted):
                        found |= ids
                    previous = remainder
                return found
            aggregate, at = self.varint(body, 1)
            if depth == len(query):
                return self.posting(self.file(f"{trie}a/{aggregate}.bin"), 0)[0]
            children, at = self.varint(body, at)
            code, pack = 0, None
            for _ in range(children):
                delta, at = self.varint(body, at)
                number, at = self.varint(body, at)
                code += delta
                if code == ord(query[depth]):
                    pack = number
            if pack is None:
                return set()
            body = self.record(self.file(f"{trie}p/{pack}.bin"), query[depth])
            depth += 1
        return set()

    def district_keys(self) -> list[set[str]]:
        """Words that find each district's enterprises: its names and words, and those of its parents."""
        districts = self.manifest["districts"]
        by_code = {district[0]: district for district in districts}
        found = []
        for district in districts:
            keys, seen = set(), set()
            while district and district[0] not in seen:
                seen.add(district[0])
                keys |= set(district[2]) | set(district[4])
                district = by_code.get(district[3])
            found.append(keys)
        return found

    def word(self, needle: str, products: bool = True) -> set[int]:
        """Ids one normalised word finds, through the same steps as Index.word in search.js."""
        ids = self.substring(needle) | (self.substring(needle, "q") if products else set())
        if re.fullmatch(r"[0-9a-z]{18}", needle):
            shard = json.loads(self.file(f"u/{search.fnv1a32(needle) % self.manifest['uscc_shards']}.json"))
            ids |= {shard[needle]} if needle in shard else set()
        groups, keys = self.manifest["groups"], self.district_keys()
        for position, (start, _, district) in enumerate(groups):
            end = groups[position + 1][0] if position + 1 < len(groups) else self.manifest["count"]
            if needle in keys[district]:
                ids |= set(range(start, end))
        return ids

    def simplified(self) -> dict[str, str]:
        pairs = json.loads(self.file("s.json"))
        return dict(zip(pairs[::2], pairs[1::2]))

    def words(self, query: str, products: bool = True) -> list[tuple[str, set[int]]]:
        """Each word with the ids it finds, through the same steps as Index.search in search.js: a word that finds
        nothing and holds a character outside ASCII is read again with its traditional characters converted."""
        found: dict[str, set[int]] = {}
        typed = []
        for part in search._WHITESPACE.split(query):
            word = next(iter(search.query_words(part)), "")
            if not word or word in typed:
                continue
            typed.append(word)
            ids = self.word(word, products)
            if not ids and not word.isascii():
                converted = search.query_words(part, self.simplified())[0]
                if converted != word:
                    word, ids = converted, self.word(converted, products)
            found[word] = ids
        return list(found.items())

    def search(self, query: str, products: bool = True) -> set[str]:
        """USCCs the query finds, through the same steps as Index.search in search.js."""
        words = self.words(query, products)
        if not words:
            return set()
        ids = set.intersection(*(ids for _, ids in words))
        return {self.record_of(identifier)[0] for identifier in ids}

    def record_of(self, identifier: int) -> list:
        chunk = self.manifest["chunk"]
        return json.loads(self.file(f"r/{identifier // chunk}.json"))[identifier % chunk]


def pinyin_of(text: str) -> tuple[str, str]:
    """The full pinyin and the initials of a text, as people type them."""
    letters = spelling.syllables(text)
    return "".join(letters), "".join(syllable[0] for syllable in letters)


@functools.cache
def _to_traditional():
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    return _to_traditional().convert(text)


def queries_for(register: RegisterView, count: int, seed: int = 3) -> list[str]:
    """Pieces of names and products in several spellings (traditional characters, pinyin, initials), USCCs in lower
    case, district names in Chinese and English, and misses."""
    rnd = random.Random(seed)
    names = sorted(e.name for e in register.enterprises.values())
    texts = names + sorted(p.product_name for p in register.products)
    found = []
    for _ in range(count):
        text = rnd.choice(texts)
        start = rnd.randrange(len(text))
        found.append(text[start:start + rnd.choice([1, 2, 3, 4, 6])])
    for _ in range(count // 4):
        name = rnd.choice(names)
        start = rnd.randrange(len(name))
        piece = name[start:start + rnd.choice([2, 3, 4])]
        full, initials = pinyin_of(piece)
        found += [traditional(piece), full, full[:-1], initials, full.upper()]
    found += [uscc.lower() for uscc in rnd.sample(sorted(register.enterprises), 5)]
    found += [district.name_zh for district in register.districts.values()]
    found += [district.name_en for district in register.districts.values()]
    found += ["（杭州）", "(杭州)", "【杭州】", "[ 杭州 ]", "ＰＴ－１００", "pt-100", "STRASSE", "abc robotics", "天天天",
              "天天天天天天天", "𠀋", "<script>", "不存在的企业名称", "滨海新区", "和平区", "X", " ",
              "精密 滨海", "有限公司 西青", "天津 科技", "天津市精密", "精密有限公司", "西青 和平",
              "yifeng", "yi feng", "YiFeng", "yf", "tjyf", "tjsyf", "tianjinyifeng", "changcheng", "xingche",
              "chongqingyinhang", "cqyh", "lvlve", "電機", "天津長城", "濱海新區", "精密 Binhai", "binhai new area",
              "TEDA", "Xiqing District", "hi-tech", "hitech", "乾坤", "龍", "a" * 40, "天" * 40]
    return found


# The normaliser --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("中才邦业（杭州）", "中才邦业(杭州)"),
    ("恒业智能驱动(杭州)", "恒业智能驱动(杭州)"),
    ("德帕姆 (杭州) 泵业", "德帕姆(杭州)泵业"),
    ("天津【滨海】［精工］〔2021〕", "天津(滨海)(精工)(2021)"),
    ("ＡＢＣ　Robotics", "abcrobotics"),
    ("９１１２０１１６ＭＡ０５", "91120116ma05"),
    ("Straße", "strasse"),
    ("天津\u200b滨海\ufeff\t\n", "天津滨海"),
    ("", ""),
])
def test_normalise(text, expected):
    assert normalise(text) == expected


def test_normalise_is_idempotent():
    for cp in range(0x20, 0x3000):
        text = chr(cp) + "（A b）"
        assert normalise(normalise(text)) == normalise(text), hex(cp)


def test_the_casefold_table_in_search_js_matches_python():
    """search.js lower-cases character by character, with a table where case folding differs (Cherokee by rule)."""
    source = SEARCH_JS.read_text(encoding="utf-8")
    table = json.loads(re.search(r"/\* casefold-table \*/(.*?)/\* end casefold-table \*/", source, re.S).group(1))
    expected = {}
    for cp in range(0x110000):
        char = chr(cp)
        if 0xD800 <= cp < 0xE000 or 0x13A0 <= cp <= 0x13FF or 0xAB70 <= cp <= 0xABBF:
            continue
        if unicodedata.normalize("NFKC", char) == char and char.casefold() != char.lower():
            expected[char] = char.casefold()
    assert table == expected


def test_the_word_rules_in_search_js_match_python():
    source = SEARCH_JS.read_text(encoding="utf-8")
    table = json.loads(re.search(r"/\* words \*/(.*?)/\* end words \*/", source, re.S).group(1))
    assert table == {"prefixes": list(search.PREFIXES), "suffixes": list(search.SUFFIXES), "max_word": search.MAX_WORD}


@pytest.mark.parametrize("query, words", [
    ("轴承 西青", ["轴承", "西青"]),
    ("天津飞东铂", ["飞东铂"]),
    ("天津市飞东铂股份有限公司", ["飞东铂"]),
    ("天津", ["天津"]),                 # nothing would be left: the word stays as typed
    ("有限公司", ["有限公司"]),
    ("　精密\u3000精密 ", ["精密"]),    # ideographic spaces split words; a repeated word counts once
    ("", []),
])
def test_query_words(query, words):
    assert search.query_words(query) == words


# The reference matcher -------------------------------------------------------------------------------------------


def test_matches_names_products_usccs_and_districts(good_register):
    jia, bing, yi = "911201163000000101", "911201013000000109", "91120111300000010Q"
    assert matches(good_register, "甲精密") == {jia}
    assert matches(good_register, "天津") == {jia, bing, yi}
    assert matches(good_register, "谐波") == {jia}
    assert matches(good_register, "ｐｔ－100") == {bing}
    assert matches(good_register, "rv精密") == {jia}
    assert matches(good_register, "91120111300000010q") == {yi}
    assert matches(good_register, "9112011130000001") == set()
    assert matches(good_register, "滨海新区") == {jia}
    assert matches(good_register, "滨海") == {jia}  # 滨海 for 滨海新区, as people say it
    assert matches(good_register, "滨") == set()
    assert matches(good_register, "  ") == set()


def test_every_word_must_match_and_common_affixes_do_not_stop_a_match(good_register):
    register = good_register
    enterprise = next(e for e in register.enterprises.values() if e.name.startswith("天津") and "公司" in e.name)
    core = enterprise.name.removeprefix("天津市").removeprefix("天津")[:4]
    district = register.districts[enterprise.district_code].name_zh
    assert enterprise.uscc in matches(register, "天津市" + core)
    assert enterprise.uscc in matches(register, "天津" + core + "有限公司")
    both = matches(register, f"{core} {district}")
    assert enterprise.uscc in both
    assert both == matches(register, core) & matches(register, district)
    assert both == matches(register, f"{core} {district.removesuffix('区')}")  # 西青 for 西青区
    assert matches(register, f"{core} 不存在的词") == set()


def test_name_matches_come_from_names_usccs_and_districts_only(good_register):
    register = good_register
    product = next(p for p in register.products if normalise(p.product_name) not in
                   {normalise(e.name) for e in register.enterprises.values()})
    word = product.product_name
    found, by_name = matches(register, word), search.name_matches(register, word)
    assert product.uscc in found
    assert by_name <= found
    for uscc in found - by_name:
        assert normalise(word) not in normalise(register.enterprises[uscc].name)


@pytest.mark.parametrize("query, tiers", [
    ("小巨人", ["little_giant"]),
    ("种子企业", ["seed"]),
    ("“种子”", ["seed"]),
    ("企业", []),        # every tier: not a tier's name
    ("精密", []),
])
def test_a_query_that_names_a_tier_offers_it(good_register, query, tiers):
    assert search.tiers_named(good_register, query) == tiers


def test_a_query_never_spans_two_texts(good_register):
    assert matches(good_register, "有限公司RV") == set()
    assert matches(good_register, "减速器谐波") == set()


def test_zone_names_find_the_zone_and_its_district_finds_it_too(good_register):
    zone = dataclasses.replace(good_register.enterprises["911201163000000101"], district_code="120116-teda")
    register = replaced(good_register, enterprises={**good_register.enterprises, zone.uscc: zone})
    assert matches(register, "天津经济技术开发区") == {zone.uscc}
    assert matches(register, "滨海新区") == {zone.uscc}


def with_names(register: RegisterView, *names: str) -> RegisterView:
    """`register` with one enterprise per name (in 和平区, the first in 滨海新区), USCCs in the order given."""
    enterprises = dict(register.enterprises)
    for number, name in enumerate(names):
        uscc = f"9112010{number:02d}MA0000000"[:17] + "X"
        enterprises[uscc] = Enterprise(uscc, name, "120116" if number == 0 else "120101", "34", "", "", "")
    return replaced(register, enterprises=enterprises)


def uscc_of(register: RegisterView, name: str) -> str:
    return next(e.uscc for e in register.enterprises.values() if e.name == name)


@pytest.mark.parametrize("query, name", [
    ("yifeng", "天津市亿丰科技有限公司"),
    ("YiFeng", "天津市亿丰科技有限公司"),
    ("yi feng", "天津市亿丰科技有限公司"),         # two words, each the pinyin of a syllable on
    ("yife", "天津市亿丰科技有限公司"),            # the pinyin being typed
    ("fengkeji", "天津市亿丰科技有限公司"),
    ("yf", "天津市亿丰科技有限公司"),              # initials
    ("tjyf", "天津市亿丰科技有限公司"),            # 天津市 said as 天津
    ("tjsyf", "天津市亿丰科技有限公司"),
    ("tianjinyifeng", "天津市亿丰科技有限公司"),
    ("changcheng", "天津长城行车电机有限公司"),    # 长 read chang in 长城, 行 xing in 行车
    ("xingche", "天津长城行车电机有限公司"),
    ("chongqingyinhang", "重庆银行(天津)数据服务有限公司"),  # 重 chong in 重庆, 行 hang in 银行
    ("cqyh", "重庆银行(天津)数据服务有限公司"),
    ("lvlve", "天津绿略女装有限公司"),             # ü typed as v
])
def test_pinyin_and_initials_find_names(good_register, query, name):
    register = with_names(good_register, *(name for name, _ in TRICKY[-4:]))
    assert uscc_of(register, name) in search.name_matches(register, query)


@pytest.mark.parametrize("query", [
    "ifeng",            # not from the start of a syllable
    "yifengkejiyouxian",  # the company form has no pinyin keys
    "changzheng",        # 长 is chang in 长城, and only that reading is indexed
    "zhongqing",
])
def test_pinyin_is_read_from_a_syllable_in_one_reading(good_register, query):
    register = with_names(good_register, *(name for name, _ in TRICKY[-4:]))
    assert matches(register, query) == set()


def test_traditional_characters_find_simplified_names(good_register):
    register = with_names(good_register, "天津长城行车电机有限公司", "天津乾坤电器有限公司")
    electric, qiankun = uscc_of(register, "天津长城行车电机有限公司"), uscc_of(register, "天津乾坤电器有限公司")
    assert matches(register, "電機") == {electric}
    assert matches(register, "天津長城行車") == {electric}
    assert matches(register, "長城 電機") == {electric}
    assert matches(register, "天津長城行車電機有限責任公司") == {electric}  # the traditional company form too
    assert matches(register, "濱海新區") == matches(register, "滨海新区") != set()
    # 乾 is a character the index holds (乾坤): it is read as typed, not as 干.
    assert matches(register, "乾坤") == {qiankun}
    assert matches(register, "電器") == {qiankun}
    # A traditional character whose simplified form no name holds finds nothing.
    assert matches(register, "龍") == set()


def test_the_traditional_map_holds_only_what_the_index_lacks(good_register):
    register = with_names(good_register, "天津乾坤电器有限公司")
    simplified = spelling.simplified_map(search.index_alphabet(register))
    assert simplified["電"] == "电" and simplified["機"] == "机"
    assert "乾" not in simplified and "电" not in simplified and "龍" not in simplified
    alphabet = search.index_alphabet(register)
    assert all(character not in alphabet and value in alphabet for character, value in simplified.items())


@pytest.mark.parametrize("query, code", [
    ("Binhai", "120116"),
    ("binhai new area", "120116"),
    ("Binhai New Area", "120116"),
    ("BinhaiNewArea", "120116"),
    ("TEDA", "120116-teda"),
    ("Heping", "120101"),
    ("Heping District", "120101"),
    ("Xiqing District", "120111"),
])
def test_english_district_names_find_the_district_enterprises(good_register, query, code):
    zone = dataclasses.replace(good_register.enterprises["911201163000000101"], district_code="120116-teda")
    register = replaced(good_register, enterprises={**good_register.enterprises, zone.uscc: zone})
    inside = {uscc for uscc, e in register.enterprises.items()
              if code in (e.district_code, register.districts[e.district_code].parent_code)}
    assert inside and matches(register, query) == inside


@pytest.mark.parametrize("query, pages", [
    ("滨海新区", [("district", "120116")]),
    ("滨海", [("district", "120116")]),
    ("Binhai New Area", [("district", "120116")]),
    ("binhai", [("district", "120116")]),
    ("濱海新區", [("district", "120116")]),
    ("精密 西青", [("district", "120111")]),
    ("TEDA", [("district", "120116-teda")]),
    ("小巨人", [("tier", "little_giant")]),
    ("汽车", [("industry", "36")]),
    ("通用设备", [("industry", "34")]),
    ("设备", []),                       # three industries: not specific enough
    ("new", []),                        # a word of a name, not a name
    ("精密", []),
])
def test_a_query_that_names_a_page_offers_it(good_register, query, pages):
    industries = [("34", "通用设备制造业"), ("35", "专用设备制造业"), ("36", "汽车制造业"), ("39", "计算机、通信和其他电子设备制造业")]
    assert search.pages_named(good_register, query, industries) == pages


# The index -------------------------------------------------------------------------------------------------------


@pytest.fixture(params=["default sizes", "tiny files"])
def sizes(request, monkeypatch):
    """Tiny limits split the trie many levels deep on a small register, so every path of the format is taken."""
    if request.param == "tiny files":
        for module, sizes in ((trie, {"LEAF_LIMIT": 40, "PACK_LIMIT": 90, "ROOT_PACK_TARGET": 200}),
                              (search, {"RECORDS_PER_CHUNK": 3, "USCCS_PER_SHARD": 5})):
            for name, value in sizes.items():
                monkeypatch.setattr(module, name, value)
    return request.param


@pytest.mark.slow
def test_the_index_finds_exactly_what_the_matcher_finds(register, tmp_path, sizes):
    figures = write_search_index(register, tmp_path)
    reader = IndexReader(tmp_path)
    for query in queries_for(register, 400):
        assert reader.search(query) == matches(register, query), query
        assert reader.search(query, products=False) == search.name_matches(register, query), query
    assert figures["files"] == len([p for p in tmp_path.rglob("*") if p.is_file()])
    assert figures["bytes"] == sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file())
    if sizes == "tiny files":
        assert figures["by_kind"]["a"]["files"] > 10 and figures["by_kind"]["p"]["files"] > 10


def test_groups_give_every_enterprise_its_tiers_and_district(register, tmp_path):
    write_search_index(register, tmp_path)
    reader = IndexReader(tmp_path)
    manifest = reader.manifest
    groups = manifest["groups"]
    for position, (start, mask, district) in enumerate(groups):
        end = groups[position + 1][0] if position + 1 < len(groups) else manifest["count"]
        for identifier in range(start, end):
            uscc, name, products = reader.record_of(identifier)
            assert name == register.enterprises[uscc].name
            assert products == [p.product_name for p in register.products_by_uscc.get(uscc, [])]
            assert manifest["districts"][district][0] == register.enterprises[uscc].district_code
            tiers = {tier for bit, (tier, _) in enumerate(manifest["tiers"]) if mask >> bit & 1}
            assert tiers == {tier.tier_id for tier in register.tiers_held(uscc)}
    assert manifest["count"] == len(register.enterprises)


def test_the_index_is_reproducible_and_replaces_an_old_one(register, tmp_path):
    write_search_index(demo_register(tmp_path / "other", 500, seed=1), tmp_path / "a")
    write_search_index(register, tmp_path / "a")
    write_search_index(register, tmp_path / "b")
    (tmp_path / "a" / "keep.txt").write_text("not ours")

    def listing(folder):
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    assert listing(tmp_path / "a") == {**listing(tmp_path / "b"), "keep.txt": b"not ours"}


@pytest.mark.slow
def test_a_first_query_downloads_less_than_150_kb_at_the_committed_scale(tmp_path):
    """The budget of the issue, for many fragments of names and products, as typed and in other spellings
    (traditional characters, pinyin, initials): the files search.js fetches, and itself."""
    register = demo_register(tmp_path / "package", 4500)
    write_search_index(register, tmp_path / "index")
    page_size = int(re.search(r"PAGE_SIZE = (\d+);", SEARCH_JS.read_text(encoding="utf-8")).group(1))
    assets = sum(path.stat().st_size for path in SEARCH_JS.parent.iterdir())
    rnd = random.Random(5)
    texts = sorted(e.name for e in register.enterprises.values()) + sorted(p.product_name for p in register.products)
    queries = []
    for _ in range(400):
        text = rnd.choice(texts)
        start = rnd.randrange(len(text))
        piece = text[start:start + rnd.choice([1, 2, 3, 4])]
        queries += [piece, rnd.choice([traditional(piece), *pinyin_of(piece)])]
    for query in queries + ["電機", "Binhai New Area", "不存在的企業名稱"]:
        reader = IndexReader(tmp_path / "index")
        words = reader.words(query)
        every = set.intersection(*(ids for _, ids in words)) if words else set()
        shown = sorted(every)[:page_size]
        fetched = set(reader.fetched) | {"manifest.json"} | {f"r/{i // reader.manifest['chunk']}.json" for i in shown}
        # A path in each of the two tries; a word in traditional characters also reads the map and a second path.
        assert len(set(reader.fetched)) <= 16, (query, reader.fetched)
        assert assets + sum((tmp_path / "index" / name).stat().st_size for name in fetched) < 150 * 1024, query


# The page --------------------------------------------------------------------------------------------------------


def render_search_page(view: RegisterView, root: str = "..") -> str:
    from zjtx.pages.column import Column

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["col"] = Column(view)
    return env.get_template("search.md.j2").render(register=view.register, view=view, root=root)


def test_the_search_page_is_labelled_and_escapes_data(good_register):
    district = dataclasses.replace(good_register.districts["120101"], name_zh="<b>和平区</b>")
    register = replaced(good_register, districts={**good_register.districts, "120101": district})
    html = render_search_page(register)
    for control in re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html):
        assert f'<label for="{control}">' in html
    assert html.count('aria-live="polite"') == 2
    assert "&lt;b&gt;和平区&lt;/b&gt;" in html and "<b>" not in html
    assert "\n\n" not in html.strip(), "a blank line would end the raw HTML block in Markdown"
    for tier in register.tiers:
        assert f'<option value="{tier}">' in html


def with_long_name(register: RegisterView, length: int, seed: int = 1) -> tuple[RegisterView, str]:
    """`register` with an enterprise whose name and product are `length` random Han characters; and the name."""
    rnd = random.Random(seed)
    name, product = ("".join(chr(rnd.randrange(0x4E00, 0x9FA6)) for _ in range(length)) for _ in range(2))
    enterprise = Enterprise("91120101MA0000000X", name, "120101", "34", "", "", "")
    return replaced(register, enterprises={**register.enterprises, enterprise.uscc: enterprise},
                               products=[*register.products, Product(enterprise.uscc, product, "", "")]), name


def index_cost(register: RegisterView, folder: Path) -> tuple[float, int]:
    """Seconds (the faster of two runs) and the peak of memory allocated (tracemalloc) to index `register`."""
    seconds = []
    for _ in range(2):
        start = time.perf_counter()
        write_search_index(register, folder)
        seconds.append(time.perf_counter() - start)
    tracemalloc.start()
    try:
        write_search_index(register, folder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return min(seconds), peak


@pytest.mark.slow
def test_the_index_grows_linearly_with_the_length_of_a_name(good_register, tmp_path):
    """A name ten times longer costs about ten times more time and memory, never a hundred (every suffix stored
    whole made it quadratic, and a recursion as deep as the name ended in RecursionError at 2,000 characters)."""
    write_search_index(with_long_name(good_register, 50)[0], tmp_path / "warm")  # libraries loaded, tables built
    short, long_ = (index_cost(with_long_name(good_register, n)[0], tmp_path / str(n)) for n in (1_000, 10_000))
    assert long_[0] / short[0] < 25, (short, long_)
    assert long_[1] / short[1] < 25, (short, long_)


def test_a_long_name_is_found_by_any_piece_of_it(good_register, tmp_path):
    register, name = with_long_name(good_register, 3_000)
    write_search_index(register, tmp_path)
    reader = IndexReader(tmp_path)
    for query in (name[1_000:1_032], name[2_000:2_040], name[-5:], name[:3]):  # 40 characters count by the first 32
        assert "91120101MA0000000X" in reader.search(query) == matches(register, query)


def test_an_empty_register_gives_an_index_that_finds_nothing(good_register, tmp_path):
    empty = replaced(good_register, enterprises={}, certifications=[], products=[])
    figures = write_search_index(empty, tmp_path)
    assert figures["enterprises"] == 0
    assert IndexReader(tmp_path).search("天津") == set() == matches(empty, "天津")


def test_one_corrected_name_changes_only_the_packs_that_hold_its_keys(register, tmp_path):
    """Packs are named by the key of their first child and postings by the key of their node, not by their bytes:
    a corrected name rewrites the files that hold its keys in place and renames none, where content names renamed
    every pack on the way up to the root (issue 17: a rebuild after one edit sends few files)."""
    uscc = sorted(register.enterprises)[0]
    enterprise = register.enterprises[uscc]
    edited = replaced(register, enterprises={
        **register.enterprises, uscc: dataclasses.replace(enterprise, name=enterprise.name + "（更正）")})
    write_search_index(register, tmp_path / "before")
    write_search_index(edited, tmp_path / "after")
    before, after = tree(tmp_path / "before"), tree(tmp_path / "after")
    packs = [path for path in before if path.startswith(("p/", "t/", "a/", "qp/", "qt/", "qa/"))]
    assert packs and all(path in after for path in packs), "a pack or posting was renamed"
    changed = [path for path in after if before.get(path) != after[path]]
    assert 0 < len(changed) < 40, sorted(changed)
    assert uscc in IndexReader(tmp_path / "after").search("（更正）")


def test_the_root_packs_stay_put_when_a_root_node_is_split():
    """A corrected name that made 有限公司 one key among two turned the root node 有, one key with every id (a 12 KB
    posting), into a split node whose posting moved to a/: the roots shrank by 12 KB and, when their count followed
    their bytes, every root pack was rewritten. The count is a power of two, so a small change keeps it."""
    rnd = random.Random(5)
    # 40,000 names of three characters below U+5600, so that 有 begins one key only: 73 root packs by their bytes
    # before the correction and 72 after.
    names = [["有限公司", "".join(chr(rnd.randrange(0x4E00, 0x5600)) for _ in range(3))] for _ in range(40_000)]
    before = trie.files(names)[0]
    names[0].append("有限公司(更正)")
    after = trie.files(names)[0]
    assert len(before) == len(after) and len(after) & (len(after) - 1) == 0
    changed = [number for number, (old, new) in enumerate(zip(before, after)) if old != new]
    assert len(changed) <= 3, changed
