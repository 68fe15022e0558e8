"""The pages of the 专精特新 column: services and financial products, events, and products.

They are planned and rendered with the rest of the site (zjtx.pages); what they show on the day (which services an
enterprise may use, whether a service or an event is open, upcoming or over, whose products are listed) comes from
the register's view of the day (zjtx.view).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from collections.abc import Iterator

from ..labels import choices
from ..urls import is_web_url, segment
from ..view import RegisterView
from .page import Page

# Products a page of the products table loads at once: about 100 KB, so a page view stays far below 500 KB.
PRODUCT_PAGE_ROWS = 1000
PRODUCTS_DATA = "products/data"


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
    """What the column's templates read (`col`): the view's answers, and the presentation of its tables."""

    def __init__(self, view: RegisterView):
        self.view = view
        self.register = view.register
        self.products = self._products()

    @property
    def eligible(self):
        return self.view.eligible

    @property
    def eligible_counts(self):
        return self.view.eligible_counts

    @property
    def services(self):
        return self.view.services_by_state

    @property
    def upcoming(self):
        return self.view.upcoming_events

    @property
    def past(self):
        return self.view.past_events

    @staticmethod
    def choices(group: str) -> list[tuple[str, str]]:
        """(code, word) of a group of labels, for a filter's options."""
        return choices(group)

    def service_state(self, service) -> str:
        return self.view.service_state(service)

    def event_state(self, event) -> str:
        return self.view.event_state(event)

    def participants(self, event):
        return self.view.participants(event)

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

    def _products(self) -> list[ProductIndustry]:
        industries = []
        for code, entries in self.view.products_by_industry.items():
            categories = sorted({entry.category for entry in entries})
            index = {category: n for n, category in enumerate(categories)}
            rows = [[e.uscc, e.enterprise_name, e.product_name, index[e.category]] for e in entries]
            industries.append(ProductIndustry(code, self.register.industries[code].name_zh, categories, rows))
        return industries

    def products_index(self) -> dict:
        return {"pageRows": PRODUCT_PAGE_ROWS, "industries": [industry.summary() for industry in self.products]}


def plan_column_pages(view: RegisterView) -> Iterator[Page]:
    """The column's pages: services, events and products."""
    register = view.register
    yield Page("services/index.md", "services.html.j2", "专属服务与金融产品",
               description="在库企业可以申请的专属服务和金融产品，可按类别、融资渠道、层级和区域筛选。")
    for service in register.services_in_order:
        holders = [c for tier_id in service.tier_ids for c in view.certifications_of_tier(tier_id)]
        yield Page(f"services/{segment(service.service_id)}.md", "service.html.j2", service.title,
                   {"service": service}, f"{service.title}，{service.provider}",
                   pub_date=view.changed_on(holders, [service]))
    yield Page("events/index.md", "events.html.j2", "活动与展会",
               description="专栏组织或推荐的展会、培训、交流和对接活动，以及参加的企业。")
    for event_id in sorted(register.events):
        event = register.events[event_id]
        yield Page(f"events/{segment(event_id)}.md", "event.html.j2", event.title, {"event": event},
                   f"{event.title}，{event.starts_on}，{event.city}", pub_date=view.changed_on(events=[event]))
    yield Page("products/index.md", "products.html.j2", "企业产品",
               description="在库企业的产品，可按行业和类别浏览、按名称查找。")


def write_product_pages(col: Column, write) -> None:
    """The products table's pages of data, beside the rendered pages (`write(path, text)`, as pages are written)."""
    for industry in col.products:
        for number in range(1, industry.pages + 1):
            data = {"rows": industry.page(number)}
            write(f"{PRODUCTS_DATA}/{segment(industry.industry_code)}-{number}.json",
                  json.dumps(data, ensure_ascii=False, separators=(",", ":")))
