"""Date arithmetic the rules need."""

from __future__ import annotations

from datetime import date


def add_years(day: date, years: int) -> date:
    """The same month and day `years` later; 29 February becomes 28 February in a common year. A day past the
    calendar's end (year 9999, which a hostile row may reach) is its last day: a term or ban that never ends."""
    try:
        try:
            return day.replace(year=day.year + years)
        except ValueError:
            return day.replace(year=day.year + years, day=28)
    except (ValueError, OverflowError):
        return date.max if years > 0 else date.min
