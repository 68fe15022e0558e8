"""Search: exact enterprise search over a static sharded index, and full-text search of policies and announcements.

Enterprise search must be exact, because people look an enterprise up by a piece of its name. A query is split
into words at spaces (`query_words`); an enterprise matches when every word matches it. A word matches when its
normalised form
- is a substring of the normalised name, or of one of the normalised product names;
- begins the pinyin of the name at a syllable (yifeng, fengke), or its initials there (yf, tjyf) (`pinyin_keys`);
- equals the USCC, or a name of the enterprise's district or of the district a zone lies in, Chinese or English
  (滨海, Binhai, TEDA; every word of an English name counts, so Binhai New Area is three words that all match).
People type names as they say them, so a word loses a leading 天津市/天津 and a trailing 有限公司 (`PREFIXES`, `SUFFIXES`) before
it is looked up: 天津飞东铂 finds 天津市飞东铂…. A traditional character the index does not hold is read as the
simplified one it stands for (電機 finds 电机, `spelling.simplified_map`). A word counts by its first `MAX_WORD`
characters. An enterprise that every word finds without its products is a name match and is listed first.
`matches` and `name_matches` are that rule in plain Python, the oracle the tests and the benchmark check the
browser against; `pages_named` says which district, tier and industry pages a query names.

The index the browser reads (`write_search_index`) is a trie of keys, cut into small static files, so a query
fetches only the few files on its own path. A word finds the ids of the keys it begins:

- the keys of a name are its suffixes and its pinyin keys, those of a product name its suffixes; every key is cut
  to `MAX_WORD` characters, so a name of n characters gives at most 3n keys of bounded length (the index grows
  linearly with the length of a name, however long), and a word of at most MAX_WORD characters begins a cut key
  exactly when it begins the whole one: the result is exact by construction and nothing is verified afterwards;
- every distinct key is kept once, with the posting (sorted enterprise ids) of the texts that have it;
- a trie node small enough is a leaf that lists its keys; a larger one is split by the next character into
  children packed into files, and keeps the union of its postings in a file of its own for queries that end there;
- the first character of a query picks one of the root pack files by hash;
- enterprise ids follow (tiers, district, name), so the district and the current tiers of any id are read from
  the group ranges in the manifest: totals and tier/district filters need no further download, and only the
  records of the rows on screen are fetched (`r/`, eight enterprises a file);
- the traditional characters are one small file (`s.json`), read only when a word with a character outside
  ASCII finds nothing as typed.

Binary files (`t/`, `p/`, `a/`) use unsigned LEB128 varints; `search.js` holds the reader, and `FORMAT` below
describes the layout for both.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import shutil
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from . import spelling, trie
from .errors import BuildError
from .load import District, Register
from .trie import fnv1a32

INDEX_VERSION = 2

FORMAT = """
manifest.json  {version, build, count, chunk, root_packs, uscc_shards, tiers, districts, groups}
               build: a hash of the other files; search.js asks for them as <file>?v=<build>
               product_root_packs: root packs of the product-name trie (qt/, qp/, qa/: same layout as t/, p/, a/)
               tiers: [[tier_id, name_zh], ...] lowest rung first, tier i is bit i of a tier mask
               districts: [[code, name_zh, [names], parent_code, [words]], ...]: a word equal to one of the names
                 or words of a district or of the district it lies in finds its enterprises; a query equal to one
                 of the names (or one word of it) names the district's page (zjtx.search.district_names)
               groups: [[first_id, tier_mask, district_index], ...] in id order; a group runs to the next one's first id
t/<h>.bin      root pack h = fnv1a32(utf8(first character)) % root_packs (the trie of name keys)
p/<n>.bin      inner pack n (n: the first 4 bytes, big-endian, of the SHA-256 of the UTF-8 key its first record
               ends, i.e. its parent node's key and that record's character; the next free n on a clash)
