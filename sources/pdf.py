"""PDF with pdfplumber: columns in reading order, running heads, feet and page numbers dropped,
footnotes kept as notes, hyphenation repaired, paragraphs rebuilt.

Plain ``extract_text()`` interleaves two columns line by line, so the page is rebuilt from
words: words are grouped into rows (one baseline, one font size, so text overprinted in
another size stays apart), a gutter is found where no body row has ink, and rows that do not
cross it are read left column first, then right. Rows that cross the gutter (titles, boxes,
full-width lines under the columns) are read in place.
"""
from __future__ import annotations

import hashlib
import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from briefex.models import IngestedDocument, IngestError

from .assemble import assemble
from .lines import Line, looks_like_heading
from .metadata import publication_date

RUNNING_BAND = 0.08      # share of page height at top and bottom that holds running heads and feet
RUNNING_SHARE = 0.4      # share of pages a margin line must recur on to count as running
GUTTER_MIN_WIDTH = 6.0   # points
GUTTER_DIP = 0.35        # ink in the gutter against the median inked column, at most
NOTE_SIZE_RATIO = 0.88   # text this much smaller than the body, under it, is a footnote
_PLACEHOLDER_TITLES = {"", "untitled", "(unspecified)", "unknown", "microsoft word"}


@dataclass
class Row:
    """Words on one baseline in one font size."""

    words: list[dict]
    page: int
    top: float = field(init=False)
    bottom: float = field(init=False)
    x0: float = field(init=False)
    x1: float = field(init=False)
    size: float = field(init=False)

    def __post_init__(self) -> None:
        self.words.sort(key=lambda w: w["x0"])
        self.top = min(w["top"] for w in self.words)
        self.bottom = max(w["bottom"] for w in self.words)
        self.x0 = min(w["x0"] for w in self.words)
        self.x1 = max(w["x1"] for w in self.words)
        self.size = statistics.median(w["size"] for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)

    @property
    def bold(self) -> bool:
        return all("bold" in w["fontname"].lower() for w in self.words)

    def overlaps_vertically(self, other: "Row") -> bool:
        return self.top < other.bottom - 1 and other.top < self.bottom - 1


def _rows(page: pdfplumber.page.Page, number: int) -> list[Row]:
    if _has_doubled_chars(page):
        page = page.dedupe_chars()
    words = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False)
    groups: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["size"], 1), w["top"], w["x0"])):
        last = groups[-1][-1] if groups else None
        if (last is not None and abs(round(last["size"], 1) - round(word["size"], 1)) < 0.05
                and abs(last["top"] - word["top"]) <= 0.3 * word["size"]):
            groups[-1].append(word)
        else:
            groups.append([word])
    return sorted((Row(group, number) for group in groups), key=lambda r: (r.top, r.x0))


def _has_doubled_chars(page: pdfplumber.page.Page) -> bool:
    """Fake bold prints each character twice; dedupe_chars() is slow, so only pay it then."""
    chars = page.chars
    keys = Counter((c["text"], round(c["x0"], 1), round(c["top"], 1)) for c in chars)
    return bool(chars) and sum(n - 1 for n in keys.values()) > 0.05 * len(chars)


def _running_keys(pages: list[list[Row]], heights: list[float]) -> set[str]:
    """Margin lines that recur on many pages (digits folded, so page numbers match)."""
    counts: Counter = Counter()
    for rows, height in zip(pages, heights):
        counts.update({_fold(r.text) for r in rows if _in_margin(r, height)})
    needed = max(2, RUNNING_SHARE * len(pages))
    return {key for key, n in counts.items() if n >= needed}


