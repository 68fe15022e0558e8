"""The site as a column of a Chinese government site (zjtx/publisher.py, overrides/): the footer from
`extra.publisher`, the government meta tags, the host's colours, the footer's pages, 纠错 without /contribute/,
the warning of a public build that lacks what the footer must show, and pages that do not print the build's day."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

import build
from conftest import SITE_AS_OF
from packages import AS_OF as GOOD_AS_OF, view_of
from packages import make_good_package
from zjtx import publisher
from zjtx.build.mkdocs import hooks as mkdocs_hooks
from zjtx.errors import BuildError
from packages import build as build_site
from zjtx.build.mkdocs import MKDOCS_CONFIG

SETTINGS = {
    "host": "天津市工业和信息化局<b>", "organiser": "天津市中小企业服务中心", "contact": "电话：022-00000000",
    "site_code": "1200000099", "icp": "津ICP备00000000号", "police": "津公网安备 12010102000099号",
    "gov_mark": "assets/zjtx/logo.svg", "gov_mark_link": "https://bszs.conac.cn/sitename?method=show&id=1",
}


def config_with(tmp_path, publisher_settings=None, report=None, theme=None, name="mkdocs.yml"):
    lines = [f"INHERIT: {MKDOCS_CONFIG}"] + (["extra:"] if publisher_settings or report or theme else [])
    for section, values in (("publisher", publisher_settings), ("report", report), ("theme", theme)):
        if values:
            lines.append(f"  {section}:")
            lines += [f'    {key}: "{value}"' for key, value in values.items()]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small_package(tmp_path_factory):
    return make_good_package(tmp_path_factory.mktemp("publisher-package"))


@pytest.fixture(scope="module")
def configured_site(small_package, tmp_path_factory):
    folder = tmp_path_factory.mktemp("publisher-site")
    config = config_with(folder, SETTINGS, {"email": "zjtx@example.org"}, {"primary": "#b71c1c", "footer": "#333"})
    return build_site(small_package, folder / "site", GOOD_AS_OF, config_file=config).out_dir


def test_the_footer_shows_every_setting_escaped_with_its_links(configured_site):
    html = (configured_site / "enterprises" / "911201163000000101" / "index.html").read_text(encoding="utf-8")
    footer = html.split('<footer class="md-footer">', 1)[1]
    for text in ("主办单位：天津市工业和信息化局&lt;b&gt;", "承办单位：天津市中小企业服务中心",
                 "联系方式：电话：022-00000000", "网站标识码：1200000099"):
        assert text in footer, text
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener">津ICP备00000000号</a>' in footer
    assert '<a href="https://beian.mps.gov.cn/#/query/webSearch?code=12010102000099" rel="noopener">' in footer
    assert 'src="../../assets/zjtx/logo.svg" alt="党政机关网站标识"' in footer
    for page, words in (("statement/", "网站声明"), ("privacy/", "隐私"), ("site-map/", "网站地图"),
                        ("feedback/", "纠错")):
        assert f'<a href="../../{page}"' in footer and words in footer
        assert (configured_site / page / "index.html").exists()
    assert "<b>" not in html


def test_the_footer_of_an_unconfigured_site_shows_only_what_is_set(demo_site):
    footer = (demo_site / "index.html").read_text(encoding="utf-8").split('<footer class="md-footer">', 1)[1]
    assert "主办单位" not in footer and "zjtx-publisher" not in footer and "zjtx-gov-mark" not in footer
    assert 'href="feedback/"' in footer and 'href="site-map/"' in footer


def meta(html: str) -> dict[str, str]:
    return {name: content for content, name in re.findall(r'<meta content="([^"]*)" name="([A-Za-z]+)"', html)} | {
        name: content for name, content in re.findall(r'<meta name="([A-Za-z]+)" content="([^"]*)"', html)}


def test_pages_carry_the_government_meta_tags(configured_site, small_package):
    """PubDate is the day the page's facts last changed (zjtx.view.RegisterView.changed_on), where a page has one;
    the indexes and the home page show the build's day in their text and carry none."""
    view = view_of(small_package, GOOD_AS_OF)
    policy = view.policies["tj-zjtx-plan-2021"]
    dates = {"enterprises/911201163000000101/": view.enterprise_changed_on("911201163000000101").isoformat(),
             "policies/tj-zjtx-plan-2021/": view.changed_on(days=[policy.issued_on, policy.effective_on]).isoformat()}
    for path, title, column in (("enterprises/911201163000000101/", None, "企业"), ("announcements/", "公告", "公告"),
                                ("policies/tj-zjtx-plan-2021/", None, "政策文件"), ("", "首页", "首页")):
        html = (configured_site / path / "index.html").read_text(encoding="utf-8")
        tags = meta(html)
        assert tags["SiteName"] == "天津市专精特新企业名录", path
        assert tags["SiteIDCode"] == "1200000099", path
        assert tags["ColumnName"] == column, path
        assert tags["ArticleTitle"] == (title or re.search(r"<h1[^>]*>([^<]+)</h1>", html).group(1)), path
        assert tags["ContentSource"] == "天津市工业和信息化局&lt;b&gt;", path
        assert tags.get("PubDate") == dates.get(path), path
        assert "generator" not in tags, path


def test_pub_date_is_printed_only_as_a_day():
    def page(value):
        return SimpleNamespace(meta={"pub_date": value, "title": "x"})
    for value, expected in ((date(2025, 6, 19), "2025-06-19"), ("2025-06-19 09:30", "2025-06-19 09:30"),
                            ('2025"><script>', None), ("", None)):
        item = page(value)
        mkdocs_hooks.on_page_markdown("", item, SimpleNamespace(extra={}), None)
        assert item.meta.get("pub_date") == expected, value


