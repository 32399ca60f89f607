"""Temporal expressions -> TimeML values and ISO dates, each with the reason it resolved so.

Rules (regular expressions over one sentence, kept as data in `RULES`) find the spans the way
TimeML marks them: no leading preposition ("early December", not "in early December"), the
modifier kept ("early this year", "the end of 2011", with `mod` START, MID or END), "last",
"next" and "ago" phrases whole ("two years ago"). dateparser parses the calendar days they
find; it never searches raw text, where it reads "may" and "21-4" as dates. The calendar
arithmetic lives in `temporal.py`.

Each expression resolves against one of three bases, as HeidelTime does for news:

- stated: the text gives the year ("9 July 2016", "FY2027", "the 1990s"); these become the
  anchors later expressions may count from;
- the publication date: "last week", "this fiscal year", "two years ago", "Friday", "now";
  a month without a year ("in August") takes the publication year too, moved back a year in
  a past-tense clause when the month is still to come (and forward in a future or present
  one), unless it continues the story of a date stated earlier in the same paragraph ("In
  March 2014 ... In September, ...": see `_Resolver.resolve`);
- the text: "two years later", "the following year", "the same day" count from the nearest
  date before them told precisely enough for them.

With no publication date, expressions that need it stay unresolved and say so; the clock is
never consulted.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from . import temporal as T
from .temporal import Ref, TemporalMention, When

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\."
_MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
# not part of a model name (Vostok-2018), sum or decimal, nor a section, bill or serial number
# ("§1862", "H.R. 1903", "S. 2001", "No. 2010")
_NOT_BEFORE = r"(?<![\w$€£.,/§-])(?<!§\s)(?<!\b[A-Z]\.\s)(?<!\bNo\.\s)"
_NOT_AFTER = r"(?![\w%/-]|[.,]\d)"
# early/mid/late and start/end of, kept in the span and read as TimeML's mod
_MOD = (r"(?:(?P<mod>(?i:early|mid|late|(?:the\s+)?(?:very\s+)?(?:end|beginning|start|middle)\s+of))"
        r"(?:\s*-\s*|\s+))?")
MODS = {"early": "START", "beginning": "START", "start": "START", "mid": "MID", "middle": "MID",
        "late": "END", "end": "END"}
DECADE_PARTS = {None: (0, 9), "START": (0, 3), "MID": (4, 6), "END": (7, 9)}
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
                "fifteen": 15, "twenty": 20, "thirty": 30, "fifty": 50}
_COUNT = rf"(?P<count>(?i:{'|'.join(NUMBER_WORDS)}|several|a\s+few|a\s+couple\s+of|few)|\d{{1,3}})"
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "last": 4, "final": 4}
CENTURY_WORDS = {"fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
                 "nineteenth": 19, "twentieth": 20, "twenty-first": 21}
# "last", "this", "next" and their kin: (base, step). The text's own dates anchor "the
# following year"; the publication date anchors "last year".
DIRECTIONS = {"last": ("publication", -1), "this": ("publication", 0), "next": ("publication", 1),
              "the current": ("publication", 0), "current": ("publication", 0),
              "the coming": ("publication", 1), "the upcoming": ("publication", 1),
              "earlier this": ("publication", 0), "later this": ("publication", 0),
              "the same": ("text", 0), "that": ("text", 0), "the following": ("text", 1),
              "the next": ("text", 1), "the subsequent": ("text", 1), "the previous": ("text", -1),
              "the preceding": ("text", -1), "the prior": ("text", -1)}
_DIRECTION = "|".join(sorted((d.replace(" ", r"\s+") for d in DIRECTIONS), key=len, reverse=True))
UNITS = {"day": "day", "week": "week", "weekend": "weekend", "month": "month", "quarter": "quarter",
         "year": "year", "fiscal year": "fiscal year", "decade": "decade", "century": "century"}
# How precise a reference must be to count whole units of each kind from it
NEEDS = {"day": "day", "week": "day", "weekend": "day", "month": "month", "quarter": "month"}
EXTRACTOR = "rules:dates"


@dataclass
class _Found:
    """What a rule read off its match: a stated value, or how to resolve a relative one."""

    when: When | None = None
    base: str | None = None      # None (stated), "publication", "text" or "narrative"
    resolve: Callable[[Ref], When | None] | None = None
    mod: str | None = None
    for_events: bool = True
    parts: list[tuple[str, When]] = field(default_factory=list)   # a range's ends: (group, value)
    otherwise: When | None = None   # the value when the text gives no date to count from
    copies_anchor: bool = False     # "at the time": the text's last date itself
    event_group: str | None = None  # the group events read as a plain year, the span aside


def _month(name: str) -> int:
    key = name.lower().rstrip(".")[:3]
    return next(i for i, m in enumerate(MONTHS, start=1) if m.startswith(key))


def _mod(m: re.Match) -> str | None:
    text = (m.groupdict().get("mod") or "").lower().split()
    return next((MODS[w] for w in text if w in MODS), None)


def _count(m: re.Match) -> int | None:
    word = re.sub(r"\s+", " ", m["count"].lower())
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


@functools.lru_cache(maxsize=4096)
def _dateparser_day(text: str) -> dt.date | None:
    """Parse one day-precise span with dateparser, English only (a fast first call)."""
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings={
        "REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": dt.datetime(2000, 1, 1), "RETURN_AS_TIMEZONE_AWARE": False})
    return parsed.date() if parsed else None


def _stated(when: When | None, m: re.Match | None = None) -> _Found | None:
    return _Found(when, mod=_mod(m) if m else None) if when else None


# --- stated dates -------------------------------------------------------------------------

def _range(m: re.Match) -> _Found | None:
    start, end = m["y1"], m["y2"] if len(m["y2"]) == 4 else m["y1"][:2] + m["y2"]
    if end <= start:
        return None
    found = _Found(T.span(T.year(int(start)), T.year(int(end))))
    found.parts = [("y1", T.year(int(start))), ("y2", T.year(int(end)))]
    return found


def _day(m: re.Match) -> _Found | None:
    day = int(re.sub(r"\D", "", m["day"]))
    parsed = _dateparser_day(f"{day} {m['month'].rstrip('.')} {m['year']}")
    return _stated(T.day(parsed) if parsed else None)


def _iso_day(m: re.Match) -> _Found | None:
    try:
        return _stated(T.day(dt.date(int(m["year"]), int(m["m"]), int(m["d"]))))
    except ValueError:
        return None


def _month_year(m: re.Match) -> _Found:
    return _stated(T.month(int(m["year"]), _month(m["month"])), m)


def _season_year(m: re.Match) -> _Found:
    return _stated(T.season(int(m["year"]), T.SEASON_CODES[m["season"].lower()]), m)


def _decade(m: re.Match) -> _Found:
    digits = m["decade"]
    start = int(digits) if len(digits) == 4 else 1900 + int(digits)
    mod = _mod(m)
    return _Found(T.decade(start, DECADE_PARTS[mod]), mod=mod)


def _century(m: re.Match) -> _Found | None:
    word = m["number"].lower()
    number = CENTURY_WORDS.get(word) or (int(re.sub(r"\D", "", word)) if word[0].isdigit() else None)
    return _Found(T.century(number), mod=_mod(m), for_events=False) if number else None


def _quarter_year(m: re.Match) -> _Found:
    q = ORDINALS.get((m["q"] or "").lower()) or int(m["qn"])
    if m["fiscal"]:
        return _stated(T.fiscal_quarter(_fiscal_number(m["year"]), q), m)
    return _stated(T.quarter(int(m["year"]), q), m)


def _half_year(m: re.Match) -> _Found:
    return _stated(T.half(int(m["year"]), ORDINALS[m["h"].lower()]), m)


def _fiscal_number(digits: str) -> int:
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def _year(m: re.Match) -> _Found:
    return _stated(T.year(int(m["year"])), m)


# --- dates relative to the publication date or the text -----------------------------------

def _relative(base: str, resolve: Callable[[Ref], When | None], m: re.Match | None = None,
              for_events: bool = True) -> _Found:
    return _Found(base=base, resolve=resolve, mod=_mod(m) if m else None, for_events=for_events)


def _needs(precision: str, resolve: Callable[[Ref], When | None]) -> Callable[[Ref], When | None]:
    """`resolve`, refusing a reference less precise than it needs ("last week" from "2019")."""
    return lambda ref: resolve(ref) if ref.finer_than(precision) else None


_TARGET_BEFORE = re.compile(r"\b(?:by|until|till|through|before)\s+$", re.I)
_DURATION_BEFORE = re.compile(r"\b(?:over|within|for|throughout)\s*$", re.I)


def _unit_step(m: re.Match) -> _Found | None:
    """"last week", "this fiscal year", "the following month", "the end of next year"."""
    base, step = DIRECTIONS[re.sub(r"\s+", " ", m["dir"].lower())]
    unit = UNITS[re.sub(r"\s+", " ", m["unit"].lower())]
    if unit not in ("day", "weekend") and _DURATION_BEFORE.search(m.string[:m.start()]):
        return None   # "over the next decade", "for the coming year": how long, not when
    if unit == "day" and base == "publication":
        return None   # "this day" is no date; "the same day", "the next day" are
    need = NEEDS.get(unit, "year")
    return _relative(base, _needs(need, lambda ref: T.shift(unit, ref.date, step)), m,
                     for_events=unit != "century")


def _the_unit(m: re.Match) -> _Found:
    """"the end of the year", "earlier in the month", "mid-decade": the unit holding a date
    stated earlier in the paragraph, if any ("signed in March 2014 and ratified by the end of
    the year"), else the one holding the publication date."""
    unit = UNITS[m["unit"].lower()]
    need = {"week": "day", "month": "month"}.get(unit, "year")
    return _relative("narrative", _needs(need, lambda ref: T.shift(unit, ref.date, 0)), m)


def _season_step(m: re.Match) -> _Found:
    direction = {"last": -1, "next": 1}.get(m["dir"].lower().split()[-1])
    code = T.SEASON_CODES[m["season"].lower()]
    return _relative("publication", _needs("month", lambda ref: T.nearest_season(ref, code, direction)), m)


def _ago(m: re.Match) -> _Found | None:
    """"two years ago", "three months later", "a decade earlier", "five years from now"."""
    unit = m["unit"].lower().rstrip("s").replace("centurie", "century")
    after = m["dir"].lower() in ("later", "from now", "hence", "after that", "thereafter")
    count = _count(m)
    base = "text" if m["dir"].lower() in ("later", "earlier", "before that", "after that", "thereafter") \
        else "publication"
    if count is None:   # "several years ago", "a few months later"
        if base == "text":
            return None
        return _Found(T.reference("FUTURE_REF" if after else "PAST_REF"), for_events=False)
    step = count if after else -count
    if unit == "decade":   # "a decade later" is a year: ten from the one told, as events need it
        unit, step = "year", step * 10
    need = NEEDS.get(unit, "year")
    return _relative(base, _needs(need, lambda ref: T.shift(unit, ref.date, step)), m)


# "since August", "as recently as August": a month already past, whatever the clause's tense
_LOOKING_BACK = re.compile(r"\b(?:since|as\s+(?:recently|late)\s+as)\s+$", re.I)


def _month_alone(m: re.Match) -> _Found:
    """"in August", "late last July", "Feb. 28", "on 2 July", "next March": the year comes from
    the context."""
    month = _month(m["month"])
    direction = {"last": -1, "next": 1, "this": 0}.get((m.groupdict().get("dir") or "").lower())
    day = int(re.sub(r"\D", "", m["day"])) if m.groupdict().get("day") else None
    start = m.start("span") if m.groupdict().get("span") else m.start()
    back = bool(_LOOKING_BACK.search(m.string[:start]))

    def resolve(ref: Ref) -> When | None:
        if back:
            ref = replace(ref, tense="past")
        y = ref.date.year if direction == 0 else T.nearest_month(ref, month, direction or None)
        if day is None:
            return T.month(y, month)
        parsed = _dateparser_day(f"{day} {MONTHS[month - 1]} {y}")
        return T.day(parsed) if parsed else None

    return _relative("publication" if direction is not None else "narrative", resolve, m)


def _weekday(m: re.Match) -> _Found:
    weekday = WEEKDAYS.index(m["weekday"].lower())
    direction = {"last": -1, "next": 1}.get((m["dir"] or "").lower())
    return _relative("publication",
                     _needs("day", lambda ref: T.day(T.nearest_weekday(ref, weekday, direction))), m)


def _deictic_day(m: re.Match) -> _Found:
    """"today", "yesterday", "tomorrow", "last night": a day from the publication date (a
    night is TimeML's day with "TNI")."""
    word = re.sub(r"\s+", " ", m["word"].lower())
    step = {"today": 0, "yesterday": -1, "tomorrow": 1, "last night": -1, "tonight": 0}[word]

    def resolve(ref: Ref) -> When | None:
        if not ref.finer_than("day"):
            return T.reference("PRESENT_REF") if step == 0 else None
        d = ref.date + dt.timedelta(days=step)
        return T.part_of_day(d, "TNI") if word.endswith("night") else T.day(d)
    return _relative("publication", resolve)


DAY_PARTS = {"morning": "TMO", "afternoon": "TAF", "evening": "TEV", "night": "TNI"}
DAY_STEPS = {"this": ("publication", 0), "today": ("publication", 0), "yesterday": ("publication", -1),
             "tomorrow": ("publication", 1), "that": ("text", 0), "the previous": ("text", -1),
             "the following": ("text", 1), "the next": ("text", 1)}


def _day_part(m: re.Match) -> _Found:
    """"this morning", "yesterday afternoon", "Tuesday evening", "that night": the day with
    TimeML's part of day (TMO, TAF, TEV, TNI)."""
    part = DAY_PARTS[m["part"].lower()]
    if m["weekday"]:
        weekday = WEEKDAYS.index(m["weekday"].lower())
        return _relative("publication", _needs("day", lambda ref: T.part_of_day(
            T.nearest_weekday(ref, weekday), part)))
    base, step = DAY_STEPS[re.sub(r"\s+", " ", m["which"].lower())]
    return _relative(base, _needs("day", lambda ref: T.part_of_day(ref.date + dt.timedelta(days=step), part)))


def _day_around(m: re.Match) -> _Found:
    """"the day before", "the year after": one unit from the date the text just told."""
    unit, step = m["unit"].lower(), -1 if m["dir"].lower() == "before" else 1
    return _relative("text", _needs(NEEDS.get(unit, "year"), lambda ref: T.shift(unit, ref.date, step)))


def _weekend(m: re.Match) -> _Found:
    """"over the weekend": the last one in a past clause, else the one coming (or under way)."""
    return _relative("publication", _needs("day", lambda ref: T.weekend(T.nearest_weekday(ref, 5))), m)


HOLIDAYS = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
            "new year's day": (1, 1), "new year's eve": (12, 31)}


