"""PDF with pdfplumber and pdfminer's layout analysis: text in reading order, running heads, feet
and page numbers dropped, footnotes and figure text kept as notes, hyphenation repaired,
paragraphs rebuilt.

pdfminer groups characters into lines and text boxes and orders the boxes across columns
(``laparams``, see layout.py); that is the reading order. What it does not know is done here,
on whole documents: margin lines that recur across pages are running heads and feet; small type
under the body is a page's footnotes; contents lists (dot leaders and page numbers) are not
body text, nor are author and contact boxes; a framed text box, a sidebar, a table or a
figure's small-type source line is a block of its own, read after the paragraph it sits beside
ends, so it never splits a sentence. Text boxes and tables are marked in the page map.
"""
from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from briefex.models import IngestedDocument, IngestError, Note

from .assemble import assemble
from .layout import DROP_CAP_RATIO, LAPARAMS, PageLayout, TextLine, analyse_page, find_tables, read_layout
from .lines import Line, looks_like_heading
from .metadata import publication_date

RUNNING_BAND = 0.08      # share of page height at top and bottom that holds running heads, feet, page numbers
COVER_BAND = 0.16        # a running line found again this far in (a cover page's taller foot) is running too
RUNNING_SHARE = 0.4      # share of pages a margin line must recur on to count as running
_CAPTION = re.compile(r"\s*(?:Table|Figure|Exhibit|Chart|Map)\s+[A-Z]?\d+[.:]")
NOTE_SIZE_RATIO = 0.88   # text this much smaller than the body, under it, is a footnote
ASIDE_SIZE_RATIO = 0.97  # a block in type smaller than the body (a caption's source, a note) is an aside
HEADING_SIZE_RATIO = 1.15
CONTACT_SHARE = 0.6      # lines of an author or contact box are shorter than this share of the measure
CONTENTS_SHARE = 0.5     # share of a contents list's lines that end in dot leaders and a page number
_LEADER = re.compile(r"(?:\.\s?){4,}\s*[\divxlcA-Z-]{1,6}\s*$|…{2,}\s*[\divxlcA-Z-]{1,6}\s*$")
_TERMINAL = re.compile(r"[.?!:;…][\"'”’)\]]*$")
_NOTE_NUMBER = re.compile(r"^\d{1,3}\s+\S")
_PLACEHOLDER_TITLES = {"", "untitled", "(unspecified)", "unknown", "microsoft word"}


def _open(data: bytes, path: Path) -> pdfplumber.PDF:
    try:
        return pdfplumber.open(io.BytesIO(data), laparams=LAPARAMS)
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



# Told (pages read, pages in all) after each page, so a progress bar can move within a long
# PDF. A context variable rather than a parameter: `ingest(path)` keeps its one shape.
PAGE_PROGRESS: ContextVar[Callable[[int, int], None] | None] = ContextVar("PAGE_PROGRESS", default=None)


def _read_pages(pdf: pdfplumber.PDF, path: Path) -> list[PageLayout]:
    pages: list[PageLayout] = []
    told = PAGE_PROGRESS.get()
    try:
        for number, page in enumerate(pdf.pages, start=1):
            pages.append(read_layout(analyse_page(pdf.rsrcmgr, page.page_obj, pdf.laparams, number), number))
            page.close()  # one page's objects at a time in memory
            if told is not None:
                told(number, len(pdf.pages))
    except PDFPasswordIncorrect as exc:
        raise IngestError(path, "E103") from exc
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise IngestError(path, "E103") from exc
        raise IngestError(path, "E104", reason=f"page {len(pages) + 1}: {_describe(cause)}") from exc
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(path, "E104", reason=f"page {len(pages) + 1}: {_describe(exc)}") from exc
    return pages


