"""The one place the spaCy pipeline is built: model, sentence rules and the gazetteer.

The small English model runs without tagger, parser and lemmatizer (same entities, about
twice as fast); its statistical sentence splitter (senter) takes the parser's place. The
gazetteer is an EntityRuler placed before the statistical NER, so analysts' canonical names
win and NER fills in what the gazetteer lacks.
"""
from __future__ import annotations

import functools

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
    """Load once per process (and so once per Dask worker)."""
    nlp = spacy.load(MODEL_NAME, exclude=EXCLUDED)
    nlp.enable_pipe("senter")
    nlp.add_pipe("paragraph_sentences", after="senter")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(gazetteer.ruler_patterns())
    return nlp