def _holiday(m: re.Match) -> _Found:
    """"before Christmas": a holiday on a fixed day, the year as for a month alone."""
    month, day = HOLIDAYS[re.sub(r"\s+", " ", m["span"].lower()).replace("’", "'")]
    return _relative("publication", _needs("month", lambda ref: T.day(
        dt.date(T.nearest_month(ref, month), month, day))), m)


def _quarter_alone(m: re.Match) -> _Found:
    """"the third quarter", "first-quarter": the quarter of the publication year (last year's
    if a past-tense clause names one still to come)."""
    q = ORDINALS[m["q"].lower()]
    return _relative("publication", _needs("month", lambda ref: T.quarter(
        T.nearest_month(ref, 3 * q if ref.ahead else 3 * q - 2), q)), m)


def _half_alone(m: re.Match) -> _Found:
    h = ORDINALS[m["h"].lower()]
    which = (m["dir"] or "this").lower()
    step = DIRECTIONS.get(which, ("publication", 0))[1]
    return _relative("publication", lambda ref: T.half(ref.date.year + step, h), m)


def _fixed(value: str) -> Callable[[re.Match], _Found]:
    """A present, past or future reference: no calendar date, no event."""
    return lambda m: _Found(T.reference(value), for_events=False)


def _the_time(m: re.Match) -> _Found:
    """"at the time", "at that time": the date the text just told, as told, else the past."""
    return _Found(base="text", copies_anchor=True, for_events=False, otherwise=T.reference("PAST_REF"))


