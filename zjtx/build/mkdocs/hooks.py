"""MkDocs hooks of the site build (named in the generated MkDocs configuration, loaded by path).

Pages that zjtx.pages has already turned into HTML skip Markdown: Markdown syntax in the data cannot act, and
the build saves the time Python-Markdown would spend scanning thousands of HTML bodies. Parts of the theme's
page that are the same on many pages are rendered once (`zjtx_cached` in overrides/main.html). Theme files that
no page uses (the theme's JavaScript, which overrides/main.html leaves out, and source maps) stay out of the site.
Every page is minified as it is written (`minify`): at 100,000 enterprises the theme's indentation alone would
take a third of what a static host publishes.

Thousands of pages outside the navigation (enterprises, above all) differ only in their title, description,
body and address: the theme renders them once per folder as a frame, and each page is the frame with its own
values filled in (`stamp`). The frame is trusted only once it has reproduced the theme's own rendering of two
pages byte for byte, and a page whose values could take another branch of the theme is rendered in full.
"""

from __future__ import annotations

import datetime
import functools
import logging
import re
from dataclasses import dataclass

import jinja2
import minify_html
from mkdocs.structure.toc import get_toc

log = logging.getLogger("mkdocs.plugins.zjtx")

UNUSED_THEME_FILES = ("assets/javascripts/",)
STAMP_TEMPLATE = "zjtx/stamp.html"
THEME_TEMPLATE = "main.html"

_fragments: dict[tuple, str] = {}


def on_env(env, config, files):
    _fragments.clear()
    _frames.clear()
    # Work savers only: the theme's templates read plain variables (config.extra.zjtx, the page's meta) and render
    # the same without these (overrides/main.html).
    env.globals["zjtx_cached"] = cached
    env.globals["zjtx_stamp"] = stamp
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({STAMP_TEMPLATE: "{{ zjtx_stamp() }}"}), env.loader])
    return env


# The column (栏目) of the pages outside the navigation, by their folder; the others take their menu entry's name.
COLUMNS = {"enterprises": "企业"}


def column_name(page, nav) -> str:
    """ColumnName of the government meta tags: the section of the site the page belongs to."""
    folder = page.url.split("/", 1)[0]
    for item in nav.items if nav else []:
        if (item.url or "").split("/", 1)[0] == folder and item.title:
            return item.title
    return COLUMNS.get(folder, "")


def on_page_context(context, page, config, nav):
    # ColumnName comes from the navigation, which the page's own front matter does not know: it joins the page's
    # meta here, where the theme reads it as a plain value.
    column = column_name(page, nav)
    if column:
        page.meta["column"] = column
    return context


def cached(*key, caller):
    """The body of a `{% call zjtx_cached(key...) %}` block, rendered once per key and build."""
    if key not in _fragments:
        _fragments[key] = caller()
    return _fragments[key]


def on_files(files, config):
    for file in list(files):
        uri = file.src_uri
        if not file.is_documentation_page() and (uri.startswith(UNUSED_THEME_FILES) or uri.endswith(".map")):
            files.remove(file)
    return files


# PubDate of the government meta tags: `pub_date` of a page's front matter, a day (YAML reads it as a date).
_PUB_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?")


def on_page_markdown(markdown, page, config, files):
    if "pub_date" in page.meta:
        day = page.meta["pub_date"]
        day = day.isoformat() if isinstance(day, datetime.date) else str(day or "")
        if _PUB_DATE.fullmatch(day):
            page.meta["pub_date"] = day
            # The page's own date (zjtx.pages.page.Page.pub_date) rather than the build's: sitemap.xml's lastmod.
            page.update_date = day[:10]
        else:
            del page.meta["pub_date"]  # never printed unless it is a day (the theme prints it as it is)
    if page.meta.get("render") == "html":
        # MkDocs builds a new Markdown converter for every page; these pages need none.
        page.render = functools.partial(_use_html, page, markdown)
        stamping = config.extra.get("zjtx", {}).get("stamp", True)  # `extra: {zjtx: {stamp: false}}` turns it off
        if stamping and page.file.inclusion.is_not_in_nav() and "template" not in page.meta:
            page.meta["template"] = STAMP_TEMPLATE
    return markdown


def _use_html(page, html, config, files):
    """Page.render for a page whose body is already HTML."""
    page.content = html
    page.toc = get_toc([])


# Stamped pages ----------------------------------------------------------------------------------------------------

# What differs from page to page of a folder. Each stands in the frame as a marker holding what an escaping,
# tag-stripping, space-collapsing or truncating filter would change: a frame in which the theme transformed a
# value instead of printing it as it is shows a broken marker and is not used. "<h1" keeps the theme from adding
# a heading of its own (partials/content.html), as it does not for pages that bring theirs.
PER_PAGE = ("title", "description", "content", "canonical_url", "pub_date")
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_MARKS = {name: f"{_MARK_OPEN}{name}<h1>&\"'  .{_MARK_CLOSE}" for name in PER_PAGE}
_MARK = re.compile("|".join(re.escape(mark) for mark in _MARKS.values()))
_NAME_OF = {mark: name for name, mark in _MARKS.items()}
# Pages whose frame must match the theme's own output before the frame is used for the rest of their folder;
# after that, one page in CHECK_EVERY is still rendered in full and compared, and a difference stops the build.
CHECKED_PAGES = 2
CHECK_EVERY = 1000


