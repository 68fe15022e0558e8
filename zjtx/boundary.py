"""Nothing outside the package: the descriptor names no file or address outside the package folder, its links are
web or mail addresses, and no link among the package's files leads out of it.

Frictionless reads whatever a descriptor names: a resource `path` that is a URL, a `dialect`, `schema` or `profile`
given as a string (fetched over the network, or opened as a file), the `$ref`s of a profile, list items given as
addresses instead of objects. A pull request could so make CI request any address, or validation read any file.
`remote_references` finds them in the JSON, before Frictionless is given the descriptor; `outside_links` finds the
files under policies/ (all of them are published) that are links leading out of the package.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .problems import ERROR, Problem

DESCRIPTOR = "datapackage.json"
# Profiles Frictionless knows by name, without reading anything.
PACKAGE_PROFILES = {"data-package", "tabular-data-package"}
RESOURCE_PROFILES = {"data-resource", "tabular-data-resource"}
# Keys whose value Frictionless reads as a location: anywhere in the descriptor, they would send it elsewhere.
# ("profiles" is Data Package v2's list, whose first name Frictionless takes as the profile.)
LOCATION_KEYS = {"$ref", "$schema", "basepath", "extrapaths", "profiles"}
# Lists whose items Frictionless reads as descriptors of their own when an item is a string (a path or URL).
OBJECT_LISTS = ("licenses", "sources", "contributors")
# A scheme (http:, file:, s3:, javascript: ...), as Frictionless tells a URL from a path.
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
# The links a page or metadata.json may carry, as the data's own URL fields allow them (lower-case schemes).
WEB_OR_MAIL = re.compile(r"(https?://[^\s<>\"'\\]+|mailto:[^\s<>\"'\\/]+@[^\s<>\"'\\]+)")
LINK_KEYS = ("homepage", "image")
# A resource path as the package writes it: relative, short segments of letters, digits, dot, underscore, hyphen.
SAFE_PATH = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}(/[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}){0,3}")


def shown(value) -> str:
    """A value as a message quotes it: its repr, cut to 60 characters, so a hostile value cannot flood a report."""
    text = str(value)
    return repr(text if len(text) <= 60 else text[:59] + "…")


def _remote(place: str, what_zh: str, what_en: str, hint_zh: str, hint_en: str) -> Problem:
    return Problem(DESCRIPTOR, None, place, None, "remote-reference", ERROR,
                   f"{place} {what_zh}：校验和构建只读取数据包文件夹内的文件，不访问网络",
                   f"{place} {what_en}: validation and the build read only the files inside the package folder and "
                   "never the network", hint_zh, hint_en)


def _locations(value, place: str):
    """(place, key) of every key of LOCATION_KEYS in the JSON value, at any depth."""
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{place}.{key}" if place else key
            if key in LOCATION_KEYS:
                yield where, key
            yield from _locations(item, where)
    elif isinstance(value, list):
        for number, item in enumerate(value, start=1):
            yield from _locations(item, f"{place}[{number}]")


def is_address(path: str) -> bool:
    """Whether Frictionless would take the path for a URL (it has a scheme) and fetch it."""
    return bool(SCHEME.match(path))


def inside_package(package_dir: Path, path: str) -> bool:
    """Whether `path` (relative to the package) is a safe relative path whose real path, links followed to their
    end, lies inside the package folder."""
    if not SAFE_PATH.fullmatch(path):
        return False
    root = os.path.realpath(package_dir)
    return _inside(os.path.realpath(os.path.join(root, path)), root)


def _resources(descriptor: dict) -> list[tuple[str, dict]]:
    """(place, resource) for every resource: its name is the place messages give, or its position."""
    resources = descriptor.get("resources")
    found = []
    for number, resource in enumerate(resources if isinstance(resources, list) else [], start=1):
        if isinstance(resource, dict):
            name = resource.get("name")
            found.append((name if isinstance(name, str) and name else f"resources[{number}]", resource))
    return found


def _owners(descriptor: dict) -> list[tuple[str, dict]]:
    """The package (place "", without its resources) and every resource, each with its place."""
    package = {key: value for key, value in descriptor.items() if key != "resources"}
    return [("", package), *_resources(descriptor)]


def _at(place: str, key: str) -> str:
    return f"{place}.{key}" if place else key


def _named(profile, names: set[str]) -> bool:
    return isinstance(profile, str) and profile in names


def remote_references(descriptor: dict) -> list[Problem]:
    """Everything in the descriptor that would make Frictionless read a file or an address of its choosing."""
    problems = []
    owners = _owners(descriptor)
    for place, key in [found for owner_place, owner in owners for found in _locations(owner, owner_place)]:
        problems.append(_remote(place, f"（{key}）指向别处", f"({key}) points elsewhere",
                                f"删除 {key}：数据包说明、字段定义和数据都直接写在 datapackage.json 和 data/ 中",
                                f"Remove {key}: the descriptor, its schemas and the data are written in datapackage.json "
                                "and data/ themselves"))
    if not _named(descriptor.get("profile", "data-package"), PACKAGE_PROFILES):
        problems.append(_remote("profile", f"{shown(descriptor['profile'])} 不是 data-package 或 tabular-data-package",
                                f"{shown(descriptor['profile'])} is not data-package or tabular-data-package",
                                "把 profile 改回 \"data-package\"（不要填写网址或文件路径）",
                                "Set profile back to \"data-package\" (never an address or a file path)"))
    for place, resource in owners[1:]:
        if not _named(resource.get("profile", "data-resource"), RESOURCE_PROFILES):
            problems.append(_remote(f"{place}.profile", f"{shown(resource['profile'])} 不是 tabular-data-resource",
                                    f"{shown(resource['profile'])} is not tabular-data-resource",
                                    "把 profile 改回 \"tabular-data-resource\"（不要填写网址或文件路径）",
                                    "Set profile back to \"tabular-data-resource\" (never an address or a file path)"))
        path = resource.get("path")
        if isinstance(path, str) and is_address(path):
            problems.append(_remote(f"{place}.path", f"{shown(path)} 是网址，不是数据包中的文件",
                                    f"{shown(path)} is an address, not a file of the package",
                                    f"把该文件下载到 data/ 中，path 写成相对路径，如 data/{place}.csv",
                                    f"Download the file into data/ and write path relative to the package, e.g. "
                                    f"data/{place}.csv"))
        if isinstance(resource.get("dialect"), str):
            problems.append(_remote(f"{place}.dialect", f"{shown(resource['dialect'])} 是网址或文件路径",
                                    f"{shown(resource['dialect'])} is an address or a file path",
                                    "删除 dialect（数据文件是标准 CSV：逗号分隔、英文双引号），或把它作为对象直接写在资源中",
                                    "Remove dialect (the data files are plain CSV: commas and double quotes), or "
                                    "write it inline in the resource as an object"))
    for place, owner in owners:
        for key in OBJECT_LISTS:
            items = owner.get(key)
            for number, item in enumerate(items if isinstance(items, list) else [], start=1):
                if not isinstance(item, dict):
                    problems.append(_remote(_at(place, f"{key}[{number}]"), f"{shown(item)} 不是直接写出的对象",
                                            f"{shown(item)} is not an object written out",
                                            "把它写成对象，如 {\"title\": …, \"path\": \"https://…\"}",
                                            "Write it as an object, e.g. {\"title\": …, \"path\": \"https://…\"}"))
    return problems


def _link_places(descriptor: dict):
    """(place, value) of every link the site or metadata.json may show: homepage, image, and the path of every
    licence, source and contributor, of the package and of its resources."""
    for place, owner in _owners(descriptor):
        for key in LINK_KEYS:
            if key in owner:
                yield _at(place, key), owner[key]
        for key in OBJECT_LISTS:
            items = owner.get(key)
            for number, item in enumerate(items if isinstance(items, list) else [], start=1):
                if isinstance(item, dict) and "path" in item:
                    yield _at(place, f"{key}[{number}].path"), item["path"]


def link_problems(descriptor: dict) -> list[Problem]:
    """Links of the descriptor that are not http, https or mailto addresses (javascript:, data:, file:, a path)."""
    return [
        Problem(DESCRIPTOR, None, place, str(value)[:80], "link-scheme", ERROR,
                f"{place} 的链接 {shown(value)} 不是 http、https 或 mailto 地址，网站和下载中不能发布",
                f"{place} links to {shown(value)}, not an http, https or mailto address, so it cannot be published",
                "写成完整的网址（https://…）或邮件地址（mailto:…）；javascript:、data:、file: 和文件路径都不允许",
                "Write a full web address (https://…) or mail address (mailto:…); javascript:, data:, file: and file "
                "paths are not allowed")
        for place, value in _link_places(descriptor)
        if not (isinstance(value, str) and WEB_OR_MAIL.fullmatch(value))
    ]


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root + os.sep)


def outside_links(package_dir: Path) -> list[tuple[Path, str]]:
    """(link, the real path it leads to) for the descriptor if it is a link out of the package, for policies/ if
    it is one, and for every link under policies/ that leads out of the package, in any folder the walk reaches.

    Real paths are compared, so a chain of links is followed to its end; a link to a folder inside the package is
    walked through (the export copies what rglob reaches), each real folder once."""
    package_dir = Path(package_dir)
    root = os.path.realpath(package_dir)
    descriptor, policies = package_dir / DESCRIPTOR, package_dir / "policies"
    found = [(path, os.path.realpath(path)) for path in (descriptor, policies)
             if os.path.islink(path) and not _inside(os.path.realpath(path), root)]
    if not policies.is_dir() or any(path == policies for path, _ in found):
        return found
    seen, folders = set(), [policies]
    while folders:
        folder = folders.pop()
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue  # a folder that cannot be listed is not published either
        for entry in entries:
            path = Path(entry.path)
            target = os.path.realpath(path)
            if entry.is_symlink() and not _inside(target, root):
                found.append((path, target))
            elif os.path.isdir(path):
                folders.append(path)
    return sorted(found)


def link_out_problems(package_dir: Path) -> list[Problem]:
    """outside_links as errors naming each link and where it points, as it is written."""
    package_dir = Path(package_dir)
    problems = []
    for path, _ in outside_links(package_dir):
        file, written = path.relative_to(package_dir).as_posix(), os.readlink(path)
        problems.append(Problem(
            file, None, None, written, "outside-package", ERROR,
            f"{file} 是指向数据包以外（{written}）的链接，发布时会公开该处的内容",
            f"{file} is a link to {written}, outside the package: publishing would copy what it points at",
            "删除该链接（git rm），把要发布的文件本身放进数据包", "Remove the link (git rm) and put the file itself in the package"))
    return problems
