"""Rebuild paragraphs from cleaned lines and lay them out as one text with a page map.

Paragraphs are separated by a blank line, so sentence splitting never runs across a heading
or a list item. Each page's character range is kept, so every offset maps back to its page.
"""
from __future__ import annotations

from briefex.models import Note, Page
from briefex.models.documents import Block

from .dehyphenate import join_lines, vocabulary
from .lines import Line, split_notes, split_run_in_headings, strip_bullets, strip_note_markers

PARAGRAPH_BREAK = "\n\n"


def _starts_paragraph(line: Line, previous: Line | None) -> bool:
    if previous is None or line.item or line.block != previous.block:
        return True
    if line.heading or previous.heading:
        # consecutive heading lines are one heading unless a gap parts them
        return not (line.heading and previous.heading and not line.break_before)
    if line.text[:1].islower() and not previous.ends_sentence:
        return False  # a page, column or footnote interrupted the sentence
    if previous.text.rstrip()[-2:-1].isalpha() and previous.text.rstrip().endswith("-"):
        return False  # a word split at the line end never ends a paragraph
    if line.break_before:
        return True
    return previous.can_end and previous.ends_sentence


def _join_all(texts: list[str], vocab) -> str:
    joined = texts[0]
    for text in texts[1:]:
        joined = join_lines(joined, text, vocab)
    return joined


def paragraphs(lines: list[Line]) -> list[tuple[str, list[tuple[int, int]]]]:
    """Group lines into paragraphs: (text on one line, [(offset in text, page) where pages change])."""
    return [(text, marks) for text, marks, _ in _paragraphs(lines)]


def _paragraphs(lines: list[Line]) -> list[tuple[str, list[tuple[int, int]], str | None]]:
    """Paragraphs with the block (text box, table) each belongs to, if any."""
    vocab = vocabulary([line.text for line in lines])
    result: list = []
    previous: Line | None = None
    for line in lines:
        if _starts_paragraph(line, previous):
            result.append((line.text.strip(), [(0, line.page)], line.block))
        else:
            text, page_marks, block = result[-1]
            text = join_lines(text, line.text, vocab)
            if line.page != page_marks[-1][1]:
                page_marks.append((len(text) - len(line.text.strip()), line.page))
            result[-1] = (text, page_marks, block)
        previous = line
    return result


def assemble(lines: list[Line]) -> tuple[str, list[Page], list[Note]]:
    """Clean lines -> (text, pages, notes): the shape every source reader returns."""
    page_count = max((line.page for line in lines), default=1)
    lines = split_run_in_headings([line for line in strip_bullets(lines) if line.text.strip()])
    body, raw_notes = split_notes(lines)
    for line in body:
        line.text = strip_note_markers(line.text)
    pieces: list[str] = []
    page_starts: dict[int, int] = {}
    blocks: list[tuple[str, int, int, int]] = []  # (block id, first page, start, end)
    offset = 0
    for text, page_marks, block in _paragraphs(body):
        if pieces:
            offset += len(PARAGRAPH_BREAK)
        for at, page in page_marks:
            page_starts.setdefault(page, offset + at)
        if block is not None and blocks and blocks[-1][0] == block:
            blocks[-1] = (block, blocks[-1][1], blocks[-1][2], offset + len(text))
        elif block is not None:
            blocks.append((block, page_marks[0][1], offset, offset + len(text)))
        pieces.append(text)
        offset += len(text)
    text = PARAGRAPH_BREAK.join(pieces)
    vocab = vocabulary([line.text for line in lines])
    notes = [Note(page=page, marker=marker, text=_join_all(note_lines, vocab))
             for page, marker, note_lines in raw_notes]
    pages = page_map(page_starts, len(text), page_count)
    for block, page, start, end in blocks:
        pages[page - 1].blocks.append(Block(kind=block.split(":")[0], start=start, end=end))
    return text, pages, notes


def page_map(page_starts: dict[int, int], length: int, page_count: int) -> list[Page]:
    """Contiguous page ranges; a page whose text all joined the page before gets an empty range."""
    pages: list[Page] = []
    start = 0
    for number in range(1, page_count + 1):
        start = page_starts.get(number, start)
        pages.append(Page(number=number, start=start, end=start))
    for current, nxt in zip(pages, pages[1:], strict=False):
        current.end = max(current.start, nxt.start)
    if pages:
        pages[-1].end = length
    return pages
