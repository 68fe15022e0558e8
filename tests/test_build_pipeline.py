"""The build validates in a second process while it renders, and keeps the rendered pages in memory."""

from __future__ import annotations

import gc

import pytest

from packages import AS_OF, make_good_package, read_table, set_cell
from zjtx.errors import InvalidPackage, PackageError
from packages import build
from zjtx.validate import validate_package


@pytest.fixture
def package(tmp_path):
    return make_good_package(tmp_path / "package")


@pytest.mark.slow
def test_a_valid_package_builds_with_the_warnings_validate_reports(package, tmp_path):
    result = build(package, tmp_path / "site", AS_OF)
    expected = [p for p in validate_package(package, AS_OF) if p.severity == "warning"]
    assert [p.code for p in result.warnings] == [p.code for p in expected]
    rows = read_table(package, "enterprises")[1:]
    assert all((tmp_path / "site" / "enterprises" / row[0] / "index.html").exists() for row in rows)
    # The pages went to MkDocs from memory: nothing is left beside the site, no build folder in the package.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["package", "site"]


def test_data_that_breaks_rendering_is_reported_as_invalid_data(package, tmp_path):
    """A certification of an enterprise the register lacks makes rendering fail before validation ends;
    the build still answers with the validator's problems, not with what they broke."""
    set_cell(package, "certifications", 2, "uscc", "91120000MA05TEST0X")
    with pytest.raises(InvalidPackage) as raised:
        build(package, tmp_path / "site", AS_OF)
    assert any(p.severity == "error" and p.file == "data/certifications.csv" and p.row == 2
               for p in raised.value.problems)
    assert not (tmp_path / "site").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["package"]


def test_an_unreadable_package_keeps_both_messages_across_the_process_boundary(package, tmp_path):
    (package / "datapackage.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(PackageError) as raised:
        build(package, tmp_path / "site", AS_OF)
    assert raised.value.message_zh != raised.value.message_en
    assert "datapackage.json" in raised.value.message_en


@pytest.mark.slow
def test_the_garbage_collector_is_as_it_was_after_a_build(package, tmp_path):
    """The build tunes the collector for itself (zjtx.build.memory.fewer_collections) and leaves it as it found it, also when
    it fails."""
    thresholds = gc.get_threshold()
    build(package, tmp_path / "site", AS_OF)
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() == 0
    set_cell(package, "certifications", 2, "uscc", "91120000MA05TEST0X")
    with pytest.raises(InvalidPackage):
        build(package, tmp_path / "site", AS_OF)
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() == 0


@pytest.mark.slow
def test_the_exports_process_reports_its_errors_in_the_build(package, tmp_path, monkeypatch):
    """The downloads are made in a second process (zjtx.build.workers): a library error there fails the build with
    both its messages, a bug with where it happened; neither leaves a site or a folder behind."""
    from zjtx.build import exports
    from zjtx.errors import BuildError

    def refuse(*args, **kwargs):
        raise BuildError("version 9.9.9 is released but the data differ", "版本 9.9.9 已经发布，但数据不同")

    monkeypatch.setattr(exports, "prepare_downloads", refuse)
    with pytest.raises(BuildError) as raised:
        build(package, tmp_path / "site", AS_OF)
    assert raised.value.message_en == "version 9.9.9 is released but the data differ"
    assert raised.value.message_zh == "版本 9.9.9 已经发布，但数据不同"

    def crash(*args, **kwargs):
        raise ValueError("a bug in the page tables")

    monkeypatch.undo()
    monkeypatch.setattr(exports.page_tables, "write_page_tables", crash)
    with pytest.raises(BuildError) as raised:
        build(package, tmp_path / "site", AS_OF)
    assert "a bug of build.py" in raised.value.message_en and "ValueError: a bug in the page tables" in raised.value.message_en
    assert not (tmp_path / "site").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["package"]
