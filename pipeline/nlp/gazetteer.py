"""The domain gazetteer: JSONL pattern files (spaCy EntityRuler format) analysts can edit.

Each row has a label, a pattern (a phrase or a token pattern) and an ``id``, the canonical
name. Military, ministry and leader rows may carry ``state``: the state they act for, so an
event done by "the Chinese navy" counts China among its actors.

Hand-kept files come first and win: a phrase another file also lists keeps the hand-kept
canonical name. The ``phoenix_*.jsonl`` files are generated from the PETRARCH2 Phoenix
dictionaries by ``patterns/build_phoenix.py`` (MIT, see ``patterns/LICENSE.petrarch2``);
``institutions.jsonl`` names each state's legislature and ministries, for papers that say
"Congress" or "the Defence Ministry" without naming the state; ``discards.jsonl`` lists
phrases that look like actors and are not (sports, entertainment, history).
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import srsly

PATTERNS_DIR = Path(__file__).with_name("patterns")
FILES = ["states.jsonl", "states_extra.jsonl", "organisations.jsonl", "military.jsonl",
         "leaders.jsonl", "places.jsonl", "officeholders_extra.jsonl", "phoenix_organisations.jsonl",
         "phoenix_armed_groups.jsonl", "phoenix_people.jsonl"]
GENERATED = ("phoenix_", "officeholders_")
# label -> actor type; PLACE rows are locations and never actors
ACTOR_LABELS = {"STATE": "state", "CAPITAL": "state", "ORGANISATION": "organisation",
                "MILITARY": "military", "PERSON": "person", "FORUM": "other",
                "ARMED_GROUP": "organisation"}
PLACE_LABELS = {"PLACE", "CAPITAL"}
_APOSTROPHE = re.compile(r"'")


@functools.lru_cache(maxsize=1)
def rows() -> tuple[dict, ...]:
    """Every pattern row, hand-kept files first; a phrase a hand-kept file lists is not taken
    again from a generated one. Phrases with a straight apostrophe also match the typographic
    one ("People’s")."""
    seen: set[str] = set()
    out = []
    for name in FILES:
        path = PATTERNS_DIR / name
        if not path.exists():
            continue
        for row in _pattern_rows(name, path):
            pattern = row["pattern"]
            variants = [pattern]
            if isinstance(pattern, str) and "'" in pattern:
                variants.append(_APOSTROPHE.sub("’", pattern))
            for variant in variants:
                key = variant if isinstance(variant, str) else repr(variant)
                if key in seen and (name.startswith(GENERATED) or variant is not pattern):
                    continue
                seen.add(key)
                out.append({**row, "pattern": variant})
    return tuple(out)


def _pattern_rows(name: str, path: Path):
    """A pattern file's rows; the office-holder file gives each holder's names as PERSON rows
    (with the state, not for an organisation's officer)."""
    if not name.startswith("officeholders"):
        yield from srsly.read_jsonl(path)
        return
    for row in srsly.read_jsonl(path):
        state = {"state": row["state"]} if row.get("role") != "secretary_general" else {}
        for person in [row["person"], *row.get("aliases", [])]:
            if len(person.split()) > 1 and not person.startswith(("King ", "Queen ", "Emperor ")):
                yield {"label": "PERSON", "pattern": person, "id": row["person"], **state}


def ruler_patterns() -> list[dict]:
    return [{"label": r["label"], "pattern": r["pattern"], "id": r["id"]} for r in rows()]


@functools.lru_cache(maxsize=1)
def affiliations() -> dict[str, str]:
    """Canonical actor -> the state it acts for (forces, ministries, leaders)."""
    return {r["id"]: r["state"] for r in rows() if r.get("state")}


@functools.lru_cache(maxsize=1)
def _institutions() -> dict[str, dict[str, tuple[str, str]]]:
    """generic name -> {state: (canonical name, kind)}; kind is legislature or ministry."""
    path = PATTERNS_DIR / "institutions.jsonl"
    table: dict[str, dict[str, tuple[str, str]]] = {}
    for row in srsly.read_jsonl(path) if path.exists() else []:
        for generic in row["generic"]:
            table.setdefault(_key(generic), {})[row["state"]] = (row["id"], row["kind"])
    return table


def _key(name: str) -> str:
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
    return re.sub(r"\bDefen[cs]e\b", "Defence", " ".join(name.split())).lower()


def institution(state: str, name: str) -> str | None:
    """The canonical name of `state`'s institution called by its generic name: ("United
    States", "Congress") -> "United States Congress"; ("Russia", "Defence Ministry") ->
    "Ministry of Defence of Russia". None when the name is not a generic one."""
    found = _institutions().get(_key(name), {}).get(state)
    return found[0] if found else None


def institutions_named(name: str) -> dict[str, tuple[str, str]]:
    """Every state with an institution of that generic name: {state: (canonical, kind)}."""
    return _institutions().get(_key(name), {})


@functools.lru_cache(maxsize=1)
def _discards() -> frozenset[str]:
    path = PATTERNS_DIR / "discards.jsonl"
    return frozenset(row["phrase"] for row in srsly.read_jsonl(path)) if path.exists() else frozenset()


def discarded(text: str) -> bool:
    """A phrase that looks like an actor and is not (Phoenix's discard list: sports teams and
    events, films, historical episodes)."""
    return " ".join(text.lower().split()) in _discards()
