"""Print is a verifiable document: an enterprise page printed to PDF in Debian's Chromium (A4) carries the site's
name, the demo-data warning, the data's day (from api/build.json), the page's address and a QR code that opens
it, and no navigation. pdftotext, pdfinfo and pdftoppm (poppler-utils) read the PDF; zbarimg (zbar-tools) reads
the QR code from the rendered page."""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import SITE_AS_OF
from test_site_browser import DESKTOP, Watched

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def printed(chromium, demo_site, serve_dir, tmp_path_factory):
    """An enterprise page of the demo site as a PDF: (its address, the PDF's path)."""
    folder = tmp_path_factory.mktemp("print")
    uscc = sorted(p.name for p in (demo_site / "enterprises").iterdir())[0]
    address = f"{serve_dir(demo_site)}enterprises/{uscc}/"
    watched = Watched(chromium, DESKTOP)
    try:
        page = watched.open(address)
        page.wait_for_selector(".zjtx-print .zjtx-print__qr", state="attached")
        pdf = folder / "enterprise.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        assert watched.errors == []
    finally:
        watched.context.close()
    return address, pdf


def test_the_printed_page_names_the_site_the_demo_data_the_day_and_the_address(printed):
    address, pdf = printed
    text = run("pdftotext", "-layout", str(pdf), "-")
    flat = re.sub(r"\s+", "", text)
    assert "天津市专精特新企业名录" in flat
    assert "示例数据" in flat and "不是官方公布的名单" in flat
    assert f"数据截至{SITE_AS_OF.isoformat()}" in flat
    assert f"本页地址：{address}" in flat
    # No navigation: the reading modes, the header's search and the footer's links stay off the paper.
    for word in ("跳到正文", "高对比度", "网站地图", "网站声明"):
        assert word not in flat, word
    assert "A4" in run("pdfinfo", str(pdf))


def test_the_printed_qr_code_opens_the_page(printed, tmp_path):
    address, pdf = printed
    run("pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page"))
    image = next(tmp_path.glob("page*.png"))
    decoded = run("zbarimg", "--raw", "-q", str(image)).strip().splitlines()
    assert decoded == [address]
