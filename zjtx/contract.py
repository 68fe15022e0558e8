"""The public data contract: resource and field names researchers script against. Extend, never rename.

The descriptor must also declare every key and constraint the contract states, because the rule checks, the
loader and the site rely on them: a foreign key left out of datapackage.json would let a row point at nothing and
the build fail much later. Each missing declaration is an error naming it.
"""

from __future__ import annotations

import dataclasses

import re
import types
from datetime import date
from pathlib import Path
from typing import get_type_hints

from . import load
from .boundary import inside_package, is_address, shown
from .problems import ERROR, Problem

# The fields every resource must declare: those the loader's records read (zjtx.load.RECORD_TYPES, the one
# declaration of the fields the code uses), which hold every name of the public data contract.
CONTRACT = {name: [f.name for f in dataclasses.fields(record) if f.init] for name, record in load.RECORD_TYPES.items()}

PRIMARY_KEYS = {
    "tiers": ["tier_id"],
    "targets": ["tier_id", "year"],
    "districts": ["district_code"],
    "industry_sections": ["section"],
    "industries": ["industry_code"],
    "enterprises": ["uscc"],
    "announcements": ["announcement_id"],
    "certifications": ["uscc", "tier_id", "announcement_id"],
    "products": ["uscc", "product_name"],
    "policies": ["policy_id"],
    "services": ["service_id"],
    "events": ["event_id"],
    "event_participants": ["event_id", "uscc"],
}

# (resource, field) -> (referenced resource, referenced field). Resources added later (services, events) are held
# to their keys when the package has them.
FOREIGN_KEYS = {
    ("tiers", "policy_id"): ("policies", "policy_id"),
    ("targets", "tier_id"): ("tiers", "tier_id"),
    ("targets", "policy_id"): ("policies", "policy_id"),
    ("districts", "parent_code"): ("districts", "district_code"),
    ("industries", "section"): ("industry_sections", "section"),
    ("enterprises", "district_code"): ("districts", "district_code"),
    ("enterprises", "industry_code"): ("industries", "industry_code"),
    ("announcements", "tier_id"): ("tiers", "tier_id"),
    ("certifications", "uscc"): ("enterprises", "uscc"),
    ("certifications", "tier_id"): ("tiers", "tier_id"),
    ("certifications", "announcement_id"): ("announcements", "announcement_id"),
    ("certifications", "recommended_by"): ("districts", "district_code"),
    ("certifications", "status_announcement_id"): ("announcements", "announcement_id"),
    ("products", "uscc"): ("enterprises", "uscc"),
    ("policies", "superseded_by"): ("policies", "policy_id"),
    ("event_participants", "event_id"): ("events", "event_id"),
    ("event_participants", "uscc"): ("enterprises", "uscc"),
}

# Values the code knows what to do with: a declared enum may be narrower, never wider.
ENUMS = {
    ("tiers", "level"): {"municipal", "national"},
    ("districts", "kind"): {"district", "zone"},
    ("announcements", "kind"): {"designation", "publicity", "review", "removal", "revocation"},
    ("certifications", "status"): {"active", "expired", "removed", "revoked"},
    ("policies", "status"): {"in_force", "superseded", "expired"},
}

# Ids among them keep to ASCII, so that their maxLength in characters is their length in bytes in a file name.
PATTERNS = {
    ("enterprises", "uscc"), ("districts", "district_code"), ("industries", "industry_code"),
    ("announcements", "announcement_id"), ("policies", "policy_id"), ("policies", "text_path"),
    ("tiers", "tier_id"), ("services", "service_id"), ("events", "event_id"),
    ("enterprises", "website"), ("announcements", "source_url"), ("policies", "source_url"),
}

