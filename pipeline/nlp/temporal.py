"""The calendar behind date expressions: TimeML values, their intervals, and the arithmetic
that resolves "last week" or "next June" against a reference date.

A `When` is what a date expression means once resolved: its TimeML value ("2026-04",
"2026-W14", "2026-Q1", "2026-SU", "FY2027", "199" for a decade, "19" for a century,
"PRESENT_REF"), the precision the issue names (day, week, month, season, quarter, half, year,
decade, century, present) and, for calendar values, the first and last day it covers. Events
need plain ISO dates (YYYY, YYYY-MM, YYYY-MM-DD, or a start and end), so `event_date` turns a
`When` into those, or into nothing for a present, past or future reference, which names no
time an event could hang on.

The clock is never consulted: every relative value is computed from a `Ref` (the publication
date, or a date the text gave) passed in.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from .mentions import DateMention

SEASON_CODES = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
# (first month, last month) of each season; winter runs into the next year
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
REFS = {"PRESENT_REF", "PAST_REF", "FUTURE_REF"}
# US federal fiscal year N runs from October of N-1 to September of N (31 U.S.C. 1102).
FISCAL_START_MONTH = 10


@dataclass(frozen=True)
class When:
    """A resolved date: TimeML value, precision and the days it covers (inclusive)."""

    value: str
    precision: str
    first: dt.date | None = None
    last: dt.date | None = None
    event_precision: str | None = None   # how events should state it, when not `precision`


@dataclass(frozen=True)
class Ref:
    """The date a relative expression counts from, as precise as it is known, and the tense
    of the clause the expression sits in: "past" and "perfect" look back from it, "future"
    and "present" ahead (a scheduled "the summit opens on Friday"), None says nothing."""

    date: dt.date
    precision: str   # day, month or year
    tense: str | None = None

    @property
    def back(self) -> bool:
        return self.tense in ("past", "perfect")

    @property
    def ahead(self) -> bool:
        return self.tense in ("future", "present")

    @classmethod
    def parse(cls, iso: str | None, tense: str | None = None) -> Ref | None:
        if not iso or not iso[:4].isdigit():
            return None
        parts = [int(p) for p in iso.split("-")[:3]]
        precision = ("year", "month", "day")[len(parts) - 1]
        return cls(dt.date(parts[0], *(parts[1:] + [1, 1])[:2]), precision, tense)

    def finer_than(self, precision: str) -> bool:
        """Whether this reference knows its date at least to `precision` (day, month, year)."""
        order = ["year", "month", "day"]
        return order.index(self.precision) >= order.index(precision)


@dataclass(frozen=True)
class TemporalMention(DateMention):
    """A date mention with its TimeML reading: `value` (see `When`), `precision_name` the
    precision in the issue's words, `mod` START, MID or END for early, mid and late, and
    `for_events` False for expressions no event hangs on ("now", "the 20th century")."""

    value: str | None = None
    value_end: str | None = None
    precision_name: str = "unresolved"
    mod: str | None = None
    for_events: bool = True
    parts: tuple = ()   # a year range's years, each findable on its own
    timex: bool = True  # False for the plain-year view events take of a fiscal year


# --- building values ------------------------------------------------------------------------

def day(d: dt.date) -> When:
    return When(d.isoformat(), "day", d, d)


def part_of_day(d: dt.date, code: str) -> When:
    """A day's morning (TMO), afternoon (TAF), evening (TEV) or night (TNI), as TimeML writes it."""
    return When(d.isoformat() + code, "day", d, d)


def month(year: int, m: int) -> When:
    return When(f"{year:04d}-{m:02d}", "month", dt.date(year, m, 1),
                dt.date(year, m, calendar.monthrange(year, m)[1]))


def year(y: int) -> When:
    return When(f"{y:04d}", "year", dt.date(y, 1, 1), dt.date(y, 12, 31))


def week(d: dt.date) -> When:
    iso_year, iso_week, _ = d.isocalendar()
    monday = d - dt.timedelta(days=d.weekday())
    return When(f"{iso_year:04d}-W{iso_week:02d}", "week", monday, monday + dt.timedelta(days=6),
                "range")


def weekend(d: dt.date) -> When:
    iso_year, iso_week, _ = d.isocalendar()
    saturday = d - dt.timedelta(days=d.weekday()) + dt.timedelta(days=5)
    return When(f"{iso_year:04d}-W{iso_week:02d}-WE", "week", saturday, saturday + dt.timedelta(days=1),
                "range")


def quarter(y: int, q: int) -> When:
    first = month(y, 3 * q - 2).first
    return When(f"{y:04d}-Q{q}", "quarter", first, month(y, 3 * q).last, "range")


def half(y: int, h: int) -> When:
    return When(f"{y:04d}-H{h}", "half", month(y, 6 * h - 5).first, month(y, 6 * h).last, "range")


def season(y: int, code: str) -> When:
    first, last = SEASON_MONTHS[code]
    end_year = y + 1 if last < first else y
    return When(f"{y:04d}-{code}", "season", dt.date(y, first, 1), month(end_year, last).last, "season")


def fiscal_year(fy: int) -> When:
    """US federal fiscal year fy: October of fy-1 to September of fy. Events date it by its
    name's year, as papers and their readers do ("the FY2026 NDAA" is a 2026 act)."""
    return When(f"FY{fy:04d}", "year", dt.date(fy - 1, FISCAL_START_MONTH, 1), dt.date(fy, 9, 30), "fiscal")


