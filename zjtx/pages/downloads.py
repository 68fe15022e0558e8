"""The pages about the downloads: /data/ (files, checksums, data dictionary, snippets, API, citation,
schema.org Dataset), /changelog/ (releases, newest first, with what changed) and the page of each download
folder (its files), so that /downloads/<version>/ answers on any static host. Rendered into the build folder
with the site's Jinja environment (autoescape), before MkDocs runs; the files join them after MkDocs."""

from __future__ import annotations

import json
from pathlib import Path

from .. import documents
from ..export.formats import FORMATS, format_of, zip_name
from ..export.releases import Downloads, Version
from ..labels import CHANGE_WORDS, COUNT_PHRASES
from ..urls import download_url as folder_url
from ..urls import version_folder
from ..view import RegisterView
from .environment import TEMPLATES_DIR, environment
from .page import Page, front_matter

DATA_PAGE = Page("data/index.md", "data.html.j2", "数据与下载")
CHANGELOG_PAGE = Page("changelog.md", "changelog.html.j2", "更新记录")


def file_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


def file_format(path: str) -> str:
    """The format a download file belongs to (the key of its zjtx.export.formats entry)."""
    return format_of(path).key


def download_url(version: Version | None = None) -> str:
    """The folder of a version, relative to the site root: latest/ for latest and for data not yet released."""
    return folder_url(version.version if version is not None and version.released else None)


class FolderLinks:
    """Where a version's download folder is linked: in the site (`/downloads/<version>/`), or, for released
    versions when the build was given `--downloads-url`, at that address (`<URL>/<version>/`), where the release
    folders are served instead of being copied into every site (README: 发布 · Publishing). latest/ is always the
    site's own."""

    def __init__(self, downloads_url: str | None = None):
        self.base = downloads_url.rstrip("/") if downloads_url else None

    def external(self, version: Version | None) -> bool:
        return self.base is not None and version is not None and version.released

    def href(self, root: str, version: Version | None = None) -> str:
        """The folder's address as a link from a page whose site root is `root`."""
        if self.external(version):
            return f"{self.base}/{version_folder(version.version)}/"
        return f"{root}/{download_url(version)}"

    def shown(self, version: Version | None = None) -> str:
        """The folder's address as a reader sees it: the site's path, or the whole outside address."""
        return self.href("", version) if self.external(version) else f"/{download_url(version)}"


def example_values(view: RegisterView) -> dict[str, dict[str, str]]:
    """The first non-empty value of every field, by resource: the data dictionary's examples."""
    package = view.register.package
    examples: dict[str, dict[str, str]] = {}
    for name, resource in package.resources.items():
        found: dict[str, str] = {}
        for row in package.raw_rows(name):
            for field in resource.field_names:
                if field not in found and row.get(field):
                    found[field] = row[field]
            if len(found) == len(resource.field_names):
                break
        examples[name] = found
    return examples


def dataset_jsonld(view: RegisterView, downloads: Downloads, root: str) -> dict:
    """schema.org Dataset, so that dataset search engines index the register and its downloads."""
    package = view.register.package
    descriptor = package.descriptor
    latest = f"{root}/{download_url()}"
    name = zip_name(package)
    licence = (descriptor.get("licenses") or [{}])[0]
    creators = [c.get("title", "") for c in descriptor.get("contributors", []) if c.get("role") == "author"]
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": descriptor.get("title", ""),
        "description": descriptor.get("description", ""),
        "version": str(descriptor.get("version", "")),
        "license": licence.get("path", ""),
        "dateModified": downloads.latest.day.isoformat(),
        "creator": [{"@type": "Organization", "name": c} for c in creators],
        "keywords": descriptor.get("keywords", []),
        "isAccessibleForFree": True,
        "inLanguage": "zh-CN",
        "spatialCoverage": "天津市",
        "distribution": [
            {"@type": "DataDownload", "name": fmt.label, "encodingFormat": fmt.media_type,
             "contentUrl": latest + fmt.example.format(name=name)}
            for fmt in FORMATS if fmt.example
        ],
    }


def count_label(register, key: str) -> str:
    """A figure of zjtx.changes.PackageChanges.counts() in words (zjtx.labels), every figure it may name."""
    kind, _, tier_id = key.partition(":")
    if kind in CHANGE_WORDS and tier_id:
        tier = register.tiers.get(tier_id)
        return f"{tier.name_zh if tier else tier_id}：{CHANGE_WORDS[kind]}"
    if key in COUNT_PHRASES:
        before, unit = COUNT_PHRASES[key]
        return f"{before}（{unit}）"
    return key


def render_download_pages(view: RegisterView, downloads: Downloads, docs_dir: Path,
                          templates_dir: Path = TEMPLATES_DIR, downloads_url: str | None = None) -> int:
    """Write /data/, /changelog/ and the page of each download folder the site holds into the build folder;
    returns the number of pages. With `downloads_url`, released versions' folders are linked there instead."""
    env = environment(templates_dir)
    env.filters["filesize"] = file_size
    links = FolderLinks(downloads_url)
    common = {
        "register": view.register, "as_of": view.day, "downloads": downloads,
        "formats": {fmt.key: (fmt.label, fmt.media_type, fmt.purpose) for fmt in FORMATS},
        "file_format": file_format, "count_label": count_label, "links": links,
    }
    pages = [
        (DATA_PAGE, {"examples": example_values(view), "api_example": _api_example(view)}),
        (CHANGELOG_PAGE, {}),
    ]
    held = [v for v in downloads.releases if not links.external(v)]
    for version, folder in [(downloads.latest, download_url()), *((v, download_url(v)) for v in held)]:
        title = "最新版本下载" if folder == download_url() else f"版本 {version.version} 下载"
        page = Page(f"{folder}index.md", "downloads.html.j2", title)
        pages.append((page, {"version": version, "folder": folder, "title": title}))
    for page, context in pages:
        if page is DATA_PAGE:
            context["jsonld"] = dataset_jsonld(view, downloads, page.root)
        text = env.get_template(page.template).render(common, root=page.root, **context)
        target = docs_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(front_matter(page) + text, encoding="utf-8")
    return len(pages)


def _api_example(view: RegisterView) -> tuple[str, str] | None:
    """One real API file, its address and its text, for the example on /data/."""
    if not view.enterprises:
        return None
    uscc = min(view.enterprises)
    text = json.dumps(documents.enterprise(view, uscc), ensure_ascii=False, indent=2, default=documents.json_default)
    return f"api/enterprises/{uscc}.json", text
