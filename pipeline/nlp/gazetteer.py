"""The domain gazetteer: JSONL pattern files (spaCy EntityRuler format) analysts can edit.

Each row has a label, a pattern (a phrase or a token pattern) and an ``id``, the canonical
name. Military, ministry and leader rows may carry ``state``: the state they act for, so an
event done by "the Chinese navy" counts China among its actors.
"""
from __future__ import annotations

import functools
from pathlib import Path

import srsly

PATTERNS_DIR = Path(__file__).with_name("patterns")
FILES = ["states.jsonl", "states_extra.jsonl", "organisations.jsonl", "military.jsonl",
         "leaders.jsonl", "places.jsonl"]
# label -> actor type; PLACE rows are locations and never actors
ACTOR_LABELS = {"STATE": "state", "CAPITAL": "state", "ORGANISATION": "organisation",
                "MILITARY": "military", "PERSON": "person", "FORUM": "other"}
PLACE_LABELS = {"PLACE", "CAPITAL"}


@functools.lru_cache(maxsize=1)
def rows() -> tuple[dict, ...]:
    return tuple(row for name in FILES for row in srsly.read_jsonl(PATTERNS_DIR / name))


def ruler_patterns() -> list[dict]:
    return [{"label": r["label"], "pattern": r["pattern"], "id": r["id"]} for r in rows()]


@functools.lru_cache(maxsize=1)
def affiliations() -> dict[str, str]:
    """Canonical actor -> the state it acts for (forces, ministries, leaders)."""
    return {r["id"]: r["state"] for r in rows() if r.get("state")}
