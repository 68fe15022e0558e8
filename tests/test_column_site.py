"""The column's pages: services, events with their calendar feed, products, and what an enterprise page adds."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest

from conftest import HOSTILE
from packages import AS_OF, edit_descriptor, make_good_package, set_cell, view_of
from test_site import PAGE_WEIGHT_LIMIT, Page, html_pages, page_weight
from zjtx import column
from zjtx.ical import events_calendar
from zjtx.load import load_register
from zjtx.pages.column import PRODUCT_PAGE_ROWS
from zjtx.search import write_fulltext_index
from packages import build

E1, E2, E3 = "911201163000000101", "91120111300000010Q", "911201013000000109"


@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> tuple[Path, Path]:
    package = make_good_package(tmp_path_factory.mktemp("column-package"))
    out = tmp_path_factory.mktemp("column-site") / "site"
    build(package, out, AS_OF)
    return package, out


def links(path: Path) -> list[str]:
    return [url for tag, attribute, url in Page(path).links if tag == "a" and attribute == "href"]


# Pages and navigation ---------------------------------------------------------------------------------------------


def test_every_service_and_event_has_its_page(demo_site, demo_package):
    register = load_register(demo_package)
    expected = ["services/", "events/", "products/"]
    expected += [f"services/{s}/" for s in register.services]
    expected += [f"events/{e}/" for e in register.events]
    assert register.services and register.events
    assert [url for url in expected if not (demo_site / url / "index.html").is_file()] == []


def test_home_page_and_navigation_lead_to_the_column(demo_site):
    home = demo_site / "index.html"
    for target in ("services/", "events/", "products/"):
        assert target in links(home)
        assert target in Page(home).nav_links
    announcement = next((demo_site / "announcements").glob("*/index.html"))
    assert "../../services/" in Page(announcement).nav_links
    enterprise = next((demo_site / "enterprises").glob("*/index.html"))
    assert "../../services/" in links(enterprise)  # its services, listed in the page (it has no menu)


def test_data_dictionary_shows_the_column_resources(demo_site):
    html = (demo_site / "data" / "index.html").read_text(encoding="utf-8")
    for name, field in [("services", "eligible_tiers"), ("events", "starts_on"), ("event_participants", "uscc"),
                        ("district_liaisons", "contact")]:
        assert f'id="{name}"' in html
        assert f"<code>{field}</code>" in html


def test_column_pages_stay_under_500_kb(demo_site):
    for path in ["services/index.html", "events/index.html", "products/index.html",
                 next((demo_site / "events").glob("*/index.html")).relative_to(demo_site)]:
        assert page_weight(demo_site, demo_site / path) <= PAGE_WEIGHT_LIMIT, path


# Services ---------------------------------------------------------------------------------------------------------


def test_services_table_marks_what_each_row_serves(good_site):
    package, site = good_site
    html = (site / "services" / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'data-places="([^"]*)" data-state="([^"]*)">\s*<td[^>]*><a href="[^"]*/services/([^/]+)/"', html)
    rows = {service_id: (places, state) for places, state, service_id in found}
    assert len(rows) == 4
    assert rows["bank-credit"] == ("*", "open")
    # 滨海新区 reaches its zones; TEDA's service reaches TEDA only and has ended (2024-12-31), yet is still listed.
    places, state = rows["binhai-fund"]
    assert {"120116", "120116-teda", "120116-hitech"} <= set(places.split())
    assert rows["teda-digital"] == ("120116-teda", "ended")
    assert "已结束" in (site / "services" / "teda-digital" / "index.html").read_text(encoding="utf-8")


def test_service_page_counts_the_enterprises_it_serves(good_site):
    package, site = good_site
    html = (site / "services" / "bank-credit" / "index.html").read_text(encoding="utf-8")
    # Of the three enterprises only E1 holds sme or little_giant on the as-of day.
    assert re.search(r"<strong data-eligible-count>1</strong>", html)
    assert "022-23456789" in html


def test_liaison_offices_are_listed(good_site, demo_package):
    package, site = good_site
    register = view_of(package, AS_OF)
    html = (site / "services" / "index.html").read_text(encoding="utf-8")
    for liaison in register.district_liaisons.values():
        assert liaison.office in html


# Enterprise pages -------------------------------------------------------------------------------------------------


def test_enterprise_page_lists_its_services_events_and_liaison(good_site):
    package, site = good_site
    page = site / "enterprises" / E1 / "index.html"
    hrefs = links(page)
    assert [h for h in hrefs if "/services/" in h and h.count("/") > 3] == [
        "../../services/bank-credit/", "../../services/binhai-fund/"]
    assert "../../events/cismef-2023/" in hrefs
    text = Page(page).plain_text
    assert "滨海新区专精特新企业包联服务办公室" in text and "天津经济技术开发区专精特新企业包联服务办公室" in text


def test_an_enterprise_out_of_the_library_is_offered_nothing(good_site):
    package, site = good_site
    hrefs = links(site / "enterprises" / E3 / "index.html")
    assert [h for h in hrefs if "/services/" in h and h.count("/") > 3] == []
    assert "../../events/cismef-2023/" in hrefs  # it did take part while it held sme


# Events and the calendar feed -------------------------------------------------------------------------------------


def test_events_are_split_into_upcoming_and_past_by_the_as_of_day(good_site):
    package, site = good_site
    html = (site / "events" / "index.html").read_text(encoding="utf-8")
    upcoming, past = html.split('id="past"')
    assert "events/apec-sme-2025/" in upcoming and "events/cismef-2023/" not in upcoming
    assert "events/cismef-2023/" in past and "events/training-2022/" in past
    assert past.index("cismef-2023") < past.index("training-2022")  # latest first


def test_event_page_links_its_participants(good_site):
    package, site = good_site
    hrefs = links(site / "events" / "cismef-2023" / "index.html")
    assert f"../../enterprises/{E1}/" in hrefs and f"../../enterprises/{E3}/" in hrefs
    assert f"../../enterprises/{E2}/" not in hrefs


def test_event_page_describes_the_event_for_search_engines(good_site):
    package, site = good_site
    page = Page(site / "events" / "cismef-2023" / "index.html")
    [data] = [json.loads(text) for attributes, text in page.scripts if attributes.get("type") == "application/ld+json"]
    assert data["@type"] == "Event" and data["name"] == "2023年中国国际中小企业博览会（中博会）"
    assert (data["startDate"], data["endDate"]) == ("2023-06-27", "2023-06-30")
    assert data["location"]["address"]["addressLocality"] == "广州"


def test_calendar_feed_parses_back_with_every_event(good_site):
    package, site = good_site
    register = view_of(package, AS_OF)
    calendar = icalendar.Calendar.from_ical((site / "events.ics").read_bytes())
    entries = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert sorted(entries) == sorted(f"{e}@tianjin-zjtx-register" for e in register.events)
    for event in register.events.values():
        entry = entries[f"{event.event_id}@tianjin-zjtx-register"]
        assert str(entry["summary"]) == event.title
        assert entry.decoded("dtstart") == event.starts_on
        assert entry.decoded("dtend") == event.ends_on + timedelta(days=1)  # all-day: DTEND is exclusive
        assert event.city in str(entry["location"])
    assert str(entries["apec-sme-2025@tianjin-zjtx-register"]["url"]) == "https://apec.example/2025"


def test_calendar_feed_keeps_hostile_text_inside_its_property(tmp_path):
    package = make_good_package(tmp_path / "p")
    title = "展会\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:zjtx-injected;,\\" + HOSTILE["script"]
    set_cell(package, "events", 3, "title", title)
    set_cell(package, "events", 3, "source_url", "javascript:alert(1)")
    register = view_of(package, AS_OF)
    calendar = icalendar.Calendar.from_ical(events_calendar(register))
    entries = calendar.walk("VEVENT")
    assert len(entries) == len(register.events)
    # Line breaks come back as LF (RFC 5545 TEXT has no CR); nothing leaks into a property or event of its own.
    assert [str(e["summary"]) for e in entries if str(e["uid"]).startswith("cismef-2023")] == [
        title.replace("\r\n", "\n")]
    assert all("url" not in e or str(e["url"]).startswith("https://") for e in entries)


def test_calendar_feed_is_reproducible(good_site):
    package, site = good_site
    assert events_calendar(view_of(package, AS_OF)) == (site / "events.ics").read_bytes()


# Products ---------------------------------------------------------------------------------------------------------


def test_products_are_those_of_enterprises_in_the_library(demo_site, demo_package):
    from conftest import SITE_AS_OF

    register = view_of(demo_package, SITE_AS_OF)
    in_library = set().union(*register.members_on().values())
    expected = sorted((p.uscc, p.product_name) for p in register.products if p.uscc in in_library)
    index = json.loads(re.search(r'<script type="application/json" id="zjtx-products-index">(.*?)</script>',
                                 (demo_site / "products" / "index.html").read_text(encoding="utf-8"), re.S).group(1))
    found = []
    for code, name, count, pages, categories in index["industries"]:
        assert name == register.industries[code].name_zh
        rows = []
        for number in range(1, pages + 1):
            page = json.loads((demo_site / "products" / "data" / f"{code}-{number}.json").read_text("utf-8"))
            assert len(page["rows"]) <= PRODUCT_PAGE_ROWS
            rows += page["rows"]
        assert len(rows) == count == sum(c[1] for c in categories)
        for uscc, enterprise_name, product_name, _category in rows:
            assert register.enterprises[uscc].industry_code == code
            assert register.enterprises[uscc].name == enterprise_name
            found.append((uscc, product_name))
    assert sorted(found) == expected
    assert len(expected) < len(register.products)  # enterprises out of the library are left out


def test_products_pages_are_cut_by_category(tmp_path, monkeypatch):
    """A category's first and last page, as the index gives them, hold all of its rows."""
    from zjtx.pages import column as column_pages
    from zjtx.pages.column import ProductIndustry

    monkeypatch.setattr(column_pages, "PRODUCT_PAGE_ROWS", 2)
    industry = ProductIndustry("34", "通用设备制造业", ["a", "b", "c"],
                               [["u1", "e", "p1", 0], ["u2", "e", "p2", 0], ["u3", "e", "p3", 0],
                                ["u4", "e", "p4", 1], ["u5", "e", "p5", 2]])
    assert industry.pages == 3
    assert industry.summary() == ["34", "通用设备制造业", 5, 3, [["a", 3, 1, 2], ["b", 1, 2, 2], ["c", 1, 3, 3]]]
    assert industry.page(3) == [["u5", "e", "p5", 2]]


