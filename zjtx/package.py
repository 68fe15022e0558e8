"""The data package as one value: its descriptor, its resources with their schemas and keys, their rows as the CSV
spells them and as the schema types them, and the files it publishes.

A `Package` is read once (`Package.read`) and handed to every job that needs the data: the loader, the downloads,
the site. It is the only place that knows where the files of a package live and how its CSV files are spelled;
a cell is typed here, from the field's schema type, and nowhere else.

Every file it reads is inside the package folder: a resource path, a policy text or a link that leads out of it is
refused (PackageError), so no data file can publish a file of the machine that builds the site.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from collections.abc import Iterable, Iterator, Mapping

from .errors import PackageError

DESCRIPTOR_NAME = "datapackage.json"
DEFAULT_PACKAGE = Path(__file__).resolve().parent.parent / "datapackage"
POLICIES_DIR = "policies"


# The schema ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # the schema's type: string, integer, number, boolean, date
    title: str
    descriptor: Mapping  # the field as the descriptor writes it (description, constraints, ...)

    @property
    def constraints(self) -> Mapping:
        return self.descriptor.get("constraints") or {}


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str  # the referenced resource; a key that names none refers to its own resource
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Resource:
    name: str
    path: str  # relative to the package folder, as the descriptor writes it
    title: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    descriptor: Mapping

    @property
    def field_names(self) -> list[str]:
        return [field.name for field in self.fields]

    @property
    def types(self) -> list[str]:
        return [field.type for field in self.fields]

    @classmethod
    def of(cls, descriptor: Mapping) -> Resource:
        """The resource of a descriptor entry. Validation judges a descriptor's shape (contract.check_shape); here
        what is malformed is left out, so that comparing two versions (diff, check-scope) never fails on it."""
        schema = descriptor.get("schema") if isinstance(descriptor.get("schema"), Mapping) else {}

        def listed(names) -> tuple[str, ...]:
            if isinstance(names, str):
                return (names,)
            return tuple(name for name in names if isinstance(name, str)) if isinstance(names, list) else ()

        fields = [f for f in schema.get("fields") or [] if isinstance(f, Mapping) and isinstance(f.get("name"), str)]
        keys = [k for k in schema.get("foreignKeys") or []
                if isinstance(k, Mapping) and isinstance(k.get("reference"), Mapping)]
        name = str(descriptor.get("name") or "")
        return cls(
            name=name,
            path=str(descriptor.get("path") or ""),
            title=str(descriptor.get("title") or name),
            fields=tuple(Field(f["name"], str(f.get("type") or "string"), str(f.get("title") or f["name"]), f)
                         for f in fields),
            primary_key=listed(schema.get("primaryKey") or []),
            foreign_keys=tuple(ForeignKey(listed(k.get("fields") or []), k["reference"].get("resource") or name,
                                          listed(k["reference"].get("fields") or [])) for k in keys),
            descriptor=descriptor,
        )


# Cells ---------------------------------------------------------------------------------------------------------


def _boolean(text: str) -> bool:
    if text.lower() in ("true", "1", "yes"):
        return True
    if text.lower() in ("false", "0", "no"):
        return False
    raise ValueError(text)


# How a cell of each schema type is read. Validation refuses any other spelling (checks/values.py), so a package
# that passes `validate` reads here without an error.
CELL_READERS = {"integer": int, "number": float, "date": date.fromisoformat, "boolean": _boolean}


def read_cell(field_type: str, text: str):
    """The value of a cell by its field's schema type: None for an empty cell, text for a string field."""
    if not text:
        return None
    reader = CELL_READERS.get(field_type)
    return reader(text) if reader else text


def cell_text(value) -> str:
    """A typed value as the CSV spells it: what every download format is compared against."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def row_order(resource: Resource):
    """The order of a table's rows: by primary key, integers as numbers (a key of sorted())."""
    types = {field.name: field.type for field in resource.fields}

    def key(row: Mapping[str, str]):
        parts = []
        for name in resource.primary_key:
            text = row.get(name) or ""
            if types.get(name) == "integer" and text.lstrip("-").isdigit():
                parts.append((0, int(text), ""))
            else:
                parts.append((1, 0, text))
        return parts

    return key