def _season_alone(m: re.Match) -> _Found:
    """"in the spring", "by the summer": the season the clause's tense points to from the
    publication date (past: the last one over; else the one holding it, or the next)."""
    code = T.SEASON_CODES[m["season"].lower()]

    def resolve(ref: Ref) -> When:
        return T.nearest_season(ref, code, -1 if ref.back else None)
    return _relative("publication", _needs("month", resolve), m)


def _year_end(m: re.Match) -> _Found:
    """"year-end", "by year end": the end of the publication date's year."""
    found = _relative("publication", _needs("year", lambda ref: T.shift("year", ref.date, 0)), m)
    found.mod = "END"
    return found


def _month_in_context(m: re.Match) -> _Found | None:
    """A month name alone is a date only where the sentence says so: after a preposition
    ("in August", "through June"), a modifier or "last"/"next"/"this"; "May" stays a verb."""
    if not (m["prep"] or m["mod"] or m["dir"]):
        return None
    return _month_alone(m)


Rule = tuple[str, re.Pattern, Callable[[re.Match], _Found | None]]
_ORD4 = r"(?P<q>(?i:first|second|third|fourth|last|final|1st|2nd|3rd|4th))"
_PREP = (r"(?P<prep>(?i:in|since|by|until|till|through|from|during|before|after|of|on|to|for|and|or|"
         r"between|as\s+of|around|throughout|into|ahead\s+of|prior\s+to|as\s+(?:recently|late|early|soon)\s+as)"
         r"\s+)?")