pack           varint(record count), then records
record         varint(code point of the node's last character), varint(body length), body
body, leaf     byte 0, varint(entry count), entries sorted by remainder bytes
entry          varint(bytes shared with the previous remainder), varint(new byte count), new bytes, posting
               remainder = the key after the node's key, UTF-8
body, split    byte 1, varint(aggregate file n: a/<n>.bin), varint(child count),
               children: varint(code point minus the previous child's, the first minus 0), varint(inner pack n)
posting        varint(count * 2 + mode); mode 0: count varints, each id minus the previous id minus 1 (first: id);
               mode 1: varint(first byte index), varint(byte count), bitmap bytes (bit j of byte i = id 8*(first+i)+j)
a/<n>.bin      one posting: every id under a split node (n: the first 4 bytes, big-endian, of the SHA-256 of the
               UTF-8 key of the first node, from the top, that has this posting; the next free n on a clash)
r/<n>.json     records of ids n*chunk .. n*chunk+chunk-1: [uscc, name, [product names]]
u/<h>.json     {normalised uscc: id}, h = fnv1a32(utf8(normalised uscc)) % uscc_shards
s.json         a string of pairs: traditional character, simplified character (spelling.simplified_map)
"""

# Records and USCCs per file (the trie's sizes are in zjtx.trie).
RECORDS_PER_CHUNK = 8
USCCS_PER_SHARD = 256
# Characters of a word that count, and of a key that are indexed: longer than any part of a name people type
# (a whole name, pasted, is cut inside its first 32 characters and still found).
MAX_WORD = 32

# Whitespace, spelled out so that search.js can drop exactly the same characters (JavaScript's \s is another set).
WHITESPACE = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"
_WHITESPACE = re.compile(f"[{WHITESPACE}]")
# After NFKC the full-width （）［］ are already ( ) [ ]; the lenticular and tortoise-shell brackets of Chinese
# documents have no compatibility mapping, so they are unified here.
_BRACKETS = str.maketrans({opening: "(" for opening in "[【〔〖〘〚"} | {closing: ")" for closing in "]】〕〗〙〛"})


def normalise(text: str) -> str:
    """The form names and queries are compared in: NFKC, case-folded, one kind of bracket, no whitespace."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_BRACKETS)
    return _WHITESPACE.sub("", text)


# Parts of a name people leave out or add when they type it; longest first, removed once from a query word.
PREFIXES = ("天津市", "天津")
# 有限責任公司: the traditional spelling, so that a word loses it whether or not its characters are converted.
SUFFIXES = ("股份有限公司", "有限责任公司", "有限責任公司", "有限公司")
DISTRICT_SUFFIXES = ("新区", "区", "县")
ENGLISH_DISTRICT_SUFFIXES = ("newarea", "district", "county")


def query_words(query: str, simplified: Mapping[str, str] | None = None) -> list[str]:
    """The normalised words of a query, each without a common prefix or suffix unless nothing else is left, cut to
    MAX_WORD characters; with `simplified` (spelling.simplified_map), its traditional characters converted first."""
    words = []
    for part in _WHITESPACE.split(query):
        word = normalise(part)
        if simplified:
            word = "".join(simplified.get(character, character) for character in word)
        word = without_affixes(word)[:MAX_WORD]
        if word and word not in words:
            words.append(word)
    return words


def without_affixes(word: str) -> str:
    for prefix in PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix):
            word = word[len(prefix):]
            break
    return without_company_form(word)


def without_company_form(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)]
    return word


def product_names(register: Register, uscc: str) -> list[str]:
    """The enterprise's product names, as the products table lists them."""
    return [product.product_name for product in register.products_by_uscc.get(uscc, [])]


def name_text(register: Register, uscc: str) -> str:
    """The normalised name."""
    return normalise(register.enterprises[uscc].name)


def product_texts(register: Register, uscc: str) -> list[str]:
    """Normalised product names: a word must lie inside one of them (never across two)."""
    return sorted({text for text in (normalise(name) for name in product_names(register, uscc)) if text})


def pinyin_keys(name: str) -> set[str]:
    """Keys of a normalised name's pinyin: from every syllable on, the syllables (yifengkeji, fengkeji, keji) and
    their initials (yfkj, fkj, kj), each cut to MAX_WORD letters. A word finds the name when it begins one.

    The pinyin is that of the name without its company form (有限公司): nobody looks a name up by its pinyin, and
    its letters would make every key longer. 天津市亿丰 is as often said 天津亿丰, so such a name is also read from
    its start without 市 (tjyf as well as tjsyf).
    """
    source = without_company_form(name)
    letters = spelling.syllables(source)
    keys = _syllable_keys(letters, range(len(letters)))
    if source.startswith(PREFIXES[0]) and letters[:3] == ["tian", "jin", "shi"]:
        keys |= _syllable_keys(letters[:2] + letters[3:], range(2))
    return keys


