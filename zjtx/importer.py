"""Import an official list (XLSX or CSV, as bureaus receive it) into the package as one announcement's rows.

listfile.py reads the list. Each row is matched to the register by its USCC, or by the normalised name
(search.normalise) where the list has none, and is reported as one of OUTCOMES; a row that stops the import says
what stopped it and how to fix it (the column the list lacks, the value to correct).

Writing follows git's rule: the new tables are written to a temporary copy of the package, the copy is validated,
and only a copy without errors replaces the package's files, all of them or none (transaction.py). Any row that
cannot be matched with certainty stops the import (unless the caller accepts leaving those rows out), so a list is
never half-imported by accident. When the copy has errors, they are told apart: the ones this import causes, and
the ones the package had before.
"""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from stdnum.cn import uscc as uscc_code

from . import library, load
from .changes import PackageChanges, compare_packages
from .dates import add_years
from .errors import ImportRefused, ListError
from .listfile import COLUMN_ZH, ListRow, OfficialList, read_list
from .problems import ERROR, Problem
from .search import normalise
from .package import Package, row_order
from .transaction import recover
from .validate import validate_package

MATCHED, NEW, ALREADY, AMBIGUOUS, UNMATCHED = "matched", "new", "already", "ambiguous", "unmatched"
OUTCOMES = (MATCHED, NEW, ALREADY, AMBIGUOUS, UNMATCHED)
OUTCOME_ZH = {MATCHED: "已匹配", NEW: "新企业", ALREADY: "已在册", AMBIGUOUS: "有歧义", UNMATCHED: "未匹配"}
STOPPING = (AMBIGUOUS, UNMATCHED)

# The only tables an import writes.
WRITTEN = ("enterprises", "certifications")
# Notices that end certifications instead of granting them, with the status and the default reason they write.
ENDING_KINDS = {"removal": ("removed", "no_longer_qualified"), "revocation": ("revoked", "false_declaration")}
# What a new enterprise needs from the list, with an example a bureau can copy.
NEW_ENTERPRISE_NEEDS = {
    "district": ("所属区", "district", "districts.csv", "西青区 或 120111", "西青区 or 120111"),
    "industry": ("行业", "industry", "industries.csv", "两位大类代码或名称，如 35 或 专用设备制造业",
                 "a two-digit division code or its name, e.g. 35 or 专用设备制造业"),
}


# Matching ----------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    row: ListRow
    outcome: str
    how: str  # for people: 按统一社会信用代码 / 按名称 / ...
    uscc: str = ""
    name: str = ""  # the register's name (or the list's, for a new enterprise)
    note: str = ""
    fix_zh: str = ""  # for a row that stops the import: what to change
    fix_en: str = ""

    def stop(self, outcome: str, note: str, fix_zh: str, fix_en: str) -> None:
        self.outcome, self.note, self.fix_zh, self.fix_en = outcome, note, fix_zh, fix_en


@dataclass(frozen=True)
class ListWarning:
    line: int
    message_zh: str
    message_en: str


@dataclass
class ImportResult:
    official_list: OfficialList
    announcement_id: str
    outcomes: list[Outcome]
    changes: PackageChanges | None = None
    problems: list[Problem] = field(default_factory=list)
    # When the copy has errors: the ones this import causes, and the ones the package had before it.
    caused: list[Problem] = field(default_factory=list)
    earlier: list[Problem] = field(default_factory=list)
    warnings: list[ListWarning] = field(default_factory=list)
    written: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.outcomes if item.outcome == outcome)

    @property
    def stopping(self) -> list[Outcome]:
        return [item for item in self.outcomes if item.outcome in STOPPING]


def clean_uscc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").upper()


