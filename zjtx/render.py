"""Render the register into the pages of the site: Markdown files in a build folder that MkDocs reads.

Data pages are rendered to HTML here, by Jinja2 with autoescape, and marked `render: html` so that the site's
MkDocs hooks pass the body through untouched: nothing in the data can act as Markdown, HTML or a template.
Only the hand-written pages (about, contribute, policy texts) are Markdown.
"""

from __future__ import annotations

import base64
import functools
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

import jinja2
from markupsafe import Markup, escape

from . import assets, library, search, stats
from .errors import BuildError
from .labels import STATUS_ORDER, label
from .load import Certification, Enterprise, Register
from .publisher import Publisher

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
ASSETS = "assets"
SEARCH_TEMPLATE = "search.md.j2"

# Rows an enterprise table renders into its HTML, for readers without JavaScript; table.js then pages through
# every row, PAGE_ROWS at a time, reading names from the search index.
PREVIEW_ROWS = 50
LATEST_ANNOUNCEMENTS = 10

SAFE_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")

Progress = Callable[[str, int, int], None]


def is_web_url(url: str) -> bool:
    return url.startswith(("https://", "http://"))


def script_json(value) -> Markup:
    """JSON that is safe inside a <script> element, whatever the strings in it hold."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


FIELD_TYPES = {"string": "文本", "integer": "整数", "number": "数值", "date": "日期", "boolean": "是/否"}


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


# Pages ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    """One enterprise of a tier or district table: the tier it is listed under, the year it entered that tier, and
    the standing of its latest listing there on the as-of day."""

    uscc: str
    tier_id: str
    district_code: str
    year: int
    status: str


# Facet codes are written as fixed-width numbers in this alphabet: printable ASCII that JSON never escapes.
CODE_ALPHABET = "".join(chr(c) for c in range(0x23, 0x7F) if chr(c) != "\\")


@dataclass(frozen=True)
class Table:
    """An enterprise table of a page, written beside it as rows.json for table.js.

    Rows follow the search index's id order, so the table names only which ids it holds (a bitmap) and each
    row's facets (district, year, status, ...), never a name: table.js reads names and USCCs from the index's
    record files for the rows on screen, and its text filter is a search of the same index. That keeps a page
    view small at any size: a row costs two or three characters of rows.json.
    """

    columns: tuple[str, ...]  # "name" and "uscc" come from the search index; the others are facets
    facets: tuple[str, ...]
    lookups: dict[str, list[tuple[str, str]]]  # facet -> [(code, label)], in the facet's sort order
    rows: list[tuple[int, str, tuple[int, ...]]]  # (search id, uscc, index into each facet's look-up list)
    filters: tuple[str, ...]
    sort: tuple[str, int]  # the facet rows are first sorted by, and 1 ascending or -1 descending
    caption: str

    def ordered(self) -> list[tuple[int, str, tuple[int, ...]]]:
        """Rows in the order table.js first shows them: by the sort facet, then by id."""
        position = self.facets.index(self.sort[0])
        return sorted(self.rows, key=lambda row: (self.sort[1] * row[2][position], row[0]))

    def preview(self) -> list[dict[str, str]]:
        """The first rows, as label per column, for the HTML."""
        rows = []
        for _, uscc, indices in self.ordered()[:PREVIEW_ROWS]:
            cells = {"uscc": uscc}
            for facet, index in zip(self.facets, indices):
                cells[facet], cells[facet + "_label"] = self.lookups[facet][index]
            rows.append(cells)
        return rows

    def data(self, id_count: int) -> dict:
        sizes = [len(self.lookups[facet]) for facet in self.facets]
        width = 1
        while len(CODE_ALPHABET) ** width < max(1, math.prod(sizes)):
            width += 1
        codes = []
        members = bytearray((id_count >> 3) + 1)
        for identifier, _, indices in sorted(self.rows):
            members[identifier >> 3] |= 1 << (identifier & 7)
            code = 0
            for index, size in zip(indices, sizes):
                code = code * size + index
            digits = []
            for _ in range(width):
                code, digit = divmod(code, len(CODE_ALPHABET))
                digits.append(CODE_ALPHABET[digit])
            codes.append("".join(reversed(digits)))
        return {
            "count": len(self.rows),
            "facets": list(self.facets),
            "lookups": {facet: [list(entry) for entry in self.lookups[facet]] for facet in self.facets},
            "alphabet": CODE_ALPHABET,
            "width": width,
            "codes": "".join(codes),
            "members": base64.b64encode(bytes(members)).decode("ascii"),
            "sort": list(self.sort),
        }


@dataclass(frozen=True)
class Page:
    path: str  # the Markdown file, relative to the build folder
    template: str
    title: str
    context: dict = field(default_factory=dict)
    description: str = ""
    table: Table | None = None  # the page's enterprise table, written beside it as rows.json

    @property
    def root(self) -> str:
        """Relative path from the page's URL to the site root: `enterprises/X.md` is served at enterprises/X/."""
        parts = self.path.removesuffix(".md").split("/")
        if parts[-1] == "index":
            parts.pop()
        return "/".join([".."] * len(parts)) or "."


