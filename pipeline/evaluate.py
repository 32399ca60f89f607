"""Precision, recall and F1 of extracted records against gold files analysts write.

Gold files use the format of ``../shared/eval/gold``: one JSON file per document, named after
the document's stem, with ``actors`` (name, aliases), ``events`` (date, date_end, type,
actors, evidence) and ``figures`` (value, value_max, unit, unit_aliases, evidence); a gold
record marked ``optional`` is neither missed nor held against a prediction that matches it.
Matching is one-to-one, best pairs first.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("actor", "event", "figure")
VALUE_TOLERANCE = 0.005      # relative
EVIDENCE_SHARE = 0.6         # share of the gold quote's words the predicted sentence must hold


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("’", "'").casefold()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _norm(re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)))


def name_key(name: str) -> str:
    """Names compare without case, punctuation or a leading "the", and "United States" is
    "US" inside longer names too ("United States Army" = "U.S. Army")."""
    key = " ".join(_words(re.sub(r"[.'’]", "", name)))
    key = re.sub(r"\bunited states(?: of america)?\b", "us", key)
    return re.sub(r"^the ", "", key)


def _unit_key(unit: str) -> str:
    u = " ".join(re.findall(r"[a-z0-9$%]+", _norm(unit)))
    if u in {"usd", "us$", "$", "dollars", "us dollars"}:
        return "usd"
    if u in {"percent", "per cent", "%", "percentage"}:
        return "percent"
    return re.sub(r"(?<=[a-z]{3})s$", "", u)


def evidence_share(predicted: str, gold: str) -> float:
    gold_words = _words(gold)
    have = set(_words(predicted))
    return sum(w in have for w in gold_words) / len(gold_words) if gold_words else 0.0


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    kinds: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in KINDS})
    event_dates_exact: int = 0
    event_types_right: int = 0
    matched_events: int = 0
    documents: dict[str, Report] = field(default_factory=dict)   # per document, in the totals too

    @property
    def macro_f1(self) -> float:
        return sum(s.f1 for s in self.kinds.values()) / len(self.kinds)

    @property
    def type_accuracy(self) -> float | None:
        return self.event_types_right / self.matched_events if self.matched_events else None

    def add(self, other: Report) -> None:
        for kind, score in other.kinds.items():
            mine = self.kinds[kind]
            mine.tp, mine.fp, mine.fn = mine.tp + score.tp, mine.fp + score.fp, mine.fn + score.fn
        self.event_dates_exact += other.event_dates_exact
        self.event_types_right += other.event_types_right
        self.matched_events += other.matched_events


def _one_to_one(pairs: list[tuple[float, int, int]], golds: list[dict]) -> list[tuple[int, int]]:
    used_p, used_g, out = set(), set(), []
    for _, p, g in sorted(pairs, key=lambda t: (bool(golds[t[2]].get("optional")), -t[0])):
        if p not in used_p and g not in used_g:
            used_p.add(p)
            used_g.add(g)
            out.append((p, g))
    return out


def _tally(score: Score, matches, preds: list, golds: list[dict]) -> None:
    score.tp += sum(1 for _, g in matches if not golds[g].get("optional"))
    score.fp += len(preds) - len(matches)
    matched = {g for _, g in matches}
    score.fn += sum(1 for i, g in enumerate(golds) if i not in matched and not g.get("optional"))


def _date_parts(value) -> tuple[int, ...] | None:
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", str(value or ""))
    return tuple(int(x) for x in m.groups() if x) if m else None


def date_fit(pred: dict, gold: dict) -> tuple[bool, bool]:
    """(same year or inside the gold range, exact at the gold's precision)."""
    p, g = _date_parts(pred.get("date")), _date_parts(gold.get("date"))
    if p is None or g is None:
        return False, False
    end = _date_parts(gold.get("date_end"))
    if end:
        inside = g[0] <= p[0] <= end[0]
        return inside, inside and g[:len(g)] <= p[:len(g)] <= end[:len(g)]
    return p[0] == g[0], p[:len(g)] == g


def score_document(preds: list[dict], gold: dict, report: Report) -> None:
    aliases = {}
    for i, actor in enumerate(gold.get("actors", [])):
        for name in [actor["name"], *actor.get("aliases", [])]:
            aliases.setdefault(name_key(name), i)
    predicted_actors = {name_key(r.get("name", "")) for r in preds if r.get("kind") == "actor"}
    found = {aliases[k] for k in predicted_actors if k in aliases}
    gold_actors = gold.get("actors", [])
    actor_score = report.kinds["actor"]
    actor_score.tp += sum(1 for i in found if not gold_actors[i].get("optional"))
    actor_score.fp += sum(1 for k in predicted_actors if k not in aliases)
    actor_score.fn += sum(1 for i, a in enumerate(gold_actors) if i not in found and not a.get("optional"))

    figures = [r for r in preds if r.get("kind") == "figure"]
    gold_figures = gold.get("figures", [])
    pairs = []
    for p, fig in enumerate(figures):
        for g, want in enumerate(gold_figures):
            if abs(float(fig["value"]) - want["value"]) > VALUE_TOLERANCE * max(abs(want["value"]), 1e-9):
                continue
            if want.get("value_max") is not None and (fig.get("value_max") is None or abs(
                    fig["value_max"] - want["value_max"]) > VALUE_TOLERANCE * want["value_max"]):
                continue
            units = {_unit_key(u) for u in [want.get("unit", ""), *want.get("unit_aliases", [])]}
            unit = _unit_key(fig.get("unit", ""))
            if not (unit in units or any(u and (u in unit.split() or unit in u.split()) for u in units)):
                continue
            share = evidence_share(fig["evidence"]["text"], want["evidence"])
            if share >= EVIDENCE_SHARE:
                pairs.append((share, p, g))
    _tally(report.kinds["figure"], _one_to_one(pairs, gold_figures), figures, gold_figures)

    events = [r for r in preds if r.get("kind") == "event"]
    gold_events = gold.get("events", [])
    pairs = []
    for p, event in enumerate(events):
        for g, want in enumerate(gold_events):
            inside, exact = date_fit(event, want)
            share = evidence_share(event["evidence"]["text"], want["evidence"])
            if inside and share >= EVIDENCE_SHARE:
                pairs.append((share + 0.5 * exact + 0.25 * (event.get("event_type") == want.get("type")), p, g))
    matches = _one_to_one(pairs, gold_events)
    _tally(report.kinds["event"], matches, events, gold_events)
    for p, g in matches:
        if not gold_events[g].get("optional"):
            report.matched_events += 1
            report.event_dates_exact += date_fit(events[p], gold_events[g])[1]
            report.event_types_right += events[p].get("event_type") == gold_events[g].get("type")


def evaluate(records: list[dict], gold_dir: Path) -> tuple[Report, list[str]]:
    """Score records (export rows) against every gold file whose document has predictions;
    returns the report (totals, and each document's own in `documents`) and the names of gold
    files with no predictions."""
    by_document: dict[str, list[dict]] = {}
    for record in records:
        by_document.setdefault(Path(record["document"]).stem, []).append(record)
    report, missing = Report(), []
    for path in sorted(Path(gold_dir).glob("*.json")):
        if path.stem not in by_document:
            missing.append(path.stem)
            continue
        document = Report()
        score_document(by_document[path.stem], json.loads(path.read_text(encoding="utf-8")), document)
        report.documents[path.stem] = document
        report.add(document)
    return report, missing
