"""Markdown that cannot act: policy texts come from the package, so they may hold raw HTML, script links or
attribute lists, and none of it may reach a reader's browser as anything but text.

Two layers, because either alone leaves a hole:
- the policy page's template (autoescaped Jinja) turns `&`, `<`, `>` and quotes of a policy text into entities
  before MkDocs sees it, so raw HTML and character references (`&#106;avascript:`) stay text; `escape_markup`
  does the same for the validation check, which must see the links exactly as the page will;
- `SafeLinks`, a Python-Markdown extension the site build adds to every page, keeps only http, https and
  mailto links (and the site's own relative ones), shows images from elsewhere as their alt text, and removes event-handler and style
  attributes that an attribute list (`{: onclick=… }`) could add.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

import markdown
import markupsafe
from markdown import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_SCHEMES = ("http", "https", "mailto")
URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "xlink:href", "poster", "cite", "data")
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# Browsers ignore these inside a URL's scheme (java\tscript:), so they must not hide one from the check.
IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f\u00ad\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff]")


def escape_markup(markdown_text: str) -> str:
    """The text as the policy page's autoescaping template passes it to Markdown: no HTML in it can act."""
    return str(markupsafe.escape(markdown_text))


def is_safe_url(url: str) -> bool:
    """True for http(s) and mailto URLs and for references without a scheme (relative links, #fragments)."""
    cleaned = IGNORED_IN_URLS.sub("", html.unescape(url)).lower()
    match = SCHEME.match(cleaned)
    return match is None or match.group(1) in ALLOWED_SCHEMES


def is_local_url(url: str) -> bool:
    """A reference into the site itself: an image from elsewhere would tell another server who reads the page."""
    cleaned = IGNORED_IN_URLS.sub("", html.unescape(url)).lower()
    return not SCHEME.match(cleaned) and not cleaned.startswith("//")


def links_of(markdown_text: str) -> list[str]:
    """Every link and image address of a policy text, as a browser would read it."""
    rendered = markdown.markdown(escape_markup(markdown_text), extensions=["attr_list", "tables"])
    return [html.unescape(url) for url in re.findall(r'(?:href|src)="([^"]*)"', rendered)]


def unsafe_links(markdown_text: str) -> list[str]:
    """Addresses a policy text may not hold: anything but http, https, mailto and #fragments within the page."""
    return [url for url in links_of(markdown_text)
            if not (url.startswith("#") or (is_safe_url(url) and SCHEME.match(url.strip().lower())))]


class _SafeLinksProcessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, element in reversed(list(enumerate(parent))):
                if element.tag == "img" and not is_local_url(element.get("src", "")):
                    text = etree.Element("span")
                    text.text = element.get("alt", "")
                    text.tail = element.tail
                    parent[index] = text
        for element in root.iter():
            if element.tag == "a" and not is_safe_url(element.get("href", "")):
                element.tag = "span"  # the link's text stays; MkDocs expects every <a> to have an href
            for name in list(element.attrib):
                lowered = name.lower()
                if lowered.startswith("on") or lowered == "style":
                    del element.attrib[name]
                elif lowered in URL_ATTRIBUTES and not is_safe_url(element.attrib[name]):
                    del element.attrib[name]


class SafeLinks(Extension):
    def extendMarkdown(self, md):
        # After attr_list (priority 8) and inline parsing, before the tree is serialised.
        md.treeprocessors.register(_SafeLinksProcessor(md), "zjtx_safe_links", 1)


def makeExtension(**kwargs):  # the name Python-Markdown looks up for `zjtx.safe_markdown`
    return SafeLinks(**kwargs)
