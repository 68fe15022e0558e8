"""Search: exact enterprise search over a static sharded index, and full-text search of policies and announcements.

Enterprise search must be exact, because people look an enterprise up by a piece of its name. A query is split
into words at spaces (`query_words`); an enterprise matches when every word matches it, and a word matches when its
normalised form is a substring of the normalised name or of one of the normalised product names, equals the USCC,
or equals the name of its district (or of the district a zone lies in). People type names as they say them, so a
word loses a leading 天津市/天津 and a trailing 有限公司 (`AFFIXES`) before it is looked up: 天津飞东铂 finds
天津市飞东铂…. An enterprise that every word finds without its products is a name match and is listed first.
`matches` and `name_matches` are that rule in plain Python, the oracle the tests and the benchmark check the
browser against.

The index the browser reads (`write_search_index`) is a trie of the suffixes of every searchable text, cut into
small static files, so a query fetches only the few files on its own path:

- every distinct suffix of every normalised text is kept once, with the posting (sorted enterprise ids) of the
  texts it occurs in; a query's matches are the union of the postings of the suffixes it is a prefix of, so the
  result is exact by construction and nothing has to be verified afterwards;
- a trie node small enough is a leaf that lists its suffixes; a larger one is split by the next character into
  children packed into files, and keeps the union of its postings in a file of its own for queries that end there;
- the first character of a query picks one of the root pack files by hash;
- enterprise ids follow (tiers, district, name), so the district and the current tiers of any id are read from
  the group ranges in the manifest: totals and tier/district filters need no further download, and only the
  records of the rows on screen are fetched (`r/`, eight enterprises a file).

Binary files (`t/`, `p/`, `a/`) use unsigned LEB128 varints; `search.js` holds the reader, and `FORMAT` below
describes the layout for both.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BuildError
from .load import Register

INDEX_VERSION = 1

FORMAT = """
manifest.json  {version, build, count, chunk, root_packs, uscc_shards, tiers, districts, groups}
               build: a hash of the other files; search.js asks for them as <file>?v=<build>
               product_root_packs: root packs of the product-name trie (qt/, qp/, qa/: same layout as t/, p/, a/)
               tiers: [[tier_id, name_zh], ...] lowest rung first, tier i is bit i of a tier mask
               districts: [[code, name_zh, [normalised names a query may equal], parent_code], ...]
               groups: [[first_id, tier_mask, district_index], ...] in id order; a group runs to the next one's first id