# a season is a date unless it names a kind of thing ("the summer offensive", "the Winter
# Olympics"): the next word, if any, is a lower-case function word
_FUNCTION_WORD_NEXT = (r"(?![-\w]|\s+(?!(?:and|but|or|nor|when|as|to|with|before|after|in|on|at|that|than|"
                       r"because|while|until|if|so|the|a|an|for|from|is|was|will|has|had)\b)[a-z]+\b|"
                       r"\s+[A-Z])")
_TIME_UNITS = r"(?i:\d|few|several|couple|year|month|week|decade|day|century|quarter|two|three|four|five|ten)"
RULES: list[Rule] = [(name, re.compile(pattern), read) for name, pattern, read in [
    # stated dates: they anchor later relative ones
    ("range_between", rf"\b[Bb]etween\s+(?P<y1>{_YEAR})\s+and\s+(?P<y2>{_YEAR})\b", _range),
    ("range_from_to", rf"\b[Ff]rom\s+(?P<y1>{_YEAR})\s+(?:to|until|till|through)\s+(?P<y2>{_YEAR})\b", _range),
    ("range_dash", rf"{_NOT_BEFORE}(?P<y1>{_YEAR})\s*[-–—]\s*(?P<y2>{_YEAR}|\d\d){_NOT_AFTER}", _range),
    ("day_month_year", rf"\b(?:{_WEEKDAY},?\s+)?(?P<day>{_DAY})\s+(?:of\s+)?(?P<month>{_MONTH})\s*,?\s+"
                       rf"(?P<year>{_YEAR})\b", _day),
    ("month_day_year", rf"\b(?:{_WEEKDAY},?\s+)?(?P<month>{_MONTH})\s+(?P<day>{_DAY}),?\s+(?P<year>{_YEAR})\b", _day),
    ("iso_day", rf"{_NOT_BEFORE}(?P<year>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b", _iso_day),
    ("month_year", rf"\b{_MOD}(?P<month>{_MONTH})\s+(?:of\s+)?(?P<year>{_YEAR})\b", _month_year),
    ("season_year", rf"\b{_MOD}(?P<season>(?i:spring|summer|autumn|fall|winter))\s+(?:of\s+)?(?P<year>{_YEAR})\b",
     _season_year),
    ("decade", rf"(?<![\w'’-]){_MOD}(?:(?P<decade>(?:1[89]|20)\d0)['’]?s|['’](?P<decade2>[1-9]0)s)\b",
     lambda m: _decade(m) if m["decade"] else _decade_short(m)),
    ("century", rf"\b(?:(?i:the)\s+)?{_MOD}(?:(?i:the)\s+)?(?P<number>(?i:{'|'.join(CENTURY_WORDS)})|"
                rf"\d{{2}}(?:st|nd|rd|th))[-\s]+(?i:century)\b", _century),
    ("quarter_year", rf"\b(?:(?i:the)\s+)?{_MOD}(?:{_ORD4}[-\s]+(?i:quarter)|Q(?P<qn>[1-4]))\s+(?:(?i:of)\s+)?"
                     rf"(?:(?P<fiscal>(?i:fiscal\s+year|fiscal)\s+|FY\s?))?(?P<year>{_YEAR})\b", _quarter_year),
    ("half_year", rf"\b(?:(?i:the)\s+)?(?P<h>(?i:first|second))\s+(?i:half)\s+(?i:of)\s+(?P<year>{_YEAR})\b",
     _half_year),
    ("fiscal_year", rf"\b{_MOD}(?:(?i:fiscal\s+year|fiscal)\s+(?:\(FY\)\s*)?(?P<year>{_YEAR})|FY\s?-?(?P<short>{_YEAR}|\d\d))\b",
     lambda m: _fiscal_year_match(m)),
    ("year", rf"{_NOT_BEFORE}{_MOD}(?P<year>{_YEAR}){_NOT_AFTER}", _year),
    # relative to the publication date or to the text's own dates
    ("unit_step", rf"\b{_MOD}(?P<dir>(?i:{_DIRECTION}))\s+(?P<unit>(?i:fiscal\s+year|weekend|week|month|quarter|"
                  rf"year|decade|century|day))\b", _unit_step),
    ("the_unit", r"\b(?P<mod>(?i:(?:the\s+)?(?:very\s+)?(?:end|beginning|start|middle|rest|remainder)\s+of|"
                 r"(?:earlier|later)\s+in))\s+(?i:the)\s+(?P<unit>(?i:week|month|quarter|year|decade))\b",
     _the_unit),
    ("season_step", rf"\b{_MOD}(?P<dir>(?i:last|this|next|the\s+coming|earlier\s+this|later\s+this))\s+"
                    rf"(?P<season>(?i:spring|summer|autumn|fall|winter))\b", _season_step),
    ("season_alone", rf"\b(?:(?i:in|during|for|over|from|into)\s+(?=(?i:the)\s)|(?i:by|until|till|through|since|"
                     rf"before|after|ahead\s+of)\s+)(?P<span>(?:(?i:the)\s+)?{_MOD}"
                     rf"(?P<season>(?i:spring|summer|autumn|fall|winter)))\b{_FUNCTION_WORD_NEXT}", _season_alone),
    ("year_end", r"\b(?P<span>(?i:year)[-\s]?(?i:end))\b(?![-\w])", _year_end),
    ("ago", rf"\b(?:(?i:about|some|nearly|almost|roughly|around|more\s+than|less\s+than|over|just)\s+)?{_COUNT}\s+"
            rf"(?P<unit>(?i:days?|weeks?|months?|years?|decades?|century|centuries))\s+"
            rf"(?P<dir>(?i:ago|later|earlier|from\s+now|hence))\b", _ago),
    ("month_day", rf"\b(?:{_WEEKDAY},?\s+)?{_MOD}(?:(?P<dir>(?i:last|next|this))\s+)?(?P<month>{_MONTH})\s+(?P<day>{_DAY})\b"
                  rf"(?![\d:]|\s*,?\s*{_YEAR})", _month_alone),
    ("month", rf"\b{_PREP}(?P<span>{_MOD}(?:(?P<dir>(?i:last|next|this))\s+)?(?P<month>{_MONTH_FULL}|{_MONTH_ABBR}))"
              rf"(?!\w|\s*,?\s*\d)", _month_in_context),
    ("day_month", rf"{_NOT_BEFORE}{_MOD}(?P<day>{_DAY})\s+(?:(?i:of)\s+)?(?P<month>{_MONTH})\b"
                  rf"(?![\d:]|\s*,?\s*{_YEAR})", _month_alone),
    ("holiday", r"\b(?i:before|after|by|until|over|at|on|for|since|around|ahead\s+of)\s+"
                r"(?P<span>Christmas(?:\s+(?:Day|Eve))?|New\s+Year['’]s\s+(?:Day|Eve))\b", _holiday),
    ("day_part", rf"\b(?:(?P<which>(?i:this|today|yesterday|tomorrow|that|the\s+previous|the\s+following|"
                 rf"the\s+next))|(?P<weekday>{_WEEKDAY}))\s+(?P<part>(?i:morning|afternoon|evening|night))\b", _day_part),
    ("day_around", r"\b(?i:the\s+(?P<unit>day|week|month|year)\s+(?P<dir>before|after))\b"
                   r"(?!\s+(?!(?:and|but|or|when|as|to|in|on|at)\b)[A-Za-z])", _day_around),
    ("the_weekend", r"\b(?i:over|during|at|on|by|until|before|after|for|from|since)\s+"
                    r"(?P<span>(?i:the)\s+weekend)\b", _weekend),
    ("weekday", rf"\b(?:(?i:on)\s+)?(?P<span>(?:(?P<dir>(?i:last|next|this))\s+)?(?P<weekday>{_WEEKDAY}))\b(?!\s+{_DAY}\b)",
     _weekday),
    ("deictic_day", r"\b(?P<word>(?i:today|yesterday|tomorrow|tonight|last\s+night))\b", _deictic_day),
    ("present", r"\b(?:(?i:now|currently|nowadays|presently|these\s+days)|(?i:the)\s+present(?:\s+day)?"
                r"(?!\s+[a-z])|(?i:at)\s+(?P<span>present))\b(?!-)", _fixed("PRESENT_REF")),
    ("past", rf"\b(?i:the\s+(?:recent\s+|distant\s+)?past)\b(?!\s+{_TIME_UNITS})", _fixed("PAST_REF")),
    ("future", r"\b(?i:the\s+(?:near\s+|foreseeable\s+|distant\s+|immediate\s+|not-too-distant\s+)?future)\b"
               r"(?!\s+of\b)", _fixed("FUTURE_REF")),
    ("vague_future", r"\b(?i:the\s+(?:coming|next\s+few)\s+(?:days|weeks|months|years|decades)|"
                     r"the\s+(?:days|weeks|months|years)\s+ahead)\b", _fixed("FUTURE_REF")),
    ("vague_past", r"\b(?i:recent\s+(?:days|weeks|months|years|decades)|recently(?!\s+as\b))\b",
     _fixed("PAST_REF")),
    ("mid_unit", r"\b(?P<mod>(?i:mid))-?(?P<unit>(?i:year|decade))\b", _the_unit),
    ("the_time", r"\b(?i:at)\s+(?P<span>(?i:the|that)\s+time)\b(?!\s+(?:of|when|being|it|that)\b)", _the_time),
    ("quarter", rf"\b(?:(?i:the)\s+)?{_MOD}(?:(?i:the)\s+)?{_ORD4}[-\s]+(?i:quarter)\b(?!\s+(?i:of)\s)",
     _quarter_alone),
    ("half", r"\b(?:(?i:the)\s+)?(?P<h>(?i:first|second))\s+(?i:half)\s+(?i:of)\s+(?P<dir>(?i:the|this|last|next))"
             r"\s+(?i:year)\b", _half_alone),
]]