def _fold(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def _in_margin(line: TextLine, height: float, band: float) -> bool:
    return line.bottom < band * height or line.top > (1 - band) * height


def _running_keys(pages: list[PageLayout]) -> set[str]:
    """Margin lines that recur on many pages (digits folded, so page numbers match)."""
    counts: Counter = Counter()
    for page in pages:
        margin = [line for line in page.lines if _in_margin(line, page.height, RUNNING_BAND)]
        counts.update({_fold(line.text) for line in margin})
    needed = max(2, RUNNING_SHARE * len(pages))
    return {key for key, n in counts.items() if n >= needed}


def _split_running(pages: list[PageLayout], body_size: float) -> list[str]:
    """Take running heads, feet and page numbers off every page; return their text (for the date).
    A line set larger than the body (a title) is never running, though a running foot repeats it;
    margin lines stacked on a running line (aligned with it, a line apart) go with it."""
    running = _running_keys(pages)
    running_text: list[str] = []
    for page in pages:
        dropped = [line for line in page.lines if _is_running(line, page.height, running, body_size)]
        for line in page.lines:
            if line not in dropped and _in_margin(line, page.height, COVER_BAND) \
                    and abs(line.size - body_size) > 0.5 and any(_stacked(line, d) for d in dropped):
                dropped.append(line)
        running_text.extend(line.text for line in dropped)
        page.lines = [line for line in page.lines if line not in dropped]
    return running_text


def _is_running(line: TextLine, height: float, running: set[str], body_size: float) -> bool:
    if re.fullmatch(r"[\divxlc]{1,4}", line.text.strip().lower()):
        return _in_margin(line, height, RUNNING_BAND)
    return (_in_margin(line, height, COVER_BAND) and _fold(line.text) in running
            and line.size <= HEADING_SIZE_RATIO * body_size)


def _stacked(line: TextLine, other: TextLine) -> bool:
    aligned = abs(line.x1 - other.x1) < 3 or abs(line.x0 - other.x0) < 3
    gap = min(abs(line.top - other.bottom), abs(other.top - line.bottom))
    return aligned and gap < line.size


def _drop_contents(page: PageLayout, continues: bool) -> bool:
    """A contents list (lines ending in dot leaders and page numbers) is not body text: it is
    dropped from its title to its last entry, and body text on the same page stays. Most lines
    of a contents list end in a leader (an entry that wraps takes two lines); a page that goes
    on with the list from the page before needs only one. A stray leader line elsewhere is
    dropped too. True if the page holds a contents list."""
    leaders = [i for i, line in enumerate(page.lines) if _LEADER.search(line.text)]
    if not leaders:
        return False
    first, last = leaders[0], leaders[-1]
    if len(leaders) < (1 if continues else 3) or len(leaders) < CONTENTS_SHARE * (last - first + 1):
        page.lines = [line for i, line in enumerate(page.lines) if i not in set(leaders)]
        return False
    while first > 0 and not _TERMINAL.search(page.lines[first - 1].text) \
            and page.lines[first - 1].size > page.lines[first].size:
        first -= 1   # the list's title ("Contents", "Figures")
    page.lines = page.lines[:first] + page.lines[last + 1:]
    return True


def _join_drop_caps(page: PageLayout, body_size: float) -> None:
    """A drop cap (a paragraph's first letter set over several lines) that pdfminer reads as a
    line of its own joins the first line beside it, without a space."""
    caps = [line for line in page.lines if len(line.text.strip()) == 1 and line.text.strip().isupper()
            and line.size >= DROP_CAP_RATIO * body_size]
    for cap in caps:
        beside = [line for line in page.lines if line is not cap and cap.top - line.size <= line.top < cap.bottom
                  and -cap.size < line.x0 - cap.x1 < cap.size]
        if beside:
            first = min(beside, key=lambda line: line.top)
            first.text = cap.text.strip() + first.text.lstrip()
            page.lines.remove(cap)


def _drop_contacts(page: PageLayout, body_size: float, measure: float) -> None:
    """Author and contact boxes are not body text: a framed box of short lines none of which
    ends a sentence (a cover's author box), a heading over nothing but such short lines (an
    "author information" list), and a lone short line with a comma closing a page after a
    finished sentence (an author credit under a two-page brief)."""
    def short(line: TextLine) -> bool:
        return line.width < CONTACT_SHARE * measure and not _TERMINAL.search(line.text)

    def heading(line: TextLine) -> bool:
        return line.size > HEADING_SIZE_RATIO * body_size

    drop: set[int] = set()
    for frame in {line.frame for line in page.lines if line.framed}:
        members = [line for line in page.lines if line.frame == frame]
        if len(members) <= 12 and all(short(line) for line in members):
            drop.update(id(line) for line in members)
    lines = page.lines
    for i, line in enumerate(lines):
        if not heading(line) or _CAPTION.match(line.text):
            continue   # a table's or figure's caption heads its rows, not an author list
        j = i + 1
        while j < len(lines) and not heading(lines[j]) and short(lines[j]) and lines[j].size <= body_size \
                and not lines[j].table:   # a caption over a table's rows is no author list
            j += 1
        if j - i >= 3 and (j == len(lines) or heading(lines[j])):
            drop.update(id(line) for line in lines[i:j])
    blocks = _blocks([line for line in lines if id(line) not in drop and not line.table])
    if len(blocks) >= 2 and len(blocks[-1]) == 1:
        last, before = blocks[-1][0], blocks[-2][-1]
        if short(last) and "," in last.text and not last.bold and _TERMINAL.search(before.text):
            drop.add(id(last))
    page.lines = [line for line in lines if id(line) not in drop]


def _body_size(pages: list[PageLayout]) -> float:
    """The type size most running text is set in (points): lines of 40 characters or more (table
    cells are shorter) in the upper half of pages, where footnotes (which can outweigh the body
    in a heavily annotated report) do not reach."""
    sizes: Counter = Counter()
    for page in pages:
        for line in page.lines:
            if line.bottom < 0.5 * page.height and len(line.text) >= 40 and not line.table:
                sizes[line.size] += len(line.text)
    if not sizes:
        sizes.update(line.size for page in pages for line in page.lines)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _measure(pages: list[PageLayout]) -> float:
    """The width of a full line of body text (points): most lines of 40 characters or more are
    full lines of a column, even in a paper made mostly of tables."""
    widths = sorted(line.width for page in pages for line in page.lines if len(line.text) >= 40)
    return widths[int(0.75 * len(widths))] if widths else 300.0


def _footnotes(page: PageLayout, body_size: float) -> list[TextLine]:
    """The page's footnotes: lines in small type below the last body-size line, from the first
    that opens with a note number (small type under a chart without one is the chart's source)."""
    body = [line for line in page.lines if line.size >= NOTE_SIZE_RATIO * body_size]
    if not body:
        return []
    last_body = max(line.bottom for line in body)
    foot = sorted((line for line in page.lines if line.size < NOTE_SIZE_RATIO * body_size
                   and line.top >= last_body and not line.framed and not line.table),
                  key=lambda line: line.top)
    first = next((i for i, line in enumerate(foot) if _NOTE_NUMBER.match(line.text)), None)
    return [] if first is None else foot[first:]


def _blocks(lines: list[TextLine]) -> list[list[TextLine]]:
    blocks: list[list[TextLine]] = []
    for line in lines:
        if blocks and blocks[-1][-1].block == line.block:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return blocks


def _is_aside(block: list[TextLine], body_size: float, before: TextLine | None) -> bool:
    """A framed text box or sidebar, a table, or a block in smaller type than the body set apart
    from the text before it (a figure's source line, a note under a chart): read after the
    paragraph beside it ends. Small type right under the body line before it, indented within
    its column, is in the flow (a block quote) and stays in place."""
    if block[0].framed or block[0].table:
        return True
    if max(line.size for line in block) >= ASIDE_SIZE_RATIO * body_size:
        return False
    first = block[0]
    in_flow = (before is not None and before.x0 + 0.5 * before.size <= first.x0 < before.x1
               and 0 <= first.top - before.bottom <= 2.5 * before.size)
    return not in_flow


def _block_lines(block: list[TextLine], body_size: float, previous: Line | None,
                 above: TextLine | None = None) -> list[Line]:
    """Text lines of one block -> Lines. The block's first line opens a paragraph when a gap parts
    it from the line above it in the same column; at the top of a column or page it does unless
    the line before (the end of the last column or page) left a sentence open in the same type."""
    right_edge = max(t.x1 for t in block)
    out: list[Line] = []
    before: TextLine | None = None
    if block[0].table:
        return [Line(t.text, t.page, break_before=True, item=True, size=t.size,
                     block=f"table:{t.page}:{t.block}") for t in block]
    box = f"text box:{block[0].page}:{block[0].frame}" if block[0].framed else None
    for t in block:
        heading = t.size > HEADING_SIZE_RATIO * body_size or t.bold or looks_like_heading(t.text)
        if before is None and above is not None and above.page == t.page and above.bottom <= t.top \
                and above.x0 < t.x1 and t.x0 < above.x1:
            opens = heading or t.top - above.bottom > 0.6 * t.size
        elif before is None:
            opens = (previous is None or previous.heading or previous.ends_sentence or heading
                     or abs(previous.size - t.size) > 0.5)
        else:
            opens = t.top - before.bottom > 0.6 * t.size
        out.append(Line(t.text, t.page, break_before=opens, can_end=t.x1 < right_edge - 1.5 * t.size,
                        heading=heading, size=t.size, block=box))
        before = t
    return out


def _page_lines(page: PageLayout, body_size: float, lines: list[Line]) -> None:
    """Append one page's body lines to `lines`; asides wait until the paragraph beside them ends."""
    notes = _footnotes(page, body_size)
    body = [t for t in page.lines if t not in notes]
    waiting: list[Line] = []
    before: TextLine | None = None
    for block in _blocks(body):
        if _is_aside(block, body_size, before):
            waiting.extend(_block_lines(block, body_size, None))
            continue
        previous = lines[-1] if lines else None
        if waiting and previous is not None and (_closes(previous) or abs(previous.size - body_size) > 0.5):
            lines.extend(waiting)
            waiting.clear()
        lines.extend(_block_lines(block, body_size, previous, before))
        before = block[-1]
    if waiting:
        at = _open_paragraph_start(lines, page.number)
        lines[at:at] = waiting
    lines.extend(Line(t.text, t.page, note=True) for t in notes)


def _closes(line: Line) -> bool:
    """A paragraph can end after this line: a heading, a finished sentence, or a line short of
    its column's right edge (justified text fills every line of a paragraph but its last, so a
    short line ends a list entry or a paragraph whatever its punctuation)."""
    return line.heading or line.ends_sentence or line.can_end


def _open_paragraph_start(lines: list[Line], page: int) -> int:
    """Where the paragraph left open at the end of a page begins, if it begins on that page;
    asides go there, so they never split a sentence and the page order stays intact."""
    if not lines or _closes(lines[-1]):
        return len(lines)
    i = len(lines) - 1
    while i > 0 and lines[i].page == page:
        if lines[i].break_before and _closes(lines[i - 1]):
            return i
        i -= 1
    return len(lines) if lines[i].page != page else i


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
        pages = _read_pages(pdf, path)
    if not pages:
        raise IngestError(path, "E104", reason="no pages")
    if not any(page.lines for page in pages):
        raise IngestError(path, "E105", pages=len(pages))

    running_text = _split_running(pages, _body_size(pages))
    first_rows = next((page.lines for page in pages if page.lines), [])
    body_size = _body_size(pages)
    measure = _measure(pages)
    continues = False
    for page in pages:
        continues = _drop_contents(page, continues)
        find_tables(page, measure, body_size)
    body_size = _body_size(pages)  # again without the tables, which can outweigh a short paper's text
    for page in pages:
        _join_drop_caps(page, body_size)
        _drop_contacts(page, body_size, measure)
    lines: list[Line] = []
    for page in pages:
        _page_lines(page, body_size, lines)

    text, page_ranges, notes = assemble(lines)
    if not text.strip():
        raise IngestError(path, "E105", pages=len(pages))
    notes += [Note(page=page.number, text=figure) for page in pages for figure in page.figure_text]
    first_page = text[page_ranges[0].start:page_ranges[0].end]
    title = meta_title if meta_title.lower() not in _PLACEHOLDER_TITLES else None
    if title is None and first_rows:
        title = max(first_rows, key=lambda t: t.size).text
    return IngestedDocument(
        path=str(path), name=path.name, sha256=hashlib.sha256(data).hexdigest(),
        media_type="application/pdf", text=text, pages=page_ranges, notes=notes, title=title,
        publication_date=publication_date(running_text, first_page))
