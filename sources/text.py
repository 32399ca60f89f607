"""Plain-text files: decode, clean the debris of PDF-extracted text, rebuild paragraphs."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from briefex.models import IngestedDocument, IngestError

from .assemble import assemble
from .decode import decode_text
from .lines import Line, looks_like_heading
from .metadata import publication_date

WRAPPED_MAX_WIDTH = 110   # characters: longer typical lines mean one paragraph per line
WRAPPED_SHARE = 0.4       # share of lines near one width for a file to count as wrapped


def _wrap_width(lengths: list[int]) -> int | None:
    """The width a hard-wrapped file was wrapped at, or None when lines are whole paragraphs.

    Wrapped lines pile up just under the wrap width; the width with the most lines in
    [0.85 w, 1.05 w] is taken, if enough lines sit there.
    """
    if len(lengths) < 5:
        return None
    best, best_count = None, 0
    for width in range(30, WRAPPED_MAX_WIDTH + 1):
        count = sum(0.85 * width <= n <= 1.05 * width for n in lengths)
        if count > best_count:
            best, best_count = width, count
    return best if best_count / len(lengths) >= WRAPPED_SHARE else None


def text_lines(text: str) -> list[Line]:
    """Lines with paragraph hints: blank lines break, short lines may end a paragraph."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "")
    raw_pages = text.split("\f")
    stripped = [ln.strip() for page in raw_pages for ln in page.split("\n") if ln.strip()]
    width = _wrap_width([len(ln) for ln in stripped])
    lines: list[Line] = []
    for number, page_text in enumerate(raw_pages, start=1):
        blank_before = True
        for raw in page_text.split("\n"):
            stripped_line = re.sub(r"[ \t]+", " ", raw.strip())
            if not stripped_line:
                blank_before = True
                continue
            n = len(stripped_line)
            can_end = width is None or n < 0.8 * width or n > 1.2 * width
            lines.append(Line(stripped_line, number, break_before=blank_before or width is None,
                              can_end=can_end, heading=looks_like_heading(stripped_line)))
            blank_before = False
    return lines


def ingest_text(path: str | Path) -> IngestedDocument:
    path = Path(path)
    return read_text(path.read_bytes(), path)


def read_text(data: bytes, path: str | Path) -> IngestedDocument:
    """The bytes of a text file -> IngestedDocument; `path` names the source."""
    path = Path(path)
    if not data:
        raise IngestError(path, "E101")
    decoded, encoding = decode_text(data, path)
    if not decoded.strip():
        raise IngestError(path, "E107")
    lines = text_lines(decoded)
    text, pages, notes = assemble(lines)
    if not text.strip():
        raise IngestError(path, "E107")
    first = text[: pages[0].end] if pages else text
    title = next((p for p in text[:2000].split("\n\n")[:8]
                  if len(p) <= 150 and not Line(p, 1).ends_sentence and any(c.isalpha() for c in p)), None)
    return IngestedDocument(
        path=str(path), name=path.name, sha256=hashlib.sha256(data).hexdigest(),
        media_type="text/plain", text=text, pages=pages, notes=notes, title=title,
        publication_date=publication_date([], first), encoding=encoding)