# Escaping and search ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_column_site(tmp_path_factory) -> Path:
    package = make_good_package(tmp_path_factory.mktemp("hostile-column"))
    h = HOSTILE
    set_cell(package, "services", 2, "title", f"信用贷{h['script']}{h['expression']}")
    set_cell(package, "services", 2, "description", h["markdown_link"] + h["pipe"])
    set_cell(package, "services", 2, "provider", f"示例银行{h['img']}")
    set_cell(package, "events", 3, "title", f"中博会{h['breakout']}")
    set_cell(package, "events", 3, "venue", h["statement"])
    set_cell(package, "district_liaisons", 2, "office", f"办公室{h['img']}")
    set_cell(package, "products", 3, "product_name", f"减速器{h['breakout']}")
    out = tmp_path_factory.mktemp("hostile-column-site") / "site"
    build(package, out, AS_OF)
    return out


def test_hostile_column_text_never_becomes_markup(hostile_column_site):
    site = hostile_column_site
    for path in html_pages(site):
        page = Page(path)
        for tag, name, value in page.attributes:
            assert not name.startswith("on"), (path, tag, name)
            assert not value.startswith("javascript:"), (path, tag, name)
        for attributes, text in page.scripts:
            if "zjtx-xss" in text:  # only as data that stays inside its element
                assert attributes.get("type") in ("application/json", "application/ld+json"), path
                json.loads(text)
    services = (site / "services" / "index.html").read_text(encoding="utf-8")
    assert "信用贷&lt;script&gt;" in services and "{{ 7*7 }}zjtx-expression" in services
    event = (site / "events" / "cismef-2023" / "index.html").read_text(encoding="utf-8")
    assert "中博会&lt;/script&gt;&lt;script&gt;" in event
    products = (site / "products" / "index.html").read_text(encoding="utf-8")
    index = re.search(r'id="zjtx-products-index">(.*?)</script>', products, re.S).group(1)
    assert "</script" not in index
    json.loads(index)


