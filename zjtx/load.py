"""Read the data package into typed records; write its CSV files in canonical form.

This is the only module that knows where the files of the package live and how its CSV files are spelled.
Every other job (checks, site, search, downloads) takes the records this module returns.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from . import library
from .column import COLUMN_RESOURCES, OPEN, served_places, service_state
from .errors import PackageError

DESCRIPTOR_NAME = "datapackage.json"
DEFAULT_PACKAGE = Path(__file__).resolve().parent.parent / "datapackage"


# Records -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    policy_id: str
    doc_number: str
    title: str
    issuer: str
    issued_on: date
    effective_on: date | None
    status: str
    superseded_by: str
    text_path: str
    source_url: str
    ban_years: int | None
    summary: str

    @property
    def in_effect_from(self) -> date:
        return self.effective_on or self.issued_on


@dataclass(frozen=True)
class Tier:
    tier_id: str
    name_zh: str
    name_en: str
    level: str
    rank: int
    validity_years: int | None
    policy_id: str
    definition: str


@dataclass(frozen=True)
class Target:
    tier_id: str
    year: int
    target: int
    policy_id: str


@dataclass(frozen=True)
class District:
    district_code: str
    name_zh: str
    name_en: str
    kind: str
    parent_code: str


@dataclass(frozen=True)
class IndustrySection:
    section: str
    name_zh: str


@dataclass(frozen=True)
class Industry:
    industry_code: str
    section: str
    name_zh: str


@dataclass(frozen=True)
class Enterprise:
    uscc: str
    name: str
    district_code: str
    industry_code: str
    main_products: str
    website: str
    summary: str


@dataclass(frozen=True)
class Announcement:
    announcement_id: str
    tier_id: str
    kind: str
    title: str
    doc_number: str
    issuer: str
    published_on: date
    source_url: str
    expected_count: int | None


@dataclass(frozen=True)
class Certification:
    uscc: str
    tier_id: str
    announcement_id: str
    recommended_by: str
    certified_on: date
    valid_until: date | None
    status: str
    status_on: date | None
    status_reason: str
    status_announcement_id: str


@dataclass(frozen=True)
class Product:
    uscc: str
    product_name: str
    category: str
    description: str


# The column (专精特新专栏): services, events and the districts' liaison offices -------------------------------


def split_ids(text: str) -> tuple[str, ...]:
    """A `;`-separated list cell (eligible_tiers, districts) as its items; empty items are dropped."""
    return tuple(item for item in (part.strip() for part in text.split(";")) if item)


@dataclass(frozen=True)
class Service:
    service_id: str
    title: str
    kind: str
    provider: str
    provider_kind: str
    channel: str
    description: str
    eligible_tiers: str
    districts: str
    contact: str
    valid_from: date
    valid_until: date | None
    source_url: str
    policy_id: str

    @cached_property
    def tier_ids(self) -> tuple[str, ...]:
        return split_ids(self.eligible_tiers)

    @cached_property
    def district_codes(self) -> tuple[str, ...]:
        """The districts and zones served; empty for the whole city."""
        return split_ids(self.districts)


@dataclass(frozen=True)
class Event:
    event_id: str
    title: str
    kind: str
    starts_on: date
    ends_on: date
    city: str
    venue: str
    organiser: str
    eligible_tiers: str
    description: str
    source_url: str

    @cached_property
    def tier_ids(self) -> tuple[str, ...]:
        return split_ids(self.eligible_tiers)


@dataclass(frozen=True)
class EventParticipant:
    event_id: str
    uscc: str


@dataclass(frozen=True)
class DistrictLiaison:
    district_code: str
    office: str
    contact: str
    source_url: str


RECORD_TYPES = {
    "tiers": Tier,
    "targets": Target,
    "districts": District,
    "industry_sections": IndustrySection,
    "industries": Industry,
    "enterprises": Enterprise,
    "announcements": Announcement,
    "certifications": Certification,
    "products": Product,
    "policies": Policy,
    "services": Service,
    "events": Event,
    "event_participants": EventParticipant,
    "district_liaisons": DistrictLiaison,
}


@dataclass
class Register:
    """The whole package as records, with the look-ups every page needs."""

    root: Path
    descriptor: dict
    tiers: dict[str, Tier]
    targets: list[Target]
    districts: dict[str, District]
    industry_sections: dict[str, IndustrySection]
    industries: dict[str, Industry]
    enterprises: dict[str, Enterprise]
    announcements: dict[str, Announcement]
    certifications: list[Certification]
    products: list[Product]
    policies: dict[str, Policy]
    # The day the register describes: every "in the library" answer of a build is for this day (library.py).
    as_of: date = field(default_factory=date.today)
    certifications_by_uscc: dict[str, list[Certification]] = field(default_factory=dict)
    products_by_uscc: dict[str, list[Product]] = field(default_factory=dict)
    # The column; a package from before these resources existed has none of them.
    services: dict[str, Service] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    event_participants: list[EventParticipant] = field(default_factory=list)
    district_liaisons: dict[str, DistrictLiaison] = field(default_factory=dict)
    participants_by_event: dict[str, list[str]] = field(default_factory=dict)
    events_by_uscc: dict[str, list[Event]] = field(default_factory=dict)
    _served_places: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _open_services: dict[date, list[Service]] = field(default_factory=dict, repr=False)
    _services_in_order: list[Service] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        by_uscc: dict[str, list[Certification]] = defaultdict(list)
        for certification in self.certifications:
            by_uscc[certification.uscc].append(certification)
        for history in by_uscc.values():
            history.sort(key=lambda c: (c.certified_on, self.tiers[c.tier_id].rank))
        self.certifications_by_uscc = dict(by_uscc)
        products: dict[str, list[Product]] = defaultdict(list)
        for product in self.products:
            products[product.uscc].append(product)
        self.products_by_uscc = dict(products)
        self._index_column()

    def _index_column(self) -> None:
        by_event: dict[str, list[str]] = defaultdict(list)
        by_uscc: dict[str, list[Event]] = defaultdict(list)
        for participant in self.event_participants:
            by_event[participant.event_id].append(participant.uscc)
            by_uscc[participant.uscc].append(self.events[participant.event_id])
        for history in by_uscc.values():
            history.sort(key=lambda e: (e.starts_on, e.event_id), reverse=True)
        self.participants_by_event = dict(by_event)
        self.events_by_uscc = dict(by_uscc)

    @property
    def is_demo(self) -> bool:
        return bool(self.descriptor.get("demo"))

    @property
    def tiers_by_rank(self) -> list[Tier]:
        return sorted(self.tiers.values(), key=lambda t: t.rank)

    def held_on(self, certification: Certification, day: date | None = None) -> bool:
        """Whether the certification keeps its enterprise in the library on `day` (default: the register's as_of)."""
        return library.held_on(certification, day or self.as_of)

    def standing(self, certification: Certification, day: date | None = None) -> str:
        """How the row stands on `day` (library.STANDINGS): held, lapsed, expired, removed, revoked or pending."""
        return library.standing(certification, day or self.as_of)

    def tiers_held(self, uscc: str, day: date | None = None) -> list[Tier]:
        """Tiers whose library the enterprise is in on `day` (default: the register's as_of), lowest rung first."""
        day = day or self.as_of
        ids = {c.tier_id for c in self.certifications_by_uscc.get(uscc, []) if library.held_on(c, day)}
        return [t for t in self.tiers_by_rank if t.tier_id in ids]

    def members_on(self, day: date | None = None) -> dict[str, set[str]]:
        """The enterprises in each tier's library on `day`, by tier."""
        return library.members_on(self.certifications, self.tiers, day or self.as_of)

    def ban(self, certification: Certification) -> library.Ban | None:
        """The ban on recommendation that the row's revocation for false declaration started, if any."""
        if certification.status != "revoked" or certification.status_reason != "false_declaration":
            return None
        if certification.status_on is None:
            return None
        return library.ban_after(self.policies.values(), certification.status_on)

    def places(self, uscc: str, day: date | None = None) -> list[str]:
        """Where the enterprise belongs for a service's `districts`: its district, and the zones that recommended
        the certifications it holds on `day` (an enterprise in TEDA is registered in 滨海新区)."""
        day = day or self.as_of
        places = [self.enterprises[uscc].district_code]
        for certification in self.certifications_by_uscc.get(uscc, []):
            if library.held_on(certification, day) and certification.recommended_by not in places:
                places.append(certification.recommended_by)
        return places

    def services_for(self, uscc: str, day: date | None = None) -> list[Service]:
        """Services offered on `day` that the enterprise's tiers held that day and its places make it eligible for."""
        day = day or self.as_of
        tier_ids = {tier.tier_id for tier in self.tiers_held(uscc, day)}
        if not tier_ids:
            return []
        places = self.places(uscc, day)
        return [
            service for service in self._services_open_on(day)
            if not tier_ids.isdisjoint(service.tier_ids)
            and (not service.district_codes or not self.served_places(service).isdisjoint(places))
        ]

    def _services_open_on(self, day: date) -> list[Service]:
        # Asked once per enterprise page: the answer for a day is kept (a build asks about one day).
        if day not in self._open_services:
            self._open_services[day] = [s for s in self.services_in_order if service_state(s, day) == OPEN]
        return self._open_services[day]

    @property
    def services_in_order(self) -> list[Service]:
        """Services by kind, then id: the order of every list of services."""
        if self._services_in_order is None:
            self._services_in_order = sorted(self.services.values(), key=lambda s: (s.kind, s.service_id))
        return self._services_in_order

    def served_places(self, service: Service) -> frozenset[str]:
        """The districts and zones the service reaches (a district reaches its zones); empty for the whole city."""
        places = self._served_places.get(service.service_id)
        if places is None:
            places = self._served_places[service.service_id] = frozenset(
                served_places(service.district_codes, self.districts))
        return places

    def liaisons_for(self, uscc: str, day: date | None = None) -> list[DistrictLiaison]:
        """The liaison (包联) offices of the enterprise's places, its district first."""
        return [self.district_liaisons[code] for code in self.places(uscc, day) if code in self.district_liaisons]

    def policy_text(self, policy: Policy) -> str:
        return policy_text_file(self.root, policy.text_path).read_text(encoding="utf-8")


# Reading -------------------------------------------------------------------------------------------------------


def package_dir_of(path: Path) -> Path:
    """The package folder, given the folder or its datapackage.json (as frictionless users type it)."""
    path = Path(path)
    return path.parent if path.name == DESCRIPTOR_NAME and not path.is_dir() else path


def read_descriptor(package_dir: Path) -> dict:
    path = Path(package_dir) / DESCRIPTOR_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise PackageError(f"no {DESCRIPTOR_NAME} in {package_dir}", f"{package_dir} 中没有 {DESCRIPTOR_NAME}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PackageError(f"{path} is not valid UTF-8 JSON: {error}", f"{path} 不是有效的 UTF-8 JSON：{error}") from error


def resource_descriptors(descriptor: dict) -> dict[str, dict]:
    return {resource["name"]: resource for resource in descriptor.get("resources", [])}


def foreign_keys(resource: dict) -> list[tuple[list[str], str, list[str]]]:
    """The resource's foreign keys as (fields, referenced resource, referenced fields): a field named alone is a
    list of one, and a reference that names no resource is to the resource itself."""
    def listed(fields) -> list[str]:
        return fields if isinstance(fields, list) else [fields]

    return [(listed(key["fields"]), key["reference"].get("resource") or resource["name"],
             listed(key["reference"]["fields"])) for key in resource["schema"].get("foreignKeys") or []]


def resource_path(package_dir: Path, resource: dict) -> Path:
    return Path(package_dir) / resource["path"]


def policy_text_file(package_dir: Path, text_path: str) -> Path:
    """The policy's Markdown file, refusing any path that leaves policies/ or a policies/ folder (or file) that is
    a link to somewhere outside the package: real paths are compared, so no link can publish an outside file."""
    package_root = Path(package_dir).resolve()
    policies_dir = (Path(package_dir) / "policies").resolve()
    path = (Path(package_dir) / text_path).resolve()
    if package_root not in policies_dir.parents or policies_dir not in path.parents:
        raise PackageError(
            f"text_path {text_path!r} is outside policies/",
            f"text_path {text_path!r} 不在 policies/ 目录中",
        )
    return path


def read_raw_rows(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a CSV file as strings, for jobs that must not fail on bad data (the rule checks' look-ups, diff).

    A file saved by Excel as "CSV UTF-8" starts with a byte-order mark: it is read as the CSV it is (its first
    column named `uscc`, not `\\ufeffuscc`); validate reports the mark and fmt removes it."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        yield from csv.DictReader(handle)


def rows_from_text(text: str, file: str) -> list[dict[str, str]]:
    """Parse CSV text for rewriting; a ragged row is refused, since rewriting it would drop or shift cells."""
    reader = csv.DictReader(io.StringIO(text))
    rows = []
    for row in reader:
        if None in row or None in row.values():
            line = reader.line_num
            raise PackageError(
                f"{file} line {line}: the row has a different number of cells than the header; fix it by hand "
                "(quote text that contains a comma), then run fmt again",
                f"{file} 第 {line} 行：单元格数与表头不同；请先手工改正（含逗号的文本加英文双引号），再运行 fmt",
            )
        rows.append(row)
    return rows


def _parse_date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _parse_int(text: str) -> int | None:
    return int(text) if text else None


def _record(record_type, row: dict[str, str]):
    values = {}
    for name, annotation in record_type.__annotations__.items():
        text = row.get(name) or ""
        if "date" in annotation:
            values[name] = _parse_date(text)
        elif "int" in annotation:
            values[name] = _parse_int(text)
        else:
            values[name] = text
    return record_type(**values)


def read_records(package_dir: Path, name: str) -> list:
    descriptor = read_descriptor(package_dir)
    resource = resource_descriptors(descriptor)[name]
    return [_record(RECORD_TYPES[name], row) for row in read_raw_rows(resource_path(package_dir, resource))]


def load_register(package_dir: Path = DEFAULT_PACKAGE, as_of: date | None = None) -> Register:
    """Read a package that has passed validation into records, describing the day `as_of` (default today)."""
    package_dir = Path(package_dir)
    descriptor = read_descriptor(package_dir)
    resources = resource_descriptors(descriptor)
    tables = {}
    for name, record_type in RECORD_TYPES.items():
        if name in COLUMN_RESOURCES and name not in resources:
            tables[name] = []  # a package (or a release read by revisions.py) from before the column
            continue
        rows = read_raw_rows(resource_path(package_dir, resources[name]))
        tables[name] = [_record(record_type, row) for row in rows]

    def keyed(name: str, key: str) -> dict:
        return {getattr(record, key): record for record in tables[name]}

    return Register(
        root=package_dir,
        descriptor=descriptor,
        tiers=keyed("tiers", "tier_id"),
        targets=tables["targets"],
        districts=keyed("districts", "district_code"),
        industry_sections=keyed("industry_sections", "section"),
        industries=keyed("industries", "industry_code"),
        enterprises=keyed("enterprises", "uscc"),
        announcements=keyed("announcements", "announcement_id"),
        certifications=tables["certifications"],
        products=tables["products"],
        policies=keyed("policies", "policy_id"),
        as_of=as_of or date.today(),
        services=keyed("services", "service_id"),
        events=keyed("events", "event_id"),
        event_participants=tables["event_participants"],
        district_liaisons=keyed("district_liaisons", "district_code"),
    )


# Writing -------------------------------------------------------------------------------------------------------


def sort_key(resource: dict):
    """The order of a table's rows: by primary key, integers as numbers."""
    schema = resource["schema"]
    types = {f["name"]: f.get("type", "string") for f in schema["fields"]}
    key_fields = schema.get("primaryKey", [])

    def key(row: dict[str, str]):
        parts = []
        for name in key_fields:
            text = row.get(name) or ""
            if types[name] == "integer" and text.lstrip("-").isdigit():
                parts.append((0, int(text), ""))
            else:
                parts.append((1, 0, text))
        return parts

    return key


def canonical_csv(resource: dict, rows: Iterable[dict[str, str]]) -> str:
    """The one spelling of a table: header from the schema, rows sorted by primary key, minimal quoting, LF."""
    header = [f["name"] for f in resource["schema"]["fields"]]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for row in sorted(rows, key=sort_key(resource)):
        writer.writerow([row.get(name) or "" for name in header])
    return buffer.getvalue()


def write_table(package_dir: Path, resource: dict, rows: Iterable[dict[str, str]]) -> Path:
    path = resource_path(package_dir, resource)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(canonical_csv(resource, rows).encode("utf-8"))
    return path