def _syllable_keys(letters: list[str], starts: Iterable[int]) -> set[str]:
    keys = set()
    for start in starts:
        # MAX_WORD syllables have at least MAX_WORD letters: enough for the longest key, whatever the name's length.
        following = letters[start:start + MAX_WORD]
        keys.add("".join(following)[:MAX_WORD])
        keys.add("".join(syllable[0] for syllable in following))
    return keys


def suffix_keys(text: str) -> set[str]:
    """Every suffix of a text, cut to MAX_WORD characters: a word of at most MAX_WORD lies in the text exactly when
    it begins one of them."""
    return {text[start:start + MAX_WORD] for start in range(len(text))}


def district_names(district: District) -> set[str]:
    """Normalised names that mean the district: a query equal to one is offered the district's page, and a word
    equal to one finds its enterprises. Chinese and English, long and short (滨海新区, 滨海, binhainewarea, binhai,
    and teda for the (TEDA) of an English name); cut to MAX_WORD characters, as words are."""
    name = normalise(district.name_zh)
    # A query word has lost its 天津 (天津经济技术开发区 is looked up as 经济技术开发区).
    names = {name, without_affixes(name)}
    # People say 西青 for 西青区 and 滨海 for 滨海新区.
    for suffix in DISTRICT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            names.add(name[: -len(suffix)])
            break
    english = normalise(district.name_en or "")
    if english:
        bare = re.sub(r"\(.*?\)", "", english)
        names |= {english, bare, *re.findall(r"\(([^()]+)\)", english)}
        for suffix in ENGLISH_DISTRICT_SUFFIXES:
            if bare.endswith(suffix) and len(bare) > len(suffix):
                names.add(bare[: -len(suffix)])
                break
    return {name[:MAX_WORD] for name in names if name}


_ENGLISH_WORD = re.compile("[0-9a-z]+(?:-[0-9a-z]+)*")


def district_words(district: District) -> set[str]:
    """Each word of the English name (with and without its hyphens): a query of several words (Binhai New Area)
    finds the district as one Chinese word does, since every word of it matches."""
    words = set()
    for part in (district.name_en or "").split():
        for word in _ENGLISH_WORD.findall(normalise(part)):
            words |= {word, word.replace("-", ""), *word.split("-")}
    return {word[:MAX_WORD] for word in words if word}


def district_keys(register: Register, district_code: str) -> set[str]:
    """Normalised words that find the district's enterprises: its names and English words and its parent's."""
    keys, seen = set(), set()
    while district_code in register.districts and district_code not in seen:
        seen.add(district_code)
        district = register.districts[district_code]
        keys |= district_names(district) | district_words(district)
        district_code = district.parent_code
    return keys


# The reference matcher asks for the same name's pinyin once per word; the index asks once per name.
_cached_pinyin_keys = lru_cache(maxsize=1 << 12)(pinyin_keys)


def _pinyin_finds(name: str, word: str) -> bool:
    return any(key.startswith(word) for key in _cached_pinyin_keys(name))


def _word_finds(register: Register, uscc: str, word: str, products: bool, districts: dict[str, set[str]]) -> bool:
    enterprise = register.enterprises[uscc]
    name = name_text(register, uscc)
    return (
        word in name
        or word == normalise(uscc)
        or word in districts[enterprise.district_code]
        or _pinyin_finds(name, word)
        or (products and any(word in text for text in product_texts(register, uscc)))
    )


def index_alphabet(register: Register) -> set[str]:
    """Every character a word can hold and still find something: those of names, products and district names."""
    alphabet: set[str] = set()
    for uscc in register.enterprises:
        alphabet.update(name_text(register, uscc), *product_texts(register, uscc))
    for code in register.districts:
        alphabet.update(*district_keys(register, code))
    return alphabet


