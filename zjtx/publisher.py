"""Who publishes the site, as a Chinese government site must say it, and the host platform's look: `extra` of
mkdocs.yml, read and checked in one place for the theme's templates (zjtx.build.mkdocs hands them
`extra.zjtx.publisher`) and the pages (zjtx.pages).

The footer of a government site (政府网站发展指引, 国办发〔2017〕47号) names 主办单位, 联系方式, 网站标识码,
ICP 备案号 and 公安机关备案号 and carries the 党政机关网站标识; a public build without them still builds (a preview
on a test host needs none), and `build.py build --site-url` prints a warning naming what is missing
(`missing_for_public`). Values go into pages as text, escaped; links are checked here: http, https or mailto only,
and the 党政机关网站标识 image is a file of the site (a page view loads nothing from outside the host).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from .errors import BuildError

# (key under extra.publisher, its Chinese name, whether a public government site must show it)
FIELDS = (
    ("host", "主办单位", True),
    ("organiser", "承办单位", False),
    ("contact", "联系方式", True),
    ("site_code", "网站标识码", True),
    ("icp", "ICP备案号", True),
    ("police", "公安机关备案号", True),
    ("gov_mark", "党政机关网站标识", False),
    ("gov_mark_link", "党政机关网站标识的链接", False),
)
NAMES = {key: name for key, name, _ in FIELDS}
ICP_SITE = "https://beian.miit.gov.cn/"
# The national police filing site finds a filing by its number (the digits of 津公网安备12010102000001号).
POLICE_SITE = "https://beian.mps.gov.cn/#/query/webSearch?code="
# extra.theme key -> the theme's CSS variable it sets.
COLOURS = {
    "primary": "--md-primary-fg-color",        # the header, buttons, the timeline
    "on_primary": "--md-primary-bg-color",     # text on the header
    "accent": "--md-accent-fg-color",          # links under the pointer
    "link": "--md-typeset-a-color",            # links
    "footer": "--md-footer-bg-color",          # the footer
    "on_footer": "--md-footer-fg-color",       # text in the footer
}
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_EMAIL = re.compile(r"[^@\s?&#/:]+@[^@\s?&#/:]+\.[^@\s?&#/:]+")


def _text(section: dict, key: str) -> str:
    value = section.get(key)
    return "" if value is None else str(value).strip()


def _refuse(setting: str, value: str, why_en: str, why_zh: str) -> BuildError:
    return BuildError(f"mkdocs.yml extra.{setting} = {value!r}: {why_en}",
                      f"mkdocs.yml 的 extra.{setting} = {value!r}：{why_zh}")


def web_link(setting: str, value: str) -> str:
    if value and not value.startswith(("https://", "http://")):
        raise _refuse(setting, value, "write a full http:// or https:// address",
                      "请填写以 http:// 或 https:// 开头的完整地址")
    return value


@dataclass(frozen=True)
class Publisher:
    host: str = ""
    organiser: str = ""
    contact: str = ""
    site_code: str = ""
    icp: str = ""
    police: str = ""
    gov_mark: str = ""        # a file of the site, e.g. assets/host/dzjg.png
    gov_mark_link: str = ""
    report_form: str = ""     # the issue form of 纠错, with {uscc}, {page} and {title}
    report_email: str = ""
    colours: dict = field(default_factory=dict)  # CSS variable -> colour

    @property
    def police_link(self) -> str:
        digits = "".join(re.findall(r"\d", self.police))
        return POLICE_SITE + digits if digits else ""

    @property
    def theme_css(self) -> str:
        """`:root{...}` with the host's colours, or "" when the theme's own are kept."""
        if not self.colours:
            return ""
        return ":root{" + ";".join(f"{name}:{value}" for name, value in self.colours.items()) + "}"

    @property
    def report_mailto(self) -> str:
        """The e-mail of 纠错 with a subject, for pages that are not about one record (the feedback page)."""
        if not self.report_email:
            return ""
        return f"mailto:{self.report_email}?subject={quote('名录纠错', safe='')}"

    def missing_for_public(self) -> list[tuple[str, str]]:
        """(key, Chinese name) of what a public government site must show and this one leaves empty."""
        return [(key, name) for key, name, required in FIELDS if required and not getattr(self, key)]

    def as_dict(self) -> dict:
        """For the pages' templates."""
        return {**{key: getattr(self, key) for key, _, _ in FIELDS}, "police_link": self.police_link,
                "report_form": self.report_form, "report_email": self.report_email,
                "report_mailto": self.report_mailto, "icp_site": ICP_SITE, "theme_css": self.theme_css}


def read(extra: dict | None) -> Publisher:
    """The publisher from `extra` of mkdocs.yml; refuses a link of another scheme, an image from outside the site
    and a colour that is not #rgb or #rrggbb."""
    extra = extra or {}
    publisher = extra.get("publisher") or {}
    report = extra.get("report") or {}
    theme = extra.get("theme") or {}
    if not all(isinstance(section, dict) for section in (publisher, report, theme)):
        raise BuildError("mkdocs.yml: extra.publisher, extra.report and extra.theme are mappings (key: value)",
                         "mkdocs.yml：extra.publisher、extra.report 和 extra.theme 应为“键: 值”的映射")
    values = {key: _text(publisher, key) for key, _, _ in FIELDS}
    mark = values["gov_mark"]
    if mark.startswith(("/", "\\")) or "://" in mark or mark.startswith("//") or ".." in mark.split("/"):
        raise _refuse("publisher.gov_mark", mark, "name a file of the site (e.g. assets/host/dzjg.png, put under "
                      "overrides/assets/host/): pages load nothing from outside the host",
                      "请填写本站内的文件（如 assets/host/dzjg.png，放在 overrides/assets/host/ 下）："
                      "页面不加载站外资源")
    web_link("publisher.gov_mark_link", values["gov_mark_link"])
    form = web_link("report.issue_form", _text(report, "issue_form"))
    email = _text(report, "email")
    if email and not _EMAIL.fullmatch(email):
        raise _refuse("report.email", email, "write one e-mail address, e.g. zjtx@example.org",
                      "请填写一个电子邮件地址，如 zjtx@example.org")
    colours = {}
    for key, variable in COLOURS.items():
        colour = _text(theme, key)
        if colour and not _COLOUR.fullmatch(colour):
            raise _refuse(f"theme.{key}", colour, "write a colour as #rgb or #rrggbb", "颜色请写成 #rgb 或 #rrggbb")
        if colour:
            colours[variable] = colour
    return Publisher(**values, report_form=form, report_email=email, colours=colours)


def public_warning(publisher: Publisher) -> str:
    """The warning of a public build whose footer lacks what a government site must show; "" if nothing lacks."""
    missing = publisher.missing_for_public()
    if not missing:
        return ""
    keys = ", ".join(f"extra.publisher.{key}" for key, _ in missing)
    names = "、".join(name for _, name in missing)
    return (f"警告：公开发布的网站页脚缺少{names}：请在 mkdocs.yml 的 extra.publisher 中填写（{keys}）\n"
            f"warning: the footer of this public site lacks {keys} ({names}): set them in mkdocs.yml")
