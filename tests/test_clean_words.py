"""Pages say what is true in plain words: /stats/ defines 在库 once and names no field, /data/ links every file and
never calls a published file unpublished, and a link labelled 原文 leads to a document, not to a home page."""

from __future__ import annotations

import re

import pytest

from packages import AS_OF as GOOD_AS_OF
from packages import make_good_package, set_cell
from packages import build as build_site


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_stats_define_in_the_library_once_without_field_names(demo_site):
    text = text_of((demo_site / "stats" / "index.html").read_text(encoding="utf-8"))
    assert "在库：认定日期不晚于当天" in text
    assert "在库：在库" not in text and "status_on" not in text


def test_data_links_every_file_of_the_latest_version_outside_the_collapsed_table(demo_site):
    html = (demo_site / "data" / "index.html").read_text(encoding="utf-8")
    listed = html.split('<dl class="zjtx-facts zjtx-formats">', 1)[1].split("</dl>", 1)[0]
    sums = (demo_site / "downloads" / "latest" / "SHA256SUMS").read_text(encoding="utf-8")
    names = [line.split("  ")[1] for line in sums.splitlines()]
    assert names
    for name in names:
        assert f'href="../downloads/latest/{name}"' in listed, name
        assert (demo_site / "downloads" / "latest" / name).exists()
    assert "尚未发布" not in text_of(html)
    for page in ("changelog/index.html", "downloads/latest/index.html"):
        assert "尚未发布" not in text_of((demo_site / page).read_text(encoding="utf-8")), page


@pytest.mark.slow
def test_source_links_say_when_only_the_issuers_home_page_is_known(tmp_path):
    package = make_good_package(tmp_path / "package")
    set_cell(package, "announcements", 2, "source_url", "https://gyxxh.tj.gov.cn/")
    set_cell(package, "announcements", 3, "source_url", "https://gyxxh.tj.gov.cn/zwgk/tzgg/202201/t2022.html")
    site = build_site(package, tmp_path / "site", GOOD_AS_OF).out_dir
    pages = {}
    for path in (site / "announcements").glob("*/index.html"):
        html = path.read_text(encoding="utf-8")
        source = re.search(r"<dt>原文</dt><dd>(.*?)</dd>", html, re.S).group(1)
        pages[path.parent.name] = source
    home = [s for s in pages.values() if 'href="https://gyxxh.tj.gov.cn/"' in s]
    document = [s for s in pages.values() if "t2022.html" in s]
    assert home and all("本名录未记录原文的地址" in s and "发布机构网站" in s for s in home)
    assert document and all("未记录" not in s for s in document)
