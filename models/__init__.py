"""Pydantic records shared by every stage. Imports nothing else of briefex."""
from .documents import IngestedDocument, Note, Page
from .errors import BriefexError, Errors, IngestError
from .identity import record_id
from .records import Actor, Event, Evidence, Figure, Record

__all__ = ["Actor", "BriefexError", "Errors", "Event", "Evidence", "Figure", "IngestError",
           "IngestedDocument", "Note", "Page", "Record", "record_id"]
