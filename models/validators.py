"""Checks of values people type (CLI `records edit`, the review page and its POST API), kept in
one place so every way in refuses the same things with the same words.

An edited date must be a real calendar date: "2019-02-31" or month 13 passes the ISO pattern
of the records but is no day, and a year like 0000 or 9999 stretches the timeline to
thousands of ticks. Years run from 1000 to 2100, which holds every paper briefex reads.
"""
from __future__ import annotations

import datetime as dt
import re

from .errors import BriefexError

FIRST_YEAR, LAST_YEAR = 1000, 2100
DATE_FIELDS = ("date", "date_end")
_SHAPE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def calendar_date(value: str) -> str:
    """The value when it is YYYY, YYYY-MM or YYYY-MM-DD naming a real day, month or year
    between FIRST_YEAR and LAST_YEAR; otherwise ValueError saying why."""
    match = _SHAPE.match(value or "")
    if not match:
        raise ValueError(f"{value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(part) if part else None for part in match.groups())
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{value!r}: the year must be between {FIRST_YEAR} and {LAST_YEAR}")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{value!r}: there is no month {month}")
    if day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"{value!r} is not a day of the calendar") from None
    return value


class EditError(BriefexError):
    """An edit refused before it reaches the records: a field the kind cannot edit, a date
    that is no calendar date. `details` lets the review layer re-raise it as its own error."""

    def __init__(self, code: str, **details: object) -> None:
        self.details = details
        super().__init__("edit", code, **details)


def check_edit(kind: str, changes: dict, editable: dict[str, list[str]]) -> None:
    """Refuse fields the kind cannot edit (naming the editable ones) and impossible dates."""
    allowed = editable.get(kind, [])
    for name, value in changes.items():
        if name not in allowed:
            raise EditError("E305", field=name, n="n" if kind[:1] in "aeiou" else "", kind=kind,
                            editable=", ".join(allowed) or "none")
        if name in DATE_FIELDS and value not in (None, ""):
            try:
                calendar_date(str(value))
            except ValueError as exc:
                raise EditError("E306", field=name, reason=str(exc)) from None