class _Lookups:
    """The register's tables as the importer needs them, read as raw rows so they are rewritten unchanged."""

    def __init__(self, package: Package):
        self.package = package
        self.resources = package.resources
        for name in WRITTEN:
            try:
                package.path(name).read_bytes().decode("utf-8")
            except UnicodeDecodeError as error:
                # Rewriting a file read with replacement characters would destroy the names in it.
                raise ListError(
                    f"{self.resources[name].path} is not UTF-8: fix it first (python build.py validate says how)",
                    f"{self.resources[name].path} 不是 UTF-8 编码：请先改正（python build.py validate 会说明改法）",
                ) from error
        # Copies of the rows, which the import changes in place before the package's writer writes them.
        self.tables = {name: [dict(row) for row in package.raw_rows(name)]
                       for name in (*WRITTEN, "announcements", "tiers", "districts", "industries")}
        self.enterprises = {row["uscc"]: row for row in self.tables["enterprises"]}
        self.by_name: dict[str, list[str]] = {}
        for row in self.tables["enterprises"]:
            self.by_name.setdefault(normalise(row["name"]), []).append(row["uscc"])
        self.districts = {row["district_code"]: row for row in self.tables["districts"]}
        self.district_names = {}
        for row in self.tables["districts"]:
            self.district_names[normalise(row["name_zh"])] = row["district_code"]
        self.industries = {row["industry_code"]: row for row in self.tables["industries"]}
        self.touched: set[int] = set()  # id() of the rows this import adds or changes
        self.industry_names = {normalise(row["name_zh"]): row["industry_code"] for row in self.tables["industries"]}

    def certification(self, row: dict[str, str]):
        """A certification row, typed as the register types it, for the rules of zjtx.library."""
        return load.record("certifications", self.package.typed("certifications", row))

    def district(self, text: str) -> str | None:
        """A district or zone code from the list's column: the code itself or the name as printed."""
        if text in self.districts:
            return text
        key = normalise(text)
        if key in self.district_names:
            return self.district_names[key]
        # Lists print 和平 for 和平区 and 天津市滨海新区 for 滨海新区.
        key = key.removeprefix("天津市").removeprefix("天津")
        for name, code in self.district_names.items():
            if key and (name == key or name.removesuffix("区") == key):
                return code
        return None

    def industry(self, text: str) -> str | None:
        code = text.zfill(2) if text.isdigit() else text
        if code in self.industries:
            return code
        return self.industry_names.get(normalise(text))


def _match_row(row: ListRow, lookups: _Lookups, columns: dict[str, str]) -> Outcome:
    name, raw_uscc = row.get("name"), row.get("uscc")
    if raw_uscc:
        uscc = clean_uscc(raw_uscc)
        if uscc in lookups.enterprises:
            known = lookups.enterprises[uscc]["name"]
            note = "" if not name or normalise(name) == normalise(known) else f"名单上的名称为 {name}"
            return Outcome(row, MATCHED, "统一社会信用代码", uscc, known, note)
        item = Outcome(row, NEW, "统一社会信用代码", uscc, name)
        same_name = lookups.by_name.get(normalise(name), []) if name else []
        if same_name:
            item.stop(AMBIGUOUS, f"名称与在册企业 {same_name[0]} 相同，但统一社会信用代码不同",
                      f"核对这一行的统一社会信用代码：名录中同名企业的代码是 {same_name[0]}；若名单无误，先更正 "
                      "enterprises.csv 中该企业的代码",
                      f"check the row's USCC: the register's enterprise of that name has {same_name[0]}; if the list "
                      "is right, correct the code in enterprises.csv first")
        elif not uscc_code.is_valid(uscc):
            item.stop(UNMATCHED, f"统一社会信用代码 {raw_uscc} 无效",
                      "对照营业执照改正这一行的统一社会信用代码（校验位不符）",
                      "correct the row's USCC from the business licence (its check character is wrong)")
        return item
    candidates = lookups.by_name.get(normalise(name), [])
    if len(candidates) == 1:
        uscc = candidates[0]
        how = "名称" if lookups.enterprises[uscc]["name"] == name else "名称（规范化后）"
        return Outcome(row, MATCHED, how, uscc, lookups.enterprises[uscc]["name"])
    item = Outcome(row, UNMATCHED, "名称", "", name)
    if candidates:
        item.stop(AMBIGUOUS, "同名企业：" + "、".join(candidates),
                  "在名单中给这一行填写统一社会信用代码，以区分同名企业 " + "、".join(candidates),
                  "give the row its USCC in the list, to tell apart the enterprises " + ", ".join(candidates))
    elif "uscc" in columns:
        item.stop(UNMATCHED, "名录中没有此名称，这一行也没有统一社会信用代码",
                  "对照名录改正名称；若是新企业，填写这一行的统一社会信用代码（新企业还须有所属区和行业）",
                  "correct the name to the register's; for a new enterprise, fill in the row's USCC (a new "
                  "enterprise also needs its district and industry)")
    else:
        item.stop(UNMATCHED, "名录中没有此名称，且名单没有统一社会信用代码列",
                  "对照名录改正名称；若是新企业，在名单中加“统一社会信用代码”列（新企业还须有“所属区”和“行业”列）",
                  "correct the name to the register's; for a new enterprise, add a 统一社会信用代码 (USCC) column to "
                  "the list (a new enterprise also needs 所属区 and 行业 columns)")
    return item