def _decade_short(m: re.Match) -> _Found:
    """"the '90s": the 1900s' decade (a paper writing "'20s" for the 2020s says so in full)."""
    mod = _mod(m)
    return _Found(T.decade(1900 + int(m["decade2"]), DECADE_PARTS[mod]), mod=mod)


def _fiscal_year_match(m: re.Match) -> _Found:
    """A fiscal year. Events date by its year only where the paper spells it out ("the Act for
    Fiscal Year 2026"), reading the year alone as they always have; "FY2027" labels a budget
    or a bill far more often than it times a happening, and events pass it over."""
    found = _stated(T.fiscal_year(_fiscal_number(m["year"] or m["short"])), m)
    found.for_events = False
    found.event_group = "year" if m["year"] else None
    return found


# --- finding and resolving ----------------------------------------------------------------

def _matches(sentence: str) -> list[tuple[int, int, str, _Found, re.Match]]:
    """Non-overlapping matches in one sentence, longest and highest-priority first; a span is
    the rule's `span` group where it has one (the preposition before it left out)."""
    candidates = []
    for priority, (name, pattern, read) in enumerate(RULES):
        for m in pattern.finditer(sentence):
            found = read(m)
            if found is not None:
                start, end = m.span("span") if "span" in pattern.groupindex and m["span"] else m.span()
                candidates.append((start, end, priority, name, found, m))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2]))
    taken: list[tuple[int, int, str, _Found, re.Match]] = []
    for start, end, _, name, found, m in candidates:
        if all(end <= s or start >= e for s, e, *_ in taken):
            taken.append((start, end, name, found, m))
    return sorted(taken, key=lambda t: t[0])