def segment(value: str) -> str:
    """An identifier used as a folder name; validation guarantees the pattern, this guards the file system."""
    if not SAFE_SEGMENT.fullmatch(value):
        raise BuildError(f"{value!r} cannot be part of a page address", f"{value!r} 不能用作页面地址")
    return value


class Site:
    """Look-ups that several pages share, computed once per build."""

    def __init__(self, register: Register, as_of: date):
        self.register = register
        self.as_of = as_of
        self.members = register.members_on(as_of)
        self.city_count = len(set().union(*self.members.values()))  # each enterprise once, whatever its tiers
        self.targets = stats.target_outcomes(register, as_of)
        self.colours = dict(zip((t.tier_id for t in register.tiers_by_rank), stats.SERIES_COLOURS * 4))
        self.listed_by: dict[str, list[Certification]] = defaultdict(list)
        self.changed_by: dict[str, list[Certification]] = defaultdict(list)
        for certification in register.certifications:
            self.listed_by[certification.announcement_id].append(certification)
            if certification.status_announcement_id:
                self.changed_by[certification.status_announcement_id].append(certification)
        self.announcements = sorted(
            register.announcements.values(), key=lambda a: (a.published_on, a.announcement_id), reverse=True
        )
        self.place_members: dict[tuple[str, str], set[str]] = defaultdict(set)
        for certification in register.certifications:
            if register.held_on(certification, as_of):
                places = {register.enterprises[certification.uscc].district_code, certification.recommended_by}
                for place in places:
                    self.place_members[place, certification.tier_id].add(certification.uscc)
        # Tables list rows in the search index's id order (see Table).
        self.search_ids = {uscc: i for i, uscc in enumerate(search.id_order(register))}
        self.zones: dict[str, list] = defaultdict(list)
        for district in register.districts.values():
            if district.parent_code:
                self.zones[district.parent_code].append(district)
        self.column = column_pages.Column(register, as_of, self.members)

    def place_count(self, district_code: str, tier_id: str | None = None) -> int:
        """Enterprises in the library now that are registered in, or were recommended by, the district or zone."""
        if tier_id:
            return len(self.place_members.get((district_code, tier_id), ()))
        return len(set().union(*(self.place_members.get((district_code, t), set()) for t in self.register.tiers)))

    def announcement_rows(self, announcement) -> list[Certification]:
        """The rows of the list as the announcement published it (or the rows whose status it changed)."""
        if announcement.kind in ("removal", "revocation"):
            rows = self.changed_by[announcement.announcement_id]
        else:
            rows = self.listed_by[announcement.announcement_id]
        enterprises = self.register.enterprises
        return sorted(rows, key=lambda c: (c.recommended_by, enterprises[c.uscc].name, c.uscc))

    def tier_rows(self) -> dict[str, list[TableRow]]:
        """Every enterprise ever listed in each tier: the year it entered and the status of its latest listing."""
        histories: dict[tuple[str, str], list[Certification]] = defaultdict(list)
        for certification in self.register.certifications:
            if certification.certified_on <= self.as_of:  # a later row is not part of the register on as_of
                histories[certification.tier_id, certification.uscc].append(certification)
        rows: dict[str, list[TableRow]] = {tier_id: [] for tier_id in self.register.tiers}
        for (tier_id, uscc), history in histories.items():
            history.sort(key=lambda c: c.certified_on)
            status = self.register.standing(history[-1], self.as_of)
            rows[tier_id].append(self._row(uscc, tier_id, history[0].certified_on.year, status))
        return rows

    def district_rows(self) -> dict[str, list[TableRow]]:
        """The enterprises of each district or zone: registered there, or recommended by it."""
        members: dict[str, set[str]] = defaultdict(set)
        for enterprise in self.register.enterprises.values():
            members[enterprise.district_code].add(enterprise.uscc)
        for certification in self.register.certifications:
            if certification.certified_on <= self.as_of:
                members[certification.recommended_by].add(certification.uscc)
        return {code: [self._headline_row(uscc) for uscc in sorted(members.get(code, ()))]
                for code in self.register.districts}

    def _headline_row(self, uscc: str) -> TableRow:
        """An enterprise under its highest tier held now, or else under its latest listing; the year is that tier's."""
        history = [c for c in self.register.certifications_by_uscc.get(uscc, []) if c.certified_on <= self.as_of]
        tiers = self.register.tiers
        held = [c for c in history if self.register.held_on(c, self.as_of)]
        if held:
            headline = max(held, key=lambda c: (tiers[c.tier_id].rank, c.certified_on))
        elif history:
            headline = max(history, key=lambda c: (c.certified_on, tiers[c.tier_id].rank))
        else:
            return self._row(uscc, "", 0, "")
        first = min(c.certified_on for c in history if c.tier_id == headline.tier_id)
        return self._row(uscc, headline.tier_id, first.year, self.register.standing(headline, self.as_of))

    def _row(self, uscc: str, tier_id: str, year: int, status: str) -> TableRow:
        enterprise = self.register.enterprises[uscc]
        return TableRow(uscc, tier_id, enterprise.district_code, year, status)

    # Look-up lists of the facets, each in its sort order.

    def _districts(self, codes) -> list[tuple[str, str]]:
        return [(code, self.register.districts[code].name_zh) for code in sorted(set(codes))]

    def _tiers(self, tier_ids) -> list[tuple[str, str]]:
        present = set(tier_ids)
        tiers = [(t.tier_id, t.name_zh) for t in self.register.tiers_by_rank if t.tier_id in present]
        return ([("", "无认定记录")] if "" in present else []) + tiers

    @staticmethod
    def _years(years) -> list[tuple[str, str]]:
        return [(str(year), str(year) if year else "") for year in sorted(set(years))]

    @staticmethod
    def _statuses(statuses) -> list[tuple[str, str]]:
        present = set(statuses)
        return [(code, label("status", code)) for code in STATUS_ORDER if code in present] + (
            [("", "")] if "" in present else [])

    def _table(self, columns, facets, values: dict[str, dict[str, str]], lookups, filters, sort, caption) -> Table:
        """values: uscc -> facet -> code."""
        index = {facet: {code: i for i, (code, _) in enumerate(lookups[facet])} for facet in facets}
        rows = [
            (self.search_ids[uscc], uscc, tuple(index[facet][cells[facet]] for facet in facets))
            for uscc, cells in values.items()
        ]
        return Table(tuple(columns), tuple(facets), lookups, rows, tuple(filters), sort, caption)

    def tier_table(self, tier, rows: list[TableRow]) -> Table:
        return self._place_or_tier_table("district", rows, f"{tier.name_zh}企业名单")

    def district_table(self, district, rows: list[TableRow]) -> Table:
        return self._place_or_tier_table("tier", rows, f"{district.name_zh}企业名单")

    def _place_or_tier_table(self, first: str, rows: list[TableRow], caption: str) -> Table:
        """A tier's table is faceted by district, a district's by tier; both then by year and status."""
        code_of = (lambda r: r.district_code) if first == "district" else (lambda r: r.tier_id)
        look_up = self._districts if first == "district" else self._tiers
        facets = (first, "year", "status")
        values = {r.uscc: {first: code_of(r), "year": str(r.year), "status": r.status} for r in rows}
        lookups = {
            first: look_up(code_of(r) for r in rows),
            "year": self._years(r.year for r in rows),
            "status": self._statuses(r.status for r in rows),
        }
        return self._table(("name", "uscc", *facets), facets, values, lookups, facets, ("year", -1), caption)

    def announcement_table(self, announcement, certifications: list[Certification]) -> Table:
        """The list as published: who was recommended by whom, on which day, and how each row stands now."""
        changes = announcement.kind in ("removal", "revocation")
        values: dict[str, dict[str, str]] = {}
        for c in certifications:  # an enterprise appears once in a list; a second row would repeat it
            values.setdefault(c.uscc, {
                "district": c.recommended_by,
                "date": iso(c.status_on if changes else c.certified_on),
                "status": c.status_reason if changes else self.register.standing(c, self.as_of),
            })
        outcomes = {cells["status"] for cells in values.values()}
        lookups = {
            "district": self._districts(cells["district"] for cells in values.values()),
            "date": [(day, day) for day in sorted({cells["date"] for cells in values.values()})],
            "status": ([(code, label("reason", code)) for code in sorted(outcomes)] if changes
                       else self._statuses(outcomes)),
        }
        return self._table(("name", "uscc", "district", "date", "status"), ("district", "date", "status"), values,
                           lookups, ("district", "date", "status"), ("district", 1), f"{announcement.title}名单")

    def organization(self, enterprise: Enterprise) -> dict:
        """schema.org Organization for the enterprise page."""
        register = self.register
        district = register.districts[enterprise.district_code]
        data = {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": enterprise.name,
            "identifier": {"@type": "PropertyValue", "propertyID": "统一社会信用代码", "value": enterprise.uscc},
            "address": {
                "@type": "PostalAddress",
                "addressCountry": "CN",
                "addressRegion": "天津市",
                "addressLocality": district.name_zh,
            },
        }
        if enterprise.summary:
            data["description"] = enterprise.summary
        if is_web_url(enterprise.website):
            data["url"] = enterprise.website
        awards = [
            f"{register.tiers[c.tier_id].name_zh}（{c.certified_on.year}）"
            for c in register.certifications_by_uscc.get(enterprise.uscc, [])
            if register.held_on(c, self.as_of)
        ]
        if awards:
            data["award"] = awards
        return data


