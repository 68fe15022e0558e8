"""Render every page of the site, with the table data beside its page and the static assets, into the docs folder
MkDocs reads (or, in a build, into memory: at 100,000 enterprises writing, reading and deleting the files took a
fifth of the build)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from collections.abc import Callable

import jinja2

from .. import assets
from ..errors import BuildError
from ..view import RegisterView
from .column import Column, write_product_pages
from .environment import ASSETS, TEMPLATES_DIR, environment
from .page import Page, front_matter
from .plan import organization, plan_pages
from .tables import Tables

SEARCH_TEMPLATE = "search.md.j2"

Progress = Callable[[str, int, int], None]
# Receives each generated file of the docs folder: its path relative to the folder, and its text.
Write = Callable[[str, str], None]


def write_file(docs_dir: Path, path: str, text: str) -> None:
    target = docs_dir / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def render_site(
    view: RegisterView,
    docs_dir: Path,
    progress: Progress | None = None,
    templates_dir: Path = TEMPLATES_DIR,
    write: Write | None = None,
    publisher: dict | None = None,
) -> int:
    """Write every page, the table data and the static assets into docs_dir; return the number of pages.

    With `write`, pages and table data go to it instead of the folder. `publisher` is
    zjtx.publisher.Publisher.as_dict() of the MkDocs configuration: the footer's pages and 纠错.
    """
    write = write or functools.partial(write_file, docs_dir)
    env = environment(templates_dir, publisher)
    col = Column(view)
    env.globals.update(col=col, organization=functools.partial(organization, view))
    common = {"register": view.register, "view": view, "as_of": view.day}
    pages = list(plan_pages(view, Tables(view)))
    if (templates_dir / SEARCH_TEMPLATE).exists():
        pages.append(Page("search.md", SEARCH_TEMPLATE, "搜索"))
    for done, page in enumerate(pages, start=1):
        try:
            text = env.get_template(page.template).render(
                common, root=page.root, table=page.table, **page.context
            )
        except jinja2.TemplateError as error:
            where = f"{error.filename}:{error.lineno}" if getattr(error, "lineno", None) else page.template
            raise BuildError(
                f"template {where} failed for page {page.path}: {error}",
                f"模板 {where} 在生成页面 {page.path} 时出错：{error}",
            ) from error
        if not text.startswith("---\n"):
            text = front_matter(page) + text
        write(page.path, text)
        if page.table is not None:
            data = page.table.data(len(view.enterprise_ids))
            write(f"{page.path.removesuffix('.md')}/rows.json", json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        if progress:
            progress("生成页面", done, len(pages))
    write_product_pages(col, write)
    assets.copy_assets(templates_dir / ASSETS, docs_dir)
    return len(pages)
