"""Document in, validated records out: the extraction stage as one plain function.

Runs the spaCy pipeline (`nlp/`) once over the clean text and builds records from what its
components left on the Doc. Records that fail validation are returned with their reason,
never dropped silently.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from pydantic import ValidationError
from spacy.tokens import Doc, Span

from briefex.models import Actor, Event, Figure, IngestedDocument, record_id

from .nlp import load_nlp
from .nlp.components import sentence_spans
from .nlp.events import EXTRACTOR as EVENT_EXTRACTOR
from .nlp.mentions import DateMention
from .nlp.misses import missed_sentences
from .version import pipeline_version

# Characters given to spaCy at once: below its max_length (1,000,000), and so every paper
# short of a book is one Doc, with dates, captions and the paper's focus read across it.
PIECE_CHARS = 900_000


@dataclass
class Extraction:
    records: list[Actor | Event | Figure] = field(default_factory=list)
    rejected: list[tuple[dict, str]] = field(default_factory=list)   # (raw record, reason)
    sentences: list[tuple[int, int]] = field(default_factory=list)   # offsets, for the review page
    misses: list[dict] = field(default_factory=list)                 # {start, end, cues}


def _covering(a: tuple[int, int], b: tuple[int, int] | None) -> tuple[int, int]:
    return a if b is None else (min(a[0], b[0]), max(a[1], b[1]))


class _Builder:
    """Collects records for one document, validating each (the Scrapy item-pipeline habit)."""

    def __init__(self, document: IngestedDocument, version: str, sentences: list[tuple[int, int]]) -> None:
        self.document = document
        self.sentences = sentences
        self.starts = [s for s, _ in sentences]
        self.common = {"document": document.name, "document_sha256": document.sha256,
                       "pipeline_version": version}
        self.result = Extraction(sentences=sentences)
        self.ids: set[str] = set()

    def evidence(self, span: tuple[int, int]) -> dict:
        """The sentence holding `span` (document offsets), with the span marked in it."""
        index = max(0, bisect.bisect_right(self.starts, span[0]) - 1)
        if span[0] >= self.sentences[index][1] and index + 1 < len(self.sentences):
            index += 1   # between two sentences: the next one
        start, end = self.sentences[index]
        lo, hi = max(start, span[0]), min(end, span[1])
        return {"text": self.document.text[start:end], "start": start, "end": end,
                "page": self.document.page_at(start), "sentence": index,
                "span_start": lo if lo <= hi else None, "span_end": hi if lo <= hi else None}

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


def records_from_docs(document: IngestedDocument, pieces: list[tuple[int, Doc]], version: str) -> Extraction:
    """Records from the Docs of a document's text, each with its offset (characters) in it."""
    sentences = [(offset + s, offset + e) for offset, doc in pieces for s, e in sentence_spans(doc)]
    build = _Builder(document, version, sentences)
    if not sentences:
        return build.result
    seen_actors: set[str] = set()
    for offset, doc in pieces:
        for span in doc.spans["actors"]:
            mention = span._.actor
            if mention.name in seen_actors:
                continue
            seen_actors.add(mention.name)
            build.add(Actor, {"name": mention.name, "type": mention.type, "mention": mention.text,
                              "extractor": mention.extractor,
                              "confidence": 0.9 if mention.extractor.startswith("gazetteer") else 0.6,
                              "evidence": build.evidence((offset + mention.start, offset + mention.end))})
        for event in doc._.events:
            d = event.date
            span = _covering((d.start, d.end), event.trigger_span)
            build.add(Event, {
                "date": d.date, "date_end": d.date_end, "precision": d.precision, "date_text": d.text,
                "date_reason": d.reason, "event_type": event.event_type, "trigger": event.trigger,
                "type_pattern": event.pattern, "actors": list(event.actors),
                "actors_inferred": bool(event.inferred), "actors_reason": event.inferred_reason,
                "location": event.location, "cluster": event.cluster,
                "extractor": f"{EVENT_EXTRACTOR}+{d.extractor}", "confidence": 0.7 if d.explicit else 0.5,
                "evidence": build.evidence((offset + span[0], offset + span[1]))})
        dates = [s._.date for s in doc.spans["dates"]]
        for span in doc.spans["figures"]:
            fig = span._.figure
            near = _nearest_date(dates, fig.start, span.sent)
            build.add(Figure, {
                "value": fig.value, "value_max": fig.value_max, "unit": fig.unit,
                "qualifier": fig.qualifier, "counts": fig.counts, "text": fig.text,
                "date": near.date if near else None, "extractor": fig.extractor, "confidence": 0.8,
                "evidence": build.evidence((offset + fig.start, offset + fig.end))})
    build.result.misses = missed_sentences(document.text, sentences, build.result.records)
    return build.result


def _nearest_date(dates: list[DateMention], at: int, sentence: Span) -> DateMention | None:
    """The date mention of the figure's sentence nearest to it, if any."""
    inside = [d for d in dates if sentence.start_char <= d.start < sentence.end_char]
    return min(inside, key=lambda d: abs(d.start - at), default=None)


def pieces_of(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) of pieces of at most `limit` characters, cut at paragraph breaks where
    there are any: spaCy refuses a text longer than its max_length, and the parser and NER
    need about 1 GB of memory per 100,000 characters at once."""
    spans, start = [], 0
    while len(text) - start > limit:
        cut = text.rfind("\n\n", start, start + limit)
        cut = cut + 2 if cut > start else start + limit
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


def analyse(document: IngestedDocument, start: int = 0, end: int | None = None) -> Doc:
    """The Doc of a document's text (or of text[start:end]), its publication date set so that
    relative dates resolve. In a notebook: ``analyse(ingest(path))._.events``."""
    nlp = load_nlp()
    doc = nlp.make_doc(document.text[start:end])
    doc._.published = document.publication_date
    return nlp(doc)


def extract(document: IngestedDocument, piece_chars: int = PIECE_CHARS) -> Extraction:
    """The extraction stage: clean text in, records out. A text longer than `piece_chars`
    is analysed in pieces cut at paragraph breaks."""
    pieces = [(start, analyse(document, start, end)) for start, end in pieces_of(document.text, piece_chars)]
    return records_from_docs(document, pieces, pipeline_version())
