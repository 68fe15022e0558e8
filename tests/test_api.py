"""One truth, many views: the JSON API and the page-table downloads say what the pages say; the feed and the
data page escape everything."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import yaml

from conftest import HOSTILE, SITE_AS_OF
from packages import view_of
from zjtx.labels import label
from zjtx.pages.tables import PREVIEW_ROWS

ROOT = Path(__file__).resolve().parent.parent


def api(site: Path, *parts: str) -> dict:
    return json.loads((site / "api" / Path(*parts)).read_text(encoding="utf-8"))


def page_rows(site: Path, folder: str, register) -> dict[str, dict[str, str]]:
    """The rows of a page's table as table.js reads them from rows.json: USCC -> facet -> code.

    rows.json names its rows by search-index id (a bitmap) and gives each row's facets as fixed-width numbers
    (zjtx.pages.tables.Table); the ids are the positions of zjtx.search.id_order."""
    import base64

    from zjtx.search import id_order

    data = json.loads((site / folder / "rows.json").read_text(encoding="utf-8"))
    members = base64.b64decode(data["members"])
    ids = [i for i in range(len(members) * 8) if members[i >> 3] >> (i & 7) & 1]
    order = id_order(register)
    sizes = [len(data["lookups"][facet]) for facet in data["facets"]]
    alphabet, width = data["alphabet"], data["width"]
    rows = {}
    for n, identifier in enumerate(ids):
        code = 0
        for digit in data["codes"][n * width:(n + 1) * width]:
            code = code * len(alphabet) + alphabet.index(digit)
        indices = []
        for size in reversed(sizes):
            code, index = divmod(code, size)
            indices.append(index)
        cells = {facet: data["lookups"][facet][index][0] for facet, index in zip(data["facets"], reversed(indices))}
        rows[order[identifier]] = cells
    assert len(rows) == data["count"]
    return rows


def api_rows(rows: list[dict], facets) -> dict[str, dict[str, str]]:
    names = {"district": "district_code", "tier": "tier_id", "year": "year", "status": "status"}
    return {row["uscc"]: {facet: str(row[names[facet]] or "") for facet in facets} for row in rows}


def test_tier_page_and_its_api_file_agree(demo_site, demo_package):
    register = view_of(demo_package, SITE_AS_OF)
    for tier_id in register.tiers:
        data = api(demo_site, "tiers", f"{tier_id}.json")
        html = (demo_site / "tiers" / tier_id / "index.html").read_text(encoding="utf-8")
        shown = int(re.search(r"在库</a>企业</dt><dd>(\d+) 家", html).group(1))
        assert data["in_library"] == shown == len(register.members_on(SITE_AS_OF)[tier_id])
        assert api_rows(data["enterprises"], ("district", "year", "status")) == \
            page_rows(demo_site, f"tiers/{tier_id}", register)
        assert "as_of" not in data  # the day is index.json's: a file changes only when its facts do
        assert data["updated"] <= SITE_AS_OF.isoformat()


def test_district_page_and_its_api_file_agree(demo_site, demo_package):
    register = view_of(demo_package, SITE_AS_OF)
    for code in register.districts:
        data = api(demo_site, "districts", f"{code}.json")
        html = (demo_site / "districts" / code / "index.html").read_text(encoding="utf-8")
        counts = [int(n) for n in re.findall(r"</a></td><td>(\d+)</td></tr>", html)]
        assert counts == [data["in_library"][t.tier_id] for t in register.tiers_by_rank]
        total = re.search(r'<tr class="zjtx-total"><th scope="row">[^<]*</th><td>(\d+)</td>', html)
        assert int(total.group(1)) == data["in_library_total"]
        assert api_rows(data["enterprises"], ("tier", "year", "status")) == \
            page_rows(demo_site, f"districts/{code}", register)


def test_enterprise_page_and_its_api_file_agree(demo_site, demo_package):
    register = view_of(demo_package, SITE_AS_OF)
    for uscc in sorted(register.enterprises)[:20]:
        data = api(demo_site, "enterprises", f"{uscc}.json")
        html = (demo_site / "enterprises" / uscc / "index.html").read_text(encoding="utf-8")
        shown = re.findall(r'<a class="zjtx-tier" href="[^"]*/tiers/([a-z_]+)/"', html)
        assert data["tiers_held"] == shown == [t.tier_id for t in register.tiers_held(uscc, SITE_AS_OF)]
        for row in data["certifications"]:
            assert row["standing"] == register.standing(
                next(c for c in register.certifications_by_uscc[uscc]
                     if (c.tier_id, c.announcement_id) == (row["tier_id"], row["announcement_id"])), SITE_AS_OF)


def test_announcement_page_api_file_and_downloads_agree(demo_site, demo_package):
    register = view_of(demo_package, SITE_AS_OF)
    for announcement_id in register.announcements:
        data = api(demo_site, "announcements", f"{announcement_id}.json")
        folder = demo_site / "announcements" / announcement_id
        html = (folder / "index.html").read_text(encoding="utf-8")
        if not data["rows"]:
            continue
        names = re.findall(r'<td data-label="企业名称"><a href="[^"]+">([^<]+)</a>', html)
        assert len(names) == min(len(data["rows"]), PREVIEW_ROWS)  # the first rows are in the HTML itself
        assert set(names) <= {row["name"] for row in data["rows"]}
        assert set(page_rows(demo_site, f"announcements/{announcement_id}", register)) == \
            {row["uscc"] for row in data["rows"]}
        with open(folder / f"announcement-{announcement_id}.csv", encoding="utf-8-sig", newline="") as handle:
            table = list(csv.DictReader(handle))
        assert [row["统一社会信用代码"] for row in table] == [row["uscc"] for row in data["rows"]]
        assert [row["当前状态"] for row in table] == [label("status", row["standing"]) for row in data["rows"]]
        assert f'href="announcement-{announcement_id}.xlsx"' in html


def test_page_table_downloads_hold_the_rows_the_page_shows(demo_site, demo_package):
    register = view_of(demo_package, SITE_AS_OF)
    for kind, folder_name in [("tier", "tiers"), ("district", "districts")]:
        for key in (register.tiers if kind == "tier" else register.districts):
            folder = demo_site / folder_name / key
            rows = page_rows(demo_site, f"{folder_name}/{key}", register)
            raw = (folder / f"{kind}-{key}.csv").read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf")
            table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
            assert {r[1]: (r[0], r[6]) for r in table[1:]} == {
                uscc: (register.enterprises[uscc].name, label("status", cells["status"]) if cells["status"] else "")
                for uscc, cells in rows.items()}
            sheet = openpyxl.load_workbook(folder / f"{kind}-{key}.xlsx").active
            cells = list(sheet.iter_rows(values_only=True))
            assert [list(map(lambda v: "" if v is None else str(v), c)) for c in cells] == table
            assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
            html = (folder / "index.html").read_text(encoding="utf-8")
            assert f'href="{kind}-{key}.csv"' in html and f'href="{kind}-{key}.xlsx"' in html


def test_api_index_names_every_file(demo_site, demo_package):
    register = view_of(demo_package, SITE_AS_OF)
    index = api(demo_site, "index.json")
    assert index["version"] == register.descriptor["version"] and index["as_of"] == SITE_AS_OF.isoformat()
    assert index["counts"]["enterprises"] == len(register.enterprises)
    for kind in ("tiers", "districts", "announcements", "policies"):
        assert sorted(index[kind]) == sorted(getattr(register, kind))
        for key in index[kind]:
            assert (demo_site / index["links"][kind].replace("{id}", key)).exists()
    for uscc in register.enterprises:
        assert (demo_site / index["links"]["enterprises"].replace("{id}", uscc)).exists()
    assert (demo_site / index["downloads"] / "SHA256SUMS").exists()


def test_data_page_lists_files_formats_snippets_and_a_dataset(demo_site, demo_package):
    html = (demo_site / "data" / "index.html").read_text(encoding="utf-8")
    sums = (demo_site / "downloads" / "latest" / "SHA256SUMS").read_text(encoding="utf-8")
    for line in sums.splitlines():
        digest, name = line.split("  ")
        assert digest in html and f'href="../downloads/latest/{name}"' in html
    for snippet in ("pd.read_csv", "read_csv(paste0", "INSTALL httpfs", "datasette register.sqlite",
                    "frictionless validate", "enterprises_fts match", "like '%"):
        assert snippet in html
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    dataset = next(d for d in map(json.loads, blocks) if d.get("@type") == "Dataset")
    assert {"license", "version", "dateModified", "creator"} <= dataset.keys()
    formats = {d["encodingFormat"] for d in dataset["distribution"]}
    assert {"text/csv", "application/vnd.sqlite3", "application/zip", "application/vnd.apache.parquet"} <= formats
    for download in dataset["distribution"]:
        assert (demo_site / "data" / download["contentUrl"]).resolve().is_file()


def test_citation_file_describes_the_dataset():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    descriptor = json.loads((ROOT / "datapackage" / "datapackage.json").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0" and citation["type"] == "dataset"
    assert citation["title"] == descriptor["title"]
    assert citation["license"] == descriptor["licenses"][0]["name"]


def test_feed_and_api_keep_hostile_text_as_text(hostile_site):
    feed = ET.parse(hostile_site / "feed.xml").getroot()
    atom = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=atom) for e in feed.findall("a:entry", atom)]
    assert any(HOSTILE["script"] in title for title in titles)
    raw = (hostile_site / "feed.xml").read_text(encoding="utf-8")
    assert "<script>" not in raw
    data = api(hostile_site, "enterprises", "911201013000000109.json")
    assert data["name"].startswith(f"天津{HOSTILE['script']}")
    for path in (hostile_site / "api").rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    changelog = (hostile_site / "changelog" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in changelog


def test_build_json_names_the_day_version_and_demo(demo_site, demo_package):
    """The one file that carries the build's day (pages do not: a rebuild the next day would change them all)."""
    register = view_of(demo_package, SITE_AS_OF)
    assert api(demo_site, "build.json") == {"as_of": SITE_AS_OF.isoformat(),
                                            "version": register.descriptor["version"], "demo": True}
