"""CONTRIBUTING.md's templates are rows that validate: each one, applied to the small package, leaves no error."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from packages import AS_OF, make_good_package, read_table, write_table
from zjtx.validate import validate_package

GUIDE = (Path(__file__).resolve().parent.parent / "CONTRIBUTING.md").read_text(encoding="utf-8")
PRIMARY_KEYS = {"announcements": 1, "enterprises": 1, "certifications": 3}


def templates() -> dict[str, list[list[list[str]]]]:
    """Each template's CSV blocks (header and rows), by the name in its <!-- template: name --> marker."""
    found = {}
    parts = re.split(r"<!-- template: (\w+) -->", GUIDE)
    for name, body in zip(parts[1::2], parts[2::2]):
        body = body.split("\n### ")[0].split("\n## ")[0]
        found[name] = [list(csv.reader(io.StringIO(block))) for block in re.findall(r"```csv\n(.*?)```", body, re.S)]
    return found


def resource_of(header: list[str], package: Path) -> str:
    for resource in PRIMARY_KEYS:
        if read_table(package, resource)[0] == header:
            return resource
    raise AssertionError(f"no table has the header {header}")


def test_the_guide_has_the_three_templates():
    assert sorted(templates()) == ["designation", "removal", "revocation"]


def apply(package: Path, name: str, blocks: list[list[list[str]]]) -> list:
    """Add each block's rows to its table, replacing rows with the same key; return the errors of validation."""
    for header, *rows in blocks:
        resource = resource_of(header, package)
        width = PRIMARY_KEYS[resource]
        table = read_table(package, resource)
        replaced = {tuple(row[:width]) for row in rows}
        kept = [row for row in table[1:] if tuple(row[:width]) not in replaced]
        if resource == "certifications" and name != "designation":
            assert len(kept) == len(table) - 1 - len(rows)  # a status change edits the row, never adds one
        write_table(package, resource, [table[0], *kept, *rows])
    return [p for p in validate_package(package, AS_OF) if p.severity == "error"]


@pytest.mark.parametrize("name", ["designation", "removal", "revocation"])
def test_template_rows_validate(tmp_path, name):
    assert apply(make_good_package(tmp_path / "package"), name, templates()[name]) == []


def test_a_template_with_a_wrong_term_would_fail(tmp_path):
    blocks = templates()["designation"]
    broken = [[[cell.replace("2028-06-20", "2027-06-20") for cell in row] for row in block] for block in blocks]
    errors = apply(make_good_package(tmp_path / "package"), "designation", broken)
    assert {(p.file, p.field) for p in errors} == {("data/certifications.csv", "valid_until")}


# The guide, run as a bureau runs it -----------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
STEP_NAMES = ["install", "identity", "correct-branch", "correct-check", "correct-submit", "import-branch",
              "import-dry-run", "import", "import-submit", "review"]
CLONE_URL = "https://github.com/<组织>/<仓库>.git"
# The demo register validates on this day without an error; the guide's commands run on it so the test never ages.
GUIDE_DAY = "2026-11-30 12:00:00"
NEW_USCC = "91120111MA00000032"


def steps() -> list[tuple[str, list[str]]]:
    """Each `<!-- step: NAME -->` block of the guide: its name and its command lines, in the guide's order."""
    found = re.findall(r"<!-- step: ([\w-]+) -->\s*```sh\n(.*?)\n\s*```", GUIDE, re.S)
    return [(name, [line.strip() for line in block.splitlines() if line.strip()]) for name, block in found]


def test_the_guide_names_its_steps_in_the_order_of_the_three_tasks():
    assert [name for name, _ in steps()] == STEP_NAMES
    assert all(line.startswith(("git ", "cd ", "make ", "python3 build.py ")) for _, lines in steps() for line in lines)


