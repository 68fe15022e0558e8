"""The column's events as an iCalendar feed (RFC 5545), written with the `icalendar` library.

Calendar programs import /events.ics. Events are all-day: DTEND is the day after the last day, as RFC 5545 asks
of a DATE value. DTSTAMP is the latest day the events (or the register's policies) changed, not the build's: the
same data give the same bytes on any later day.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, UTC
from pathlib import Path

from icalendar import Calendar, Event

from .column import EVENT_KIND_NAMES
from .urls import is_web_url
from .view import RegisterView

PRODID = "-//tianjin-zjtx-register//events//ZH"
UID_DOMAIN = "tianjin-zjtx-register"  # an event's UID stays the same across builds and releases
CALENDAR_NAME = "天津市专精特新专栏活动"


EVENTS_FEED = "events.ics"


def events_calendar(view: RegisterView) -> bytes:
    """Every event of the register, oldest first."""
    register = view.register
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    changed = view.changed_on(events=register.events.values(), days=[p.issued_on for p in register.policies.values()])
    stamp = datetime.combine(changed or view.day, time(0), tzinfo=UTC)
    for event in sorted(register.events.values(), key=lambda e: (e.starts_on, e.event_id)):
        entry = Event()
        entry.add("uid", f"{event.event_id}@{UID_DOMAIN}")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.starts_on)
        entry.add("dtend", event.ends_on + timedelta(days=1))
        entry.add("summary", event.title)
        entry.add("location", "，".join(part for part in (event.city, event.venue) if part))
        tiers = "、".join(register.tiers[t].name_zh for t in event.tier_ids if t in register.tiers)
        lines = [event.description, f"主办单位：{event.organiser}", f"面向：{tiers}"]
        entry.add("description", "\n".join(line for line in lines if line))
        entry.add("categories", [EVENT_KIND_NAMES.get(event.kind, event.kind)])
        if is_web_url(event.source_url):
            entry.add("url", event.source_url)
        calendar.add_component(entry)
    return calendar.to_ical()


def write_calendar(view: RegisterView, site_dir: Path) -> Path:
    target = site_dir / EVENTS_FEED
    target.write_bytes(events_calendar(view))
    return target
