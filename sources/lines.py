"""The line: the unit both readers produce and the cleaners work on.

A PDF reader knows geometry (gaps, indents, font sizes) and a text reader knows blank lines and
wrap width; both boil that down to the same three hints per line, so paragraph rebuilding,
footnote splitting and de-hyphenation are written once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

BULLET_GLYPHS = "•◦▪▫●○■□‣⁃∙·-–—*"
_LONE_BULLET = re.compile(rf"^[{re.escape(BULLET_GLYPHS)}]$")
_LEADING_BULLET = re.compile(r"^[•◦▪▫●○■□‣⁃∙·]\s+")
_LONE_NUMBER = re.compile(r"^(\d{1,3}|[ivxlc]{1,6})$")
_TERMINAL = re.compile(r"[.?!:;…][\"'”’)\]]*$|[\"”]$")


@dataclass
class Line:
    text: str
    page: int
    break_before: bool = False  # a blank line, a vertical gap or a bullet starts a new paragraph here
    can_end: bool = True        # short of the measure: a paragraph may end after this line
    heading: bool = False       # a title or section heading: a paragraph of its own
    note: bool = False          # set by a reader that can tell (small type under the body)
    item: bool = False          # opened by a bullet: a list item always starts its own paragraph
    size: float = 0.0           # type size in points, where the reader knows it (PDF)
    block: str | None = None    # "text box:<id>" or "table:<id>": a block read as a unit, kept apart

    @property
    def ends_sentence(self) -> bool:
        return bool(_TERMINAL.search(self.text))


def looks_like_heading(text: str) -> bool:
    """Upper-case lines of a few words ("MILITARY ACQUISITIONS FROM RUSSIA") are headings."""
    words = [w for w in text.split() if any(c.isalpha() for c in w)]
    letters = sum(c.isalpha() for c in text)
    return letters >= 4 and len(words) <= 14 and all(w.isupper() for w in words)


_RUN_IN_HEADING = re.compile(r"^((?:[A-Z][A-Z’'&,:-]*\s+){2,}[A-Z][A-Z’'&,:-]*)\s+([A-Z][a-z].*)$")


def split_run_in_headings(lines: list[Line]) -> list[Line]:
    """'MILITARY ACQUISITIONS FROM RUSSIA Im-' is a heading and the start of a paragraph."""
    out: list[Line] = []
    for line in lines:
        m = _RUN_IN_HEADING.match(line.text.strip())
        if m and not line.heading:
            out.append(Line(m[1], line.page, line.break_before, True, heading=True, block=line.block))
            out.append(Line(m[2], line.page, True, line.can_end, heading=False, block=line.block))
        else:
            out.append(line)
    return out


def strip_bullets(lines: list[Line]) -> list[Line]:
    """Drop lines that hold only a bullet glyph; a bullet starts a paragraph of its own."""
    out: list[Line] = []
    starts_item = False
    for line in lines:
        text = line.text.strip()
        if _LONE_BULLET.match(text):
            starts_item = True
            continue
        if _LEADING_BULLET.match(text):
            text = _LEADING_BULLET.sub("", text)
            starts_item = True
        line.text = text
        line.break_before = line.break_before or starts_item
        line.item = line.item or starts_item
        starts_item = False
        out.append(line)
    return out


# A footnote's first line reads like a citation: an author ("Feng, Zhongping"), a quoted title,
# a URL, an "Accessed ..." date or a bare domain left over from a wrapped URL.
_CITATION = re.compile(
    r"https?://|www\.|\b(?:org|com|net|int|gov|edu)/|\bAccessed\b|\bRetrieved\b|\bIbid\b|"
    r"^[A-Z][\w'’-]+,\s+[A-Z][\w.]*|^“|^\"|\bpp?\.\s*\d|\(\d{4}\)|\.\s(?:19|20)\d\d\.")
# Without a marker line, only an author-and-year or link opening marks an inset note.
_CITATION_START = re.compile(
    r"^(?:[A-Z][\w'’-]+,\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?.{0,120}\b(?:19|20)\d\d\b|"
    r"https?://|www\.|Ibid\b)")
_MAX_NOTE_LINES = 6
# "for example.2 Between", "in 2016.6 There": a footnote marker glued to the word or year before it
_GLUED_MARKER = re.compile(r"([A-Za-z”\"’)\]]|\b(?:19|20)\d\d)([.,;:])\d{1,2}(?=\s+[A-Z“\"(]|\s*$)")


def strip_note_markers(text: str) -> str:
    return _GLUED_MARKER.sub(r"\1\2", text)


def _note_start(lines: list[Line], i: int, previous: Line | None) -> int | None:
    """Index of a footnote's first text line if one starts at line i, else None."""
    line = lines[i]
    if _LONE_NUMBER.match(line.text.strip()):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        return i + 1 if nxt is not None and _CITATION.search(nxt.text) else None
    interrupts = previous is not None and not previous.ends_sentence and not previous.heading
    opening = line.text + (" " + lines[i + 1].text if i + 1 < len(lines) else "")
    if interrupts and line.break_before and _CITATION_START.search(opening):
        return i
    return None


def split_notes(lines: list[Line]) -> tuple[list[Line], list[tuple[int, str | None, list[str]]]]:
    """Take footnotes out of the body flow; return body lines and (page, marker, lines) notes.

    Text pulled from PDFs carries a footnote wedged into a sentence, after a lone number line
    or as an inset paragraph that reads like a citation. The note runs until the body resumes:
    a line in lower case after a line that ends a sentence or a URL. Lone numbers with no
    citation after them are page numbers or stray markers and are dropped.
    """
    body: list[Line] = []
    notes: list[tuple[int, str | None, list[str]]] = []
    i = 0
    while i < len(lines):
        if lines[i].note:
            marker = re.match(r"^(\d{1,3})\s+", lines[i].text)
            if marker or not notes or notes[-1][0] != lines[i].page:
                text = lines[i].text[marker.end():] if marker else lines[i].text
                notes.append((lines[i].page, marker.group(1) if marker else None, [text]))
            else:
                notes[-1][2].append(lines[i].text)
            i += 1
            continue
        start = _note_start(lines, i, body[-1] if body else None)
        if start is None:
            if not _LONE_NUMBER.match(lines[i].text.strip()):
                body.append(lines[i])
            i += 1
            continue
        marker = lines[i].text.strip() if start > i else None
        note = [lines[start].text.strip()]
        j = start + 1
        while j < len(lines) and len(note) < _MAX_NOTE_LINES:
            nxt = lines[j].text.strip()
            resumes_body = nxt[:1].islower() and not _CITATION.search(nxt) and note[-1].endswith((".", "/"))
            if resumes_body or _LONE_NUMBER.match(nxt) or lines[j].heading:
                break
            note.append(nxt)
            j += 1
        notes.append((lines[start].page, marker, note))
        i = j
    return body, notes