# Building the new tables ---------------------------------------------------------------------------------------


def _announcement(lookups: _Lookups, announcement_id: str) -> dict[str, str]:
    for line, row in enumerate(lookups.tables["announcements"], start=2):
        if row["announcement_id"] == announcement_id:
            try:
                date.fromisoformat(row["published_on"])
            except (TypeError, ValueError):
                file = lookups.resources["announcements"].path
                raise ListError(
                    f"{file} line {line}: published_on {row['published_on']!r} of announcement {announcement_id} is "
                    "not a date (YYYY-MM-DD): correct it, then import the list (python build.py validate lists "
                    "every problem)",
                    f"{file} 第 {line} 行：公告 {announcement_id} 的 published_on“{row['published_on']}”不是有效日期"
                    "（YYYY-MM-DD）：请改正后再导入（python build.py validate 会列出所有问题）",
                ) from None
            return row
    raise ListError(
        f"announcement {announcement_id!r} is not in data/announcements.csv: add the announcement's row first "
        "(see CONTRIBUTING.md), then import its list",
        f"data/announcements.csv 中没有公告 {announcement_id!r}：请先添加该公告一行（见 CONTRIBUTING.md），再导入名单",
    )


def _tier(lookups: _Lookups, tier_id: str) -> dict[str, str]:
    for row in lookups.tables["tiers"]:
        if row["tier_id"] == tier_id:
            if not (row.get("validity_years") or "0").isdigit():
                raise ListError(f"data/tiers.csv: validity_years {row['validity_years']!r} of tier {tier_id} is not "
                                "a whole number: run python build.py validate and fix it first",
                                f"data/tiers.csv：层级 {tier_id} 的 validity_years“{row['validity_years']}”不是整数："
                                "请先运行 python build.py validate 并改正")
            return row
    raise ListError(f"the announcement's tier {tier_id!r} is not in data/tiers.csv",
                    f"公告的层级 {tier_id!r} 不在 data/tiers.csv 中")


def _needs(item: Outcome, key: str, code: str | None, columns: dict[str, str]) -> tuple[str, str, str] | None:
    """Why a new enterprise's district or industry is missing, and the fix, or None if it is there."""
    if code is not None:
        return None
    word, word_en, table, example_zh, example_en = NEW_ENTERPRISE_NEEDS[key]
    printed = item.row.get(key)
    if key not in columns:
        return (f"名单没有“{word}”列", f"在名单中加“{word}”列并逐行填写（{example_zh}）",
                f"add a {word} ({word_en}) column to the list and fill it in ({example_en})")
    if not printed:
        return (f"这一行的“{word}”是空的", f"填写这一行的{word}（{example_zh}）",
                f"fill in the row's {word} ({word_en}; {example_en})")
    return (f"{word}“{printed}”不在 {table} 中", f"把这一行的{word}改为 {table} 中的名称或代码（{example_zh}）",
            f"change the row's {word} ({word_en}) {printed!r} to a name or code of {table} ({example_en})")