# The longest value every output can take, in characters (`maxLength`): a descriptor may declare less, never more.
# Ids name folders and files (announcements/<id>/index.html, api/<kind>/<id>.json, announcement-<id>.xlsx): their
# patterns allow only ASCII, so 64 characters are 64 bytes, far below the 255 bytes a file name may have.
ID_LENGTH = 64
# Names and product names are indexed for search (every suffix of them) and head pages and tables.
NAME_LENGTH = 100
TITLE_LENGTH = 200
# Summaries and descriptions: a paragraph on a page.
TEXT_LENGTH = 2000
# Every table is published as XLSX, whose cells hold at most 32,767 UTF-16 units: a character outside the Basic
# Multilingual Plane takes two, so no text field may declare more than half of that.
CELL_LENGTH = 32767 // 2
MAX_LENGTHS = {
    **dict.fromkeys([("tiers", "tier_id"), ("districts", "district_code"), ("industries", "industry_code"),
                     ("enterprises", "uscc"), ("announcements", "announcement_id"), ("policies", "policy_id"),
                     ("services", "service_id"), ("events", "event_id")], ID_LENGTH),
    ("policies", "text_path"): len("policies/") + ID_LENGTH + len(".md"),
    **dict.fromkeys([("tiers", "name_zh"), ("districts", "name_zh"), ("enterprises", "name"),
                     ("products", "product_name")], NAME_LENGTH),
    **dict.fromkeys([("announcements", "title"), ("policies", "title"), ("services", "title"),
                     ("events", "title")], TITLE_LENGTH),
    **dict.fromkeys([("tiers", "definition"), ("enterprises", "main_products"), ("enterprises", "summary"),
                     ("products", "description"), ("policies", "summary"), ("services", "description"),
                     ("events", "description")], TEXT_LENGTH),
}
LENGTH_REASONS = {
    ID_LENGTH: ("它是网页地址和文件名的一部分", "it becomes part of page addresses and file names"),
    NAME_LENGTH: ("名称用于搜索索引、页面标题和表格", "names are indexed for search and head pages and tables"),
    TITLE_LENGTH: ("标题用于页面标题和订阅源", "titles head pages and feeds"),
    TEXT_LENGTH: ("简介和说明是页面上的一段文字", "a summary or description is one paragraph on a page"),
    CELL_LENGTH: ("每张表都以 XLSX 发布，单元格最多容纳 32,767 个 UTF-16 单位",
                  "every table is published as XLSX, whose cells hold at most 32,767 UTF-16 units"),
}
# The largest whole number every output holds exactly: Excel shows 15 significant digits, JavaScript's numbers
# (the API, search) are exact below 2**53, SQLite and Parquet store 64 bits. Terms and bans are added to dates.
INTEGER_MAXIMUM = 10**15 - 1
MAXIMUMS = {("tiers", "validity_years"): 100, ("policies", "ban_years"): 100}
# The package's name and version name its downloads (<name>-<version>.zip, downloads/<version>/) and release tags
# (data-v<version>): each must be one short, plain segment of a path.
PACKAGE_NAME = re.compile(r"[a-z0-9]+([-._][a-z0-9]+)*")
VERSION = re.compile(r"(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})")

DESCRIPTOR = "datapackage.json"
LOADER_TYPES = {date: "date", int: "integer"}


def _problem(field, message_zh, message_en, hint_zh, hint_en):
    return Problem(DESCRIPTOR, None, field, None, "contract", ERROR, message_zh, message_en, hint_zh, hint_en)


def _loader_fields(name: str) -> dict[str, tuple[str, bool]]:
    """How the loader reads each date and integer field of a resource: (schema type, whether it may be empty)."""
    record_type = load.RECORD_TYPES.get(name)
    if record_type is None:
        return {}
    fields = {}
    for field, hint in get_type_hints(record_type).items():
        kinds = hint.__args__ if isinstance(hint, types.UnionType) else (hint,)
        schema_type = next((LOADER_TYPES[kind] for kind in kinds if kind in LOADER_TYPES), None)
        if schema_type:
            fields[field] = (schema_type, type(None) in kinds)
    return fields


def _foreign_keys(schema: dict, name: str) -> set[tuple[str, str, str]]:
    declared = set()
    for key in schema.get("foreignKeys") or []:
        fields = key.get("fields")
        reference = key.get("reference") or {}
        ref_fields = reference.get("fields")
        fields = [fields] if isinstance(fields, str) else fields or []
        ref_fields = [ref_fields] if isinstance(ref_fields, str) else ref_fields or []
        target = reference.get("resource") or name  # "" means the resource itself
        for field, ref_field in zip(fields, ref_fields):
            declared.add((field, target, ref_field))
    return declared


