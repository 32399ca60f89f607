"""Document in, validated records out: the extraction stage as one plain function.

Runs spaCy once over the clean text, then the rule modules sentence by sentence. Records that
fail validation are returned with their reason, never dropped silently.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pydantic import ValidationError
from spacy.tokens import Doc

from briefex.models import Actor, Event, Figure, IngestedDocument, record_id

from .nlp import gazetteer
from .nlp.actors import actor_mentions
from .nlp.dates import find_dates
from .nlp.events import EXTRACTOR as EVENT_EXTRACTOR
from .nlp.events import Context, find_events
from .nlp.figures import currency_in, find_figures
from .nlp.mentions import ActorMention, DateMention
from .nlp.misses import missed_sentences
from .nlp import load_nlp, model_version
from .version import pipeline_version

PLACE_LABELS = {"GPE", "LOC", "FAC", *gazetteer.PLACE_LABELS}
# "After the launch," / "Following this," point back at the happening just told; "After the
# dissolution of the Soviet Union" names a new one and is left alone.
_CONNECTIVE = re.compile(r"^(?:(?:After|Following|Soon after|Shortly after)\s+(?:the|this|that)(?:\s+[\w-]+)?,|"
                         r"(?:Subsequently|Afterwards|Thereafter|Then),)")


@dataclass
class Extraction:
    records: list[Actor | Event | Figure] = field(default_factory=list)
    rejected: list[tuple[dict, str]] = field(default_factory=list)   # (raw record, reason)
    sentences: list[tuple[int, int]] = field(default_factory=list)   # offsets, for the review page
    misses: list[dict] = field(default_factory=list)                 # {start, end, cues}


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Sentence offsets with surrounding white space trimmed."""
    spans = []
    for sent in doc.sents:
        text = sent.text
        stripped = text.strip()
        if not stripped:
            continue
        start = sent.start_char + (len(text) - len(text.lstrip()))
        spans.append((start, start + len(stripped)))
    return spans


def _covering(a: tuple[int, int], b: tuple[int, int] | None) -> tuple[int, int]:
    return a if b is None else (min(a[0], b[0]), max(a[1], b[1]))


def focal_states(actors: list[ActorMention]) -> tuple[str, ...]:
    """The two states a paper is about: the most mentioned, if they dominate its state mentions."""
    counts = Counter(m.name for m in actors if m.type == "state")
    top = counts.most_common(2)
    total = sum(counts.values())
    if len(top) == 2 and top[1][1] >= 3 and top[0][1] + top[1][1] >= 0.4 * total:
        return (top[0][0], top[1][0])
    return ()


def _connective_date(sentence: str, start: int, previous: DateMention | None,
                     previous_sentence: int | None) -> DateMention | None:
    """'After the launch, ...' with no date of its own happens at the date just before it."""
    m = _CONNECTIVE.match(sentence)
    if m is None or previous is None or previous.date is None:
        return None
    return DateMention(start, start + m.end(), m.group(0), previous.date, previous.date_end,
                       previous.precision,
                       f"nearest preceding date '{previous.text}' in sentence {previous_sentence}",
                       "rules:dates:connective", False)


class _Builder:
    """Collects records for one document, validating each (the Scrapy item-pipeline habit)."""

    def __init__(self, document: IngestedDocument, version: str) -> None:
        self.document = document
        self.common = {"document": document.name, "document_sha256": document.sha256,
                       "pipeline_version": version}
        self.result = Extraction()
        self.ids: set[str] = set()

    def evidence(self, index: int, start: int, end: int, span: tuple[int, int] | None) -> dict:
        return {"text": self.document.text[start:end], "start": start, "end": end,
                "page": self.document.page_at(start), "sentence": index,
                "span_start": span[0] if span else None, "span_end": span[1] if span else None}

    def add(self, model: type, raw: dict) -> None:
        raw = {**self.common, **raw}
        try:
            record = model.model_validate(raw)
        except ValidationError as exc:
            self.result.rejected.append((raw, "; ".join(e["msg"] for e in exc.errors())))
            return
        record.id = record_id(record)
        if record.id not in self.ids:  # the same fact read twice from one span is one record
            self.ids.add(record.id)
            self.result.records.append(record)


def records_from_doc(document: IngestedDocument, doc: Doc, version: str) -> Extraction:
    text = document.text
    sentences = sentence_spans(doc)
    actors = actor_mentions(doc, ner_extractor=f"ner:{model_version()}")
    dates = find_dates(text, sentences, document.publication_date)
    places = [(e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ in PLACE_LABELS]
    build = _Builder(document, version)
    context = Context(affiliation=gazetteer.affiliations(), focus=focal_states(actors))

    seen_actors: set[str] = set()
    for mention in actors:
        if mention.name in seen_actors:
            continue
        seen_actors.add(mention.name)
        index, (s, e) = next((i, span) for i, span in enumerate(sentences)
                             if span[0] <= mention.start < span[1] or span[0] > mention.start)
        build.add(Actor, {"name": mention.name, "type": mention.type, "mention": mention.text,
                          "extractor": mention.extractor,
                          "confidence": 0.9 if mention.extractor.startswith("gazetteer") else 0.6,
                          "evidence": build.evidence(index, s, e, (mention.start, mention.end))})

    last_date: DateMention | None = None
    last_sentence: int | None = None
    currency: str | None = None
    for index, (s, e) in enumerate(sentences):
        sentence = text[s:e]
        in_sentence = [d for d in dates if s <= d.start < e]
        same_paragraph = last_date is not None and "\n\n" not in text[last_date.end:s]
        if not in_sentence and same_paragraph:
            inherited = _connective_date(sentence, s, last_date, last_sentence)
            in_sentence = [inherited] if inherited else []
        sentence_actors = [a for a in actors if s <= a.start < e]
        for event in find_events(sentence, s, in_sentence, sentence_actors, places, context):
            d = event.date
            build.add(Event, {
                "date": d.date, "date_end": d.date_end, "precision": d.precision, "date_text": d.text,
                "date_reason": d.reason, "event_type": event.event_type, "trigger": event.trigger,
                "actors": list(event.actors), "location": event.location, "cluster": event.cluster,
                "extractor": f"{EVENT_EXTRACTOR}+{d.extractor}",
                "confidence": 0.7 if d.explicit else 0.5,
                "evidence": build.evidence(index, s, e, _covering((d.start, d.end), event.trigger_span))})
        date_spans = [(d.start - s, d.end - s) for d in in_sentence if d.start >= s]
        for fig in find_figures(sentence, date_spans, currency):
            near = min(in_sentence, key=lambda d: abs(d.start - (s + fig.start)), default=None)
            build.add(Figure, {
                "value": fig.value, "value_max": fig.value_max, "unit": fig.unit,
                "qualifier": fig.qualifier, "counts": fig.counts, "text": fig.text,
                "date": near.date if near else None, "extractor": fig.extractor, "confidence": 0.8,
                "evidence": build.evidence(index, s, e, (s + fig.start, s + fig.end))})
        currency = currency_in(sentence) or currency
        resolved = [d for d in in_sentence if d.date]
        if resolved:
            last_date, last_sentence = resolved[-1], index
    build.result.sentences = sentences
    build.result.misses = missed_sentences(text, sentences, build.result.records)
    return build.result


def extract(document: IngestedDocument) -> Extraction:
    """The extraction stage: clean text in, records out."""
    return records_from_doc(document, load_nlp()(document.text), pipeline_version())