def plan_pages(register: Register, site: Site) -> Iterator[Page]:
    """Every page of the site, in a stable order."""
    yield Page("index.md", "home.html.j2", "首页")
    tier_rows = site.tier_rows()
    yield Page("tiers/index.md", "tiers.html.j2", "梯度层级")
    for tier in register.tiers_by_rank:
        yield Page(f"tiers/{segment(tier.tier_id)}.md", "tier.html.j2", tier.name_zh, {"tier": tier},
                   table=site.tier_table(tier, tier_rows[tier.tier_id]))
    district_rows = site.district_rows()
    yield Page("districts/index.md", "districts.html.j2", "区域")
    for code in sorted(register.districts):
        district = register.districts[code]
        yield Page(f"districts/{segment(code)}.md", "district.html.j2", district.name_zh, {"district": district},
                   table=site.district_table(district, district_rows[code]))
    yield Page("announcements/index.md", "announcements.html.j2", "公告")
    for announcement in site.announcements:
        rows = site.announcement_rows(announcement)
        yield Page(f"announcements/{segment(announcement.announcement_id)}.md", "announcement.html.j2",
                   announcement.title, {"announcement": announcement, "rows": rows},
                   table=site.announcement_table(announcement, rows))
    yield Page("policies/index.md", "policies.html.j2", "政策文件")
    for policy_id in sorted(register.policies):
        policy = register.policies[policy_id]
        context = {"policy": policy, "text": policy_headings(register.policy_text(policy))}
        yield Page(f"policies/{segment(policy_id)}.md", "policy.md.j2", policy.title, context)
    for uscc in sorted(register.enterprises):
        enterprise = register.enterprises[uscc]
        active = register.tiers_held(uscc, site.as_of)
        district = register.districts[enterprise.district_code].name_zh
        description = "，".join([enterprise.name, *(t.name_zh for t in active), f"天津市{district}"])
        yield Page(f"enterprises/{segment(uscc)}.md", "enterprise.html.j2", enterprise.name,
                   {"enterprise": enterprise}, description)
    yield from column_pages.plan_column_pages(register, site)
    yield Page("stats.md", "stats.html.j2", "统计", {"charts": stats.charts(register, site.as_of)})
    yield Page("about.md", "about.md.j2", "关于本名录")
    yield Page("contribute.md", "contribute.md.j2", "参与维护")
    # What a government site links from every page's footer (zjtx.publisher; overrides/partials/footer.html).
    yield Page("feedback.md", "feedback.html.j2", "纠错与联系")
    yield Page("statement.md", "statement.html.j2", "网站声明")
    yield Page("privacy.md", "privacy.html.j2", "隐私")
    yield Page("site-map.md", "site-map.html.j2", "网站地图")


