"""The Atom feed /feed.xml: announcements and releases, newest first, written with feedgen.

feedgen builds the XML with lxml, so titles and summaries are text, never markup. Entry ids are tag URIs that do
not depend on where the site is served; links are relative to the feed, or absolute when the site's URL is known.
Nothing in the feed depends on the time of the build: the feed is dated by its newest entry.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from feedgen.feed import FeedGenerator

from .labels import label
from .urls import segment
from .view import RegisterView

FEED_FILE = "feed.xml"
MAX_ENTRIES = 200
CHINA_TIME = timezone(timedelta(hours=8))
TAG_BASE = "tag:tianjin-zjtx-register,2021:"


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=CHINA_TIME)


def feed_entries(view: RegisterView, releases) -> list[dict]:
    """Announcements published by the view's day and releases, newest first, at most MAX_ENTRIES."""
    register, as_of = view.register, view.day
    entries = []
    for a in register.announcements.values():
        if a.published_on > as_of:
            continue
        tier = register.tiers[a.tier_id].name_zh if a.tier_id in register.tiers else a.tier_id
        summary = "；".join(part for part in (a.doc_number, a.issuer, f"{tier} · {label('kind', a.kind)}") if part)
        entries.append({"id": f"{TAG_BASE}announcement/{a.announcement_id}", "title": a.title, "day": a.published_on,
                        "link": f"announcements/{segment(a.announcement_id)}/", "summary": summary,
                        "category": "公告"})
    for release in releases:
        entries.append({"id": f"{TAG_BASE}release/{release.version}", "title": f"数据发布 {release.version}",
                        "day": release.day, "link": f"changelog/#v{release.version}",
                        "summary": release.summary or "首个发布版本", "category": "数据发布"})
    entries.sort(key=lambda e: (e["day"], e["id"]), reverse=True)
    return entries[:MAX_ENTRIES]


def write_feed(view: RegisterView, releases, site_dir: Path, site_url: str = "") -> Path:
    register, as_of = view.register, view.day
    base = site_url.rstrip("/") + "/" if site_url else ""
    entries = feed_entries(view, releases)
    feed = FeedGenerator()
    feed.id(f"{TAG_BASE}feed")
    feed.title(register.descriptor.get("title", "register"))
    feed.subtitle("认定公告与数据发布")
    feed.language("zh-CN")
    feed.link(href=f"{base}{FEED_FILE}", rel="self")
    feed.link(href=base or "./", rel="alternate")
    feed.author({"name": register.descriptor.get("title", "register")})
    feed.updated(_moment(entries[0]["day"] if entries else as_of))
    # feedgen puts the entry added last at the top; add the oldest first.
    for item in reversed(entries):
        entry = feed.add_entry()
        entry.id(item["id"])
        entry.title(item["title"])
        entry.link(href=f"{base}{item['link']}")
        entry.summary(item["summary"])
        entry.category(term=item["category"])
        entry.published(_moment(item["day"]))
        entry.updated(_moment(item["day"]))
    target = site_dir / FEED_FILE
    feed.atom_file(str(target), pretty=True)
    return target