def _schema_problems(name: str, schema: dict, present: set[str]) -> list[Problem]:
    problems = []
    fields = {f.get("name"): f for f in schema.get("fields", [])}
    key = PRIMARY_KEYS.get(name)
    declared_key = schema.get("primaryKey")
    declared_key = [declared_key] if isinstance(declared_key, str) else declared_key
    if not declared_key:
        problems.append(_problem(f"{name}.primaryKey", f"资源 {name} 没有主键", f"resource {name} has no primary key",
                                 f"在 schema 中声明 \"primaryKey\": {key or '[...]'}",
                                 f"Declare \"primaryKey\": {key or '[...]'} in its schema"))
    elif key and declared_key != key:
        problems.append(_problem(f"{name}.primaryKey", f"资源 {name} 的主键应为 {key}，实际为 {declared_key}",
                                 f"resource {name} must have the primary key {key}, not {declared_key}",
                                 f"把 primaryKey 改回 {key}", f"Set primaryKey back to {key}"))
    declared_fks = _foreign_keys(schema, name)
    for (resource, field), (target, ref_field) in FOREIGN_KEYS.items():
        if resource != name or target not in present or field not in fields:
            continue
        if (field, target, ref_field) not in declared_fks:
            problems.append(_problem(
                f"{name}.{field}", f"资源 {name} 没有声明外键 {field} → {target}.{ref_field}",
                f"resource {name} does not declare the foreign key {field} → {target}.{ref_field}",
                f"在 {name} 的 schema.foreignKeys 中加回 {{\"fields\": [\"{field}\"], \"reference\": "
                f"{{\"resource\": \"{'' if target == name else target}\", \"fields\": [\"{ref_field}\"]}}}}",
                f"Add it back to {name}'s schema.foreignKeys: {{\"fields\": [\"{field}\"], \"reference\": "
                f"{{\"resource\": \"{'' if target == name else target}\", \"fields\": [\"{ref_field}\"]}}}}",
            ))
    for field, (schema_type, optional) in _loader_fields(name).items():
        declared = fields.get(field)
        if declared is None:
            continue
        if declared.get("type", "string") != schema_type:
            problems.append(_problem(f"{name}.{field}", f"字段 {name}.{field} 的类型应为 {schema_type}",
                                     f"field {name}.{field} must have the type {schema_type}",
                                     f"把 type 改回 \"{schema_type}\"", f"Set its type back to \"{schema_type}\""))
        required = bool((declared.get("constraints") or {}).get("required"))
        if not optional and not required:
            problems.append(_problem(f"{name}.{field}", f"字段 {name}.{field} 没有声明 required",
                                     f"field {name}.{field} is not declared required",
                                     "在 constraints 中加回 \"required\": true",
                                     "Add \"required\": true back to its constraints"))
    for field in key or []:
        declared = fields.get(field)
        if declared is not None and not (declared.get("constraints") or {}).get("required"):
            problems.append(_problem(f"{name}.{field}", f"主键字段 {name}.{field} 没有声明 required",
                                     f"primary-key field {name}.{field} is not declared required",
                                     "在 constraints 中加回 \"required\": true",
                                     "Add \"required\": true back to its constraints"))
    for (resource, field), allowed in ENUMS.items():
        declared = fields.get(field)
        if resource != name or declared is None:
            continue
        enum = (declared.get("constraints") or {}).get("enum")
        if not enum or not set(enum) <= allowed:
            problems.append(_problem(f"{name}.{field}", f"字段 {name}.{field} 的 enum 应为 {sorted(allowed)} 中的值",
                                     f"field {name}.{field} must declare an enum within {sorted(allowed)}",
                                     f"在 constraints 中声明 \"enum\": {sorted(allowed)}",
                                     f"Declare \"enum\": {sorted(allowed)} in its constraints"))
    problems += _length_problems(name, fields)
    for resource, field in sorted(PATTERNS):
        declared = fields.get(field)
        if resource == name and declared is not None and not (declared.get("constraints") or {}).get("pattern"):
            problems.append(_problem(f"{name}.{field}", f"字段 {name}.{field} 没有声明 pattern",
                                     f"field {name}.{field} does not declare its pattern",
                                     "从 git 历史中恢复该字段的 constraints.pattern",
                                     "Restore its constraints.pattern from the git history"))
    return problems


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _length_problems(name: str, fields: dict) -> list[Problem]:
    """Every text field declares a maxLength, and every whole-number field a maximum, that fits every output."""
    problems = []
    for field, declared in fields.items():
        if declared.get("type", "string") == "integer":
            problems += _maximum_problems(name, field, declared)
        if declared.get("type", "string") != "string":
            continue
        ceiling = MAX_LENGTHS.get((name, field), CELL_LENGTH)
        why_zh, why_en = LENGTH_REASONS.get(ceiling, LENGTH_REASONS[CELL_LENGTH])
        limit = (declared.get("constraints") or {}).get("maxLength")
        if _is_whole(limit) and 0 < limit <= ceiling:
            continue
        if limit is None:
            what_zh, what_en = "没有声明 maxLength", "does not declare its maxLength"
        else:
            what_zh = f"的 maxLength {shown(limit)} 不在 1 到 {ceiling} 之间"
            what_en = f"declares maxLength {shown(limit)}, not 1 to {ceiling}"
        problems.append(_problem(f"{name}.{field}", f"字段 {name}.{field} {what_zh}（{why_zh}）",
                                 f"field {name}.{field} {what_en} ({why_en})",
                                 f"在 constraints 中声明 \"maxLength\": {ceiling} 或更小的整数",
                                 f"Declare \"maxLength\": {ceiling} or a smaller whole number in its constraints"))
    return problems