def canonical_csv(resource: Resource, rows: Iterable[Mapping[str, str]]) -> str:
    """The one spelling of a table: header from the schema, rows sorted by primary key, minimal quoting, LF."""
    header = resource.field_names
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for row in sorted(rows, key=row_order(resource)):
        writer.writerow([row.get(name) or "" for name in header])
    return buffer.getvalue()


def read_csv_rows(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a CSV file as strings. A byte-order mark (Excel's "CSV UTF-8") is not part of the first column's
    name; bytes that are not UTF-8 become U+FFFD, for jobs that must not fail on bad data (validation says why)."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        yield from csv.DictReader(handle)


# The package ---------------------------------------------------------------------------------------------------


def package_dir_of(path: Path) -> Path:
    """The package folder, given the folder or its datapackage.json (as frictionless users type it)."""
    path = Path(path)
    return path.parent if path.name == DESCRIPTOR_NAME and not path.is_dir() else path


def read_descriptor(package_dir: Path) -> dict:
    path = Path(package_dir) / DESCRIPTOR_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise PackageError(f"no {DESCRIPTOR_NAME} in {package_dir}",
                           f"{package_dir} 中没有 {DESCRIPTOR_NAME}") from error
    except IsADirectoryError as error:
        raise PackageError(f"{path} is a folder, not a file", f"{path} 是文件夹，不是文件") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PackageError(f"{path} is not valid UTF-8 JSON: {error}",
                           f"{path} 不是有效的 UTF-8 JSON：{error}") from error


def inside(root: Path, relative: str, what: str) -> Path:
    """root/relative, refused unless its real path (links followed) lies inside root's."""
    base = Path(root).resolve()
    if not isinstance(relative, str) or "://" in relative or Path(relative).is_absolute():
        raise PackageError(f"{what} {relative!r} is not a path inside the package",
                           f"{what} {relative!r} 不是数据包内的路径")
    path = (Path(root) / relative).resolve()
    if base not in path.parents:
        raise PackageError(f"{what} {relative!r} leads outside the package folder",
                           f"{what} {relative!r} 指向数据包文件夹之外")
    return path


class Package:
    """One data package: read once, then passed to every job that needs its data."""

    def __init__(self, root: Path, descriptor: dict):
        self.root = Path(root)
        self.descriptor = descriptor
        self._raw: dict[str, list[dict[str, str]]] = {}

    @classmethod
    def read(cls, location: Path = DEFAULT_PACKAGE) -> Package:
        """The package in a folder (or given by its datapackage.json); PackageError when there is no descriptor."""
        root = package_dir_of(location)
        return cls(root, read_descriptor(root))

    # The descriptor

    @cached_property
    def resources(self) -> dict[str, Resource]:
        """The resources by name, in the descriptor's order (an entry without a name is left out)."""
        entries = self.descriptor.get("resources") if isinstance(self.descriptor, dict) else None
        return {entry["name"]: Resource.of(entry) for entry in entries or []
                if isinstance(entry, Mapping) and isinstance(entry.get("name"), str)}

    def resource(self, name: str) -> Resource:
        return self.resources[name]

    def _get(self, key: str):
        return self.descriptor.get(key) if isinstance(self.descriptor, dict) else None

    @property
    def name(self) -> str:
        return str(self._get("name") or "package")

    @property
    def version(self) -> str:
        return str(self._get("version") or "")

    @property
    def title(self) -> str:
        return str(self._get("title") or self.name)

    @property
    def is_demo(self) -> bool:
        return bool(self._get("demo"))

    # Files

    def path(self, name: str) -> Path:
        """The file of a resource, inside the package."""
        return inside(self.root, self.resources[name].path, "path")

    def policy_file(self, text_path: str) -> Path:
        """A policy's Markdown file: it must lie in policies/, links followed."""
        path = inside(self.root, text_path, "text_path")
        policies = (self.root / POLICIES_DIR).resolve()
        if policies not in path.parents:
            raise PackageError(f"text_path {text_path!r} is outside {POLICIES_DIR}/",
                               f"text_path {text_path!r} 不在 {POLICIES_DIR}/ 目录中")
        return path

    def published_files(self) -> list[Path]:
        """The files of the package as published: the descriptor, every resource's CSV and the policy texts.

        A policy text that is a link, or lies in a linked folder, is left out: only the package's own files are
        published, never what a link points at (validation reports such links)."""
        files = {self.root / DESCRIPTOR_NAME}
        files.update(self.path(name) for name in self.resources)
        policies = self.root / POLICIES_DIR
        if policies.is_dir() and not policies.is_symlink():
            base = policies.resolve()
            for path in policies.rglob("*.md"):
                real = path.resolve()
                if path.is_file() and not _linked(path, policies) and base in real.parents:
                    files.add(path)
        return sorted(files, key=lambda p: self.relative(p))

    def relative(self, path: Path) -> str:
        """A file's path inside the package, as published."""
        try:
            return Path(path).relative_to(self.root).as_posix()
        except ValueError:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()

    # Rows

    def raw_rows(self, name: str) -> list[dict[str, str]]:
        """The rows of a resource as its CSV spells them (kept: every job of a run reads the same rows)."""
        if name not in self._raw:
            path = self.path(name)
            self._raw[name] = list(read_csv_rows(path)) if path.is_file() else []
        return self._raw[name]

    def typed_rows(self, name: str, lenient: bool = False) -> list[dict]:
        """The rows of a resource typed by its schema. A cell its type cannot read is refused with its file, line
        and field, or, `lenient`, read as None (for jobs that look at data validation has yet to judge)."""
        return [self.typed(name, raw, line, lenient) for line, raw in enumerate(self.raw_rows(name), start=2)]

    def typed(self, name: str, raw: Mapping[str, str], line: int | None = None, lenient: bool = False) -> dict:
        """One row of a resource (as its CSV spells it) typed by the schema, as typed_rows types every row."""
        resource = self.resources[name]
        row = {}
        for field in resource.fields:
            text = raw.get(field.name) or ""
            try:
                row[field.name] = read_cell(field.type, text)
            except ValueError:
                if not lenient:
                    where_en = f" line {line}," if line else ""
                    where_zh = f" 第 {line} 行" if line else ""
                    raise PackageError(
                        f"{resource.path}{where_en} field {field.name}: {text!r} is not a valid {field.type}; "
                        "run `python build.py validate`",
                        f"{resource.path}{where_zh}字段 {field.name}：{text!r} 不符合字段类型；请运行 "
                        "`python build.py validate` 查看并改正",
                    ) from None
                row[field.name] = None
        return row

    def policy_text(self, text_path: str) -> str:
        return self.policy_file(text_path).read_text(encoding="utf-8")

    # Writing

    def canonical(self, name: str, rows: Iterable[Mapping[str, str]]) -> bytes:
        """A table's file as the package writes it (canonical_csv), in UTF-8."""
        return canonical_csv(self.resources[name], rows).encode("utf-8")

    def write(self, tables: Mapping[str, Iterable[Mapping[str, str]]] = {},
              files: Mapping[str, bytes] = {}) -> list[str]:
        """The one writer of a package's files: each table in canonical form, and any other file of the package as
        bytes (by its path inside the package), replaced all or nothing (zjtx.transaction). Returns the paths
        whose bytes changed; a file whose bytes would not change is not touched."""
        from .transaction import replace_files

        new = {self.path(name): self.canonical(name, rows) for name, rows in tables.items()}
        new.update({inside(self.root, relative, "path"): data for relative, data in files.items()})
        changed = {path: data for path, data in new.items() if not path.is_file() or path.read_bytes() != data}
        if changed:
            replace_files(changed, root=self.root.resolve())
            self._raw.clear()
        return sorted(self.relative(path) for path in changed)


def _linked(path: Path, top: Path) -> bool:
    """Whether the path, or a folder between it and `top`, is a symbolic link."""
    while path != top and path != path.parent:
        if path.is_symlink():
            return True
        path = path.parent
    return False
