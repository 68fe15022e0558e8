"""The static JSON API: one file per enterprise, tier, district, announcement and policy, and an index.

Other systems (the municipal SME platform, district systems) read the same facts the pages show: standings and
memberships on the build day come from the register's one in-library rule, and the tables from the same
zjtx.render.Site methods that fill the pages. Every file is plain JSON; text is data, never markup.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from .load import Register
from .render import Site, TableRow, segment

API_DIR = "api"
API_VERSION = 1
KINDS = ("enterprises", "tiers", "districts", "announcements", "policies")


def _fields(record) -> dict:
    """A record's fields as a dict (records are flat dataclasses: text, numbers, dates, None)."""
    return dict(vars(record))


def json_default(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _write(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=json_default),
                    encoding="utf-8")


def _table(register: Register, rows: list[TableRow]) -> list[dict]:
    enterprises = register.enterprises
    return [
        {"uscc": r.uscc, "name": enterprises[r.uscc].name, "tier_id": r.tier_id or None,
         "district_code": r.district_code, "industry_code": enterprises[r.uscc].industry_code,
         "year": r.year or None, "status": r.status or None}
        for r in rows
    ]


def enterprise(register: Register, as_of: date, uscc: str) -> dict:
    record = register.enterprises[uscc]
    certifications = []
    for c in register.certifications_by_uscc.get(uscc, []):
        if c.certified_on > as_of:
            continue  # not yet part of the register on the build day, as on the page
        ban = register.ban(c)
        certifications.append({
            **_fields(c),
            "standing": register.standing(c, as_of),
            "ban": {"policy_id": ban.policy_id, "years": ban.years, "ends": ban.ends} if ban else None,
        })
    return {
        **_fields(record),
        "url": f"enterprises/{uscc}/",
        "as_of": as_of,
        "district": {"district_code": record.district_code,
                     "name_zh": register.districts[record.district_code].name_zh},
        "industry": {"industry_code": record.industry_code,
                     "name_zh": register.industries[record.industry_code].name_zh},
        "tiers_held": [t.tier_id for t in register.tiers_held(uscc, as_of)],
        "certifications": certifications,
        "products": [{k: v for k, v in _fields(p).items() if k != "uscc"}
                     for p in register.products_by_uscc.get(uscc, [])],
    }


def tier(register: Register, site: Site, tier_id: str, rows: list[TableRow]) -> dict:
    return {
        **_fields(register.tiers[tier_id]),
        "url": f"tiers/{tier_id}/",
        "as_of": site.as_of,
        "in_library": len(site.members.get(tier_id, ())),
        "targets": [_fields(t) for t in register.targets if t.tier_id == tier_id],
        "enterprises": _table(register, rows),
    }


def district(register: Register, site: Site, code: str, rows: list[TableRow]) -> dict:
    return {
        **_fields(register.districts[code]),
        "url": f"districts/{code}/",
        "as_of": site.as_of,
        "in_library": {t.tier_id: site.place_count(code, t.tier_id) for t in register.tiers_by_rank},
        "in_library_total": site.place_count(code),
        "zones": sorted(z.district_code for z in site.zones.get(code, [])),
        "enterprises": _table(register, rows),
    }


def announcement(register: Register, site: Site, announcement_id: str) -> dict:
    record = register.announcements[announcement_id]
    rows = [
        {"uscc": c.uscc, "name": register.enterprises[c.uscc].name, "tier_id": c.tier_id,
         "recommended_by": c.recommended_by, "certified_on": c.certified_on, "status_on": c.status_on,
         "status_reason": c.status_reason or None, "standing": register.standing(c, site.as_of)}
        for c in site.announcement_rows(record)
    ]
    return {**_fields(record), "url": f"announcements/{announcement_id}/", "as_of": site.as_of, "rows": rows}


def policy(register: Register, policy_id: str) -> dict:
    return {**_fields(register.policies[policy_id]), "url": f"policies/{policy_id}/"}


def index(register: Register, site: Site, downloads_url: str) -> dict:
    descriptor = register.descriptor
    return {
        "api_version": API_VERSION,
        "name": descriptor.get("name"),
        "title": descriptor.get("title"),
        "version": descriptor.get("version"),
        "as_of": site.as_of,
        "licenses": descriptor.get("licenses", []),
        "downloads": downloads_url,
        "links": {kind: f"{API_DIR}/{kind}/{{id}}.json" for kind in KINDS},
        "counts": {
            "enterprises": len(register.enterprises),
            "in_library": {tier_id: len(members) for tier_id, members in site.members.items()},
        },
        # Enterprises are too many to list here: the downloads hold them all (json/enterprises.json).
        "tiers": [t.tier_id for t in register.tiers_by_rank],
        "districts": sorted(register.districts),
        "announcements": [a.announcement_id for a in site.announcements],
        "policies": sorted(register.policies),
    }


def build_info(register: Register, as_of: date) -> dict:
    """api/build.json: the build's day, version and whether the data is demo data. Pages do not print the as-of
    day (a rebuild on the next day would change every page); the print header reads it from this one small file."""
    return {"as_of": as_of, "version": register.descriptor.get("version"), "demo": register.is_demo}


def write_api(register: Register, site: Site, site_dir: Path, downloads_url: str,
              tier_rows: dict[str, list[TableRow]], district_rows: dict[str, list[TableRow]]) -> int:
    """Write every API file into site_dir/api; returns the number of files. The tables are the pages' own
    (Site.tier_rows, Site.district_rows), computed once per build by the caller."""
    base = site_dir / API_DIR
    for kind in KINDS:
        (base / kind).mkdir(parents=True, exist_ok=True)
    _write(base / "index.json", index(register, site, downloads_url))
    _write(base / "build.json", build_info(register, site.as_of))
    count = 2
    for tier_id, rows in tier_rows.items():
        _write(base / "tiers" / f"{segment(tier_id)}.json", tier(register, site, tier_id, rows))
        count += 1
    for code, rows in district_rows.items():
        _write(base / "districts" / f"{segment(code)}.json", district(register, site, code, rows))
        count += 1
    for record in site.announcements:
        key = record.announcement_id
        _write(base / "announcements" / f"{segment(key)}.json", announcement(register, site, key))
        count += 1
    for policy_id in sorted(register.policies):
        _write(base / "policies" / f"{segment(policy_id)}.json", policy(register, policy_id))
        count += 1
    for uscc in sorted(register.enterprises):
        _write(base / "enterprises" / f"{segment(uscc)}.json", enterprise(register, site.as_of, uscc))
        count += 1
    return count
