"""Regenerate the Phoenix-derived gazetteer files from the PETRARCH2 dictionaries (MIT).

Run by hand when the dictionaries change (nothing reads them at run time):

    .venv/bin/python pipeline/nlp/patterns/build_phoenix.py [PHOENIX_DIR]

PHOENIX_DIR defaults to ``../shared/vendor/petrarch2`` beside the repository. It writes, next
to this script:

- ``phoenix_organisations.jsonl``: EntityRuler rows (label ORGANISATION) for the
  intergovernmental organisations of ``Phoenix.International.actors.txt``;
- ``phoenix_armed_groups.jsonl``: rows (label ARMED_GROUP) for the armed non-state groups of
  ``Phoenix.MilNonState.actors.txt``;
- ``phoenix_people.jsonl``: rows (label PERSON, with ``state``) for heads of state and
  government and ministers of ``Phoenix.Countries.actors.txt`` in office since 2000, full names
  only;
- ``officeholders.jsonl``: one row per government or defence post held since 1990 (since 1945
  where the role is known): person, state, sector (government, defence), role where the
  dictionary tells it (president, vice_president, prime_minister, monarch, foreign_minister,
  defence_minister; else null), start and end (ISO dates; null = open);
- ``agents.jsonl``: generic agents ("foreign minister", "army") with their CAMEO sector code;
- ``discards.jsonl``: phrases that look like actors and are not (lower case).

Precision over coverage: patterns are case-sensitive proper names (title-cased) and acronyms;
a one-word name or acronym that is also an ordinary English word ("ETA", "Hamas" aside) or
has two letters or fewer is left out, and so are persons' bare surnames. A phrase a hand-kept
file already lists keeps the hand-kept canonical name. Office holders after January 2014 are
not in the dictionaries: ``officeholders_extra.jsonl`` is kept by hand.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parents[3] / "shared" / "vendor" / "petrarch2"
HAND_FILES = ["states.jsonl", "states_extra.jsonl", "organisations.jsonl", "military.jsonl",
              "leaders.jsonl"]
SMALL = {"of", "for", "and", "the", "on", "in", "to", "at", "de", "du", "des", "la", "le", "al",
         "el", "bin", "ibn", "von", "van", "der", "y", "del", "da", "e", "et", "against"}
ROLE_HINTS = [  # alias words -> role (the office's English title), most specific first
    (re.compile(r"VICE[_-]PRESIDENT"), "vice_president"),
    (re.compile(r"FOREIGN_MINISTER|SECRETARY_OF_STATE|FOREIGN_SECRETARY"), "foreign_minister"),
    (re.compile(r"DEFEN[CS]E_MINISTER|SECRETARY_OF_DEFEN[CS]E|DEFEN[CS]E_SECRETARY"), "defence_minister"),
    (re.compile(r"PRIME_MINISTER|PREMIER|CHANCELLOR"), "prime_minister"),
    (re.compile(r"(?<![A-Z])PRESIDENT(?!IAL)"), "president"),
    (re.compile(r"(?<![A-Z])(?:KING|QUEEN|EMIR|SULTAN|EMPEROR)_"), "monarch"),
]
HEADING_ROLES = [  # section comments in the United States block: "# U.S. Secretaries of State"
    (re.compile(r"Vice Presidents", re.I), "vice_president"),
    (re.compile(r"Secretar(?:y|ies) of State", re.I), "foreign_minister"),
    (re.compile(r"Secretar(?:y|ies) of Defen[cs]e", re.I), "defence_minister"),
    (re.compile(r"Presidents", re.I), "president"),
]
SECTORS = {"": "government", "MIL": "defence", "JUD": "justice", "BUS": "economy", "AGR": "agriculture",
           "MED": "media", "EDU": "education", "HLH": "health", "DEV": "development", "LAB": "labour",
           "ENV": "environment", "HRI": "human rights", "LEG": "legislature", "REL": "religion",
           "COP": "police", "SPY": "intelligence", "REF": "refugees", "MUS": "religion",
           "PTY": "party"}


@dataclass
class Entry:
    phrases: list[str]
    codes: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    heading: str = ""


# --- reading the dictionaries --------------------------------------------------------------
def _date(raw: str) -> str:
    raw = raw.strip()
    if len(raw) == 6:
        year = int(raw[:2])
        raw = f"{2000 + year if year <= 14 else 1900 + year}{raw[2:]}"
    if len(raw) != 8:
        raise ValueError(raw)
    month, day = raw[4:6], raw[6:8]
    month = month if "01" <= month <= "12" else "01"
    day = day if "01" <= day <= "31" else "01"
    return f"{raw[:4]}-{month}-{day}"


def _code(text: str) -> tuple[str, str | None, str | None] | None:
    """'[RUSGOV 991231-080507]' -> ('RUSGOV', '1999-12-31', '2008-05-07'); '>080508' is open."""
    m = re.match(r"\[\s*([A-Z~-]+)\s*([<>]?)\s*(\d{6,8})?(?:\s*-\s*(\d{6,8}))?\s*\]", text)
    if not m:
        return None
    code, sign, first, second = m.groups()
    try:
        if sign == ">" and first:
            return code, _date(first), None
        if sign == "<" and first:
            return code, None, _date(first)
        if first and second:
            return code, _date(first), _date(second)
    except ValueError:
        return None
    return code, None, None


def read_actors(path: Path) -> list[Entry]:
    """Entries of a Phoenix .actors file: a primary phrase, '+' synonyms, date-restricted codes.
    A primary line with no code, followed on the next line by another primary, shares that
    one's codes (the dictionaries list some alternative names so)."""
    entries: list[Entry] = []
    heading = ""
    current: Entry | None = None
    blank = True
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not raw.strip():
            blank = True
            continue
        if raw.lstrip().startswith("#"):
            heading = raw.lstrip("# ").strip()
            continue
        body = raw.split("#")[0].rstrip()
        codes = [c for c in (_code(x) for x in re.findall(r"\[[^\]]*\]", body)) if c]
        phrase = re.sub(r"\[[^\]]*\]", "", body).strip()
        if raw[0] in " \t" and not phrase.startswith("+"):
            if current is not None:
                current.codes.extend(codes)
        elif phrase.startswith("+"):
            if current is not None:
                current.phrases.append(phrase[1:].strip())
                current.codes.extend(codes)
        elif phrase and current is not None and not current.codes and not blank:
            current.phrases.append(phrase)
            current.codes.extend(codes)
        elif phrase:
            current = Entry([phrase], list(codes), heading)
            entries.append(current)
        blank = False
    return entries


