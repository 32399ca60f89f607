"""Decisions that follow a revised paper.

A record's id hashes the document's bytes and offsets, so every record of a new version has a
new id, and matching decisions by id would orphan all of them when one word changes. Here the
two versions' sentences are aligned instead (unchanged, edited, new, removed) and a decided
record is matched to the record that the same sentence yields with the same kind and the same
normalised reading (models/identity.py). A record from an edited sentence keeps its decision,
flagged for a second look; only a record whose sentence is gone is left orphaned.
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from .tables import texts

EDITED_AT_LEAST = 0.5      # share of words two sentences must share to count as one sentence edited
MOSTLY_THE_SAME = 0.6      # share of word 5-grams two texts must share to be one paper
TOKEN = re.compile(r"\w+|[^\w\s]")


def shingles(text: str) -> set[int]:
    """A text's word 5-grams (casefolded, punctuation-only words left out), hashed."""
    words = [w.casefold() for w in text.split() if any(c.isalnum() for c in w)]
    return {hash(tuple(words[i:i + 5])) for i in range(max(0, len(words) - 4))}


def overlap(a: set[int], b: set[int]) -> float:
    """Jaccard share of two shingle sets (0..1)."""
    return len(a & b) / len(a | b) if a and b else 0.0


def mostly_the_same(a: set[int], b: set[int]) -> bool:
    """Two texts (as shingles) of one paper: a text and a PDF of it (two sources), or two
    versions of it (same media type; Store.write_results)."""
    return overlap(a, b) >= MOSTLY_THE_SAME


def _norm(sentence: str) -> str:
    return " ".join(sentence.split()).casefold()


def _similarity(a: str, b: str) -> float:
    """Word-level similarity 0..1 of two sentences (difflib's ratio over tokens)."""
    return difflib.SequenceMatcher(None, TOKEN.findall(a.casefold()), TOKEN.findall(b.casefold()),
                                   autojunk=False).ratio()


@dataclass
class Alignment:
    """How the old version's sentences (by index) map onto the new version's."""

    mapping: dict[int, tuple[int, str]] = field(default_factory=dict)  # old -> (new, unchanged|edited)
    new: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        states = [state for _, state in self.mapping.values()]
        return {"unchanged": states.count("unchanged"), "edited": states.count("edited"),
                "new": len(self.new), "removed": len(self.removed)}


def align(old: list[str], new: list[str]) -> Alignment:
    """Align two versions' sentences: equal runs by difflib over whitespace-normalised
    sentences, then, inside each replaced run, the most similar pairs in order."""
    result = Alignment()
    matcher = difflib.SequenceMatcher(None, [_norm(s) for s in old], [_norm(s) for s in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.mapping.update({i1 + k: (j1 + k, "unchanged") for k in range(i2 - i1)})
            continue
        _pair_edited(old, new, range(i1, i2), range(j1, j2), result)
    return result


def _pair_edited(old: list[str], new: list[str], olds: range, news: range, result: Alignment) -> None:
    """Inside one replaced run, pair each old sentence with the most similar later new one."""
    used, floor = set(), news.start
    for i in olds:
        scored = [(_similarity(old[i], new[j]), j) for j in news if j >= floor and j not in used]
        best = max(scored, default=(0.0, None))
        if best[1] is not None and best[0] >= EDITED_AT_LEAST:
            result.mapping[i] = (best[1], "edited")
            used.add(best[1])
            floor = best[1] + 1
        else:
            result.removed.append(i)
    result.new.extend(j for j in news if j not in used)


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """(op, words) pieces, op one of same, del, ins: the sentence as it was and as it is."""
    a, b = re.findall(r"\S+\s*", before), re.findall(r"\S+\s*", after)
    pieces = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("ins", "".join(b[j1:j2])))
    return pieces


@dataclass
class Version:
    """One stored version's text and sentence spans, as the texts table holds them."""

    text: str
    spans: list[tuple[int, int]]

    @property
    def sentences(self) -> list[str]:
        return [self.text[a:b] for a, b in self.spans]

    def index_at(self, start: int) -> int | None:
        return next((i for i, (a, _) in enumerate(self.spans) if a == start), None)


def load_version(conn, sha: str) -> Version | None:
    row = conn.execute(select(texts.c.text, texts.c.sentences).where(texts.c.sha256 == sha)).first()
    return Version(row.text, [tuple(s) for s in json.loads(row.sentences)]) if row else None


@dataclass
class Match:
    """Where a decided record went in the new version, and whether its sentence changed."""

    successor: object
    state: str                  # unchanged | edited | reread (same words read another way)
    before: str = ""            # the sentence as it was


def follow(decided: list[tuple[object, object, str]], old: Version | None, new: Version,
           free: dict[str, object]) -> dict[int, Match]:
    """decided: (key, record as decided, its extracted reading); free: id -> unclaimed new record.
    Returns key position -> Match for the decisions that found a successor; claimed records
    are removed from `free` so no two decisions share one."""
    from briefex.models.identity import normalised_key

    alignment = align(old.sentences, new.sentences) if old else None
    found: dict[int, Match] = {}
    for position, (_, record, reading) in enumerate(decided):
        if record.kind == "actor":
            successor = _take(free, lambda r, name=reading: r.kind == "actor" and normalised_key(r) == name)
            if successor is not None:
                found[position] = Match(successor, "unchanged")
            continue
        target = _target_sentence(record, old, new, alignment)
        if target is None:
            continue
        index, state = target
        match = _in_sentence(free, record, reading, new.spans[index][0], state)
        if match is not None:
            found[position] = match
    return found


def _in_sentence(free: dict, record, reading: str, start: int, state: str) -> Match | None:
    """The free record of the new sentence at `start` that a decided record became: the same
    kind and reading; else, in an edited sentence, any of its kind; else, in an unchanged one,
    the record at the same words (read another way by a newer pipeline)."""
    from briefex.models.identity import normalised_key

    def here(r) -> bool:
        return r.kind == record.kind and r.evidence.start == start

    successor = _take(free, lambda r: here(r) and normalised_key(r) == reading)
    if successor is None and state == "edited":
        successor = _take(free, here)
    if successor is None and state == "unchanged":
        offset = (record.evidence.span_start or record.evidence.start) - record.evidence.start
        successor = _take(free, lambda r: here(r)
                          and (r.evidence.span_start or r.evidence.start) - start == offset)
        state = "reread"
    return Match(successor, state, record.evidence.text) if successor is not None else None


def _target_sentence(record, old: Version | None, new: Version, alignment: Alignment | None):
    """(new sentence index, unchanged|edited) for a record's old sentence, None when it is gone."""
    index = old.index_at(record.evidence.start) if old else None
    if alignment is not None and index is not None:
        return alignment.mapping.get(index)
    sentences = new.sentences             # the old version's text is not stored: compare sentences
    exact = [j for j, s in enumerate(sentences) if _norm(s) == _norm(record.evidence.text)]
    if exact:
        return exact[0], "unchanged"
    scored = max(((_similarity(record.evidence.text, s), j) for j, s in enumerate(sentences)),
                 default=(0, None))
    return (scored[1], "edited") if scored[0] >= EDITED_AT_LEAST else None


def _take(free: dict[str, object], wanted) -> object | None:
    """The first free record (in evidence order) that `wanted` accepts, removed from `free`."""
    for record_id, record in sorted(free.items(), key=lambda kv: (kv[1].evidence.span_start or 0, kv[0])):
        if wanted(record):
            return free.pop(record_id)
    return None
