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
