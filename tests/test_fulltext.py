"""The full-text index (Pagefind) holds what people search as documents: policy text and announcement titles and
facts, not the enterprise lists of announcement pages (those are found by the enterprise search)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from zjtx.load import load_register
from zjtx.search import write_fulltext_index

# What Pagefind writes before the JSON of a fragment, once the file is un-gzipped.
FRAGMENT_SIGNATURE = b"pagefind_dcd"


def fragments(site: Path) -> dict[str, dict]:
    """Every fragment of the site's full-text index, by the URL of its page."""
    found = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(FRAGMENT_SIGNATURE), path
        fragment = json.loads(data[len(FRAGMENT_SIGNATURE):])
        found[fragment["url"]] = fragment
    return found


def plain(text: str) -> str:
    # Pagefind separates the words it found in Chinese text with zero-width spaces.
    return text.replace("\u200b", "")


def write_page(site: Path, url: str, body: str) -> None:
    page = site / url.strip("/") / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(f"<!doctype html><html lang=zh><title>t</title><article>{body}</article></html>", encoding="utf-8")


def test_a_list_marked_data_pagefind_ignore_stays_out_of_the_index(tmp_path):
    """The mechanism, on two hand-written pages: the same list is indexed unless it is marked."""
    site = tmp_path / "site"
    rows = "".join(f"<tr><td>天津示例精密{n}有限公司</td></tr>" for n in range(50))
    write_page(site, "/announcements/marked/", f"<h1>认定名单的通知</h1><table data-pagefind-ignore>{rows}</table>")
    write_page(site, "/announcements/unmarked/", f"<h1>认定名单的通知</h1><table>{rows}</table>")
    figures = write_fulltext_index(site)
    assert figures["pages"] == 2
    found = fragments(site)
    assert "天津示例精密0有限公司" in plain(found["/announcements/unmarked/"]["content"])
    marked = plain(found["/announcements/marked/"]["content"])
    assert "认定名单的通知" in marked and "精密" not in marked


def test_announcement_pages_are_indexed_without_their_enterprise_lists(demo_site, demo_package):
    register = load_register(demo_package)
    found = fragments(demo_site)
    announcements = {url: f for url, f in found.items() if url.startswith("/announcements/")}
    assert len(announcements) == len(register.announcements)
    names = [e.name for e in register.enterprises.values()]
    for announcement in register.announcements.values():
        content = plain(announcements[f"/announcements/{announcement.announcement_id}/"]["content"])
        assert announcement.title in content
        if announcement.doc_number:
            assert announcement.doc_number in content
        assert not [name for name in names if name in content], announcement.announcement_id
        # A fragment is what a search downloads for each hit: a few hundred bytes, not a list of thousands.
        assert len(content.encode()) < 2_000, announcement.announcement_id


def test_policy_pages_keep_their_whole_text_in_the_index(demo_site, demo_package):
    register = load_register(demo_package)
    found = fragments(demo_site)
    for policy in register.policies.values():
        content = plain(found[f"/policies/{policy.policy_id}/"]["content"])
        text = register.policy_text(policy)
        assert "两年内不再受理推荐" in content or "两年内不再受理推荐" not in text
        assert len(content) > 0.5 * len(text)