def _fold(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def _in_margin(row: Row, height: float) -> bool:
    return row.bottom < RUNNING_BAND * height or row.top > (1 - RUNNING_BAND) * height


def _find_gutter(pages: list[list[Row]], width: float) -> tuple[float, float] | None:
    """A vertical band near the middle where body rows of the whole document leave no ink."""
    coverage = [0] * (int(width) + 2)
    for rows in pages:
        for row in rows:
            covered = set()
            for w in row.words:
                covered.update(range(max(0, int(w["x0"])), min(len(coverage), int(w["x1"]) + 1)))
            for x in covered:
                coverage[x] += 1
    lo, hi = int(0.3 * width), int(0.7 * width)
    inked = [c for c in coverage if c > 0]
    if hi <= lo or not inked:
        return None
    threshold = GUTTER_DIP * statistics.median(inked)
    centre = min(range(lo, hi), key=lambda x: (coverage[x], abs(x - width / 2)))
    if coverage[centre] > threshold:
        return None
    start = end = centre
    while start > 0 and coverage[start - 1] <= threshold:
        start -= 1
    while end < len(coverage) - 1 and coverage[end + 1] <= threshold:
        end += 1
    has_left = any(c > threshold for c in coverage[:start])
    has_right = any(c > threshold for c in coverage[end + 1:])
    if end - start < GUTTER_MIN_WIDTH or not (has_left and has_right):
        return None
    return float(start), float(end)


def _reading_order(rows: list[Row], gutter: tuple[float, float] | None) -> list[list[Row]]:
    """Blocks of rows in reading order: left column, right column, full-width runs in place.

    A full-width row beside column rows (a box overprinting a column, a long URL running
    into the gutter) belongs to the column it starts in, not to the page between them.
    """
    if gutter is None:
        return [rows]
    middle = (gutter[0] + gutter[1]) / 2
    split_rows = [r for r in rows if not _crosses(r, gutter)]
    blocks: list[list[Row]] = []
    left: list[Row] = []
    right: list[Row] = []
    full_width: list[Row] = []
    for row in rows:
        if _crosses(row, gutter) and not _inside_columns(row, split_rows, middle):
            blocks.extend(b for b in (left[:], right[:]) if b)
            left.clear()
            right.clear()
            full_width.append(row)
            continue
        if full_width:
            blocks.append(full_width[:])
            full_width.clear()
        (left if row.x0 < middle else right).append(row)
    blocks.extend(b for b in (left, right, full_width) if b)
    return blocks


def _inside_columns(row: Row, split_rows: list[Row], middle: float) -> bool:
    """A gutter-crossing row that overprints column rows or has them on both sides above and
    below is a column's stray (a box pushed out of place, a long URL), not a full-width line."""
    if any(row.overlaps_vertically(s) for s in split_rows):
        return True
    reach = 2.5 * row.size
    near = [s for s in split_rows if row.top - reach <= s.top <= row.bottom + reach]
    sides = {(s.top < row.top, s.x0 < middle) for s in near}
    return len(sides) == 4


def _crosses(row: Row, gutter: tuple[float, float]) -> bool:
    return any(w["x0"] < gutter[1] and w["x1"] > gutter[0] for w in row.words)


def _split_row(row: Row, gutter: tuple[float, float] | None) -> list[Row]:
    """A row whose words sit on both sides of the gutter is two rows, one per column."""
    if gutter is None or _crosses(row, gutter):
        return [row]
    middle = (gutter[0] + gutter[1]) / 2
    parts = [[w for w in row.words if w["x1"] <= middle], [w for w in row.words if w["x1"] > middle]]
    return [Row(p, row.page) for p in parts if p]


def _footnote_rows(rows: list[Row], body_size: float) -> list[Row]:
    """Rows in small type below the last body-size row of the page: the page's footnotes."""
    body_rows = [r for r in rows if r.size >= NOTE_SIZE_RATIO * body_size]
    if not body_rows:
        return []
    last_body = max(r.bottom for r in body_rows)
    return [r for r in rows if r.size < NOTE_SIZE_RATIO * body_size and r.top >= last_body]


def _block_lines(block: list[Row], body_size: float) -> list[Line]:
    """Rows of one column or full-width run -> Lines; a block's first row carries no break,
    so a sentence running from one column or page into the next stays one paragraph."""
    right_edge = max(r.x1 for r in block)
    lines: list[Line] = []
    previous: Row | None = None
    for row in block:
        gap = row.top - previous.bottom if previous else 0.0
        heading = row.size > 1.15 * body_size or row.bold or looks_like_heading(row.text)
        lines.append(Line(row.text, row.page,
                          break_before=previous is not None and gap > 0.6 * row.size,
                          can_end=row.x1 < right_edge - 1.5 * row.size,
                          heading=heading))
        previous = row
    return lines


def _open(data: bytes, path: Path) -> pdfplumber.PDF:
    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise IngestError(path, "E103") from exc
        raise IngestError(path, "E104", reason=_describe(cause)) from exc
    except Exception as exc:  # pdfminer raises many kinds on broken input
        raise IngestError(path, "E104", reason=_describe(exc)) from exc


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().strip("'\"") or type(exc).__name__
    if "No /Root" in text or "trailer" in text.lower() or type(exc).__name__ == "PSEOF":
        return f"truncated or not a well-formed PDF: {text}"
    return text[:120]


def _read_pages(pdf: pdfplumber.PDF, path: Path) -> tuple[list[list[Row]], list[float], float]:
    pages, heights = [], []
    width = 0.0
    try:
        for number, page in enumerate(pdf.pages, start=1):
            pages.append(_rows(page, number))
            heights.append(float(page.height))
            width = max(width, float(page.width))
    except PDFPasswordIncorrect as exc:
        raise IngestError(path, "E103") from exc
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(path, "E104", reason=f"page {len(pages) + 1}: {_describe(exc)}") from exc
    return pages, heights, width


def ingest_pdf(path: str | Path) -> IngestedDocument:
    path = Path(path)
    return read_pdf(path.read_bytes(), path)


def read_pdf(data: bytes, path: str | Path) -> IngestedDocument:
    """The bytes of a PDF -> IngestedDocument; `path` names the source in records and errors."""
    path = Path(path)
    if not data:
        raise IngestError(path, "E101")
    with _open(data, path) as pdf:
        meta_title = str(pdf.metadata.get("Title") or "").strip()
        pages, heights, width = _read_pages(pdf, path)
    if not pages:
        raise IngestError(path, "E104", reason="no pages")
    if not any(pages):
        raise IngestError(path, "E105", pages=len(pages))

    running = _running_keys(pages, heights)
    running_text: list[str] = []
    body_pages: list[list[Row]] = []
    for rows, height in zip(pages, heights):
        kept = []
        for row in rows:
            lone_number = re.fullmatch(r"[\divxlc]{1,4}", row.text.strip().lower())
            if _in_margin(row, height) and (_fold(row.text) in running or lone_number):
                running_text.append(row.text)
            else:
                kept.append(row)
        body_pages.append(kept)

    sizes = Counter(round(w["size"], 1) for rows in body_pages for r in rows for w in r.words)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    gutter = _find_gutter(body_pages, width)
    lines: list[Line] = []
    for rows in body_pages:
        notes = _footnote_rows(rows, body_size)
        rows = [part for row in rows if row not in notes for part in _split_row(row, gutter)]
        for block in _reading_order(rows, gutter):
            lines.extend(_block_lines(block, body_size))
        lines.extend(Line(r.text, r.page, note=True) for r in notes)

    text, page_ranges, notes = assemble(lines)
    if not text.strip():
        raise IngestError(path, "E105", pages=len(pages))
    first_page = text[page_ranges[0].start:page_ranges[0].end]
    title = meta_title if meta_title.lower() not in _PLACEHOLDER_TITLES else None
    if title is None:
        first_rows = body_pages[0] if body_pages[0] else [r for p in body_pages for r in p][:1]
        title = max(first_rows, key=lambda r: r.size).text if first_rows else None
    return IngestedDocument(
        path=str(path), name=path.name, sha256=hashlib.sha256(data).hexdigest(),
        media_type="application/pdf", text=text, pages=page_ranges, notes=notes, title=title,
        publication_date=publication_date(running_text, first_page))
