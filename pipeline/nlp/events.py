"""Events: one record per dated happening, typed by its trigger word, with the actors taking
part in that happening.

Each date owns the clause between its neighbouring dates. Its trigger is the one nearest to
it (priority decides only between near neighbours, so "announced the creation of" is a
founding). A date that opens a list ("in 2018: forums, dialogues and an exercise") gives one
event per item, and a happening in a subordinate clause ("When X came to power in 2013, he
chose Russia for his first state visit") gives a second record. A year that only names a
document ("the 2015 Military Strategy states") or a period of validity ("a plan for the years
2017-2020") is no event of its own.

Participants are the actors near the trigger and date: forces, ministries and leaders also
count their state; sources ("according to X") and venues ("at the Valdai forum") are not
participants; a bilateral happening with one side named ("the two countries", "joint
exercises", "ten were delivered") takes the paper's focal pair of states.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .mentions import ActorMention, DateMention

EXTRACTOR = "rules:events"
NEAR_TIE = 25            # characters: triggers this much farther than the nearest still compete
ARGUMENT_REACH = 70      # characters around the trigger and date where participants are read
_TRIGGER_PATTERNS = [
    ("organisation", r"found(?:ed|ing)|founding members?|creation|created|accession|joined|"
                     r"membership|full members?|new members|admitted|observer status|"
                     r"granted (?:the )?status"),
    ("agreement", r"sign(?:ed|ing)|treaty|agreements?|accords?|pact|ratif\w*|entered into force|"
                  r"memorandum|road ?map|general plan|concluded|joint venture|partnership|"
                  r"upgraded into a project"),
    ("exercise", r"exercises?|drills?|man(?:oe|eu)vers?|manoeuvres?|patrols?|war ?games?|trained together"),
    ("arms_transfer", r"arms (?:sales|transfers|exports|deliveries)|sales?|sell(?:s|ing)?|sold|"
                      r"deliver(?:ed|y|ies)(?!\s+(?:his|her|their|a|an|the)\s+(?:[\w-]+\s+)?(?:speech|address|remarks|lecture|message))|purchas\w*|bought|buy(?:ing)?|acquir\w*|acquisitions?|"
                      r"advance payment|payments?|exports?|imports?|orders|deals?"),
    ("military", r"military operations?|operations?|tests?|test-fired|launch(?:ed|es)?|deploy\w*|"
                 r"naval base|bases?|bomb(?:ing|ed)|air ?strikes?|invasion|invaded|annex\w*|"
                 r"intervention|became operational|operational|showcased|anti-piracy"),
    ("meeting", r"visit(?:s|ed)?|summits?|met|meetings?|talks|dialogues?|forums?|parades?|"
                r"conferences?|consultations?|guest of honour|attend(?:ed)?"),
    ("political", r"came to power|elected|return\w* .{0,25}presidency|crisis|sanctions?|disputes?|"
                  r"split|collapse|dissolution|embargo|protests|coup|resign\w*|trade war|"
                  r"diplomatic relations|resolve[ds]?|outbreak|conflict|independence|"
                  r"political cooperation"),
    ("statement", r"speech|statements?|declar\w*|announc\w*|publish\w*|white paper|stated|said|"
                  r"reported|communiqu[eé]|called on|informed|accused|confirm\w*|defined|strategy|"
                  r"articulated|threatened"),
    ("other", r"establish(?:ed|ment)?|hotline|took place|occurred|began|started|initiated|intensified"),
]
TRIGGERS = [(kind, re.compile(rf"\b(?:{p})\b", re.IGNORECASE)) for kind, p in _TRIGGER_PATTERNS]
PRIORITY = {kind: i for i, (kind, _) in enumerate(TRIGGERS)}
BILATERAL_TYPES = {"agreement", "exercise", "arms_transfer"}

_ADJUNCT = re.compile(r"\b(?:after|before|since|following|until|prior to|during)\s+(?:the|its|their|this|that)\s+"
                      r"(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_DOCUMENT_YEAR = re.compile(
    r"^\s*(?:[A-Z][\w-]*\s+){0,3}(?:Strategy|Doctrine|White Paper|Report|Review|Concept|Paper)\s+"
    r"(?:states|says|notes|stresses|stipulates|emphasi[sz]es|argues|outlines|declares|reads)\b")
_VALIDITY = re.compile(r"\b(?:for|to|until|through|till)\s+(?:the\s+)?(?:years?|period)?\s*$", re.IGNORECASE)
_LOCATIVE = re.compile(r"\b(?:in|at|over|near|off|into)\s+(?:the\s+)?$", re.IGNORECASE)
_SUBCLAUSE = re.compile(r",\s+(?=(?:he|she|they|it|when|while|which)\b)|\s+when\s+|\s+while\s+|;\s*",
                        re.IGNORECASE)
_LIST_ITEM = re.compile(r"\s*[,;]\s*")
_NOT_PARTICIPANT = re.compile(r"(?:according to|reported by|\bat|\bnear|\boff|\bover|in the sidelines of)"
                              r"\s+(?:the\s+)?(?:recent\s+)?$", re.IGNORECASE)
_CUT = re.compile(r"in response to|calling on|in exchange for|in order to|:|;|,\s+\w+ing\b", re.IGNORECASE)
_BILATERAL_WORDS = re.compile(r"\b(?:joint(?:ly)?|bilateral|two countries|both countries|the parties|"
                              r"both sides|the two sides|each other|two states)\b", re.IGNORECASE)
_VENUE = re.compile(r"\bat\s+(?:the\s+)?(?:recent\s+|annual\s+|\w+\s+)?$", re.IGNORECASE)
_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?")
_PRONOUN = re.compile(r"\b(?:he|she|his|her)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Trigger:
    kind: str
    word: str
    start: int      # offsets in the sentence
    end: int
    weak: bool      # "after the launch", "at the forum": frames time or place, names no happening


@dataclass(frozen=True)
class EventMention:
    date: DateMention
    event_type: str
    trigger: str | None
    trigger_span: tuple[int, int] | None
    actors: tuple[str, ...]
    location: str | None
    cluster: str


def triggers_in(text: str, lo: int, hi: int, avoid: tuple[int, int],
                names: list[tuple[int, int]] = ()) -> list[Trigger]:
    """Every trigger in text[lo:hi] outside the date span `avoid` and outside actor names
    ("Treaty" in North Atlantic Treaty Organization), first match per position."""
    found: dict[int, Trigger] = {}
    quoted = [q.span() for q in _QUOTED.finditer(text)] + list(names)
    for kind, pattern in TRIGGERS:
        for m in pattern.finditer(text, lo, hi):
            if m.start() < avoid[1] and m.end() > avoid[0] or m.start() in found:
                continue
            if any(a <= m.start() < b for a, b in quoted):
                continue  # quoted text or an actor's name tells no happening of the paper's own
            before = text[max(0, m.start() - 40):m.start()]
            weak = bool(_ADJUNCT.search(before) or _VENUE.search(before))
            found[m.start()] = Trigger(kind, m.group(0), m.start(), m.end(), weak)
    return sorted(found.values(), key=lambda t: t.start)


def nearest(triggers: list[Trigger], span: tuple[int, int]) -> Trigger | None:
    strong = [t for t in triggers if not t.weak] or triggers
    if not strong:
        return None
    distance = {t: max(0, t.start - span[1], span[0] - t.end) for t in strong}
    best = min(distance.values())
    return min((t for t in strong if distance[t] <= best + NEAR_TIE), key=lambda t: PRIORITY[t.kind])


def cluster_id(event_type: str, date: str | None, date_end: str | None, actors: tuple[str, ...]) -> str:
    key = "|".join([event_type, date or "", date_end or "", *sorted(actors)])
    return hashlib.sha1(key.encode()).hexdigest()[:12]


@dataclass
class Context:
    """What events need to know beyond the sentence."""

    affiliation: dict[str, str]
    focus: tuple[str, ...] = ()     # the paper's two most-discussed states


def participants(text: str, offset: int, mentions: list[ActorMention], lo: int, hi: int,
                 kind: str, context: Context) -> tuple[str, ...]:
    """Canonical actors taking part in a happening described by text[lo:hi]."""
    cut = _CUT.search(text, lo, hi)
    hi = cut.start() if cut and cut.start() > lo else hi
    names: list[str] = []
    for m in mentions:
        at = m.start - offset
        if not lo <= at < hi or m.type == "other":
            continue
        if _NOT_PARTICIPANT.search(text[max(0, at - 30):at]):
            continue
        state = context.affiliation.get(m.name)
        if m.type in ("military", "organisation") and state:
            names.append(state)
            continue
        names.append(m.name)
        if state:
            names.append(state)
    if not any(m.type == "person" and lo <= m.start - offset < hi for m in mentions) \
            and _PRONOUN.search(text, lo, hi):
        earlier = [m for m in mentions if m.type == "person" and m.start - offset < lo]
        if earlier:
            names[:0] = [earlier[-1].name, *[s for s in [context.affiliation.get(earlier[-1].name)] if s]]
    states_named = [n for n in names if n in context.focus]
    bilateral = kind in BILATERAL_TYPES or _BILATERAL_WORDS.search(text, lo, hi)
    if context.focus and (not names or (bilateral and len(set(states_named)) == 1)):
        names.extend(context.focus)
    return tuple(dict.fromkeys(names))


def _location(text: str, offset: int, places: list[tuple[int, int, str]], lo: int, hi: int) -> str | None:
    for start, _, name in places:
        at = start - offset
        if lo <= at < hi and _LOCATIVE.search(text[max(0, at - 10):at]):
            return name
    return None


def _pieces(text: str, date_span: tuple[int, int], lo: int, hi: int) -> list[tuple[int, int, bool]]:
    """(start, end, holds the date) for the parts of a date's clause that may each hold a
    happening: list items after 'in 2018:', else sub-clauses."""
    colon = re.match(r"\s*:", text[date_span[1]:hi])
    if colon:
        start = date_span[1] + colon.end()
        parts, cursor = [], start
        for sep in _LIST_ITEM.finditer(text, start, hi):
            parts.append((cursor, sep.start(), False))
            cursor = sep.end()
        parts.append((cursor, hi, False))
        return parts
    parts, cursor = [], lo
    for sep in _SUBCLAUSE.finditer(text, lo, hi):
        parts.append((cursor, sep.start(), cursor <= date_span[0] < sep.start()))
        cursor = sep.end()
    parts.append((cursor, hi, cursor <= date_span[0] < hi))
    return parts


def find_events(text: str, offset: int, dates: list[DateMention], actors: list[ActorMention],
                places: list[tuple[int, int, str]], context: Context | None = None) -> list[EventMention]:
    """Events in one sentence. `text` is the sentence and `offset` its start in the document;
    dates, actors and places carry document offsets."""
    context = context or Context(affiliation={})
    kept = [d for d in sorted(dates, key=lambda d: d.start)
            if not _DOCUMENT_YEAR.match(text[d.end - offset:])
            and not _VALIDITY.search(text[:max(0, d.start - offset)])]
    name_spans = [(a.start - offset, a.end - offset) for a in actors]
    events: list[EventMention] = []
    for i, date in enumerate(kept):
        span = (date.start - offset, date.end - offset)
        lo = kept[i - 1].end - offset if i > 0 else 0
        hi = kept[i + 1].start - offset if i + 1 < len(kept) else len(text)
        pieces = _pieces(text, span, lo, hi)
        is_list = not any(holds for _, _, holds in pieces)
        chosen: list[tuple[Trigger, int, int]] = []
        for start, end, holds_date in pieces:
            found = triggers_in(text, start, end, span, name_spans)
            if is_list:
                firsts = {}
                for t in found:
                    firsts.setdefault(t.kind, t)
                chosen.extend((t, start, end) for t in firsts.values() if not t.weak)
            elif holds_date:
                t = nearest(found, span)
                if t is not None:
                    chosen.insert(0, (t, start, end))
            else:
                second = next((t for t in found if not t.weak and t.kind != "other"), None)
                if second is not None:  # "other" ("took place") never makes a second happening
                    chosen.append((second, start, end))
        if not chosen:
            fallback = nearest(triggers_in(text, 0, len(text), span, name_spans), span)
            if fallback is None:
                continue  # a year mentioned without a happening
            chosen = [(fallback, lo, hi)]
        if len(chosen) > 1:  # "X occurred in 2008 when Y resolved ...": Y is the happening
            chosen = [c for c in chosen if c[0].kind != "other"] or chosen[:1]
        seen_kinds: set[str] = set()
        for trigger, start, end in chosen:
            if trigger.kind in seen_kinds and not is_list:
                continue
            seen_kinds.add(trigger.kind)
            near_lo = max(start, min(trigger.start, span[0]) - ARGUMENT_REACH) if not is_list else start
            near_hi = min(end, max(trigger.end, span[1]) + ARGUMENT_REACH) if not is_list else end
            names = participants(text, offset, actors, near_lo, near_hi, trigger.kind, context) \
                or participants(text, offset, actors, lo, hi, trigger.kind, context)
            events.append(EventMention(
                date, trigger.kind, trigger.word, (trigger.start + offset, trigger.end + offset), names,
                _location(text, offset, places, lo, hi),
                cluster_id(trigger.kind, date.date, date.date_end, names)))
    return events
