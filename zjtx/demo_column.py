"""The demo register's column (专精特新专栏): services, events, who took part, and the districts' liaison offices."""

from __future__ import annotations

import random
from datetime import date, timedelta

from . import library
from .dates import add_years

# Providers are generic (示例银行天津分行, 示例基金): invented products must never carry a real institution's name.
# The two real fairs the plan names, 中博会 and APEC, appear as events; who took part is as fictional as the firms.
# Every contact is a website under .example, so no demo row can send anyone to a real telephone line.

# (slug, title, kind, provider, provider_kind, channel, tiers, districts, description)
SERVICE_TEMPLATES = (
    ("bank-credit", "专精特新信用贷", "financing", "示例银行天津分行", "bank", "credit", "sme;little_giant;champion", "",
     "面向在库企业的纯信用贷款，单户额度最高1000万元，利率较同期贷款市场报价利率下浮。"),
    ("bank-seed-loan", "种子企业成长贷", "financing", "示例农商银行", "bank", "credit", "seed;sme", "",
     "面向种子企业和专精特新中小企业的流动资金贷款，可用知识产权质押。"),
    ("bank-supply-chain", "产业链供应链融资", "financing", "示例银行天津分行", "bank", "supply_chain",
     "sme;little_giant;champion", "", "以核心企业应收账款为基础的供应链金融服务，线上申请、快速放款。"),
    ("fund-equity", "专精特新股权投资", "financing", "示例基金", "fund", "equity", "little_giant;champion", "",
     "对“小巨人”和单项冠军企业的股权投资，单笔投资500万元至5000万元。"),
    ("binhai-fund", "滨海新区专精特新子基金", "financing", "示例创业投资基金", "fund", "equity", "sme;little_giant",
     "120116", "面向滨海新区在库企业的股权投资子基金。"),
    ("equity-market-board", "专精特新专板挂牌", "financing", "示例股权交易中心", "equity_market", "listing",
     "seed;sme;little_giant", "", "区域性股权市场专精特新专板的挂牌培育、路演和规范辅导。"),
    ("guarantee", "专精特新融资担保", "financing", "示例融资担保有限公司", "guarantor", "guarantee",
     "seed;sme;little_giant", "", "为在库企业的银行贷款提供担保，担保费率不高于1%。"),
    ("leasing", "设备融资租赁", "financing", "示例融资租赁有限公司", "leasing_company", "leasing",
     "sme;little_giant;champion", "", "生产设备直租和售后回租，期限最长5年。"),
    ("policy-briefing", "专精特新政策解读", "policy", "示例中小企业服务中心", "platform", "",
     "seed;sme;little_giant;champion", "", "解读认定申报、复核和扶持措施的政策要求，线上线下相结合。"),
    ("legal-advice", "企业法律咨询", "legal", "示例律师事务所", "law_firm", "", "seed;sme;little_giant;champion", "",
     "知识产权保护、合同和劳动用工的免费法律咨询。"),
    ("hr-recruitment", "专精特新人才招聘", "hr", "示例人力资源服务有限公司", "other", "", "sme;little_giant;champion", "",
     "专场招聘会、高校毕业生对接和人才政策申办服务。"),
    ("entrepreneur-training", "企业家能力提升培训", "training", "示例培训学院", "training_provider", "",
     "sme;little_giant;champion", "", "面向企业负责人的经营管理、战略和资本运作培训。"),
    ("market-expansion", "市场拓展对接", "market", "示例中小企业服务中心", "platform", "", "sme;little_giant;champion",
     "", "产品推介、采购对接和展会组织服务。"),
    ("digital-upgrade", "数字化改造诊断", "digital", "示例数字化服务平台", "platform", "", "seed;sme;little_giant", "",
     "数字化、网络化、智能化改造的免费诊断和方案设计。"),
    ("teda-digital", "开发区智能制造升级服务", "digital", "示例智能制造服务中心", "platform", "", "sme;little_giant",
     "120116-teda", "为开发区在库企业提供智能工厂和数字化车间的改造咨询。"),
    ("xiqing-training", "西青区种子企业培训营", "training", "示例培训学院", "training_provider", "", "seed", "120111",
     "面向西青区种子企业的申报辅导和管理培训。"),
    ("wuqing-market", "武清区产品推介", "market", "示例中小企业服务中心", "platform", "", "seed;sme", "120114",
     "武清区在库企业的产品推介和采购对接。"),
)
# (first day after the as-of day, last day after it) in days; None for open-ended. Some have ended, one is upcoming.
SERVICE_PERIODS = ((-1400, None), (-1100, 400), (-900, -200), (-700, 500), (-500, None), (60, 700))
EVENTS_PER_YEAR = (
    # (slug, title, kind, month, days, city, venue, organiser, tiers, share of eligible firms taking part)
    ("cismef", "中国国际中小企业博览会（中博会）", "exhibition", 6, 4, "广州", "", "中博会组委会",
     "sme;little_giant;champion", 0.01),
    ("apec-sme", "APEC中小企业技术交流暨展览会", "exhibition", 9, 4, "青岛", "", "APEC中小企业技术交流暨展览会组委会",
     "sme;little_giant;champion", 0.008),
    ("entrepreneur-training", "专精特新企业家培训班", "training", 4, 2, "天津", "示例会议中心", "示例培训学院",
     "seed;sme", 0.006),
    ("exchange", "专精特新企业学习交流会", "exchange", 11, 1, "天津", "示例会议中心", "示例中小企业服务中心",
     "sme;little_giant", 0.01),
    ("financing-matchmaking", "专精特新企业融资对接会", "matchmaking", 3, 1, "天津", "示例会议中心",
     "示例中小企业服务中心", "seed;sme;little_giant;champion", 0.008),
)
MAX_PARTICIPANTS = 150


