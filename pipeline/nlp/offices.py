"""Offices and their holders: who was "the President" or "the foreign minister" on a date.

Two pure functions for the event rules:

- ``holder(state, role, date)``: the person holding `role` in `state` (or an organisation, for
  ``secretary_general``) on an ISO date of day, month or year precision;
- ``find_roles(text)``: every mention of an office in a text ("the President", "Secretary of
  State", "Russia's defence minister", "the Chinese foreign minister"), with the state it
  names, if any;
- ``agent_sector(noun)``: the sector of a generic agent ("troops" -> military, "lawmakers" ->
  legislature), from Phoenix's agents dictionary (``patterns/agents.jsonl``).

Roles are the offices' English titles: ``president``, ``vice_president``, ``prime_minister``
(premiers and German chancellors too), ``monarch``, ``supreme_leader``, ``foreign_minister``,
``defence_minister``, ``secretary_general``. Terms come from ``patterns/officeholders.jsonl``
(generated from the Phoenix dictionaries, which end in January 2014) and the hand-kept
``patterns/officeholders_extra.jsonl`` (later holders). A term runs from its start day up to,
not including, its end day; a term left open ends where the next holder's begins.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date as Date

import srsly

from .gazetteer import PATTERNS_DIR, rows

ROLES = ("president", "vice_president", "prime_minister", "monarch", "supreme_leader",
         "foreign_minister", "defence_minister", "secretary_general")
_FAR = Date(9999, 12, 31)

# Most specific first: "Secretary of State for Defence" before "Secretary of State".
_ROLE_PHRASES: list[tuple[str, str, str | None]] = [
    (r"[Vv]ice[- ][Pp]resident", "vice_president", None),
    (r"Secretary of State for Defen[cs]e|[Dd]efen[cs]e [Ss]ecretary", "defence_minister", None),
    (r"Secretary of (?:Defense|War)", "defence_minister", "United States"),
    (r"[Dd]efen[cs]e [Mm]inister|[Mm]inister of (?:National )?Defen[cs]e|[Mm]inister for Defen[cs]e",
     "defence_minister", None),
    (r"Secretary of State", "foreign_minister", "United States"),
    (r"[Ff]oreign [Ss]ecretary", "foreign_minister", "United Kingdom"),
    (r"[Ff]oreign [Mm]inister|[Mm]inister (?:of|for) (?:Foreign|External) Affairs|"
     r"[Ee]xternal [Aa]ffairs [Mm]inister", "foreign_minister", None),
    (r"[Pp]rime [Mm]inister|Premier|Chancellor(?! of the Exchequer)", "prime_minister", None),
    (r"Supreme Leader", "supreme_leader", None),
    (r"Secretary[- ]General", "secretary_general", None),
    (r"[Pp]resident(?!ial)", "president", None),
    (r"King|Queen|Emperor|Empress|[Mm]onarch", "monarch", None),
]
_ROLE = re.compile("|".join(f"(?P<r{i}>{p})" for i, (p, _, _) in enumerate(_ROLE_PHRASES)))
_BEFORE = re.compile(r"(?:(?:the|then|former|current)\s+)?(?P<state>(?:[A-Z][\w.’'-]*\s+){0,3}?"
                     r"[A-Z][\w.’'-]*?)(?:’s|'s)?\s+$")
_AFTER = re.compile(r"^\s+of\s+(?:the\s+)?(?P<state>(?:[A-Z][\w.’'-]*)(?:\s+[A-Z][\w.’'-]*){0,3})")


@dataclass(frozen=True)
class RoleMention:
    start: int            # character offsets in the text given to find_roles
    end: int
    text: str
    role: str             # one of ROLES
    state: str | None     # the state (or organisation) named with it, or the title's own state
    named: str | None     # the name that follows the title ("President Trump" -> "Trump"), if any


# --- the terms ----------------------------------------------------------------------------
def _iso(text: str | None) -> Date | None:
    return Date.fromisoformat(text) if text else None


@functools.lru_cache(maxsize=1)
def _terms() -> dict[tuple[str, str], list[tuple[Date, Date, str]]]:
    """(state, role) -> terms (start, end, person) by start; open terms end at the next start."""
    raw: dict[tuple[str, str], list[tuple[Date, Date | None, str, int]]] = {}
    for name, rank in (("officeholders_extra.jsonl", 0), ("officeholders.jsonl", 1)):
        path = PATTERNS_DIR / name
        for row in srsly.read_jsonl(path) if path.exists() else []:
            if row.get("role") in ROLES and row.get("start"):
                raw.setdefault((row["state"], row["role"]), []).append(
                    (_iso(row["start"]), _iso(row.get("end")), row["person"], rank))
    table = {}
    for key, terms in raw.items():
        terms.sort(key=lambda t: (t[0], t[3]))
        out = []
        for i, (start, end, person, rank) in enumerate(terms):
            later = [t[0] for t in terms[i + 1:] if t[0] > start]
            if end is None:
                end = later[0] if later else _FAR
            elif rank == 1 and later and later[0] < end:
                end = later[0]   # the hand-kept file knows better where a Phoenix term ends
            out.append((start, end, person))
        table[key] = out
    return table


def _period(iso: str) -> tuple[Date, Date]:
    """'2017' -> [2017-01-01, 2018-01-01); '2017-03' -> March; '2017-03-05' -> that day."""
    parts = [int(p) for p in iso.split("-")[:3]]
    if len(parts) == 1:
        return Date(parts[0], 1, 1), Date(parts[0] + 1, 1, 1)
    if len(parts) == 2:
        y, m = parts
        return Date(y, m, 1), Date(y + (m == 12), m % 12 + 1, 1)
    day = Date(*parts)
    return day, Date.fromordinal(day.toordinal() + 1)


def holder(state: str, role: str, date: str) -> str | None:
    """The person who held `role` in `state` on `date` (ISO: '2017', '2017-03', '2017-03-05').

    For a month or a year, the person who held the office for more than half of it; None when
    nobody did (the office changed hands mid-period, or the tables do not know it)."""
    try:
        lo, hi = _period(date)
    except (ValueError, TypeError):
        return None
    best, best_days = None, 0
    for start, end, person in _terms().get((state, role), []):
        days = (min(end, hi) - max(start, lo)).days
        if days > best_days:
            best, best_days = person, days
    return best if best_days * 2 > (hi - lo).days else None


@functools.lru_cache(maxsize=1)
def office_states() -> dict[str, str]:
    """Person -> the state (or organisation) whose office they held, from the term tables."""
    out: dict[str, str] = {}
    for (state, _role), terms in _terms().items():
        for _start, _end, person in terms:
            out.setdefault(person, state)
    return out


# --- generic agents -----------------------------------------------------------------------
SECTOR_NAMES = {"GOV": "government", "MIL": "military", "LEG": "legislature", "JUD": "judiciary",
                "COP": "police", "SPY": "intelligence", "REB": "rebels", "OPP": "opposition",
                "UAF": "armed group", "BUS": "business", "MED": "media", "CVL": "civilians",
                "CRM": "criminals", "NGO": "non-governmental organisation", "PTY": "party",
                "ELI": "elite", "EDU": "education", "HLH": "health", "LAB": "labour",
                "REF": "refugees", "AGR": "agriculture", "ENV": "environment", "HRI": "human rights"}


@functools.lru_cache(maxsize=1)
def _agents() -> dict[str, str]:
    path = PATTERNS_DIR / "agents.jsonl"
    table: dict[str, str] = {}
    for row in srsly.read_jsonl(path) if path.exists() else []:
        code = row["code"].replace("~", "")
        sector = SECTOR_NAMES.get(code[:3])
        if sector:
            for phrase in [row["phrase"], *row.get("plurals", [])]:
                table.setdefault(phrase, sector)
    return table


def agent_sector(noun: str) -> str | None:
    """The sector a generic agent belongs to: 'troops' -> 'military', 'foreign minister' ->
    'government', 'lawmakers' -> 'legislature'; None for a word that names no agent."""
    return _agents().get(" ".join(noun.lower().split()))


# --- role mentions ------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _state_names() -> dict[str, str]:
    """Names, demonyms and short forms of states and organisations -> canonical name."""
    names = {}
    for row in rows():
        if row["label"] in ("STATE", "ORGANISATION") and isinstance(row["pattern"], str):
            names.setdefault(row["pattern"], row["id"])
    return names


def _state_in(phrase: str, at_start: bool = False) -> tuple[str, str] | None:
    """(canonical, the words naming it): the longest known name at the end of `phrase` (at
    its start with `at_start`)."""
    names = _state_names()
    words = phrase.split()
    spans = [words[:i] for i in range(len(words), 0, -1)] if at_start else \
        [words[i:] for i in range(len(words))]
    for span in spans:
        candidate = " ".join(span)
        if candidate in names:
            return names[candidate], candidate
    return None


def find_roles(text: str) -> list[RoleMention]:
    """Mentions of offices in `text`, each with the state named before it ("Russia's", "the
    Chinese", "U.S.") or after it ("of France"); titles that belong to one state ("Secretary
    of State") name it themselves. A King or Queen needs a state or a name to count."""
    found = []
    for m in _ROLE.finditer(text):
        index = next(int(k[1:]) for k, v in m.groupdict().items() if v)
        _, role, own_state = _ROLE_PHRASES[index]
        start, end = m.start(), m.end()
        if start and (text[start - 1].isalnum() or text[start - 1] == "-") or \
                end < len(text) and text[end].isalnum():
            continue
        if role != "vice_president" and re.search(r"\b(?:Deputy|Vice|Assistant|Under|Acting [A-Z]\w+)\s+$",
                                                  text[max(0, start - 12):start], re.IGNORECASE):
            continue   # "Deputy Prime Minister" is another office
        before = _BEFORE.search(text[max(0, start - 60):start])
        after = _AFTER.match(text[end:end + 60])
        state = None
        if after:
            hit = _state_in(after.group("state"), at_start=True)
            if hit:
                state = hit[0]
                end += after.start("state") + len(hit[1])
        if state is None and before:
            hit = _state_in(before.group("state"))
            if hit:
                state = hit[0]
                start -= len(before.group(0)) - before.group(0).rfind(hit[1])
        named = re.match(r"\s+((?:[A-Z][a-z’'-]+\s+){0,2}[A-Z][a-z’'-]+)", text[end:end + 40])
        name = named.group(1) if named and _state_in(named.group(1)) is None else None
        if role == "monarch" and state is None and name is None:
            continue
        found.append(RoleMention(start, end, text[start:end], role, state or own_state, name))
    return found
