"""纠错 and the footer in Debian's Chromium: the link of an enterprise page reaches the configured e-mail or issue
form with the page's address, the enterprise's name and USCC filled in, or the feedback page, which shows them;
the footer shows the publisher's settings."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from packages import AS_OF as GOOD_AS_OF
from packages import make_good_package
from test_publisher import SETTINGS, config_with
from test_site_browser import DESKTOP, PHONE, Watched
from packages import build as build_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

E1 = "911201163000000101"
FORM = "https://git.example.org/zjtx/issues/new?template=correction.yml&uscc={uscc}&page={page}&title={title}"


@pytest.fixture(scope="module")
def sites(tmp_path_factory, serve_dir):
    """The small package built three times: 纠错 by e-mail (with the whole footer), by issue form, and unset."""
    folder = tmp_path_factory.mktemp("publisher-browser")
    package = make_good_package(folder / "package")
    configs = {
        "email": config_with(folder, SETTINGS, {"email": "zjtx@example.org"}, name="email.yml"),
        "form": config_with(folder, None, {"issue_form": FORM}, name="form.yml"),
        "none": config_with(folder, name="none.yml"),
    }
    return {kind: serve_dir(build_site(package, folder / kind, GOOD_AS_OF, config_file=config).out_dir)
            for kind, config in configs.items()}


def report_href(chromium, url: str) -> tuple[str, str]:
    watched = Watched(chromium, DESKTOP)
    try:
        page = watched.open(url)
        href = page.get_attribute("article a[data-zjtx-report]", "href")
        name = page.locator("article h1").inner_text()
        assert watched.errors == []
        return page.evaluate(f"new URL({href!r}, location.href).href"), name
    finally:
        watched.context.close()


def test_correction_by_email_is_prefilled(chromium, sites):
    address = f"{sites['email']}enterprises/{E1}/"
    href, name = report_href(chromium, address)
    assert href.startswith("mailto:zjtx@example.org?")
    fields = parse_qs(urlsplit(href).query)
    assert fields["subject"] == [f"名录纠错：{name}"]
    body = fields["body"][0]
    for expected in (f"页面地址：{address}", f"名称：{name}", f"统一社会信用代码：{E1}", "有误之处", "依据"):
        assert expected in body, expected


def test_correction_by_issue_form_fills_in_the_uscc_the_page_and_the_title(chromium, sites):
    address = f"{sites['form']}enterprises/{E1}/"
    href, name = report_href(chromium, address)
    assert href.startswith("https://git.example.org/zjtx/issues/new?template=correction.yml&")
    fields = parse_qs(urlsplit(href).query)
    assert fields["uscc"] == [E1] and fields["page"] == [address] and fields["title"] == [name]


def test_without_a_form_or_address_the_feedback_page_shows_the_details(chromium, sites):
    address = f"{sites['none']}announcements/lg-2022/"
    href, name = report_href(chromium, address)
    assert href.startswith(f"{sites['none']}feedback/?")
    watched = Watched(chromium, PHONE)
    try:
        page = watched.open(href)
        assert page.locator("[data-field=page]").inner_text() == address
        assert page.locator("[data-field=title]").inner_text() == name
        assert "本站尚未公布联系方式" in page.locator("article").inner_text()
        assert "contribute" not in unquote(href)
    finally:
        watched.context.close()


def test_the_footer_shows_the_publisher(chromium, sites):
    watched = Watched(chromium, PHONE)
    try:
        page = watched.open(sites["email"])
        footer = page.locator("footer")
        for text in ("主办单位：天津市工业和信息化局<b>", "网站标识码：1200000099", "津ICP备00000000号", "津公网安备"):
            assert text in footer.inner_text(), text
        assert footer.locator("img[alt=党政机关网站标识]").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert all(url.startswith(sites["email"]) for url in watched.requests)  # the 标识 is the site's own file
    finally:
        watched.context.close()
