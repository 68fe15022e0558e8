"""Pages are minified as MkDocs writes them (zjtx/build/mkdocs/hooks.py), and minifying changes nothing a reader sees."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from zjtx.build.mkdocs.hooks import minify


# Attributes a minifier may drop because they only repeat the browser's default.
DEFAULTS = {("form", "method", "get"), ("button", "type", "submit"), ("input", "type", "text"),
            ("script", "type", "text/javascript"), ("style", "type", "text/css"), ("link", "type", "text/css")}


class Structure(HTMLParser):
    """Elements with their attributes, and the text between them with whitespace runs collapsed."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple] = []
        self._raw = 0  # inside <pre> or <script>, where whitespace is content
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        # An attribute without a value and one with an empty value are the same to a browser.
        attributes = sorted((name, value or "") for name, value in attrs if (tag, name, value) not in DEFAULTS)
        self.items.append(("start", tag, attributes))
        self._raw += tag in ("pre", "script", "textarea")

    def handle_endtag(self, tag):
        self.items.append(("end", tag))
        self._raw -= tag in ("pre", "script", "textarea")

    def handle_data(self, data):
        text = data if self._raw else re.sub(r"\s+", " ", data)
        if not self._raw and not text.strip():
            return  # whitespace between blocks: the browser renders at most one space there
        self.items.append(("text", text if self._raw else text.strip()))


PAGE = """<!doctype html>
<html lang="zh">
  <head>
    <meta charset="utf-8">
    <title>天津&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;公司 - 名录</title>
    <meta name="description" content="A &amp; B &lt;b&gt;">
  </head>
  <body>
    <a href="../../tiers/seed/?a=1&amp;b=2" title="&quot;q&quot;">种子企业</a>
    <pre>  two  spaces
  stay</pre>
    <script type="application/ld+json">{"name": "a  &lt;  b", "x": "</scr\\u0069pt>"}</script>
  </body>
</html>
"""


def test_minify_drops_whitespace_and_keeps_every_escape():
    small = minify(PAGE)
    assert len(small) < len(PAGE) - 50
    assert "\n    " not in small.replace("<pre>  two  spaces\n  stay</pre>", "")
    assert "<title>天津&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;公司 - 名录</title>" in small
    assert "A &amp; B &lt;b&gt;" in small
    assert "?a=1&amp;b=2" in small and "&quot;q&quot;" in small
    assert "<pre>  two  spaces\n  stay</pre>" in small
    assert '{"name": "a  &lt;  b", "x": "</scr\\u0069pt>"}' in small
    assert Structure(small).items == Structure(PAGE).items


def test_a_page_holding_the_placeholder_character_is_left_as_it_is():
    page = PAGE.replace("种子企业", "种子\ufdd0企业")
    assert minify(page) == page


@pytest.fixture(scope="module")
def minified_site(demo_package, tmp_path_factory):
    from conftest import SITE_AS_OF
    from zjtx.build import build_site

    return build_site(demo_package, tmp_path_factory.mktemp("minified") / "site", SITE_AS_OF, minify=True).out_dir


@pytest.mark.parametrize("folder", ["", "enterprises", "tiers", "announcements", "policies", "search", "stats"])
def test_built_pages_are_minified_and_read_the_same(minified_site, folder, tmp_path):
    demo_site = minified_site
    """Every page the build writes is minified; rebuilt without the hook, it holds the same elements and text."""
    pages = sorted((demo_site / folder).rglob("index.html")) if folder else [demo_site / "index.html"]
    assert pages
    for path in pages[:20]:
        html = path.read_text(encoding="utf-8")
        assert not re.search(r">\n? {2,}<", re.sub(r"<(pre|script)\b.*?</\1>", "", html, flags=re.S)), path
        assert minify(html) == html, path  # nothing left to take out


@pytest.mark.slow
def test_minified_pages_match_an_unminified_build(demo_package, tmp_path):
    """The same package built with the minifier switched off: every page has the same elements and text."""
    from conftest import SITE_AS_OF
    from zjtx.build import build_site

    minified = build_site(demo_package, tmp_path / "minified", SITE_AS_OF, minify=True).out_dir
    plain = build_site(demo_package, tmp_path / "plain", SITE_AS_OF, minify=False).out_dir
    pages = sorted(path.relative_to(plain) for path in plain.rglob("*.html"))
    assert pages == sorted(path.relative_to(minified) for path in minified.rglob("*.html"))
    saved = 0
    for page in pages:
        before, after = (plain / page).read_text(encoding="utf-8"), (minified / page).read_text(encoding="utf-8")
        assert Structure(after).items == Structure(before).items, page
        saved += len(before.encode()) - len(after.encode())
    # The theme's indentation is what goes: a page with the site menu loses a fifth, an enterprise page (no
    # menu) a tenth.
    for folder, share in (("announcements", 0.8), ("enterprises", 0.9)):
        page = next(page for page in pages if page.parts[0] == folder and len(page.parts) == 3)
        assert len((minified / page).read_bytes()) < share * len((plain / page).read_bytes()), page
    assert saved > 0
