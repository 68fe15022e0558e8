"""MkDocs hooks of the site build (named in the generated MkDocs configuration, loaded by path).

Pages that zjtx.render has already turned into HTML skip Markdown: Markdown syntax in the data cannot act, and
the build saves the time Python-Markdown would spend scanning thousands of HTML bodies. Parts of the theme's
page that are the same on many pages are rendered once (`zjtx_cached` in overrides/main.html). Theme files that
no page uses (the theme's JavaScript, which overrides/main.html leaves out, and source maps) stay out of the site.
Every page is minified as it is written (`minify`): at 100,000 enterprises the theme's indentation alone would
take a third of what a static host publishes.
"""

from __future__ import annotations

import functools

import minify_html
from mkdocs.structure.toc import get_toc

UNUSED_THEME_FILES = ("assets/javascripts/",)

_fragments: dict[tuple, str] = {}


def on_env(env, config, files):
    _fragments.clear()
    env.globals["zjtx_cached"] = cached
    return env


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


def on_page_markdown(markdown, page, config, files):
    if page.meta.get("render") == "html":
        # MkDocs builds a new Markdown converter for every page; these pages need none.
        page.render = functools.partial(_use_html, page, markdown)
    return markdown


def _use_html(page, html, config, files):
    """Page.render for a page whose body is already HTML."""
    page.content = html
    page.toc = get_toc([])


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
