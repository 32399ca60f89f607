"""Sentences that hold a date, a money amount, a percentage or a count but gave no event or
figure: the reviewers' queue for what the extractor missed. The cues are deliberately
simpler and wider than the extractors, so they catch what the rules overlook; review that
only sees proposals never measures recall."""
from __future__ import annotations

import re

CUES = {
    "date": re.compile(r"\b(?:1[89]\d\d|20\d\d)s?\b|\b(?:January|February|March|April|June|July|August|"
                       r"September|October|November|December)\b"),
    "money": re.compile(r"[$€£]\s?\d|\b\d[\d.,]*\s*(?:thousand|million|billion|trillion|bn|m)?\s*"
                        r"(?:USD|EUR|dollars|euros|roubles|rubles|yuan|pounds)\b", re.IGNORECASE),
    "percentage": re.compile(r"\d\s*(?:%|per\s?cent|percent)", re.IGNORECASE),
    "count": re.compile(r"(?<![A-Za-z]-)\b\d[\d.,]*\s+(?:[a-z-]+\s+)?[a-z]{3,}s\b"),
}


def cues_in(sentence: str) -> list[str]:
    return [name for name, pattern in CUES.items() if pattern.search(sentence)]


def missed_sentences(text: str, sentences: list[tuple[int, int]], records: list) -> list[dict]:
    covered = {(r.evidence.start, r.evidence.end) for r in records if r.kind in ("event", "figure")}
    misses = []
    for start, end in sentences:
        if (start, end) in covered:
            continue
        cues = cues_in(text[start:end])
        if cues:
            misses.append({"start": start, "end": end, "cues": cues})
    return misses
