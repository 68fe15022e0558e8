"""The charts of the statistics page, drawn at build time as SVG from the figures of zjtx.stats.

The site must not depend on a chart service at run time (none is reachable from everywhere), so every chart is
plain SVG text in the page, followed by its data as a table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..stats import YearCount, counts_by_place, counts_by_year, distinct_by_place
from ..view import RegisterView

# Distinguishable on white and for the common colour-vision deficiencies; one per tier, lowest rung first.
SERIES_COLOURS = ("#3f51b5", "#00897b", "#e65100", "#8e24aa", "#546e7a", "#c2185b")
TEXT_COLOUR = "#333"
GRID_COLOUR = "#ddd"
SVG_LABEL_CHARS = 14


# Charts ---------------------------------------------------------------------------------------------------------


def _nice_ceiling(value: float) -> tuple[float, float]:
    """A round axis maximum at or above value, and the step between its grid lines."""
    if value <= 0:
        return 1, 1
    magnitude = 10 ** math.floor(math.log10(value))
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * magnitude / 4
        if step * 4 >= value:
            return step * 4, step
    return 10 * magnitude, 2.5 * magnitude


def _short(label: str) -> str:
    return label if len(label) <= SVG_LABEL_CHARS else label[: SVG_LABEL_CHARS - 1] + "…"


def _svg_open(chart_id: str, width: int, height: int, title: str, description: str) -> str:
    return (
        f'<svg class="zjtx-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg" '
        f'font-size="12" fill="{TEXT_COLOUR}">'
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(description)}</desc>'
    )


def year_chart(chart_id: str, title: str, points: list[YearCount], colour: str) -> Markup:
    """Columns of year-end counts, with the policy's target drawn as a dashed line over its year."""
    width, height = 640, 240
    left, right, top, bottom = 56, 16, 36, 28
    values = [p.count or 0 for p in points] + [p.target or 0 for p in points]
    maximum, step = _nice_ceiling(max(values, default=0))
    plot_w, plot_h = width - left - right, height - top - bottom
    band = plot_w / max(len(points), 1)

    def y(value: float) -> float:
        return top + plot_h - plot_h * value / maximum

    description = "；".join(
        f"{p.year}年：{'—' if p.count is None else p.count}" + (f"（目标 {p.target}）" if p.target is not None else "")
        for p in points
    )
    parts = [_svg_open(chart_id, width, height, title, description)]
    for index in range(5):
        value = step * index
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="{GRID_COLOUR}"/>'
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value:g}</text>'
        )
    for index, point in enumerate(points):
        x = left + band * index
        centre = x + band / 2
        parts.append(f'<text x="{centre:.1f}" y="{height - 8}" text-anchor="middle">{point.year}</text>')
        # Labels stack upwards from the higher of the column top and the target line, so they never overlap it.
        label_y = min(y(point.count or 0), y(point.target or 0)) - 6
        if point.count is not None:
            bar_w = band * 0.6
            parts.append(
                f'<rect x="{centre - bar_w / 2:.1f}" y="{y(point.count):.1f}" width="{bar_w:.1f}" '
                f'height="{top + plot_h - y(point.count):.1f}" fill="{colour}"/>'
                f'<text x="{centre:.1f}" y="{label_y:.1f}" text-anchor="middle">{point.count}</text>'
            )
            label_y -= 14
        if point.target is not None:
            parts.append(
                f'<line x1="{x + 2:.1f}" x2="{x + band - 2:.1f}" y1="{y(point.target):.1f}" y2="{y(point.target):.1f}" '
                f'stroke="{TEXT_COLOUR}" stroke-width="2" stroke-dasharray="6 3"/>'
                f'<text x="{centre:.1f}" y="{label_y:.1f}" text-anchor="middle">目标 {point.target}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_bar_chart(chart_id: str, title: str, rows: list[tuple[str, list[int]]], colours: list[str]) -> Markup:
    """Horizontal bars, one per row, stacked by series (the page shows the legend, which wraps on a phone)."""
    width = 640
    left, right, top, row_h = 180, 56, 4, 22
    height = top + row_h * len(rows) + 4
    maximum = max((sum(values) for _, values in rows), default=0) or 1
    plot_w = width - left - right
    description = "；".join(f"{label}：{sum(values)}" for label, values in rows)
    parts = [_svg_open(chart_id, width, height, title, description)]
    for index, (label, values) in enumerate(rows):
        y = top + row_h * index
        parts.append(f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{escape(_short(label))}</text>')
        x = float(left)
        for value, colour in zip(values, colours):
            w = plot_w * value / maximum
            if w > 0:
                parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{colour}"/>')
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 15}">{sum(values)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


# The statistics page ---------------------------------------------------------------------------------------------

INDUSTRY_ROWS = 15


@dataclass(frozen=True)
class Chart:
    """A chart and the table of its data, which follows it on the page."""

    section: str
    heading: str
    svg: Markup
    legend: list[tuple[str, str]]  # (series name, colour); empty for a single series
    columns: list[str]
    rows: list[list]  # the first cell of each row heads it


def charts(view: RegisterView) -> list[Chart]:
    register, as_of = view.register, view.day
    tiers = register.tiers_by_rank
    colours = list(SERIES_COLOURS[: len(tiers)])
    legend = [(tier.name_zh, colour) for tier, colour in zip(tiers, colours)]
    result = []

    section = "各层级年末在库企业数与目标"
    by_year = counts_by_year(view)
    for tier, colour in zip(tiers, colours):
        points = by_year[tier.tier_id]
        if not points:
            continue
        title = f"{tier.name_zh}：年末在库企业数与目标"
        result.append(Chart(
            section, tier.name_zh, year_chart(f"chart-year-{tier.tier_id}", title, points, colour), [],
            ["年份", "在库企业数", "目标"],
            [[p.year, "—" if p.count is None else p.count, "" if p.target is None else p.target] for p in points],
        ))

    def tier_rows(groups: list[tuple[str, dict[str, int]]]) -> list[tuple[str, list[int]]]:
        return [(name, [counts.get(t.tier_id, 0) for t in tiers]) for name, counts in groups]

    # The last column counts enterprises once, however many tiers they are held in.
    columns = [*(t.name_zh for t in tiers), "在库企业（不重复）"]
    members = view.members
    city = [len(members.get(t.tier_id, ())) for t in tiers]
    by_district = counts_by_place(view, lambda e: e.district_code)
    distinct = distinct_by_place(view, lambda e: e.district_code)
    districts = [d for d in sorted(register.districts.values(), key=lambda d: d.district_code) if d.kind == "district"]
    rows = tier_rows([(d.name_zh, by_district.get(d.district_code, {})) for d in districts])
    table = [[name, *values, distinct.get(d.district_code, 0)] for d, (name, values) in zip(districts, rows)]
    result.append(Chart(
        f"各区在库企业数（截至 {as_of}）", "", stacked_bar_chart("chart-district", "各区在库企业数", rows, colours),
        legend, ["区", *columns], [*table, ["全市", *city, distinct.get("", 0)]],
    ))

    by_industry = counts_by_place(view, lambda e: e.industry_code)
    distinct = distinct_by_place(view, lambda e: e.industry_code)
    top = sorted(by_industry.items(), key=lambda item: (-distinct[item[0]], item[0]))[:INDUSTRY_ROWS]
    rows = tier_rows([(register.industries[code].name_zh, counts) for code, counts in top])
    result.append(Chart(
        f"在库企业最多的 {INDUSTRY_ROWS} 个行业（截至 {as_of}）", "",
        stacked_bar_chart("chart-industry", "各行业在库企业数", rows, colours),
        legend, ["行业", *columns],
        [[name, *values, distinct[code]] for (code, _), (name, values) in zip(top, rows)],
    ))
    return result
