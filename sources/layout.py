"""One PDF page as pdfminer's layout analysis sees it, boiled down to text lines with geometry.

pdfminer (through pdfplumber's ``laparams``) groups characters into lines and lines into text
boxes, and orders the boxes across columns (``boxes_flow``); that order beats a hand-written
gutter finder on real two-column briefs. This module keeps that order and adds only what the
layout analysis does not know:

- superscripts: an ordinal suffix joins its number ("119th"), a footnote marker is dropped;
- figures: text drawn inside a figure (axis labels, legends) is set apart, for the notes;
- text boxes and sidebars: a text box framed or shaded by a rectangle is a block of its own;
- tables: rows of a table pdfplumber's table finder finds are given as cells joined by " | ".

Coordinates are in points, measured from the top of the page (pdfplumber's convention).
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import (
    LAParams,
    LTAnno,
    LTChar,
    LTFigure,
    LTPage,
    LTRect,
    LTTextBox,
    LTTextGroupLRTB,
    LTTextLine,
)
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

LAPARAMS = {"line_overlap": 0.5, "char_margin": 2.0, "line_margin": 0.5, "word_margin": 0.1,
            "boxes_flow": 0.5, "detect_vertical": False, "all_texts": False}
SUPERSCRIPT_SIZE = 0.85    # a character this much smaller than its line's type, raised, is a superscript
SUPERSCRIPT_RISE = 0.15    # ... raised by this share of the line's type size above its baseline
ORDINAL_SUFFIXES = {"st", "nd", "rd", "th"}
DROP_CAP_RATIO = 2.0       # a paragraph's first capital set this many times larger than its text is a drop cap
FRAME_MARGIN = 3.0         # points: a box lies inside a frame if it does not stick out by more
FRAME_MIN_HEIGHT = 30.0    # points: a rectangle lower than this is a rule or a highlight, not a frame
MAX_FLOW_BOXES = 300       # text boxes on a page beyond which pdfminer's box ordering is not run


class _BoundedPage(LTPage):
    """pdfminer's page, but its box ordering (``boxes_flow``: a hierarchical grouping, quadratic in
    the number of boxes; 46 s for a map of 1,500 scattered labels) gives way to a plain
    top-to-bottom, left-to-right order on a page of that many boxes, which is no running text."""

    def group_textboxes(self, laparams, boxes):
        if len(boxes) > MAX_FLOW_BOXES:
            return [LTTextGroupLRTB(boxes)]
        return super().group_textboxes(laparams, boxes)


class _Aggregator(PDFPageAggregator):
    def begin_page(self, page, ctm) -> None:
        super().begin_page(page, ctm)
        self.cur_item = _BoundedPage(self.cur_item.pageid, self.cur_item.bbox, self.cur_item.rotate)


def analyse_page(resources: PDFResourceManager, page: PDFPage, laparams: LAParams, number: int) -> LTPage:
    """pdfminer's layout analysis of one page (what pdfplumber's ``page.layout`` gives, bounded)."""
    device = _Aggregator(resources, pageno=number, laparams=laparams)
    PDFPageInterpreter(resources, device).process_page(page)
    return device.get_result()


@dataclass
class TextLine:
    """One line of text on a page, with the geometry the cleaners need."""

    text: str
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float          # the type size most of the line is set in (points)
    bold: bool
    block: int           # the text box it came from, numbered in reading order on its page
    frame: int = 0        # the frame or shaded panel the block sits in (1, 2, ...): a text box or sidebar
    table: bool = False   # a table row, cells joined by " | "

    @property
    def framed(self) -> bool:
        return self.frame > 0

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass
class PageLayout:
    number: int
    width: float
    height: float
    lines: list[TextLine]
    figure_text: list[str]


def _line_text(line: LTTextLine) -> tuple[str, float, bool]:
    """Text of one pdfminer line with superscripts resolved; its main type size; all bold."""
    chars = [c for c in line if isinstance(c, LTChar)]
    if not chars:
        return "", 0.0, False
    sizes = Counter(round(c.size, 1) for c in chars if c.get_text().strip())
    size = sizes.most_common(1)[0][0] if sizes else round(chars[0].size, 1)
    main = [c.y0 for c in chars if abs(c.size - size) < 0.6]
    base = statistics.median(main) if main else chars[0].y0
    pieces: list[str] = []
    raised: list[str] = []

    def flush() -> None:
        text = "".join(raised)
        raised.clear()
        if not text:
            return
        before = "".join(pieces).rstrip()
        if text.lower() in ORDINAL_SUFFIXES and before[-1:].isdigit() and not "".join(pieces).endswith(" "):
            pieces.append(text)  # 119 + th
        elif re.fullmatch(r"[\d,\s*†‡]+", text):
            if not before:
                pieces.append(text.strip() + " ")  # a footnote's own number, opening its line
            # else a footnote marker in a sentence: dropped, the note is kept from the page's foot
        else:
            pieces.append(text)

    for obj in line:
        if isinstance(obj, LTChar):
            is_raised = obj.size < SUPERSCRIPT_SIZE * size and obj.y0 > base + SUPERSCRIPT_RISE * size
            if is_raised:
                raised.append(obj.get_text())
                continue
            flush()
            pieces.append(obj.get_text())
        elif isinstance(obj, LTAnno):
            if raised:
                raised.append(obj.get_text())
            else:
                pieces.append(obj.get_text())
    flush()
    text = re.sub(r"\s+", " ", "".join(pieces)).strip()
    first = chars[0].get_text()
    if first.isupper() and chars[0].size >= DROP_CAP_RATIO * size and text[1:2] == " ":
        text = first + text[2:]   # a drop cap on the line it opens: "T he" -> "The"
    bold = all("bold" in c.fontname.lower() for c in chars if c.get_text().strip())
    return text, float(size), bold


def _frames(layout: LTPage) -> list[tuple[float, float, float, float]]:
    """Rectangles big enough to frame text (a stroked box or a shaded panel), top-based."""
    frames = []
    for obj in layout:
        if isinstance(obj, LTRect) and obj.height >= FRAME_MIN_HEIGHT and obj.width >= 3 * FRAME_MIN_HEIGHT:
            frames.append((obj.x0, layout.height - obj.y1, obj.x1, layout.height - obj.y0))
    return frames


def _inside(box: tuple[float, float, float, float], frame: tuple[float, float, float, float]) -> bool:
    return (box[0] >= frame[0] - FRAME_MARGIN and box[1] >= frame[1] - FRAME_MARGIN
            and box[2] <= frame[2] + FRAME_MARGIN and box[3] <= frame[3] + FRAME_MARGIN)


def _figure_text(figure: LTFigure) -> str:
    chars = []
    for obj in figure:
        if isinstance(obj, LTChar):
            chars.append(obj.get_text())
        elif isinstance(obj, LTFigure):
            chars.append(" " + _figure_text(obj) + " ")
        elif isinstance(obj, LTTextLine | LTTextBox):
            chars.append(" " + obj.get_text() + " ")
    return re.sub(r"\s+", " ", "".join(chars)).strip()


def read_layout(layout: LTPage, number: int) -> PageLayout:
    """pdfminer's analysed page -> text lines in pdfminer's reading order, figure text aside."""
    height = layout.height
    frames = _frames(layout)
    lines: list[TextLine] = []
    figure_text: list[str] = []
    block = 0
    for obj in layout:
        if isinstance(obj, LTFigure):
            text = _figure_text(obj)
            if text:
                figure_text.append(text)
            continue
        if isinstance(obj, LTTextLine):
            parts = [obj]
        elif isinstance(obj, LTTextBox):
            parts = list(obj)
        else:
            continue
        bbox = (obj.x0, height - obj.y1, obj.x1, height - obj.y0)
        frame = next((i for i, f in enumerate(frames, start=1) if _inside(bbox, f)), 0)
        for part in parts:
            if not isinstance(part, LTTextLine):
                continue
            text, size, bold = _line_text(part)
            if not text:
                continue
            lines.append(TextLine(text, number, part.x0, part.x1, height - part.y1, height - part.y0,
                                  size, bold, block, frame))
        block += 1
    return PageLayout(number, float(layout.width), float(height), lines, figure_text)


TABLE_MIN_CELLS = 3        # pieces of text side by side on one baseline that make a table row
TABLE_MEASURE_SHARE = 0.85  # a cell is narrower than this share of the body's text measure
TABLE_ROW_GAP = 3.0        # rows further apart than this many type sizes end the table
_UNIT = re.compile(r"\(([^()]*\b(?:millions?|billions?|trillions?|thousands?|percent|dollars)\b[^()]*)\)|"
                   r"((?:[$€£]|US\$)\s?(?:millions?|billions?|trillions?|thousands?))", re.IGNORECASE)


def _rows_on_baselines(lines: list[TextLine]) -> list[list[TextLine]]:
    """Lines grouped by baseline: lines whose vertical middles lie within half a type size."""
    rows: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda t: (t.top + t.bottom) / 2):
        middle = (line.top + line.bottom) / 2
        if rows:
            last = rows[-1][0]
            if abs((last.top + last.bottom) / 2 - middle) <= 0.5 * max(last.size, line.size):
                rows[-1].append(line)
                continue
        rows.append([line])
    return [sorted(row, key=lambda t: t.x0) for row in rows]


def _is_body_line(line: TextLine, measure: float, body_size: float) -> bool:
    """A line of running text: in the body's type and as wide as its measure (beside a table)."""
    return abs(line.size - body_size) < 0.5 and line.width >= TABLE_MEASURE_SHARE * measure


