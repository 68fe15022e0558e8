"""diff: the pull-request report of what changed, from git revisions or folders, escaped and cut to size."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import build
from gitrepo import commit, make_repo
from packages import add_row, make_good_package, read_table, set_cell, write_table
from zjtx.changes import compare_packages
from zjtx.diff import enterprise_names, escape, format_markdown

NEW_USCC = "91120116MA00000014"
HOSTILE_NAME = "天津|<script>alert(1)</script>*粗体* `代码` @someone #1 $x$ [链接](javascript:alert(1))有限公司"


def edit(package: Path) -> None:
    """One of each change: an enterprise and its certification added, a product removed, a status changed,
    an enterprise renamed."""
    add_row(package, "enterprises", dict(uscc=NEW_USCC, name="中才邦业（天津）科技有限公司", district_code="120116",
                                         industry_code="34"))
    add_row(package, "certifications", dict(uscc=NEW_USCC, tier_id="seed", announcement_id="seed-2021",
                                            recommended_by="120116", certified_on="2021-06-15", status="active"))
    rows = read_table(package, "products")
    write_table(package, "products", [row for row in rows if row[1] != "谐波减速器"])
    set_cell(package, "enterprises", 4, "name", "天津甲精密机械（集团）有限公司")
    set_cell(package, "certifications", 6, "status", "removed")
    set_cell(package, "certifications", 6, "status_on", "2025-01-10")
    set_cell(package, "certifications", 6, "status_reason", "no_longer_qualified")


@pytest.fixture
def packages(tmp_path) -> tuple[Path, Path]:
    old = make_good_package(tmp_path / "old")
    new = make_good_package(tmp_path / "new")
    edit(new)
    return old, new


def report(old: Path, new: Path, limit: int | None = None) -> str:
    changes = compare_packages(old, new)
    names = enterprise_names(old, new)
    return format_markdown(changes, names) if limit is None else format_markdown(changes, names, limit)


def test_summary_line_comes_first_and_names_every_kind_of_change(packages):
    text = report(*packages)
    first = text.splitlines()[0]
    assert first.startswith("**数据变化：")
    assert "种子企业" in first and "新增" in first and "出库 1 家" in first
    assert "企业更名 1 家" in first and "新收录企业 1 家" in first


def test_rows_added_removed_and_changed_are_keyed_with_the_name_beside_each_uscc(packages):
    text = report(*packages)
    assert "<details><summary><b>enterprises</b>：新增 1 行，删除 0 行，修改 1 行" in text
    assert f"| {NEW_USCC} | 中才邦业（天津）科技有限公司 | 120116 | 34 |" in text
    assert f"| {NEW_USCC} | 中才邦业（天津）科技有限公司 | seed | seed-2021 |" in text
    # The renamed enterprise: its new name beside the USCC, old → new in the changed cell.
    assert ("| 911201163000000101 | 天津甲精密机械（集团）有限公司 | name | "
            "天津甲精密机械有限公司 → 天津甲精密机械（集团）有限公司 |") in text
    assert "| 911201163000000101 / seed / seed-2021 | 天津甲精密机械（集团）有限公司 | status | active → removed |" in text
    assert "| status&#95;on | （空） → 2025-01-10 |" in text  # field names are escaped too
    assert "**删除 · removed** (1)" in text and "谐波减速器" in text
    assert text.count("<details>") == text.count("</details>") == 3


def test_every_cell_is_escaped(tmp_path):
    old = make_good_package(tmp_path / "old")
    new = make_good_package(tmp_path / "new")
    set_cell(new, "enterprises", 2, "name", HOSTILE_NAME)
    set_cell(new, "products", 2, "description", "a|b\nc")
    text = report(old, new)
    for raw in ("<script", "*粗体*", "`代码`", "@someone", " #1", "$x$", "](javascript", "a|b"):
        assert raw not in text
    assert "&#124;&#60;script&#62;" in text
    # Every table row keeps its number of columns: no cell adds a pipe.
    for line in text.splitlines():
        if line.startswith("| 911201013000000109 |"):
            assert line.count("|") == 5, line


def test_escape_leaves_chinese_names_and_brackets_readable():
    assert escape("中才邦业（天津）(滨海)科技有限公司") == "中才邦业（天津）(滨海)科技有限公司"
    assert escape("<b>&") == "&#60;b&#62;&#38;"


def test_a_long_report_is_cut_to_the_limit_with_a_count_of_what_was_left_out(tmp_path):
    old = make_good_package(tmp_path / "old")
    new = make_good_package(tmp_path / "new")
    for number in range(300):
        add_row(new, "products", dict(uscc="911201163000000101", product_name=f"型号 {number:03d}",
                                      category="通用设备", description="说明" * 20))
    limit = 20_000
    text = report(old, new, limit)
    assert len(text.encode("utf-8")) <= limit
    shown = len(re.findall(r"^\| 911201163000000101 \| 天津甲精密机械有限公司 \| 型号", text, flags=re.M))
    left_out = int(re.search(r"另有 (\d+) 行变化未列出", text).group(1))
    assert 0 < shown < 300 and shown + left_out == 300
    assert text.count("<details>") == text.count("</details>")
    assert len(report(old, new).encode("utf-8")) > limit  # the default limit (1 MiB) keeps them all
    assert "未列出" not in report(old, new)


def test_no_change_says_so(tmp_path):
    old = make_good_package(tmp_path / "old")
    new = make_good_package(tmp_path / "new")
    assert report(old, new).startswith("**数据变化：无数据变化**")


def test_cli_compares_a_git_revision_with_the_working_tree(tmp_path):
    repo = make_repo(tmp_path / "repo")
    edit(repo / "datapackage")
    result = CliRunner().invoke(build.cli, ["diff", "HEAD", "--datapackage", str(repo / "datapackage")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("**数据变化：")
    assert "企业更名 1 家" in result.output


def test_cli_compares_two_revisions_as_json(tmp_path):
    repo = make_repo(tmp_path / "repo")
    base = commit(repo, "nothing yet")
    edit(repo / "datapackage")
    commit(repo, "edit")
    result = CliRunner().invoke(build.cli, ["diff", base, "main", "--datapackage",
                                            str(repo / "datapackage" / "datapackage.json"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["counts"]["enterprises_renamed"] == 1
    assert data["enterprise_names"][NEW_USCC] == "中才邦业（天津）科技有限公司"
    changed = data["tables"]["certifications"]["changed"][0]
    assert changed["key"] == {"uscc": "911201163000000101", "tier_id": "seed", "announcement_id": "seed-2021"}
    assert {"field": "status", "old": "active", "new": "removed"} in changed["cells"]


def test_cli_compares_folders_and_explains_an_unknown_revision(packages, tmp_path):
    old, new = packages
    result = CliRunner().invoke(build.cli, ["diff", str(old / "datapackage.json"), str(new)])
    assert result.exit_code == 0, result.output
    assert "新收录企业 1 家" in result.output
    repo = make_repo(tmp_path / "repo")
    result = CliRunner().invoke(build.cli, ["diff", "no-such-branch", "--datapackage", str(repo / "datapackage")])
    assert result.exit_code == 1, result.output
    assert "既不是文件夹，也不是" in result.output and "Traceback" not in result.output


def text_report(old: Path, new: Path, limit: int | None = None) -> str:
    from zjtx.diff import format_text, words_of

    changes = compare_packages(old, new)
    return format_text(changes, words_of(old, new)) if limit is None else format_text(changes, words_of(old, new), limit)


def test_text_reads_as_a_change_report_in_chinese(packages):
    text = text_report(*packages)
    lines = text.splitlines()
    assert lines[0].startswith("数据变化：新增天津市“专精特新”种子企业 1 家")
    assert "企业（enterprises）：新增 1 行，删除 0 行，修改 1 行" in text
    assert f"  新增  中才邦业（天津）科技有限公司（{NEW_USCC}）" in lines
    assert "        所在行政区：滨海新区；所属行业：通用设备制造业" in lines  # district and industry by name
    assert "  修改  天津甲精密机械（集团）有限公司（911201163000000101） · 天津市“专精特新”种子企业 · 公告 seed-2021" in lines
    assert "        企业名称：天津甲精密机械有限公司 → 天津甲精密机械（集团）有限公司" in lines
    assert "        状态：有效 → 已调整出库" in lines
    assert "        状态原因：（空） → 不再符合条件" in lines
    assert "  删除  天津甲精密机械（集团）有限公司（911201163000000101） · 谐波减速器" in lines
    for markup in ("<", "&#", "**", "|", "`"):
        assert markup not in text, markup
    rows = "\n".join(line for line in lines if line.startswith("  "))
    for code in ("status_on", "tier_id", "no_longer_qualified", "removed", "active", "：120116"):
        assert code not in rows, code


def test_text_shows_hostile_values_as_plain_characters(tmp_path):
    old = make_good_package(tmp_path / "old")
    new = make_good_package(tmp_path / "new")
    set_cell(new, "enterprises", 2, "summary", "红\x1b[31m字\x07" + "长" * 300)
    text = text_report(old, new)
    assert "\x1b" not in text and "\x07" not in text
    assert "红\\x1b[31m字\\x07" in text
    assert "…（共 308 字 / 308 characters）" in text


def test_a_long_text_report_ends_with_what_it_did_not_show(tmp_path):
    old = make_good_package(tmp_path / "old")
    new = make_good_package(tmp_path / "new")
    for number in range(30):
        add_row(new, "products", dict(uscc="911201163000000101", product_name=f"型号 {number:03d}", category="通用设备"))
    text = text_report(old, new, limit=10)
    assert len(re.findall(r"^  新增  天津甲精密机械有限公司", text, flags=re.M)) == 10
    assert text.splitlines()[-1].startswith("未显示 / not shown：产品（products）新增 20 行。全部变化：加 --format json")


def test_the_default_format_is_text_at_a_terminal_and_markdown_in_a_file(packages, tmp_path):
    import os
    import pty
    import subprocess
    import sys

    old, new = packages
    command = [sys.executable, str(Path(build.__file__)), "diff", str(old), str(new)]
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdout=follower, stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the command ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.wait() == 0
    at_terminal = b"".join(chunks).decode("utf-8")
    assert at_terminal.startswith("数据变化："), at_terminal
    assert "<details>" not in at_terminal
    in_file = subprocess.run(command, capture_output=True, check=True).stdout.decode("utf-8")
    assert in_file.startswith("**数据变化：") and "<details>" in in_file


def test_a_file_saved_by_excel_with_a_bom_is_read_as_the_csv_it_is(tmp_path):
    repo = make_repo(tmp_path / "repo")
    path = repo / "datapackage" / "data" / "enterprises.csv"
    set_cell(repo / "datapackage", "enterprises", 2, "main_products", "压力变送器")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))  # Excel's "CSV UTF-8"
    result = CliRunner().invoke(build.cli, ["diff", "HEAD", "--datapackage", str(repo / "datapackage"),
                                            "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["summary_zh"] == "信息更正 1 处"
    table = data["tables"]["enterprises"]
    assert (table["added"], table["removed"]) == ([], [])
    assert [cell["field"] for change in table["changed"] for cell in change["cells"]] == ["main_products"]
