"""Every message a user can see, kept together with a code (the spaCy habit).

A user-facing error names the file and the cause in one line, so a batch report reads
``scan.pdf: no text layer on any of 12 pages (OCR is not supported)`` and never a traceback.
"""
from __future__ import annotations

from pathlib import Path


class Errors:
    E001 = "file not found"
    E002 = "cannot read the file ({reason})"
    E003 = "is a directory, not a file"
    E101 = "empty file (0 bytes)"
    E102 = "not a PDF: the file has a .pdf name but its content looks like {looks_like}"
    E103 = "encrypted, a password is required"
    E104 = "damaged PDF ({reason})"
    E105 = "no text layer on any of {pages} pages (OCR is not supported)"
    E106 = "binary data, not text ({reason})"
    E107 = "no text: the file holds only white space"
    E108 = "unsupported file type ({looks_like}); briefex reads PDF and plain text"
    E109 = "cannot decode the text ({reason})"
    E201 = "record {record} failed validation: {reason}"
    E202 = "the folder {folder} does not exist (a new store goes in an existing folder)"
    E203 = "no store at {store} (`briefex add` creates one)"
    E204 = "backup copies SQLite stores; for PostgreSQL use pg_dump"
    E205 = "{target} already exists; choose a new file for the copy"
    E206 = "quarantined record {record} not found"
    E301 = ("record {record} was changed by {reviewer} at {at} after you opened it; "
            "reload to see their decision, then decide again")
    E302 = "record {record} not found"
    E303 = "the edit does not validate: {reason}"
    E304 = "a decision needs a reviewer name"
    E305 = "{field} cannot be edited; editable fields of a{n} {kind}: {editable}"
    E306 = "{field}: {reason}"
    E307 = "unknown action {action!r}; choose accept or reject"
    E308 = "{reviewer} has no decision left to undo"
    E309 = "the miss at {document} {start}..{end} is not in the misses queue"


class BriefexError(Exception):
    """An error about one input file that the user can act on."""

    def __init__(self, path: str | Path, code: str, **details: object) -> None:
        self.path = Path(path)
        self.code = code
        self.cause = getattr(Errors, code).format(**details)
        super().__init__(f"{self.path.name}: {self.cause}")


class IngestError(BriefexError):
    """A source file that cannot be turned into clean text."""


class Failure(Exception):
    """A command that cannot do what was asked, told as `briefex: what failed: why` (the CLI
    prints it on one line, with no traceback)."""

    def __init__(self, what: str, why: str) -> None:
        self.what = what
        self.why = why
        super().__init__(f"{what}: {why}")
