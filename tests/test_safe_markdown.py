"""Policy texts are Markdown from the package: no raw HTML, script link, outside image or event handler acts."""

from __future__ import annotations

import os
import re

import pytest

from packages import AS_OF, make_good_package
from zjtx.errors import InvalidPackage
from zjtx.safe_markdown import is_safe_url

HOSTILE_POLICY = """# 标题

一、总体思路

正文<script>alert("zjtx-raw-script")</script>和<img src=x onerror=alert("zjtx-raw-img")>。

[脚本链接](javascript:alert('zjtx-js-link')) [实体链接](jav&#97;script:alert('zjtx-entity')) [空白链接](java\tscript:alert(1))
[数据链接](data:text/html,zjtx-data) [引用链接][ref] <javascript:alert('zjtx-autolink')>

![外部图片](https://tracker.example/pixel.png)

带属性的段落
{: onclick="alert('zjtx-attr')" style="color:red" }

[官方网站](https://gyxxh.tj.gov.cn/) [邮件](mailto:office@example.org) R&D 与 1 < 2。

[ref]: vbscript:msgbox("zjtx-ref")
"""


@pytest.mark.parametrize("url, safe", [
    ("https://example.org/", True), ("http://example.org", True), ("mailto:a@example.org", True),
    ("../tiers/sme/", True), ("#part", True), ("javascript:alert(1)", False), ("JaVaScRiPt:x", False),
    ("java\tscript:x", False), ("jav&#97;script:x", False), (" javascript:x", False), ("data:text/html,x", False),
    ("vbscript:x", False), ("file:///etc/passwd", False),
])
def test_only_web_and_mail_links_are_safe(url, safe):
    assert is_safe_url(url) is safe


def test_validate_names_every_link_a_policy_text_may_not_hold(tmp_path):
    from zjtx.validate import validate_package

    package = make_good_package(tmp_path / "package")
    policy = next((package / "policies").glob("*.md"))
    policy.write_text(HOSTILE_POLICY, encoding="utf-8")
    links = sorted(p.message_en for p in validate_package(package, AS_OF) if p.code == "policy-link")
    assert len(links) == 5  # javascript, entity, tab, data: the 5 first; the message names each
    assert all("http, https or mailto" in message for message in links)


@pytest.mark.slow
def test_a_hostile_policy_text_is_published_as_text(tmp_path, monkeypatch):
    """Even past validation (a check can be forgotten), the build publishes the text as text."""
    import zjtx.build
    from packages import build

    package = make_good_package(tmp_path / "package")
    policy = next((package / "policies").glob("*.md"))
    policy.write_text(HOSTILE_POLICY.replace("jav&#97;script", "javascript"), encoding="utf-8")
    monkeypatch.setattr(zjtx.build, "_verdict", lambda job, progress: [])
    build(package, tmp_path / "site", AS_OF)
    page = (tmp_path / "site" / "policies" / policy.stem / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert not re.search(r"<[^>]*\s(onerror|onclick)=", page)
    assert not re.search(r'(href|src)="\s*(javascript|vbscript|data|jav&)', page, re.I)
    assert "tracker.example" not in re.sub(r">[^<]*<", "><", page)  # not loaded (may remain as text)
    assert 'style="color:red"' not in page
    assert '<a href="https://gyxxh.tj.gov.cn/">官方网站</a>' in page
    assert '<a href="mailto:office@example.org">邮件</a>' in page
    assert "R&amp;D 与 1 &lt; 2" in page
    assert "正文&lt;script&gt;alert(&#34;zjtx-raw-script&#34;)&lt;/script&gt;" in page


def test_a_policies_folder_linked_from_outside_the_package_is_refused(tmp_path):
    from packages import build

    package = make_good_package(tmp_path / "package")
    outside = tmp_path / "outside"
    (package / "policies").rename(outside)
    (outside / "secret.md").write_text("outside the package", encoding="utf-8")
    os.symlink(outside, package / "policies")
    with pytest.raises(InvalidPackage) as caught:
        build(package, tmp_path / "site", AS_OF)
    assert any(p.code == "policy-text" for p in caught.value.problems)
    assert not (tmp_path / "site").exists()
