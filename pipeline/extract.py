"""Document in, validated records out: the extraction stage as one plain function.

Runs the spaCy pipeline (`nlp/`) once over the clean text and builds records from what its
components left on the Doc. Records that fail validation are returned with their reason,
never dropped silently.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import ValidationError
from spacy.tokens import Doc, Span

from briefex.models import Actor, Event, Figure, IngestedDocument, record_id
from briefex.models.records import Mention

from .nlp import load_nlp
from .nlp.actors import PaperContext, paper_context
from .nlp.components import sentence_spans
from .nlp.events import EXTRACTOR as EVENT_EXTRACTOR
from .nlp.mentions import DateMention
from .nlp.misses import missed_sentences
from .version import pipeline_version

# Characters given to spaCy at once. The parser and NER hold about 1 GB per 100,000 characters
# while they work, so a long paper goes in pieces of at most this many, cut where a sentence
# ends (a paragraph break where there is one); a two-page brief is still one piece. 20,000
# characters (about 8 pages) kept 3,715 of 3,716 entities of the real papers and took a third
# of the memory of whole reports (issue 13).
PIECE_CHARS = 20_000
# A sentence's end, where a piece without paragraph breaks may be cut.
_SENTENCE_END = re.compile(r"[.?!][\"'”’)\]]*\s+")


@dataclass
class Extraction:
    records: list[Actor | Event | Figure] = field(default_factory=list)
    rejected: list[tuple[dict, str]] = field(default_factory=list)   # (raw record, reason)
    sentences: list[tuple[int, int]] = field(default_factory=list)   # offsets, for the review page
    misses: list[dict] = field(default_factory=list)                 # {start, end, cues}


def _covering(a: tuple[int, int], b: tuple[int, int] | None) -> tuple[int, int]:
    return a if b is None else (min(a[0], b[0]), max(a[1], b[1]))


class _Builder:
    """Collects records for one document, piece by piece, validating each (the Scrapy
    item-pipeline habit). Only offsets and records outlive a piece's Doc."""

    def __init__(self, document: IngestedDocument, version: str) -> None:
        self.document = document
        self.sentences: list[tuple[int, int]] = []
        self.starts: list[int] = []
        self.common = {"document": document.name, "document_sha256": document.sha256,
                       "pipeline_version": version}
        self.result = Extraction(sentences=self.sentences)
        self.ids: set[str] = set()
        self.seen_actors: dict[str, list[Mention]] = {}   # canonical name -> every mention of it

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

    def read(self, offset: int, doc: Doc) -> None:
        """The records of one piece's Doc, which starts `offset` characters into the text."""
        found = [(offset + s, offset + e) for s, e in sentence_spans(doc)]
        self.sentences.extend(found)
        self.starts.extend(s for s, _ in found)
        if not self.sentences:
            return
        self._actors(offset, doc)
        self._events(offset, doc)
        self._figures(offset, doc)

    def _actors(self, offset: int, doc: Doc) -> None:
        for span in doc.spans["actors"]:
            mention = span._.actor
            where = self.evidence((offset + mention.start, offset + mention.end))
            first = mention.name not in self.seen_actors
            mentions = self.seen_actors.setdefault(mention.name, [])
            mentions.append(Mention(text=mention.text, start=offset + mention.start, end=offset + mention.end,
                                    sentence_start=where["start"], sentence_end=where["end"], page=where["page"]))
            if not first:
                continue   # one record per actor and document; its `mentions` list grows
            self.add(Actor, {"name": mention.name, "type": mention.type, "mention": mention.text,
                             "extractor": mention.extractor,
                             "confidence": 0.9 if mention.extractor.startswith("gazetteer") else 0.6,
                             "evidence": where})
            if self.result.records and getattr(self.result.records[-1], "name", None) == mention.name:
                self.result.records[-1].mentions = mentions   # the same list: later mentions join it

    def _events(self, offset: int, doc: Doc) -> None:
        for event in doc._.events:
            d = event.date
            span = _covering((d.start, d.end), event.trigger_span)
            self.add(Event, {
                "date": d.date, "date_end": d.date_end, "precision": d.precision, "date_text": d.text,
                "date_reason": d.reason, "event_type": event.event_type, "trigger": event.trigger,
                "type_pattern": event.pattern, "actors": list(event.actors),
                "actors_inferred": bool(event.inferred), "actors_reason": event.inferred_reason,
                "location": event.location, "cluster": event.cluster,
                "extractor": f"{EVENT_EXTRACTOR}+{d.extractor}", "confidence": 0.7 if d.explicit else 0.5,
                "evidence": self.evidence((offset + span[0], offset + span[1]))})

    def _figures(self, offset: int, doc: Doc) -> None:
        dates = [s._.date for s in doc.spans["dates"]]
        for span in doc.spans["figures"]:
            fig = span._.figure
            near = _nearest_date(dates, fig.start, span.sent)
            self.add(Figure, {
                "value": fig.value, "value_max": fig.value_max, "unit": fig.unit,
                "qualifier": fig.qualifier, "counts": fig.counts, "text": fig.text,
                "date": near.date if near else None, "extractor": fig.extractor, "confidence": 0.8,
                "evidence": self.evidence((offset + fig.start, offset + fig.end))})

    def finish(self) -> Extraction:
        self.result.misses = missed_sentences(self.document.text, self.sentences, self.result.records)
        return self.result


