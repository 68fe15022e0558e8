"""Builds leave nothing behind, refuse a second build into the same folder, and report template errors and a
busy port as messages, not tracebacks."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

import pytest
from click.testing import CliRunner

import build as cli_module
from packages import AS_OF, make_good_package
from zjtx.errors import BuildError
from zjtx.serve import start_server
from packages import build
from zjtx.build.output import build_lock


@pytest.fixture
def small_package(tmp_path):
    return make_good_package(tmp_path / "package")


@pytest.mark.slow
def test_a_second_build_into_the_same_folder_is_refused(small_package, tmp_path):
    out = tmp_path / "site"
    with build_lock(out.resolve()):
        with pytest.raises(BuildError, match="another build"):
            build(small_package, out, AS_OF)
    assert not out.exists()
    build(small_package, out, AS_OF)  # the lock is released afterwards
    assert (out / "index.html").is_file()


@pytest.mark.slow
def test_the_next_build_removes_what_an_interrupted_one_left(small_package, tmp_path):
    out = tmp_path / "site"
    leftovers = [tmp_path / ".site.new-abc123", tmp_path / ".site.old-1-2"]
    for folder in leftovers:
        (folder / "assets").mkdir(parents=True)
    build(small_package, out, AS_OF)
    assert not any(folder.exists() for folder in leftovers)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["package", "site"]


def test_a_template_error_is_a_message_naming_the_template(small_package, tmp_path):
    import shutil

    from zjtx.pages.environment import TEMPLATES_DIR

    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    (templates / "tiers.html.j2").write_text("{{ no_such_variable.attribute }}", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build(small_package, tmp_path / "site", AS_OF, templates_dir=templates)
    assert "tiers.html.j2" in caught.value.message_en and "tiers/index.md" in caught.value.message_en
    assert "模板" in caught.value.message_zh
    assert not (tmp_path / "site").exists()


def test_serve_on_a_busy_port_says_so_and_exits_1(small_package, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli_module.cli, [
            "serve", "--datapackage", str(small_package), "--out", str(tmp_path / "site"),
            "--as-of", AS_OF.isoformat(), "--port", str(port),
        ])
    assert result.exit_code == 1, result.output
    assert f"127.0.0.1:{port}" in result.output and "--port" in result.output and "端口" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "site").exists()  # refused before building anything


@pytest.mark.slow
def test_serve_answers_a_missing_address_with_the_sites_404_page(small_package, tmp_path):
    out = tmp_path / "site"
    build(small_package, out, AS_OF)
    server = start_server(out, "127.0.0.1", 0)
    try:
        port = server.server_address[1]
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no/such/page/")
        assert caught.value.code == 404
        assert caught.value.read() == (out / "404.html").read_bytes()
    finally:
        server.shutdown()
        server.server_close()


def test_datapackage_option_takes_the_descriptor_file_as_well_as_the_folder(small_package):
    for given in (small_package, small_package / "datapackage.json"):
        result = CliRunner().invoke(cli_module.cli, [
            "validate", "--datapackage", str(given), "--as-of", AS_OF.isoformat()])
        assert result.exit_code == 0, result.output
