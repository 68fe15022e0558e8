"""The enterprise tables of the tier, district and announcement pages: a few rows in the HTML, every row in a
compact rows.json beside the page that table.js pages through.

A table names its rows by their search-index id (zjtx.view.RegisterView.enterprise_ids) and codes each row's
facets; names and USCCs come from the search index's record files for the rows on screen. That keeps a page view
small at any size: a row costs two or three characters of rows.json.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass

from ..labels import STATUS_ORDER, label
from ..load import Certification
from ..view import RegisterView, TableRow
from .environment import iso

# Rows an enterprise table renders into its HTML, for readers without JavaScript; table.js then pages through
# every row, reading names from the search index.
PREVIEW_ROWS = 50

# Facet codes are written as fixed-width numbers in this alphabet: printable ASCII that JSON never escapes.
CODE_ALPHABET = "".join(chr(c) for c in range(0x23, 0x7F) if chr(c) != "\\")


@dataclass(frozen=True)
class Table:
    """An enterprise table of a page, written beside it as rows.json for table.js.

    Rows follow the search index's id order, so the table names only which ids it holds (a bitmap) and each
    row's facets (district, year, status, ...), never a name: table.js reads names and USCCs from the index's
    record files for the rows on screen, and its text filter is a search of the same index. That keeps a page
    view small at any size: a row costs two or three characters of rows.json.
    """

    columns: tuple[str, ...]  # "name" and "uscc" come from the search index; the others are facets
    facets: tuple[str, ...]
    lookups: dict[str, list[tuple[str, str]]]  # facet -> [(code, label)], in the facet's sort order
    rows: list[tuple[int, str, tuple[int, ...]]]  # (search id, uscc, index into each facet's look-up list)
    filters: tuple[str, ...]
    sort: tuple[str, int]  # the facet rows are first sorted by, and 1 ascending or -1 descending
    caption: str

    def ordered(self) -> list[tuple[int, str, tuple[int, ...]]]:
        """Rows in the order table.js first shows them: by the sort facet, then by id."""
        position = self.facets.index(self.sort[0])
        return sorted(self.rows, key=lambda row: (self.sort[1] * row[2][position], row[0]))

    def preview(self) -> list[dict[str, str]]:
        """The first rows, as label per column, for the HTML."""
        rows = []
        for _, uscc, indices in self.ordered()[:PREVIEW_ROWS]:
            cells = {"uscc": uscc}
            for facet, index in zip(self.facets, indices):
                cells[facet], cells[facet + "_label"] = self.lookups[facet][index]
            rows.append(cells)
        return rows

    def data(self, id_count: int) -> dict:
        sizes = [len(self.lookups[facet]) for facet in self.facets]
        width = 1
        while len(CODE_ALPHABET) ** width < max(1, math.prod(sizes)):
            width += 1
        codes = []
        members = bytearray((id_count >> 3) + 1)
        for identifier, _, indices in sorted(self.rows):
            members[identifier >> 3] |= 1 << (identifier & 7)
            code = 0
            for index, size in zip(indices, sizes):
                code = code * size + index
            digits = []
            for _ in range(width):
                code, digit = divmod(code, len(CODE_ALPHABET))
                digits.append(CODE_ALPHABET[digit])
            codes.append("".join(reversed(digits)))
        return {
            "count": len(self.rows),
            "facets": list(self.facets),
            "lookups": {facet: [list(entry) for entry in self.lookups[facet]] for facet in self.facets},
            "alphabet": CODE_ALPHABET,
            "width": width,
            "codes": "".join(codes),
            "members": base64.b64encode(bytes(members)).decode("ascii"),
            "sort": list(self.sort),
        }




class Tables:
    """The tables of one build's pages, from the register on its day."""

    def __init__(self, view: RegisterView):
        self.view = view
        self.register = view.register

    # Look-up lists of the facets, each in its sort order.

    def _districts(self, codes) -> list[tuple[str, str]]:
        return [(code, self.register.districts[code].name_zh) for code in sorted(set(codes))]

    def _tiers(self, tier_ids) -> list[tuple[str, str]]:
        present = set(tier_ids)
        tiers = [(t.tier_id, t.name_zh) for t in self.register.tiers_by_rank if t.tier_id in present]
        return ([("", "无认定记录")] if "" in present else []) + tiers

    @staticmethod
    def _years(years) -> list[tuple[str, str]]:
        return [(str(year), str(year) if year else "") for year in sorted(set(years))]

    @staticmethod
    def _statuses(statuses) -> list[tuple[str, str]]:
        present = set(statuses)
        return [(code, label("status", code)) for code in STATUS_ORDER if code in present] + (
            [("", "")] if "" in present else [])

    def _table(self, columns, facets, values: dict[str, dict[str, str]], lookups, filters, sort, caption) -> Table:
        """values: uscc -> facet -> code."""
        index = {facet: {code: i for i, (code, _) in enumerate(lookups[facet])} for facet in facets}
        rows = [
            (self.view.enterprise_ids[uscc], uscc, tuple(index[facet][cells[facet]] for facet in facets))
            for uscc, cells in values.items()
        ]
        return Table(tuple(columns), tuple(facets), lookups, rows, tuple(filters), sort, caption)

    def tier_table(self, tier, rows: list[TableRow]) -> Table:
        return self._place_or_tier_table("district", rows, f"{tier.name_zh}企业名单")

    def district_table(self, district, rows: list[TableRow]) -> Table:
        return self._place_or_tier_table("tier", rows, f"{district.name_zh}企业名单")

    def _place_or_tier_table(self, first: str, rows: list[TableRow], caption: str) -> Table:
        """A tier's table is faceted by district, a district's by tier; both then by year and status."""
        code_of = (lambda r: r.district_code) if first == "district" else (lambda r: r.tier_id)
        look_up = self._districts if first == "district" else self._tiers
        facets = (first, "year", "status")
        values = {r.uscc: {first: code_of(r), "year": str(r.year), "status": r.status} for r in rows}
        lookups = {
            first: look_up(code_of(r) for r in rows),
            "year": self._years(r.year for r in rows),
            "status": self._statuses(r.status for r in rows),
        }
        return self._table(("name", "uscc", *facets), facets, values, lookups, facets, ("year", -1), caption)

    def announcement_table(self, announcement, certifications: list[Certification]) -> Table:
        """The list as published: who was recommended by whom, on which day, and how each row stands now."""
        changes = announcement.kind in ("removal", "revocation")
        values: dict[str, dict[str, str]] = {}
        for c in certifications:  # an enterprise appears once in a list; a second row would repeat it
            values.setdefault(c.uscc, {
                "district": c.recommended_by,
                "date": iso(c.status_on if changes else c.certified_on),
                "status": c.status_reason if changes else self.view.standing(c),
            })
        outcomes = {cells["status"] for cells in values.values()}
        lookups = {
            "district": self._districts(cells["district"] for cells in values.values()),
            "date": [(day, day) for day in sorted({cells["date"] for cells in values.values()})],
            "status": ([(code, label("reason", code)) for code in sorted(outcomes)] if changes
                       else self._statuses(outcomes)),
        }
        return self._table(("name", "uscc", "district", "date", "status"), ("district", "date", "status"), values,
                           lookups, ("district", "date", "status"), ("district", 1), f"{announcement.title}名单")