def _grant(outcomes: list[Outcome], lookups: _Lookups, announcement: dict, tier: dict,
           columns: dict[str, str]) -> list[ListWarning]:
    """Certification rows of a designation, publicity or review notice; new enterprises for rows that need them.
    Returns a warning for each row of a review that names an enterprise which never held the tier."""
    published = date.fromisoformat(announcement["published_on"])
    years = tier.get("validity_years") or ""
    valid_until = add_years(published, int(years)).isoformat() if years else ""
    certifications = lookups.tables["certifications"]
    existing = {(row["uscc"], row["tier_id"], row["announcement_id"]) for row in certifications}
    held_before = {row["uscc"] for row in certifications if row["tier_id"] == announcement["tier_id"]}
    warnings = []
    for item in outcomes:
        if item.outcome not in (MATCHED, NEW):
            continue
        listed_district = item.row.get("district")
        district = lookups.district(listed_district) if listed_district else None
        if listed_district and district is None:
            item.stop(UNMATCHED, f"所属区/推荐单位“{listed_district}”不在 districts.csv 中",
                      "把这一行的所属区改为 districts.csv 中的名称或代码（如 西青区 或 120111）",
                      f"change the row's district {listed_district!r} to a name or code of districts.csv "
                      "(e.g. 西青区 or 120111)")
            continue
        if item.outcome == NEW:
            industry = lookups.industry(item.row.get("industry")) if item.row.get("industry") else None
            needs = [need for need in (_needs(item, "district", district, columns),
                                       _needs(item, "industry", industry, columns)) if need]
            if needs:
                item.stop(UNMATCHED, "新企业（名录中没有此统一社会信用代码）：" + "；".join(need[0] for need in needs),
                          "；".join(need[1] for need in needs), "; ".join(need[2] for need in needs))
                continue
            statutory = lookups.districts[district]["parent_code"] or district  # a zone lies in a district
            enterprise = {"uscc": item.uscc, "name": item.name, "district_code": statutory,
                          "industry_code": industry, "main_products": item.row.get("products")}
            lookups.tables["enterprises"].append(enterprise)
            lookups.enterprises[item.uscc] = enterprise
            lookups.touched.add(id(enterprise))
        key = (item.uscc, announcement["tier_id"], announcement["announcement_id"])
        if key in existing:
            item.outcome, item.note = ALREADY, "本公告的认定记录已存在"
            continue
        existing.add(key)
        if announcement["kind"] == "review" and item.uscc not in held_before:
            tier_name = tier.get("name_zh") or announcement["tier_id"]
            item.note = f"此前没有{tier_name}认定"
            warnings.append(ListWarning(
                item.row.line,
                f"第 {item.row.line} 行 {item.name}（{item.uscc}）：复核名单中的企业此前没有{tier_name}认定，已按本公告"
                "新增认定；请核对原文（是否应为认定名单，或名录缺少其原认定记录）",
                f"line {item.row.line}: {item.name} ({item.uscc}) is on a review list but never held {tier_name} "
                "before; imported as a certification by this announcement: check the published list (a designation "
                "list, or an earlier certification missing from the register?)"))
        for row in certifications:
            # A review renews the term that ends on or before it: the old row ends as `expired`, reason renewed.
            if (row["uscc"] == item.uscc and row["tier_id"] == announcement["tier_id"] and row["status"] == "active"
                    and library.term_over_by(lookups.certification(row), published)):
                row.update(status="expired", status_on=row["valid_until"], status_reason="renewed")
                lookups.touched.add(id(row))
                item.note = f"原认定 {row['announcement_id']} 改为到期（已复核）"
        certification = {
            "uscc": item.uscc, "tier_id": announcement["tier_id"], "announcement_id": announcement["announcement_id"],
            "recommended_by": district or lookups.enterprises[item.uscc]["district_code"],
            "certified_on": announcement["published_on"], "valid_until": valid_until, "status": "active",
        }
        certifications.append(certification)
        lookups.touched.add(id(certification))
    return warnings


def _end(outcomes: list[Outcome], lookups: _Lookups, announcement: dict, reason: str | None) -> None:
    """Status changes of a removal or revocation notice on the rows of its tier that are still active."""
    status, default_reason = ENDING_KINDS[announcement["kind"]]
    verb_zh, verb_en = ("出库", "remove") if status == "removed" else ("撤销", "revoke")
    for item in outcomes:
        if item.outcome == NEW:
            item.stop(UNMATCHED, "出库或撤销名单中的企业必须已在名录中",
                      "核对这一行的统一社会信用代码：名录中没有这家企业",
                      "check the row's USCC: the register has no such enterprise")
        if item.outcome != MATCHED:
            continue
        rows = [row for row in lookups.tables["certifications"]
                if row["uscc"] == item.uscc and row["tier_id"] == announcement["tier_id"]]
        if any(row["status_announcement_id"] == announcement["announcement_id"] for row in rows):
            item.outcome, item.note = ALREADY, "本公告的状态变更已记录"
            continue
        # What the notice ends: the rows of its tier the enterprise holds on the notice's day (zjtx.library).
        day = date.fromisoformat(announcement["published_on"])
        active = [row for row in rows if row["status"] == "active" and library.held_on(lookups.certification(row), day)]
        if not active:
            item.stop(UNMATCHED, f"该企业没有可{verb_zh}的有效认定",
                      "核对原文：该企业没有本层级的有效认定；若它已出库或被撤销，从名单中删去这一行（并核对公告的 "
                      "expected_count）",
                      f"check the published list: the enterprise holds no active certification of this tier to "
                      f"{verb_en}; if it was already removed or revoked, delete the row (and check expected_count)")
            continue
        for row in active:
            row.update(status=status, status_on=announcement["published_on"], status_reason=reason or default_reason,
                       status_announcement_id=announcement["announcement_id"])
            lookups.touched.add(id(row))
        item.note = "、".join(row["announcement_id"] for row in active) + f" → {status}"


