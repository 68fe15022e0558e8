"""The Jinja environment every page is rendered with: autoescape, strict undefined names, and the filters and
words the templates share.

Data pages are rendered to HTML here and marked `render: html`, so that the site's MkDocs hooks pass the body through
untouched: nothing in the data can act as Markdown, HTML or a template.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import assets, library
from ..labels import label
from ..publisher import Publisher
from ..urls import is_web_url

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "templates"
ASSETS = "assets"
LATEST_ANNOUNCEMENTS = 10
FIELD_TYPES = {"string": "文本", "integer": "整数", "number": "数值", "date": "日期", "boolean": "是/否"}


def script_json(value) -> Markup:
    """JSON that is safe inside a <script> element, whatever the strings in it hold."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def field_type(field: dict) -> str:
    return FIELD_TYPES.get(field.get("type", "string"), field.get("type", "string"))


def field_constraints(field: dict) -> str:
    """The schema's constraints on a field, as a reader of the data dictionary wants them."""
    constraints = field.get("constraints", {})
    parts = []
    if constraints.get("required"):
        parts.append("必填")
    if constraints.get("unique"):
        parts.append("唯一")
    if "enum" in constraints:
        parts.append("取值：" + " / ".join(map(str, constraints["enum"])))
    if "pattern" in constraints:
        parts.append(f"格式：{constraints['pattern']}")
    if "minimum" in constraints:
        parts.append(f"最小 {constraints['minimum']}")
    if "maximum" in constraints:
        parts.append(f"最大 {constraints['maximum']}")
    return "；".join(parts)


def iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def environment(templates_dir: Path = TEMPLATES_DIR, publisher: dict | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(iso=iso, script_json=script_json, combine=lambda base, more: {**base, **more})
    env.globals.update(
        label=label,
        is_web_url=is_web_url,
        field_type=field_type,
        field_constraints=field_constraints,
        latest_announcements=LATEST_ANNOUNCEMENTS,
        library_definition=library.DEFINITION,
        # Who publishes the site and where 纠错 leads (zjtx.publisher, from extra of mkdocs.yml).
        publisher=publisher if publisher is not None else Publisher().as_dict(),
        # The site's stylesheets and scripts by their logical names; published under content-hashed ones.
        asset=assets.resolver(assets.manifest(templates_dir / ASSETS)),
    )
    return env
