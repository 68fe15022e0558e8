"""Who may change what: a district bureau edits its own district's rows of the register, and nothing else.

`.github/district-owners.yml` maps GitHub accounts and teams (`org/team`, with their members listed in the
file, since a pull request's checks have no token to ask GitHub) to the district and zone codes they hold.
A district holds its zones.

A bureau's change is judged as what merging it would do to the base. First its files: anything but the
package's data files (code, templates, workflows, build/, the descriptor, policy texts, tests, docs) is refused,
and so is a data file deleted or replaced by a link. Then every row it touches must belong, before and after the
change, to a district the author holds: an enterprise by its `district_code`, a certification by its
`recommended_by` and by its enterprise's district, a product by its enterprise. A zone's bureau (功能区) recommends
enterprises of its parent district, but edits one only when the base already records that the zone recommended
it: zones are taken from the base, never from the change, so a certification added in a pull request does not
also open the enterprise to the same pull request. Anyone may add an announcement (a list cannot be imported
without it); changing or removing one, and every other table, is the maintainers' part.

Maintainers are not judged by district: CODEOWNERS asks for a maintainer's review of every file outside the
register's rows. The owners file and this code are read from the base: the workflow checks out the base only and
reads the pull request's commit from git as data, so a pull request can neither grant itself a district nor
rewrite the check.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from . import revisions
from .package import Package
from .changes import PackageChanges, compare_packages
from .errors import ScopeError

OWNERS_FILE = ".github/district-owners.yml"


@dataclass(frozen=True)
class Owners:
    maintainers: frozenset[str]
    codes: dict[str, frozenset[str]]  # account or org/team -> district and zone codes
    teams: dict[str, frozenset[str]]  # org/team -> member accounts

    def groups_of(self, login: str) -> set[str]:
        login = login.casefold()
        return {login} | {team for team, members in self.teams.items() if login in members}

    def is_maintainer(self, login: str) -> bool:
        return bool(self.groups_of(login) & self.maintainers)

    def held_by(self, login: str) -> set[str]:
        return {code for group in self.groups_of(login) for code in self.codes.get(group, ())}


def _names(values, where: str) -> frozenset[str]:
    if values is None:
        return frozenset()
    if not isinstance(values, list) or not all(isinstance(v, (str, int)) for v in values):
        raise ScopeError(f"{OWNERS_FILE}: {where} must be a list of names or codes",
                         f"{OWNERS_FILE}：{where} 必须是名称或代码的列表")
    return frozenset(str(value).strip().casefold().removeprefix("@") for value in values)


def parse_owners(text: str) -> Owners:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise ScopeError(f"{OWNERS_FILE} is not valid YAML: {error}", f"{OWNERS_FILE} 不是有效的 YAML：{error}") from error
    if not isinstance(data, dict) or not set(data) <= {"maintainers", "teams", "owners"}:
        raise ScopeError(f"{OWNERS_FILE} must have only the keys maintainers, teams and owners",
                         f"{OWNERS_FILE} 只能包含 maintainers、teams、owners 三项")
    for key in ("teams", "owners"):
        if not isinstance(data.get(key) or {}, dict):
            raise ScopeError(f"{OWNERS_FILE}: {key} must map names to lists", f"{OWNERS_FILE}：{key} 必须是名称到列表的映射")
    teams = {str(team).casefold().removeprefix("@"): _names(members, f"teams.{team}")
             for team, members in (data.get("teams") or {}).items()}
    # YAML reads 120101 as a number; district codes are compared as the text of districts.csv.
    codes = {str(owner).casefold().removeprefix("@"): _names(held, f"owners.{owner}")
             for owner, held in (data.get("owners") or {}).items()}
    return Owners(_names(data.get("maintainers"), "maintainers"), codes, teams)


@dataclass(frozen=True)
class Refusal:
    file: str
    line: int | None  # in the changed file, or in the base file for a removed row
    key: str
    name: str
    codes: tuple[str, ...]  # the districts the row belongs to, before and after
    reason_zh: str
    reason_en: str


@dataclass
class ScopeReport:
    login: str
    maintainer: bool
    held: set[str]
    refusals: list[Refusal] = field(default_factory=list)


class _Districts:
    def __init__(self, package: Package):
        self.parent = {row.get("district_code") or "": row.get("parent_code") or ""
                       for row in _rows(package, "districts")}

    def covered(self, code: str, held: set[str]) -> bool:
        return code in held or self.parent.get(code, "") in held


def _rows(package: Package, resource_name: str) -> list[dict[str, str]]:
    return package.raw_rows(resource_name) if resource_name in package.resources else []


def _lines(package: Package, resource_name: str, key_fields: list[str]) -> dict[tuple[str, ...], int]:
    return {tuple(row.get(name) or "" for name in key_fields): line
            for line, row in enumerate(_rows(package, resource_name), start=2)}


def _recommenders(package: Package) -> dict[str, set[str]]:
    """The districts and zones that recommended each enterprise (by USCC) for any of its certifications."""
    found: dict[str, set[str]] = {}
    for row in _rows(package, "certifications"):
        found.setdefault(row.get("uscc") or "", set()).add(row.get("recommended_by") or "")
    return found


def _data_files(package: Package, relative: Path) -> dict[str, str]:
    """The package's data files, by their path from the top of the repository, each with its resource's name."""
    files = {}
    for name, resource in package.resources.items():
        path = resource.path
        if path and "://" not in path and not path.startswith("/") and ".." not in PurePosixPath(path).parts:
            files[posixpath.normpath((relative / path).as_posix())] = name
    return files


def check_change(package_dir: Path, base: str, head: str | None, owners: Owners, login: str) -> ScopeReport:
    """Every file and row that merging `head` (a commit; the work tree when None) into `base` would change outside
    what `login` holds. The head is read from git's objects as data: nothing of it is checked out or run."""
    report = ScopeReport(login, owners.is_maintainer(login), owners.held_by(login))
    if report.maintainer:
        return report
    repo, relative = revisions.repository_of(package_dir)
    head = head or revisions.work_tree_commit(repo)
    changes = revisions.changed_files(repo, base, revisions.merged_tree(repo, base, head))
    with revisions.package_at(base, package_dir) as old_dir, revisions.package_at(base, package_dir) as new_dir:
        old = Package.read(old_dir)
        data_files = _data_files(old, relative)
        for change in changes:
            resource = data_files.get(change.path)
            if resource is None:
                reason = ("只有维护者可以修改数据文件以外的文件（代码、模板、工作流、数据包说明、政策文本等）",
                          "only maintainers change files other than the data files (code, templates, workflows, "
                          "the descriptor, policy texts…)")
            elif change.status == "D":
                reason = "数据文件不能删除", "a data file cannot be deleted"
            elif not change.regular_file:
                reason = "数据文件必须是普通文件，不能是符号链接或子模块", "a data file must be a plain file, not a link or a submodule"
            else:
                target = new_dir / old.resources[resource].path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(revisions.blob(repo, change.new_object))
                continue
            report.refusals.append(Refusal(change.path, None, "", "", (), *reason))
        _check_rows(old, Package.read(new_dir), {name: path for path, name in data_files.items()}, report)
    return report