def column_tables(as_of: date, first_year: int, districts: list, firms: list, certifications: list,
                  rng: random.Random) -> dict[str, list[dict[str, str]]]:
    """The column's rows for a generated register: services, events and who took part, liaison offices."""
    events = _column_events(as_of, first_year, rng)
    return {
        "services": _column_services(as_of, rng),
        "events": events,
        "event_participants": _column_participants(events, firms, certifications, as_of, rng),
        "district_liaisons": _column_liaisons(districts),
    }


def _column_services(as_of: date, rng: random.Random) -> list[dict[str, str]]:
    rows = []
    for index, (slug, title, kind, provider, provider_kind, channel, tiers, places, description) in enumerate(
            SERVICE_TEMPLATES):
        first, last = SERVICE_PERIODS[index % len(SERVICE_PERIODS)]
        valid_from = as_of + timedelta(days=first + rng.randint(-20, 20))
        rows.append({
            "service_id": slug, "title": title, "kind": kind, "provider": provider, "provider_kind": provider_kind,
            "channel": channel, "description": description, "eligible_tiers": tiers, "districts": places,
            "contact": f"https://{slug}.example/", "valid_from": valid_from.isoformat(),
            "valid_until": (as_of + timedelta(days=last)).isoformat() if last is not None else "",
            "source_url": f"https://{slug}.example/", "policy_id": "tj-zjtx-plan-2021" if kind == "policy" else "",
        })
    return rows


def _column_events(as_of: date, first_year: int, rng: random.Random) -> list[dict[str, str]]:
    """Each kind of event once a year from the plan's first year, up to a year after the as-of day."""
    rows = []
    for year in range(first_year, as_of.year + 2):
        for slug, title, kind, month, days, city, venue, organiser, tiers, _ in EVENTS_PER_YEAR:
            starts_on = date(year, month, rng.randint(8, 24))
            if starts_on > add_years(as_of, 1):
                continue
            rows.append({
                "event_id": f"{slug}-{year}", "title": f"{year}年{title}", "kind": kind,
                "starts_on": starts_on.isoformat(), "ends_on": (starts_on + timedelta(days=days - 1)).isoformat(),
                "city": city, "venue": venue, "organiser": organiser, "eligible_tiers": tiers,
                "description": f"{year}年{title}，组织天津市在库企业参加。", "source_url": f"https://{slug}.example/{year}/",
            })
    return rows


def _column_participants(events: list[dict[str, str]], firms: list, certifications: list, as_of: date,
                         rng: random.Random) -> list[dict[str, str]]:
    """For each event begun by the as-of day, a few enterprises that held an eligible tier on its first day."""
    shares = {slug: share for slug, *_, share in EVENTS_PER_YEAR}
    rows = []
    for event in events:
        starts_on = date.fromisoformat(event["starts_on"])
        if starts_on > as_of:
            continue
        tiers = set(event["eligible_tiers"].split(";"))
        eligible = sorted({c.uscc for c in certifications if c.tier_id in tiers and library.held_on(c, starts_on)})
        share = shares[event["event_id"].rsplit("-", 1)[0]]
        count = min(len(eligible), MAX_PARTICIPANTS, max(1, round(len(firms) * share)))
        rows += [{"event_id": event["event_id"], "uscc": uscc} for uscc in rng.sample(eligible, count)]
    return rows


def _column_liaisons(districts: list) -> list[dict[str, str]]:
    return [
        {"district_code": d.district_code, "office": f"{d.name_zh}专精特新企业包联服务办公室",
         "contact": f"https://liaison-{d.district_code}.example/", "source_url": ""}
        for d in districts
    ]
