"""Subscriptions: an Atom feed of new designations beside every tier's and every district's page (zjtx/feed.py),
linked from those pages, with stable entry ids and nothing from the clock."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

from conftest import SITE_AS_OF
from zjtx import feed
from packages import view_of

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def entries(path):
    root = ET.parse(path).getroot()
    return root, root.findall("a:entry", ATOM)


def test_a_district_feed_lists_its_designations_newest_first(demo_site, demo_package):
    register = view_of(demo_package, SITE_AS_OF)
    code = "120116"
    expected = sorted(
        (c for c in register.certifications if c.certified_on <= SITE_AS_OF
         and code in (register.enterprises[c.uscc].district_code, c.recommended_by)),
        key=lambda c: (c.certified_on, f"{c.uscc}/{c.tier_id}/{c.announcement_id}"), reverse=True)[:feed.MAX_ENTRIES]
    root, found = entries(demo_site / "districts" / code / "feed.xml")
    assert root.findtext("a:title", namespaces=ATOM) == "滨海新区：新认定企业"
    assert [e.findtext("a:id", namespaces=ATOM) for e in found] == [
        f"{feed.TAG_BASE}designation/{c.uscc}/{c.tier_id}/{c.announcement_id}" for c in expected]
    days = [e.findtext("a:updated", namespaces=ATOM)[:10] for e in found]
    assert days == sorted(days, reverse=True) and days
    first = found[0]
    assert register.enterprises[expected[0].uscc].name in first.findtext("a:title", namespaces=ATOM)
    assert first.find("a:category", ATOM).get("term") == register.tiers[expected[0].tier_id].name_zh
    link = first.find("a:link", ATOM).get("href")
    assert link == f"../../enterprises/{expected[0].uscc}/"
    assert (demo_site / "districts" / code / link / "index.html").resolve().exists()


def test_a_tier_feed_holds_that_tier_only(demo_site, demo_package):
    register = view_of(demo_package, SITE_AS_OF)
    for tier_id in register.tiers:
        _, found = entries(demo_site / "tiers" / tier_id / "feed.xml")
        count = sum(c.tier_id == tier_id and c.certified_on <= SITE_AS_OF for c in register.certifications)
        assert len(found) == min(count, feed.MAX_ENTRIES)
        assert {e.find("a:category", ATOM).get("term") for e in found} <= {register.tiers[tier_id].name_zh}


def test_tier_and_district_pages_link_their_feeds(demo_site):
    for page in ("tiers/little_giant/index.html", "districts/120116/index.html"):
        html = (demo_site / page).read_text(encoding="utf-8")
        assert '<link rel="alternate" type="application/atom+xml"' in html and 'href="feed.xml"' in html
        assert html.count('href="feed.xml"') == 2  # the head's link and the visible one


def test_feeds_do_not_change_on_the_next_day(demo_package, tmp_path):
    """A rebuild the next day with no new data writes the same feeds, ids and dates included."""
    register = view_of(demo_package, SITE_AS_OF)
    today, tomorrow = tmp_path / "today", tmp_path / "tomorrow"
    feed.write_place_feeds(register, today)
    later = SITE_AS_OF + timedelta(days=1)
    assert not any(c.certified_on == later for c in register.certifications)  # else the feeds must change
    feed.write_place_feeds(view_of(demo_package, later), tomorrow)
    files = sorted(p.relative_to(today) for p in today.rglob("feed.xml"))
    assert len(files) > 10
    assert all((today / f).read_bytes() == (tomorrow / f).read_bytes() for f in files)


def test_an_absolute_site_url_makes_absolute_links(demo_package, tmp_path):
    register = view_of(demo_package, SITE_AS_OF)
    feed.write_place_feeds(register, tmp_path, site_url="https://example.org/zjtx")
    root, found = entries(tmp_path / "tiers" / "seed" / "feed.xml")
    assert root.find("a:link[@rel='self']", ATOM).get("href") == "https://example.org/zjtx/tiers/seed/feed.xml"
    assert found and all(e.find("a:link", ATOM).get("href").startswith("https://example.org/zjtx/enterprises/")
                         for e in found)
