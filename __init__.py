"""briefex: turns security-policy briefing papers into a reviewed database of dated events,
actors and figures, each traceable to the sentence it came from.

The packages are ``models`` (records), ``sources`` (file readers), ``pipeline`` (extraction
and the Prefect flow) and ``output`` (store and exports); ``cli`` puts them together.
"""
__version__ = "0.1.0"
