"""A policy's text_path names a Markdown file inside policies/ that exists and is UTF-8."""

from __future__ import annotations

from ..errors import PackageError
from ..safe_markdown import unsafe_links
from .base import RuleCellError, RuleCheck


class PolicyTextError(RuleCellError):
    type = "policy-text"
    title = "Policy text cannot be used"
    message_zh = "全文文件 {value} {problem_zh}"
    message_en = "policy text {value} {problem}"
    hint_zh = "把全文保存为 UTF-8 Markdown 文件，放在 datapackage/policies/ 下，text_path 写成 policies/文件名.md"
    hint_en = "Save the full text as a UTF-8 Markdown file in datapackage/policies/ and set text_path to policies/<name>.md"


class PolicyLinkError(RuleCellError):
    type = "policy-link"
    title = "Policy text links to an address that is not a web or mail address"
    message_zh = "全文文件 {value} 含有不允许的链接地址 {link!r}：全文只能链接到 http、https 或 mailto 地址"
    message_en = "policy text {value} links to {link!r}: a policy text may link only to http, https or mailto addresses"
    hint_zh = "把链接改为原文的完整网址（https://…），或删除该链接只保留文字"
    hint_en = "Link to the full web address (https://…) of the source, or remove the link and keep its text"


class PolicyTextCheck(RuleCheck):
    type = "policy-text"
    resource_name = "policies"
    Errors = [PolicyTextError, PolicyLinkError]

    def validate_row(self, row):
        text_path = row["text_path"]
        if not text_path:
            return
        try:
            path = self.context.package.policy_file(text_path)
        except PackageError:
            yield PolicyTextError.at(row, "text_path", problem="is outside datapackage/policies/",
                                     problem_zh="不在 datapackage/policies/ 目录中")
            return
        except (RuntimeError, OSError):  # a loop of links: it leads nowhere
            yield PolicyTextError.at(row, "text_path", problem="is a link that leads nowhere (a loop)",
                                     problem_zh="是一个循环链接，指不到任何文件")
            return
        if not path.is_file():
            yield PolicyTextError.at(row, "text_path", problem="does not exist (or is not a plain file)",
                                     problem_zh="不存在（或不是普通文件）")
            return
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            yield PolicyTextError.at(row, "text_path", problem="is not UTF-8", problem_zh="不是 UTF-8 编码")
            return
        for url in unsafe_links(text)[:5]:
            yield PolicyLinkError.at(row, "text_path", link=url[:80])
