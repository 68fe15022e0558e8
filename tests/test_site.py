"""The built site: pages at stable URLs, relative links that all resolve, escaping, weight, and the build's safety."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

import build
from conftest import HOSTILE, SITE_AS_OF
from packages import AS_OF as GOOD_AS_OF, view_of
from packages import make_good_package, set_cell
from zjtx import search
from zjtx.errors import BuildError, InvalidPackage
from zjtx.load import load_register
from zjtx.pages.plan import policy_headings
from zjtx.pages.tables import PREVIEW_ROWS
from packages import build as build_site  # pages unminified, read as text
from zjtx.build.mkdocs import MKDOCS_CONFIG, write_mkdocs_config
from zjtx.build.output import SITE_MARKER

ENTERPRISE_PAGE_LIMIT = 20 * 1024
PAGE_WEIGHT_LIMIT = 500 * 1024
NAV_LINKS_MAX = 14  # ten sections (changelog included), the column's three (services, events, products), the logo


class Page(HTMLParser):
    """What the tests need from a built HTML page."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.ids: set[str] = set()
        self.attributes: list[tuple[str, str, str]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.text: list[str] = []
        self.forms: list[dict] = []
        self.inputs: list[dict] = []
        self.meta: dict[str, str] = {}
        self._script: dict | None = None
        self._nav_depth = 0
        self.nav_links: list[str] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            self.attributes.append((tag, name, value or ""))
            if name in ("href", "src", "action", "data-src") and value is not None:
                self.links.append((tag, name, value))
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "script":
            self._script = attributes
        if tag == "form":
            self.forms.append(attributes)
        if tag == "input":
            self.inputs.append(attributes)
        if tag == "meta" and "name" in attributes:
            self.meta[attributes["name"]] = attributes.get("content", "")
        if tag == "nav" and "md-nav--primary" in (attributes.get("class") or ""):
            self._nav_depth += 1
        elif tag == "nav" and self._nav_depth:
            self._nav_depth += 1
        if tag == "a" and self._nav_depth:
            self.nav_links.append(attributes.get("href", ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None
        if tag == "nav" and self._nav_depth:
            self._nav_depth -= 1

    def handle_data(self, data):
        if self._script is not None:
            self.scripts.append((self._script, data))
        else:
            self.text.append(data)

    @property
    def plain_text(self) -> str:
        return "".join(self.text)


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def target_of(page: Path, url: str, site: Path) -> Path | None:
    """The file a relative URL of a page points to (None for external ones)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("mailto:", "#", "javascript:", "data:")):
        return None
    path = unquote(parts.path)
    if not path:
        return None
    base = site if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


# Pages and URLs ------------------------------------------------------------------------------------------------


def test_every_record_has_its_page(demo_site, demo_package):
    register = load_register(demo_package)
    expected = ["", "tiers/", "districts/", "announcements/", "policies/", "stats/", "data/", "about/",
                "contribute/", "search/"]
    expected += [f"tiers/{t}/" for t in register.tiers]
    expected += [f"districts/{d}/" for d in register.districts]
    expected += [f"enterprises/{u}/" for u in register.enterprises]
    expected += [f"announcements/{a}/" for a in register.announcements]
    expected += [f"policies/{p}/" for p in register.policies]
    missing = [url for url in expected if not (demo_site / url / "index.html").is_file()]
    assert not missing


def test_navigation_is_short_and_lists_no_enterprise(demo_site):
    for path in [demo_site / "index.html", next((demo_site / "announcements").glob("*/index.html"))]:
        nav = Page(path).nav_links
        assert 0 < len(nav) <= NAV_LINKS_MAX, nav
        assert not [link for link in nav if "enterprises/" in link]


def test_enterprise_pages_lead_home_and_to_their_district_without_the_menu(demo_site):
    """100,000 enterprise pages would repeat the menu 100,000 times: they have a breadcrumb instead, and no menu
    button that would open an empty drawer."""
    for path in sorted((demo_site / "enterprises").glob("*/index.html"))[:20]:
        page = Page(path)
        assert page.nav_links == [], path
        html = path.read_text(encoding="utf-8")
        assert "data-zjtx-menu" not in html and "md-sidebar" not in html, path
        crumbs = html.split('class="zjtx-crumbs"', 1)[1].split("</nav>", 1)[0]
        targets = [target_of(path, link, demo_site) for link in re.findall(r'href="([^"]+)"', crumbs)]
        assert targets[0] == (demo_site / "index.html").resolve()
        assert targets[-1].parent.parent == (demo_site / "districts").resolve() and targets[-1].exists(), path
    home = (demo_site / "index.html").read_text(encoding="utf-8")
    assert "data-zjtx-menu" in home


def test_navigation_leads_to_the_same_pages_from_every_page(demo_site):
    """The theme's sidebars are rendered once per folder (overrides/main.html); each must still be right."""

    def targets(path: Path) -> list[Path]:
        return [target_of(path, link, demo_site) for link in Page(path).nav_links]

    expected = targets(demo_site / "index.html")
    for folder in ["announcements", "tiers", "districts", "policies"]:
        for path in sorted((demo_site / folder).glob("*/index.html"))[:2]:
            assert targets(path) == expected, path


def test_every_page_has_the_search_form_and_its_root(demo_site):
    for path in html_pages(demo_site):
        if path.name == "404.html":
            continue
        page = Page(path)
        root = page.meta.get("zjtx-root")
        assert root is not None, path
        assert (path.parent / root).resolve() == demo_site.resolve(), path
        header_forms = [f for f in page.forms if f.get("role") == "search"]
        assert header_forms, path
        assert target_of(path, header_forms[0]["action"], demo_site) == (demo_site / "search" / "index.html").resolve()
        assert any(i.get("name") == "q" for i in page.inputs), path


def test_no_internal_link_is_broken(demo_site):
    broken = []
    ids: dict[Path, set[str]] = {}
    for path in html_pages(demo_site):
        page = Page(path)
        ids[path.resolve()] = page.ids
        for _tag, attribute, url in page.links:
            if attribute == "action":
                continue
            target = target_of(path, url, demo_site)
            if target is not None and not target.exists():
                broken.append(f"{path.relative_to(demo_site)}: {url}")
    for path in html_pages(demo_site):
        for _tag, _attribute, url in Page(path).links:
            fragment = urlsplit(url).fragment
            target = target_of(path, url, demo_site) if not url.startswith("#") else path.resolve()
            if fragment and target is not None and target in ids and fragment not in ids[target]:
                broken.append(f"{path.relative_to(demo_site)}: {url} (no #{fragment})")
    assert not broken


def test_links_are_relative_so_the_site_works_under_a_sub_path(demo_site):
    absolute = []
    for path in html_pages(demo_site):
        if path.name == "404.html":  # served at any depth: MkDocs gives it links from the root
            continue
        for _tag, _attribute, url in Page(path).links:
            if url.startswith("/"):
                absolute.append(f"{path.relative_to(demo_site)}: {url}")
    assert not absolute


def test_no_request_leaves_the_site(demo_site):
    """Scripts, stylesheets, fonts, images and frames all come from the site itself."""
    foreign = []
    for path in html_pages(demo_site):
        page = Page(path)
        for tag, attribute, url in page.links:
            fetched = tag in ("script", "img", "iframe", "source", "video", "audio", "embed") and attribute == "src"
            fetched |= tag == "link" and attribute == "href"
            if fetched and re.match(r"[a-z]+:|//", url):
                foreign.append(f"{path.relative_to(demo_site)}: <{tag}> {url}")
    for css in demo_site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            if re.match(r"https?:|//", url):
                foreign.append(f"{css.relative_to(demo_site)}: {url}")
        assert "@import" not in css.read_text(encoding="utf-8"), css
    assert not foreign


def test_the_theme_search_is_off(demo_site):
    assert not (demo_site / "search" / "search_index.json").exists()
    assert not (demo_site / "assets" / "javascripts" / "workers").exists()
    assert not (demo_site / "assets" / "javascripts" / "lunr").exists()


# Sizes ----------------------------------------------------------------------------------------------------------


def page_weight(site: Path, path: Path) -> int:
    page = Page(path)
    files = {path.resolve()}
    for tag, attribute, url in page.links:
        wanted = (tag == "link" and attribute == "href" and url.endswith((".css", ".png", ".ico", ".svg")))
        wanted |= (tag == "script" and attribute == "src") or attribute == "data-src"
        target = target_of(path, url, site) if wanted else None
        if target is not None:
            files.add(target)
    return sum(f.stat().st_size for f in files)


def test_enterprise_pages_stay_small(demo_site):
    sizes = {p: p.stat().st_size for p in (demo_site / "enterprises").glob("*/index.html")}
    largest = max(sizes, key=sizes.get)
    assert sizes[largest] <= ENTERPRISE_PAGE_LIMIT, largest


def test_a_page_view_downloads_less_than_500_kb(demo_site):
    tier = max((demo_site / "tiers").glob("*/index.html"), key=lambda p: (p.parent / "rows.json").stat().st_size)
    for path in [demo_site / "index.html", tier, next((demo_site / "enterprises").glob("*/index.html")),
                 next((demo_site / "policies").glob("*/index.html")), demo_site / "stats" / "index.html"]:
        assert page_weight(demo_site, path) <= PAGE_WEIGHT_LIMIT, path


# Page content ---------------------------------------------------------------------------------------------------


def test_home_page_shows_progress_against_targets_and_latest_announcements(demo_site, demo_package):
    register = load_register(demo_package)
    html = (demo_site / "index.html").read_text(encoding="utf-8")
    page = Page(demo_site / "index.html")
    targets = {t.tier_id for t in register.targets}
    assert html.count("<progress ") == len(targets)
    latest = max(register.announcements.values(), key=lambda a: a.published_on)
    assert ("a", "href", f"./announcements/{latest.announcement_id}/") in page.links
    assert "示例数据" in html  # the demo banner
    assert "zjtx-q-home" in page.ids


def test_enterprise_page_has_its_timeline_and_organization_data(demo_site, demo_package):
    register = load_register(demo_package)
    uscc = max(register.enterprises, key=lambda u: len(register.certifications_by_uscc.get(u, [])))
    path = demo_site / "enterprises" / uscc / "index.html"
    page = Page(path)
    history = register.certifications_by_uscc[uscc]
    html = path.read_text(encoding="utf-8")
    assert len(re.findall(r"<li>\s*<p><time datetime=", html)) == len(history)
    for certification in history:
        assert ("a", "href", f"../../announcements/{certification.announcement_id}/") in page.links
    data = [json.loads(text) for attributes, text in page.scripts if attributes.get("type") == "application/ld+json"]
    assert data and data[0]["@type"] == "Organization"
    assert data[0]["name"] == register.enterprises[uscc].name
    assert data[0]["identifier"]["value"] == uscc


def read_table(path: Path, register) -> dict[str, dict[str, str]]:
    """rows.json read back as table.js reads it: {uscc: {facet: code}}, ids in the search index's order."""
    data = json.loads(path.read_text(encoding="utf-8"))
    order = search.id_order(register)
    members = base64.b64decode(data["members"])
    ids = [i for i in range(len(order)) if members[i >> 3] >> (i & 7) & 1]
    assert len(ids) == data["count"]
    base, width = len(data["alphabet"]), data["width"]
    sizes = [len(data["lookups"][facet]) for facet in data["facets"]]
    rows = {}
    for position, identifier in enumerate(ids):
        code = 0
        for char in data["codes"][position * width:(position + 1) * width]:
            code = code * base + data["alphabet"].index(char)
        indices = []
        for size in reversed(sizes):
            code, index = divmod(code, size)
            indices.append(index)
        rows[order[identifier]] = {facet: data["lookups"][facet][index][0]
                                   for facet, index in zip(data["facets"], reversed(indices))}
    return rows


def test_tier_table_data_lists_every_enterprise_of_the_tier(demo_site, demo_package):
    register = view_of(demo_package, SITE_AS_OF)
    for tier_id in register.tiers:
        rows = read_table(demo_site / "tiers" / tier_id / "rows.json", register)
        history = {}
        for c in sorted(register.certifications, key=lambda c: c.certified_on):
            if c.tier_id == tier_id and c.certified_on <= SITE_AS_OF:
                history.setdefault(c.uscc, []).append(c)
        assert set(rows) == set(history)
        for uscc, cells in rows.items():
            assert cells["year"] == str(history[uscc][0].certified_on.year)
            assert cells["status"] == register.standing(history[uscc][-1], SITE_AS_OF)
            assert cells["district"] == register.enterprises[uscc].district_code


def test_a_district_table_gives_the_year_of_the_tier_it_shows(demo_site, demo_package):
    register = view_of(demo_package, SITE_AS_OF)
    checked = 0
    for code in register.districts:
        for uscc, cells in read_table(demo_site / "districts" / code / "rows.json", register).items():
            if cells["tier"]:
                years = [c.certified_on.year for c in register.certifications_by_uscc[uscc]
                         if c.tier_id == cells["tier"] and c.certified_on <= SITE_AS_OF]
                assert cells["year"] == str(min(years)), uscc
                checked += 1
    assert checked


def in_library_of_place(register, code: str, tier_id: str | None = None) -> set[str]:
    """Enterprises held on the as-of day that are registered in, or were recommended by, the place."""
    return {c.uscc for c in register.certifications
            if register.held_on(c, SITE_AS_OF) and (tier_id is None or c.tier_id == tier_id)
            and code in (register.enterprises[c.uscc].district_code, c.recommended_by)}


def test_district_pages_count_distinct_enterprises_in_a_library(demo_site, demo_package):
    register = view_of(demo_package, SITE_AS_OF)
    code = max(register.districts, key=lambda d: len(in_library_of_place(register, d)))
    html = (demo_site / "districts" / code / "index.html").read_text(encoding="utf-8")
    distinct = len(in_library_of_place(register, code))
    summed = sum(len(in_library_of_place(register, code, t)) for t in register.tiers)
    assert f"共 <strong>{distinct}</strong> 家" in html
    assert re.search(rf'<tr class="zjtx-total"><th scope="row">合计（不重复）</th><td>{distinct}</td></tr>', html)
    for tier_id in register.tiers:
        assert re.search(rf'tiers/{tier_id}/">[^<]+</a></td><td>{len(in_library_of_place(register, code, tier_id))}</td>',
                         html), tier_id
    assert 'href="../../stats/#zai-ku"' in html
    assert summed >= distinct


def test_the_districts_index_and_stats_have_a_city_total_row(demo_site, demo_package):
    register = view_of(demo_package, SITE_AS_OF)
    members = register.members_on(SITE_AS_OF)
    tiers = [t.tier_id for t in register.tiers_by_rank]
    cells = [len(members.get(t, ())) for t in tiers] + [len(set().union(*members.values()))]
    html = (demo_site / "districts" / "index.html").read_text(encoding="utf-8")
    total = re.search(r'<tr class="zjtx-total"><th scope="row">全市</th><td class="zjtx-wide-only"></td>(.*?)</tr>', html)
    assert re.findall(r"<td>(\d+)</td>", total.group(1)) == [str(n) for n in cells]
    stats = (demo_site / "stats" / "index.html").read_text(encoding="utf-8")
    total = re.search(r'<tr class="zjtx-total"><th scope="row">全市</th>(.*?)</tr>', stats)
    assert re.findall(r"<td>(\d+)</td>", total.group(1)) == [str(n) for n in cells]
    assert 'href="#zai-ku"' in stats and 'id="zai-ku"' in stats


def test_announcement_page_lists_its_rows(demo_site, demo_package):
    register = view_of(demo_package, SITE_AS_OF)
    announcement = max((a for a in register.announcements.values() if a.kind == "designation"),
                       key=lambda a: sum(c.announcement_id == a.announcement_id for c in register.certifications))
    folder = demo_site / "announcements" / announcement.announcement_id
    html = (folder / "index.html").read_text(encoding="utf-8")
    listed = [c for c in register.certifications if c.announcement_id == announcement.announcement_id]
    rows = read_table(folder / "rows.json", register)
    assert set(rows) == {c.uscc for c in listed}
    for c in listed:
        assert rows[c.uscc] == {"district": c.recommended_by, "date": c.certified_on.isoformat(),
                                "status": register.standing(c, SITE_AS_OF)}
    assert html.count('<td data-label="企业名称">') == min(len(listed), PREVIEW_ROWS)
    assert announcement.issuer in html


def test_policy_page_has_full_text_and_what_it_governs(demo_site, demo_package):
    register = load_register(demo_package)
    policy = register.policies["tj-zjtx-plan-2021"]
    path = demo_site / "policies" / policy.policy_id / "index.html"
    html = path.read_text(encoding="utf-8")
    assert policy.doc_number in html
    assert "两年内不再受理推荐" in html or "2 年内不再受理推荐" in html
    for tier in register.tiers.values():
        if tier.policy_id == policy.policy_id:
            assert ("a", "href", f"../../tiers/{tier.tier_id}/") in Page(path).links


def test_stats_charts_are_svg_each_followed_by_its_table(demo_site):
    html = (demo_site / "stats" / "index.html").read_text(encoding="utf-8")
    # Pages are minified (zjtx/build/mkdocs/hooks.py): attributes may be reordered and lose their quotes.
    chart = r"<svg [^>]*\bclass=\"?zjtx-chart\b"
    # Between a chart and its table, the hint that a chart wider than the screen scrolls (issue 18).
    hint = r"(?:<p class=\"?zjtx-scroll-hint\"?>[^<]*</p>\s*)?"
    charts = re.findall(chart + r".*?</svg>\s*</figure>\s*" + hint + r"<div class=\"?zjtx-figure-data\"?>\s*<table>",
                        html, re.S)
    assert len(charts) >= 3
    assert len(re.findall(chart, html)) == len(charts)


def test_data_dictionary_lists_every_field(demo_site, demo_package):
    register = load_register(demo_package)
    html = (demo_site / "data" / "index.html").read_text(encoding="utf-8")
    ids = Page(demo_site / "data" / "index.html").ids
    for resource in register.descriptor["resources"]:
        assert resource["name"] in ids
        for field in resource["schema"]["fields"]:
            assert f"<code>{field['name']}</code>" in html


# Escaping -------------------------------------------------------------------------------------------------------


def test_hostile_text_shows_as_text_on_every_page(hostile_site):
    for path in html_pages(hostile_site):
        page = Page(path)
        for tag, name, value in page.attributes:
            assert not name.startswith("on"), f"{path}: <{tag} {name}>"
            if name in ("href", "src"):
                assert not value.strip().lower().startswith("javascript:"), path
        for attributes, text in page.scripts:
            assert "zjtx-xss" not in text or attributes.get("type") == "application/ld+json", path
            if attributes.get("type") == "application/ld+json":
                json.loads(text)
        html = path.read_text(encoding="utf-8")
        assert "49zjtx-expression" not in html, path
        assert "<strong>zjtx-bold</strong>" not in html, path
        assert "<td>zjtx-cell</td>" not in html, path


def test_hostile_text_is_shown_literally(hostile_site):
    page = Page(hostile_site / "enterprises" / "911201013000000109" / "index.html")
    text = page.plain_text
    assert f"天津{HOSTILE['script']}{HOSTILE['expression']}有限公司" in text
    assert HOSTILE["img"] + HOSTILE["markdown_bold"] in text
    assert HOSTILE["statement"] in text and HOSTILE["pipe"] in text and HOSTILE["long_word"] in text
    policy = Page(hostile_site / "policies" / "tj-zjtx-plan-2021" / "index.html").plain_text
    assert HOSTILE["script"] in policy and HOSTILE["expression"] in policy
    title = re.search(r"<title>(.*?)</title>", (hostile_site / "enterprises" / "91120111300000010Q" /
                                               "index.html").read_text(encoding="utf-8"), re.S).group(1)
    assert "<" not in title


def test_json_ld_cannot_end_its_script(hostile_site):
    path = hostile_site / "enterprises" / "91120111300000010Q" / "index.html"
    data = [json.loads(t) for a, t in Page(path).scripts if a.get("type") == "application/ld+json"]
    assert data[0]["name"] == f"天津{HOSTILE['breakout']}公司"


def test_hostile_table_data_is_valid_json(hostile_site):
    tables = [json.loads(path.read_text(encoding="utf-8")) for path in hostile_site.rglob("rows.json")]
    labels = [name for table in tables for facet in table["lookups"].values() for _, name in facet]
    assert any(HOSTILE["script"] in label for label in labels)
    assert all(set(table["codes"]) <= set(table["alphabet"]) for table in tables)


# The build ------------------------------------------------------------------------------------------------------


def test_strict_mkdocs_build_of_the_rendered_pages_passes(tmp_path):
    """The rendered build folder passes `mkdocs build --strict` run from the command line."""
    from zjtx.pages.downloads import render_download_pages
    from zjtx.export.releases import prepare_downloads
    from zjtx.pages.render import render_site

    package = make_good_package(tmp_path / "package")
    view = view_of(package, GOOD_AS_OF)
    render_site(view, tmp_path / "docs")
    downloads = prepare_downloads(view)
    render_download_pages(view, downloads, tmp_path / "docs")
    config = write_mkdocs_config(MKDOCS_CONFIG, tmp_path / "mkdocs.yml", tmp_path / "docs", tmp_path / "out", True)
    mkdocs = Path(sys.executable).with_name("mkdocs")
    result = subprocess.run([str(mkdocs), "build", "--strict", "-q", "-f", str(config)], capture_output=True,
                            text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "index.html").exists()


@pytest.fixture
def small_package(tmp_path):
    return make_good_package(tmp_path / "package")


@pytest.mark.slow
def test_invalid_data_leaves_the_previous_site_untouched(small_package, tmp_path):
    out = tmp_path / "site"
    build_site(small_package, out, GOOD_AS_OF)
    before = (out / "index.html").read_bytes()
    set_cell(small_package, "certifications", 2, "valid_until", "2030-01-01")
    with pytest.raises(InvalidPackage) as raised:
        build_site(small_package, out, GOOD_AS_OF)
    assert any(p.severity == "error" for p in raised.value.problems)
    assert (out / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["package", "site"]  # no temporary folder left


@pytest.mark.slow
def test_a_failing_mkdocs_build_leaves_the_previous_site_untouched(small_package, tmp_path):
    out = tmp_path / "site"
    build_site(small_package, out, GOOD_AS_OF)
    marker = (out / SITE_MARKER).read_bytes()
    templates = tmp_path / "templates"
    shutil.copytree(Path(build.__file__).parent / "templates", templates)
    with open(templates / "about.md.j2", "a", encoding="utf-8") as handle:
        handle.write("\n[broken](no-such-page.md)\n")
    with pytest.raises(BuildError) as raised:
        build_site(small_package, out, GOOD_AS_OF, templates_dir=templates)
    assert "no-such-page.md" in raised.value.message_en
    assert (out / SITE_MARKER).read_bytes() == marker
    assert sorted(p.name for p in tmp_path.iterdir()) == ["package", "site", "templates"]


@pytest.mark.slow
def test_the_output_folder_is_replaced_in_one_step(small_package, tmp_path):
    out = tmp_path / "site"
    build_site(small_package, out, GOOD_AS_OF)
    (out / "stale.html").write_text("old", encoding="utf-8")
    build_site(small_package, out, GOOD_AS_OF)
    assert not (out / "stale.html").exists()
    assert (out / "index.html").exists()
    assert oct(out.stat().st_mode & 0o777) == "0o755"


def test_a_folder_the_build_did_not_write_is_refused(small_package, tmp_path):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.docx").write_text("years of work", encoding="utf-8")
    with pytest.raises(BuildError):
        build_site(small_package, out, GOOD_AS_OF)
    assert (out / "thesis.docx").exists()
    with pytest.raises(BuildError):
        build_site(small_package, small_package / "site", GOOD_AS_OF)


@pytest.mark.slow
def test_footer_shows_the_configured_publisher_and_hides_empty_entries(small_package, tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {MKDOCS_CONFIG}\nextra:\n  publisher:\n    host: 天津市工业和信息化局\n"
        "    icp: 津ICP备00000000号\n", encoding="utf-8")
    out = tmp_path / "site"
    build_site(small_package, out, GOOD_AS_OF, config_file=config)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "主办单位：天津市工业和信息化局" in html
    assert "津ICP备00000000号" in html and ("a", "href", "https://beian.miit.gov.cn/") in Page(out / "index.html").links
    assert "联系方式" not in html and "政府网站标识码" not in html


@pytest.mark.slow
def test_cli_build_and_refusal(small_package, tmp_path):
    out = tmp_path / "site"
    runner = CliRunner()
    args = ["build", "--datapackage", str(small_package), "--out", str(out), "--as-of", GOOD_AS_OF.isoformat()]
    result = runner.invoke(build.cli, args)
    assert result.exit_code == 0, result.output
    assert (out / "index.html").exists()
    set_cell(small_package, "certifications", 2, "valid_until", "2030-01-01")
    validate = runner.invoke(build.cli, ["validate", "--datapackage", str(small_package),
                                         "--as-of", GOOD_AS_OF.isoformat()])
    refused = runner.invoke(build.cli, args)
    assert refused.exit_code == 1, refused.output
    assert validate.output.strip() in refused.output


def test_serve_notices_edited_added_and_deleted_files(tmp_path):
    import threading

    from zjtx.serve import changes

    (tmp_path / "a.csv").write_text("1", encoding="utf-8")
    (tmp_path / "b.csv").write_text("1", encoding="utf-8")
    watcher = changes([tmp_path], interval=0.05)

    def edit():
        (tmp_path / "a.csv").write_text("22", encoding="utf-8")
        (tmp_path / "b.csv").unlink()
        (tmp_path / "c.csv").write_text("3", encoding="utf-8")

    timer = threading.Timer(0.2, edit)
    timer.start()
    changed = next(watcher)
    timer.join()
    if len(changed) < 3:  # the edit may fall between two looks
        changed += next(watcher)
    assert {p.name for p in changed} == {"a.csv", "b.csv", "c.csv"}


# Publishing: site URL, sitemap, 404, corrections ------------------------------------------------------------------


@pytest.mark.slow
def test_site_url_lists_every_page_in_the_sitemap_and_gives_each_a_canonical_link(small_package, tmp_path):
    out = tmp_path / "site"
    build_site(small_package, out, GOOD_AS_OF, site_url="https://example.org/zjtx")
    locations = re.findall(r"<loc>(.*?)</loc>", (out / "sitemap.xml").read_text(encoding="utf-8"))
    pages = [p for p in html_pages(out) if p.name == "index.html" and "pagefind" not in p.parts]
    expected = {"https://example.org/zjtx/" + p.parent.relative_to(out).as_posix().removeprefix(".") + "/"
                for p in pages}
    assert set(locations) == {url.replace("/zjtx//", "/zjtx/") for url in expected}
    for path in pages:
        canonical = re.findall(r'<link rel="canonical" href="([^"]+)">', path.read_text(encoding="utf-8"))
        assert len(canonical) == 1 and canonical[0] in locations, path
    # 404.html is served at any depth: its links start from the site's path.
    page = Page(out / "404.html")
    assert "找不到这个页面" in page.plain_text
    links = [url for tag, attribute, url in page.links if tag in ("a", "link", "script", "form")]
    assert links and all(url.startswith(("/zjtx/", "#")) for url in links), links
    assert any(attributes.get("name") == "q" for attributes in page.inputs)
    assert '<html lang="zh"' in (out / "404.html").read_text(encoding="utf-8")


def test_without_a_site_url_the_404_page_still_takes_its_files_from_the_site(demo_site):
    page = Page(demo_site / "404.html")
    for _tag, _attribute, url in page.links:
        assert not url.startswith("//"), url  # //assets/... would fetch from a host named "assets"


def test_every_enterprise_page_has_a_correction_link(demo_site, small_package, tmp_path):
    """Issue 18: 纠错 leads to the publisher (the feedback page, or the configured form or e-mail that site.js fills
    in; tests/test_publisher_browser.py), never to /contribute/; a form of another scheme is refused."""
    for path in (demo_site / "enterprises").glob("*/index.html"):
        html = path.read_text(encoding="utf-8")
        uscc = path.parent.name
        assert f'<a href="../../feedback/" data-zjtx-report data-uscc="{uscc}">' in html, path
        assert "contribute/" not in html.split("<article", 1)[1].split("</article>", 1)[0], path
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"INHERIT: {MKDOCS_CONFIG}\nextra:\n  report:\n    issue_form: \"javascript:alert(1)\"\n"
                      "    email: zjtx@example.org\n", encoding="utf-8")
    with pytest.raises(BuildError, match="issue_form"):
        build_site(small_package, tmp_path / "site", GOOD_AS_OF, config_file=config)


@pytest.mark.slow
def test_cli_build_takes_a_site_url(small_package, tmp_path):
    out = tmp_path / "site"
    result = CliRunner().invoke(build.cli, ["build", "--datapackage", str(small_package), "--out", str(out),
                                            "--as-of", GOOD_AS_OF.isoformat(), "--site-url", "https://example.org/"])
    assert result.exit_code == 0, result.output
    assert "<loc>https://example.org/</loc>" in (out / "sitemap.xml").read_text(encoding="utf-8")


# Policy pages ----------------------------------------------------------------------------------------------------


def test_policy_headings_follow_the_documents_levels(demo_site):
    html = (demo_site / "policies" / "tj-zjtx-plan-2021" / "index.html").read_text(encoding="utf-8")
    parts = re.findall(r"<h2[^>]*>([一二三四五六七八九十]+、[^<]*)</h2>", html)
    items = re.findall(r"<h3[^>]*>([（(]\s*[一二三四五六七八九十]+\s*[）)][^<]*)</h3>", html)
    assert [p[:2] for p in parts] == ["一、", "二、", "三、", "四、"]
    assert len(items) >= 8 and items[0].startswith("（一）天津市")
    assert not re.search(r"<h[4-6]", html.split('<article', 1)[1])
    toc = re.search(r'<div class="toc">(.*?)</div>', html, re.S).group(1)
    assert all(part in toc for part in parts)


@pytest.mark.parametrize("markdown, expected", [
    ("### 一、总体思路\n\n正文。", "## 一、总体思路\n\n正文。"),
    ("# 通知标题", "## 通知标题"),
    ("**（一）属地推荐**。各区工业和信息化主管部门", "### （一）属地推荐\n\n各区工业和信息化主管部门"),
    ("**(二) 动态调整**。对已纳入", "### (二) 动态调整\n\n对已纳入"),
    ("**（三）国家专精特新“小巨人”企业库**：重点在", "### （三）国家专精特新“小巨人”企业库\n\n重点在"),
    ("**重点**：不是条目", "**重点**：不是条目"),          # a bold lead without an item number stays text
    ("正文中的 **（一）** 不在段首", "正文中的 **（一）** 不在段首"),
])
def test_policy_headings(markdown, expected):
    assert policy_headings(markdown) == expected


def test_the_page_shows_the_first_page_of_rows_that_table_js_would_fetch():
    """table.js keeps the rows of the HTML as its first page: both must be the same number of rows."""
    script = (Path(__file__).resolve().parent.parent / "templates" / "assets" / "zjtx" / "table.js").read_text()
    assert int(re.search(r"var PAGE_ROWS = (\d+);", script).group(1)) == PREVIEW_ROWS
