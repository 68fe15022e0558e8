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
import json
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Iterator, Mapping

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
    def of(cls, descriptor: Mapping) -> "Resource":
        """The resource of a descriptor entry whose shape `contract.check_shape` has accepted."""
        schema = descriptor["schema"]
        key = schema.get("primaryKey") or []

        def listed(names) -> tuple[str, ...]:
            return (names,) if isinstance(names, str) else tuple(names)

        return cls(
            name=descriptor["name"],
            path=descriptor["path"],
            title=descriptor.get("title") or descriptor["name"],
            fields=tuple(Field(f["name"], f.get("type", "string"), f.get("title") or f["name"], f)
                         for f in schema["fields"]),
            primary_key=listed(key),
            foreign_keys=tuple(
                ForeignKey(listed(k["fields"]), k["reference"].get("resource") or descriptor["name"],
                           listed(k["reference"]["fields"]))
                for k in schema.get("foreignKeys") or []),
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
    def read(cls, location: Path = DEFAULT_PACKAGE) -> "Package":
        """The package in a folder (or given by its datapackage.json); PackageError when there is no descriptor."""
        root = package_dir_of(location)
        return cls(root, read_descriptor(root))

    # The descriptor

    @cached_property
    def resources(self) -> dict[str, Resource]:
        """The resources by name, in the descriptor's order (call once the descriptor's shape is known good)."""
        return {entry["name"]: Resource.of(entry) for entry in self.descriptor.get("resources", [])}

    def resource(self, name: str) -> Resource:
        return self.resources[name]

    @property
    def name(self) -> str:
        return str(self.descriptor.get("name") or "package")

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version") or "")

    @property
    def title(self) -> str:
        return str(self.descriptor.get("title") or self.name)

    @property
    def is_demo(self) -> bool:
        return bool(self.descriptor.get("demo"))

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
        resource = self.resources[name]
        rows = []
        for line, raw in enumerate(self.raw_rows(name), start=2):
            row = {}
            for field in resource.fields:
                text = raw.get(field.name) or ""
                try:
                    row[field.name] = read_cell(field.type, text)
                except ValueError:
                    if not lenient:
                        raise PackageError(
                            f"{resource.path} line {line}, field {field.name}: {text!r} is not a valid {field.type}; "
                            "run `python build.py validate`",
                            f"{resource.path} 第 {line} 行字段 {field.name}：{text!r} 不符合字段类型；请运行 "
                            "`python build.py validate` 查看并改正",
                        ) from None
                    row[field.name] = None
            rows.append(row)
        return rows

    def policy_text(self, text_path: str) -> str:
        return self.policy_file(text_path).read_text(encoding="utf-8")


def _linked(path: Path, top: Path) -> bool:
    """Whether the path, or a folder between it and `top`, is a symbolic link."""
    while path != top and path != path.parent:
        if path.is_symlink():
            return True
        path = path.parent
    return False
