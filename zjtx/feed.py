"""The Atom feeds, written with feedgen: /feed.xml (announcements and releases, newest first), and one feed of
new designations beside every tier's and every district's page (tiers/<tier_id>/feed.xml,
districts/<district_code>/feed.xml: "new 小巨人 in 滨海新区" is the district's feed, each entry in its tier's
category).

feedgen builds the XML with lxml, so titles and summaries are text, never markup. Entry ids are tag URIs that do
not depend on where the site is served; links are relative to the feed, or absolute when the site's URL is known.
Nothing in the feeds depends on the time of the build: a feed is dated by its newest entry.
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
    base = site_url.rstrip("/") + "/" if site_url else ""
    return _write(view, feed_entries(view, releases), view.day, site_dir, "", base, f"{TAG_BASE}feed",
                  view.register.package.title, "认定公告与数据发布")


# What a certification row's announcement made of it, in an entry's title.
DESIGNATED = {"designation": "认定为", "review": "复核通过：", "publicity": "公示为拟认定"}


def designation_entries(view: RegisterView, tier_id: str | None = None,
                        district_code: str | None = None) -> list[dict]:
    """The designations of a tier, or of a district or zone (the enterprises registered there or recommended by
    it, as on its page), in effect by the view's day: newest first, at most MAX_ENTRIES. Links are from the site's
    root."""
    register = view.register
    entries = []
    for c in register.certifications:
        if not view.known(c) or view.standing(c) == "pending" or (tier_id and c.tier_id != tier_id):
            continue
        enterprise = register.enterprises[c.uscc]
        if district_code and district_code not in (enterprise.district_code, c.recommended_by):
            continue
        tier = register.tiers[c.tier_id].name_zh
        announcement = register.announcements[c.announcement_id]
        words = DESIGNATED.get(announcement.kind, "列入")
        notice = announcement.title + (f"（{announcement.doc_number}）" if announcement.doc_number else "")
        summary = "；".join((f"{register.districts[enterprise.district_code].name_zh}", f"{tier}，{words.rstrip('：')}",
                            f"推荐单位：{register.districts[c.recommended_by].name_zh}", f"依据：{notice}"))
        entries.append({"id": f"{TAG_BASE}designation/{c.uscc}/{c.tier_id}/{c.announcement_id}",
                        "title": f"{enterprise.name}{words}{tier}", "day": c.certified_on,
                        "link": f"enterprises/{segment(c.uscc)}/", "summary": summary, "category": tier})
    entries.sort(key=lambda e: (e["day"], e["id"]), reverse=True)
    return entries[:MAX_ENTRIES]


def write_place_feeds(view: RegisterView, site_dir: Path, site_url: str = "") -> int:
    """The feed of new designations beside every tier's and every district's page; returns how many."""
    register, as_of = view.register, view.day
    base = site_url.rstrip("/") + "/" if site_url else "../../"  # the feeds lie two folders below the root
    # A feed without entries is dated by the register's latest announcement, not by the build's day: a rebuild on
    # the next day leaves it as it was.
    quiet = max((a.published_on for a in register.announcements.values() if a.published_on <= as_of), default=as_of)
    count = 0
    for tier_id in sorted(register.tiers):
        folder = f"tiers/{segment(tier_id)}/"
        name = register.tiers[tier_id].name_zh
        _write(view, designation_entries(view, tier_id=tier_id), quiet, site_dir, folder, base,
               f"{TAG_BASE}feed/tier/{tier_id}", f"{name}：新认定", f"{name}的认定与复核，从新到旧")
        count += 1
    for code in sorted(register.districts):
        folder = f"districts/{segment(code)}/"
        name = register.districts[code].name_zh
        _write(view, designation_entries(view, district_code=code), quiet, site_dir, folder, base,
               f"{TAG_BASE}feed/district/{code}", f"{name}：新认定企业",
               f"注册在{name}或由其推荐的企业的认定与复核，从新到旧；条目按层级分类")
        count += 1
    return count


def _write(view: RegisterView, entries: list[dict], empty_day: date, site_dir: Path, folder: str, base: str,
           feed_id: str, title: str, subtitle: str) -> Path:
    """An Atom feed of `entries` at site_dir/folder/feed.xml; links are `base` + the entries' links from the root
    (base: the site's URL, or the way from the feed's folder to the root). Dated by its newest entry, else by
    `empty_day`."""
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.subtitle(subtitle)
    feed.language("zh-CN")
    own = site_url_of(base)
    feed.link(href=f"{own}{folder}{FEED_FILE}" if own else FEED_FILE, rel="self")
    feed.link(href=f"{own}{folder}" if own else "./", rel="alternate")
    feed.author({"name": view.register.package.title})
    feed.updated(_moment(entries[0]["day"] if entries else empty_day))
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
    target = site_dir / folder / FEED_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    feed.atom_file(str(target), pretty=True)
    return target


def site_url_of(base: str) -> str:
    """The site's URL when links are absolute; "" when they are relative to the feed."""
    return base if base.startswith(("https://", "http://")) else ""
