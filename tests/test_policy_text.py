"""The 2021 plan's Markdown keeps every sentence of the published text, in order, and renders only as intended."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "policy" / "2021-01-20-tianjin-zjtx-tiered-cultivation-plan.txt"
MARKDOWN = ROOT / "datapackage" / "policies" / "tj-zjtx-plan-2021.md"


def bare(text: str) -> str:
    return re.sub(r"[\s#*\\]", "", text)


def test_every_sentence_of_the_source_is_kept_in_order():
    import pytest

    if not SOURCE.exists():
        pytest.skip("shared/policy is not beside this checkout")
    markdown = bare(MARKDOWN.read_text(encoding="utf-8"))
    sentences = [s for s in bare(SOURCE.read_text(encoding="utf-8")).split("。") if s]
    position = 0
    for sentence in sentences[1:]:  # the first sentence holds the heading that the Markdown puts first
        found = markdown.find(sentence, position)
        assert found >= 0, sentence
        position = found


def test_structure_headings():
    headings = [line for line in MARKDOWN.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert headings[0].startswith("# 市工业和信息化局关于印发")
    assert [h.split(" ", 1)[1][:2] for h in headings if h.startswith("### ")] == ["一、", "二、", "三、", "四、"]


def test_the_summarys_validity_sentence_agrees_with_the_tiers_data():
    """The policy row's summary names exactly the tiers that the tiers table gives a term, with that term."""
    import csv

    data = ROOT / "datapackage" / "data"
    tiers = list(csv.DictReader(open(data / "tiers.csv", encoding="utf-8")))
    policy = next(csv.DictReader(open(data / "policies.csv", encoding="utf-8")))
    sentence = next(part for part in re.split("[；。]", policy["summary"]) if "有效期" in part)
    short = {"seed": "种子企业", "sme": "专精特新中小企业", "little_giant": "小巨人", "champion": "单项冠军"}
    for tier in tiers:
        named = short[tier["tier_id"]] in sentence.split("有效期")[0]
        assert named == bool(tier["validity_years"]), (tier["tier_id"], sentence)
        if named:
            assert f"{tier['validity_years']}年" in sentence
