"""fmt writes the one canonical spelling of every CSV, and the committed package is already in it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import build
from packages import COMMITTED, edit_bytes, edit_descriptor, make_good_package, read_table, set_cell, write_table
from zjtx.fmt import format_package
from zjtx.package import Package


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


def _hashes(package):
    import hashlib
    return {path.relative_to(package): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(package.rglob("*")) if path.is_file()}


def _refused(package, *fragments):
    """fmt (and fmt --check) exit 1 naming each fragment, and no byte of any file changes."""
    before = _hashes(package)
    for args in (["fmt"], ["fmt", "--check"]):
        result = CliRunner().invoke(build.cli, [*args, "--datapackage", str(package)])
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        for fragment in fragments:
            assert fragment in result.output, result.output
        assert "fmt 未改动任何文件" in result.output and "fmt changed no file" in result.output
    assert _hashes(package) == before


def _scramble_other_files(package):
    """A second file fmt could rewrite, to prove it is left alone too when another file is refused."""
    edit_bytes(package, "products", lambda data: data.replace(b"\n", b"\r\n"))


def test_fmt_refuses_a_renamed_column(tmp_path):
    package = make_good_package(tmp_path / "p")
    edit_bytes(package, "enterprises", lambda data: data.replace(b",name,", ",企业名称,".encode(), 1))
    _scramble_other_files(package)
    _refused(package, "data/enterprises.csv", "企业名称", "name", "第 1 行", "line 1")


def test_fmt_refuses_a_missing_column(tmp_path):
    package = make_good_package(tmp_path / "p")
    rows = read_table(package, "enterprises")
    write_table(package, "enterprises", [row[:5] + row[6:] for row in rows])  # no website
    _scramble_other_files(package)
    _refused(package, "data/enterprises.csv", "website", "Restore the column")


def test_fmt_refuses_an_unknown_column(tmp_path):
    package = make_good_package(tmp_path / "p")
    rows = read_table(package, "enterprises")
    write_table(package, "enterprises", [row + (["备注"] if n == 0 else ["保留此列"]) for n, row in enumerate(rows)])
    _scramble_other_files(package)
    _refused(package, "data/enterprises.csv", "备注", "Delete the column")


def test_fmt_refuses_a_stray_quote_naming_the_line_it_opens(tmp_path):
    package = make_good_package(tmp_path / "p")
    edit_bytes(package, "enterprises", lambda data: data.replace("天津乙".encode(), '"天津乙'.encode()))
    _scramble_other_files(package)
    _refused(package, "data/enterprises.csv", "第 3 行", "line 3", "double quote")


def test_fmt_refuses_a_quote_glued_to_text(tmp_path):
    package = make_good_package(tmp_path / "p")
    edit_bytes(package, "enterprises", lambda data: data.replace("天津乙新材料".encode(), '"天津乙"新材料'.encode()))
    _refused(package, "data/enterprises.csv", "line 3")


def test_fmt_refuses_a_wrong_encoding_in_any_file_before_writing_the_others(tmp_path):
    package = make_good_package(tmp_path / "p")
    edit_bytes(package, "products", lambda data: data.decode().encode("gbk"))
    edit_bytes(package, "enterprises", lambda data: data.replace(b"\n", b"\r\n"))  # fmt alone could fix this one
    _refused(package, "data/products.csv", "UTF-8", "CSV UTF-8")


def test_fmt_refuses_an_empty_file(tmp_path):
    package = make_good_package(tmp_path / "p")
    (package / "data" / "enterprises.csv").write_bytes(b"")
    _refused(package, "data/enterprises.csv", "empty")


def test_fmt_reorders_columns_and_drops_blank_lines_without_changing_a_value(tmp_path):
    package = make_good_package(tmp_path / "p")
    original = (package / "data" / "enterprises.csv").read_bytes()
    rows = read_table(package, "enterprises")
    order = list(reversed(range(len(rows[0]))))
    write_table(package, "enterprises", [[row[i] for i in order] for row in rows] + [[]])
    result = CliRunner().invoke(build.cli, ["fmt", "--datapackage", str(package)])
    assert result.exit_code == 0, result.output
    assert (package / "data" / "enterprises.csv").read_bytes() == original


def test_fmt_keeps_quotes_and_commas_inside_cells(tmp_path):
    package = make_good_package(tmp_path / "p")
    set_cell(package, "enterprises", 2, "summary", '研发"压力,温度"传感器')
    result = CliRunner().invoke(build.cli, ["fmt", "--datapackage", str(package)])
    assert result.exit_code == 0, result.output
    assert read_table(package, "enterprises")[1][6] == '研发"压力,温度"传感器'


def test_fmt_refuses_a_resource_path_outside_the_package(tmp_path):
    package = make_good_package(tmp_path / "p")
    outside = tmp_path / "outside.csv"
    outside.write_bytes(b"uscc,product_name,category,description\r\n")
    edit_descriptor(package, lambda d: next(r for r in d["resources"] if r["name"] == "products").update(
        path="../outside.csv"))
    _refused(package, "products.path", "outside")
    assert outside.read_bytes() == b"uscc,product_name,category,description\r\n"


def _check(package):
    result = CliRunner().invoke(build.cli, ["fmt", "--check", "--datapackage", str(package)])
    assert result.exit_code == 1, result.output
    assert "运行 python build.py fmt 即可改正" in result.output and "run `python build.py fmt`" in result.output
    return result.output


def _swap_lines(data: bytes, first: int, second: int) -> bytes:
    lines = data.split(b"\n")
    lines[first - 1], lines[second - 1] = lines[second - 1], lines[first - 1]
    return b"\n".join(lines)


@pytest.mark.parametrize("change, zh, en", [
    (lambda data: b"\xef\xbb\xbf" + data, "第 1 行：文件以 UTF-8 BOM", "line 1: the file starts with a UTF-8 byte-order mark"),
    (lambda data: data.replace(b"\n", b"\r\n"), "第 1 行：文件使用 Windows 换行符（CRLF）", "line 1: the file uses Windows line ends"),
    (lambda data: _swap_lines(data, 3, 4), "第 4 行：行的顺序不对：这一行应排在第 3 行之前",
     "line 4: rows out of order: this row belongs before line 3"),
    (lambda data: data.replace("天津乙新材料科技有限公司".encode(), '"天津乙新材料科技有限公司"'.encode()),
     "第 3 行：引号用法不是最简写法", "line 3: quoting is not minimal"),
    (lambda data: data.replace(b"\n", b"\n\n", 3).replace(b"\n\n", b"\n", 2), "第 4 行：空行（共 1 行）",
     "line 4: a blank line (1 in all)"),
    (lambda data: data.rstrip(b"\n"), "行：最后一行缺少换行符", "the last line has no line end"),
])
def test_fmt_check_names_the_first_line_out_of_place_and_why(tmp_path, change, zh, en):
    package = make_good_package(tmp_path / "p")
    edit_bytes(package, "enterprises", change)
    output = _check(package)
    assert "data/enterprises.csv: 不规范 / not canonical" in output
    assert zh in output and en in output, output


def test_fmt_check_names_a_column_order_and_every_reason_of_a_file_first_line_first(tmp_path):
    package = make_good_package(tmp_path / "p")
    rows = read_table(package, "enterprises")
    write_table(package, "enterprises", [[row[1], row[0], *row[2:]] for row in rows])
    edit_bytes(package, "enterprises", lambda data: _swap_lines(data, 3, 4).replace(b"\n", b"\r\n"))
    output = _check(package)
    reasons = [line for line in output.splitlines() if line.startswith("  第 ")]
    assert reasons[0].startswith("  第 1 行：")
    assert any("列的顺序与数据说明" in line for line in reasons)
    assert any("CRLF" in line for line in reasons)
    assert reasons[-1].startswith("  第 4 行：行的顺序不对")


def test_a_cell_longer_than_the_csv_modules_default_limit_is_no_stray_quote(tmp_path):
    from zjtx import csvfile

    package = make_good_package(tmp_path / "p")
    long_text = "研发" * 70_000  # 140,000 characters, past csv's default 131,072
    set_cell(package, "enterprises", 2, "summary", long_text)
    text = (package / "data" / "enterprises.csv").read_text(encoding="utf-8")
    table, faults = csvfile.parse("data/enterprises.csv", text)
    assert faults == [] and long_text in table.records[0].cells
    assert [row["summary"] for row in Package.read(package).raw_rows("enterprises")][0] == long_text
    result = CliRunner().invoke(build.cli, ["fmt", "--check", "--datapackage", str(package)])
    assert result.exit_code == 0, result.output
    assert "double quote" not in result.output


def test_fmt_writes_every_file_or_none_when_a_rename_fails(tmp_path, monkeypatch):
    import errno
    import os

    package = make_good_package(tmp_path / "p")
    for resource in ("enterprises", "products"):
        edit_bytes(package, resource, lambda data: data.replace(b"\n", b"\r\n"))
    before = _hashes(package)
    real_replace, swapped = os.replace, []

    def failing(source, target):
        if str(source).endswith(".zjtx-new"):
            swapped.append(target)
            if len(swapped) == 2:
                raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing)
    result = CliRunner().invoke(build.cli, ["fmt", "--datapackage", str(package)])
    assert result.exit_code == 1, result.output
    assert "所有文件均保持原样" in result.output and "Traceback" not in result.output
    assert _hashes(package) == before
