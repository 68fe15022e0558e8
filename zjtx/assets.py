"""The site's own stylesheets and scripts under content-hashed names, so that hosts may cache them for a year.

`templates/assets/**/*.css|js` are published as `name.<hash>.ext` (the first HASH_LENGTH hex digits of the
SHA-256 of what is published); every other asset (the logo, the favicon) keeps its name. Pages ask for an asset
by its logical name, `assets/zjtx/site.css`: the page templates through `asset()` (zjtx.pages), the theme's
templates through `zjtx_asset()` (zjtx.build.mkdocs.hooks, from `extra.zjtx.assets`, which zjtx.build.mkdocs fills in together
with mkdocs.yml's `extra_css`).

A script that loads another asset names it as a quoted string ("assets/search/search.js"): those strings are
replaced by the hashed names before the file is hashed itself, so a change in search.js renames site.js too.
Names in comments are not references and stay as they are.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from .errors import BuildError

ASSETS = "assets"
HASHED = (".css", ".js")
HASH_LENGTH = 10
_QUOTED = "\"'"


def _logical(path: Path, folder: Path) -> str:
    return f"{ASSETS}/{path.relative_to(folder).as_posix()}"


def _hashed_name(logical: str, text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]
    stem, dot, extension = logical.rpartition(".")
    return f"{stem}.{digest}{dot}{extension}"


def _references(text: str, names) -> set[str]:
    return {name for name in names if any(f"{quote}{name}{quote}" in text for quote in _QUOTED)}


def _substitute(text: str, mapping: dict[str, str]) -> str:
    for name, hashed in mapping.items():
        for quote in _QUOTED:
            text = text.replace(f"{quote}{name}{quote}", f"{quote}{hashed}{quote}")
    return text


def published(folder: Path) -> dict[str, tuple[str, str]]:
    """logical name -> (published name, published text) of every stylesheet and script under `folder`."""
    texts = {_logical(path, folder): path.read_text(encoding="utf-8")
             for path in sorted(folder.rglob("*")) if path.is_file() and path.suffix in HASHED}
    needs = {name: _references(text, set(texts) - {name}) for name, text in texts.items()}
    done: dict[str, tuple[str, str]] = {}
    while len(done) < len(texts):
        ready = [name for name in sorted(texts) if name not in done and needs[name] <= set(done)]
        if not ready:
            cycle = sorted(set(texts) - set(done))
            raise BuildError(f"the assets {', '.join(cycle)} name each other: none can be hashed before the other",
                             f"静态文件 {'、'.join(cycle)} 相互引用，无法先后计算内容哈希")
        for name in ready:
            text = _substitute(texts[name], {other: done[other][0] for other in needs[name]})
            done[name] = (_hashed_name(name, text), text)
    return done


def manifest(folder: Path) -> dict[str, str]:
    """logical name -> published name, for the pages."""
    return {name: hashed for name, (hashed, _) in published(folder).items()}


def copy_assets(folder: Path, site_root: Path) -> dict[str, str]:
    """Every asset under `folder` into `site_root/assets/`, stylesheets and scripts under their hashed names."""
    files = published(folder)
    target = site_root / ASSETS
    shutil.copytree(folder, target, dirs_exist_ok=True,
                    ignore=lambda _, names: [name for name in names if name.endswith(HASHED)])
    for hashed, text in files.values():
        (site_root / hashed).parent.mkdir(parents=True, exist_ok=True)
        (site_root / hashed).write_text(text, encoding="utf-8")
    return {name: hashed for name, (hashed, _) in files.items()}


def resolver(mapping: dict[str, str]):
    """asset(name) for templates: the published name; an unknown name fails the build rather than a page."""
    def asset(name: str) -> str:
        if name in mapping:
            return mapping[name]
        if name.endswith(HASHED):
            raise BuildError(f"no asset {name} under templates/assets", f"templates/assets 中没有静态文件 {name}")
        return name
    return asset


# The pattern of a published name, for the tests and for hosts' cache rules.
HASHED_NAME = re.compile(rf"\.[0-9a-f]{{{HASH_LENGTH}}}\.(?:css|js)$")
