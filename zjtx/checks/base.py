"""What every rule check shares: bilingual error types, and the look-ups built from the whole package."""

from __future__ import annotations

import json
from typing import ClassVar

import attrs
from frictionless import Check, errors

from ..problems import ERROR, WARNING


class RuleError(errors.RowError):
    """A broken rule of the data contract about a whole row.

    Subclasses set `type` and the four templates; the check passes the template's fields as `note`
    (JSON), so the Chinese and the English message come from one place, the error class.
    """

    type = "rule-error"
    title = "Rule error"
    description = "A rule of the data contract is broken."
    template = "{note}"
    severity: ClassVar[str] = ERROR
    field: ClassVar[str | None] = None  # the field a row rule is about, named in the report
    message_zh: ClassVar[str] = ""
    message_en: ClassVar[str] = ""
    hint_zh: ClassVar[str] = ""
    hint_en: ClassVar[str] = ""

    @classmethod
    def at(cls, row, **details):
        return cls.from_row(row, note=json.dumps(details, ensure_ascii=False, default=str))

    @classmethod
    def at_row_number(cls, row_number: int, cells: list[str], **details):
        """For rules found at the end of a table, when the row itself is gone."""
        note = json.dumps(details, ensure_ascii=False, default=str)
        return cls(note=note, cells=cells, row_number=row_number)


class RuleCellError(errors.CellError):
    """Like RuleError, about one cell."""

    type = "rule-cell-error"
    title = "Rule error"
    description = "A rule of the data contract is broken."
    template = "{note}"
    severity: ClassVar[str] = ERROR
    message_zh: ClassVar[str] = ""
    message_en: ClassVar[str] = ""
    hint_zh: ClassVar[str] = ""
    hint_en: ClassVar[str] = ""
    # Details the check keeps short itself, which the report shows whole (it cuts the others, cells among them).
    shown_in_full: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def at(cls, row, field_name: str, **details):
        present = field_name in row.field_names
        value = row[field_name] if present else None
        details.setdefault("value", "" if value is None else str(value))
        note = json.dumps(details, ensure_ascii=False, default=str)
        if present:
            return cls.from_row(row, note=note, field_name=field_name)
        # The file lacks the column (an error of its own): the rule still names the field it is about.
        cells = ["" if cell is None else str(cell) for cell in row.cells]
        return cls(note=note, cells=cells, row_number=row.row_number, cell="", field_name=field_name, field_number=0)


def details_of(error) -> dict:
    try:
        return json.loads(error.note)
    except (TypeError, ValueError):
        return {}


@attrs.define(kw_only=True, repr=False)
class RuleCheck(Check):
    """A check of one rule, bound to the resource it is about."""

    type = "rule-check"
    resource_name: ClassVar[str] = ""
    context: object = None  # RuleContext: the look-ups shared by all checks of a run


__all__ = ["RuleCheck", "RuleError", "RuleCellError", "details_of", "ERROR", "WARNING"]
