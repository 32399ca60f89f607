"""Document metadata that the text states: title and publication date.

The publication date anchors "this year" and "last year", so it is read only from where
papers state it (a dated running header, a "Published ..." line, a date line on the first
page), never from file times or the PDF's creation stamp, which record typesetting.
"""
from __future__ import annotations

import re

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_YEAR = r"((?:19|20)\d\d)"
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+{_MONTH}\s+{_YEAR}\b")
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}),\s+{_YEAR}\b")
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+{_YEAR}\b")
_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_YEAR_ONLY = re.compile(rf"(?<![\d-]){_YEAR}(?![\d-])")
_PUBLISHED = re.compile(r"\b(?:published|publication date|date of publication|issued|dated)\b[:\s]*",
                        re.IGNORECASE)


def _month(name: str) -> int:
    return MONTHS.index(name.lower()) + 1


def parse_stated_date(text: str, year_alone: bool = False) -> str | None:
    """The first explicit calendar date in a short text, as ISO at its own precision."""
    if m := _ISO.search(text):
        return f"{m[1]}-{m[2]}-{m[3]}"
    if m := _DAY_MONTH_YEAR.search(text):
        return f"{m[3]}-{_month(m[2]):02d}-{int(m[1]):02d}"
    if m := _MONTH_DAY_YEAR.search(text):
        return f"{m[3]}-{_month(m[1]):02d}-{int(m[2]):02d}"
    if m := _MONTH_YEAR.search(text):
        return f"{m[2]}-{_month(m[1]):02d}"
    if year_alone and (m := _YEAR_ONLY.search(text)):
        return m[1]
    return None


def publication_date(running_lines: list[str], first_page: str) -> str | None:
    """From a dated running header/footer ("BRIEFING PAPER 226 · 2018") or a "Published" line."""
    for line in running_lines:
        if found := parse_stated_date(line, year_alone=True):
            return found
    for match in _PUBLISHED.finditer(first_page[:3000]):
        if found := parse_stated_date(first_page[match.end():match.end() + 40]):
            return found
    for line in first_page[:600].splitlines()[:8]:
        line = line.strip()
        if len(line) <= 40 and (found := parse_stated_date(line)) and len(line.split()) <= 5:
            return found
    return None
