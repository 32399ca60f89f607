"""The NLP half of briefex: the spaCy pipeline, assembled in one place from one config.

`load()` gives the English model (en_core_web_sm: tagger, dependency parser, lemmatizer,
NER) with briefex's components added by name (`components.py` registers them):

    briefex_paragraphs  blank lines and table rows end sentences (before the parser)
    entity_ruler        the gazetteer: canonical actors (after NER, overwriting it)
    briefex_actors      doc.spans["actors"]
    briefex_dates       doc.spans["dates"]
    briefex_figures     doc.spans["figures"]
    briefex_events      doc._.events

In a notebook: ``import briefex; nlp = briefex.load(); doc = nlp(text)`` and look at
``doc.spans`` and ``doc._.events``. The gazetteer runs after NER, not before: NER that has to
respect preset entities ran 20% slower, for the same records (bench/NOTES.md).
"""
from __future__ import annotations

import functools
import gc

import spacy
from spacy.language import Language

from . import components, gazetteer  # noqa: F401  (components registers the factories)
from .model import EXCLUDED, MODEL_NAME, model_version  # noqa: F401  (re-exported)

# (component, where it goes, its config): the whole pipeline briefex adds to the model.
PIPELINE: list[tuple[str, dict, dict]] = [
    ("briefex_paragraphs", {"before": "parser"}, {}),
    ("entity_ruler", {"after": "ner"}, {"overwrite_ents": True}),
    ("briefex_actors", {"last": True}, {}),
    ("briefex_dates", {"last": True}, {}),
    ("briefex_figures", {"last": True}, {}),
    ("briefex_events", {"last": True}, {}),
]


def build(model: str = MODEL_NAME) -> Language:
    """A fresh pipeline (not cached): the model plus briefex's components."""
    nlp = spacy.load(model, exclude=EXCLUDED)
    for name, where, config in PIPELINE:
        component = nlp.add_pipe(name, config=config, **where)
        if name == "entity_ruler":
            # EntityRuler runs every component before it over its phrase patterns; matching on
            # ORTH needs only the tokenizer, and sparing the rest saves seconds of start-up.
            with nlp.select_pipes(enable=["entity_ruler"]):
                component.add_patterns(gazetteer.ruler_patterns())
    return nlp


@functools.lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Load once per process (and so once per Dask worker).

    Loading ends with `gc.freeze()`: the model, Prefect and every module live as long as the
    process, and frozen, the cyclic collector stops re-scanning them on each full collection
    (5-7% of ingest and extract time here, measured in bench/NOTES.md). Garbage is collected
    first, so nothing collectable is frozen with them."""
    nlp = build()
    gc.collect()
    gc.freeze()
    return nlp


load = load_nlp
