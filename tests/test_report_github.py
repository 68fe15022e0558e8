"""validate --format github: one workflow command per problem, on the file and line of the pull request's diff."""

from __future__ import annotations

import os

from click.testing import CliRunner

import build
from packages import AS_OF, make_good_package, set_cell
from zjtx.problems import ERROR, WARNING, Problem
from zjtx.report import format_github


def test_problems_become_annotations_that_no_value_can_break_out_of():
    problems = [
        Problem("data/enterprises.csv", 7, "name", "x\n::error file=evil::pwned %", "safe-text", ERROR,
                "名称含控制字符", "the name holds\n::error file=evil::a control character", "删除它", "Remove it"),
        Problem("data/a,b:c.csv", None, None, None, "missing-file", WARNING, "文件不存在", "no file"),
    ]
    lines = format_github(problems, "datapackage").splitlines()
    assert lines[0].startswith("::warning file=datapackage/data/a%2Cb%3Ac.csv,title=missing-file::文件不存在 / no file")
    assert lines[1].startswith("::error file=datapackage/data/enterprises.csv,line=7,title=safe-text name::")
    assert "%0A::error file=evil::a control character" in lines[1] and "%0AFix: Remove it" in lines[1]
    assert "pwned %25" in lines[1]
    assert len(lines) == 3 and lines[2] == "1 处错误，1 处警告 / 1 error(s), 1 warning(s)"


def test_validate_command_annotates_the_bad_line(tmp_path, monkeypatch):
    package = make_good_package(tmp_path / "datapackage")
    monkeypatch.chdir(tmp_path)
    good = CliRunner().invoke(build.cli, ["validate", "--datapackage", "datapackage", "--format", "github",
                                          "--as-of", AS_OF.isoformat()])
    assert good.exit_code == 0, good.output
    assert "::error" not in good.output
    set_cell(package, "certifications", 3, "valid_until", "2030-01-01")
    bad = CliRunner().invoke(build.cli, ["validate", "--datapackage", str(package), "--format", "github",
                                         "--as-of", AS_OF.isoformat()])
    assert bad.exit_code == 1, bad.output
    assert "::error file=datapackage/data/certifications.csv,line=3," in bad.output
    assert os.getcwd() == str(tmp_path)
