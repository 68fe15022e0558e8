"""Who may change which rows: a district bureau edits its own district's enterprises and certifications.

`.github/district-owners.yml` maps GitHub accounts and teams (`org/team`, with their members listed in the
file, since a pull request's checks have no token to ask GitHub) to the district and zone codes they hold.
A district holds its zones. Maintainers may change everything.

A change is in scope when every row it touches belongs, before and after the change, to a district the author
holds: an enterprise by its `district_code` (or, for a zone's bureau, by the zone that recommended it), a
certification by its `recommended_by`, a product by its enterprise. Anyone may add an announcement (a list
cannot be imported without it); changing or removing one, and every other table, the descriptor and the policy
texts are the maintainers' part. The owners file is read from the base of the change, so a pull request cannot
grant itself a district.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import load
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
    def __init__(self, *package_dirs: Path):
        self.parent: dict[str, str] = {}
        for package_dir in package_dirs:
            for row in _rows(package_dir, "districts"):
                self.parent[row["district_code"]] = row.get("parent_code") or ""

    def covered(self, code: str, held: set[str]) -> bool:
        return code in held or self.parent.get(code, "") in held


def _rows(package_dir: Path, resource_name: str) -> list[dict[str, str]]:
    resources = load.resource_descriptors(load.read_descriptor(package_dir))
    if resource_name not in resources:
        return []
    path = load.resource_path(package_dir, resources[resource_name])
    return list(load.read_raw_rows(path)) if path.is_file() else []


def _lines(package_dir: Path, resource_name: str, key_fields: list[str]) -> dict[tuple[str, ...], int]:
    return {tuple(row.get(name) or "" for name in key_fields): line
            for line, row in enumerate(_rows(package_dir, resource_name), start=2)}


def check_scope(old_dir: Path, new_dir: Path, owners: Owners, login: str) -> ScopeReport:
    """Every row the change from old_dir to new_dir touches outside what `login` holds."""
    report = ScopeReport(login, owners.is_maintainer(login), owners.held_by(login))
    if report.maintainer:
        return report
    changes: PackageChanges = compare_packages(old_dir, new_dir)
    districts = _Districts(old_dir, new_dir)
    held = report.held
    enterprises = {row["uscc"]: row for row in _rows(old_dir, "enterprises")}
    new_enterprises = {row["uscc"]: row for row in _rows(new_dir, "enterprises")}
    recommenders: dict[str, set[str]] = {}
    for package_dir in (old_dir, new_dir):
        for row in _rows(package_dir, "certifications"):
            recommenders.setdefault(row["uscc"], set()).add(row.get("recommended_by") or "")
    names = {uscc: row.get("name", "") for uscc, row in {**enterprises, **new_enterprises}.items()}

    def enterprise_codes(uscc: str) -> set[str]:
        return {row.get("district_code") or "" for row in (enterprises.get(uscc), new_enterprises.get(uscc)) if row}

    def enterprise_covered(uscc: str) -> bool:
        # A zone's bureau edits the enterprises it recommended, though their statutory district is the parent's.
        zones = {code for code in recommenders.get(uscc, ()) if districts.covered(code, held)}
        return all(districts.covered(code, held) or any(districts.parent.get(z) == code for z in zones)
                   for code in enterprise_codes(uscc))

    for table in changes.tables.values():
        if table.empty:
            continue
        file = f"data/{table.resource}.csv"
        new_lines = _lines(new_dir, table.resource, table.key_fields)
        old_lines = _lines(old_dir, table.resource, table.key_fields)
        touched = [(row, "added") for row in table.added] + [(row, "removed") for row in table.removed]
        touched += [(new, "changed") for _, new, _ in table.changed]
        before = {table.key(new): old for old, new, _ in table.changed}
        for row, how in touched:
            key = table.key(row)
            line = old_lines.get(key) if how == "removed" else new_lines.get(key)
            uscc = row.get("uscc") or ""
            label = " / ".join(key)
            if table.resource == "announcements":
                if how == "added":
                    continue
                report.refusals.append(Refusal(file, line, label, "", (), "已有公告只能由维护者修改或删除",
                                               "only maintainers change or remove an existing announcement"))
            elif table.resource == "certifications":
                codes = {row.get("recommended_by") or ""} | {(before.get(key) or {}).get("recommended_by") or ""}
                codes.discard("")
                if not all(districts.covered(code, held) for code in codes):
                    report.refusals.append(Refusal(file, line, label, names.get(uscc, ""), tuple(sorted(codes)),
                                                   "推荐单位不在你的管辖范围内", "recommended by a district you do not hold"))
            elif table.resource in ("enterprises", "products"):
                if not enterprise_covered(uscc):
                    report.refusals.append(Refusal(file, line, label, names.get(uscc, ""),
                                                   tuple(sorted(enterprise_codes(uscc))),
                                                   "企业所在区不在你的管辖范围内", "the enterprise is in a district you do not hold"))
            else:
                report.refusals.append(Refusal(file, line, label, "", (), "参考表只能由维护者修改",
                                               "reference tables are changed by maintainers only"))
    if load.read_descriptor(old_dir) != load.read_descriptor(new_dir):
        report.refusals.append(Refusal(load.DESCRIPTOR_NAME, None, "", "", (), "数据包说明文件只能由维护者修改",
                                       "only maintainers change the descriptor"))
    old_texts = {p.relative_to(old_dir): p.read_bytes() for p in (old_dir / "policies").rglob("*") if p.is_file()}
    new_texts = {p.relative_to(new_dir): p.read_bytes() for p in (new_dir / "policies").rglob("*") if p.is_file()}
    for relative in sorted(set(old_texts) | set(new_texts)):
        if old_texts.get(relative) != new_texts.get(relative):
            report.refusals.append(Refusal(relative.as_posix(), None, "", "", (), "政策文本只能由维护者修改",
                                           "only maintainers change policy texts"))
    return report


def format_report(report: ScopeReport) -> str:
    held = "、".join(sorted(report.held)) or "（无 none）"
    if report.maintainer:
        return f"{report.login} 是维护者，可修改全部数据 / {report.login} is a maintainer and may change everything"
    if not report.refusals:
        return (f"所有改动都在 {report.login} 的管辖范围内（{held}）/ every change is within what "
                f"{report.login} holds ({held})")
    lines = [f"{report.login} 可修改的区 / districts held: {held}", ""]
    for refusal in report.refusals:
        where = f"{refusal.file} 第 {refusal.line} 行 (line {refusal.line})" if refusal.line else refusal.file
        subject = refusal.key + (f"（{refusal.name}）" if refusal.name else "")
        codes = f" [{', '.join(refusal.codes)}]" if refusal.codes else ""
        lines.append(f"{where}: {subject}{codes}".rstrip())
        lines.append(f"    {refusal.reason_zh} / {refusal.reason_en}")
    return "\n".join(lines)
