"""Display words: what pages, tables, feeds, downloads and reports call the codes of the data.

The data keeps stable English codes (`active`, `removal`, `credit`); people read Chinese words. Every output takes
its words from here, so a status reads the same on a page, in a page's XLSX, in the feed and in a change report.
"""

from __future__ import annotations

from . import column, library

LABELS = {
    # A row's standing on a day (library.STANDINGS), not only the status written in the CSV.
    "status": {library.HELD: "有效", library.LAPSED: "已到期，待更新", "expired": "已到期", "removed": "已调整出库",
               "revoked": "已撤销", library.PENDING: "尚未生效"},
    "reason": {
        "false_declaration": "弄虚作假",
        "no_longer_qualified": "不再符合条件",
        "not_renewed": "到期未复核",
        "renewed": "已复核换新",
        "upgraded": "升级为更高层级",
        "withdrawn": "企业主动退出",
    },
    "kind": {"designation": "认定", "publicity": "公示", "review": "复核", "removal": "调整出库", "revocation": "撤销"},
    "level": {"municipal": "市级", "national": "国家级"},
    "policy_status": {"in_force": "现行有效", "superseded": "已被替代", "expired": "已失效"},
    "district_kind": {"district": "行政区", "zone": "功能区"},
    # The column (专精特新专栏): services, financial products and events.
    "service_kind": {"policy": "政策解读", "legal": "法律咨询", "financing": "融资对接", "hr": "人力资源",
                     "training": "企业家培训", "market": "市场拓展", "digital": "数字化改造", "other": "其他"},
    "channel": {"credit": "信贷", "equity": "股权投资", "guarantee": "担保", "leasing": "融资租赁",
                "supply_chain": "供应链金融", "listing": "挂牌上市"},
    "provider_kind": {"bank": "银行", "fund": "基金", "equity_market": "区域性股权市场", "guarantor": "担保机构",
                      "leasing_company": "融资租赁公司", "platform": "公共服务平台", "government": "政府部门",
                      "law_firm": "律师事务所", "training_provider": "培训机构", "other": "其他"},
    "service_state": {column.UPCOMING: "尚未开始", column.OPEN: "可申请", column.ENDED: "已结束"},
    "event_kind": column.EVENT_KIND_NAMES,
    "event_state": {column.UPCOMING: "即将举办", column.ONGOING: "进行中", column.PAST: "已结束"},
}
# The words of a change report (zjtx.changes: the summary of a pull request or a release).
# Status changes a summary names, in the order it names them.
STATUS_WORDS = {"expired": "到期", "removed": "出库", "revoked": "撤销"}
# The other figures of a summary, in the order it names them: figure -> (words before the number, unit).
COUNT_PHRASES = {
    "enterprises_added": ("新收录企业", "家"),
    "enterprises_renamed": ("企业更名", "家"),
    "enterprises_removed": ("删除企业", "家"),
    "announcements_added": ("新增公告", "份"),
    "policies_added": ("新增政策文件", "份"),
    "policies_changed": ("政策文件变更", "份"),
    "corrections": ("信息更正", "处"),
}
# Each figure's name in a table of figures (the changelog's): status changes by tier, then the other figures.
CHANGE_WORDS = {"granted": "新增", "expired": "到期", "removed": "调整出库", "revoked": "撤销"}

# The order standings are listed in (filters, legends).
STATUS_ORDER = tuple(LABELS["status"])


def label(group: str, code: str) -> str:
    """The word for `code` in `group`; an unknown code is shown as it is written."""
    return LABELS[group].get(code, code)


def choices(group: str) -> list[tuple[str, str]]:
    """(code, word) of a group, in order, for a filter's options."""
    return list(LABELS[group].items())