def _check_rows(old: Package, new: Package, files: dict[str, str], report: ScopeReport) -> None:
    """Refuse every row the change from the old package to the new one touches outside what the author holds."""
    changes: PackageChanges = compare_packages(old, new)
    districts = _Districts(old)
    held = report.held
    zone_parents = {districts.parent[code] for code in held if districts.parent.get(code)}
    enterprises = {row.get("uscc") or "": row for row in _rows(old, "enterprises")}
    new_enterprises = {row.get("uscc") or "": row for row in _rows(new, "enterprises")}
    recommended_before, recommended_after = _recommenders(old), _recommenders(new)
    names = {uscc: row.get("name") or "" for uscc, row in {**enterprises, **new_enterprises}.items()}

    def enterprise_codes(uscc: str) -> set[str]:
        return {row.get("district_code") or "" for row in (enterprises.get(uscc), new_enterprises.get(uscc)) if row}

    def certifiable(uscc: str) -> bool:
        # A zone recommends enterprises of its parent district: their statutory district is the parent's.
        return all(districts.covered(code, held) or code in zone_parents for code in enterprise_codes(uscc))

    def editable(uscc: str) -> bool:
        # A zone's bureau edits an enterprise of its parent district that it recommended: as the base records it
        # for an enterprise the base has, as the change records it for one the change adds.
        recommended = recommended_before if uscc in enterprises else recommended_after
        zones = {code for code in recommended.get(uscc, ()) if districts.covered(code, held)}
        return all(districts.covered(code, held) or any(districts.parent.get(zone) == code for zone in zones)
                   for code in enterprise_codes(uscc))

    for table in changes.tables.values():
        if table.empty:
            continue
        file = files.get(table.resource, f"data/{table.resource}.csv")
        new_lines = _lines(new, table.resource, table.key_fields)
        old_lines = _lines(old, table.resource, table.key_fields)
        touched = [(row, "added") for row in table.added] + [(row, "removed") for row in table.removed]
        touched += [(new, "changed") for _, new, _ in table.changed]
        before = {table.key(new): old for old, new, _ in table.changed}
        for row, how in touched:
            key = table.key(row)
            line = old_lines.get(key) if how == "removed" else new_lines.get(key)
            uscc = row.get("uscc") or ""
            label = " / ".join(key)

            def refuse(codes, reason_zh: str, reason_en: str, name: str = "", file=file, line=line,
                       label=label) -> None:
                report.refusals.append(Refusal(file, line, label, name, tuple(sorted(codes)), reason_zh, reason_en))

            if table.resource == "announcements":
                if how != "added":
                    refuse((), "已有公告只能由维护者修改或删除", "only maintainers change or remove an existing announcement")
            elif table.resource == "certifications":
                codes = {row.get("recommended_by") or ""} | {(before.get(key) or {}).get("recommended_by") or ""}
                codes.discard("")
                if not all(districts.covered(code, held) for code in codes):
                    refuse(codes, "推荐单位不在你的管辖范围内", "recommended by a district you do not hold", names.get(uscc, ""))
                elif not certifiable(uscc):
                    refuse(enterprise_codes(uscc), "企业所在区不在你的管辖范围内，不能为其登记认定",
                           "the enterprise is in a district you do not hold, so you cannot certify it",
                           names.get(uscc, ""))
            elif table.resource in ("enterprises", "products"):
                if editable(uscc):
                    continue
                if certifiable(uscc) and uscc in enterprises:
                    refuse(enterprise_codes(uscc),
                           "功能区只能修改目标分支中已登记由本功能区推荐的企业：请待新增的认定合并后，再另提合并请求修改企业信息",
                           "a zone edits only the enterprises the base already records as recommended by it: change "
                           "the enterprise in another pull request once the certification is merged",
                           names.get(uscc, ""))
                elif certifiable(uscc):
                    refuse(enterprise_codes(uscc), "功能区新增企业时，须同时登记本功能区推荐的认定",
                           "a zone adds an enterprise only together with a certification it recommends",
                           names.get(uscc, ""))
                else:
                    refuse(enterprise_codes(uscc), "企业所在区不在你的管辖范围内",
                           "the enterprise is in a district you do not hold", names.get(uscc, ""))
            else:
                refuse((), "参考表只能由维护者修改", "reference tables are changed by maintainers only")


