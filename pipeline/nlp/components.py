"""briefex's spaCy components, registered by name: the one registration site.

Each component reads the `Doc` and writes what it found onto it, so `briefex.load()` in a
notebook shows every stage's work:

- ``doc.spans["actors"]``: actor mentions, each span's ``._.actor`` an `ActorMention`
  (canonical name, type);
- ``doc.spans["dates"]``: temporal expressions, ``._.date`` a `DateMention` (ISO date,
  precision, how it was resolved);
- ``doc.spans["figures"]``: money, percentages and counts, ``._.figure`` a `FigureMention`;
- ``doc._.events``: `EventMention`s, one per dated happening.

The rule modules (actors, dates, figures, events) stay plain functions; the components only
move their results onto the Doc. Set ``doc._.published`` (an ISO date) before running the
pipeline so that "this year" resolves (`nlp(doc)` accepts a Doc made with `nlp.make_doc`).
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import gazetteer, offices
from .actors import actor_mentions
from .dates import clause_tense, find_dates, timexes
from .events import Context, sentence_events, table_row
from .figures import currency_in, find_figures, refine_with_parse
from .focus import focal_pair
from .mentions import DateMention

PLACE_LABELS = {"GPE", "LOC", "FAC", *gazetteer.PLACE_LABELS}

# `timexes`: a year range's years may share one token ("2017–2020"), so a span of "temporal"
# can stand for two mentions; `doc._.timexes` keeps them all, in order, for `briefex dates`.
for _name, _on in [("published", Doc), ("events", Doc), ("focus", Doc), ("paper", Doc), ("timexes", Doc),
                   ("actor", Span), ("date", Span), ("figure", Span), ("timex", Span)]:
    if not _on.has_extension(_name):
        _on.set_extension(_name, default=None)


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Sentence offsets (characters) with surrounding white space trimmed."""
    spans = []
    for sent in doc.sents:
        text = sent.text
        stripped = text.strip()
        if stripped:
            start = sent.start_char + (len(text) - len(text.lstrip()))
            spans.append((start, start + len(stripped)))
    return spans


@Language.component("briefex_paragraphs")
def paragraph_sentences(doc: Doc) -> Doc:
    """A blank line (a paragraph, heading or list item break) always ends a sentence, and so
    does each table row (a line whose cells are joined by " | "), which is one sentence
    whatever its cells say. Runs before the parser, which keeps these boundaries."""
    text = doc.text   # Doc.text joins every token: read it once
    rows = _row_lines(text)
    starts = doc.to_array([SENT_START]).astype("int64")   # 1 starts a sentence, -1 does not, 0 undecided
    previous = None   # (offset, text with white space) of the token before
    for token in doc:
        here = (token.idx, token.text_with_ws)
        if previous is not None and not token.is_space:
            in_row = bool(rows) and _inside(rows, here[0])
            if "\n" not in previous[1]:
                if in_row:
                    starts[token.i] = -1
            elif in_row or "\n\n" in previous[1] or rows and _inside(rows, previous[0]):
                starts[token.i] = 1
        previous = here
    # set all at once: each Token.is_sent_start assignment scans the whole Doc
    return doc.from_array([SENT_START], starts.astype("uint64"))


def _row_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the lines holding a table row, in order."""
    lines, start = [], 0
    for line in text.split("\n"):
        if " | " in line:
            lines.append((start, start + len(line)))
        start += len(line) + 1
    return lines


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    i = bisect.bisect_right(spans, (at, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= at < spans[i][1]


def _span_group(doc: Doc, group: str, attribute: str, mentions: Iterable, label: Callable) -> None:
    """doc.spans[group] holds a span for each mention (document offsets), the mention itself
    in the span's `._.{attribute}`."""
    spans = []
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end, label=label(mention), alignment_mode="expand")
        if span is not None:
            span._.set(attribute, mention)
            spans.append(span)
    doc.spans[group] = spans


@Language.component("briefex_actors")
def actors_component(doc: Doc) -> Doc:
    _span_group(doc, "actors", "actor", actor_mentions(doc), lambda m: m.type)
    return doc


@Language.component("briefex_dates")
def dates_component(doc: Doc) -> Doc:
    """Two span groups: ``doc.spans["temporal"]`` holds every date expression as TimeML counts
    them (a year range's years one by one, "now" and "the past" too; ``._.date`` a
    `TemporalMention` with its TimeML value), which `briefex dates` prints;
    ``doc.spans["dates"]`` holds those an event can hang on (calendar dates, a range whole),
    which figures and events read. Span extensions live on offsets, so the two groups use two
    attributes (``._.date``, ``._.timex``) lest a range's year overwrite the range."""
    found = find_dates(doc.text, sentence_spans(doc), doc._.published, lambda a, b: clause_tense(doc, a, b))
    _span_group(doc, "dates", "date", [m for m in found if m.for_events], lambda m: m.precision)
    doc._.timexes = timexes(found)
    _span_group(doc, "temporal", "timex", doc._.timexes, lambda m: m.precision_name)
    return doc