def _mark_duplicates(outcomes: list[Outcome]) -> None:
    seen: dict[str, Outcome] = {}
    for item in outcomes:
        if item.outcome in (MATCHED, NEW):
            if item.uscc in seen:
                first = seen[item.uscc].row.line
                item.stop(AMBIGUOUS, f"与第 {first} 行是同一企业", f"删去重复的一行（与第 {first} 行是同一企业）",
                          f"delete the duplicate row (the same enterprise as line {first})")
            else:
                seen[item.uscc] = item


# Telling the errors apart --------------------------------------------------------------------------------------


def _touched_lines(lookups: _Lookups, name: str) -> set[int]:
    """Lines of the rewritten file that hold a row this import added or changed (the file is sorted as written)."""
    ordered = sorted(lookups.tables[name], key=row_order(lookups.resources[name]))
    return {line for line, row in enumerate(ordered, start=2) if id(row) in lookups.touched}


def _signature(problem: Problem) -> tuple:
    # Lines move when rows are added, so a problem is the same one if it is about the same value in the same way.
    return (problem.file, problem.code, problem.field, problem.value)


def _split_errors(result: ImportResult, lookups: _Lookups, package_dir: Path, as_of: date | None) -> None:
    """Sort the copy's errors into those this import causes and those the package had before it."""
    lines = {lookups.resources[name].path: _touched_lines(lookups, name) for name in WRITTEN}
    announcements = lookups.resources["announcements"].path
    announcement_line = next(line for line, row in enumerate(lookups.tables["announcements"], start=2)
                             if row["announcement_id"] == result.announcement_id)
    before = {_signature(p) for p in validate_package(package_dir, as_of) if p.severity == ERROR}
    for problem in (p for p in result.problems if p.severity == ERROR):
        ours = (problem.row in lines.get(problem.file, ())
                or (problem.file == announcements and problem.row == announcement_line)
                or _signature(problem) not in before)
        (result.caused if ours else result.earlier).append(problem)


# Importing ---------------------------------------------------------------------------------------------------


def import_list(path: Path, announcement_id: str, package_dir: Path, *, as_of: date | None = None,
                dry_run: bool = False, allow_unmatched: bool = False, reason: str | None = None) -> ImportResult:
    """Match the list, add or change the announcement's rows, validate, and write (all or nothing).

    Raises ImportRefused (with the result) when a row is ambiguous or unmatched and `allow_unmatched` is not
    given, or when the package would not be valid; the package's files are then untouched.
    """
    package_dir = Path(package_dir)
    official_list = read_list(path)
    recover(package_dir)  # a write killed midway is finished (or undone) before the tables are read
    package = Package.read(package_dir)
    lookups = _Lookups(package)
    announcement = _announcement(lookups, announcement_id)
    tier = _tier(lookups, announcement["tier_id"])
    outcomes = [_match_row(row, lookups, official_list.columns) for row in official_list.rows]
    _mark_duplicates(outcomes)
    result = ImportResult(official_list, announcement_id, outcomes)
    if announcement["kind"] in ENDING_KINDS:
        _end(outcomes, lookups, announcement, reason)
    else:
        result.warnings = _grant(outcomes, lookups, announcement, tier, official_list.columns)
    if result.stopping and not allow_unmatched:
        raise ImportRefused(result, *refusal_messages(result))
    tables = {name: lookups.tables[name] for name in WRITTEN}
    with tempfile.TemporaryDirectory(prefix="zjtx-import-") as scratch:
        # The new tables are written into a copy first: only a copy that validates is written to the package.
        copy = Path(scratch) / "package"
        shutil.copytree(package.root, copy, ignore=shutil.ignore_patterns(".git"))
        changed = Package.read(copy).write(tables)
        result.changes = compare_packages(package, copy, list(WRITTEN))
        result.problems = validate_package(copy, as_of) if changed else []
    if any(problem.severity == ERROR for problem in result.problems):
        _split_errors(result, lookups, package.root, as_of)
        raise ImportRefused(result, *refusal_messages(result))
    if changed and not dry_run:
        package.write(tables)
        result.written = True
    return result


# Refusals ---------------------------------------------------------------------------------------------------