class StampError(Exception):
    """A frame gave another page than the theme: a bug of the stamping, never published (the build fails)."""


@dataclass
class _Frame:
    text: str | None  # None: this kind of page is rendered in full
    checked: int = 0
    stamped: int = 0


_frames: dict[tuple, _Frame] = {}


def _values(page) -> dict:
    return {"title": page.meta.get("title"), "description": page.meta.get("description"),
            "content": page.content, "canonical_url": page.canonical_url, "pub_date": page.meta.get("pub_date")}


def _fill(frame: str, values: dict) -> str:
    # One pass over the frame: text filled in is never read again as a marker.
    return _MARK.sub(lambda match: values[_NAME_OF[match.group(0)]], frame)


def _make_frame(context, page) -> str | None:
    """The page as the theme renders it with markers for the values of PER_PAGE; None if any marker broke."""
    saved_meta = dict(page.meta)
    saved = {name: getattr(page, name) for name in ("content", "canonical_url", "abs_url")}
    try:
        page.meta["title"], page.content = _MARKS["title"], _MARKS["content"]
        for name in ("description", "pub_date"):
            if name in page.meta:
                page.meta[name] = _MARKS[name]
        if page.canonical_url is not None:
            page.canonical_url = _MARKS["canonical_url"]
        frame = _render_in_full(context)
    finally:
        page.meta.clear()
        page.meta.update(saved_meta)
        for name, value in saved.items():
            setattr(page, name, value)
    return frame if intact(frame) else None


def intact(frame: str) -> bool:
    """Every marker in the frame is whole: the theme printed each value as it is."""
    whole = len(_MARK.findall(frame))
    return whole == frame.count(_MARK_OPEN) == frame.count(_MARK_CLOSE)


def _render_in_full(context) -> str:
    return context.environment.get_template(THEME_TEMPLATE).render(context.get_all())


@jinja2.pass_context
def stamp(context) -> str:
    """The page, from its folder's frame when that frame is known to give what the theme would."""
    page = context["page"]
    values = _values(page)
    texts = [value for value in values.values() if value is not None]
    if values["title"] is None or "<h1" not in (values["content"] or "") or any(
            _MARK_OPEN in text or _MARK_CLOSE in text for text in texts):
        return _render_in_full(context)
    # Relative links make a page depend on its folder, not only on its depth.
    folder = page.url.rstrip("/").rpartition("/")[0]
    meta = tuple(sorted((key, repr(value)) for key, value in page.meta.items() if key not in PER_PAGE))
    key = (folder, meta, values["description"] is None, values["canonical_url"] is None, values["pub_date"] is None)
    frame = _frames.get(key)
    if frame is None:
        frame = _frames[key] = _Frame(_make_frame(context, page))
    if frame.text is None:
        return _render_in_full(context)
    if frame.checked < CHECKED_PAGES:
        output = _render_in_full(context)
        if _fill(frame.text, values) == output:
            frame.checked += 1
        else:
            frame.text = None
        return output
    frame.stamped += 1
    stamped = _fill(frame.text, values)
    if frame.stamped % CHECK_EVERY == 0 and stamped != _render_in_full(context):
        raise StampError(f"{page.file.src_uri}: the page made from its folder's frame differs from the theme's")
    return stamped


def on_post_build(config):
    frames = [frame for frame in _frames.values() if frame.text is not None]
    log.info("stamped %d pages from %d frames; %d kinds of page rendered in full",
             sum(frame.stamped for frame in frames), len(frames), len(_frames) - len(frames))
    by_folder: dict[str, int] = {}
    for key, frame in _frames.items():
        by_folder[key[0]] = by_folder.get(key[0], 0) + frame.stamped
    for folder, stamped in sorted(by_folder.items()):
        # A page element that differs per page but is no per-page value breaks the folder's frame (the 纠错 link
        # once did, for every enterprise page): the tests read these lines.
        log.info("folder %s/: %d pages stamped", folder, stamped)


def _minifying(config) -> bool:
    return bool((config.extra.get("zjtx") or {}).get("minify", True))


def on_post_page(output, page, config):
    return minify(output) if _minifying(config) else output


def on_post_template(output_content, template_name, config):
    # The theme's 404.html and sitemap-less templates are pages people load too.
    if template_name.endswith(".html") and _minifying(config):
        return minify(output_content)
    return output_content


# A Unicode noncharacter, reserved for a program's internal use: it stands for "&" while minify-html reads the page.
_AMPERSAND = "\ufdd0"


def minify(html: str) -> str:
    """The page without the whitespace and optional markup a browser ignores; every escape stays as written.

    minify-html would decode `&lt;` wherever HTML allows a bare `<` (in a title, in a quoted attribute): valid,
    but data would then show up as markup to any simple parser of the page, so it reads the page with every `&`
    hidden and sees no character reference at all. Closing tags stay (they cost under 3 % of a page), so every
    element ends where a reader of the source, or a scraper, expects it. Scripts and styles are left as written.
    """
    if _AMPERSAND in html:  # cannot come from the validated data; if it ever does, the page stays as it is
        return html
    hidden = html.replace("&", _AMPERSAND)
    small = minify_html.minify(hidden, keep_closing_tags=True, keep_html_and_head_opening_tags=True)
    return small.replace(_AMPERSAND, "&")