def _shown(text: str) -> str:
    """A path or cell as one line of the report: a line break or control character in a file name or a cell could
    otherwise print lines that look like the check's own."""
    return "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in text)


def format_report(report: ScopeReport) -> str:
    held = "、".join(sorted(report.held)) or "（无 none）"
    if report.maintainer:
        return (f"{report.login} 是维护者：改动不按区检查，由 CODEOWNERS 指定的维护者审核后合并 / {report.login} is a "
                "maintainer: the change is not judged by district; CODEOWNERS asks for a maintainer's review")
    if not report.refusals:
        return (f"所有改动都在 {report.login} 的管辖范围内（{held}）/ every change is within what "
                f"{report.login} holds ({held})")
    lines = [f"{report.login} 可修改的区 / districts held: {held}", ""]
    for refusal in report.refusals:
        file = _shown(refusal.file)
        where = f"{file} 第 {refusal.line} 行 (line {refusal.line})" if refusal.line else file
        subject = _shown(refusal.key) + (f"（{_shown(refusal.name)}）" if refusal.name else "")
        codes = f" [{', '.join(refusal.codes)}]" if refusal.codes else ""
        lines.append(f"{where}: {subject}{codes}" if subject or codes else where)
        lines.append(f"    {refusal.reason_zh} / {refusal.reason_en}")
    return "\n".join(lines)