def test_build_py_runs_again_under_the_projects_venv(tmp_path):
    """Started by another Python, build.py execs .venv/bin/python with the same arguments (no activation)."""
    import shutil

    shutil.copy(ROOT / "build.py", tmp_path / "build.py")
    fake = tmp_path / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.write_text("#!/bin/sh\necho \"venv python: $*\"\n", encoding="utf-8")
    fake.chmod(0o755)
    result = subprocess.run([sys._base_executable, str(tmp_path / "build.py"), "validate", "--as-of", "2026-11-30"],
                            capture_output=True, text=True)
    assert result.stdout == f"venv python: {tmp_path / 'build.py'} validate --as-of 2026-11-30\n", result.stderr
    fake.unlink()
    result = subprocess.run([sys._base_executable, "-S", str(tmp_path / "build.py"), "validate"],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "依赖尚未安装：请先在本文件夹运行 make site" in result.stderr


def _wrappers(folder: Path) -> None:
    """python3 and make as a bureau's computer has them (not the project's venv), on a fixed day."""
    folder.mkdir()
    for name, target in (("python3", sys._base_executable), ("make", shutil.which("make"))):
        wrapper = folder / name
        wrapper.write_text(f'#!/bin/sh\nexec faketime "{GUIDE_DAY}" "{target}" "$@"\n', encoding="utf-8")
        wrapper.chmod(0o755)


def _shared_venv(clone: Path) -> None:
    """The clone's .venv as `make validate` would leave it, its packages those of the test's own environment, so
    the test installs nothing; the stamp tells make it is installed."""
    venv = clone / ".venv"
    subprocess.run([sys._base_executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site_packages = next(venv.glob("lib/python*/site-packages"))
    shared = sysconfig.get_paths()["purelib"]
    (site_packages / "shared-test-environment.pth").write_text(f"import site; site.addsitedir({shared!r})\n",
                                                             encoding="utf-8")
    (venv / "bin" / ".installed").touch()


def _official_list(path: Path, clone: Path) -> str:
    """The designation list of the guide's template (two enterprises): one in the register without any sme
    certification, one new. Returns the name of the first."""
    from openpyxl import Workbook

    package = clone / "datapackage"
    certifications = read_rows(package / "data" / "certifications.csv")
    higher = {row["uscc"] for row in certifications if row["tier_id"] != "seed" or row["status"] == "revoked"}
    enterprises = read_rows(package / "data" / "enterprises.csv")
    assert NEW_USCC not in {row["uscc"] for row in enterprises}
    chosen = next(row for row in enterprises if row["uscc"] not in higher)
    districts = {row["district_code"]: row["name_zh"] for row in read_rows(package / "data" / "districts.csv")}
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2025年度第一批天津市专精特新中小企业名单"])
    sheet.append(["序号", "企业名称", "统一社会信用代码", "所属区", "行业", "主导产品"])
    sheet.append([1, chosen["name"], chosen["uscc"], districts[chosen["district_code"]], chosen["industry_code"], ""])
    sheet.append([2, "天津示例精工装备有限公司", NEW_USCC, "西青区", "专用设备制造业", "检测设备"])
    workbook.save(path)
    return chosen["name"]


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow
def test_the_guides_commands_work_in_order_on_a_fresh_clone(tmp_path):
    """Every command of the guide's three tasks, in order, as a bureau types them, on a fresh clone: the edits the
    prose asks for are made between the blocks, a bare repository stands in for GitHub."""
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(origin)], check=True)
    subprocess.run(["git", "push", "--quiet", str(origin), "HEAD:refs/heads/main"], cwd=ROOT, check=True)
    subprocess.run(["git", "symbolic-ref", "HEAD", "refs/heads/main"], cwd=origin, check=True)
    _wrappers(tmp_path / "bin")
    (tmp_path / "home").mkdir()
    env = {**os.environ, "HOME": str(tmp_path / "home"), "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}",
           "GIT_CONFIG_NOSYSTEM": "1"}
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "GIT_DIR", "GIT_WORK_TREE"):
        env.pop(name, None)
    cwd, outputs = tmp_path, {}
    for name, lines in steps():
        if name == "correct-check":  # the guide: open enterprises.csv and correct the row
            path = cwd / "datapackage" / "data" / "enterprises.csv"
            rows = path.read_text(encoding="utf-8").split("\n")
            cells = next(csv.reader([rows[1]]))
            cells[4] = "精密减速器（更正）"
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="").writerow(cells)
            rows[1] = buffer.getvalue()
            path.write_text("\n".join(rows), encoding="utf-8")
        if name == "import-dry-run":  # the guide: add the announcement row, put the list in the folder
            announcement = templates()["designation"][0][1]
            with open(cwd / "datapackage" / "data" / "announcements.csv", "a", encoding="utf-8", newline="") as out:
                csv.writer(out, lineterminator="\n").writerow(announcement)
            list_name = lines[0].split()[3]
            existing_name = _official_list(cwd / list_name, cwd)
        if name == "review":  # GitHub keeps every pull request's head as refs/pull/N/head
            subprocess.run(["git", "update-ref", "refs/pull/12/head", "refs/heads/xiqing-2025-sme"], cwd=origin,
                           check=True)
        output = []
        for line in lines:
            if line.startswith("cd "):
                cwd = cwd / line.split()[1]
                continue
            result = subprocess.run(["bash", "-c", line.replace(CLONE_URL, str(origin))], cwd=cwd, env=env,
                                    capture_output=True, text=True)
            assert result.returncode == 0, f"{name}: {line}\n{result.stdout}\n{result.stderr}"
            assert "Traceback" not in result.stdout + result.stderr
            output.append(result.stdout + result.stderr)
            if line.startswith("git clone"):
                _shared_venv(cwd / line.split()[-1])
        outputs[name] = "\n".join(output)
    assert "0 处错误" in outputs["install"]
    assert "信息更正 1 处" in outputs["correct-check"]
    assert "新企业 new" in outputs["import-dry-run"] and existing_name in outputs["import-dry-run"]
    assert "已写入" in outputs["import"]
    assert "新增天津市“专精特新”中小企业 2 家，新收录企业 1 家" in outputs["review"]
    assert outputs["review"].count("0 处错误") == 1
    branches = subprocess.run(["git", "branch", "--list"], cwd=origin, capture_output=True, text=True).stdout
    assert "heping-correction" in branches and "xiqing-2025-sme" in branches