_FUTURE = re.compile(r"\b(?:will|shall|'ll|going\s+to|plans?\s+to|planned|intends?\s+to|scheduled|"
                     r"expected\s+to|"
                     r"due\s+to|is\s+to|are\s+to)\b", re.I)
_PAST = re.compile(r"\b(?:was|were|had|did|said|told|met|held|began|took|came|went|made|\w{3,}ed)\b", re.I)


def tense_of_text(sentence: str) -> str | None:
    """A sentence's tense from its words, when no parse is at hand: future, past or None."""
    if _FUTURE.search(sentence):
        return "future"
    return "past" if _PAST.search(sentence) else None


TOLD_KEPT = 4   # how many dates back a relative one may look for one precise enough
ANCHOR_PRECISION = {"day": "day", "month": "month", "season": "month", "week": "day"}


class _Resolver:
    """Walks the document in order, keeping the date later expressions may count from."""

    def __init__(self, text: str, publication_date: str | None) -> None:
        self.text = text
        self.publication = publication_date
        self.told: list[tuple[TemporalMention, When]] = []   # the last few anchors, latest last
        self.frames = False   # whether the latest sets a story's time (see `see`)

    @property
    def anchor(self) -> TemporalMention | None:
        return self.told[-1][0] if self.told else None

    @property
    def anchor_when(self) -> When | None:
        return self.told[-1][1] if self.told else None

    def _from_text(self, found: _Found) -> tuple[When | None, str]:
        if self.anchor_when is None:
            if found.otherwise is not None:
                return found.otherwise, "no date precedes it in the text: a reference to the past"
            return None, "unresolved: no explicit date precedes it"
        if found.copies_anchor:
            return self.anchor_when, f"nearest preceding date '{self.anchor.text}'"
        # the nearest date told precisely enough ("the day before" passes over "the spring of
        # 1999" back to "on Monday"); the text's own date gives the year as it is: no tense moves it
        for mention, when in reversed(self.told):
            resolved = found.resolve(Ref(when.first, ANCHOR_PRECISION.get(when.precision, "year")))
            if resolved is not None:
                return resolved, f"nearest preceding date '{mention.text}'"   # its words: the same in a piece
        return None, f"unresolved: nearest preceding date '{self.anchor.text}' is not precise enough"

    def _from_publication(self, found: _Found, tense: str | None) -> tuple[When | None, str]:
        ref = Ref.parse(self.publication, tense)
        if ref is None:
            return None, "unresolved: relative to the publication date, which the document does not state"
        resolved = found.resolve(ref)
        if resolved is None:
            return None, f"unresolved: the publication date {self.publication} is not precise enough"
        clause = f", {tense}-tense clause" if tense else ""
        return resolved, f"relative to publication date {self.publication}{clause}"

    def resolve(self, found: _Found, start: int, tense: str | None, now: bool = False
                ) -> tuple[When | None, str]:
        if found.base == "publication":
            return self._from_publication(found, tense)
        if found.base == "text":
            return self._or_publication(found, tense)
        # narrative: a month in a past-tense clause continues the story of a date stated earlier
        # in the same paragraph ("The crisis began in March 2014. In September, talks resumed"),
        # unless its sentence speaks of now ("now counts 32 members after Sweden joined in
        # March"); otherwise it is the publication date's
        if self.publication is None and self.anchor is not None:
            return self._from_text(found)
        story = (self.anchor is not None and self.frames and not now and tense in ("past", None)
                 and "\n\n" not in self.text[self.anchor.end:start])
        return self._or_publication(found, tense) if story else self._from_publication(found, tense)

    def _or_publication(self, found: _Found, tense: str | None) -> tuple[When | None, str]:
        """From the text's date, or from the publication date where that is too coarse
        ("the previous quarter" after "in 2014")."""
        when, why = self._from_text(found)
        if when is None and self.anchor is not None and self.publication is not None:
            return self._from_publication(found, tense)
        return when, why

    def see(self, mention: TemporalMention, when: When | None, tense: str | None) -> None:
        """A stated calendar date (or a relative one resolved to a day, month or year) is the
        date the next "two years later" counts from. A stated one sets a story's time, for the
        months after it, where it tells when something happened: not in a future or present
        clause, nor as a target ("by 2015", "until 2030")."""
        if when is None or when.first is None or not mention.for_events:
            return
        if mention.explicit or when.precision in ("day", "month", "year"):
            self.told = [*self.told[-(TOLD_KEPT - 1):], (mention, when)]
            self.frames = (mention.explicit and tense in ("past", "perfect", None)
                           and not _TARGET_BEFORE.search(self.text[max(0, mention.start - 12):mention.start])
                           and when.precision in ("day", "month", "season", "year", "quarter", "half"))


