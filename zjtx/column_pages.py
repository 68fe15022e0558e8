"""The pages of the 专精特新 column: services and financial products, events and their calendar feed, products.

They are planned and rendered with the rest of the site (zjtx.render), from the column's model (zjtx.column):
which services an enterprise may use on the build day, and whether a service or an event is open, upcoming or over.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterator

from . import column
from .load import Enterprise, Register
from .labels import choices
from .render import Page, Site, is_web_url, segment

# Products a page of the products table loads at once: about 100 KB, so a page view stays far below 500 KB.
PRODUCT_PAGE_ROWS = 1000
PRODUCTS_DATA = "products/data"
EVENTS_FEED = "events.ics"

@dataclass(frozen=True)
class ProductIndustry:
    """The products of one industry's enterprises in the library, cut into pages of PRODUCT_PAGE_ROWS."""

    industry_code: str
    name_zh: str
    categories: list[str]
    rows: list[list]  # [uscc, enterprise name, product name, category index], by category, enterprise, product

    @property
    def pages(self) -> int:
        return -(-len(self.rows) // PRODUCT_PAGE_ROWS)

    def page(self, number: int) -> list[list]:
        return self.rows[(number - 1) * PRODUCT_PAGE_ROWS:number * PRODUCT_PAGE_ROWS]

    def summary(self) -> list:
        """[code, name, products, pages, [[category, products, first page, last page], ...]] for the page script."""
        spans: dict[int, list[int]] = {}  # category index -> [rows, first row, last row]; rows are by category
        for n, row in enumerate(self.rows):
            span = spans.setdefault(row[3], [0, n, n])
            span[0], span[2] = span[0] + 1, n
        categories = [[category, spans[index][0], spans[index][1] // PRODUCT_PAGE_ROWS + 1,
                       spans[index][2] // PRODUCT_PAGE_ROWS + 1] for index, category in enumerate(self.categories)]
        return [self.industry_code, self.name_zh, len(self.rows), self.pages, categories]


class Column:
    """What the column's pages share, computed once per build: states on the as-of day, eligibility, products."""

    def __init__(self, register: Register, as_of: date, members: dict[str, set[str]]):
        self.register = register
        self.as_of = as_of
        in_library = sorted(set().union(*members.values())) if members else []
        # Each enterprise's services, by the one function that answers it (Register.services_for).
        self.eligible = {uscc: register.services_for(uscc, as_of) for uscc in in_library}
        self.eligible_counts: dict[str, int] = defaultdict(int)
        for services in self.eligible.values():
            for service in services:
                self.eligible_counts[service.service_id] += 1
        self.services = sorted(register.services_in_order,
                               key=lambda s: (STATE_ORDER[column.service_state(s, as_of)], s.kind, s.service_id))
        events = sorted(register.events.values(), key=lambda e: (e.starts_on, e.event_id))
        self.upcoming = [e for e in events if column.event_state(e, as_of) != column.PAST]
        self.past = [e for e in reversed(events) if column.event_state(e, as_of) == column.PAST]
        self.products = self._products(in_library)

    @staticmethod
    def choices(group: str) -> list[tuple[str, str]]:
        """(code, word) of a group of labels, for a filter's options."""
        return choices(group)

    def service_state(self, service) -> str:
        return column.service_state(service, self.as_of)

    def event_state(self, event) -> str:
        return column.event_state(event, self.as_of)

    def service_places(self, service) -> str:
        """The data-places attribute of a service row: the codes it reaches, or * for the whole city."""
        return " ".join(sorted(self.register.served_places(service))) if service.district_codes else "*"

    @staticmethod
    def event_json_ld(event) -> dict:
        """schema.org Event for the event page."""
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event.title,
            "startDate": event.starts_on.isoformat(),
            "endDate": event.ends_on.isoformat(),
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": {"@type": "Place", "name": event.venue or event.city,
                         "address": {"@type": "PostalAddress", "addressLocality": event.city, "addressCountry": "CN"}},
            "organizer": {"@type": "Organization", "name": event.organiser},
        }
        if event.description:
            data["description"] = event.description
        if is_web_url(event.source_url):
            data["url"] = event.source_url
        return data

    def participants(self, event) -> list[Enterprise]:
        enterprises = self.register.enterprises
        return sorted((enterprises[u] for u in self.register.participants_by_event.get(event.event_id, [])),
                      key=lambda e: (e.name, e.uscc))

    def _products(self, in_library: list[str]) -> list[ProductIndustry]:
        register = self.register
        by_industry: dict[str, list[tuple]] = defaultdict(list)
        for uscc in in_library:
            enterprise = register.enterprises[uscc]
            for product in register.products_by_uscc.get(uscc, []):
                by_industry[enterprise.industry_code].append(
                    (product.category, enterprise.name, product.product_name, uscc))
        industries = []
        for code in sorted(by_industry):
            entries = sorted(by_industry[code])
            categories = sorted({entry[0] for entry in entries})
            index = {category: n for n, category in enumerate(categories)}
            rows = [[uscc, name, product, index[category]] for category, name, product, uscc in entries]
            industries.append(ProductIndustry(code, register.industries[code].name_zh, categories, rows))
        return industries

    def products_index(self) -> dict:
        return {"pageRows": PRODUCT_PAGE_ROWS, "industries": [industry.summary() for industry in self.products]}


STATE_ORDER = {column.OPEN: 0, column.UPCOMING: 1, column.ENDED: 2}


def plan_column_pages(register: Register, site: Site) -> Iterator[Page]:
    """The column's pages: services, events (with their calendar feed) and products."""
    yield Page("services/index.md", "services.html.j2", "专属服务与金融产品",
               description="在库企业可以申请的专属服务和金融产品，可按类别、融资渠道、层级和区域筛选。")
    for service in register.services_in_order:
        yield Page(f"services/{segment(service.service_id)}.md", "service.html.j2", service.title,
                   {"service": service}, f"{service.title}，{service.provider}")
    yield Page("events/index.md", "events.html.j2", "活动与展会",
               description="专栏组织或推荐的展会、培训、交流和对接活动，以及参加的企业。")
    for event_id in sorted(register.events):
        event = register.events[event_id]
        yield Page(f"events/{segment(event_id)}.md", "event.html.j2", event.title, {"event": event},
                   f"{event.title}，{event.starts_on}，{event.city}")
    yield Page("products/index.md", "products.html.j2", "企业产品",
               description="在库企业的产品，可按行业和类别浏览、按名称查找。")


def write_column_files(site: Site, write) -> None:
    """The calendar feed and the products table's pages, beside the rendered pages (`write(path, text)`, as
    render_site writes pages)."""
    from .ical import events_calendar  # ical uses this module's is_web_url: imported here, not at the top

    write(EVENTS_FEED, events_calendar(site.register).decode("utf-8"))
    for industry in site.column.products:
        for number in range(1, industry.pages + 1):
            data = {"rows": industry.page(number)}
            write(f"{PRODUCTS_DATA}/{segment(industry.industry_code)}-{number}.json",
                  json.dumps(data, ensure_ascii=False, separators=(",", ":")))