def test_the_hosts_colours_become_css_variables(configured_site):
    html = (configured_site / "index.html").read_text(encoding="utf-8")
    assert "<style>:root{--md-primary-fg-color:#b71c1c;--md-footer-bg-color:#333}</style>" in html


@pytest.mark.parametrize("settings,what", [
    ({"publisher": {"gov_mark": "https://example.org/dzjg.png"}}, "gov_mark"),
    ({"publisher": {"gov_mark": "//example.org/dzjg.png"}}, "gov_mark"),
    ({"publisher": {"gov_mark_link": "javascript:alert(1)"}}, "gov_mark_link"),
    ({"report": {"issue_form": "data:text/html,x"}}, "issue_form"),
    ({"report": {"email": "a@b.org?bcc=c@d.org"}}, "email"),
    ({"theme": {"primary": "red;}body{display:none"}}, "primary"),
])
def test_settings_that_could_load_or_run_anything_are_refused(settings, what):
    with pytest.raises(BuildError, match=what) as raised:
        publisher.read(settings)
    assert raised.value.message_zh and raised.value.message_en != raised.value.message_zh


@pytest.mark.slow
def test_a_public_build_without_the_required_footer_warns_in_both_languages(small_package, tmp_path):
    out = tmp_path / "site"
    args = ["build", "--datapackage", str(small_package), "--out", str(out), "--as-of", GOOD_AS_OF.isoformat()]
    result = CliRunner().invoke(build.cli, args + ["--site-url", "https://example.org/zjtx/"])
    assert result.exit_code == 0, result.output
    for name in ("主办单位", "联系方式", "网站标识码", "ICP备案号", "公安机关备案号", "extra.publisher.host",
                 "extra.publisher.police", "warning"):
        assert name in result.output, name
    quiet = CliRunner().invoke(build.cli, args)  # a preview without a site URL: no warning
    assert quiet.exit_code == 0, quiet.output
    assert "警告" not in quiet.output
    filled = publisher.read({"publisher": SETTINGS})
    assert publisher.public_warning(filled) == "" and filled.missing_for_public() == []


def test_correction_leads_to_a_person_not_to_the_csv_guide(demo_site):
    for folder in ("enterprises", "announcements", "policies"):
        for path in (demo_site / folder).glob("*/index.html"):
            article = path.read_text(encoding="utf-8").split("<article", 1)[1].split("</article>", 1)[0]
            assert 'href="../../feedback/" data-zjtx-report' in article, path
            assert "contribute/" not in article, path
    feedback = (demo_site / "feedback" / "index.html").read_text(encoding="utf-8")
    assert "本站尚未公布联系方式" in feedback and "data-zjtx-feedback" in feedback


def test_the_site_map_lists_the_sections(demo_site, demo_package):
    from zjtx.load import load_register

    register = load_register(demo_package)
    html = (demo_site / "site-map" / "index.html").read_text(encoding="utf-8")
    for href in ["../", "../tiers/", "../districts/", "../announcements/", "../policies/", "../services/",
                 "../events/", "../products/", "../stats/", "../data/", "../changelog/", "../about/", "../search/"]:
        assert f'href="{href}"' in html, href
    assert all(f'href="../tiers/{tier_id}/"' in html for tier_id in register.tiers)


@pytest.mark.slow
def test_pages_of_records_do_not_change_on_the_next_day(demo_package, tmp_path):
    """The build's day is not printed into enterprise, announcement and policy pages: a rebuild the next day with
    no data change leaves them as they were (the print header reads the day from api/build.json)."""
    later = SITE_AS_OF + timedelta(days=1)
    today = build_site(demo_package, tmp_path / "today", SITE_AS_OF).out_dir
    tomorrow = build_site(demo_package, tmp_path / "tomorrow", later).out_dir
    pages = [p.relative_to(today) for folder in ("enterprises", "announcements", "policies")
             for p in (today / folder).glob("*/index.html")]
    assert len(pages) > 60
    changed = [str(p) for p in pages if (today / p).read_bytes() != (tomorrow / p).read_bytes()]
    assert changed == []
    assert SITE_AS_OF.isoformat() not in (today / pages[0]).read_text(encoding="utf-8")


def test_pub_date_is_a_value_of_each_stamped_page():
    """Pages of one folder share a frame (zjtx/build/mkdocs/hooks.py): PubDate is filled in per page, like the title."""
    assert "pub_date" in mkdocs_hooks.PER_PAGE
    frame = f'<meta name="PubDate" content="{mkdocs_hooks._MARKS["pub_date"]}"><title>{mkdocs_hooks._MARKS["title"]}'
    assert mkdocs_hooks.intact(frame)
    filled = mkdocs_hooks._fill(frame, {"pub_date": "2025-06-19", "title": "A"})
    assert filled == '<meta name="PubDate" content="2025-06-19"><title>A'


# The average minified enterprise page of the 60-enterprise demo package (seed 7) before issue 18: the footer, the
# meta tags, 纠错 and the menu button had to fit in it (at 100,000 enterprises these pages are half the site).
ENTERPRISE_PAGE_BYTES = 6922


@pytest.mark.slow
def test_enterprise_pages_did_not_grow(demo_package, tmp_path):
    site = build_site(demo_package, tmp_path / "site", SITE_AS_OF, minify=True).out_dir
    sizes = [path.stat().st_size for path in (site / "enterprises").glob("*/index.html")]
    assert len(sizes) == 60
    assert sum(sizes) / len(sizes) <= ENTERPRISE_PAGE_BYTES
