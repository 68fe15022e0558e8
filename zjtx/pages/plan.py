"""The pages of the site: which pages a build has, where each lies, and what each is about.

`plan_pages` lists every page in a stable order; zjtx.pages.render renders them. Each page is a Markdown file of
the docs folder that MkDocs reads: data pages carry their body already rendered to HTML (`render: html`).
"""

from __future__ import annotations

import re
from datetime import date
from collections.abc import Iterator

from ..load import Enterprise
from ..urls import is_web_url, segment
from ..view import RegisterView
from .charts import charts
from .column import plan_column_pages
from .page import Page
from .tables import Tables


def organization(view: RegisterView, enterprise: Enterprise) -> dict:
    """schema.org Organization for the enterprise page."""
    register = view.register
    district = register.districts[enterprise.district_code]
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": enterprise.name,
        "identifier": {"@type": "PropertyValue", "propertyID": "统一社会信用代码", "value": enterprise.uscc},
        "address": {
            "@type": "PostalAddress",
            "addressCountry": "CN",
            "addressRegion": "天津市",
            "addressLocality": district.name_zh,
        },
    }
    # The summary is the page's own text already; repeating it here cost a tenth of an enterprise page.
    if is_web_url(enterprise.website):
        data["url"] = enterprise.website
    awards = [
        f"{register.tiers[c.tier_id].name_zh}（{c.certified_on.year}）"
        for c in register.certifications_by_uscc.get(enterprise.uscc, [])
        if view.held_on(c)
    ]
    if awards:
        data["award"] = awards
    return data


def plan_pages(view: RegisterView, tables: Tables) -> Iterator[Page]:
    """Every page of the site, in a stable order."""
    register = view.register
    yield Page("index.md", "home.html.j2", "首页")
    yield Page("tiers/index.md", "tiers.html.j2", "梯度层级")
    for tier in register.tiers_by_rank:
        since = view.changed_on(view.certifications_of_tier(tier.tier_id))
        due = [date(t.year, 12, 31) for t in register.targets if t.tier_id == tier.tier_id]
        yield Page(f"tiers/{segment(tier.tier_id)}.md", "tier.html.j2", tier.name_zh,
                   {"tier": tier, "since": since}, table=tables.tier_table(tier, view.tier_rows[tier.tier_id]),
                   pub_date=view.changed_on(days=[*due, *([since] if since else [])]))
    yield Page("districts/index.md", "districts.html.j2", "区域")
    for code in sorted(register.districts):
        district = register.districts[code]
        since = view.changed_on(view.certifications_of_place(code))
        yield Page(f"districts/{segment(code)}.md", "district.html.j2", district.name_zh,
                   {"district": district, "since": since},
                   table=tables.district_table(district, view.district_rows[code]), pub_date=since)
    yield Page("announcements/index.md", "announcements.html.j2", "公告")
    for announcement in view.announcements_newest_first:
        rows = view.announcement_rows(announcement)
        yield Page(f"announcements/{segment(announcement.announcement_id)}.md", "announcement.html.j2",
                   announcement.title, {"announcement": announcement, "rows": rows},
                   table=tables.announcement_table(announcement, rows),
                   pub_date=view.changed_on(rows, days=[announcement.published_on]))
    yield Page("policies/index.md", "policies.html.j2", "政策文件")
    for policy_id in sorted(register.policies):
        policy = register.policies[policy_id]
        context = {"policy": policy, "text": policy_headings(register.policy_text(policy))}
        yield Page(f"policies/{segment(policy_id)}.md", "policy.md.j2", policy.title, context,
                   pub_date=view.changed_on(days=[policy.issued_on, policy.effective_on]))
    for uscc in sorted(register.enterprises):
        enterprise = register.enterprises[uscc]
        active = view.tiers_held(uscc)
        district = register.districts[enterprise.district_code].name_zh
        description = "，".join([enterprise.name, *(t.name_zh for t in active), f"天津市{district}"])
        yield Page(f"enterprises/{segment(uscc)}.md", "enterprise.html.j2", enterprise.name,
                   {"enterprise": enterprise}, description, pub_date=view.enterprise_changed_on(uscc))
    yield from plan_column_pages(view)
    yield Page("stats.md", "stats.html.j2", "统计", {"charts": charts(view)})
    yield Page("about.md", "about.md.j2", "关于本名录")
    yield Page("contribute.md", "contribute.md.j2", "参与维护")
    # What a government site links from every page's footer (zjtx.publisher; overrides/partials/footer.html).
    yield Page("feedback.md", "feedback.html.j2", "纠错与联系")
    yield Page("statement.md", "statement.html.j2", "网站声明")
    yield Page("privacy.md", "privacy.html.j2", "隐私")
    yield Page("site-map.md", "site-map.html.j2", "网站地图")


# A Chinese official document numbers its parts 一、 and their items （一）; the items are bold run-in leads.
_PART_HEADING = re.compile(r"^#{1,6}[ \t]+(?=\S)", re.M)
_ITEM_LEAD = re.compile(r"^\*\*([（(]\s*[一二三四五六七八九十]+\s*[）)][^*\n]*)\*\*[：:。.]?[ \t]*(\S.*)?$", re.M)


def policy_headings(markdown: str) -> str:
    """A policy's Markdown with headings at the document's own levels, under the page's h1: the document and
    attachment titles and the parts (一、) as h2, the items (（一）, a bold lead in the text) as h3.

    The words stay; only the punctuation between an item's lead and its text goes, as the lead becomes a heading.
    """
    markdown = _PART_HEADING.sub("## ", markdown)
    return _ITEM_LEAD.sub(lambda m: f"### {m.group(1).strip()}" + (f"\n\n{m.group(2)}" if m.group(2) else ""), markdown)