# A Chinese official document numbers its parts 一、 and their items （一）; the items are bold run-in leads.
_PART_HEADING = re.compile(r"^#{1,6}[ \t]+(?=\S)", re.M)
_ITEM_LEAD = re.compile(r"^\*\*([（(]\s*[一二三四五六七八九十]+\s*[）)][^*\n]*)\*\*[：:。.]?[ \t]*(\S.*)?$", re.M)


def policy_headings(markdown: str) -> str:
    """A policy's Markdown with headings at the document's own levels, under the page's h1: the document and
    attachment titles and the parts (一、) as h2, the items (（一）, a bold lead in the text) as h3.

    The words stay; only the punctuation between an item's lead and its text goes, as the lead becomes a heading.
    """
    markdown = _PART_HEADING.sub("## ", markdown)
    return _ITEM_LEAD.sub(lambda m: f"### {m.group(1).strip()}" + (f"\n\n{m.group(2)}" if m.group(2) else ""), markdown)


def front_matter(page: Page) -> str:
    """YAML front matter; the theme prints title and description without escaping, so they are escaped here."""
    lines = ["---", f"title: {json.dumps(str(escape(page.title)), ensure_ascii=False)}"]
    if page.description:
        lines.append(f"description: {json.dumps(str(escape(page.description)), ensure_ascii=False)}")
    if page.template.endswith(".html.j2"):
        lines.append("render: html")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