def _mention(start: int, end: int, text: str, rule: str, found: _Found, when: When | None,
             reason: str) -> TemporalMention:
    date, date_end, precision = T.event_date(when)
    is_range = when is not None and when.precision == "range"
    return TemporalMention(
        start, end, text, date, date_end, precision, reason, f"{EXTRACTOR}:{rule}", found.base is None,
        value=when.value if when else None, value_end=date_end if is_range else None,
        precision_name="year" if is_range else (when.precision if when else "unresolved"),
        mod=found.mod, for_events=found.for_events)


def _parts(found: _Found, m: re.Match, offset: int, text: str, reason: str) -> tuple:
    """A range's years as mentions of their own ("2009-2010": 2009 and 2010)."""
    return tuple(_mention(offset + m.start(g), offset + m.end(g), text[offset + m.start(g):offset + m.end(g)],
                          "range_part", _Found(when), when, reason) for g, when in found.parts)


def find_dates(text: str, sentences: list[tuple[int, int]], publication_date: str | None = None,
               tense_at: Callable[[int, int], str | None] | None = None) -> list[TemporalMention]:
    """Every temporal expression in the document, in order, resolved where it can be.

    `sentences` are (start, end) character offsets; `tense_at(start, end)` tells the tense of
    the clause holding a span (from the parse), else the sentence's words decide."""
    resolver = _Resolver(text, publication_date)
    mentions: list[TemporalMention] = []
    for s_start, s_end in sentences:
        sentence = text[s_start:s_end]
        sentence_tense = None if tense_at else tense_of_text(sentence)
        matches = _matches(sentence)
        now = any(found.when is not None and found.when.value == "PRESENT_REF" for *_, found, _ in matches)
        for start, end, rule, found, m in matches:
            a, b = s_start + start, s_start + end
            tense = tense_at(a, b) if tense_at else sentence_tense
            if found.base is None:
                when, reason = found.when, f"stated ({rule})"
                if when is not None and when.precision == "present":
                    reason = f"a {when.value.split('_')[0].lower()} reference: no calendar date"
            else:
                when, reason = resolver.resolve(found, a, tense, now)
            mention = _mention(a, b, text[a:b], rule, found, when, reason)
            if found.parts:
                mention = replace(mention, parts=_parts(found, m, s_start, text, reason))
            resolver.see(mention, when, tense)
            mentions.append(mention)
            if found.event_group:
                mentions.append(_event_view(mention, m, s_start, text))
    return mentions