def read_agents(path: Path) -> list[dict]:
    """Generic agents: phrase, plural forms and CAMEO sector code (with its ~ position)."""
    substitutions: dict[str, list[str]] = {}
    out = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#")[0].strip()
        if not line or line.startswith("<!--"):
            continue
        m = re.match(r"^(!\w+!)\s*=\s*(.+)$", line)
        if m:
            substitutions[m.group(1)] = [w.strip() for w in m.group(2).split(",")]
            continue
        m = re.match(r"^(.+?)\s*(?:\{([^}]*)\})?\s*\[([^\]]+)\]", line)
        if not m:
            continue
        phrase, plural, code = m.groups()
        marker = re.search(r"!\w+!", phrase)
        phrases = [phrase.replace(marker.group(0), s) for s in substitutions.get(marker.group(0), [])] \
            if marker else [phrase]
        for p in phrases:
            words = p.replace("_", " ").strip().lower()
            if plural is None:
                plurals = [_plural(words)]
            else:
                plurals = [x.replace("_", " ").lower() for x in plural.split()]
            out.append({"phrase": words, "plurals": [x for x in plurals if x and x != words],
                        "code": code.strip()})
    return out


def _plural(words: str) -> str:
    if words.endswith("y") and not words.endswith(("ay", "ey", "oy")):
        return words[:-1] + "ies"
    return words + ("es" if words.endswith(("ss", "sh", "ch", "x")) else "s")


def read_discards(path: Path) -> list[str]:
    out = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#")[0].strip().lstrip("+").strip().rstrip("_").replace("_", " ")
        if line and not line.isdigit() and len(line) > 2:
            out.append(" ".join(line.lower().split()))
    return sorted(set(out))


