"""The shipped nginx configuration, served by Debian's nginx on 127.0.0.1 under the sub-path /zjtx/: status codes,
types, charsets, cache headers, gzip and the 404 page over HTTP, then in Chromium.

nginx runs unprivileged-style: its own prefix, pid, temporary and log paths under the test's folder, in the
foreground, stopped at the end.
"""

from __future__ import annotations

import re

import gzip
import http.client
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import SITE_AS_OF
from zjtx import hosting
from zjtx.nginx import server_block

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NOT_FOUND_TEXT = "找不到这个页面"

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(released_package, tmp_path_factory):
    """A small site built for http://127.0.0.1:PORT/zjtx/ and served there by nginx; yields (port, site)."""
    from packages import build as build_site

    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: apt-get install -y nginx (make test installs it)")
    port = free_port()
    work = tmp_path_factory.mktemp("nginx")
    site = work / "site"
    build_site(released_package, site, SITE_AS_OF, site_url=f"http://127.0.0.1:{port}/zjtx/")
    (work / "zjtx-register.conf").write_text(server_block(str(site), "/zjtx/", f"127.0.0.1:{port}"),
                                              encoding="utf-8")
    # Run as root (as CI does), nginx would hand the requests to `nobody`, who cannot read the test's folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {kind}_temp_path {work / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                           "scgi"))
    (work / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {work / 'nginx.pid'};\nerror_log {work / 'error.log'};\nevents {{}}\n"
        f"http {{\n    access_log {work / 'access.log'};\n{temp}\n    include {work / 'zjtx-register.conf'};\n}}\n",
        encoding="utf-8",
    )
    server = subprocess.Popen([NGINX, "-p", str(work), "-e", str(work / "error.log"), "-c", str(work / "nginx.conf"),
                               "-g", "daemon off;"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log = (work / "error.log").read_text(errors="replace") if (work / "error.log").exists() else ""
                    pytest.fail(f"nginx did not start: {server.stdout.read().decode(errors='replace')}{log}")
                time.sleep(0.1)
        yield port, site
    finally:
        server.terminate()
        server.wait(timeout=30)


def fetch(port: int, path: str, method: str = "GET", **headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_a_page_is_utf8_html_revalidated_with_an_etag(nginx):
    port, site = nginx
    status, headers, body = fetch(port, "/zjtx/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-cache"
    assert body == (site / "index.html").read_bytes()
    status, headers, _ = fetch(port, "/zjtx/", **{"If-None-Match": headers["etag"]})
    assert status == 304


@pytest.mark.parametrize("path", ["/zjtx/no-such-page/", "/zjtx/enterprises/91120000000000000X/",
                                  "/zjtx/a/b/c/d/e/missing.html", "/zjtx/api/enterprises/none.json"])
def test_a_missing_file_at_any_depth_is_the_sites_404_page(nginx, path):
    port, site = nginx
    status, headers, body = fetch(port, path)
    assert status == 404
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert body == (site / "404.html").read_bytes()
    assert NOT_FOUND_TEXT in body.decode("utf-8")


def test_no_folder_is_listed_and_the_builds_marker_is_not_served(nginx):
    port, site = nginx
    assert not (site / "downloads" / "0.1.0" / "data" / "index.html").exists()
    for path in ("/zjtx/downloads/0.1.0/data/", "/zjtx/assets/", "/zjtx/.zjtx-site"):
        status, _, body = fetch(port, path)
        assert status == 404, path
        assert NOT_FOUND_TEXT in body.decode("utf-8") and "enterprises.csv" not in body.decode("utf-8"), path


def test_a_folder_without_its_slash_is_redirected_to_it(nginx):
    port, _ = nginx
    status, headers, _ = fetch(port, "/zjtx/stats")
    assert status == 301 and headers["location"] == "/zjtx/stats/"
    status, headers, _ = fetch(port, "/zjtx")
    assert status == 301 and headers["location"] == "/zjtx/"


def test_api_files_downloads_and_latest_carry_their_types_and_cache_headers(nginx):
    port, site = nginx
    status, headers, body = fetch(port, "/zjtx/api/index.json")
    assert (status, headers["content-type"], headers["cache-control"]) == (
        200, "application/json; charset=utf-8", "no-cache")
    assert body == (site / "api" / "index.json").read_bytes()
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    status, headers, body = fetch(port, "/zjtx/downloads/0.1.0/register.xlsx")
    assert (status, headers["content-type"], headers["cache-control"]) == (200, xlsx, hosting.IMMUTABLE)
    assert body == (site / "downloads" / "0.1.0" / "register.xlsx").read_bytes()
    status, headers, _ = fetch(port, "/zjtx/downloads/latest/register.xlsx")
    assert (status, headers["content-type"], headers["cache-control"]) == (200, xlsx, "no-cache")
    status, headers, _ = fetch(port, "/zjtx/downloads/latest/SHA256SUMS")
    assert headers["content-type"] == "text/plain; charset=utf-8"


def test_every_file_is_served_with_the_headers_of_the_hosting_table(nginx):
    port, site = nginx
    paths = sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file())
    for path in filter(hosting.published, paths):
        status, headers, _ = fetch(port, f"/zjtx/{path}", method="HEAD")
        expected = hosting.headers(path)
        assert status == 200, path
        assert (headers["content-type"], headers["cache-control"]) == (expected.content_type,
                                                                       expected.cache_control), path


def test_text_is_compressed_when_asked_and_downloads_are_not(nginx):
    port, site = nginx
    status, headers, body = fetch(port, "/zjtx/", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in headers["vary"]
    assert gzip.decompress(body) == (site / "index.html").read_bytes()
    _, headers, body = fetch(port, "/zjtx/api/index.json", **{"Accept-Encoding": "gzip"})
    assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == (site / "api/index.json").read_bytes()
    _, headers, _ = fetch(port, "/zjtx/")
    assert "content-encoding" not in headers
    stylesheet = next((site / "assets" / "zjtx").glob("site.*.css")).name
    for path in ("/zjtx/feed.xml", "/zjtx/events.ics", f"/zjtx/assets/zjtx/{stylesheet}", "/zjtx/sitemap.xml"):
        status, headers, _ = fetch(port, path, **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("content-encoding") == "gzip", path
    _, headers, _ = fetch(port, "/zjtx/downloads/latest/register.xlsx", **{"Accept-Encoding": "gzip"})
    assert "content-encoding" not in headers  # compressed already
    fragment = next((site / "pagefind" / "fragment").iterdir()).name
    _, headers, _ = fetch(port, f"/zjtx/pagefind/fragment/{fragment}", **{"Accept-Encoding": "gzip"})
    assert "content-encoding" not in headers  # Pagefind's own compression is left alone


@pytest.mark.browser
def test_the_404_page_in_chromium_is_chinese_and_styled(nginx, chromium):
    port, _ = nginx
    context = chromium.new_context()
    try:
        page = context.new_page()
        failed = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        response = page.goto(f"http://127.0.0.1:{port}/zjtx/districts/999999/a/b/")
        page.wait_for_load_state("networkidle")
        assert response.status == 404
        assert NOT_FOUND_TEXT in page.inner_text("main")
        sheets = page.evaluate("""() => [...document.querySelectorAll('link[rel=stylesheet]')]
            .map(link => [link.getAttribute('href'), link.sheet ? link.sheet.cssRules.length : 0])""")
        assert any("/assets/stylesheets/main." in href for href, _ in sheets), sheets
        assert any(re.search(r"/assets/zjtx/site\.[0-9a-f]{10}\.css$", href) for href, _ in sheets), sheets
        assert all(rules > 0 for _, rules in sheets), sheets
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        assert failed == []
    finally:
        context.close()


@pytest.mark.browser
def test_pages_load_in_chromium_without_a_failed_request(nginx, chromium):
    port, site = nginx
    uscc = sorted(path.name for path in (site / "enterprises").iterdir() if path.is_dir())[0]
    context = chromium.new_context()
    try:
        page = context.new_page()
        problems = []
        page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
        page.on("response", lambda response: response.status >= 400 and problems.append(
            f"HTTP {response.status}: {response.url}"))
        page.on("pageerror", lambda error: problems.append(str(error)))
        for path in ("", f"enterprises/{uscc}/", "search/?q=天津", "data/"):
            response = page.goto(f"http://127.0.0.1:{port}/zjtx/{path}")
            page.wait_for_load_state("networkidle")
            assert response.status == 200, path
        assert problems == []
    finally:
        context.close()
