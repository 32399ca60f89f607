"""The one place the spaCy pipeline is built: model, sentence rules and the gazetteer.

The small English model runs without tagger, parser and lemmatizer (same entities, about
twice as fast); its statistical sentence splitter (senter) takes the parser's place. The
gazetteer is an EntityRuler placed after the statistical NER and allowed to overwrite it, so
analysts' canonical names win where the two overlap and NER's entities stand elsewhere.
After, not before: NER that has to respect preset entities ran 20% slower here, for the same
records on the sample papers (bench/NOTES.md).
"""
from __future__ import annotations

import functools
import gc

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import gazetteer
from .model import EXCLUDED, MODEL_NAME, model_version  # noqa: F401  (re-exported)


@Language.component("paragraph_sentences")
def paragraph_sentences(doc: Doc) -> Doc:
    """A blank line (a paragraph, heading or list item break) always ends a sentence."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n\n" in previous.text_with_ws and not token.is_space:
            token.is_sent_start = True
    return doc


@functools.lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Load once per process (and so once per Dask worker).

    Loading ends with `gc.freeze()`: the model, Prefect and every module live as long as the
    process, and frozen, the cyclic collector stops re-scanning them on each full collection
    (5-7% of ingest and extract time here, measured in bench/NOTES.md). Garbage is collected
    first, so nothing collectable is frozen with them."""
    nlp = spacy.load(MODEL_NAME, exclude=EXCLUDED)
    nlp.enable_pipe("senter")
    nlp.add_pipe("paragraph_sentences", after="senter")
    ruler = nlp.add_pipe("entity_ruler", after="ner", config={"overwrite_ents": True})
    # EntityRuler runs every component before it over its phrase patterns; matching on ORTH
    # needs only the tokenizer, and sparing NER that work saves 0.6 s of every start-up.
    with nlp.select_pipes(enable=["entity_ruler"]):
        ruler.add_patterns(gazetteer.ruler_patterns())
    gc.collect()
    gc.freeze()
    return nlp
