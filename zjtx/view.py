"""The register on a day: the one object every output of a build reads.

A build describes one day, its as-of day. Pages, API files, feeds, the calendar, page tables, search shards and
downloads all take a `RegisterView` and ask it what holds that day: who is in which tier's library, how each
certification stands, which services an enterprise may use, what each table lists. It is built once per build,
from the loaded register (zjtx.load) and the day; its answers come from the rules of zjtx.library and
zjtx.column, so that no output decides a fact for itself and no output reads another output.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from . import column, library, stats
from .load import Announcement, Certification, DistrictLiaison, Enterprise, Event, Register, Service, Tier
from .search import normalise


ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class TableRow:
    """One enterprise of a tier or district table: the tier it is listed under, the year it entered that tier, and
    the standing of its latest listing there on the day."""

    uscc: str
    tier_id: str
    district_code: str
    year: int
    status: str


@dataclass(frozen=True)
class ProductEntry:
    """A product of an enterprise in the library, as the products table lists it."""

    category: str
    enterprise_name: str
    product_name: str
    uscc: str


class RegisterView:
    """The register on `day`; its look-ups are computed once, when first asked for."""

    def __init__(self, register: Register, day: date):
        self.register = register
        self.day = day
        self._open_services: dict[date, list[Service]] = {}

    def __getattr__(self, name: str):
        # The records and the look-ups that do not depend on the day are the register's: the view of a day shows
        # them as they are (view.enterprises, view.certifications_by_uscc, view.ban(c), ...).
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.register, name)

    @property
    def as_of(self) -> date:
        return self.day

    # Certifications on the day (zjtx.library).

    def held_on(self, certification: Certification, day: date | None = None) -> bool:
        return library.held_on(certification, day or self.day)

    def standing(self, certification: Certification, day: date | None = None) -> str:
        """How the row stands on the day (library.STANDINGS): held, lapsed, expired, removed, revoked or pending."""
        return library.standing(certification, day or self.day)

    def known(self, certification: Certification) -> bool:
        """Whether the register on the day holds the row at all: its notice was published by then. A known row
        certified after the day is pending (尚未生效); a row announced later is not yet part of the register."""
        notice = self.register.announcements.get(certification.announcement_id)
        return notice is not None and notice.published_on <= self.day

    def history(self, uscc: str) -> list[Certification]:
        """The enterprise's certifications the register holds on the day, oldest first: what its page, its API file
        and every table show of it."""
        return [c for c in self.register.certifications_by_uscc.get(uscc, []) if self.known(c)]

    def ban_of(self, certification: Certification):
        """The ban on recommendation the row's revocation started, once the revocation has taken effect by the day
        (library.starts_ban, library.ban_after)."""
        return self.register.ban(certification) if self.standing(certification) == "revoked" else None

    def notice(self, announcement_id: str) -> Announcement | None:
        """An announcement, if it was published by the day (a later one is not yet part of the register)."""
        announcement = self.register.announcements.get(announcement_id)
        return announcement if announcement is not None and announcement.published_on <= self.day else None

    def tiers_held(self, uscc: str, day: date | None = None) -> list[Tier]:
        """Tiers whose library the enterprise is in on the day (or on another day: an event's), lowest rung first."""
        day = day or self.day
        ids = {c.tier_id for c in self.register.certifications_by_uscc.get(uscc, []) if library.held_on(c, day)}
        return [t for t in self.tiers_by_rank if t.tier_id in ids]

    @cached_property
    def members(self) -> dict[str, set[str]]:
        """The enterprises in each tier's library on the day, by tier."""
        return self.members_on(self.day)

    def members_on(self, day: date | None = None) -> dict[str, set[str]]:
        """The enterprises in each tier's library on the day, or on another (the statistics' year ends, targets)."""
        return library.members_on(self.register.certifications, self.register.tiers, day or self.day)

    @cached_property
    def city_count(self) -> int:
        """Enterprises in any library on the day, each counted once whatever its tiers."""
        return len(set().union(*self.members.values()))

    @cached_property
    def in_library(self) -> list[str]:
        """USCCs of the enterprises in any library on the day, in order."""
        return sorted(set().union(*self.members.values())) if self.members else []

    @cached_property
    def target_outcomes(self) -> dict[str, stats.TargetOutcome]:
        """Each tier's latest target against its count on the target's due day."""
        return stats.target_outcomes(self)

    # When what a page shows last changed.

    def changed_on(self, certifications=(), services=(), events=(), days=()) -> date | None:
        """The latest day, up to the view's, on which how any of these stands changed: a certification's first
        day, the day after its term, the day its removal or revocation took effect; a service's or an event's first
        day and the day after its last; and any of `days` (an announcement's publication). A page that shows only
        these reads the same from that day to the view's day: it is dated by it, not by the build's day, so a
        rebuild on the next day leaves it as it was."""
        candidates = list(days)
        for c in certifications:
            candidates.append(c.certified_on)
            if c.valid_until is not None:
                candidates.append(c.valid_until + ONE_DAY)
            if c.status in library.ENDED_BY_NOTICE and c.status_on is not None:
                candidates.append(c.status_on)
        for s in services:
            candidates.append(s.valid_from)
            if s.valid_until is not None:
                candidates.append(s.valid_until + ONE_DAY)
        for e in events:
            candidates += [e.starts_on, e.ends_on + ONE_DAY]
        return max((day for day in candidates if day is not None and day <= self.day), default=None)

    def enterprise_changed_on(self, uscc: str) -> date | None:
        """The latest day a fact about the enterprise changed: its certifications and their notices, the services
        its tiers open to it, the events it took part in (its page and its API file are dated by it)."""
        register = self.register
        certifications = register.certifications_by_uscc.get(uscc, [])
        notices = {c.announcement_id for c in certifications} | {c.status_announcement_id for c in certifications}
        days = [register.announcements[a].published_on for a in notices if a in register.announcements]
        return self.changed_on(certifications, self.services_of(uscc), register.events_by_uscc.get(uscc, []), days)

    def certifications_of_tier(self, tier_id: str) -> list[Certification]:
        return self._by_tier.get(tier_id, [])

    @cached_property
    def _by_tier(self) -> dict[str, list[Certification]]:
        by_tier: dict[str, list[Certification]] = defaultdict(list)
        for certification in self.register.certifications:
            by_tier[certification.tier_id].append(certification)
        return by_tier

    def certifications_of_place(self, code: str) -> list[Certification]:
        """The certifications of the enterprises a district or zone lists: registered there, or recommended by it."""
        by_uscc = self.register.certifications_by_uscc
        return [c for row in self.district_rows.get(code, []) for c in by_uscc.get(row.uscc, [])]

    def services_of(self, uscc: str) -> list[Service]:
        """The services the enterprise could become eligible for: those of a tier it has ever been certified in."""
        tiers = {c.tier_id for c in self.register.certifications_by_uscc.get(uscc, [])}
        return [s for s in self.register.services_in_order if not tiers.isdisjoint(s.tier_ids)]

    # Announcements and their lists.

    @cached_property
    def _lists(self) -> tuple[dict[str, list[Certification]], dict[str, list[Certification]]]:
        listed_by: dict[str, list[Certification]] = defaultdict(list)
        changed_by: dict[str, list[Certification]] = defaultdict(list)
        for certification in self.register.certifications:
            listed_by[certification.announcement_id].append(certification)
            if certification.status_announcement_id:
                changed_by[certification.status_announcement_id].append(certification)
        return listed_by, changed_by

    @cached_property
    def announcements_newest_first(self) -> list[Announcement]:
        """Every announcement published by the day, newest first."""
        return sorted((a for a in self.register.announcements.values() if a.published_on <= self.day),
                      key=lambda a: (a.published_on, a.announcement_id), reverse=True)

    def announcement_rows(self, announcement: Announcement) -> list[Certification]:
        """The rows of the list as the announcement published it (or the rows whose status it changed)."""
        listed_by, changed_by = self._lists
        if announcement.kind in ("removal", "revocation"):
            rows = changed_by[announcement.announcement_id]
        else:
            rows = listed_by[announcement.announcement_id]
        enterprises = self.register.enterprises
        return sorted(rows, key=lambda c: (c.recommended_by, enterprises[c.uscc].name, c.uscc))

    # Places: districts and the zones that recommend.

    @cached_property
    def zones(self) -> dict[str, list]:
        """The zones of each district, by the district's code."""
        zones: dict[str, list] = defaultdict(list)
        for district in self.register.districts.values():
            if district.parent_code:
                zones[district.parent_code].append(district)
        return zones

    @cached_property
    def _place_members(self) -> dict[tuple[str, str], set[str]]:
        members: dict[tuple[str, str], set[str]] = defaultdict(set)
        for certification in self.register.certifications:
            if self.held_on(certification):
                places = {self.register.enterprises[certification.uscc].district_code, certification.recommended_by}
                for place in places:
                    members[place, certification.tier_id].add(certification.uscc)
        return members

    def place_count(self, district_code: str, tier_id: str | None = None) -> int:
        """Enterprises in the library on the day that are registered in, or were recommended by, the district or
        zone."""
        members = self._place_members
        if tier_id:
            return len(members.get((district_code, tier_id), ()))
        return len(set().union(*(members.get((district_code, t), set()) for t in self.register.tiers)))

    def places(self, uscc: str, day: date | None = None) -> list[str]:
        """Where the enterprise belongs for a service's `districts`: its district, and the zones that recommended
        the certifications it holds on the day (an enterprise in TEDA is registered in 滨海新区)."""
        places = [self.register.enterprises[uscc].district_code]
        for certification in self.register.certifications_by_uscc.get(uscc, []):
            if self.held_on(certification, day) and certification.recommended_by not in places:
                places.append(certification.recommended_by)
        return places

    def liaisons_for(self, uscc: str, day: date | None = None) -> list[DistrictLiaison]:
        """The liaison (包联) offices of the enterprise's places, its district first."""
        liaisons = self.register.district_liaisons
        return [liaisons[code] for code in self.places(uscc, day) if code in liaisons]

    # Tables of the tier and district pages (and their API files and downloads).

    @cached_property
    def tier_rows(self) -> dict[str, list[TableRow]]:
        """Every enterprise ever listed in each tier: the year it entered and the status of its latest listing."""
        histories: dict[tuple[str, str], list[Certification]] = defaultdict(list)
        for certification in self.register.certifications:
            if self.known(certification):
                histories[certification.tier_id, certification.uscc].append(certification)
        rows: dict[str, list[TableRow]] = {tier_id: [] for tier_id in self.register.tiers}
        for (tier_id, uscc), history in histories.items():
            history.sort(key=lambda c: c.certified_on)
            status = self.standing(history[-1])
            rows[tier_id].append(self._row(uscc, tier_id, history[0].certified_on.year, status))
        return rows

    @cached_property
    def district_rows(self) -> dict[str, list[TableRow]]:
        """The enterprises of each district or zone: registered there, or recommended by it."""
        members: dict[str, set[str]] = defaultdict(set)
        for enterprise in self.register.enterprises.values():
            members[enterprise.district_code].add(enterprise.uscc)
        for certification in self.register.certifications:
            if self.known(certification):
                members[certification.recommended_by].add(certification.uscc)
        return {code: [self._headline_row(uscc) for uscc in sorted(members.get(code, ()))]
                for code in self.register.districts}

    def _headline_row(self, uscc: str) -> TableRow:
        """An enterprise under its highest tier held now, or else under its latest listing; the year is that tier's."""
        history = self.history(uscc)
        tiers = self.register.tiers
        held = [c for c in history if self.held_on(c)]
        if held:
            headline = max(held, key=lambda c: (tiers[c.tier_id].rank, c.certified_on))
        elif history:
            headline = max(history, key=lambda c: (c.certified_on, tiers[c.tier_id].rank))
        else:
            return self._row(uscc, "", 0, "")
        first = min(c.certified_on for c in history if c.tier_id == headline.tier_id)
        return self._row(uscc, headline.tier_id, first.year, self.standing(headline))

    def _row(self, uscc: str, tier_id: str, year: int, status: str) -> TableRow:
        return TableRow(uscc, tier_id, self.register.enterprises[uscc].district_code, year, status)

    @cached_property
    def enterprise_order(self) -> list[str]:
        """USCCs in the order of the search index's ids: highest current tier first, then district, then name, so
        that the index's groups are contiguous and every table can name its rows by id."""
        def key(uscc: str):
            ranks = sorted((tier.rank for tier in self.tiers_held(uscc)), reverse=True)
            enterprise = self.register.enterprises[uscc]
            return (not ranks, [-rank for rank in ranks], enterprise.district_code, normalise(enterprise.name), uscc)

        return sorted(self.register.enterprises, key=key)

    @cached_property
    def enterprise_ids(self) -> dict[str, int]:
        """An enterprise's id in the search index (its place in enterprise_order)."""
        return {uscc: i for i, uscc in enumerate(self.enterprise_order)}

    # The column (专精特新专栏): services, events and products on the day.

    def service_state(self, service: Service) -> str:
        return column.service_state(service, self.day)

    def event_state(self, event: Event) -> str:
        return column.event_state(event, self.day)

    def open_services(self, day: date | None = None) -> list[Service]:
        """The services offered on the day (asked for once per enterprise: kept for each day)."""
        day = day or self.day
        if day not in self._open_services:
            self._open_services[day] = [s for s in self.register.services_in_order
                                        if column.service_state(s, day) == column.OPEN]
        return self._open_services[day]

    def services_for(self, uscc: str, day: date | None = None) -> list[Service]:
        """Services offered on the day that the enterprise's tiers held that day and its places make it eligible
        for."""
        tier_ids = {tier.tier_id for tier in self.tiers_held(uscc, day)}
        if not tier_ids:
            return []
        places = self.places(uscc, day)
        return [
            service for service in self.open_services(day)
            if not tier_ids.isdisjoint(service.tier_ids)
            and (not service.district_codes or not self.register.served_places(service).isdisjoint(places))
        ]

    @cached_property
    def eligible(self) -> dict[str, list[Service]]:
        """Each enterprise in the library, with the services it may use on the day (services_for)."""
        return {uscc: self.services_for(uscc) for uscc in self.in_library}

    @cached_property
    def eligible_counts(self) -> dict[str, int]:
        """How many enterprises in the library may use each service on the day."""
        counts: dict[str, int] = defaultdict(int)
        for services in self.eligible.values():
            for service in services:
                counts[service.service_id] += 1
        return counts

    @cached_property
    def services_by_state(self) -> list[Service]:
        """Every service, those open on the day first, then upcoming, then ended; by kind and id within each."""
        order = {column.OPEN: 0, column.UPCOMING: 1, column.ENDED: 2}
        return sorted(self.register.services_in_order,
                      key=lambda s: (order[self.service_state(s)], s.kind, s.service_id))

    @cached_property
    def _events_in_order(self) -> list[Event]:
        return sorted(self.register.events.values(), key=lambda e: (e.starts_on, e.event_id))

    @cached_property
    def upcoming_events(self) -> list[Event]:
        """Events not yet over on the day, soonest first."""
        return [e for e in self._events_in_order if self.event_state(e) != column.PAST]

    @cached_property
    def past_events(self) -> list[Event]:
        """Events over by the day, latest first."""
        return [e for e in reversed(self._events_in_order) if self.event_state(e) == column.PAST]

    def participants(self, event: Event) -> list[Enterprise]:
        enterprises = self.register.enterprises
        return sorted((enterprises[u] for u in self.register.participants_by_event.get(event.event_id, [])),
                      key=lambda e: (e.name, e.uscc))

    @cached_property
    def products_by_industry(self) -> dict[str, list[ProductEntry]]:
        """The products of the enterprises in the library, by industry code; by category, enterprise name and
        product within each."""
        by_industry: dict[str, list[ProductEntry]] = defaultdict(list)
        for uscc in self.in_library:
            enterprise = self.register.enterprises[uscc]
            for product in self.register.products_by_uscc.get(uscc, []):
                by_industry[enterprise.industry_code].append(
                    ProductEntry(product.category, enterprise.name, product.product_name, uscc))
        return {code: sorted(by_industry[code], key=lambda e: (e.category, e.enterprise_name, e.product_name, e.uscc))
                for code in sorted(by_industry)}