@Language.component("briefex_figures")
def figures_component(doc: Doc) -> Doc:
    """Figures sentence by sentence; a bare "0.6 billion" takes the currency last named."""
    found = []
    currency = None
    dates = [s._.date for s in doc.spans.get("dates", [])]
    text = doc.text   # Doc.text joins every token: read it once
    for start, end in sentence_spans(doc):
        sentence = text[start:end]
        date_spans = [(d.start - start, d.end - start) for d in dates if start <= d.start < end]
        found.extend(replace(fig, start=start + fig.start, end=start + fig.end)
                     for fig in refine_with_parse(doc, sentence, start,
                                                       find_figures(sentence, date_spans, currency)))
        currency = currency_in(sentence) or currency
    _span_group(doc, "figures", "figure", found, lambda m: m.unit)
    return doc


@Language.component("briefex_events")
def events_component(doc: Doc) -> Doc:
    """Events sentence by sentence; a sentence opening on "After this," takes the date just
    told in its paragraph."""
    actors = [s._.actor for s in doc.spans.get("actors", [])]
    dates = [s._.date for s in doc.spans.get("dates", [])]
    text = doc.text   # Doc.text joins every token: read it once
    # a piece of a long document counts the states of the whole document (`doc._.paper`)
    states_of_paper = list(doc._.paper.states) if doc._.paper is not None else actors
    doc._.focus = focal_pair(states_of_paper)
    states = Counter(a.name for a in states_of_paper if a.type == "state")
    context = Context(affiliation=gazetteer.affiliations(), focus=doc._.focus,
                      places=[(e.start_char, e.end_char, e.text) for e in doc.ents
                              if e.label_ in PLACE_LABELS],
                      home=states.most_common(1)[0][0] if states else None,
                      roles=offices.find_roles(text))
    events = []
    last: DateMention | None = None
    captions = Captions()
    for sent in doc.sents:
        caption = captions.see(sent)
        s, e = sent.start_char, sent.end_char
        in_sentence = [d for d in dates if s <= d.start < e]
        if not in_sentence and last is not None and "\n\n" not in text[last.end:s]:
            inherited = connective_date(sent, last)
            in_sentence = [inherited] if inherited else []
        people = [a for a in actors if a.type == "person" and a.start < e]
        events.extend(sentence_events(doc, sent, in_sentence, [a for a in actors if s <= a.start < e],
                                      context, people, caption))
        resolved = [d for d in in_sentence if d.date]
        last = resolved[-1] if resolved else last
    doc._.events = events
    return doc


class Captions:
    """The caption each table row sits under, read sentence by sentence: the nearest
    "Table N." line a few sentences back (header cells may stand between), else the paragraph
    right before the table's first row. A table whose header row comes again after a page
    break keeps its caption, whatever running head stands between."""

    LABEL = re.compile(r"\s*(?:Table|Figure|Exhibit|Chart)\s+[A-Z]?\d+[.:]")
    REACH = 12   # sentences between a "Table N." line and the table's first row, at most
    # Words a caption has at least: a shorter line between two runs of rows is a running head
    # on the page the table continues on, and the rows keep their caption.
    MIN_WORDS = 3

    def __init__(self) -> None:
        self.caption: Span | None = None
        self.header: str | None = None
        self.previous: Span | None = None
        self.labelled: Span | None = None
        self.since_label = self.REACH + 1

    def see(self, sent: Span) -> Span | None:
        text = sent.text.strip()
        if not text:
            return self.caption
        self.since_label += 1
        if self.LABEL.match(text):   # the whole caption line: "Table 1." may end a sentence
            end = sent.doc.text.find("\n", sent.start_char)
            line = sent.doc.char_span(sent.start_char, end if end > 0 else len(sent.doc.text),
                                      alignment_mode="contract")
            self.labelled, self.since_label = line if line is not None else sent, 0
        elif table_row(sent) and self.previous is not None and not table_row(self.previous):
            if text == self.header:
                pass   # the header row again: the table goes on over a page break
            elif self.labelled is not None and self.since_label <= self.REACH:
                self.caption, self.header = self.labelled, text
            elif len([t for t in self.previous if t.is_alpha]) >= self.MIN_WORDS:
                self.caption, self.header = self.previous, text
        self.previous = sent
        return self.caption


_CONNECTIVES = {"after", "following", "subsequently", "afterwards", "thereafter", "then"}


def connective_date(sent: Span, previous: DateMention) -> DateMention | None:
    """'After the launch, ...' or 'Subsequently, ...' with no date of its own happens at the
    date just told; 'After the dissolution of the Soviet Union' names a new happening and is
    left alone (its connective phrase runs past three words)."""
    words = [t for t in sent if not t.is_space]
    if not words or words[0].lower_ not in _CONNECTIVES or previous.date is None:
        return None
    comma = next((t for t in words[:5] if t.text == ","), None)
    if comma is None:
        return None
    if words[0].lower_ in ("after", "following") and not (len(words) > 1 and words[1].lower_ in
                                                          ("the", "this", "that")):
        return None
    return DateMention(sent.start_char, comma.idx + 1, sent.text[:comma.idx + 1 - sent.start_char],
                       previous.date, previous.date_end, previous.precision,
                       f"nearest preceding date '{previous.text}'", "rules:dates:connective", False)
