"""check-scope: a bureau may change its own district's rows; anything else is refused, naming the rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import build
from gitrepo import commit, make_repo
from packages import add_row, edit_descriptor, read_table, set_cell
from zjtx.errors import ScopeError
from zjtx.scope import parse_owners

OWNERS = """\
maintainers:
  - "@tj-zjtx/maintainers"
teams:
  tj-zjtx/maintainers: [city-editor]
  tj-zjtx/binhai: [Binhai-Clerk]
owners:
  heping-bureau: [120101]
  xiqing-bureau: ["120111"]
  teda-bureau: [120116-teda]
  tj-zjtx/binhai: [120116]
"""


@pytest.fixture
def repo(tmp_path) -> Path:
    return make_repo(tmp_path / "repo", {".github/district-owners.yml": OWNERS})


def check(repo: Path, author: str, base: str = "main"):
    return CliRunner().invoke(build.cli, ["check-scope", "--base", base, "--author", author,
                                          "--datapackage", str(repo / "datapackage")])


def line_of(package: Path, resource: str, *key: str) -> int:
    rows = read_table(package, resource)
    return next(n for n, row in enumerate(rows, start=1) if tuple(row[: len(key)]) == key)


def test_a_bureau_may_change_its_own_districts_rows(repo):
    package = repo / "datapackage"
    set_cell(package, "enterprises", line_of(package, "enterprises", "911201013000000109"), "website",
             "https://www.bing.example.cn")
    add_row(package, "announcements", dict(announcement_id="sme-2025", tier_id="sme", kind="designation",
                                           title="2025年度名单", issuer="天津市工业和信息化局", published_on="2025-05-20"))
    add_row(package, "certifications", dict(uscc="911201013000000109", tier_id="sme", announcement_id="sme-2025",
                                            recommended_by="120101", certified_on="2025-05-20",
                                            valid_until="2028-05-20", status="active"))
    result = check(repo, "heping-bureau")
    assert result.exit_code == 0, result.output
    assert "所有改动都在 heping-bureau 的管辖范围内（120101）" in result.output


def test_another_districts_rows_are_refused_and_named(repo):
    package = repo / "datapackage"
    line = line_of(package, "certifications", "911201163000000101", "seed", "seed-2021")
    set_cell(package, "certifications", line, "status", "removed")
    set_cell(package, "enterprises", line_of(package, "enterprises", "91120111300000010Q"), "website",
             "https://www.yi.example.cn")
    result = check(repo, "heping-bureau")
    assert result.exit_code == 1, result.output
    assert (f"data/certifications.csv 第 {line} 行 (line {line}): 911201163000000101 / seed / seed-2021"
            "（天津甲精密机械有限公司） [120116-teda]") in result.output
    assert "data/enterprises.csv 第 3 行 (line 3): 91120111300000010Q（天津乙新材料科技有限公司） [120111]" in result.output
    assert "以上 2 处改动超出 heping-bureau 的管辖范围" in result.output


def test_moving_a_row_into_ones_district_needs_the_district_it_leaves(repo):
    package = repo / "datapackage"
    set_cell(package, "enterprises", line_of(package, "enterprises", "91120111300000010Q"), "district_code", "120101")
    result = check(repo, "heping-bureau")
    assert result.exit_code == 1, result.output
    assert "[120101, 120111]" in result.output


def test_a_district_holds_its_zones_and_a_team_holds_what_the_team_holds(repo):
    package = repo / "datapackage"
    line = line_of(package, "certifications", "911201163000000101", "seed", "seed-2021")
    set_cell(package, "certifications", line, "status", "removed")
    set_cell(package, "enterprises", line_of(package, "enterprises", "911201163000000101"), "website",
             "https://www.jia.example.cn")
    assert check(repo, "binhai-clerk").exit_code == 0  # team member, district 120116 holds zone 120116-teda
    # The zone's bureau edits an enterprise of the parent district that it recommended.
    result = check(repo, "teda-bureau")
    assert result.exit_code == 0, result.output
    assert check(repo, "xiqing-bureau").exit_code == 1


def test_maintainers_may_change_everything(repo):
    package = repo / "datapackage"
    set_cell(package, "districts", 2, "name_en", "Heping")
    edit_descriptor(package, lambda descriptor: descriptor.update(title="新标题"))
    result = check(repo, "city-editor")
    assert result.exit_code == 0, result.output
    assert "city-editor 是维护者" in result.output
    result = check(repo, "heping-bureau")
    assert result.exit_code == 1, result.output
    assert "data/districts.csv" in result.output and "datapackage.json" in result.output


def test_the_owners_file_is_read_from_the_base_so_a_change_cannot_grant_itself_a_district(repo):
    (repo / ".github" / "district-owners.yml").write_text(OWNERS + "  heping-bureau: [120101, 120111]\n",
                                                           encoding="utf-8")
    package = repo / "datapackage"
    set_cell(package, "enterprises", line_of(package, "enterprises", "91120111300000010Q"), "website",
             "https://www.yi.example.cn")
    result = check(repo, "heping-bureau")
    assert result.exit_code == 1, result.output


def test_an_unknown_author_holds_nothing(repo):
    package = repo / "datapackage"
    set_cell(package, "products", 2, "description", "量程 0-160 MPa。")
    result = check(repo, "stranger")
    assert result.exit_code == 1, result.output
    assert "districts held: （无 none）" in result.output


def test_a_base_without_an_owners_file_is_explained(tmp_path):
    repo = make_repo(tmp_path / "repo")
    result = check(repo, "heping-bureau")
    assert result.exit_code == 1, result.output
    assert "须先由维护者添加该文件" in result.output and "Traceback" not in result.output


def test_no_change_is_in_scope_for_anyone(repo):
    commit(repo, "empty")
    assert check(repo, "stranger", base="HEAD").exit_code == 0


@pytest.mark.parametrize("text", ["owners: [120101]", "maintainers: city-editor", "owner: {}", ": : :"])
def test_a_malformed_owners_file_is_refused(text):
    with pytest.raises(ScopeError):
        parse_owners(text)


def test_the_committed_owners_file_is_well_formed():
    path = Path(__file__).resolve().parent.parent / ".github" / "district-owners.yml"
    owners = parse_owners(path.read_text(encoding="utf-8"))
    districts = {row[0] for row in read_table(Path(__file__).resolve().parent.parent / "datapackage", "districts")[1:]}
    assert owners.maintainers
    assert all(codes <= districts for codes in owners.codes.values())


def test_any_bureau_may_add_an_announcement_but_not_change_one(repo):
    package = repo / "datapackage"
    set_cell(package, "announcements", line_of(package, "announcements", "sme-2021"), "title", "改过的标题")
    result = check(repo, "heping-bureau")
    assert result.exit_code == 1, result.output
    assert "data/announcements.csv 第 5 行 (line 5): sme-2021" in result.output
    assert "已有公告只能由维护者修改或删除" in result.output
