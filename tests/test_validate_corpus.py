"""A corpus of defective packages: each breaks one rule or encoding, and the report must name file, line and field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Callable

import pytest
from click.testing import CliRunner

from packages import AS_OF, add_row, edit_bytes, edit_descriptor, make_good_package, read_table, set_cell, write_table
from zjtx.problems import ERROR
from zjtx.validate import validate_package

import build

E1, E2, E3 = "911201163000000101", "91120111300000010Q", "911201013000000109"
# Lines of the good fixture's rows (header = line 1).
ENT_E3, ENT_E2, ENT_E1 = 2, 3, 4
CERT_E3_SME, CERT_E2_SEED, CERT_E2_SME, CERT_E1_LG, CERT_E1_SEED, CERT_E1_SME_OLD, CERT_E1_SME = range(2, 9)
ANN_LG, ANN_SEED, ANN_SEED_REMOVAL, ANN_SME, ANN_SME_REVIEW, ANN_SME_REVOCATION = range(2, 8)
RESIDENT_ID = "120101198001011234"  # made up, with a valid check digit


@dataclass
class Defect:
    name: str
    breaks: Callable
    file: str
    line: int | None
    field: str | None
    codes: tuple[str, ...]
    severity: str = ERROR


def cell(resource, line, field, value):
    return lambda p: set_cell(p, resource, line, field, value)


def row(resource, **values):
    return lambda p: add_row(p, resource, values)


def both(*changes):
    def change(p):
        for one in changes:
            one(p)
    return change


def rename_header(resource, old, new):
    def change(p):
        edit_bytes(p, resource, lambda data: data.replace(old.encode(), new.encode(), 1))
    return change


def drop_field(resource, field):
    def change(d):
        for r in d["resources"]:
            if r["name"] == resource:
                r["schema"]["fields"] = [f for f in r["schema"]["fields"] if f["name"] != field]
    return lambda p: edit_descriptor(p, change)


def columns(resource, keep):
    """Rewrite a table keeping the columns `keep(header)` returns, in that order (names or new labels)."""
    def change(p):
        rows = read_table(p, resource)
        chosen = keep(rows[0])
        write_table(p, resource, [[row[rows[0].index(c)] if c in rows[0] else (c if n == 0 else "x")
                                   for c in chosen] for n, row in enumerate(rows)])
    return change


def descriptor(change_resource, resource):
    def change(d):
        for r in d["resources"]:
            if r["name"] == resource:
                change_resource(r)
    return lambda p: edit_descriptor(p, change)


def field_of(r, name):
    return next(f for f in r["schema"]["fields"] if f["name"] == name)


ENT, CERT, ANN = "data/enterprises.csv", "data/certifications.csv", "data/announcements.csv"
DIST = "data/districts.csv"
NEW_SEED_ANN = dict(announcement_id="seed-2023", tier_id="seed", kind="designation", title="2023 种子企业",
                    issuer="天津市工业和信息化局", published_on="2023-01-05")

DEFECTS = [
    # Encodings and file shape
    Defect("bom", lambda p: edit_bytes(p, "enterprises", lambda d: b"\xef\xbb\xbf" + d), ENT, 1, None, ("byte-order-mark",)),
    Defect("gbk", lambda p: edit_bytes(p, "enterprises", lambda d: d.decode("utf-8").encode("gbk")), ENT, 2, None, ("not-utf8",)),
    Defect("crlf", lambda p: edit_bytes(p, "certifications", lambda d: d.replace(b"\n", b"\r\n")), CERT, 1, None, ("crlf",)),
    Defect("extra-cell", lambda p: edit_bytes(p, "enterprises", lambda d: d.replace("专注精密减速器十余年。".encode(), "专注精密减速器,十余年。".encode())),
           ENT, ENT_E1, "", ("extra-cell",)),
    Defect("missing-cell", lambda p: edit_bytes(p, "products", lambda d: d.replace("通用设备,\n".encode(), "通用设备\n".encode())),
           "data/products.csv", 4, "description", ("missing-cell",)),
    Defect("missing-file", lambda p: (p / "data" / "products.csv").unlink(), "data/products.csv", None, None, ("missing-file",)),
    Defect("renamed-header", rename_header("enterprises", "name", "company_name"), ENT, 1, "name",
           ("renamed-column",)),
    Defect("contract-field-dropped", drop_field("enterprises", "website"), "datapackage.json", None, "enterprises.website",
           ("contract",)),
    Defect("empty-file", lambda p: (p / "data" / "enterprises.csv").write_bytes(b""), ENT, 1, None, ("empty-file",)),
    Defect("header-only", lambda p: edit_bytes(p, "enterprises", lambda d: d.split(b"\n")[0] + b"\n"), ENT, 1, None,
           ("header-only",)),
    Defect("stray-quote", lambda p: edit_bytes(p, "enterprises", lambda d: d.replace("天津乙".encode(), '"天津乙'.encode())),
           ENT, ENT_E2, None, ("unparsable-quoting",)),
    Defect("quote-glued-to-text", lambda p: edit_bytes(p, "enterprises", lambda d: d.replace("天津乙新材料".encode(), '"天津乙"新材料'.encode())),
           ENT, ENT_E2, None, ("unparsable-quoting",)),
    Defect("nul-byte", lambda p: edit_bytes(p, "products", lambda d: d.replace("谐波".encode(), "谐\x00波".encode())),
           "data/products.csv", 4, None, ("nul-character",)),
    Defect("missing-column", columns("enterprises", lambda h: [c for c in h if c != "website"]), ENT, 1, "website",
           ("missing-column",)),
    Defect("unknown-column", columns("enterprises", lambda h: h + ["备注"]), ENT, 1, "备注", ("unknown-column",)),
    Defect("column-order", columns("enterprises", lambda h: list(reversed(h))), ENT, 1, None, ("column-order",)),
    Defect("unsorted-rows", lambda p: edit_bytes(p, "enterprises", lambda d: b"\n".join(
        [d.split(b"\n")[0]] + list(reversed(d.rstrip(b"\n").split(b"\n")[1:]))) + b"\n"), ENT, 3, None, ("not-sorted",),
        severity="warning"),
    # The descriptor keeps every key and constraint of the contract
    Defect("foreign-key-removed", descriptor(lambda r: r["schema"].update(foreignKeys=[
        k for k in r["schema"]["foreignKeys"] if k["fields"] != ["status_announcement_id"]]), "certifications"),
        "datapackage.json", None, "certifications.status_announcement_id", ("contract",)),
    Defect("all-foreign-keys-removed", descriptor(lambda r: r["schema"].pop("foreignKeys"), "enterprises"),
           "datapackage.json", None, "enterprises.district_code", ("contract",)),
    Defect("primary-key-changed", descriptor(lambda r: r["schema"].update(primaryKey=["uscc"]), "certifications"),
           "datapackage.json", None, "certifications.primaryKey", ("contract",)),
    Defect("date-declared-as-string", descriptor(lambda r: field_of(r, "certified_on").update(type="string"), "certifications"),
           "datapackage.json", None, "certifications.certified_on", ("contract",)),
    Defect("required-dropped", descriptor(lambda r: field_of(r, "certified_on").pop("constraints"), "certifications"),
           "datapackage.json", None, "certifications.certified_on", ("contract",)),
    Defect("enum-widened", descriptor(lambda r: field_of(r, "status")["constraints"]["enum"].append("suspended"), "certifications"),
           "datapackage.json", None, "certifications.status", ("contract",)),
    Defect("pattern-dropped", descriptor(lambda r: field_of(r, "uscc")["constraints"].pop("pattern"), "enterprises"),
           "datapackage.json", None, "enterprises.uscc", ("contract",)),
    Defect("resource-dropped", lambda p: edit_descriptor(p, lambda d: d.update(resources=[
        r for r in d["resources"] if r["name"] != "industry_sections"])), "datapackage.json", None, "industry_sections", ("contract",)),
    # A descriptor every later step could trip over
    Defect("path-outside-package", descriptor(lambda r: r.update(path="../../../etc/passwd"), "products"),
           "datapackage.json", None, "products.path", ("contract",)),
    Defect("path-list", descriptor(lambda r: r.update(path=["data/products.csv"]), "products"),
           "datapackage.json", None, "products.path", ("contract",)),
    Defect("schema-elsewhere", descriptor(lambda r: r.update(schema="schema.json"), "products"),
           "datapackage.json", None, "products.schema", ("contract",)),
    Defect("primary-key-string", descriptor(lambda r: r["schema"].update(primaryKey="uscc"), "products"),
           "datapackage.json", None, "products.schema.primaryKey", ("contract",)),
    Defect("descriptor-not-object", lambda p: (p / "datapackage.json").write_text("[]", encoding="utf-8"),
           "datapackage.json", None, "(root)", ("contract",)),
    Defect("unknown-field-type", descriptor(lambda r: field_of(r, "name").update(type="strnig"), "enterprises"),
           "datapackage.json", None, None, ("field-error", "schema-error", "resource-error", "package-error")),
    # Nothing outside the package (tests/test_validate_boundary.py proves nothing is fetched)
    Defect("remote-dialect", descriptor(lambda r: r.update(dialect="http://127.0.0.1:9/dialect.json"), "products"),
           "datapackage.json", None, "products.dialect", ("remote-reference",)),
    Defect("remote-profile", lambda p: edit_descriptor(p, lambda d: d.update(profile="http://127.0.0.1:9/p.json")),
           "datapackage.json", None, "profile", ("remote-reference",)),
    Defect("path-url", descriptor(lambda r: r.update(path="http://127.0.0.1:9/products.csv"), "products"),
           "datapackage.json", None, "products.path", ("remote-reference",)),
    Defect("javascript-licence", lambda p: edit_descriptor(p, lambda d: d["licenses"][0].update(path="javascript:alert(1)")),
           "datapackage.json", None, "licenses[1].path", ("link-scheme",)),
    Defect("policy-link-out", lambda p: (p / "policies" / "leak.md").symlink_to("/proc/self/cmdline"),
           "policies/leak.md", None, None, ("outside-package",)),
    Defect("max-length-dropped", descriptor(lambda r: field_of(r, "name")["constraints"].pop("maxLength"), "enterprises"),
           "datapackage.json", None, "enterprises.name", ("contract",)),
    # Lengths
    Defect("name-too-long", cell("enterprises", ENT_E1, "name", "天" * 101), ENT, ENT_E1, "name", ("too-long",)),
    Defect("id-too-long", cell("announcements", ANN_SME, "announcement_id", "a" * 65), ANN, ANN_SME, "announcement_id",
           ("too-long",)),
    Defect("cell-too-long-for-xlsx", cell("products", 3, "description", "长" * 40_000), "data/products.csv", 3,
           "description", ("too-long",)),
    # Types and constraints
    Defect("unpadded-date", cell("certifications", CERT_E1_LG, "certified_on", "2022-8-1"), CERT, CERT_E1_LG, "certified_on",
           ("date-spelling",)),
    Defect("unpadded-published-on", cell("announcements", ANN_SME, "published_on", "2021-7-20"), ANN, ANN_SME, "published_on",
           ("date-spelling",)),
    Defect("plus-sign-count", cell("announcements", ANN_SME, "expected_count", "+3"), ANN, ANN_SME, "expected_count",
           ("number-spelling",)),
    Defect("excel-uscc", cell("enterprises", ENT_E3, "uscc", "9.11201E+17"), ENT, ENT_E3, "uscc", ("bad-format",)),
    Defect("slash-date", cell("certifications", CERT_E1_LG, "certified_on", "2022/8/1"), CERT, CERT_E1_LG, "certified_on", ("type-error",)),
    Defect("impossible-date", cell("announcements", ANN_SME, "published_on", "2021-02-30"), ANN, ANN_SME, "published_on", ("type-error",)),
    Defect("decimal-count", cell("announcements", ANN_SME, "expected_count", "3.0"), ANN, ANN_SME, "expected_count", ("type-error",)),
    Defect("negative-count", cell("announcements", ANN_SME, "expected_count", "-3"), ANN, ANN_SME, "expected_count", ("out-of-range",)),
    Defect("bad-enum", cell("certifications", CERT_E1_LG, "status", "Active"), CERT, CERT_E1_LG, "status", ("not-allowed-value",)),
    Defect("required-empty", cell("enterprises", ENT_E1, "name", ""), ENT, ENT_E1, "name", ("required",)),
    Defect("lowercase-uscc", cell("enterprises", ENT_E2, "uscc", E2.lower()), ENT, ENT_E2, "uscc", ("bad-format",)),
    Defect("uscc-checksum", cell("enterprises", ENT_E3, "uscc", E3[:-1] + "8"), ENT, ENT_E3, "uscc", ("invalid-uscc",)),
    Defect("website-not-url", cell("enterprises", ENT_E1, "website", "javascript:alert(1)"), ENT, ENT_E1, "website", ("bad-format", "type-error")),
    Defect("text-path-escapes", cell("policies", 2, "text_path", "policies/../../../etc/passwd.md"), "data/policies.csv", 2, "text_path",
           ("bad-format", "policy-text")),
    Defect("text-path-missing", cell("policies", 2, "text_path", "policies/missing.md"), "data/policies.csv", 2, "text_path", ("policy-text",)),
    # Keys
    Defect("duplicate-uscc", row("enterprises", uscc=E1, name="重复企业", district_code="120116", industry_code="34"), ENT, 5, "uscc",
           ("unique-error", "primary-key")),
    Defect("duplicate-certification", row("certifications", uscc=E1, tier_id="seed", announcement_id="seed-2021", recommended_by="120116",
                                          certified_on="2021-06-15", status="active"),
           CERT, 9, None, ("primary-key", "second-active")),
    Defect("unknown-district", cell("enterprises", ENT_E1, "district_code", "120199"), ENT, ENT_E1, "district_code", ("foreign-key",)),
    Defect("unknown-industry", cell("enterprises", ENT_E1, "industry_code", "99"), ENT, ENT_E1, "industry_code", ("foreign-key",)),
    Defect("unknown-tier", cell("certifications", CERT_E1_LG, "tier_id", "unicorn"), CERT, CERT_E1_LG, "tier_id", ("foreign-key",)),
    Defect("unknown-recommender", cell("certifications", CERT_E1_LG, "recommended_by", "120116-moon"), CERT, CERT_E1_LG, "recommended_by", ("foreign-key",)),
    Defect("unknown-enterprise", cell("products", 2, "uscc", "91120113300000010M"), "data/products.csv", 2, "uscc", ("foreign-key",)),
    Defect("district-written-as-name", cell("enterprises", ENT_E1, "district_code", "滨海新区"), ENT, ENT_E1, "district_code",
           ("foreign-key",)),
    Defect("abolished-district", row("districts", district_code="120107", name_zh="塘沽区", name_en="Tanggu", kind="district"),
           DIST, 24, "district_code", ("district-code",)),
    Defect("invented-district", row("districts", district_code="120199", name_zh="新区", name_en="New", kind="district"),
           DIST, 24, "district_code", ("district-code",)),
    Defect("zone-outside-its-district", row("districts", district_code="120114-port", name_zh="某园区", name_en="Port",
                                            kind="zone", parent_code="120116"), DIST, 24, "district_code", ("zone-code",)),
    # Text safety
    Defect("trailing-space", cell("enterprises", ENT_E1, "name", "天津甲精密机械有限公司 "), ENT, ENT_E1, "name", ("edge-whitespace",)),
    Defect("ideographic-space", cell("enterprises", ENT_E1, "name", "\u3000天津甲精密机械有限公司"), ENT, ENT_E1, "name",
           ("edge-whitespace",)),
    Defect("doubled-space", cell("products", 2, "product_name", "PT-100  压力传感器"), "data/products.csv", 2, "product_name",
           ("doubled-whitespace",)),
    Defect("zero-width-space", cell("enterprises", ENT_E1, "name", "天津甲精密\u200b机械有限公司"), ENT, ENT_E1, "name",
           ("control-character",)),
    Defect("bidi-override", cell("enterprises", ENT_E1, "name", "天津甲\u202e司公限有械机密精"), ENT, ENT_E1, "name",
           ("control-character",)),
    Defect("bell-character", cell("enterprises", ENT_E1, "summary", "专注\x07精密减速器"), ENT, ENT_E1, "summary",
           ("control-character",)),
    Defect("soft-hyphen", cell("enterprises", ENT_E1, "name", "天津甲精密\u00ad机械有限公司"), ENT, ENT_E1, "name",
           ("control-character",)),
    Defect("tag-character", cell("products", 2, "description", "量程\U000e0041 0-100 MPa"), "data/products.csv", 2,
           "description", ("control-character",)),
    Defect("same-name-cyrillic", both(cell("enterprises", ENT_E2, "name", "天津Apex机械有限公司"),
                                      cell("enterprises", ENT_E1, "name", "天津Арех机械有限公司")),
           ENT, ENT_E1, "name", ("duplicate-name",)),
    Defect("same-name-other-brackets", both(cell("enterprises", ENT_E2, "name", "天津甲（精密）机械有限公司"),
                                           cell("enterprises", ENT_E1, "name", "天津甲(精密)机械 有限公司")),
           ENT, ENT_E1, "name", ("duplicate-name",)),
    Defect("mobile-country-code", cell("enterprises", ENT_E1, "summary", "联系+8613812345678"), ENT, ENT_E1, "summary", ("personal-data",)),
    Defect("mobile-0086", cell("enterprises", ENT_E1, "summary", "联系 0086 138 1234 5678"), ENT, ENT_E1, "summary", ("personal-data",)),
    Defect("mobile-dashes", cell("enterprises", ENT_E1, "summary", "电话138-1234-5678"), ENT, ENT_E1, "summary", ("personal-data",)),
    Defect("mobile-spaces", cell("products", 3, "description", "咨询 138 1234 5678"), "data/products.csv", 3, "description",
           ("personal-data",)),
    Defect("mobile-full-width", cell("enterprises", ENT_E1, "summary", "手机１３８１２３４５６７８"), ENT, ENT_E1, "summary", ("personal-data",)),
    Defect("resident-id-spaced", cell("enterprises", ENT_E1, "summary", f"身份证 {RESIDENT_ID[:6]} {RESIDENT_ID[6:14]} {RESIDENT_ID[14:]}"),
           ENT, ENT_E1, "summary", ("personal-data",)),
    Defect("formula-equals", cell("enterprises", ENT_E1, "summary", "=HYPERLINK(\"http://x\")"), ENT, ENT_E1, "summary", ("formula-prefix",)),
    Defect("formula-at", cell("products", 2, "product_name", "@SUM(1)"), "data/products.csv", 2, "product_name", ("formula-prefix",)),
    Defect("formula-plus", cell("enterprises", ENT_E1, "main_products", "+1"), ENT, ENT_E1, "main_products", ("formula-prefix",)),
    Defect("formula-tab", cell("products", 3, "description", "\tcmd"), "data/products.csv", 3, "description", ("formula-prefix",)),
    Defect("mobile-number", cell("enterprises", ENT_E1, "summary", "联系人手机13812345678"), ENT, ENT_E1, "summary", ("personal-data",)),
    Defect("resident-id", cell("products", 3, "description", f"负责人身份证{RESIDENT_ID}"), "data/products.csv", 3, "description", ("personal-data",)),
    # The policy's rules
    Defect("valid-until", cell("certifications", CERT_E1_LG, "valid_until", "2025-08-02"), CERT, CERT_E1_LG, "valid_until", ("valid-until",)),
    Defect("seed-with-term", cell("certifications", CERT_E1_SEED, "valid_until", "2024-06-15"), CERT, CERT_E1_SEED, "valid_until",
           ("valid-until-without-term",)),
    Defect("active-but-expired", both(cell("certifications", CERT_E3_SME, "status", "active"),
                                      cell("certifications", CERT_E3_SME, "status_on", ""),
                                      cell("certifications", CERT_E3_SME, "status_reason", "")),
           CERT, CERT_E3_SME, "status", ("active-but-expired",)),
    Defect("second-active", both(cell("certifications", CERT_E1_SME_OLD, "status", "active"),
                                 cell("certifications", CERT_E1_SME_OLD, "status_on", ""),
                                 cell("certifications", CERT_E1_SME_OLD, "status_reason", ""),
                                 cell("certifications", CERT_E1_SME_OLD, "valid_until", "2024-07-20")),
           CERT, CERT_E1_SME, "status", ("second-active",)),
    Defect("within-ban", both(row("announcements", **NEW_SEED_ANN),
                              row("certifications", uscc=E2, tier_id="seed", announcement_id="seed-2023", recommended_by="120111",
                                  certified_on="2023-01-05", status="active")),
           CERT, 9, "certified_on", ("within-ban",)),
    Defect("tier-mismatch", cell("certifications", CERT_E1_LG, "announcement_id", "sme-review-2024"), CERT, CERT_E1_LG, "tier_id",
           ("tier-mismatch",)),
    Defect("certified-before-announcement", both(cell("certifications", CERT_E1_LG, "certified_on", "2022-07-01"),
                                                 cell("certifications", CERT_E1_LG, "valid_until", "2025-07-01")),
           CERT, CERT_E1_LG, "certified_on", ("certified-before-announcement",)),
    Defect("expected-count-designation", cell("announcements", ANN_SME, "expected_count", "4"), ANN, ANN_SME, "expected_count",
           ("expected-count",)),
    Defect("expected-count-revocation", cell("announcements", ANN_SME_REVOCATION, "expected_count", "2"), ANN, ANN_SME_REVOCATION,
           "expected_count", ("expected-count",)),
    Defect("detail-while-active", cell("certifications", CERT_E1_LG, "status_reason", "renewed"), CERT, CERT_E1_LG, "status_reason",
           ("status-field-while-active",)),
    Defect("revoked-without-notice", cell("certifications", CERT_E2_SME, "status_announcement_id", ""), CERT, CERT_E2_SME,
           "status_announcement_id", ("status-field-missing",)),
    Defect("removed-by-revocation-notice", cell("certifications", CERT_E2_SEED, "status_announcement_id", "sme-revocation-2022"), CERT,
           CERT_E2_SEED, "status_announcement_id", ("status-announcement-kind",)),
    Defect("removal-notice-designates", cell("certifications", CERT_E1_SEED, "announcement_id", "seed-removal-2023"), CERT,
           CERT_E1_SEED, "announcement_id", ("not-designating-announcement",)),
    Defect("enterprise-in-zone", cell("enterprises", ENT_E1, "district_code", "120116-teda"), ENT, ENT_E1, "district_code",
           ("enterprise-district-kind",)),
    Defect("zone-without-parent", cell("districts", 13, "parent_code", ""), "data/districts.csv", 13, "parent_code", ("zone-parent",)),
]


def assert_clean_messages(problem):
    """Both languages filled, the Chinese slot in Chinese; no 'None', doubled spaces or '1 rows' outside quotes."""
    for text in (problem.message_zh, problem.message_en, problem.hint_zh, problem.hint_en):
        unquoted = re.sub(r"'[^']*'|\"[^\"]*\"", "''", text)
        assert "None" not in unquoted and "  " not in unquoted, problem
        assert not re.search(r"\b1 (rows|errors|years|cells)\b", text), problem
    assert re.search(r"[\u4e00-\u9fff]", problem.message_zh), problem
    assert problem.value != "None", problem  # no defect of the corpus writes the text None


@pytest.fixture
def package(tmp_path):
    return make_good_package(tmp_path / "package")


def test_corpus_is_large_and_distinct():
    assert len(DEFECTS) >= 30
    assert len({d.name for d in DEFECTS}) == len(DEFECTS)


def test_zone_line_is_a_zone(package):
    assert read_table(package, "districts")[12][3] == "zone"


@pytest.mark.parametrize("defect", DEFECTS, ids=lambda d: d.name)
def test_defect_is_reported_where_it_is(package, defect):
    defect.breaks(package)
    problems = validate_package(package, AS_OF)
    found = [p for p in problems if p.code in defect.codes]
    assert found, f"expected {defect.codes}, got {[(p.file, p.row, p.field, p.code) for p in problems]}"
    where = [(p.file, p.row, p.field) for p in found]
    expected_field = defect.field
    assert any(
        file == defect.file and (defect.line is None or line == defect.line)
        and (expected_field is None or (field or "") == expected_field)
        for file, line, field in where
    ), f"{defect.name}: expected at {defect.file}:{defect.line} {defect.field}, found {where}"
    for problem in problems:
        assert_clean_messages(problem)
    for problem in found:
        assert problem.severity == defect.severity
        assert problem.message_zh and problem.message_en, problem
        assert problem.hint_zh and problem.hint_en, problem
        assert "{" not in problem.message_zh + problem.message_en, problem


@pytest.mark.parametrize("defect", DEFECTS[::4], ids=lambda d: d.name)
def test_cli_reports_defect_without_traceback(package, defect):
    defect.breaks(package)
    result = CliRunner().invoke(build.cli, ["validate", "--datapackage", str(package), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == (1 if defect.severity == ERROR else 0), result.output
    assert "Traceback" not in result.output
    assert defect.file in result.output
    assert "错误" in result.output and "error" in result.output


def test_the_uscc_check_character_is_stdnums():
    import random

    from stdnum.cn import uscc

    from zjtx.checks.uscc import CHARACTERS, check_character

    rng = random.Random(32100)
    for _ in range(20_000):
        first17 = "".join(rng.choice(CHARACTERS) for _ in range(2)) + "".join(rng.choice("0123456789") for _ in range(6)) \
            + "".join(rng.choice(CHARACTERS) for _ in range(9))
        assert check_character(first17 + "0") == uscc.calc_check_digit(first17)
