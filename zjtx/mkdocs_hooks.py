"""MkDocs hooks of the site build (named in the generated MkDocs configuration, loaded by path).

Pages that zjtx.render has already turned into HTML skip Markdown: Markdown syntax in the data cannot act, and
the build saves the time Python-Markdown would spend scanning thousands of HTML bodies. Parts of the theme's
page that are the same on many pages are rendered once (`zjtx_cached` in overrides/main.html). Theme files that
no page uses (the theme's JavaScript, which overrides/main.html leaves out, and source maps) stay out of the site.
"""

from __future__ import annotations

import functools

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