def _table_cells(row: list[TextLine], body_blocks: set[int]) -> list[TextLine] | None:
    """The cells of a baseline if it is a table row: three or more pieces apart from each
    other, leaving out lines of a text box that holds running text (a body line beside the
    table, or the pieces of a justified line that pdfminer split at its wide spaces)."""
    cells = [t for t in row if t.block not in body_blocks]
    if len(cells) < TABLE_MIN_CELLS:
        return None
    if all(b.x0 - a.x1 >= 1.0 for a, b in zip(cells, cells[1:], strict=False)):
        return cells
    return None


def _aligned(row: list[TextLine], other: list[TextLine]) -> bool:
    """Two baselines of one table share columns: an inner cell (neither first nor last, whose
    edges a justified line shares with the margins) starts or ends where a cell of the other
    does; justified text split at its wide spaces does not line up from line to line."""
    return any(abs(a.x0 - b.x0) < 2 or abs(a.x1 - b.x1) < 2 for a in row[1:-1] for b in other[1:-1])


def find_tables(page: PageLayout, measure: float, body_size: float) -> None:
    """Text set as a table (three or more cells side by side on two or more baselines in a
    row) becomes one line per row, cells in left-to-right order joined by " | ", read where the
    table's first line was; a unit stated in the lines just above it ("$ billions") is kept on
    each row that has a number, so the row's figures keep their unit."""
    rows = _rows_on_baselines(page.lines)
    body_blocks = {t.block for t in page.lines if _is_body_line(t, measure, body_size)}
    runs: list[list[list[TextLine]]] = []
    for row in rows:
        row = _table_cells(row, body_blocks)
        if row is None:
            continue
        if runs and row[0].top - runs[-1][-1][0].bottom <= TABLE_ROW_GAP * row[0].size \
                and _aligned(row, runs[-1][-1]):
            runs[-1].append(row)
        else:
            runs.append([row])
    tables: list[list[list[TextLine]]] = []
    for run in (run for run in runs if len(run) >= 2):
        # a header whose columns do not line up with the body's (spanning heads) joins the body under it
        if tables and run[0][0].top - tables[-1][-1][0].bottom <= TABLE_ROW_GAP * run[0][0].size:
            tables[-1].extend(run)
        else:
            tables.append(run)
    if not tables:
        return
    order = {id(t): i for i, t in enumerate(page.lines)}
    taken: set[int] = set()
    inserts: list[tuple[int, list[TextLine]]] = []
    for number, run in enumerate(tables):
        x0 = min(t.x0 for row in run for t in row) - 2
        x1 = max(t.x1 for row in run for t in row) + 2
        top, bottom = run[0][0].top - 1, max(t.bottom for t in run[-1]) + 1
        members = [t for t in page.lines if t.top >= top and t.bottom <= bottom and t.x0 >= x0 and t.x1 <= x1
                   and t.block not in body_blocks]
        members += [t for row in run for t in row]
        members = [t for t in {id(t): t for t in members}.values() if id(t) not in taken]
        taken.update(id(t) for t in members)
        unit = _unit_above(page.lines, top, x0, x1)
        out = []
        for row in _logical_rows(_rows_on_baselines(members)):
            text = " | ".join(" ".join(t.text for t in cell) for cell in row)
            if unit and re.search(r"\d", text) and not _UNIT.search(text):
                text += f" ({unit})"
            lines = [t for cell in row for t in cell]
            out.append(TextLine(text, page.number, min(t.x0 for t in lines), max(t.x1 for t in lines),
                                min(t.top for t in lines), max(t.bottom for t in lines), lines[0].size, False,
                                -1 - number, table=True))
        inserts.append((min(order[id(t)] for t in members), out))
    kept: list[TextLine] = []
    starts = dict(inserts)
    for i, line in enumerate(page.lines):
        kept.extend(starts.get(i, []))
        if id(line) not in taken:
            kept.append(line)
    page.lines = kept