# Receives each generated file of the docs folder: its path relative to the folder, and its text.
Write = Callable[[str, str], None]


def write_file(docs_dir: Path, path: str, text: str) -> None:
    target = docs_dir / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def render_site(
    register: Register,
    docs_dir: Path,
    as_of: date,
    progress: Progress | None = None,
    templates_dir: Path = TEMPLATES_DIR,
    write: Write | None = None,
    publisher: dict | None = None,
) -> int:
    """Write every page, the table data and the static assets into docs_dir; return the number of pages.

    With `write`, pages and table data go to it instead of the folder (the build keeps them in memory: at
    100,000 enterprises, writing, reading and deleting the files took a fifth of the build). `publisher` is
    zjtx.publisher.Publisher.as_dict() of the MkDocs configuration: the footer's pages and 纠错.
    """
    write = write or functools.partial(write_file, docs_dir)
    env = environment(templates_dir, publisher)
    site = Site(register, as_of)
    common = {"register": register, "site": site, "as_of": as_of}
    pages = list(plan_pages(register, site))
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
            data = page.table.data(len(site.search_ids))
            write(f"{page.path.removesuffix('.md')}/rows.json", json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        if progress:
            progress("生成页面", done, len(pages))
    column_pages.write_column_files(site, write)
    assets.copy_assets(templates_dir / ASSETS, docs_dir)
    return len(pages)


# The column's pages build on the pages above (Page, Site), so they are imported once those exist.
from . import column_pages  # noqa: E402