def fiscal_quarter(fy: int, q: int) -> When:
    """Quarter q of US fiscal year fy, as the calendar quarter it is (Q1 FY2027 = 2026-Q4)."""
    index = (fy - 1) * 4 + 3 + (q - 1)          # calendar quarters counted from year 0
    return quarter(index // 4, index % 4 + 1)


def decade(start: int, part: tuple[int, int] = (0, 9)) -> When:
    return When(str(start // 10), "decade", dt.date(start + part[0], 1, 1), dt.date(start + part[1], 12, 31))


def century(c: int) -> When:
    """The 20th century is "19": years 1900-1999, as TimeML writes it."""
    first = (c - 1) * 100
    return When(f"{c - 1:02d}", "century", dt.date(max(1, first), 1, 1), dt.date(first + 99, 12, 31))


def reference(value: str) -> When:
    return When(value, "present")


def span(first: When, last: When) -> When:
    """A range ("2009-2010", "between 2001 and 2012"): both ends, at the first's precision."""
    return When(first.value, "range", first.first, last.last, "range")


# --- arithmetic -----------------------------------------------------------------------------

def add_months(d: dt.date, n: int) -> dt.date:
    total = d.year * 12 + d.month - 1 + n
    return dt.date(total // 12, total % 12 + 1, 1)


def shift(unit: str, ref: dt.date, n: int) -> When:
    """The `unit` (day, week, weekend, month, quarter, year, decade, century) n units from the
    one holding `ref`."""
    if unit == "day":
        return day(ref + dt.timedelta(days=n))
    if unit in ("week", "weekend"):
        return (week if unit == "week" else weekend)(ref + dt.timedelta(weeks=n))
    if unit == "month":
        d = add_months(ref, n)
        return month(d.year, d.month)
    if unit == "quarter":
        index = ref.year * 4 + (ref.month - 1) // 3 + n
        return quarter(index // 4, index % 4 + 1)
    if unit == "half":
        index = ref.year * 2 + (ref.month - 1) // 6 + n
        return half(index // 2, index % 2 + 1)
    if unit == "year":
        return year(ref.year + n)
    if unit == "fiscal year":
        return fiscal_year(fiscal_year_of(ref) + n)
    if unit == "decade":
        return decade((ref.year // 10 + n) * 10)
    if unit == "century":
        return century(ref.year // 100 + 1 + n)
    raise ValueError(f"unknown calendar unit {unit!r}")


def fiscal_year_of(d: dt.date) -> int:
    return d.year + 1 if d.month >= FISCAL_START_MONTH else d.year


# Which way an expression without "last" or "next" points, from the clause's tense: a month
# named in a past-tense clause is the latest such month up to the reference, in a future or
# present one the earliest from it, otherwise the one in the reference's own year (HeidelTime's
# rule, its present and future together).
def nearest_month(ref: Ref, m: int, direction: int | None = None) -> int:
    """The year of month `m` nearest to the reference in the direction asked (-1 the latest
    strictly before, +1 the earliest strictly after, None by the clause's tense)."""
    current = ref.date.month
    if direction == -1:
        return ref.date.year if m < current else ref.date.year - 1
    if direction == 1:
        return ref.date.year if m > current else ref.date.year + 1
    if ref.precision == "year":
        return ref.date.year
    if ref.back and m > current:
        return ref.date.year - 1
    if ref.ahead and m < current:
        return ref.date.year + 1
    return ref.date.year


def nearest_weekday(ref: Ref, weekday: int, direction: int | None = None) -> dt.date:
    """The day with `weekday` (0 Monday) nearest to the reference: by default the latest on or
    before it (news reports what happened), the earliest on or after it in a future or present
    clause; "last Friday" is strictly before, "next Friday" strictly after."""
    back = (ref.date.weekday() - weekday) % 7
    ahead = (weekday - ref.date.weekday()) % 7
    if direction == -1:
        return ref.date - dt.timedelta(days=back or 7)
    if direction == 1:
        return ref.date + dt.timedelta(days=ahead or 7)
    if ref.ahead:
        return ref.date + dt.timedelta(days=ahead)
    return ref.date - dt.timedelta(days=back)


def nearest_season(ref: Ref, code: str, direction: int | None = None) -> When:
    """The season `code` last (-1), next (+1) or this (None) relative to the reference."""
    y = ref.date.year
    candidates = [season(y + k, code) for k in (-2, -1, 0, 1)]
    if direction == -1:
        return max((c for c in candidates if c.last < ref.date), key=lambda c: c.first)
    if direction == 1:
        return min((c for c in candidates if c.first > ref.date), key=lambda c: c.first)
    holding = [c for c in candidates if c.first <= ref.date <= c.last]
    if holding:
        return holding[0]
    if code == "WI" and ref.date.month <= 2:
        return season(y - 1, code)
    return season(y, code)


# --- what events see ------------------------------------------------------------------------

def event_date(when: When | None, mod: str | None = None) -> tuple[str | None, str | None, str]:
    """(date, date_end, precision) in the events' vocabulary: ISO dates at day, month or year
    precision, a start and end for weeks, quarters, fiscal years and seasons."""
    if when is None or when.first is None:
        return None, None, "unresolved"
    kind = when.event_precision or when.precision
    if kind == "day":
        return when.value, None, "day"
    if kind == "month":
        return when.value, None, "month"
    if kind == "year":
        return when.first.isoformat()[:4], None, "year"
    if kind == "fiscal":
        return str(when.last.year), None, "year"
    if kind == "decade":
        return str(when.first.year), str(when.last.year), "decade"
    if kind == "season":
        return when.first.isoformat()[:7], when.last.isoformat()[:7], "season"
    if kind == "range" and when.precision in ("week",):
        return when.first.isoformat(), when.last.isoformat(), "range"
    if kind == "range" and when.precision == "range":
        return when.first.isoformat()[:4], when.last.isoformat()[:4], "range"
    return when.first.isoformat()[:7], when.last.isoformat()[:7], "range"