# --- phrases into names ------------------------------------------------------------------
def _is_acronym(token: str) -> bool:
    letters = re.sub(r"[^A-Z]", "", token)
    return bool(letters) and ("." in token or not re.search(r"[AEIOU]", letters) or len(letters) <= 4)


def title(phrase: str) -> tuple[str, list[str]]:
    """'ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_' -> ('Aden Abyan Islamic Army', ['AAIA'])."""
    text = phrase.replace("_", " ")
    acronyms = [a for a in re.findall(r"\(([A-Z.]{2,10})\)", text)]
    text = re.sub(r"\([^)]*\)", " ", text)
    words = [w for w in text.split() if w]
    if words and words[0].upper() == "THE":
        words = words[1:]
    out = []
    for i, w in enumerate(words):
        if len(words) == 1 and _is_acronym(w):
            out.append(w)
        elif w.lower() in SMALL and i > 0:
            out.append(w.lower())
        elif re.fullmatch(r"[IVX]+", w) and i > 0:
            out.append(w)
        elif len(words) > 1 and _is_acronym(w) and (len(w) <= 3 or "." in w) and \
                not re.search(r"[AEIOU]", w.replace(".", "")[1:]) and w.isupper() and len(w) > 1:
            out.append(w)
        else:
            out.append("-".join(_cap(part) for part in w.split("-")))
    return " ".join(out), acronyms


def _cap(part: str) -> str:
    part = part.lower()
    part = re.sub(r"^(o'|d'|mc)([a-z])", lambda m: m.group(1).capitalize() + m.group(2).upper(), part)
    return part[:1].upper() + part[1:]


