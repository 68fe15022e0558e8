"""The public data contract: resource and field names researchers script against. Extend, never rename."""

from __future__ import annotations

from .problems import ERROR, Problem

CONTRACT = {
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
DESCRIPTOR = "datapackage.json"


def _problem(field, message_zh, message_en, hint_zh, hint_en):
    return Problem(DESCRIPTOR, None, field, None, "contract", ERROR, message_zh, message_en, hint_zh, hint_en)


def check_descriptor(descriptor: dict) -> list[Problem]:
    """What the contract asks of the descriptor beyond the Frictionless profile."""
    problems = []
    resources = {r.get("name"): r for r in descriptor.get("resources", [])}
    for name, fields in CONTRACT.items():
        resource = resources.get(name)
        if resource is None:
            problems.append(_problem(name, f"缺少资源 {name}", f"resource {name} is missing",
                                     "恢复该资源的定义；公开的资源名不能删除或改名",
                                     "Restore it: public resource names are never removed or renamed"))
            continue
        declared = [f.get("name") for f in resource.get("schema", {}).get("fields", [])]
        for field in fields:
            if field not in declared:
                problems.append(_problem(f"{name}.{field}", f"资源 {name} 缺少字段 {field}",
                                         f"resource {name} lacks field {field}",
                                         "恢复该字段；公开的字段名只能新增，不能改名",
                                         "Restore it: public fields may be added, never renamed"))
    for name, resource in resources.items():
        if resource.get("encoding") != "utf-8":
            problems.append(_problem(f"{name}.encoding", f"资源 {name} 没有声明 encoding: utf-8",
                                     f"resource {name} does not declare encoding: utf-8",
                                     "加上 \"encoding\": \"utf-8\"，否则 GBK 文件也会被接受",
                                     "Add \"encoding\": \"utf-8\", or a GBK file would be accepted"))
        schema = resource.get("schema", {})
        if not schema.get("primaryKey"):
            problems.append(_problem(f"{name}.primaryKey", f"资源 {name} 没有主键", f"resource {name} has no primary key",
                                     "在 schema 中声明 primaryKey", "Declare primaryKey in its schema"))
        for field in schema.get("fields", []):
            if not field.get("title") or not field.get("description"):
                problems.append(_problem(f"{name}.{field.get('name')}",
                                         f"字段 {name}.{field.get('name')} 缺少中文标题或说明",
                                         f"field {name}.{field.get('name')} lacks a title or description",
                                         "补上 title（中文）和 description", "Add a Chinese title and a description"))
    return problems
