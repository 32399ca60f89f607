"""Temporal expressions -> ISO dates with precision, and a reason for each resolution.

Rules find the spans ("late 1990s", "between 2001 and 2012", "in September"); dateparser
parses the calendar dates among them. dateparser never searches raw text: it reads "may" and
"21-4" as dates. Relative expressions resolve against the nearest preceding explicit date
("in the same year", "in September") or the publication date ("this year"); with neither,
they stay unresolved. The clock is never consulted.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from .mentions import DateMention

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
# not part of a model name (Vostok-2018), sum or decimal, nor a section, bill or serial number
# ("§1862", "H.R. 1903", "S. 2001", "No. 2010")
_NOT_BEFORE = r"(?<![\w$€£.,/§-])(?<!§\s)(?<!\b[A-Z]\.\s)(?<!\bNo\.\s)"
_NOT_AFTER = r"(?![\w%/-]|[.,]\d)"
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
DECADE_PARTS = {None: (0, 9), "early": (0, 3), "mid": (4, 6), "late": (7, 9)}
NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10}
EXTRACTOR = "rules:dates"


@dataclass
class _Found:
    """What a rule read off its match, before relative dates are resolved."""

    date: str | None
    date_end: str | None
    precision: str
    explicit: bool
    relative_to: str | None = None   # "anchor" or "publication"
    offset_years: int = 0
    month: int | None = None         # for a month or day that needs the anchor's year
    day: int | None = None


def _month(name: str) -> int:
    key = name.lower().rstrip(".")[:3]
    return next(i for i, m in enumerate(MONTHS, start=1) if m.startswith(key))


@functools.lru_cache(maxsize=4096)
def _dateparser_day(text: str) -> str | None:
    """Parse one day-precise span with dateparser, English only (a fast first call)."""
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings={
        "REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": dt.datetime(2000, 1, 1), "RETURN_AS_TIMEZONE_AWARE": False})
    return parsed.date().isoformat() if parsed else None


def _two_digit_end(start: str, end: str) -> str:
    return start[:2] + end if len(end) == 2 else end


def _range(m: re.Match) -> _Found | None:
    start, end = m["y1"], _two_digit_end(m["y1"], m["y2"])
    if end <= start:
        return None
    return _Found(start, end, "range", explicit=True)


def _day(m: re.Match) -> _Found | None:
    iso = _dateparser_day(f"{m['day']} {m['month']} {m['year']}")
    return _Found(iso, None, "day", explicit=True) if iso else None


def _month_year(m: re.Match) -> _Found:
    return _Found(f"{m['year']}-{_month(m['month']):02d}", None, "month", explicit=True)


def _season(m: re.Match) -> _Found:
    first, last = SEASONS[m["season"].lower()]
    year = int(m["year"])
    end_year = year + 1 if last < first else year
    return _Found(f"{year}-{first:02d}", f"{end_year}-{last:02d}", "season", explicit=True)


def _decade(m: re.Match) -> _Found:
    base = int(m["decade"])
    part = (m["part"] or "").lower() or None
    first, last = DECADE_PARTS[part]
    return _Found(str(base + first), str(base + last), "decade", explicit=True)


def _year(m: re.Match) -> _Found:
    return _Found(m["year"], None, "year", explicit=True)


def _month_day_no_year(m: re.Match) -> _Found:
    return _Found(None, None, "day", explicit=False, relative_to="anchor",
                  month=_month(m["month"]), day=int(m["day"]))


def _month_no_year(m: re.Match) -> _Found:
    return _Found(None, None, "month", explicit=False, relative_to="anchor", month=_month(m["month"]))


def _relative_year(m: re.Match) -> _Found | None:
    which = m["which"].lower()
    if which in ("this", "the current"):
        return _Found(None, None, "year", False, "publication", 0)
    if which in ("last", "the past"):
        return _Found(None, None, "year", False, "publication", -1)
    if which == "next":
        return _Found(None, None, "year", False, "publication", 1)
    if which in ("the same", "that"):
        return _Found(None, None, "year", False, "anchor", 0)
    if which in ("the following", "the next", "the subsequent"):
        return _Found(None, None, "year", False, "anchor", 1)
    if which == "the previous":
        return _Found(None, None, "year", False, "anchor", -1)
    return None


def _years_later(m: re.Match) -> _Found | None:
    count = NUMBER_WORDS.get(m["count"].lower()) or (int(m["count"]) if m["count"].isdigit() else None)
    if count is None:
        return None
    count *= 10 if m["unit"].lower().startswith("decade") else 1
    sign = -1 if m["dir"].lower() == "earlier" else 1
    if m["dir"].lower() == "ago":
        return _Found(None, None, "year", False, "publication", -count)
    return _Found(None, None, "year", False, "anchor", sign * count)


Rule = tuple[str, re.Pattern, Callable[[re.Match], _Found | None]]
RULES: list[Rule] = [
    ("range_between", re.compile(rf"\b[Bb]etween\s+(?P<y1>{_YEAR})\s+and\s+(?P<y2>{_YEAR})\b"), _range),
    ("range_from_to", re.compile(
        rf"\b[Ff]rom\s+(?P<y1>{_YEAR})\s+(?:to|until|till|through)\s+(?P<y2>{_YEAR})\b"), _range),
    ("range_dash", re.compile(
        rf"{_NOT_BEFORE}(?P<y1>{_YEAR})\s*[-–—]\s*(?P<y2>{_YEAR}|\d\d){_NOT_AFTER}"), _range),
    ("day_month_year", re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})\s*,?\s+(?P<year>{_YEAR})\b"), _day),
    ("month_day_year", re.compile(
        rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>{_YEAR})\b"), _day),
    ("month_year", re.compile(rf"\b(?P<month>{_MONTH})\s+(?:of\s+)?(?P<year>{_YEAR})\b"), _month_year),
    ("season_year", re.compile(
        rf"\b(?P<season>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)\s+(?:of\s+)?(?P<year>{_YEAR})\b"), _season),
    ("decade", re.compile(
        r"\b(?:(?P<part>[Ee]arly|[Mm]id|[Ll]ate)[- ]?)?(?P<decade>(?:1[89]|20)\d0)[’']?s\b"), _decade),
    ("year", re.compile(rf"{_NOT_BEFORE}(?P<year>{_YEAR}){_NOT_AFTER}"), _year),
    ("month_day", re.compile(rf"\b(?P<month>{_MONTH_FULL})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"),
     _month_day_no_year),
    ("month", re.compile(
        rf"\b(?i:in|since|by|until|from|during|early|mid|late|end of|beginning of|of)\s+(?:[Ee]arly\s+|[Ll]ate\s+|[Mm]id-)?"
        rf"(?P<month>{_MONTH_FULL})\b(?!\s+\d)"), _month_no_year),
    ("relative_year", re.compile(
        r"\b(?P<which>[Tt]his|[Ll]ast|[Nn]ext|[Tt]he same|[Tt]hat|[Tt]he following|[Tt]he next|"
        r"[Tt]he previous|[Tt]he subsequent|[Tt]he current|[Tt]he past)\s+year\b(?!s)"), _relative_year),
    ("years_later", re.compile(
        r"\b(?i:about\s+|some\s+|around\s+)?(?P<count>(?i:a|one|two|three|four|five|six|seven|eight|nine|ten)|\d{1,2})"
        r"\s+(?P<unit>years?|decades?)\s+(?P<dir>later|earlier|ago)\b"), _years_later),
]


def _matches(sentence: str) -> list[tuple[int, int, str, _Found]]:
    """Non-overlapping matches in one sentence, longest and highest-priority first."""
    candidates = []
    for priority, (name, pattern, read) in enumerate(RULES):
        for m in pattern.finditer(sentence):
            found = read(m)
            if found is not None:
                candidates.append((m.start(), m.end(), priority, name, found))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2]))
    taken: list[tuple[int, int, str, _Found]] = []
    for start, end, _, name, found in candidates:
        if all(end <= s or start >= e for s, e, _, _ in taken):
            taken.append((start, end, name, found))
    return sorted(taken, key=lambda t: t[0])


def _resolve(found: _Found, anchor: DateMention | None, anchor_sentence: int | None,
             publication_date: str | None) -> tuple[str | None, str]:
    """(ISO date or None, reason) for a relative expression."""
    if found.relative_to == "publication":
        if not publication_date:
            return None, "unresolved: relative to the publication date, which the document does not state"
        base = int(publication_date[:4])
        return str(base + found.offset_years), f"relative to publication date {publication_date}"
    if anchor is None or anchor.date is None:
        return None, "unresolved: no explicit date precedes it"
    year = int(anchor.date[:4]) + found.offset_years
    if found.month and found.day:
        date = _dateparser_day(f"{found.day} {MONTHS[found.month - 1]} {year}")
    elif found.month:
        date = f"{year}-{found.month:02d}"
    else:
        date = str(year)
    return date, f"nearest preceding date '{anchor.text}' in sentence {anchor_sentence}"


def find_dates(text: str, sentences: list[tuple[int, int]],
               publication_date: str | None = None) -> list[DateMention]:
    """Every temporal expression in the document, in order, resolved where it can be."""
    mentions: list[DateMention] = []
    anchor: DateMention | None = None
    anchor_sentence: int | None = None
    for index, (s_start, s_end) in enumerate(sentences):
        for start, end, rule, found in _matches(text[s_start:s_end]):
            span = text[s_start + start:s_start + end]
            if found.explicit:
                mention = DateMention(s_start + start, s_start + end, span, found.date, found.date_end,
                                      found.precision, f"stated ({rule})", f"{EXTRACTOR}:{rule}", True)
                anchor, anchor_sentence = mention, index
            else:
                date, reason = _resolve(found, anchor, anchor_sentence, publication_date)
                mention = DateMention(s_start + start, s_start + end, span, date, None,
                                      found.precision if date else "unresolved", reason,
                                      f"{EXTRACTOR}:{rule}", False)
            mentions.append(mention)
    return mentions