def words_of(register: Register, query: str) -> list[str]:
    """The query's words as the index reads them: query_words, with traditional characters read as simplified
    where the index does not hold them."""
    if any(spelling.is_traditional(character) for character in normalise(query)):
        return query_words(query, spelling.simplified_map(index_alphabet(register)))
    return query_words(query)


def matches(register: Register, query: str, products: bool = True) -> set[str]:
    """USCCs of every enterprise the query finds (the reference for the browser's search).

    With products=False, the name matches only: the enterprises every word finds without their products.
    """
    words = words_of(register, query)
    if not words:
        return set()
    districts = {code: district_keys(register, code) for code in register.districts}
    return {
        uscc for uscc in register.enterprises
        if all(_word_finds(register, uscc, word, products, districts) for word in words)
    }


def name_matches(register: Register, query: str) -> set[str]:
    """The matches listed first: found by name, pinyin, USCC or district, without their products."""
    return matches(register, query, products=False)


def named(entries: Iterable[tuple[str, str]], query: str) -> list[str]:
    """Ids of the (id, name) entries whose name contains the whole query (小巨人, 种子企业, 汽车), when the query is
    specific enough to mean one or two of them."""
    needle = _unquoted(normalise(query))
    if len(needle) < 2:
        return []
    found = [identifier for identifier, name in entries if needle in _unquoted(normalise(name))]
    return found if len(found) <= 2 else []


def tiers_named(register: Register, query: str) -> list[str]:
    """Tiers whose name contains the whole query, when the query is specific enough to mean one."""
    return named(((tier.tier_id, tier.name_zh) for tier in register.tiers_by_rank), query)


def districts_named(register: Register, query: str) -> list[str]:
    """Districts a word of the query names, or all its words together (Binhai New Area), in code order."""
    words = words_of(register, query)
    wanted = set(words) | {"".join(words)}
    return [code for code in sorted(register.districts) if wanted & district_names(register.districts[code])]


