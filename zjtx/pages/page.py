"""A page of the site: its Markdown file in the docs folder, its template, title and context, and its front matter."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from markupsafe import escape

from .tables import Table


@dataclass(frozen=True)
class Page:
    path: str  # the Markdown file, relative to the build folder
    template: str
    title: str
    context: dict = field(default_factory=dict)
    description: str = ""
    table: Table | None = None  # the page's enterprise table, written beside it as rows.json
    # The latest day a fact the page shows changed (RegisterView.changed_on): its publication date (PubDate,
    # sitemap.xml), which a rebuild on a later day keeps as long as nothing it shows changes.
    pub_date: date | None = None

    @property
    def root(self) -> str:
        """Relative path from the page's URL to the site root: `enterprises/X.md` is served at enterprises/X/."""
        parts = self.path.removesuffix(".md").split("/")
        if parts[-1] == "index":
            parts.pop()
        return "/".join([".."] * len(parts)) or "."


def front_matter(page: Page) -> str:
    """YAML front matter; the theme prints title and description without escaping, so they are escaped here."""
    lines = ["---", f"title: {json.dumps(str(escape(page.title)), ensure_ascii=False)}"]
    if page.description:
        lines.append(f"description: {json.dumps(str(escape(page.description)), ensure_ascii=False)}")
    if page.template.endswith(".html.j2"):
        lines.append("render: html")
        # The kind of page (enterprise, tier, district...), which the theme's templates read as plain metadata.
        lines.append(f"kind: {page.template.removesuffix('.html.j2')}")
    if page.pub_date is not None:
        lines.append(f"pub_date: {page.pub_date.isoformat()}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