_NUMBER_CELL = re.compile(r"^[$€£(+−–-]*\d[\d.,]*%?\)?[a-z]?$")


def _logical_rows(baselines: list[list[TextLine]]) -> list[list[list[TextLine]]]:
    """Baselines -> table rows of cells (each cell its lines). A baseline set tight under the one
    above (line spacing, no row padding) continues its row when the first column is empty there
    (a wrapped cell, a header's second line) or when it has fewer cells and holds no number (the
    rest of wrapped labels): a dated row then reaches extraction whole."""
    if not baselines:
        return []
    left = min(row[0].x0 for row in baselines)
    rows: list[list[list[TextLine]]] = []
    previous: list[TextLine] | None = None
    for baseline in baselines:
        first_empty = baseline[0].x0 > left + 3 * baseline[0].size  # an indented label is still there
        fewer_words = (previous is not None and len(baseline) < len(previous)
                       and not any(_NUMBER_CELL.match(t.text) for t in baseline))
        gap = baseline[0].top - max(t.bottom for t in previous) if previous is not None else None
        wrapped = gap is not None and gap <= 0.4 * baseline[0].size
        if rows and wrapped and (first_empty or fewer_words):
            for t in baseline:
                cell = next((c for c in rows[-1] if _overlaps(c, t)), None)
                if cell is None:
                    rows[-1].append([t])
                    rows[-1].sort(key=lambda c: c[0].x0)
                else:
                    cell.append(t)
        else:
            rows.append([[t] for t in baseline])
        previous = baseline
    return rows


def _overlaps(cell: list[TextLine], line: TextLine) -> bool:
    return min(u.x0 for u in cell) - 2 < line.x1 and line.x0 < max(u.x1 for u in cell) + 2


def _unit_above(lines: list[TextLine], top: float, x0: float, x1: float) -> str | None:
    """A unit stated in the few lines just above a table (its title or column head)."""
    above = [t for t in lines if t.bottom <= top + 1 and t.top >= top - 40 and t.x1 >= x0 and t.x0 <= x1]
    for line in sorted(above, key=lambda t: -t.top):
        m = _UNIT.search(line.text)
        if m:
            unit = (m.group(1) or m.group(2)).strip()
            return re.sub(r"^(?:amounts )?in\s+", "", unit, flags=re.IGNORECASE)
    return None
