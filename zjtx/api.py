"""The static JSON API: one file per enterprise, tier, district, announcement and policy, and an index.

Each file is a document of zjtx.documents, written as compact UTF-8 JSON, named by the record's id.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import documents
from .documents import API_DIR, KINDS, json_default
from .urls import segment
from .view import RegisterView


def _write(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=json_default),
                    encoding="utf-8")


def write_api(view: RegisterView, site_dir: Path, downloads_url: str) -> int:
    """Write every API file into site_dir/api; returns the number of files."""
    register = view.register
    base = site_dir / API_DIR
    for kind in KINDS:
        (base / kind).mkdir(parents=True, exist_ok=True)
    _write(base / "index.json", documents.index(view, downloads_url))
    _write(base / "build.json", documents.build_info(view))
    count = 2
    for tier_id in view.tier_rows:
        _write(base / "tiers" / f"{segment(tier_id)}.json", documents.tier(view, tier_id))
        count += 1
    for code in view.district_rows:
        _write(base / "districts" / f"{segment(code)}.json", documents.district(view, code))
        count += 1
    for record in view.announcements_newest_first:
        key = record.announcement_id
        _write(base / "announcements" / f"{segment(key)}.json", documents.announcement(view, key))
        count += 1
    for policy_id in sorted(register.policies):
        _write(base / "policies" / f"{segment(policy_id)}.json", documents.policy(view, policy_id))
        count += 1
    for uscc in sorted(register.enterprises):
        _write(base / "enterprises" / f"{segment(uscc)}.json", documents.enterprise(view, uscc))
        count += 1
    return count
