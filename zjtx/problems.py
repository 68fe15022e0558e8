"""One problem found in the package, as a bureau editing a CSV needs to read it."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    file: str  # path inside the package, e.g. data/certifications.csv
    row: int | None  # line of the file: the header is line 1, so the first data row is 2
    field: str | None
    value: str | None
    code: str  # a stable slug, e.g. valid-until or foreign-key
    severity: str  # ERROR or WARNING
    message_zh: str
    message_en: str
    hint_zh: str = ""
    hint_en: str = ""
    follows: int = 0  # errors that only follow from this one (rows of a broken file, keys into it), not listed

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def sort_key(self):
        return (self.file, self.row or 0, self.field or "", self.code)


def has_errors(problems) -> bool:
    return any(problem.severity == ERROR for problem in problems)
