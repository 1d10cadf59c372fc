"""Periods: what an assessment's period may be, and the period after it.

A year (2025), a span of years (2024-2025) or a date range
(2025-01-01/2025-06-30). Kept apart from the assessment model so the rule and
its wording live once, for the model's validator, the forms and the CLI.
"""

from __future__ import annotations

import re
from datetime import datetime

from decalogue.errors import DecalogueError

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{4}))?$|^(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})$")


def validate_period(value: str) -> str:
    """A year (2025), a span of years (2024-2025) or a date range (2025-01-01/2025-06-30)."""
    value = value.strip()
    match = _PERIOD.match(value)
    if not match:
        raise ValueError(
            "period must be a year (2025), years (2024-2025) or dates (2025-01-01/2025-06-30)"
        )
    if match.group(2) and match.group(2) < match.group(1):
        raise ValueError("the period ends before it starts")
    if match.group(3):
        start, end = (datetime.strptime(match.group(n), "%Y-%m-%d") for n in (3, 4))
        if end < start:
            raise ValueError("the period ends before it starts")
    return value


def next_period(period: str) -> str:
    """The period after this one, of the same length, for carrying an assessment forward."""
    match = _PERIOD.match(period)
    if match and match.group(1):
        first = int(match.group(1))
        last = int(match.group(2) or first)
        span = last - first + 1
        return f"{first + span}" if span == 1 else f"{first + span}-{last + span}"
    if match:
        start, end = (datetime.strptime(match.group(n), "%Y-%m-%d") for n in (3, 4))
        try:
            start, end = start.replace(year=start.year + 1), end.replace(year=end.year + 1)
        except ValueError:  # 29 February
            return f"{start.year + 1}"
        return f"{start:%Y-%m-%d}/{end:%Y-%m-%d}"
    return period


def period_span(period: str) -> tuple[str, str]:
    """(start date, end date) as ISO strings, so every period form sorts in time order."""
    match = _PERIOD.match(period)
    if match and match.group(1):
        return f"{match.group(1)}-01-01", f"{match.group(2) or match.group(1)}-12-31"
    if match:
        return match.group(3), match.group(4)
    return period, period


def later_period(previous: str, value: str | None, origin: str = "") -> str:
    """The period to carry `previous` forward to: `value` checked, else the next one.

    A period that does not begin after `previous` ends is refused: a typo (2020 for
    2026) would otherwise date last period's answers before they were given.
    """
    if not value:
        return next_period(previous)
    period = period_of(value)
    if period_span(period)[0] <= period_span(previous)[1]:
        of = f"the period of {origin}" if origin else "the period carried from"
        raise DecalogueError(
            f"period {value!r}: not after {previous}, {of}; carrying forward goes to a "
            f"later period, such as {next_period(previous)}"
        )
    return period


def period_of(value: str) -> str:
    """A period a user gave, checked; a DecalogueError naming it if it is not one."""
    try:
        return validate_period(value)
    except ValueError as error:
        raise DecalogueError(f"period {value!r}: {error}") from None