def _maximum_problems(name: str, field: str, declared: dict) -> list[Problem]:
    ceiling = MAXIMUMS.get((name, field), INTEGER_MAXIMUM)
    maximum = (declared.get("constraints") or {}).get("maximum")
    if _is_whole(maximum) and maximum <= ceiling:
        return []
    return [_problem(f"{name}.{field}",
                     f"字段 {name}.{field} 没有声明不超过 {ceiling:,} 的 maximum（整数要能在每种下载格式中准确保存）",
                     f"field {name}.{field} does not declare a maximum of at most {ceiling:,} (every download format "
                     "must hold the number exactly)",
                     f"在 constraints 中声明 \"maximum\": {ceiling} 或更小的整数",
                     f"Declare \"maximum\": {ceiling} or a smaller whole number in its constraints")]


def _shape(where: str, what_zh: str, what_en: str) -> Problem:
    return _problem(where, f"{where} {what_zh}", f"{where} {what_en}",
                    "按 Frictionless Data Package 规范改正（可对照 git 历史中的版本）",
                    "Correct it as the Frictionless Data Package spec says (compare with the version in git)")


def _is_names(value, allowed) -> bool:
    return isinstance(value, list) and all(isinstance(name, str) and name in allowed for name in value)


def check_shape(descriptor, package_dir: Path) -> list[Problem]:
    """The parts of the descriptor every other step reads: when one is malformed, nothing else can be checked."""
    if not isinstance(descriptor, dict):
        return [_shape("(root)", "应为 JSON 对象", "must be a JSON object")]
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        return [_shape("resources", "应为由对象组成的列表", "must be a list of objects")]
    problems = []
    for number, resource in enumerate(resources, start=1):
        name = resource.get("name")
        where = name if isinstance(name, str) and name else f"resources[{number}]"
        if not isinstance(name, str) or not name:
            problems.append(_shape(where, "缺少 name", "has no name"))
        path = resource.get("path")
        if not isinstance(path, str) or not path:
            problems.append(_shape(f"{where}.path", "应为一个文件路径（字符串）", "must be one file path (a string)"))
        elif not is_address(path) and not inside_package(package_dir, path):  # an address: see remote_references
            problems.append(_problem(f"{where}.path", f"{where}.path {shown(path)} 不是数据包文件夹内的文件",
                                     f"{where}.path {shown(path)} is not a file inside the package folder",
                                     f"写成数据包内的相对路径，如 data/{where}.csv（字母、数字、. _ - 和 /，"
                                     "不能以 / 开头，不能有 ..，不能是指向数据包外的链接）",
                                     f"Write a path relative to the package, e.g. data/{where}.csv (letters, "
                                     "digits, . _ - and /; no leading /, no .., no link leading out of the package)"))
        schema = resource.get("schema")
        if isinstance(schema, str):  # Frictionless would fetch or open it
            problems.append(_problem(f"{where}.schema", f"{where}.schema {shown(schema)} 是网址或文件路径，不会被读取",
                                     f"{where}.schema {shown(schema)} is an address or a file path, which is never read",
                                     "把 schema 作为对象直接写在 datapackage.json 中（可对照 git 历史中的版本）",
                                     "Write the schema inline in datapackage.json as an object (compare with the "
                                     "version in git)"))
            continue
        if not isinstance(schema, dict):
            problems.append(_shape(f"{where}.schema", "应为直接写在说明文件中的对象", "must be an object written in the descriptor"))
            continue
        fields = schema.get("fields")
        if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields):
            problems.append(_shape(f"{where}.schema.fields", "应为有 name 的字段对象列表", "must be a list of field objects with names"))
            continue
        names = {f["name"] for f in fields}
        if "primaryKey" in schema and not _is_names(schema["primaryKey"], names):
            problems.append(_shape(f"{where}.schema.primaryKey", "应为由已声明字段名组成的列表", "must be a list of declared field names"))
        keys = schema.get("foreignKeys", [])
        if not isinstance(keys, list) or not all(
            isinstance(k, dict) and _is_names(k.get("fields"), names) and isinstance(k.get("reference"), dict)
            and isinstance(k["reference"].get("resource", ""), str) and isinstance(k["reference"].get("fields"), list)
            for k in keys
        ):
            problems.append(_shape(f"{where}.schema.foreignKeys",
                                   "应为对象列表，每个对象有 fields（字段名列表）和 reference（resource 与 fields）",
                                   "must be a list of objects, each with fields (a list of names) and reference (resource and fields)"))
    return problems