def _event_view(mention: TemporalMention, m: re.Match, offset: int, text: str) -> TemporalMention:
    """The year of a spelled-out fiscal year as events read it: "2026", a plain year."""
    a, b = offset + m.start("year"), offset + m.end("year")
    return replace(mention, start=a, end=b, text=text[a:b], date=text[a:b], date_end=None, precision="year",
                   for_events=True, timex=False)


def timexes(mentions: list[TemporalMention]) -> list[TemporalMention]:
    """Each date expression as TimeML counts them: a year range's years one by one."""
    return [part for m in mentions if m.timex for part in (m.parts or (m,))]


# Verbs that put what they govern ahead: "expected to announce on Thursday", "a vote
# scheduled for March".
LOOKING_AHEAD = {"expect", "plan", "schedule", "intend", "aim", "hope", "want", "seek", "set", "mean",
                 "prepare", "propose", "promise", "vow", "threaten", "pledge", "agree", "decide", "slate",
                 "due"}
# What a date after "for" is scheduled by: "an election for May 25", "called a vote for May 25"
SCHEDULED = {"election", "vote", "referendum", "summit", "meeting", "talks", "session", "hearing", "visit",
             "conference", "poll", "runoff", "deadline", "ceremony", "call"} | LOOKING_AHEAD
MODALS_SAYING_NOTHING = {"would", "could", "may", "might", "should", "must", "can", "ought"}


def clause_tense(doc, start: int, end: int) -> str | None:
    """The tense of the clause a span (document offsets) sits in, from the parse: the first
    finite verb up from the span. "will"/"shall", or an infinitive under "expect", "plan" and
    their kin, make it future; "has" + participle perfect; a past form, or a participle
    modifying a noun ("the round held in December") past; a present form present; another
    modal says nothing. A date that something is scheduled for is ahead ("a vote set for
    March", "called an election for May 25")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    token = span.root if span is not None else None
    target = token is not None and token.dep_ == "pobj" and token.head.lower_ == "for"
    if target and token.head.head.lemma_.lower() in SCHEDULED:
        return "future"   # a date scheduled: "a vote set for March", "called an election for May 25"
    ahead = False
    for _ in range(10):
        if token is None:
            return None
        if token.pos_ in ("VERB", "AUX"):
            auxes = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
            if token.tag_ == "VBN" and token.dep_ == "acl" and not auxes:
                return "future" if ahead else "past"
            if token.tag_ not in ("VBG", "VB") or any(a.tag_ != "TO" for a in auxes):
                break
            # an infinitive or a participle of its own: its tense is the governing verb's
            ahead = ahead or token.head.lemma_ in LOOKING_AHEAD
        token = token.head if token.head is not token else None
    if token is None or token.pos_ not in ("VERB", "AUX"):
        return None
    auxes = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
    words = auxes + [token]
    if ahead or any(a.lower_ in ("will", "shall", "'ll") for a in words):
        return "future"
    if any(a.lower_ in MODALS_SAYING_NOTHING for a in words):
        return None
    if token.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxes):
        return "past" if any(a.tag_ == "VBD" for a in auxes) else "perfect"
    if any(a.tag_ == "VBD" for a in words):
        return "past"
    return "present" if any(a.tag_ in ("VBZ", "VBP") for a in words) else None


# The components `read_dates` needs: the parse (sentences, tense) and the date finder.
_NOT_FOR_DATES = ("ner", "entity_ruler", "briefex_actors", "briefex_figures", "briefex_events")


def read_dates(text: str, publication_date: str | None) -> list[TemporalMention]:
    """Every date expression of a text, as the pipeline's `briefex_dates` component leaves
    them in ``doc._.timexes``; components dates do not need are switched off (twice as fast)."""
    from . import load_nlp

    nlp = load_nlp()
    doc = nlp.make_doc(text)
    doc._.published = publication_date
    with nlp.select_pipes(disable=[name for name in nlp.pipe_names if name in _NOT_FOR_DATES]):
        doc = nlp(doc)
    return list(doc._.timexes)
