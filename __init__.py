"""briefex: turns security-policy briefing papers into a reviewed database of dated events,
actors and figures, each traceable to the sentence it came from.

The packages are ``models`` (records), ``sources`` (file readers), ``pipeline`` (extraction
and the Prefect flow) and ``output`` (store and exports); ``cli`` puts them together.
"""
__version__ = "0.1.0"


def load():
    """The spaCy pipeline briefex extracts with, for a notebook: ``nlp = briefex.load()``,
    then ``doc = nlp(text)`` shows each stage's finds in ``doc.spans`` ("actors", "dates",
    "figures") and ``doc._.events``. Imported on call, so the CLI starts without spaCy."""
    from briefex.pipeline.nlp import load_nlp

    return load_nlp()
