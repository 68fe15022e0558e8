"""Fixtures shared by the test modules.

Site fixtures: a small generated package and a package full of hostile text are each built once per session;
a static server serves the built sites on 127.0.0.1, and Debian's Chromium is driven through Playwright.
"""

from __future__ import annotations

import functools
import shutil
import os
import threading
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from packages import AS_OF as GOOD_AS_OF
from packages import add_row, build, make_good_package, read_table, set_cell

SITE_AS_OF = date(2026, 6, 30)
SITE_ENTERPRISES = 60
CHROMIUM = os.environ.get("ZJTX_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]

# Text that would act if any page let it: HTML, script, event handlers, Markdown, Jinja, table syntax.
HOSTILE = {
    "script": '<script>alert("zjtx-xss-1")</script>',
    "img": '<img src=x onerror=alert("zjtx-xss-2")>',
    "breakout": '</script><script>alert("zjtx-xss-3")</script>',
    "markdown_link": "[zjtx-md-link](javascript:alert(4))",
    "markdown_bold": "**zjtx-bold**",
    "expression": "{{ 7*7 }}zjtx-expression",
    "statement": "{% if true %}zjtx-statement{% endif %}",
    "pipe": "| zjtx-cell | pipe |",
    "long_word": "专" * 40 + "W" * 300,
}


@pytest.fixture(scope="session")
def demo_package(tmp_path_factory) -> Path:
    from zjtx.demo import generate

    package = tmp_path_factory.mktemp("demo-package")
    generate(package, SITE_ENTERPRISES, seed=7, as_of=SITE_AS_OF)
    return package


@pytest.fixture(scope="session")
def demo_site(demo_package, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo-site") / "site"
    build(demo_package, out, SITE_AS_OF)
    return out


@pytest.fixture(scope="session")
def released_package(demo_package, tmp_path_factory) -> Path:
    """The demo package in a git repository: version 0.1.0 released (tag data-v0.1.0), the working tree at 0.2.0
    with one changed cell, so that a site has a release's folder and unreleased data under latest/."""
    from gitrepo import commit, git

    repo = tmp_path_factory.mktemp("released") / "repo"
    git(repo.parent, "init", "-q", "-b", "main", str(repo))
    package = repo / "datapackage"
    shutil.copytree(demo_package, package)
    commit(repo, "data")
    git(repo, "tag", "-a", "data-v0.1.0", "-m", "first release")
    descriptor = package / "datapackage.json"
    descriptor.write_text(descriptor.read_text(encoding="utf-8").replace('"version": "0.1.0"', '"version": "0.2.0"'),
                          encoding="utf-8")
    set_cell(package, "enterprises", 2, "summary", "研发生产工业在线检测仪器（已更正）。")
    commit(repo, "next version")
    return package


@pytest.fixture(scope="session")
def released_site(released_package, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("released-site") / "site"
    build(released_package, out, SITE_AS_OF)
    return out


def make_hostile_package(target: Path) -> Path:
    """The small hand-written package with hostile text in every kind of free-text field it has."""
    package = make_good_package(target)
    h = HOSTILE
    set_cell(package, "enterprises", 2, "name", f"天津{h['script']}{h['expression']}有限公司")
    set_cell(package, "enterprises", 2, "main_products", h["img"] + h["markdown_bold"])
    set_cell(package, "enterprises", 2, "summary",
             f"{h['markdown_link']} {h['pipe']} {h['statement']} {h['long_word']}")
    set_cell(package, "enterprises", 3, "name", f"天津{h['breakout']}公司")
    set_cell(package, "enterprises", 4, "name", f"天津{h['pipe']}{h['markdown_link']}公司")
    set_cell(package, "products", 2, "product_name", f"PT{h['img']}")
    set_cell(package, "products", 3, "description", h["pipe"] + h["statement"])
    set_cell(package, "announcements", 2, "title", f"公告{h['script']}{h['markdown_bold']}")
    set_cell(package, "announcements", 2, "issuer", f"工业和信息化部{h['img']}")
    set_cell(package, "tiers", 4, "name_zh", f"种子企业{h['img']}")
    set_cell(package, "tiers", 4, "definition", h["markdown_link"] + h["expression"])
    rows = read_table(package, "districts")
    line = next(n for n, row in enumerate(rows, start=1) if row[0] == "120101")
    set_cell(package, "districts", line, "name_zh", f"和平区{h['script']}")
    rows = read_table(package, "industries")
    line = next(n for n, row in enumerate(rows, start=1) if row[0] == "34")
    set_cell(package, "industries", line, "name_zh", f"通用设备{h['pipe']}")
    set_cell(package, "policies", 2, "summary", h["script"] + h["statement"])
    policy_text = package / "policies" / "tj-zjtx-plan-2021.md"
    policy_text.write_text(
        policy_text.read_text(encoding="utf-8") + f"\n\n{h['script']}\n\n{h['img']} {h['expression']}\n",
        encoding="utf-8",
    )
    add_row(package, "products", {"uscc": "911201163000000101", "product_name": h["expression"],
                                   "category": h["markdown_bold"], "description": h["long_word"]})
    return package


@pytest.fixture(scope="session")
def hostile_package(tmp_path_factory) -> Path:
    return make_hostile_package(tmp_path_factory.mktemp("hostile-package"))


@pytest.fixture(scope="session")
def hostile_site(hostile_package, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hostile-site") / "site"
    build(hostile_package, out, GOOD_AS_OF)
    return out


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def serve_dir():
    """serve_dir(folder) -> base URL of a static server on 127.0.0.1 serving that folder."""
    servers = []

    def serve(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, headless; Playwright never downloads a browser here."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# A test that reads a built site, or drives a browser or a server, is slow: `pytest -m "not slow"` leaves it out.
# Tests that build a site themselves carry @pytest.mark.slow where they are written.
SLOW_FIXTURES = {"chromium", "serve_dir", "nginx", "s3_server", "server", "sites"}


def pytest_collection_modifyitems(items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & SLOW_FIXTURES or any(name.endswith("_site") for name in names):
            item.add_marker(pytest.mark.slow)