def records_from_docs(document: IngestedDocument, pieces: list[tuple[int, Doc]], version: str) -> Extraction:
    """Records from the Docs of a document's text, each with its offset (characters) in it."""
    build = _Builder(document, version)
    for offset, doc in pieces:
        build.read(offset, doc)
    return build.finish()


def _nearest_date(dates: list[DateMention], at: int, sentence: Span) -> DateMention | None:
    """The date mention of the figure's sentence nearest to it, if any."""
    inside = [d for d in dates if sentence.start_char <= d.start < sentence.end_char]
    return min(inside, key=lambda d: abs(d.start - at), default=None)


def pieces_of(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) of pieces of at most `limit` characters: spaCy refuses a text longer than
    its max_length, and the parser and NER need memory in proportion to a piece's length."""
    spans, start = [], 0
    while len(text) - start > limit:
        cut = _cut(text, start, start + limit)
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


def _cut(text: str, start: int, end: int) -> int:
    """Where a piece of text[start:end] ends: after its last paragraph break (which always ends
    a sentence), else after its last sentence end, else its last line or word; never mid-word."""
    cut = text.rfind("\n\n", start, end)
    if cut > start:
        return cut + 2
    last = None
    for last in _SENTENCE_END.finditer(text, start, end):
        pass
    if last is not None and last.end() > start:
        return last.end()
    for mark in ("\n", " "):
        cut = text.rfind(mark, start, end)
        if cut > start:
            return cut + 1
    return end


def analyse(document: IngestedDocument, start: int = 0, end: int | None = None,
            context: PaperContext | None = None) -> Doc:
    """The Doc of a document's text (or of text[start:end]), its publication date set so that
    relative dates resolve and, for a piece of a long document, the whole document's context
    (`document_context`). In a notebook: ``analyse(ingest(path))._.events``."""
    nlp = load_nlp()
    doc = nlp.make_doc(document.text[start:end])
    doc._.published = document.publication_date
    doc._.paper = context
    return nlp(doc)


def document_context(text: str, pieces: list[tuple[int, int]]) -> PaperContext:
    """What the rules read across a whole document analysed in pieces: its words, acronyms and
    state mentions. The gazetteer matches on tokens alone, so it runs here without the model."""
    nlp = load_nlp()
    with nlp.select_pipes(enable=["entity_ruler"]):   # one piece's Doc at a time
        return paper_context(text, ((start, nlp(text[start:end])) for start, end in pieces))


def extract(document: IngestedDocument, piece_chars: int = PIECE_CHARS,
            on_piece: Callable[[int, int], None] | None = None) -> Extraction:
    """The extraction stage: clean text in, records out. The text is analysed in pieces of at
    most `piece_chars` characters (see `pieces_of`), one Doc at a time: only a piece's records
    and sentence offsets outlive its Doc, so memory does not grow with the document.
    `on_piece(done, total)` is called after each piece (for a progress bar)."""
    build = _Builder(document, pipeline_version())
    pieces = pieces_of(document.text, piece_chars)
    context = document_context(document.text, pieces) if len(pieces) > 1 else None
    for done, (start, end) in enumerate(pieces, start=1):
        build.read(start, analyse(document, start, end, context))
        if on_piece is not None:
            on_piece(done, len(pieces))
    return build.finish()