t/<h>.bin      root pack h = fnv1a32(utf8(first character)) % root_packs (the trie of enterprise names)
p/<n>.bin      inner pack n
pack           varint(record count), then records
record         varint(code point of the node's last character), varint(body length), body
body, leaf     byte 0, varint(entry count), entries sorted by remainder bytes
entry          varint(bytes shared with the previous remainder), varint(new byte count), new bytes, posting
               remainder = the suffix after the node's key, UTF-8
body, split    byte 1, varint(aggregate file n: a/<n>.bin), varint(child count),
               children: varint(code point minus the previous child's, the first minus 0), varint(inner pack n)
posting        varint(count * 2 + mode); mode 0: count varints, each id minus the previous id minus 1 (first: id);
               mode 1: varint(first byte index), varint(byte count), bitmap bytes (bit j of byte i = id 8*(first+i)+j)
a/<n>.bin      one posting: every id under a split node
r/<n>.json     records of ids n*chunk .. n*chunk+chunk-1: [uscc, name, [product names]]
u/<h>.json     {normalised uscc: id}, h = fnv1a32(utf8(normalised uscc)) % uscc_shards
"""

# Sizes that trade bytes per query against the number of files; see benchmarks/search_payload.py.
LEAF_LIMIT = 3000
PACK_LIMIT = 6000
ROOT_PACK_TARGET = 6000
RECORDS_PER_CHUNK = 8
USCCS_PER_SHARD = 256

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
SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司")
DISTRICT_SUFFIXES = ("新区", "区", "县")


def query_words(query: str) -> list[str]:
    """The normalised words of a query, each without a common prefix or suffix unless nothing else is left."""
    words = []
    for word in _WHITESPACE.split(query):
        word = without_affixes(normalise(word))
        if word and word not in words:
            words.append(word)
    return words


def without_affixes(word: str) -> str:
    for prefix in PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix):
            word = word[len(prefix):]
            break
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            word = word[: -len(suffix)]
            break
    return word


def product_names(register: Register, uscc: str) -> list[str]:
    """The enterprise's product names, as the products table lists them."""
    return [product.product_name for product in register.products_by_uscc.get(uscc, [])]


def name_texts(register: Register, uscc: str) -> list[str]:
    """The normalised name, as a list of texts for the name trie."""
    name = normalise(register.enterprises[uscc].name)
    return [name] if name else []


def product_texts(register: Register, uscc: str) -> list[str]:
    """Normalised product names: a word must lie inside one of them (never across two)."""
    return sorted({text for text in (normalise(name) for name in product_names(register, uscc)) if text})


def district_keys(register: Register, district_code: str) -> set[str]:
    """Normalised names a query may equal to find the district's enterprises: its own and its parent district's."""
    keys, seen = set(), set()
    while district_code in register.districts and district_code not in seen:
        seen.add(district_code)
        district = register.districts[district_code]
        name = normalise(district.name_zh)
        # A query word has lost its 天津 (天津经济技术开发区 is looked up as 经济技术开发区).
        keys |= {name, without_affixes(name)}
        # People say 西青 for 西青区 and 滨海 for 滨海新区.
        for suffix in DISTRICT_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                keys.add(name[: -len(suffix)])
                break
        district_code = district.parent_code
    return keys


def _word_finds(register: Register, uscc: str, word: str, products: bool) -> bool:
    enterprise = register.enterprises[uscc]
    return (
        any(word in text for text in name_texts(register, uscc))
        or word == normalise(uscc)
        or word in district_keys(register, enterprise.district_code)
        or (products and any(word in text for text in product_texts(register, uscc)))
    )


def matches(register: Register, query: str, products: bool = True) -> set[str]:
    """USCCs of every enterprise the query finds (the reference for the browser's search).

    With products=False, the name matches only: the enterprises every word finds without their products.
    """
    words = query_words(query)
    if not words:
        return set()
    return {
        uscc for uscc in register.enterprises
        if all(_word_finds(register, uscc, word, products) for word in words)
    }


def name_matches(register: Register, query: str) -> set[str]:
    """The matches listed first: found by name, USCC or district, without their products."""
    return matches(register, query, products=False)


def tiers_named(register: Register, query: str) -> list[str]:
    """Tiers whose name contains the whole query (小巨人, 种子企业), when the query is specific enough to mean one."""
    needle = _unquoted(normalise(query))
    if len(needle) < 2:
        return []
    named = [t.tier_id for t in register.tiers_by_rank if needle in _unquoted(normalise(t.name_zh))]
    return named if len(named) <= 2 else []


_QUOTES = re.compile("[\"'“”‘’「」『』]")


def _unquoted(text: str) -> str:
    return _QUOTES.sub("", text)


# The static index ------------------------------------------------------------------------------------------------


def fnv1a32(text: str) -> int:
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def _varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def _posting(ids: list[int]) -> bytes:
    """Sorted ids as gaps, or as a bitmap where that is shorter (the ids of a common character)."""
    gaps = bytearray()
    previous = -1
    for current in ids:
        _varint(current - previous - 1, gaps)
        previous = current
    first_byte = ids[0] // 8 if ids else 0
    byte_count = ids[-1] // 8 - first_byte + 1 if ids else 0
    out = bytearray()
    if byte_count + 4 < len(gaps):
        bitmap = bytearray(byte_count)
        for current in ids:
            bitmap[current // 8 - first_byte] |= 1 << (current % 8)
        _varint(len(ids) * 2 + 1, out)
        _varint(first_byte, out)
        _varint(byte_count, out)
        out += bitmap
    else:
        _varint(len(ids) * 2, out)
        out += gaps
    return bytes(out)


def _record(key_char: str, body: bytes) -> bytes:
    out = bytearray()
    _varint(ord(key_char), out)
    _varint(len(body), out)
    return bytes(out) + body


def _pack(records: list[bytes]) -> bytes:
    out = bytearray()
    _varint(len(records), out)
    for record in records:
        out += record
    return bytes(out)


@dataclass
class _Trie:
    """Builds the files of the suffix trie from the sorted distinct suffixes and their postings."""

    suffixes: list[str]
    postings: list[list[int]]
    packs: list[bytes] = field(default_factory=list)
    aggregates: list[bytes] = field(default_factory=list)
    aggregate_numbers: dict[bytes, int] = field(default_factory=dict)

    def leaf(self, depth: int, lo: int, hi: int, limit: int) -> bytes | None:
        """The leaf body of suffixes[lo:hi] under a key of `depth` characters, or None past `limit` bytes."""
        out = bytearray([0])
        _varint(hi - lo, out)
        previous = b""
        for index in range(lo, hi):
            remainder = self.suffixes[index][depth:].encode("utf-8")
            shared = 0
            while shared < min(len(previous), len(remainder)) and previous[shared] == remainder[shared]:
                shared += 1
            _varint(shared, out)
            _varint(len(remainder) - shared, out)
            out += remainder[shared:]
            out += _posting(self.postings[index])
            previous = remainder
            if len(out) > limit:
                return None
        return bytes(out)

    def node(self, depth: int, lo: int, hi: int) -> bytes:
        """The body of the node whose key is the first `depth` characters of suffixes[lo:hi]."""
        # A single suffix cannot be split smaller, however long its posting (e.g. 有限公司 in every name).
        body = self.leaf(depth, lo, hi, LEAF_LIMIT if hi - lo > 1 else sys.maxsize)
        if body is not None:
            return body
        terminal = len(self.suffixes[lo]) == depth
        every = _posting(sorted({i for index in range(lo, hi) for i in self.postings[index]}))
        # Nodes on a chain with one child share their ids; one file serves them all.
        aggregate = self.aggregate_numbers.setdefault(every, len(self.aggregates))
        if aggregate == len(self.aggregates):
            self.aggregates.append(every)
        children = []
        start = lo + 1 if terminal else lo
        while start < hi:
            char = self.suffixes[start][depth]
            end = start
            while end < hi and self.suffixes[end][depth] == char:
                end += 1
            children.append((char, _record(char, self.node(depth + 1, start, end))))
            start = end
        # Children are packed in order, several to a file, so the split body names each child's pack.
        out = bytearray([1])
        _varint(aggregate, out)
        _varint(len(children), out)
        previous_code = 0
        for (char, _), pack in zip(children, self._pack_children([record for _, record in children])):
            _varint(ord(char) - previous_code, out)
            _varint(pack, out)
            previous_code = ord(char)
        return bytes(out)

    def _pack_children(self, records: list[bytes]) -> list[int]:
        numbers = []
        current: list[bytes] = []
        size = 0
        for record in records:
            if current and size + len(record) > PACK_LIMIT:
                self.packs.append(_pack(current))
                current, size = [], 0
            current.append(record)
            size += len(record)
            numbers.append(len(self.packs))
        if current:
            self.packs.append(_pack(current))
        return numbers


def id_order(register: Register) -> list[str]:
    """USCCs in id order: highest current tier first, then district, then name, so groups are contiguous."""

    def key(uscc: str):
        ranks = sorted((tier.rank for tier in register.tiers_held(uscc)), reverse=True)
        enterprise = register.enterprises[uscc]
        return (not ranks, [-rank for rank in ranks], enterprise.district_code, normalise(enterprise.name), uscc)

    return sorted(register.enterprises, key=key)


def _suffix_postings(texts_by_id: list[list[str]]) -> dict[str, list[int]]:
    postings: dict[str, list[int]] = defaultdict(list)
    for identifier, texts in enumerate(texts_by_id):
        for text in texts:
            for start in range(len(text)):
                posting = postings[text[start:]]
                if not posting or posting[-1] != identifier:
                    posting.append(identifier)
    return postings


def _trie_files(texts_by_id: list[list[str]]) -> tuple[list[bytes], list[bytes], list[bytes], int]:
    """Root packs, inner packs, aggregate postings, and the number of distinct suffixes."""
    postings = _suffix_postings(texts_by_id)
    suffixes = sorted(postings)
    trie = _Trie(suffixes, [postings[suffix] for suffix in suffixes])
    del postings
    roots = []
    start = 0
    while start < len(suffixes):
        char = suffixes[start][0]
        end = start
        while end < len(suffixes) and suffixes[end][0] == char:
            end += 1
        roots.append((char, _record(char, trie.node(1, start, end))))
        start = end
    root_count = max(1, -(-sum(len(record) for _, record in roots) // ROOT_PACK_TARGET))
    by_pack: list[list[bytes]] = [[] for _ in range(root_count)]
    for char, record in roots:
        by_pack[fnv1a32(char) % root_count].append(record)
    return [_pack(records) for records in by_pack], trie.packs, trie.aggregates, len(suffixes)


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


INDEX_PARTS = ("manifest.json", "t", "p", "a", "qt", "qp", "qa", "r", "u")


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
    suffix_count = 0
    for prefix, texts in (("", name_texts), ("q", product_texts)):
        root_packs, inner_packs, aggregates, suffixes = _trie_files([texts(register, uscc) for uscc in order])
        root_counts[prefix] = len(root_packs)
        suffix_count += suffixes
        for kind, blobs in (("t", root_packs), ("p", inner_packs), ("a", aggregates)):
            for number, blob in enumerate(blobs):
                files[f"{prefix}{kind}/{number}.bin"] = blob

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
            [code, register.districts[code].name_zh, sorted(district_keys(register, code)),
             register.districts[code].parent_code]
            for code in districts
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
        "suffixes": suffix_count,
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
    import asyncio
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
    return {"pages": len(pages), "files": len(files), "bytes": sum(path.stat().st_size for path in files)}


async def _index_pages(site_dir: Path, pages: list[Path]) -> None:
    import pagefind_bin_extended  # noqa: F401 - the extended build segments Chinese; the plain one does not
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(root_selector=FULLTEXT_ROOT, exclude_selectors=FULLTEXT_EXCLUDE, force_language="zh",
                         output_path=str(site_dir / FULLTEXT_DIR))
    async with PagefindIndex(config=config) as index:
        for page in pages:
            url = "/" + page.relative_to(site_dir).as_posix().removesuffix("index.html")
            await index.add_html_file(content=page.read_text(encoding="utf-8"), url=url)
