"""Import an official list (XLSX or CSV, as bureaus receive it) into the package as one announcement's rows.

Real attachments carry a title above the header, a 序号 column, notes below the table, names that mix （） and ()
with stray spaces, and national lists give only 序号 and 企业名称. Each row is matched to the register by its USCC,
or by the normalised name (search.normalise) where the list has none, and is reported as one of OUTCOMES.

Writing follows git's rule: the new tables are written to a temporary copy of the package, the copy is validated,
and only a copy without errors replaces the package's files. Any row that cannot be matched with certainty stops
the import (unless the caller accepts leaving those rows out), so a list is never half-imported by accident.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from stdnum.cn import uscc as uscc_code

from . import load
from .changes import PackageChanges, compare_packages
from .dates import add_years
from .errors import ImportRefused, ListError
from .problems import ERROR, Problem
from .search import normalise
from .validate import validate_package

# Headers as printed on official lists, by the column they mean; compared after `normalise` and without the
# marks some lists add (*, ：).
COLUMNS = {
    "seq": ("序号", "编号", "排序"),
    "name": ("企业名称", "单位名称", "公司名称", "企业全称", "企业名单", "申报企业名称", "名称"),
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码", "统一信用代码", "企业信用代码"),
    "district": ("所属区", "区域", "推荐单位", "所在区", "所属区域", "所属地区", "地区", "推荐区", "区", "所在区域",
                 "推荐部门"),
    "industry": ("行业", "所属行业", "行业代码", "行业类别", "所属行业代码", "国民经济行业分类"),
    "products": ("主导产品", "主要产品", "主营产品", "主导产品名称"),
}
_BRACKETED = re.compile(r"\(.*?\)")
HEADER_WORDS = {normalise(word): column for column, words in COLUMNS.items() for word in words}
COLUMN_ZH = {"seq": "序号", "name": "企业名称", "uscc": "统一社会信用代码", "district": "所属区/推荐单位",
             "industry": "行业", "products": "主导产品"}

MATCHED, NEW, ALREADY, AMBIGUOUS, UNMATCHED = "matched", "new", "already", "ambiguous", "unmatched"
OUTCOMES = (MATCHED, NEW, ALREADY, AMBIGUOUS, UNMATCHED)
OUTCOME_ZH = {MATCHED: "已匹配", NEW: "新企业", ALREADY: "已在册", AMBIGUOUS: "有歧义", UNMATCHED: "未匹配"}
STOPPING = (AMBIGUOUS, UNMATCHED)

# The only tables an import writes.
WRITTEN = ("enterprises", "certifications")
# Notices that end certifications instead of granting them, with the status and the default reason they write.
ENDING_KINDS = {"removal": ("removed", "no_longer_qualified"), "revocation": ("revoked", "false_declaration")}


# Reading a list ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListRow:
    line: int  # row of the sheet or line of the file, as the bureau's spreadsheet numbers it
    values: dict[str, str]  # by column key of COLUMNS

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class OfficialList:
    file: str
    encoding: str
    header_line: int
    columns: dict[str, str]  # column key -> header as printed
    ignored_columns: list[str]
    rows: list[ListRow]
    skipped_lines: list[int]  # title and note rows around the table


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 序号 1 as 1.0
    # Excel and Word leave non-breaking and full-width spaces at the ends of names.
    return str(value).replace("\u3000", " ").replace("\xa0", " ").strip()


def _header_key(text: str) -> str:
    # 企业名称（全称）, 统一社会\n信用代码, *所属区： are the headings they vary.
    return _BRACKETED.sub("", normalise(text)).strip("*:")


def _decode(data: bytes, file: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gbk"
    except UnicodeDecodeError as error:
        raise ListError(
            f"{file} is neither UTF-8 nor GBK (byte {error.start}): save it again as XLSX or as 'CSV UTF-8'",
            f"{file} 既不是 UTF-8 也不是 GBK 编码（第 {error.start} 字节）：请另存为 XLSX 或“CSV UTF-8”",
        ) from error


def _sheets(path: Path) -> tuple[list[list[list[str]]], str]:
    """The rows of every sheet of a workbook (a CSV file has one), as text."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except (InvalidFileException, OSError, KeyError, ValueError) as error:
            raise ListError(f"{path.name} cannot be read as an XLSX workbook: {error}",
                            f"{path.name} 无法作为 XLSX 工作簿读取：{error}") from error
        try:
            return [[[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
                    for sheet in workbook.worksheets], "xlsx"
        finally:
            workbook.close()
    if path.suffix.lower() == ".xls":
        raise ListError(f"{path.name} is an old Excel 97 file: open it in Excel or WPS and save it as .xlsx",
                        f"{path.name} 是旧版 Excel（.xls）文件：请用 Excel 或 WPS 另存为 .xlsx")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ListError(f"cannot read {path}: {error.strerror}", f"无法读取 {path}：{error.strerror}") from error
    text, encoding = _decode(data, path.name)
    return [[[_cell_text(cell) for cell in row] for row in csv.reader(io.StringIO(text))]], encoding


# Rows below a table that are not enterprises: totals and notes, sometimes typed into the name column.
NOTE_PREFIXES = ("合计", "总计", "小计", "共计", "注", "备注", "说明", "附注", "附件")


def _is_entry(values: dict[str, str]) -> bool:
    """Whether a row under the header names an enterprise (not a sub-heading such as 一、滨海新区, nor a note)."""
    if not (values.get("name") or values.get("uscc")):
        return False
    seq = values.get("seq", "").rstrip(".、")
    if seq and not seq.isdigit():
        return False
    return bool(values.get("uscc")) or not values["name"].startswith(NOTE_PREFIXES)


def _find_header(sheets: list[list[list[str]]]):
    """The sheet, index and column keys of the first header row; a workbook may open with a cover sheet."""
    for sheet in sheets:
        for index, cells in enumerate(sheet):
            keys = [HEADER_WORDS.get(_header_key(cell)) for cell in cells]
            if "name" in keys or "uscc" in keys:
                return sheet, index, keys
    return None


def read_list(path: Path) -> OfficialList:
    """The table of an official list: the header found below any title rows, the rows that name an enterprise."""
    path = Path(path)
    sheets, encoding = _sheets(path)
    found = _find_header(sheets)
    if found is None:
        raise ListError(
            f"{path.name}: no header row with 企业名称 or 统一社会信用代码 was found; the list needs one of these "
            "column headings",
            f"{path.name}：没有找到含“企业名称”或“统一社会信用代码”的表头行；请确认名单有这样的列标题",
        )
    sheet, header_index, keys = found
    header = sheet[header_index]
    positions, columns, ignored = {}, {}, []
    for position, (cell, key) in enumerate(zip(header, keys)):
        if key and key not in positions:
            positions[key], columns[key] = position, cell
        elif cell:
            ignored.append(cell)
    rows, skipped = [], list(range(1, header_index + 1))
    for line, cells in enumerate(sheet[header_index + 1:], start=header_index + 2):
        values = {key: cells[position] if position < len(cells) else "" for key, position in positions.items()}
        if _is_entry(values):
            rows.append(ListRow(line, values))
        elif any(cells):
            skipped.append(line)  # a note, a subtotal or a sub-heading such as 一、滨海新区
    return OfficialList(path.name, encoding, header_index + 1, columns, ignored, rows, skipped)


# Matching ----------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    row: ListRow
    outcome: str
    how: str  # for people: 按统一社会信用代码 / 按名称 / ...
    uscc: str = ""
    name: str = ""  # the register's name (or the list's, for a new enterprise)
    note: str = ""


@dataclass
class ImportResult:
    official_list: OfficialList
    announcement_id: str
    outcomes: list[Outcome]
    changes: PackageChanges | None = None
    problems: list[Problem] = field(default_factory=list)
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

    def __init__(self, package_dir: Path):
        self.package_dir = package_dir
        self.descriptor = load.read_descriptor(package_dir)
        self.resources = load.resource_descriptors(self.descriptor)
        for name in WRITTEN:
            path = load.resource_path(package_dir, self.resources[name])
            try:
                path.read_bytes().decode("utf-8")
            except UnicodeDecodeError as error:
                # Rewriting a file read with replacement characters would destroy the names in it.
                raise ListError(
                    f"{self.resources[name]['path']} is not UTF-8: fix it first (python build.py validate says how)",
                    f"{self.resources[name]['path']} 不是 UTF-8 编码：请先改正（python build.py validate 会说明改法）",
                ) from error
        self.tables = {name: list(load.read_raw_rows(load.resource_path(package_dir, self.resources[name])))
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
        self.industry_names = {normalise(row["name_zh"]): row["industry_code"] for row in self.tables["industries"]}

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


def _match_row(row: ListRow, lookups: _Lookups) -> Outcome:
    name, raw_uscc = row.get("name"), row.get("uscc")
    if raw_uscc:
        uscc = clean_uscc(raw_uscc)
        if uscc in lookups.enterprises:
            known = lookups.enterprises[uscc]["name"]
            note = "" if not name or normalise(name) == normalise(known) else f"名单上的名称为 {name}"
            return Outcome(row, MATCHED, "统一社会信用代码", uscc, known, note)
        same_name = lookups.by_name.get(normalise(name), []) if name else []
        if same_name:
            return Outcome(row, AMBIGUOUS, "名称", uscc, name,
                           f"名称与在册企业 {same_name[0]} 相同，但统一社会信用代码不同")
        if not uscc_code.is_valid(uscc):
            return Outcome(row, UNMATCHED, "统一社会信用代码", uscc, name, f"统一社会信用代码 {raw_uscc} 无效")
        return Outcome(row, NEW, "统一社会信用代码", uscc, name)
    candidates = lookups.by_name.get(normalise(name), [])
    if len(candidates) == 1:
        uscc = candidates[0]
        how = "名称" if lookups.enterprises[uscc]["name"] == name else "名称（规范化后）"
        return Outcome(row, MATCHED, how, uscc, lookups.enterprises[uscc]["name"])
    if candidates:
        return Outcome(row, AMBIGUOUS, "名称", "", name, "同名企业：" + "、".join(candidates))
    return Outcome(row, UNMATCHED, "名称", "", name, "名录中没有此名称，且名单未给出统一社会信用代码")


# Building the new tables ---------------------------------------------------------------------------------------


def _announcement(lookups: _Lookups, announcement_id: str) -> dict[str, str]:
    for row in lookups.tables["announcements"]:
        if row["announcement_id"] == announcement_id:
            return row
    raise ListError(
        f"announcement {announcement_id!r} is not in data/announcements.csv: add the announcement's row first "
        "(see CONTRIBUTING.md), then import its list",
        f"data/announcements.csv 中没有公告 {announcement_id!r}：请先添加该公告一行（见 CONTRIBUTING.md），再导入名单",
    )


def _tier(lookups: _Lookups, tier_id: str) -> dict[str, str]:
    for row in lookups.tables["tiers"]:
        if row["tier_id"] == tier_id:
            return row
    raise ListError(f"the announcement's tier {tier_id!r} is not in data/tiers.csv",
                    f"公告的层级 {tier_id!r} 不在 data/tiers.csv 中")


def _grant(outcomes: list[Outcome], lookups: _Lookups, announcement: dict, tier: dict) -> None:
    """Certification rows of a designation, publicity or review notice; new enterprises for rows that need them."""
    published = date.fromisoformat(announcement["published_on"])
    years = tier.get("validity_years") or ""
    valid_until = add_years(published, int(years)).isoformat() if years else ""
    certifications = lookups.tables["certifications"]
    existing = {(row["uscc"], row["tier_id"], row["announcement_id"]) for row in certifications}
    for item in outcomes:
        if item.outcome not in (MATCHED, NEW):
            continue
        listed_district = item.row.get("district")
        district = lookups.district(listed_district) if listed_district else None
        if listed_district and district is None:
            item.outcome, item.note = UNMATCHED, f"所属区/推荐单位“{listed_district}”不在 districts.csv 中"
            continue
        if item.outcome == NEW:
            industry = lookups.industry(item.row.get("industry")) if item.row.get("industry") else None
            if district is None or industry is None:
                missing = "、".join(word for word, value in (("所属区", district), ("行业", industry)) if value is None)
                item.outcome, item.note = UNMATCHED, f"新企业须有{missing}才能收录（名录中没有此统一社会信用代码）"
                continue
            statutory = lookups.districts[district]["parent_code"] or district  # a zone lies in a district
            enterprise = {"uscc": item.uscc, "name": item.name, "district_code": statutory,
                          "industry_code": industry, "main_products": item.row.get("products")}
            lookups.tables["enterprises"].append(enterprise)
            lookups.enterprises[item.uscc] = enterprise
        key = (item.uscc, announcement["tier_id"], announcement["announcement_id"])
        if key in existing:
            item.outcome, item.note = ALREADY, "本公告的认定记录已存在"
            continue
        existing.add(key)
        for row in certifications:
            # A review renews the term that ends on or before it: the old row ends as `expired`, reason renewed.
            if (row["uscc"] == item.uscc and row["tier_id"] == announcement["tier_id"] and row["status"] == "active"
                    and row["valid_until"] and row["valid_until"] <= announcement["published_on"]):
                row.update(status="expired", status_on=row["valid_until"], status_reason="renewed")
                item.note = f"原认定 {row['announcement_id']} 改为到期（已复核）"
        certifications.append({
            "uscc": item.uscc, "tier_id": announcement["tier_id"], "announcement_id": announcement["announcement_id"],
            "recommended_by": district or lookups.enterprises[item.uscc]["district_code"],
            "certified_on": announcement["published_on"], "valid_until": valid_until, "status": "active",
        })


def _end(outcomes: list[Outcome], lookups: _Lookups, announcement: dict, reason: str | None) -> None:
    """Status changes of a removal or revocation notice on the rows of its tier that are still active."""
    status, default_reason = ENDING_KINDS[announcement["kind"]]
    for item in outcomes:
        if item.outcome == NEW:
            item.outcome, item.note = UNMATCHED, "出库或撤销名单中的企业必须已在名录中"
        if item.outcome != MATCHED:
            continue
        rows = [row for row in lookups.tables["certifications"]
                if row["uscc"] == item.uscc and row["tier_id"] == announcement["tier_id"]]
        if any(row["status_announcement_id"] == announcement["announcement_id"] for row in rows):
            item.outcome, item.note = ALREADY, "本公告的状态变更已记录"
            continue
        active = [row for row in rows if row["status"] == "active" and row["certified_on"] <= announcement["published_on"]]
        if not active:
            item.outcome, item.note = UNMATCHED, f"该企业没有可{'出库' if status == 'removed' else '撤销'}的有效认定"
            continue
        for row in active:
            row.update(status=status, status_on=announcement["published_on"], status_reason=reason or default_reason,
                       status_announcement_id=announcement["announcement_id"])
        item.note = "、".join(row["announcement_id"] for row in active) + f" → {status}"


def _mark_duplicates(outcomes: list[Outcome]) -> None:
    seen: dict[str, Outcome] = {}
    for item in outcomes:
        if item.outcome in (MATCHED, NEW):
            if item.uscc in seen:
                item.outcome, item.note = AMBIGUOUS, f"与第 {seen[item.uscc].row.line} 行是同一企业"
            else:
                seen[item.uscc] = item


def _replace_files(package_dir: Path, scratch: Path, relatives: list[str]) -> None:
    """Swap the new files in only after every one of them is in place beside its target."""
    staged = []
    try:
        for relative in relatives:
            target = package_dir / relative
            handle, temporary = tempfile.mkstemp(prefix=".import-", dir=target.parent)
            os.close(handle)
            shutil.copyfile(scratch / relative, temporary)
            staged.append((temporary, target))
        for temporary, target in staged:
            os.replace(temporary, target)
    finally:
        for temporary, _ in staged:
            if os.path.exists(temporary):
                os.unlink(temporary)


def import_list(path: Path, announcement_id: str, package_dir: Path, *, as_of: date | None = None,
                dry_run: bool = False, allow_unmatched: bool = False, reason: str | None = None) -> ImportResult:
    """Match the list, add or change the announcement's rows, validate, and write (all or nothing).

    Raises ImportRefused (with the result) when a row is ambiguous or unmatched and `allow_unmatched` is not
    given, or when the package would not be valid; the package's files are then untouched.
    """
    package_dir = Path(package_dir)
    official_list = read_list(path)
    lookups = _Lookups(package_dir)
    announcement = _announcement(lookups, announcement_id)
    tier = _tier(lookups, announcement["tier_id"])
    outcomes = [_match_row(row, lookups) for row in official_list.rows]
    _mark_duplicates(outcomes)
    if announcement["kind"] in ENDING_KINDS:
        _end(outcomes, lookups, announcement, reason)
    else:
        _grant(outcomes, lookups, announcement, tier)
    result = ImportResult(official_list, announcement_id, outcomes)
    if result.stopping and not allow_unmatched:
        raise ImportRefused(result)
    with tempfile.TemporaryDirectory(prefix="zjtx-import-") as scratch:
        copy = Path(scratch) / "package"
        shutil.copytree(package_dir, copy, ignore=shutil.ignore_patterns(".git"))
        changed = []
        for name in WRITTEN:
            resource = lookups.resources[name]
            text = load.canonical_csv(resource, lookups.tables[name]).encode("utf-8")
            if load.resource_path(package_dir, resource).read_bytes() != text:
                load.resource_path(copy, resource).write_bytes(text)
                changed.append(resource["path"])
        result.changes = compare_packages(package_dir, copy, list(WRITTEN))
        result.problems = validate_package(copy, as_of) if changed else []
        if any(problem.severity == ERROR for problem in result.problems):
            raise ImportRefused(result)
        if changed and not dry_run:
            _replace_files(package_dir, copy, changed)
            result.written = True
    return result


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
    return "\n".join(lines)
