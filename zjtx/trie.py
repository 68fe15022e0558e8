"""The static trie of the enterprise search index: distinct keys with their postings, cut into small files.

zjtx.search decides the keys (suffixes of names and products, pinyin) and describes the file layout in its FORMAT;
this module turns keys into the bytes of the files. A query walks from a root pack, picked by the hash of its
first character, through the inner packs on its path, and reads a leaf's keys or a split node's aggregate
posting: only those few files are fetched.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

# Sizes that trade bytes per query against the number of files (benchmarks/run.py measures a search's bytes).
LEAF_LIMIT = 3000
PACK_LIMIT = 6000
ROOT_PACK_TARGET = 6000


def fnv1a32(text: str) -> int:
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def _name(identity: bytes, taken: dict[int, bytes]) -> int:
    """The number a file is named by, taken from what identifies it rather than from its bytes or the build's
    order: a pack by the key its first record ends (the key of its parent node and that record's character), a
    posting by the key of the first node that has it. A pack or posting then keeps its name when its content
    changes, so one corrected name changes the files that hold its keys and renames none (naming by content renamed
    every pack on the way up to the root; sequential numbers renamed every file after a new one). A clash of two
    different identities moves the later one to the next free number, in build order, which is the same in every
    build of the same keys."""
    number = int.from_bytes(hashlib.sha256(identity).digest()[:4], "big")
    while taken.get(number, identity) != identity:
        number = (number + 1) & 0xFFFFFFFF
    taken[number] = identity
    return number


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
class _Node:
    """A node of the trie while it is built: the keys[lo:hi] that begin with its key of `depth` characters."""

    depth: int
    lo: int
    hi: int
    char: str = ""
    body: bytes | None = None
    opened: bool = False
    aggregate: int = 0
    next: int = 0  # the first key of the next child to build
    children: list[tuple[str, bytes]] = field(default_factory=list)


@dataclass
class _Trie:
    """Builds the files of the trie from the sorted distinct keys and their postings."""

    keys: list[str]
    postings: list[int | list[int]]  # as _key_postings gives them
    packs: dict[int, bytes] = field(default_factory=dict)  # by file number (_name)
    aggregates: dict[int, bytes] = field(default_factory=dict)  # by file number
    pack_keys: dict[int, bytes] = field(default_factory=dict)  # file number: the key that names the pack
    aggregate_keys: dict[int, bytes] = field(default_factory=dict)  # file number: the key that names the posting
    aggregate_by_content: dict[bytes, int] = field(default_factory=dict)

    def key(self, node: _Node) -> str:
        return self.keys[node.lo][:node.depth]

    def ids(self, index: int) -> list[int]:
        held = self.postings[index]
        return [held] if isinstance(held, int) else held

    def leaf(self, depth: int, lo: int, hi: int, limit: int) -> bytes | None:
        """The leaf body of keys[lo:hi] under a key of `depth` characters, or None past `limit` bytes."""
        if (hi - lo) * 4 > limit:  # an entry takes at least four bytes
            return None
        out = bytearray([0])
        _varint(hi - lo, out)
        previous = b""
        for index in range(lo, hi):
            remainder = self.keys[index][depth:].encode("utf-8")
            shared = 0
            while shared < min(len(previous), len(remainder)) and previous[shared] == remainder[shared]:
                shared += 1
            _varint(shared, out)
            _varint(len(remainder) - shared, out)
            out += remainder[shared:]
            out += _posting(self.ids(index))
            previous = remainder
            if len(out) > limit:
                return None
        return bytes(out)

    def node(self, depth: int, lo: int, hi: int) -> bytes:
        """The body of the node whose key is the first `depth` characters of keys[lo:hi].

        Children are built before their parent, which names their packs; a stack of its own, rather than
        recursion, holds the nodes on the way down.
        """
        stack = [_Node(depth, lo, hi)]
        while True:
            node = stack[-1]
            if not node.opened:
                self._open(node)
            if node.body is None and node.next < node.hi:
                char = self.keys[node.next][node.depth]
                end = node.next
                while end < node.hi and self.keys[end][node.depth] == char:
                    end += 1
                stack.append(_Node(node.depth + 1, node.next, end, char))
                node.next = end
                continue
            if node.body is None:
                node.body = self._split(node)
            stack.pop()
            if not stack:
                return node.body
            stack[-1].children.append((node.char, _record(node.char, node.body)))

    def _open(self, node: _Node) -> None:
        """A leaf's body, or the start of a split: its aggregate posting and its first child."""
        node.opened = True
        # A single key cannot be split smaller, however long its posting (e.g. 有限公司 in every name).
        node.body = self.leaf(node.depth, node.lo, node.hi, LEAF_LIMIT if node.hi - node.lo > 1 else sys.maxsize)
        if node.body is not None:
            return
        every = _posting(sorted({i for index in range(node.lo, node.hi) for i in self.ids(index)}))
        # Nodes on a chain with one child share their ids; one file serves them all, named by the key of the first
        # of them (nodes open from the top down), so that a posting that changes keeps its name and its parent's
        # pack does not change with it.
        node.aggregate = self.aggregate_by_content.get(every, -1)
        if node.aggregate < 0:
            node.aggregate = _name(self.key(node).encode("utf-8"), self.aggregate_keys)
            self.aggregates[node.aggregate] = every
            self.aggregate_by_content[every] = node.aggregate
        # The key that ends at this node sorts first; a query that ends here reads the aggregate.
        node.next = node.lo + 1 if len(self.keys[node.lo]) == node.depth else node.lo

    def _split(self, node: _Node) -> bytes:
        # Children are packed in order, several to a file, so the split body names each child's pack.
        out = bytearray([1])
        _varint(node.aggregate, out)
        _varint(len(node.children), out)
        previous_code = 0
        packs = self._pack_children(self.key(node), node.children)
        for (char, _), pack in zip(node.children, packs):
            _varint(ord(char) - previous_code, out)
            _varint(pack, out)
            previous_code = ord(char)
        return bytes(out)

    def _pack_children(self, key: str, children: list[tuple[str, bytes]]) -> list[int]:
        """The pack number of each child of the node `key`, in order: children are packed greedily up to
        PACK_LIMIT bytes, and each pack is named by the key of its first child."""
        groups: list[tuple[str, list[bytes]]] = []  # (the first child's character, the records)
        size = 0
        for char, record in children:
            if not groups or size + len(record) > PACK_LIMIT:
                groups.append((char, []))
                size = 0
            groups[-1][1].append(record)
            size += len(record)
        numbers = []
        for first, records in groups:
            number = _name((key + first).encode("utf-8"), self.pack_keys)
            self.packs[number] = _pack(records)
            numbers += [number] * len(records)
        return numbers


def _key_postings(keys_by_id: Iterable[Iterable[str]]) -> dict[str, int | list[int]]:
    """Each distinct key with the ids that have it, in id order: a lone id as itself (most keys have one)."""
    postings: dict[str, int | list[int]] = {}
    for identifier, keys in enumerate(keys_by_id):
        for key in set(keys):
            held = postings.get(key)
            if held is None:
                postings[key] = identifier
            elif isinstance(held, int):
                postings[key] = [held, identifier]
            else:
                held.append(identifier)
    return postings


def files(keys_by_id: Iterable[Iterable[str]]) -> tuple[list[bytes], dict[int, bytes], dict[int, bytes], int]:
    """The trie of the keys of each id (ids count from 0, in the order given): root packs (by hash of the first
    character), inner packs and aggregate postings (by file number), and the number of distinct keys."""
    postings = _key_postings(keys_by_id)
    keys = sorted(postings)
    trie = _Trie(keys, [postings[key] for key in keys])
    del postings
    roots = []
    start = 0
    while start < len(keys):
        char = keys[start][0]
        end = start
        while end < len(keys) and keys[end][0] == char:
            end += 1
        roots.append((char, _record(char, trie.node(1, start, end))))
        start = end
    root_count = max(1, -(-sum(len(record) for _, record in roots) // ROOT_PACK_TARGET))
    # Rounded up to a power of two: the count picks every root pack's records, so a count that followed the bytes
    # closely would rewrite all of them when one edit crossed a multiple of ROOT_PACK_TARGET (a corrected name that
    # made 有 a split node shrank the roots by 37 KB and rewrote 73 files of 100,000 enterprises' index).
    root_count = 1 << (root_count - 1).bit_length()
    by_pack: list[list[bytes]] = [[] for _ in range(root_count)]
    for char, record in roots:
        by_pack[fnv1a32(char) % root_count].append(record)
    return [_pack(records) for records in by_pack], trie.packs, trie.aggregates, len(keys)
