"""Events: one record per dated happening, typed by its trigger word, with the actors taking
part in that happening.

Each date in a sentence owns the stretch of text between its neighbours (its clause); the
trigger and the actors are read there first, then in the whole sentence. A year that only
names a document ("the 2015 Military Strategy states that") is no event of its own.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .mentions import ActorMention, DateMention

EXTRACTOR = "rules:events"
# (event type, trigger pattern), most specific first: the first type found in a clause wins.
TRIGGERS: list[tuple[str, re.Pattern]] = [(kind, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)) for kind, pattern in [
    ("organisation", r"found(?:ed|ing)|founding members?|establish(?:ed|ment)|creation|created|accession|"
                     r"joined|membership|full members?|new members|admitted|observer status|"
                     r"granted (?:the )?status"),
    ("agreement", r"sign(?:ed|ing)|treaty|agreements?|accords?|pact|ratif\w*|entered into force|"
                  r"memorandum|road ?map|general plan|concluded"),
    ("exercise", r"exercises?|drills?|man(?:oe|eu)vers?|manoeuvres?|patrols?|war ?games?|trained together"),
    ("arms_transfer", r"arms (?:sales|transfers|exports|deliveries)|sales?|sell(?:s|ing)?|sold|"
                      r"deliver(?:ed|y|ies)|purchas\w*|bought|buy(?:ing)?|acquir\w*|acquisitions?|"
                      r"advance payment|payments?|exports?|imports?|orders|deals?"),
    ("military", r"military operation|operations?|tests?|test-fired|launch(?:ed|es)?|deploy\w*|"
                 r"naval base|bases?|bomb(?:ing|ed)|air ?strikes?|invasion|invaded|annex\w*|"
                 r"intervention|became operational|operational|showcased|hotline|anti-piracy"),
    ("meeting", r"visit(?:s|ed)?|summits?|met|meetings?|talks|dialogues?|forums?|parades?|"
                r"conferences?|consultations?|guest of honour|attend(?:ed)?"),
    ("political", r"came to power|elected|return\w* .{0,25}presidency|crisis|sanctions?|disputes?|"
                  r"split|collapse|dissolution|embargo|protests|coup|resign\w*|trade war|"
                  r"diplomatic relations|resolve[ds]?|outbreak|conflict|independence|power"),
    ("statement", r"speech|statements?|declar\w*|announc\w*|publish\w*|white paper|stated|said|"
                  r"reported|communiqu[eé]|called on|informed|accused|confirm\w*|defined|strategy|"
                  r"articulated"),
]]
_ADJUNCT = re.compile(r"\b(?:after|before|since|following|until|prior to|during)\s+(?:the|its|their|this|that)\s+"
                      r"(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_DOCUMENT_YEAR = re.compile(
    r"^\s*(?:[A-Z][\w-]*\s+){0,3}(?:Strategy|Doctrine|White Paper|Report|Review|Concept|Paper)\s+"
    r"(?:states|says|notes|stresses|stipulates|emphasi[sz]es|argues|outlines|declares|reads)\b")
# "a plan for the years 2017–2020", "Strategy ... to 2020": a period of validity, not a happening
_VALIDITY = re.compile(r"\b(?:for|to|until|through|till)\s+(?:the\s+)?(?:years?|period)?\s*$", re.IGNORECASE)
_LOCATIVE = re.compile(r"\b(?:in|at|over|near|off|into)\s+(?:the\s+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class EventMention:
    date: DateMention
    event_type: str
    trigger: str | None
    trigger_span: tuple[int, int] | None
    actors: tuple[str, ...]
    location: str | None
    cluster: str


def _trigger(text: str, lo: int, hi: int) -> tuple[str, str, tuple[int, int]] | None:
    """(type, trigger word, span) of the most specific trigger in text[lo:hi]."""
    weak = None
    for kind, pattern in TRIGGERS:
        for m in pattern.finditer(text, lo, hi):
            if _ADJUNCT.search(text[max(0, m.start() - 40):m.start()]):
                weak = weak or (kind, m.group(0), m.span())  # "after the launch" only frames the time
                continue
            return kind, m.group(0), m.span()
    return weak


def _names_a_document(text: str, date: DateMention, offset: int) -> bool:
    return bool(_DOCUMENT_YEAR.match(text[date.end - offset:]))


def cluster_id(event_type: str, date: str | None, date_end: str | None, actors: tuple[str, ...]) -> str:
    key = "|".join([event_type, date or "", date_end or "", *sorted(actors)])
    return hashlib.sha1(key.encode()).hexdigest()[:12]


def find_events(text: str, offset: int, dates: list[DateMention], actors: list[ActorMention],
                places: list[tuple[int, int, str]]) -> list[EventMention]:
    """Events in one sentence. `text` is the sentence, `offset` its start in the document;
    dates, actors and places carry document offsets."""
    events: list[EventMention] = []
    dates = sorted(dates, key=lambda d: d.start)
    for i, date in enumerate(dates):
        if _names_a_document(text, date, offset) or _VALIDITY.search(text[:date.start - offset]):
            continue
        lo = dates[i - 1].end - offset if i > 0 else 0
        hi = dates[i + 1].start - offset if i + 1 < len(dates) else len(text)
        found = _trigger(text, lo, hi) or _trigger(text, 0, len(text))
        if found is None:
            continue  # a year mentioned without a happening
        kind, word, span = found
        in_clause = [a for a in actors if lo <= a.start - offset < hi]
        chosen = in_clause or actors
        names = tuple(dict.fromkeys(a.name for a in chosen if a.type != "other"))
        location = next((p_text for p_start, p_end, p_text in places
                         if lo <= p_start - offset < hi
                         and _LOCATIVE.search(text[max(0, p_start - offset - 10):p_start - offset])), None)
        events.append(EventMention(date, kind, word, (span[0] + offset, span[1] + offset), names,
                                   location, cluster_id(kind, date.date, date.date_end, names)))
    return events
