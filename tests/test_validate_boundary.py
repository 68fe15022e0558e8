"""Nothing outside the package: the descriptor cannot make validation fetch or open anything outside the package
folder, its links are web or mail addresses only, and no link under policies/ leads out of the package.

Each remote reference is served by a local HTTP server that must receive no request, while socket.connect is
replaced by a recorder: a fetch would show in both.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

import build
from packages import AS_OF, edit_descriptor, make_good_package, set_cell
from zjtx.validate import validate_package

SERVED = {
    "/dialect.json": {"delimiter": ","},
    "/profile.json": {"type": "object"},
    "/schema.json": {"fields": [{"name": "uscc"}]},
    "/field.json": {"type": "string"},
    "/license.json": {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"},
    "/resource.json": {"name": "extra", "path": "data/products.csv"},
}


class Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the name http.server calls
        self.requests.append(self.path)
        body = json.dumps(SERVED.get(self.path, {})).encode() if self.path.endswith(".json") else b"uscc\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def server():
    """The base URL of a server on 127.0.0.1 that records every request, and the list it records them in."""
    requests: list[str] = []
    handler = type("Recording", (Recorder,), {"requests": requests})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def connections(monkeypatch):
    """Every address a socket of this process tries to connect to; the attempt fails."""
    attempts = []

    def refuse(sock, address, *args):
        attempts.append(address)
        raise OSError("a test forbids network access")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def products(change):
    def edit(descriptor):
        change(next(r for r in descriptor["resources"] if r["name"] == "products"))
    return edit


def first_field(change):
    return products(lambda r: change(r["schema"]["fields"][0]))


# (name, descriptor change given the server's base URL, the place reported, the code)
REMOTE = [
    ("path-url", lambda base: products(lambda r: r.update(path=f"{base}/products.csv")), "products.path", "remote-reference"),
    ("dialect-url", lambda base: products(lambda r: r.update(dialect=f"{base}/dialect.json")), "products.dialect",
     "remote-reference"),
    ("dialect-file", lambda base: products(lambda r: r.update(dialect="/etc/passwd")), "products.dialect",
     "remote-reference"),
    ("dialect-file-inside", lambda base: products(lambda r: r.update(dialect="data/dialect.json")), "products.dialect",
     "remote-reference"),
    ("schema-url", lambda base: products(lambda r: r.update(schema=f"{base}/schema.json")), "products.schema", "contract"),
    ("package-profile-url", lambda base: lambda d: d.update(profile=f"{base}/profile.json"), "profile", "remote-reference"),
    ("resource-profile-url", lambda base: products(lambda r: r.update(profile=f"{base}/profile.json")), "products.profile",
     "remote-reference"),
    ("package-schema-url", lambda base: lambda d: d.update({"$schema": f"{base}/profile.json"}), "$schema",
     "remote-reference"),
    ("resource-schema-url", lambda base: products(lambda r: r.update({"$schema": f"{base}/profile.json"})),
     "products.$schema", "remote-reference"),
    ("field-ref", lambda base: first_field(lambda f: f.update({"$ref": f"{base}/field.json"})),
     "products.schema.fields[1].$ref", "remote-reference"),
    ("package-basepath", lambda base: lambda d: d.update(basepath="/etc"), "basepath", "remote-reference"),
    ("resource-basepath", lambda base: products(lambda r: r.update(basepath=base)), "products.basepath",
     "remote-reference"),
    ("extrapaths", lambda base: products(lambda r: r.update(extrapaths=[f"{base}/products.csv"])), "products.extrapaths",
     "remote-reference"),
    ("license-by-url", lambda base: lambda d: d["licenses"].append(f"{base}/license.json"), "licenses[3]",
     "remote-reference"),
    ("resource-license-by-url", lambda base: products(lambda r: r.update(licenses=[f"{base}/license.json"])),
     "products.licenses[1]", "remote-reference"),
    ("resource-by-url", lambda base: lambda d: d["resources"].append(f"{base}/resource.json"), "resources", "contract"),
]


@pytest.mark.parametrize("name, change, place, code", REMOTE, ids=[case[0] for case in REMOTE])
def test_a_reference_outside_the_package_is_an_error_and_nothing_is_fetched(tmp_path, server, connections, name,
                                                                            change, place, code):
    base, requests = server
    package = make_good_package(tmp_path / "p")
    (package / "data" / "dialect.json").write_text('{"delimiter": ","}', encoding="utf-8")
    edit_descriptor(package, change(base))
    problems = validate_package(package, AS_OF)
    assert requests == [] and connections == []
    found = [p for p in problems if (p.file, p.field) == ("datapackage.json", place)]
    assert [p.code for p in found] == [code], [(p.field, p.code) for p in problems]
    assert found[0].hint_zh and found[0].hint_en


def test_the_cli_reports_a_remote_dialect_without_fetching_it(tmp_path, server, connections):
    base, requests = server
    package = make_good_package(tmp_path / "p")
    edit_descriptor(package, products(lambda r: r.update(dialect=f"{base}/dialect.json")))
    result = CliRunner().invoke(build.cli, ["validate", "--datapackage", str(package), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 1, result.output
    assert "products.dialect" in result.output and "Traceback" not in result.output
    assert requests == [] and connections == []


def test_the_recorders_see_a_fetch(server, connections):
    """Frictionless fetches a remote dialect when asked to read one: without the checks above, the server and the
    socket recorder would each have seen the fetch."""
    from frictionless import Dialect, FrictionlessException

    base, requests = server
    with pytest.raises(FrictionlessException):
        Dialect.from_descriptor(f"{base}/dialect.json")
    assert connections and connections[0][1] == int(base.rsplit(":", 1)[1])


def test_an_inline_dialect_and_web_links_pass(tmp_path, connections):
    package = make_good_package(tmp_path / "p")

    def change(descriptor):
        descriptor["contributors"][0]["path"] = "mailto:open-data@example.gov.cn"
        descriptor["sources"][0]["path"] = "http://gyxxh.tj.gov.cn/"
        products(lambda r: r.update(dialect={"delimiter": ","}))(descriptor)

    edit_descriptor(package, change)
    assert validate_package(package, AS_OF) == [] and connections == []


@pytest.mark.parametrize("change, place", [
    (lambda d: d["licenses"][0].update(path="javascript:alert(1)"), "licenses[1].path"),
    (lambda d: d["sources"][1].update(path="data:text/html,<script>alert(1)</script>"), "sources[2].path"),
    (lambda d: d["contributors"][0].update(path="file:///etc/passwd"), "contributors[1].path"),
    (lambda d: d.update(homepage="JavaScript:alert(1)"), "homepage"),
    (lambda d: d.update(image="//evil.example/logo.png"), "image"),
    (lambda d: d["licenses"][1].update(path="LICENSE"), "licenses[2].path"),
    (products(lambda r: r.update(sources=[{"title": "x", "path": "vbscript:x"}])), "products.sources[1].path"),
], ids=["javascript-licence", "data-source", "file-contributor", "javascript-homepage", "scheme-relative-image",
        "relative-licence", "resource-source"])
def test_a_descriptor_link_other_than_http_https_or_mailto_is_an_error(tmp_path, change, place):
    package = make_good_package(tmp_path / "p")
    edit_descriptor(package, change)
    problems = validate_package(package, AS_OF)
    assert [(p.file, p.field, p.code) for p in problems] == [("datapackage.json", place, "link-scheme")]
    assert "http" in problems[0].hint_en and "mailto" in problems[0].hint_zh


@pytest.mark.parametrize("where", ["policies/leak.md", "policies/sub/leak.md", "policies/leak.txt"])
def test_a_link_under_policies_that_leaves_the_package_is_an_error(tmp_path, where):
    package = make_good_package(tmp_path / "p")
    link = package / where
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink("/proc/self/cmdline", link)
    problems = validate_package(package, AS_OF)
    assert [(p.file, p.row, p.field, p.code) for p in problems] == [(where, None, None, "outside-package")]
    assert "/proc/self/cmdline" in problems[0].message_en and problems[0].hint_zh


def test_a_linked_folder_under_policies_that_leaves_the_package_is_an_error(tmp_path):
    package = make_good_package(tmp_path / "p")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("secret", encoding="utf-8")
    os.symlink(outside, package / "policies" / "more")
    problems = validate_package(package, AS_OF)
    assert [(p.file, p.code) for p in problems] == [("policies/more", "outside-package")]


def test_links_that_stay_inside_the_package_pass(tmp_path):
    package = make_good_package(tmp_path / "p")
    policy = next((package / "policies").glob("*.md"))
    os.symlink(policy.name, package / "policies" / "alias.md")
    (package / "policies" / "loop.md").symlink_to("loop.md")  # unreadable, and never published: not an error
    os.symlink("../policies", package / "policies" / "self")
    assert validate_package(package, AS_OF) == []


def test_policies_linked_out_of_the_package_is_an_error(tmp_path):
    package = make_good_package(tmp_path / "p")
    moved = tmp_path / "elsewhere"
    (package / "policies").rename(moved)
    os.symlink(moved, package / "policies")
    problems = validate_package(package, AS_OF)
    assert ("policies", "outside-package") in [(p.file, p.code) for p in problems]


def test_a_descriptor_linked_from_outside_is_an_error(tmp_path):
    package = make_good_package(tmp_path / "p")
    moved = tmp_path / "datapackage.json"
    (package / "datapackage.json").rename(moved)
    os.symlink(moved, package / "datapackage.json")
    problems = validate_package(package, AS_OF)
    assert [(p.file, p.code) for p in problems] == [("datapackage.json", "outside-package")]


@pytest.mark.parametrize("make, problem", [
    (lambda policies: os.symlink("loop.md", policies / "loop.md"), "a loop"),
    (lambda policies: os.mkfifo(policies / "loop.md"), "not a plain file"),
    (lambda policies: os.symlink("/etc/hostname", policies / "loop.md"), "outside datapackage/policies/"),
], ids=["link-loop", "fifo", "link-out"])
def test_a_policy_text_that_is_no_file_inside_the_package_is_an_error(tmp_path, make, problem):
    package = make_good_package(tmp_path / "p")
    make(package / "policies")
    set_cell(package, "policies", 2, "text_path", "policies/loop.md")
    found = [p for p in validate_package(package, AS_OF) if p.file == "data/policies.csv"]
    assert [(p.row, p.field, p.code) for p in found] == [(2, "text_path", "policy-text")]
    assert problem in found[0].message_en


def test_a_data_file_linked_from_outside_the_package_is_an_error(tmp_path):
    package = make_good_package(tmp_path / "p")
    outside = tmp_path / "products.csv"
    (package / "data" / "products.csv").rename(outside)
    os.symlink(outside, package / "data" / "products.csv")
    problems = validate_package(package, AS_OF)
    assert [(p.file, p.field, p.code) for p in problems] == [("datapackage.json", "products.path", "contract")]


def test_a_data_file_linked_inside_the_package_passes(tmp_path):
    package = make_good_package(tmp_path / "p")
    (package / "data" / "products.csv").rename(package / "products.csv")
    os.symlink("../products.csv", package / "data" / "products.csv")
    assert validate_package(package, AS_OF) == []
