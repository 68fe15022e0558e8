"""The register's facts on a day as plain documents (dicts of text, numbers, dates and lists): one per enterprise,
tier, district, announcement and policy, and an index.

They are what the JSON API files hold (zjtx.api writes them) and what the /data/ page shows as an example: other
systems (the municipal SME platform, district systems) read the same facts the pages show, since standings,
memberships and tables come from the register's view of the day (zjtx.view). Text is data, never markup.
"""

from __future__ import annotations

from datetime import date

from .view import RegisterView, TableRow

API_DIR = "api"
# 2: the files of enterprises, tiers, districts and announcements carry the day their facts last changed
# ("updated"), not the build's day: index.json's "as_of" is the day every standing describes.
API_VERSION = 2
KINDS = ("enterprises", "tiers", "districts", "announcements", "policies")


def _fields(record) -> dict:
    """A record's fields as a dict (records are flat dataclasses: text, numbers, dates, None)."""
    return dict(vars(record))


def json_default(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _table(view: RegisterView, rows: list[TableRow]) -> list[dict]:
    enterprises = view.enterprises
    return [
        {"uscc": r.uscc, "name": enterprises[r.uscc].name, "tier_id": r.tier_id or None,
         "district_code": r.district_code, "industry_code": enterprises[r.uscc].industry_code,
         "year": r.year or None, "status": r.status or None}
        for r in rows
    ]


def enterprise(view: RegisterView, uscc: str) -> dict:
    register = view.register
    record = register.enterprises[uscc]
    certifications = []
    for c in view.history(uscc):  # as the page lists them: pending rows too, with their standing
        ban = view.ban_of(c)
        certifications.append({
            **_fields(c),
            "standing": view.standing(c),
            "ban": {"policy_id": ban.policy_id, "years": ban.years, "ends": ban.ends} if ban else None,
        })
    return {
        **_fields(record),
        "url": f"enterprises/{uscc}/",
        "updated": view.enterprise_changed_on(uscc),
        "district": {"district_code": record.district_code,
                     "name_zh": register.districts[record.district_code].name_zh},
        "industry": {"industry_code": record.industry_code,
                     "name_zh": register.industries[record.industry_code].name_zh},
        "tiers_held": [t.tier_id for t in view.tiers_held(uscc)],
        "certifications": certifications,
        "products": [{k: v for k, v in _fields(p).items() if k != "uscc"}
                     for p in register.products_by_uscc.get(uscc, [])],
    }


def tier(view: RegisterView, tier_id: str) -> dict:
    register = view.register
    return {
        **_fields(register.tiers[tier_id]),
        "url": f"tiers/{tier_id}/",
        "updated": view.changed_on(view.certifications_of_tier(tier_id)),
        "in_library": len(view.members.get(tier_id, ())),
        "targets": [_fields(t) for t in register.targets if t.tier_id == tier_id],
        "enterprises": _table(view, view.tier_rows[tier_id]),
    }


def district(view: RegisterView, code: str) -> dict:
    register = view.register
    return {
        **_fields(register.districts[code]),
        "url": f"districts/{code}/",
        "updated": view.changed_on(view.certifications_of_place(code)),
        "in_library": {t.tier_id: view.place_count(code, t.tier_id) for t in register.tiers_by_rank},
        "in_library_total": view.place_count(code),
        "zones": sorted(z.district_code for z in view.zones.get(code, [])),
        "enterprises": _table(view, view.district_rows[code]),
    }


def announcement(view: RegisterView, announcement_id: str) -> dict:
    register = view.register
    record = register.announcements[announcement_id]
    rows = [
        {"uscc": c.uscc, "name": register.enterprises[c.uscc].name, "tier_id": c.tier_id,
         "recommended_by": c.recommended_by, "certified_on": c.certified_on, "status_on": c.status_on,
         "status_reason": c.status_reason or None, "standing": view.standing(c)}
        for c in view.announcement_rows(record)
    ]
    return {**_fields(record), "url": f"announcements/{announcement_id}/",
            "updated": view.changed_on(view.announcement_rows(record), days=[record.published_on]), "rows": rows}


def policy(view: RegisterView, policy_id: str) -> dict:
    return {**_fields(view.register.policies[policy_id]), "url": f"policies/{policy_id}/"}


def index(view: RegisterView, downloads_url: str) -> dict:
    register = view.register
    descriptor = register.descriptor
    return {
        "api_version": API_VERSION,
        "name": descriptor.get("name"),
        "title": descriptor.get("title"),
        "version": descriptor.get("version"),
        "as_of": view.day,
        "licenses": descriptor.get("licenses", []),
        "downloads": downloads_url,
        "links": {kind: f"{API_DIR}/{kind}/{{id}}.json" for kind in KINDS},
        "counts": {
            "enterprises": len(register.enterprises),
            "in_library": {tier_id: len(members) for tier_id, members in view.members.items()},
        },
        # Enterprises are too many to list here: the downloads hold them all (json/enterprises.json).
        "tiers": [t.tier_id for t in register.tiers_by_rank],
        "districts": sorted(register.districts),
        "announcements": [a.announcement_id for a in view.announcements_newest_first],
        "policies": sorted(register.policies),
    }


def build_info(view: RegisterView) -> dict:
    """api/build.json: the day every standing of the site describes, the version and whether the data is demo
    data. Pages do not print the build's day (a rebuild on the next day would change every page); the print header
    of a page reads it from this one small file."""
    package = view.register.package
    return {"as_of": view.day, "version": package.version, "demo": package.is_demo}
