"""The site's own stylesheets and scripts are published under content-hashed names (zjtx/assets.py), and nothing
in the built site asks for them by their plain names: hosts can cache them for a year."""

from __future__ import annotations

import re

import pytest

from zjtx import assets
from zjtx.errors import BuildError

# A reference to one of the site's own stylesheets or scripts, in an attribute or a quoted string.
REFERENCE = re.compile(r"""["'=]([^"'=\s>]*assets/(?:zjtx|search)/[\w.-]+\.(?:css|js))""")


def write(folder, files: dict[str, str]):
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def test_names_carry_the_hash_of_what_is_published_and_follow_the_files_they_load(tmp_path):
    write(tmp_path, {"search/search.js": 'load("assets/search/search.css") // see assets/zjtx/site.js',
                     "search/search.css": "a{}", "zjtx/site.js": 'src = root + "assets/search/search.js"',
                     "zjtx/logo.svg": "<svg/>"})
    names = assets.manifest(tmp_path)
    assert set(names) == {"assets/search/search.js", "assets/search/search.css", "assets/zjtx/site.js"}
    assert all(assets.HASHED_NAME.search(name) for name in names.values())
    published = assets.published(tmp_path)
    assert names["assets/search/search.css"] in published["assets/search/search.js"][1]
    assert names["assets/search/search.js"] in published["assets/zjtx/site.js"][1]
    # A change in the stylesheet renames it, the script that loads it, and the script that loads that one.
    write(tmp_path, {"search/search.css": "b{}"})
    changed = assets.manifest(tmp_path)
    assert all(changed[name] != names[name] for name in names)
    site = tmp_path / "site"
    assets.copy_assets(tmp_path / "search", site)  # a folder of its own: its names are relative to it
    assert sorted(p.name for p in (site / "assets").rglob("*")) == sorted(
        assets.manifest(tmp_path / "search")[name].rsplit("/", 1)[1] for name in assets.manifest(tmp_path / "search"))


def test_assets_that_load_each_other_are_refused(tmp_path):
    write(tmp_path, {"a.js": '"assets/b.js"', "b.js": '"assets/a.js"'})
    with pytest.raises(BuildError, match="name each other"):
        assets.manifest(tmp_path)


def test_an_unknown_stylesheet_fails_the_build(tmp_path):
    asset = assets.resolver({"assets/zjtx/site.css": "assets/zjtx/site.0123456789.css"})
    assert asset("assets/zjtx/site.css") == "assets/zjtx/site.0123456789.css"
    with pytest.raises(BuildError):
        asset("assets/zjtx/missing.js")


def test_the_built_site_asks_only_for_hashed_names(demo_site):
    plain = []
    for path in sorted(demo_site.rglob("*")):
        if path.suffix not in (".html", ".js", ".css") or "downloads" in path.parts or "pagefind" in path.parts:
            continue
        for reference in REFERENCE.findall(path.read_text(encoding="utf-8")):
            if not assets.HASHED_NAME.search(reference):
                plain.append((str(path.relative_to(demo_site)), reference))
            else:
                # Pages link relative to themselves (404.html from the root); scripts name files from the root.
                base = demo_site if reference.startswith(("/", "assets/")) else path.parent
                assert (base / reference.lstrip("/")).resolve().exists(), (path, reference)
    assert plain == []
    published = sorted(p.relative_to(demo_site).as_posix() for p in (demo_site / "assets").rglob("*")
                       if p.parent.name in ("zjtx", "search") and p.suffix in (".css", ".js"))
    assert published and all(assets.HASHED_NAME.search(name) for name in published)
    html = (demo_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="assets/zjtx/site\.[0-9a-f]{10}\.css"', html)