def _name_and_version(descriptor: dict) -> list[Problem]:
    problems = []
    name, version = descriptor.get("name"), descriptor.get("version")
    if not (isinstance(name, str) and len(name) <= ID_LENGTH and PACKAGE_NAME.fullmatch(name)):
        problems.append(_problem("name",
                                 f"数据包名称 {shown(name)} 不是最多 {ID_LENGTH} 个字符的短标识（它是下载文件名的一部分）",
                                 f"the package name {shown(name)} is not a slug of at most {ID_LENGTH} characters "
                                 "(it names the download files)",
                                 "写成小写字母、数字和 - . _，如 tianjin-zjtx-register",
                                 "Use lower-case letters, digits and - . _, e.g. tianjin-zjtx-register"))
    if not (isinstance(version, str) and VERSION.fullmatch(version)):
        problems.append(_problem("version", f"版本 {shown(version)} 不是 X.Y.Z 形式（它是下载目录和发布标签的一部分）",
                                 f"the version {shown(version)} is not X.Y.Z (it names the download folder and the "
                                 "release tag)",
                                 "写成三段数字，如 0.2.0：修正数据时加最后一段，新增字段或资源时加中间一段",
                                 "Write three numbers, e.g. 0.2.0: raise the last for corrections, the middle for "
                                 "new fields or resources"))
    return problems


def check_descriptor(descriptor: dict) -> list[Problem]:
    """What the contract asks of the descriptor beyond the Frictionless profile."""
    problems = _name_and_version(descriptor)
    resources = {r.get("name"): r for r in descriptor.get("resources", []) if isinstance(r, dict)}
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
    present = set(resources)
    for name, resource in resources.items():
        if resource.get("encoding") != "utf-8":
            problems.append(_problem(f"{name}.encoding", f"资源 {name} 没有声明 encoding: utf-8",
                                     f"resource {name} does not declare encoding: utf-8",
                                     "加上 \"encoding\": \"utf-8\"，否则 GBK 文件也会被接受",
                                     "Add \"encoding\": \"utf-8\", or a GBK file would be accepted"))
        schema = resource.get("schema", {})
        problems += _schema_problems(name, schema, present)
        for field in schema.get("fields", []):
            if not field.get("title") or not field.get("description"):
                problems.append(_problem(f"{name}.{field.get('name')}",
                                         f"字段 {name}.{field.get('name')} 缺少中文标题或说明",
                                         f"field {name}.{field.get('name')} lacks a title or description",
                                         "补上 title（中文）和 description", "Add a Chinese title and a description"))
    return problems


def broken_resources(problems: list[Problem]) -> set[str]:
    """Resources whose descriptor breaks the contract: their rule checks would read fields that are not there."""
    return {(p.field or "").split(".")[0] for p in problems if p.file == DESCRIPTOR and p.code == "contract"}