def _lines_text(lines: list[int]) -> tuple[str, str]:
    shown = lines[:20]
    more_zh = f"等 {len(lines)} 行" if len(lines) > len(shown) else ""
    more_en = f" and {len(lines) - len(shown)} more" if len(lines) > len(shown) else ""
    return "、".join(map(str, shown)) + more_zh, ", ".join(map(str, shown)) + more_en


def refusal_messages(result: ImportResult) -> tuple[str, str]:
    """The closing advice, in English and Chinese: per stopped row what stopped it, or which errors are this list's."""
    stopping = result.stopping
    if result.caused or result.earlier:
        caused, earlier = len(result.caused), len(result.earlier)
        zh = [f"导入后数据包将有 {caused + earlier} 处错误，未写入任何文件：{caused} 处由本次导入造成"
              + (f"，{earlier} 处导入前已存在（与本名单无关，也须改正：python build.py validate 会列出）" if earlier else "")
              + "。"]
        en = [f"the package would have {caused + earlier} error(s) after the import, so nothing was written: {caused} "
              "caused by this import" + (f", {earlier} there before it (unrelated to this list, but they must be "
                                         "fixed too: python build.py validate lists them)" if earlier else "") + "."]
        if stopping and any(p.code == "expected-count" for p in result.caused):
            zh.append(f"名单中有 {len(stopping)} 行未导入（--allow-unmatched），公告的 expected_count 因此不符："
                      "先按下列改法处理这些行，再导入整份名单。")
            en.append(f"{len(stopping)} row(s) of the list were left out (--allow-unmatched), so the announcement's "
                      "expected_count is not met: fix those rows as below, then import the whole list.")
    else:
        zh = [f"名单中有 {len(stopping)} 行未能导入，未写入任何文件。逐行改法："]
        en = [f"{len(stopping)} row(s) of the list cannot be imported, so nothing was written. What to fix:"]
    groups: dict[tuple[str, str], list[int]] = {}
    for item in stopping:
        groups.setdefault((item.fix_zh, item.fix_en), []).append(item.row.line)
    for (fix_zh, fix_en), lines in groups.items():
        lines_zh, lines_en = _lines_text(lines)
        zh.append(f"  第 {lines_zh} 行：{fix_zh}")
        en.append(f"  line {lines_en}: {fix_en}")
    if stopping and not (result.caused or result.earlier):
        zh.append("改正名单后再运行一次；或加 --allow-unmatched 只导入其余各行。")
        en.append("Correct the list and run the command again, or pass --allow-unmatched to import the other rows.")
    return "\n".join(en), "\n".join(zh)


# Reporting ---------------------------------------------------------------------------------------------------


def format_outcomes(result: ImportResult) -> str:
    """The table a bureau checks against the printed list: each row, what it matched and how."""
    official_list = result.official_list
    lines = [f"{official_list.file}（{official_list.encoding}）：表头在第 {official_list.header_line} 行，"
             f"{len(official_list.rows)} 家企业 / header on line {official_list.header_line}, "
             f"{len(official_list.rows)} enterprise row(s)"]
    recognised = "、".join(f"{COLUMN_ZH[key]}={header}" for key, header in official_list.columns.items())
    lines.append(f"识别的列 / columns used: {recognised}")
    if official_list.ignored_columns:
        lines.append("已忽略的列 / columns ignored: " + "、".join(official_list.ignored_columns))
    if official_list.skipped_lines:
        lines.append("跳过的标题或附注行 / title and note lines skipped: "
                     + ", ".join(str(line) for line in official_list.skipped_lines))
    lines.extend(official_list.notes)
    lines.append("")
    lines.append("行 line | 序号 | 名单上的名称 name on the list | 统一社会信用代码 USCC | 结果 outcome | 方式 how | 说明 note")
    for item in result.outcomes:
        row = item.row
        lines.append(" | ".join([
            str(row.line), row.get("seq") or "-", row.get("name") or "-", item.uscc or "-",
            f"{OUTCOME_ZH[item.outcome]} {item.outcome}", item.how, item.note or "-",
        ]))
    lines.append("")
    totals = "，".join(f"{OUTCOME_ZH[name]} {result.count(name)}" for name in OUTCOMES if result.count(name))
    lines.append(f"合计 / total: {totals}")
    for warning in result.warnings:
        lines.append(f"警告：{warning.message_zh}\nwarning: {warning.message_en}")
    return "\n".join(lines)