def _hand_ids() -> dict[str, str]:
    ids = {}
    for name in HAND_FILES:
        for line in (HERE / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if isinstance(row["pattern"], str):
                ids.setdefault(row["pattern"], row["id"])
    return ids


def _english() -> frozenset[str]:
    sys.path.insert(0, str(HERE.parents[3]))
    try:
        from briefex.pipeline.nlp.actors import english_words
    except ImportError:   # run from a checkout without the package installed
        return frozenset()
    return english_words()


def _institution_heads() -> set[str]:
    from briefex.pipeline.nlp.actors import INSTITUTION_HEADS
    return INSTITUTION_HEADS


def _usable(pattern: str, english: frozenset[str]) -> bool:
    """A pattern precise enough to match case-sensitively anywhere in a paper."""
    words = pattern.split()
    if not words or any(ch.isdigit() for ch in pattern) or len(pattern) <= 2:
        return False
    if len(words) == 1:
        return pattern.lower() not in english and len(re.sub(r"[^A-Za-z]", "", pattern)) >= 3
    return words[0][:1].isupper()


# --- organisations and armed groups ------------------------------------------------------
def _spelling(name: str) -> str:
    """One key for British and American spellings and hyphenation: 'Organisation for
    Co-operation' = 'Organization for Cooperation'."""
    key = re.sub(r"isation\b", "ization", name.lower())
    return re.sub(r"[\s-]+", " ", key.replace("co-op", "coop")).strip()


GROUP_HEADS = {"army", "front", "brigade", "brigades", "movement", "group", "groups", "organization",
               "organisation", "party", "tigers", "militia", "militias", "cells", "cell", "nuclei",
               "commando", "commandos", "faction", "forces", "force", "resistance", "jihad",
               "mujahideen", "council", "network", "battalion", "battalions", "squad", "squads",
               "legion", "guard", "guards", "union", "alliance", "committee", "league", "fighters",
               "command", "units", "unit", "jamaat", "jemaah", "lashkar", "jaish", "hizb", "harakat",
               "tehrik", "ansar", "fatah", "liberation"}


def _group_name(name: str, english: frozenset[str]) -> bool:
    """An armed group's name: a group noun ("... Liberation Front") or, for one word, no
    ordinary English word ("Hezbollah"); a person's name has neither."""
    words = [w.lower() for w in re.split(r"[\s-]+", name) if w]
    if any(w in GROUP_HEADS for w in words):
        return True
    return len(words) == 1 and words[0] not in english

def organisation_rows(entries: list[Entry], label: str, hand: dict[str, str], english: frozenset[str],
                      keep) -> list[dict]:
    heads = _institution_heads()
    hand_spelling = {_spelling(name): canonical for name, canonical in hand.items()}
    by_code: dict[str, str] = {}
    groups = []
    for entry in entries:
        if not keep(entry):
            continue
        names, acronyms = [], []
        for phrase in entry.phrases:
            name, acr = title(phrase)
            acronyms += acr
            (acronyms if len(name.split()) == 1 and name.isupper() else names).append(name)
        names = [n for n in names if n]
        long_names = [n for n in names if len(n.split()) > 1]
        if label == "ORGANISATION":
            long_names = [n for n in long_names if any(w.lower() in heads for w in n.split())]
            if not long_names and not acronyms:
                continue
        elif not any(_group_name(n, english) for n in names) and not acronyms:
            continue   # a person or a phrase of ordinary words ("Black Star")
        canonical = next((hand[n] for n in names + acronyms if n in hand), None) or \
            next((hand_spelling[_spelling(n)] for n in names if _spelling(n) in hand_spelling), None) or \
            (long_names[0] if long_names else (names[0] if names else acronyms[0]))
        if re.search(r"\b(?:Secretary|Rapporteur|Representative|Envoy|Monitor|Peacekeeper)s?\b", canonical):
            continue   # an officer of an organisation, not the organisation
        hand_spelling.setdefault(_spelling(canonical), canonical)
        codes = {c for c, _, _ in entry.codes if len(c) > 6}
        for code in codes:
            if len(canonical.split()) > 1:
                by_code.setdefault(code, canonical)
        groups.append((canonical, names + acronyms, codes))
    rows, seen = [], set()
    for canonical, patterns, codes in groups:
        if canonical.isupper():   # an acronym alone: its long form from an entry of the same code
            for code in codes:
                long_form = by_code.get(code)
                if long_form and "".join(w[0] for w in long_form.split() if w[0].isupper()) == canonical:
                    canonical = long_form
        for pattern in patterns:
            if pattern in seen or not _usable(pattern, english):
                continue
            if label == "ORGANISATION" and len(pattern.split()) > 1 and \
                    not any(w.lower() in heads for w in pattern.split()):
                continue
            if label == "ARMED_GROUP" and not pattern.isupper() and not _group_name(pattern, english):
                continue
            if len(pattern.split()) == 1 and (pattern.isupper() and not _is_acronym(pattern)
                                              or not pattern.isupper() and pattern != canonical):
                continue   # "Nasrallah" for Hezbollah is a person; "MAVERICKS" a shouted word
            seen.add(pattern)
            rows.append({"label": label, "pattern": pattern, "id": hand.get(pattern, canonical),
                         "source": "phoenix"})
    return rows


# --- office holders ----------------------------------------------------------------------
def _states() -> dict[str, str]:
    """ISO 3166 alpha-3 -> the canonical state name states.jsonl uses."""
    import pycountry

    canonical = {}
    names = {json.loads(line)["pattern"]: json.loads(line)["id"]
             for line in (HERE / "states.jsonl").read_text(encoding="utf-8").splitlines()}
    for country in pycountry.countries:
        for n in (getattr(country, "common_name", None), country.name,
                  getattr(country, "official_name", None)):
            if n and n in names:
                canonical[country.alpha_3] = names[n]
                break
    canonical.update({"RUS": "Russia", "USA": "United States", "GBR": "United Kingdom", "KOR": "South Korea",
                      "PRK": "North Korea", "IRN": "Iran", "SYR": "Syria", "TWN": "Taiwan", "VNM": "Vietnam"})
    return canonical


def _person_name(phrase: str) -> str | None:
    name, _ = title(phrase)
    words = name.split()
    if not (2 <= len(words) <= 4) or any(w.lower() in {"administration", "government", "president",
                                                        "minister", "secretary", "mr", "mr.", "senator",
                                                        "governor", "gov.", "general", "leader"}
                                         for w in words):
        return None
    return name


def officeholder_rows(entries: list[Entry], states: dict[str, str], hand: dict[str, str]) -> list[dict]:
    rows = []
    for entry in entries:
        terms = [(c, s, e) for c, s, e in entry.codes if len(c) >= 6 and c[3:6] == "GOV"
                 and c[:3] in states and (s or e)]
        if not terms:
            continue
        names = [n for n in (_person_name(p) for p in entry.phrases) if n]
        if not names:
            continue
        person = next((hand[n] for n in names if n in hand), names[0])
        hint = next((role for rx, role in ROLE_HINTS for p in entry.phrases if rx.search(p.upper())), None)
        heading = next((role for rx, role in HEADING_ROLES if rx.search(entry.heading)), None) \
            if entry.codes and entry.codes[0][0].startswith("USA") else None
        plain = [t for t in terms if t[0][6:] == ""]
        for code, start, end in terms:
            sector = SECTORS.get(code[6:9], "government")
            if (end or "9999") < "1945" or sector not in ("government", "defence"):
                continue
            role = None
            if code[6:] == "" and len(plain) == 1 and (heading or hint):
                role = heading or hint
            elif code[6:] == "MIL" and hint == "defence_minister":
                role = hint
            if role is None and (end or "9999") < "1990":
                continue
            rows.append({"person": person, "state": states[code[:3]], "sector": sector, "role": role,
                         "start": start, "end": end, "aliases": names[1:4]})
    return rows


def _without_aliases(holders: list[dict]) -> list[dict]:
    return [{k: v for k, v in h.items() if k != "aliases"} for h in holders]


def _distinctive(name: str, english: frozenset[str]) -> bool:
    """A full name no other person is likely to share in a paper: not made only of ordinary
    English words ("James Smith", "Michael Scott"), no bare initial at its end, no word in
    lower or upper case but for particles ("bin", "al-")."""
    words = name.split()
    if len(words) < 2 or re.fullmatch(r"[A-Z]\.?", words[-1]):
        return False
    if any(w.isupper() and len(w) > 1 and not re.fullmatch(r"[IVX]+", w) or
           w[:1].islower() and w not in SMALL for w in words):
        return False
    return not all(w.lower().strip(".") in english or len(w.strip(".")) == 1 for w in words)


def people_rows(holders: list[dict], hand: dict[str, str], english: frozenset[str]) -> list[dict]:
    """PERSON patterns for heads of state and government and for ministers in office since
    2000 (their distinctive full names only): the persons briefing papers name most."""
    rows, seen = [], set(hand)
    for h in holders:
        if (h["end"] or "9999") < "2000" or h["sector"] not in ("government", "defence") and not h["role"]:
            continue
        for name in [h["person"], *h["aliases"]]:
            if name in seen or not _distinctive(name, english):
                continue
            seen.add(name)
            rows.append({"label": "PERSON", "pattern": name, "id": h["person"], "state": h["state"],
                         "source": "phoenix"})
    return rows


def _write(name: str, rows: list[dict]) -> None:
    with open(HERE / name, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{name}: {len(rows)} rows")


def main(source: Path = DEFAULT_SOURCE) -> None:
    hand = _hand_ids()
    english = _english()
    international = read_actors(source / "Phoenix.International.actors.txt")
    _write("phoenix_organisations.jsonl", organisation_rows(
        international, "ORGANISATION", hand, english,
        keep=lambda e: any(c.startswith("IGO") for c, _, _ in e.codes)))
    armed = read_actors(source / "Phoenix.MilNonState.actors.txt")
    _write("phoenix_armed_groups.jsonl", organisation_rows(armed, "ARMED_GROUP", hand, english,
                                                           keep=lambda e: bool(e.codes)))
    holders = officeholder_rows(read_actors(source / "Phoenix.Countries.actors.txt"), _states(), hand)
    _write("officeholders.jsonl", _without_aliases(holders))
    _write("phoenix_people.jsonl", people_rows(holders, hand, english))
    _write("agents.jsonl", read_agents(source / "Phoenix.agents.txt"))
    _write("discards.jsonl", [{"phrase": p} for p in read_discards(source / "Phoenix.discards.txt")])


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE)
