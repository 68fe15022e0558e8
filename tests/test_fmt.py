"""fmt writes the one canonical spelling of every CSV, and the committed package is already in it."""

from __future__ import annotations

from click.testing import CliRunner

import build
from packages import COMMITTED, edit_bytes, make_good_package
from zjtx.fmt import format_package


def test_committed_package_is_canonical():
    assert format_package(COMMITTED, check_only=True) == []


def test_fmt_sorts_and_repairs_line_ends_and_bom(tmp_path):
    package = make_good_package(tmp_path / "p")
    original = (package / "data" / "enterprises.csv").read_bytes()
    header, *rows = original.decode().splitlines(keepends=True)
    scrambled = ("\ufeff" + header + "".join(reversed(rows))).replace("\n", "\r\n").encode()
    (package / "data" / "enterprises.csv").write_bytes(scrambled)
    result = CliRunner().invoke(build.cli, ["fmt", "--check", "--datapackage", str(package)])
    assert result.exit_code == 1, result.output
    assert "data/enterprises.csv" in result.output
    result = CliRunner().invoke(build.cli, ["fmt", "--datapackage", str(package)])
    assert result.exit_code == 0, result.output
    assert (package / "data" / "enterprises.csv").read_bytes() == original
    assert format_package(package, check_only=True) == []


def test_fmt_refuses_gbk_and_ragged_rows_without_touching_them(tmp_path):
    package = make_good_package(tmp_path / "p")
    edit_bytes(package, "products", lambda data: data.decode().encode("gbk"))
    before = (package / "data" / "products.csv").read_bytes()
    result = CliRunner().invoke(build.cli, ["fmt", "--datapackage", str(package)])
    assert result.exit_code == 1, result.output
    assert "UTF-8" in result.output and "Traceback" not in result.output
    assert (package / "data" / "products.csv").read_bytes() == before

    package = make_good_package(tmp_path / "q")
    edit_bytes(package, "products", lambda data: data.replace("通用设备,\n".encode(), "通用设备\n".encode()))
    before = (package / "data" / "products.csv").read_bytes()
    result = CliRunner().invoke(build.cli, ["fmt", "--datapackage", str(package)])
    assert result.exit_code == 1, result.output
    assert "data/products.csv" in result.output and "4" in result.output
    assert (package / "data" / "products.csv").read_bytes() == before
