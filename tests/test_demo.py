"""The demo register: deterministic, any size, and obeying every rule of the data contract."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from stdnum.cn import ric, uscc

import build
from packages import tree
from zjtx import demo, demo_firms, load
from zjtx.package import DEFAULT_PACKAGE, Package
from zjtx.dates import add_years
from zjtx.errors import DemoError
from zjtx.validate import validate_package

AS_OF = date(2026, 11, 24)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
USCC_PATTERN = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")
DESIGNATING = {"designation", "publicity", "review"}
STATUS_NOTICE = {"removed": "removal", "revoked": "revocation"}


def generate(path: Path, enterprises: int, seed: int = 2021, as_of: date = AS_OF) -> Path:
    demo.generate(path, enterprises, seed=seed, as_of=as_of)
    return path


@pytest.fixture(scope="module", params=[(10, AS_OF), (2000, AS_OF), (300, date(2030, 3, 1)), (40, date(2022, 1, 10)),
                        (600, date(2025, 6, 1))],  # between an expiry and its review
                ids=lambda p: f"{p[0]}-as-of-{p[1]}")
def generated(request, tmp_path_factory):
    enterprises, as_of = request.param
    path = generate(tmp_path_factory.mktemp("demo"), enterprises, as_of=as_of)
    return load.load_register(path), as_of


def test_same_seed_same_bytes(tmp_path):
    first, second = generate(tmp_path / "a", 300, seed=7), generate(tmp_path / "b", 300, seed=7)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative
    other = generate(tmp_path / "c", 300, seed=8)
    assert (other / "data" / "enterprises.csv").read_bytes() != (first / "data" / "enterprises.csv").read_bytes()


def test_package_is_complete_and_marked_demo(tmp_path):
    out = generate(tmp_path / "pkg", 50)
    assert json.loads((out / "datapackage.json").read_text(encoding="utf-8"))["demo"] is True
    generated = Package.read(out)
    for name, _resource in generated.resources.items():
        assert generated.path(name).is_file(), name
        if name not in demo.GENERATED:
            source = Package.read(DEFAULT_PACKAGE).path(name)
            assert generated.path(name).read_bytes() == source.read_bytes()
    assert sorted(p.name for p in (out / "policies").iterdir()) == sorted(
        p.name for p in (DEFAULT_PACKAGE / "policies").iterdir())


def test_enterprises_are_unique_and_valid(generated):
    register, _ = generated
    enterprises = list(register.enterprises.values())
    for enterprise in enterprises:
        assert uscc.is_valid(enterprise.uscc) and USCC_PATTERN.fullmatch(enterprise.uscc), enterprise.uscc
        assert enterprise.uscc[:2] == "91"
        assert register.districts[enterprise.district_code].kind == "district"
        assert enterprise.industry_code in register.industries
        assert enterprise.main_products and enterprise.summary
        assert not enterprise.website or re.fullmatch(r"https://www\.[a-z0-9]+\.example", enterprise.website)
    normalised = {e.name.replace("（", "(").replace("）", ")") for e in enterprises}
    assert len(normalised) == len(enterprises)
    assert set(register.certifications_by_uscc) == set(register.enterprises), "every enterprise has a history"


def test_organisation_code_check_character(generated):
    register, _ = generated
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    for code in register.enterprises:
        body, check = code[8:16], code[16]
        expected = 11 - sum(int(char, 36) * weight for char, weight in zip(body, weights)) % 11
        assert check == {10: "X", 11: "0"}.get(expected, str(expected)), code


def test_certifications_follow_their_announcements(generated):
    register, _ = generated
    for c in register.certifications:
        notice = register.announcements[c.announcement_id]
        assert notice.kind in DESIGNATING
        assert c.tier_id == notice.tier_id
        assert c.certified_on >= notice.published_on
        recommender = register.districts[c.recommended_by]
        enterprise = register.enterprises[c.uscc]
        assert enterprise.district_code in (recommender.district_code, recommender.parent_code)


def test_terms_and_statuses(generated):
    register, as_of = generated
    active = Counter()
    for c in register.certifications:
        years = register.tiers[c.tier_id].validity_years
        assert c.valid_until == (add_years(c.certified_on, years) if years else None)
        if c.status == "active":
            active[c.uscc, c.tier_id] += 1
            assert (c.status_on, c.status_reason, c.status_announcement_id) == (None, "", "")
            assert c.valid_until is None or c.valid_until >= as_of
            continue
        assert c.status_on and c.status_reason and c.certified_on <= c.status_on <= as_of
        if c.status == "expired":
            assert c.status_announcement_id == "" and c.status_on == c.valid_until
            assert c.status_reason in ("renewed", "not_renewed")
        else:
            notice = register.announcements[c.status_announcement_id]
            assert (notice.kind, notice.tier_id) == (STATUS_NOTICE[c.status], c.tier_id)
            assert c.status_on == notice.published_on
            assert c.status_reason == ("false_declaration" if c.status == "revoked" else "no_longer_qualified")
    assert max(active.values(), default=1) == 1


def test_expected_counts(generated):
    register, _ = generated
    designated = Counter(c.announcement_id for c in register.certifications)
    changed = Counter(c.status_announcement_id for c in register.certifications if c.status_announcement_id)
    for notice in register.announcements.values():
        rows = designated[notice.announcement_id] if notice.kind in DESIGNATING else changed[notice.announcement_id]
        if notice.expected_count is not None:
            assert rows == notice.expected_count, notice.announcement_id
        assert rows > 0 or notice.kind == "publicity", notice.announcement_id
        national = register.tiers[notice.tier_id].level == "national"
        assert notice.issuer == ("工业和信息化部" if national else "天津市工业和信息化局")
        assert notice.source_url.startswith("https://www.miit.gov.cn/" if national else "https://gyxxh.tj.gov.cn/")


def test_no_certification_within_a_ban(generated):
    register, _ = generated
    ban_years = register.policies["tj-zjtx-plan-2021"].ban_years
    for history in register.certifications_by_uscc.values():
        for revoked in (c for c in history if c.status == "revoked"):
            ends = add_years(revoked.status_on, ban_years)
            assert not [c for c in history if revoked.status_on <= c.certified_on <= ends], revoked


def test_ban_holds_with_many_revocations(tmp_path, monkeypatch):
    # A handful of revocations rarely meet a later batch; many make the ban decide who may be chosen.
    monkeypatch.setattr(demo, "REVOCATIONS", 150)
    register = load.load_register(generate(tmp_path / "pkg", 1000))
    ban_years = register.policies["tj-zjtx-plan-2021"].ban_years
    revoked = [c for c in register.certifications if c.status == "revoked"]
    assert len(revoked) > 100
    for revocation in revoked:
        ends = add_years(revocation.status_on, ban_years)
        history = register.certifications_by_uscc[revocation.uscc]
        assert not [c for c in history if revocation.status_on <= c.certified_on <= ends], revocation


def test_renewals_and_promotions(generated):
    register, _ = generated
    by_key = defaultdict(list)
    for c in register.certifications:
        by_key[c.uscc, c.tier_id].append(c)
    for c in register.certifications:
        if c.status_reason == "renewed":
            following = min((o for o in by_key[c.uscc, c.tier_id] if o.certified_on > c.certified_on),
                            key=lambda o: o.certified_on)
            assert register.announcements[following.announcement_id].kind == "review"
            assert following.certified_on >= c.valid_until
    for c in register.certifications:
        if c.tier_id == "champion":
            assert register.industries[register.enterprises[c.uscc].industry_code].section == "C"


def test_text_is_safe(generated):
    register, _ = generated
    tables = [register.enterprises.values(), register.announcements.values(), register.certifications,
              register.products]
    for records in tables:
        for record in records:
            for name, value in vars(record).items():
                if not isinstance(value, str) or not value:
                    continue
                assert not value.startswith(FORMULA_PREFIXES), (name, value)
                if name != "uscc":
                    assert not MOBILE.search(value), (name, value)
                    assert not [m for m in RESIDENT_ID.findall(value) if ric.is_valid(m)], (name, value)


def test_products(generated):
    register, _ = generated
    names = Counter((p.uscc, p.product_name) for p in register.products)
    assert max(names.values()) == 1
    for product in register.products:
        assert product.uscc in register.enterprises and product.category and product.description


def test_scale_of_the_committed_size(tmp_path):
    register = load.load_register(generate(tmp_path / "pkg", 2000))
    factor = 2000 / demo.BASE_ENTERPRISES
    active = Counter(c.tier_id for c in register.certifications if c.status == "active")
    for tier_id, committed in (("seed", 3000), ("sme", 1000), ("little_giant", 150), ("champion", 36)):
        assert active[tier_id] == pytest.approx(committed * factor, rel=0.15), tier_id
    assert {e.district_code for e in register.enterprises.values()} == {
        d.district_code for d in register.districts.values() if d.kind == "district"}
    assert 40 <= len(register.announcements) <= 60
    with_products = len(register.products_by_uscc) / len(register.enterprises)
    assert with_products == pytest.approx(demo_firms.PRODUCTS_SHARE, abs=0.05)
    ladder_tops = [c for c in register.certifications if c.tier_id == "little_giant"]
    from_sme = [c for c in ladder_tops if any(
        o.tier_id == "sme" and o.certified_on < c.certified_on for o in register.certifications_by_uscc[c.uscc])]
    assert from_sme == ladder_tops  # as the 2021 plan prefers: validate warns of any other


def test_the_committed_package_is_the_generator_output_with_no_error_and_no_warning(tmp_path):
    """The committed register is `demo-data --enterprises 4500 --seed 2021 --as-of 2026-11-24`, byte for byte,
    and validates clean on that day: a bureau's own warning is never drowned by the demo's."""
    out = generate(tmp_path / "pkg", 4500, seed=2021, as_of=date(2026, 11, 24))
    for path in sorted(p for p in out.rglob("*") if p.is_file() and p.name != demo.MANIFEST):
        relative = path.relative_to(out)
        assert (DEFAULT_PACKAGE / relative).read_bytes() == path.read_bytes(), relative
    # The committed manifest lists the generated tables as they are, so the documented command can regenerate it.
    listed = json.loads((DEFAULT_PACKAGE / demo.MANIFEST).read_text(encoding="utf-8"))["files"]
    resources = {name: resource.descriptor for name, resource in Package.read(DEFAULT_PACKAGE).resources.items()}
    assert sorted(listed) == sorted(resources[name]["path"] for name in demo.GENERATED)
    for relative, digest in listed.items():
        assert hashlib.sha256((DEFAULT_PACKAGE / relative).read_bytes()).hexdigest() == digest, relative
    problems = validate_package(DEFAULT_PACKAGE, date(2026, 11, 24))
    assert [(p.file, p.row, p.code) for p in problems] == []


def test_validator_accepts_a_generated_package(tmp_path):
    problems = validate_package(generate(tmp_path / "pkg", 400), AS_OF)
    assert [p for p in problems if p.severity == "error"] == []


def test_generates_into_its_own_source(tmp_path):
    package = tmp_path / "pkg"
    shutil.copytree(DEFAULT_PACKAGE, package)
    counts = demo.generate(package, 30, as_of=AS_OF, source=package)
    assert counts["enterprises"] == 30
    assert len(load.load_register(package).enterprises) == 30


def test_refuses_to_overwrite_real_data(tmp_path):
    package = tmp_path / "real"
    shutil.copytree(DEFAULT_PACKAGE, package)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    del descriptor["demo"]
    (package / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DemoError):
        demo.generate(package, 30, as_of=AS_OF, source=package)
    with pytest.raises(DemoError):
        demo.generate(package, 30, as_of=AS_OF)


@pytest.mark.parametrize("enterprises, as_of", [(9, AS_OF), (100_001, AS_OF), (100, date(2021, 3, 1))])
def test_rejects_impossible_settings(tmp_path, enterprises, as_of):
    with pytest.raises(DemoError):
        demo.generate(tmp_path / "pkg", enterprises, as_of=as_of)


def test_cli(tmp_path):
    out = tmp_path / "pkg"
    result = CliRunner().invoke(build.cli, ["demo-data", "--enterprises", "25", "--out", str(out),
                                            "--seed", "3", "--as-of", "2026-11-24"])
    assert result.exit_code == 0, result.output
    assert "25 enterprises" in result.output
    assert len(load.load_register(out).enterprises) == 25


def demo_data(out: Path, seed: str = "3"):
    return CliRunner().invoke(build.cli, ["demo-data", "--enterprises", "25", "--out", str(out), "--seed", seed,
                                          "--as-of", "2026-11-24"])


@pytest.mark.parametrize("contents", [
    {"data/enterprises.csv": b"uscc,name\n91120116MA00000014,a bureau's own row\n"},  # data, no descriptor
    {"notes.txt": b"anything"},
])
def test_cli_refuses_a_folder_that_is_not_empty_and_changes_no_byte(tmp_path, contents):
    out = tmp_path / "out"
    for relative, data in contents.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_bytes(data)
    result = demo_data(out)
    assert result.exit_code == 1, result.output
    assert "不是空文件夹" in result.output and "not empty" in result.output and "Traceback" not in result.output
    assert list(contents)[0] in result.output
    assert tree(out) == contents


def test_cli_replaces_a_demo_package_it_wrote_but_not_one_changed_since(tmp_path):
    out = tmp_path / "out"
    assert demo_data(out, seed="3").exit_code == 0
    first = tree(out)
    result = demo_data(out, seed="4")
    assert result.exit_code == 0, result.output
    assert tree(out)["data/enterprises.csv"] != first["data/enterprises.csv"]
    assert not [name for name in tree(out) if "zjtx-transaction" in name or name.endswith((".zjtx-new", ".zjtx-old"))]
    edited = out / "data" / "products.csv"
    edited.write_bytes(edited.read_bytes() + "91120116MA00000014,一个手工加的产品,,\n".encode())
    before = tree(out)
    result = demo_data(out, seed="5")
    assert result.exit_code == 1, result.output
    assert "data/products.csv" in result.output and "changed since" in result.output
    assert tree(out) == before


def test_cli_reports_library_errors(tmp_path):
    result = CliRunner().invoke(build.cli, ["demo-data", "--enterprises", "5", "--out", str(tmp_path / "pkg")])
    assert result.exit_code == 1, result.output
    assert "10" in result.output and "100,000" in result.output
