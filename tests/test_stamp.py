"""Pages outside the navigation are stamped from one frame per folder (zjtx/build/mkdocs/hooks.py): byte for byte
what the theme renders for each of them."""

from __future__ import annotations

import logging

import pytest
from markupsafe import escape
from jinja2.filters import do_striptags as striptags

from conftest import HOSTILE, SITE_AS_OF, make_hostile_package
from packages import AS_OF as GOOD_AS_OF
from packages import build
from zjtx.build.mkdocs import MKDOCS_CONFIG


class Stamped(logging.Handler):
    """What the hooks report at the end of a build: how many pages they stamped."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.pages = 0
        self.by_folder: dict[str, int] = {}

    def emit(self, record):
        message = record.getMessage()
        if message.startswith("stamped "):
            self.pages += int(message.split()[1])
        elif message.startswith("folder "):
            folder, stamped = message.split()[1].rstrip(":"), int(message.split()[2])
            self.by_folder[folder] = self.by_folder.get(folder, 0) + stamped


@pytest.fixture
def stamped_pages():
    logger = logging.getLogger("mkdocs.plugins.zjtx")
    handler, level = Stamped(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def build_pair(package, as_of, tmp_path):
    """The package built as usual, and built with stamping off (every page rendered by the theme)."""
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"INHERIT: {MKDOCS_CONFIG}\nextra:\n  zjtx:\n    stamp: false\n", encoding="utf-8")
    stamped = build(package, tmp_path / "stamped", as_of).out_dir
    plain = build(package, tmp_path / "plain", as_of, config_file=config).out_dir
    return stamped, plain


def same_pages(stamped, plain) -> list[str]:
    pages = sorted(str(path.relative_to(plain)) for path in plain.rglob("*.html"))
    assert pages == sorted(str(path.relative_to(stamped)) for path in stamped.rglob("*.html"))
    for page in pages:
        assert (stamped / page).read_bytes() == (plain / page).read_bytes(), page
    return pages


@pytest.mark.slow
def test_stamped_pages_are_the_pages_the_theme_renders(demo_package, tmp_path, stamped_pages):
    stamped, plain = build_pair(demo_package, SITE_AS_OF, tmp_path)
    pages = same_pages(stamped, plain)
    enterprises = sum(page.startswith("enterprises/") for page in pages)
    assert enterprises > 50
    # All but the pages each frame is checked against were stamped, in the first build only: every enterprise
    # page shares its folder's frame.
    assert enterprises - 2 <= stamped_pages.by_folder["enterprises/"] <= stamped_pages.pages < len(pages)


@pytest.mark.slow
def test_pages_with_canonical_addresses_are_stamped_with_their_own(demo_package, tmp_path, stamped_pages):
    """With a site URL every page links its own canonical address: the frame fills that in per page too."""
    site_url = "https://example.org/zjtx/"
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"INHERIT: {MKDOCS_CONFIG}\nsite_url: {site_url}\n", encoding="utf-8")
    plain_config = tmp_path / "plain.yml"
    plain_config.write_text(f"INHERIT: {config}\nextra:\n  zjtx:\n    stamp: false\n", encoding="utf-8")
    stamped = build(demo_package, tmp_path / "stamped", SITE_AS_OF, config_file=config).out_dir
    plain = build(demo_package, tmp_path / "plain", SITE_AS_OF, config_file=plain_config).out_dir
    same_pages(stamped, plain)
    assert stamped_pages.pages > 50
    enterprise = next((stamped / "enterprises").iterdir())
    html = (enterprise / "index.html").read_text(encoding="utf-8")
    assert f"{site_url}enterprises/{enterprise.name}/" in html


@pytest.mark.slow
def test_hostile_titles_are_stamped_exactly_as_the_theme_escapes_them(tmp_path):
    package = make_hostile_package(tmp_path / "package")
    stamped, plain = build_pair(package, GOOD_AS_OF, tmp_path)
    same_pages(stamped, plain)
    html = (stamped / "enterprises" / "91120111300000010Q" / "index.html").read_text(encoding="utf-8")
    assert "&lt;/script&gt;&lt;script&gt;alert" in html and HOSTILE["breakout"] not in html.split("<script", 1)[0]


@pytest.mark.parametrize("name", ["title", "description", "content", "canonical_url"])
def test_a_frame_whose_marker_the_theme_changed_is_not_used(name):
    """The bad case: a theme that escapes, strips or cuts a value breaks its marker, and the frame is refused."""
    from zjtx.build.mkdocs import hooks

    mark = hooks._MARKS[name]
    frame = f"<title>{hooks._MARKS['title']}</title><main>{mark}</main>"
    assert hooks.intact(frame)
    assert not hooks.intact(frame.replace(mark, str(escape(mark))))
    assert not hooks.intact(frame.replace(mark, striptags(mark)))
    assert not hooks.intact(frame.replace(mark, mark[:4]))


def test_values_are_filled_in_once_and_never_read_as_markers():
    from zjtx.build.mkdocs import hooks

    frame = f"<title>{hooks._MARKS['title']}</title>{hooks._MARKS['content']}"
    values = {"title": "A&amp;B " + hooks._MARKS["content"], "content": "<h1>x</h1>"}
    assert hooks._fill(frame, values) == f"<title>A&amp;B {hooks._MARKS['content']}</title><h1>x</h1>"