def test_search_indexes_service_and_event_pages(good_site):
    package, site = good_site
    register = view_of(package, AS_OF)
    figures = write_fulltext_index(site)
    assert figures["pages"] == (len(register.policies) + len(register.announcements) + len(register.services)
                                + len(register.events))


def test_states_follow_the_day():
    from zjtx.load import Event, Service

    service = Service("s", "t", "policy", "p", "platform", "", "", "sme", "", "", date(2024, 1, 1),
                      date(2024, 12, 31), "", "")
    assert [column.service_state(service, date(2023, 12, 31)), column.service_state(service, date(2024, 12, 31)),
            column.service_state(service, date(2025, 1, 1))] == [column.UPCOMING, column.OPEN, column.ENDED]
    event = Event("e", "t", "training", date(2024, 3, 1), date(2024, 3, 2), "天津", "", "o", "sme", "", "")
    assert [column.event_state(event, date(2024, 2, 29)), column.event_state(event, date(2024, 3, 2)),
            column.event_state(event, date(2024, 3, 3))] == [column.UPCOMING, column.ONGOING, column.PAST]


def test_a_package_from_before_the_column_still_loads(tmp_path):
    """Releases published before these resources existed are read by revisions.py and diff: they load empty."""
    package = make_good_package(tmp_path / "p")

    def drop(descriptor):
        descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] not in column.COLUMN_RESOURCES]

    edit_descriptor(package, drop)
    register = view_of(package, AS_OF)
    assert register.services == {} and register.events == {} and register.district_liaisons == {}
    assert register.services_for(E1) == [] and register.events_by_uscc == {}
