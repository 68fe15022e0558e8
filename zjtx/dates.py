"""Date arithmetic the rules need."""

from __future__ import annotations

from datetime import date


def add_years(day: date, years: int) -> date:
    """The same month and day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