def pages_named(register: Register, query: str, industries: Iterable[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """The pages a query names, offered before its results: (kind, id) for districts, tiers and the industries
    among `industries` ((industry_code, name_zh) of the industries that have a page)."""
    return ([("district", code) for code in districts_named(register, query)]
            + [("tier", tier) for tier in tiers_named(register, query)]
            + [("industry", code) for code in named(industries, query)])


_QUOTES = re.compile("[\"'“”‘’「」『』]")


def _unquoted(text: str) -> str:
    return _QUOTES.sub("", text)


# The static index ------------------------------------------------------------------------------------------------


def id_order(view) -> list[str]:
    """USCCs in id order (zjtx.view.RegisterView.enterprise_order): highest current tier first, then district, then
    name, so groups are contiguous; the page tables name their rows by the same ids."""
    return view.enterprise_order


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


INDEX_PARTS = ("manifest.json", "t", "p", "a", "qt", "qp", "qa", "r", "u", "s.json")


def _name_keys(register: Register, uscc: str) -> set[str]:
    name = name_text(register, uscc)
    return suffix_keys(name) | pinyin_keys(name)


def _product_keys(register: Register, uscc: str) -> set[str]:
    return set().union(*map(suffix_keys, product_texts(register, uscc)))


def write_search_index(register: Register, out_dir: Path) -> dict:
    """Write the enterprise search index into out_dir (the site's search-index/ folder); return its figures.

    URLs inside the index are ids and file numbers only: search.js finds the folder from the page's location,
    so the site works under any sub-path.
    """
    out_dir = Path(out_dir)
    for part in INDEX_PARTS:
        path = out_dir / part
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()

    tiers = register.tiers_by_rank
    tier_bits = {tier.tier_id: 1 << position for position, tier in enumerate(tiers)}
    districts = sorted(register.districts)
    district_index = {code: position for position, code in enumerate(districts)}
    order = id_order(register)

    groups = []
    for identifier, uscc in enumerate(order):
        mask = sum(tier_bits[tier.tier_id] for tier in register.tiers_held(uscc))
        group = [mask, district_index[register.enterprises[uscc].district_code]]
        if not groups or groups[-1][1:] != group:
            groups.append([identifier, *group])

    files: dict[str, bytes] = {}
    # Names and products have a trie each, so that name matches can be listed before product-only ones.
    root_counts = {}
    key_count = 0
    for prefix, keys in (("", _name_keys), ("q", _product_keys)):
        root_packs, inner_packs, aggregates, count = trie.files(keys(register, uscc) for uscc in order)
        root_counts[prefix] = len(root_packs)
        key_count += count
        for kind, blobs in (("t", dict(enumerate(root_packs))), ("p", inner_packs), ("a", aggregates)):
            for number, blob in sorted(blobs.items()):
                files[f"{prefix}{kind}/{number}.bin"] = blob
    simplified = spelling.simplified_map(index_alphabet(register))
    files["s.json"] = _json("".join(character + simplified[character] for character in sorted(simplified)))

    for number, start in enumerate(range(0, len(order), RECORDS_PER_CHUNK)):
        chunk = order[start:start + RECORDS_PER_CHUNK]
        records = [[uscc, register.enterprises[uscc].name, product_names(register, uscc)] for uscc in chunk]
        files[f"r/{number}.json"] = _json(records)

    uscc_shards = max(1, -(-len(order) // USCCS_PER_SHARD))
    shards: list[dict[str, int]] = [{} for _ in range(uscc_shards)]
    for identifier, uscc in enumerate(order):
        key = normalise(uscc)
        shards[fnv1a32(key) % uscc_shards][key] = identifier
    for number, shard in enumerate(shards):
        files[f"u/{number}.json"] = _json(dict(sorted(shard.items())))

    build = hashlib.sha256(b"".join(name.encode() + b"\0" + blob for name, blob in sorted(files.items())))
    files["manifest.json"] = _json({
        "version": INDEX_VERSION,
        "build": build.hexdigest()[:12],
        "count": len(order),
        "chunk": RECORDS_PER_CHUNK,
        "root_packs": root_counts[""],
        "product_root_packs": root_counts["q"],
        "uscc_shards": uscc_shards,
        "tiers": [[tier.tier_id, tier.name_zh] for tier in tiers],
        "districts": [
            [code, district.name_zh, sorted(district_names(district)), district.parent_code,
             sorted(district_words(district) - district_names(district))]
            for code, district in ((code, register.districts[code]) for code in districts)
        ],
        "groups": groups,
    })

    by_kind: dict[str, dict[str, int]] = defaultdict(lambda: {"files": 0, "bytes": 0})
    for name, blob in sorted(files.items()):
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob)
        kind = name.split("/")[0]
        by_kind[kind]["files"] += 1
        by_kind[kind]["bytes"] += len(blob)
    return {
        "enterprises": len(order),
        "keys": key_count,
        "files": len(files),
        "bytes": sum(len(blob) for blob in files.values()),
        "largest_file": max(len(blob) for blob in files.values()),
        "by_kind": dict(by_kind),
    }


# Full text of policies and announcements -------------------------------------------------------------------------

# Pages whose text is searched: one page per policy, announcement, service and event (not the lists above them).
FULLTEXT_FOLDERS = ("policies", "announcements", "services", "events")
# Inside a page, mkdocs-material's article holds the title and the text; its buttons and dates are left out.
FULLTEXT_ROOT = "article"
FULLTEXT_EXCLUDE = [".md-content__button", ".md-source-file", ".headerlink"]
FULLTEXT_DIR = "pagefind"


def fulltext_pages(site_dir: Path) -> list[Path]:
    """The built pages whose text is indexed, in the order they are given to Pagefind."""
    return sorted((page for folder in FULLTEXT_FOLDERS for page in (site_dir / folder).glob("*/index.html")),
                  key=lambda page: page.relative_to(site_dir).as_posix())


def write_fulltext_index(site_dir: Path) -> dict:
    """Index the text of the built policy, announcement, service and event pages into <site_dir>/pagefind/; return
    its figures. Runs after MkDocs has built the site. Chinese is segmented into words by the extended build.

    The pages are given to Pagefind one by one in a fixed order (its Python API) rather than found by its command
    line, which reads folders in the file system's order: the index files would then differ from one disk to another.
    Its event loop runs in a thread of its own, so a caller that already runs one (a server, Playwright's
    synchronous API in the tests) can call this too.
    """
    from concurrent.futures import ThreadPoolExecutor

    site_dir = Path(site_dir)
    pages = fulltext_pages(site_dir)
    try:
        with ThreadPoolExecutor(max_workers=1) as worker:
            worker.submit(asyncio.run, _index_pages(site_dir, pages)).result()
    except ImportError as error:
        raise BuildError(
            "Pagefind's extended build is not installed: pip install 'pagefind[extended]'",
            "未安装 Pagefind 扩展版（支持中文分词）：请运行 pip install 'pagefind[extended]'",
        ) from error
    except Exception as error:  # the service reports its failures as plain exceptions
        raise BuildError(f"Pagefind failed on {site_dir}: {error}",
                         f"Pagefind 建立全文索引失败（{site_dir}）：{error}") from error
    files = [path for path in (site_dir / FULLTEXT_DIR).rglob("*") if path.is_file()]
    _check_fulltext_index(site_dir / FULLTEXT_DIR, files)
    return {"pages": len(pages), "files": len(files), "bytes": sum(path.stat().st_size for path in files)}


class _PromptReplies:
    """asyncio as pagefind's service module sees it, without the poll delay.

    The service (pagefind 1.5) sleeps 0.1 s before reading each reply of its backend, so every page added costs
    0.1 s of waiting: 11 of the 19 s of a 5,000-enterprise build. Reading the reply waits for it anyway, so
    yielding once instead loses nothing. Everything else is asyncio itself."""

    def __getattr__(self, name):
        return getattr(asyncio, name)

    @staticmethod
    async def sleep(delay, result=None):
        return await asyncio.sleep(0, result)


def _check_fulltext_index(folder: Path, files: list[Path]) -> None:
    """Pagefind's backend writes after it answers, so a cut-short write shows as an empty or broken file: the
    build fails (and the last site stays) rather than publish a search that cannot load."""
    entry = folder / "pagefind-entry.json"
    try:
        json.loads(entry.read_text(encoding="utf-8"))
        empty = [path.name for path in files if path.stat().st_size == 0]
    except (OSError, ValueError) as error:
        empty = [f"{entry.name} ({error})"]
    if empty:
        raise BuildError(f"Pagefind left its index incomplete ({', '.join(sorted(empty)[:5])}); build again",
                         f"Pagefind 生成的全文索引不完整（{'、'.join(sorted(empty)[:5])}），请重新构建")


async def _index_pages(site_dir: Path, pages: list[Path]) -> None:
    """Index the pages and write the index's files ourselves, from the service's answer.

    The service stops its backend as soon as it has read the reply to "write the files", and the backend may
    still be writing then: two builds at once left empty files (pagefind-entry.json, pagefind-modular-ui.js). So
    the files are asked for (get_files) and written here, in path order; what the backend writes on closing goes
    to a scratch folder that is thrown away."""
    import tempfile

    import pagefind.service
    import pagefind_bin_extended  # noqa: F401 - the extended build segments Chinese; the plain one does not
    from pagefind.index import IndexConfig, PagefindIndex

    output = site_dir / FULLTEXT_DIR
    with tempfile.TemporaryDirectory(prefix="zjtx-pagefind-") as scratch:
        config = IndexConfig(root_selector=FULLTEXT_ROOT, exclude_selectors=FULLTEXT_EXCLUDE, force_language="zh",
                             output_path=scratch)
        async with PagefindIndex(config=config) as index:
            # The answer holds every file, base64-encoded; the service reads answers of at most 2 MiB and would
            # wait for ever on a longer one. Our index is about 0.7 MB; allow any size.
            index._service._backend.stdout._limit = 1 << 30
            pagefind.service.asyncio = _PromptReplies()
            try:
                for page in pages:
                    url = "/" + page.relative_to(site_dir).as_posix().removesuffix("index.html")
                    await index.add_html_file(content=page.read_text(encoding="utf-8"), url=url)
                files = await index.get_files()
            finally:
                pagefind.service.asyncio = asyncio
    for file in sorted(files, key=lambda file: str(file["path"])):
        relative = Path(str(file["path"]))
        target = (output / relative).resolve()
        if output.resolve() not in target.parents:
            raise BuildError(f"Pagefind named a file outside its folder: {relative}",
                             f"Pagefind 给出的文件不在其目录内：{relative}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file["content"])
