"""The pages about the downloads: /data/ (files, checksums, data dictionary, snippets, API, citation,
schema.org Dataset), /changelog/ (releases, newest first, with what changed) and the page of each download
folder (its files), so that /downloads/<version>/ answers on any static host. Rendered into the build folder
with the site's Jinja environment (autoescape), before MkDocs runs; the files join them after MkDocs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from .. import api
from ..load import Register, read_raw_rows, resource_path
from ..render import TEMPLATES_DIR, Page, environment, front_matter
from . import FORMATS, SQLITE, XLSX, archive, zip_name
from .publish import download_url
from .releases import Downloads

DATA_PAGE = Page("data/index.md", "data.html.j2", "数据与下载")
CHANGELOG_PAGE = Page("changelog.md", "changelog.html.j2", "更新记录")


def file_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


def file_format(path: str) -> str:
    """The format a download file belongs to (a key of FORMATS), from where it lies."""
    if path.startswith("csv-bom/"):
        return "csv-bom"
    if path.startswith("parquet/"):
        return "parquet"
    if path.startswith("json/"):
        return "json"
    if path == archive.SUMS:
        return "sums"
    if path.endswith(".zip"):
        return "zip"
    if path == XLSX:
        return "xlsx"
    if path in (SQLITE, "metadata.json"):
        return "sqlite"
    return "datapackage"


def example_values(register: Register) -> dict[str, dict[str, str]]:
    """The first non-empty value of every field, by resource: the data dictionary's examples."""
    examples: dict[str, dict[str, str]] = {}
    for resource in register.descriptor.get("resources", []):
        names = [f["name"] for f in resource["schema"]["fields"]]
        found: dict[str, str] = {}
        path = resource_path(register.root, resource)
        if path.is_file():
            for row in read_raw_rows(path):
                for name in names:
                    if name not in found and row.get(name):
                        found[name] = row[name]
                if len(found) == len(names):
                    break
        examples[resource["name"]] = found
    return examples


def dataset_jsonld(register: Register, downloads: Downloads, root: str) -> dict:
    """schema.org Dataset, so that dataset search engines index the register and its downloads."""
    descriptor = register.descriptor
    latest = f"{root}/{download_url()}"
    name = zip_name(descriptor)
    urls = {
        "datapackage": "datapackage.json", "csv-bom": "csv-bom/enterprises.csv", "xlsx": XLSX, "sqlite": SQLITE,
        "parquet": "parquet/enterprises.parquet", "json": "json/enterprises.json", "zip": f"{name}.zip",
    }
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
            {"@type": "DataDownload", "name": FORMATS[key][0], "encodingFormat": FORMATS[key][1],
             "contentUrl": latest + path}
            for key, path in urls.items()
        ],
    }


def count_label(register: Register, key: str) -> str:
    """A figure of zjtx.changes.PackageChanges.counts() in words."""
    words = {"granted": "新增", "expired": "到期", "removed": "调整出库", "revoked": "撤销"}
    kind, _, tier_id = key.partition(":")
    if kind in words and tier_id:
        tier = register.tiers.get(tier_id)
        return f"{tier.name_zh if tier else tier_id}：{words[kind]}"
    return {
        "enterprises_added": "新收录企业", "enterprises_removed": "删除企业", "announcements_added": "新增公告",
        "policies_added": "新增政策文件", "policies_changed": "政策文件变更", "corrections": "信息更正（处）",
    }.get(key, key)


def render_download_pages(
    register: Register, downloads: Downloads, docs_dir: Path, as_of: date, templates_dir: Path = TEMPLATES_DIR
) -> int:
    """Write /data/ and /changelog/ into the build folder; returns the number of pages."""
    env = environment(templates_dir)
    env.filters["filesize"] = file_size
    common = {
        "register": register, "as_of": as_of, "downloads": downloads, "formats": FORMATS,
        "file_format": file_format, "download_url": download_url, "count_label": count_label,
    }
    pages = [
        (DATA_PAGE, {"examples": example_values(register), "api_example": _api_example(register, as_of)}),
        (CHANGELOG_PAGE, {}),
    ]
    for version, folder in [(downloads.latest, download_url()), *((v, download_url(v)) for v in downloads.versions())]:
        title = "最新版本下载" if folder == download_url() else f"版本 {version.version} 下载"
        page = Page(f"{folder}index.md", "downloads.html.j2", title)
        pages.append((page, {"version": version, "folder": folder, "title": title}))
    for page, context in pages:
        if page is DATA_PAGE:
            context["jsonld"] = dataset_jsonld(register, downloads, page.root)
        text = env.get_template(page.template).render(common, root=page.root, **context)
        target = docs_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(front_matter(page) + text, encoding="utf-8")
    return len(pages)


def _api_example(register: Register, as_of: date) -> tuple[str, str] | None:
    """One real API file, its address and its text, for the example on /data/."""
    if not register.enterprises:
        return None
    uscc = min(register.enterprises)
    text = json.dumps(api.enterprise(register, as_of, uscc), ensure_ascii=False, indent=2, default=api.json_default)
    return f"api/enterprises/{uscc}.json", text
