"""The public data contract: the names researchers script against, which the package extends and never renames.

The fields every resource must declare come from one declaration, the loader's records (zjtx.load), and hold every
public name below (the table of the project's data contract); a descriptor that drops one is an error naming it.
"""

from __future__ import annotations

import dataclasses

from packages import AS_OF, edit_descriptor, make_good_package
from zjtx.contract import CONTRACT
from zjtx.load import RECORD_TYPES
from zjtx.validate import validate_package

PUBLIC = {
    "tiers": ["tier_id", "name_zh", "level", "rank", "validity_years"],
    "targets": ["tier_id", "year", "target", "policy_id"],
    "districts": ["district_code", "name_zh", "kind", "parent_code"],
    "industries": ["industry_code", "section", "name_zh"],
    "enterprises": ["uscc", "name", "district_code", "industry_code", "main_products", "website", "summary"],
    "announcements": ["announcement_id", "tier_id", "kind", "title", "doc_number", "issuer", "published_on",
                      "source_url", "expected_count"],
    "certifications": ["uscc", "tier_id", "announcement_id", "recommended_by", "certified_on", "valid_until",
                       "status", "status_on", "status_reason", "status_announcement_id"],
    "products": ["uscc", "product_name", "category", "description"],
    "policies": ["policy_id", "doc_number", "title", "issuer", "issued_on", "status", "superseded_by", "text_path",
                 "source_url", "ban_years"],
    "services": ["service_id", "title", "kind", "provider", "provider_kind", "channel", "eligible_tiers", "districts",
                 "valid_from", "valid_until", "source_url"],
    "events": ["event_id", "title", "kind", "starts_on", "ends_on", "city", "venue", "organiser", "eligible_tiers",
               "source_url"],
    "event_participants": ["event_id", "uscc"],
}


def test_the_contract_is_the_records_and_holds_every_public_name():
    assert CONTRACT == {name: [f.name for f in dataclasses.fields(record) if f.init]
                        for name, record in RECORD_TYPES.items()}
    for resource, fields in PUBLIC.items():
        assert set(fields) <= set(CONTRACT[resource]), resource


def test_the_committed_descriptor_declares_every_field_the_code_reads(tmp_path):
    problems = validate_package(make_good_package(tmp_path / "package"), AS_OF)
    assert [p for p in problems if p.code == "contract"] == []


def test_a_descriptor_that_drops_a_field_the_code_reads_is_an_error(tmp_path):
    package = make_good_package(tmp_path / "package")

    def drop(descriptor):
        tiers = next(r for r in descriptor["resources"] if r["name"] == "tiers")
        tiers["schema"]["fields"] = [f for f in tiers["schema"]["fields"] if f["name"] != "definition"]

    edit_descriptor(package, drop)
    problems = [p for p in validate_package(package, AS_OF) if p.code == "contract"]
    assert any(p.field == "tiers.definition" and p.severity == "error" for p in problems), problems
