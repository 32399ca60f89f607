"""Source readers: one function per file type, one shape (path -> IngestedDocument).

``ingest`` picks the reader by what the bytes are, not only by the name: a PDF named .txt is
read as a PDF, and a file named .pdf that is not one is refused with what it looks like.
"""
from __future__ import annotations

from pathlib import Path

from briefex.models import IngestedDocument, IngestError

from .pdf import ingest_pdf, read_pdf
from .text import ingest_text, read_text

SUFFIXES = {".pdf", ".txt", ".text", ".md"}
_SIGNATURES = [
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"), (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"), (b"{\\rtf", "an RTF document"),
    (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"), (b"\x7fELF", "an executable"),
    (b"<!DOCTYPE html", "an HTML page"), (b"<html", "an HTML page"),
]


def sniff(head: bytes) -> str:
    """'pdf', 'text', or a phrase naming what the bytes look like."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    for signature, what in _SIGNATURES:
        if head.lstrip()[: len(signature)].lower() == signature.lower():
            return what
    if not head:
        return "empty"
    return "text"


def ingest(path: str | Path) -> IngestedDocument:
    """Read any supported file into clean text; raise IngestError naming the file and the cause."""
    path = Path(path)
    if not path.exists():
        raise IngestError(path, "E001")
    if path.is_dir():
        raise IngestError(path, "E003")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(path, "E002", reason=exc.strerror or type(exc).__name__) from exc
    return ingest_bytes(data, path)


def ingest_bytes(data: bytes, path: str | Path) -> IngestedDocument:
    """Like ingest, from bytes already read (a stored version, a file on another machine)."""
    path = Path(path)
    kind = sniff(data[:2048])
    if kind == "empty":
        raise IngestError(path, "E101")
    if kind == "pdf":
        return read_pdf(data, path)
    if path.suffix.lower() == ".pdf":
        raise IngestError(path, "E102", looks_like="text" if kind == "text" else kind)
    if kind != "text":
        raise IngestError(path, "E108", looks_like=kind)
    return read_text(data, path)


def discover(paths: list[str | Path]) -> list[Path]:
    """Expand folders into the supported files they hold, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*")
                                if p.is_file() and p.suffix.lower() in SUFFIXES))
        else:
            found.append(path)
    return found


__all__ = ["SUFFIXES", "discover", "ingest", "ingest_bytes", "ingest_pdf", "ingest_text", "read_pdf",
           "read_text", "sniff"]
