"""Spans found in the text, before they become records: actor mentions and date mentions.

Kept as plain dataclasses with document offsets, so stages exchange plain values and never
spaCy objects.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ActorMention:
    start: int          # character offsets in the document text
    end: int
    text: str
    name: str           # canonical name
    type: str           # state, organisation, person, military, other
    extractor: str


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    date: str | None    # ISO start, None when unresolved
    date_end: str | None
    precision: str      # day, month, season, year, decade, range, unresolved
    reason: str
    extractor: str
    explicit: bool      # states its own year (an anchor for later relative dates)
