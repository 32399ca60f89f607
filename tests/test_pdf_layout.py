"""PDF layout features on small fixtures: pages typeset here with reportlab, and one real page
(a CRS Insight's table page, US government work) cut with pypdf into tests/fixtures/."""
from __future__ import annotations

import re
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from briefex.sources import ingest

FIXTURES = Path(__file__).with_name("fixtures")
WIDTH, HEIGHT = letter
LEFT_X, RIGHT_X, COLUMN = 58, 318, 236     # two columns of 236 points with a 24-point gutter
FILLER = ("The committee reviewed the programme and its funding over several sessions in",
          "which members questioned officials about the schedule, the costs and the risks",
          "that the contractor had reported to the department during the previous year.")


def _words(n: int, seed: str) -> list[str]:
    """n body lines of about a column's width, each unique (seed + number)."""
    return [f"{seed} line {i} {FILLER[i % 3][len(seed) + 9:]}"[:58] for i in range(n)]


class Page:
    """A reportlab page drawn in top-down coordinates (points from the top edge)."""

    def __init__(self, c: canvas.Canvas) -> None:
        self.c = c

    def text(self, x: float, top: float, text: str, size: float = 10, font: str = "Times-Roman") -> None:
        self.c.setFont(font, size)
        self.c.drawString(x, HEIGHT - top, text)

    def lines(self, x: float, top: float, lines: list[str], size: float = 10, leading: float = 12) -> float:
        for i, line in enumerate(lines):
            self.text(x, top + i * leading, line, size)
        return top + len(lines) * leading


def build(path: Path, draw_pages) -> Path:
    c = canvas.Canvas(str(path), pagesize=letter)
    for draw in draw_pages:
        draw(Page(c))
        c.showPage()
    c.save()
    return path


def test_columns_with_a_full_width_block_read_in_place(tmp_path):
    def page(p: Page) -> None:
        p.text(LEFT_X, 80, "Amphibious Vehicles and the Budget", 18, "Times-Bold")
        p.lines(LEFT_X, 120, _words(12, "alpha"))
        p.lines(RIGHT_X, 120, _words(12, "bravo"))
        p.lines(LEFT_X, 290, ["Wide line one of a block set across both columns, as a long figure caption or",
                              "a full-width note is set, which belongs between the upper and lower columns."])
        p.lines(LEFT_X, 340, _words(12, "charlie"))
        p.lines(RIGHT_X, 340, _words(12, "delta"))

    text = ingest(build(tmp_path / "columns.pdf", [page])).text
    marks = ["Amphibious Vehicles", "alpha line 0", "alpha line 11", "bravo line 0", "bravo line 11",
             "Wide line one", "charlie line 0", "charlie line 11", "delta line 0", "delta line 11"]
    positions = [text.index(m) for m in marks]
    assert positions == sorted(positions), text


def test_text_box_is_a_block_of_its_own_and_never_splits_a_sentence(tmp_path):
    sentence = ["The ministry said the new vehicles would arrive in",
                "March 2027, after a second round of trials",
                "at the coastal range had ended without faults."]

    def page(p: Page) -> None:
        p.text(LEFT_X, 80, "Programme Status", 18, "Times-Bold")
        bottom = p.lines(LEFT_X, 120, _words(8, "echo"))
        p.lines(LEFT_X, bottom, sentence)
        p.c.setFillColorRGB(0.9, 0.92, 0.96)
        p.c.rect(RIGHT_X - 6, HEIGHT - 250, COLUMN + 12, 140, stroke=1, fill=1)
        p.c.setFillColorRGB(0, 0, 0)
        p.text(RIGHT_X, 125, "Box: What Is an ACV?", 11, "Helvetica-Bold")
        p.lines(RIGHT_X, 142, ["An amphibious combat vehicle carries Marines",
                               "from ship to shore and fights ashore.", "Four variants are planned."],
                size=9, leading=11)
        p.lines(LEFT_X, 300, _words(6, "foxtrot"))

    document = ingest(build(tmp_path / "box.pdf", [page]))
    text = document.text
    assert "would arrive in March 2027, after a second round of trials at the coastal range" in text
    box_at = text.index("Box: What Is an ACV?")
    assert not text.index("echo line 0") < box_at < text.index("without faults.")  # not inside the paragraph
    blocks = [b for p in document.pages for b in p.blocks]
    assert [b.kind for b in blocks] == ["text box"]
    boxed = text[blocks[0].start:blocks[0].end]
    assert boxed.startswith("Box: What Is an ACV?") and boxed.endswith("Four variants are planned.")


def test_figure_text_leaves_the_body_and_is_kept_in_notes(tmp_path):
    def page(p: Page) -> None:
        p.lines(LEFT_X, 80, _words(6, "golf"))
        c = p.c
        c.beginForm("chart")
        c.setFont("Helvetica", 7)
        for i, label in enumerate(["2019", "2020", "2021", "Exercises", "Tonnes"]):
            c.drawString(100 + 60 * i, 420, label)
        c.rect(90, 430, 320, 120)
        c.endForm()
        c.doForm("chart")
        p.text(LEFT_X, 200, "Figure 1. Joint Exercises per Year", 9.5, "Helvetica-Bold")
        p.lines(LEFT_X, 400, _words(4, "hotel"))

    document = ingest(build(tmp_path / "figure.pdf", [page]))
    assert "Figure 1. Joint Exercises per Year" in document.text
    assert "Exercises Tonnes" not in document.text and "Tonnes" not in document.text
    assert any("Tonnes" in note.text and note.page == 1 for note in document.notes)


def test_ordinal_suffix_joins_its_number_and_footnote_markers_drop(tmp_path):
    def page(p: Page) -> None:
        p.text(LEFT_X, 100, "In the 119", 11)
        x = LEFT_X + p.c.stringWidth("In the 119", "Times-Roman", 11)
        p.text(x, 96, "th", 7)
        after = x + p.c.stringWidth("th", "Times-Roman", 7) + 3
        p.text(after, 100, "Congress the bill passed the House.", 11)
        p.text(LEFT_X, 114, "The Senate did not vote on it before the recess.", 11)
        x = LEFT_X + p.c.stringWidth("The Senate did not vote on it before the recess.", "Times-Roman", 11)
        p.text(x, 110, "3", 7)
        p.lines(LEFT_X, 128, _words(20, "india"), size=11, leading=13)
        p.text(LEFT_X, 700, "3 Senate Journal, 2025, p. 12, https://example.gov/journal.", 8.5)

    document = ingest(build(tmp_path / "ordinals.pdf", [page]))
    assert "In the 119th Congress the bill passed the House." in document.text
    assert "before the recess." in document.text and "recess.3" not in document.text
    assert [(n.marker, n.text[:14]) for n in document.notes] == [("3", "Senate Journal")]


def test_table_rows_are_lines_of_cells_with_their_unit(tmp_path):
    def page(p: Page) -> None:
        p.lines(LEFT_X, 80, _words(5, "juliet"), size=11, leading=13)
        p.text(LEFT_X, 170, "Table 1. Procurement Funding (in $ billions)", 9.5, "Helvetica-Bold")
        for i, row in enumerate([("Fiscal Year", "Request", "Enacted"), ("FY2024", "12.5", "11.0"),
                                 ("FY2025", "13.1", "12.9"), ("FY2026", "14.0", "13.2")]):
            for x, cell in zip((LEFT_X, 260, 400), row, strict=True):
                p.text(x, 190 + 14 * i, cell, 9, "Helvetica")
        p.lines(LEFT_X, 270, _words(5, "kilo"), size=11, leading=13)

    document = ingest(build(tmp_path / "table.pdf", [page]))
    lines = document.text.splitlines()
    assert "Fiscal Year | Request | Enacted" in lines
    assert "FY2024 | 12.5 | 11.0 ($ billions)" in lines
    assert [b.kind for p in document.pages for b in p.blocks] == ["table"]


def test_table_cut_from_a_real_page():
    document = ingest(FIXTURES / "crs-IN12423-table.pdf")
    lines = document.text.splitlines()
    assert "Incomes: $25,000 to $49,999 | 23% | 17% | $1,618 | 6%" in lines
    assert ("Share of All Tax Returns | Share of RCEC Beneficiaries | Average RCEC per Beneficiary | "
            "Share of RCEC Benefits Received") in lines  # a two-line header is one row
    assert "The tax benefits of the RCEC were concentrated, by both income and location." in document.text


def test_contents_page_and_author_box_are_not_body_text(tmp_path):
    def contents(p: Page) -> None:
        p.text(90, 80, "Contents", 18, "Times-Bold")
        for i, entry in enumerate(["Introduction", "Background", "Issues for Congress", "Options"]):
            p.text(90, 120 + 14 * i, f"{entry} " + "." * (90 - 2 * len(entry)) + f" {i + 1}", 11)

    def body(p: Page) -> None:
        p.text(90, 80, "Introduction", 14, "Times-Bold")
        p.lines(90, 110, _words(10, "lima"), size=11, leading=13)
        p.c.rect(400, HEIGHT - 320, 150, 80)
        p.lines(410, 255, ["Jane Q. Doe", "Analyst in Defense Policy"], size=9, leading=11)

    text = ingest(build(tmp_path / "contents.pdf", [contents, body])).text
    assert "....." not in text and "Issues for Congress" not in text
    assert "Jane Q. Doe" not in text and "Analyst in Defense Policy" not in text
    assert text.startswith("Introduction\n\nlima line 0")


def test_page_map_and_blocks_point_into_the_printed_text(tmp_path):
    def page(n: int):
        def draw(p: Page) -> None:
            p.text(LEFT_X, 40, "Running head of the brief", 8)
            p.lines(LEFT_X, 100, _words(20, f"page{n}"))
            p.text(300, 760, str(n), 8)
        return draw

    document = ingest(build(tmp_path / "pages.pdf", [page(n) for n in (1, 2, 3)]))
    assert "Running head" not in document.text
    for p in document.pages:
        chunk = document.text[p.start:p.end]
        assert chunk.strip().startswith(f"page{p.number} line 0"), (p, chunk[:40])
        assert not re.search(rf"page(?!{p.number})\d line", chunk)


def test_a_page_of_scattered_labels_skips_pdfminers_quadratic_box_ordering(tmp_path, monkeypatch):
    """A map drawn as text (hundreds of labels) is read top to bottom without pdfminer's
    hierarchical grouping of boxes, which is quadratic in their number (46 s for 1,500 labels)."""
    from pdfminer.layout import LTLayoutContainer

    def page(p: Page) -> None:
        for i in range(400):
            p.text(30 + (i * 37) % 540, 30 + (i * 53) % 740, f"Town{i}", 5, "Helvetica")

    def refuse(*args, **kwargs):
        raise AssertionError("pdfminer's box grouping ran on a page of 400 boxes")

    monkeypatch.setattr(LTLayoutContainer, "group_textboxes", refuse)
    document = ingest(build(tmp_path / "map.pdf", [page]))
    assert "Town0" in document.text and "Town399" in document.text


def test_a_table_caption_over_short_rows_at_a_page_foot_is_kept(tmp_path):
    """A bold "Table N." caption over one-word header cells and a row is no author list."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    from briefex.sources.pdf import ingest_pdf

    path = tmp_path / "caption.pdf"
    c = canvas.Canvas(str(path), pagesize=letter)
    y = 700
    for _ in range(12):
        c.setFont("Helvetica", 11)
        c.drawString(72, y, "The committee met often and reported on its work to the chamber each year.")
        y -= 15
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 230, "Table 1. Visits by Heads of State")
    c.setFont("Helvetica", 9)
    for y, word in [(212, "Date"), (198, "Guest"), (184, "May 4, 1901"), (170, "King Bo")]:
        c.drawString(72, y, word)
    c.save()
    text = ingest_pdf(path).text
    assert "Table 1. Visits by Heads of State" in text and "King Bo" in text and "May 4, 1901" in text


def test_drop_cap_joins_the_first_word_of_its_paragraph(tmp_path):
    def page(p: Page) -> None:
        p.text(LEFT_X, 80, "Background", 14, "Times-Bold")
        p.text(LEFT_X, 130, "T", 44)   # set over the paragraph's first three lines
        indent = LEFT_X + p.c.stringWidth("T", "Times-Roman", 44) + 2
        p.lines(indent, 100, ["he department was established by an act of",
                              "the legislature after several years of debate",
                              "about its mandate, budget and staff."])
        p.lines(LEFT_X, 136, _words(8, "juliet"))

    text = ingest(build(tmp_path / "dropcap.pdf", [page])).text
    assert "The department was established by an act of the legislature" in text, text
    assert "\nT\n" not in text


def test_a_list_with_no_closing_stop_ends_before_the_note_after_it(tmp_path):
    """A list's last entry carries no full stop, but a line short of its column ends a paragraph:
    a block set apart after it (a small-type source note) is read after the list, not inside or
    before it, and the author credit after them is a paragraph of its own."""
    def page(p: Page) -> None:
        p.lines(LEFT_X, 80, _words(5, "kilo") + ["and so the kilo paragraph ends here."])
        p.text(LEFT_X, 180, "Related Reports:", 12.5, "Times-Bold")
        p.lines(LEFT_X, 200, ["Report R10001, The Committee and Its Work on the", "Budget Request",
                              "Report R10002, Programme Costs"])
        p.lines(LEFT_X, 300, ["Source: compiled from the budget documents of the department for the",
                              "years shown, as submitted to the committee."], size=7.5, leading=9)
        p.text(LEFT_X, 500, "Jane Q. Doe, Analyst in Defense Policy", 10)

    text = ingest(build(tmp_path / "list.pdf", [page])).text
    assert text.index("kilo line 0") < text.index("Related Reports:") < text.index("Report R10002") \
        < text.index("Source: compiled"), text
    assert "Programme Costs\n\n" in text
    assert "\n\nJane Q. Doe, Analyst in Defense Policy" in text


def test_drop_cap_cut_from_a_real_page():
    text = ingest(FIXTURES / "crs-R48905-drop-cap.pdf").text
    assert text.startswith("The Act of May 15, 1862, established the U.S. Department of Agriculture")


def test_contents_list_over_body_text_on_one_page(tmp_path):
    def page(p: Page) -> None:
        p.text(90, 80, "Contents", 18, "Times-Bold")
        for i, entry in enumerate(["Introduction", "Background", "Issues for Congress"]):
            p.text(90, 120 + 14 * i, f"{entry} " + "." * (90 - 2 * len(entry)) + f" {i + 1}", 11)
        p.text(90, 200, "Introduction", 14, "Times-Bold")
        p.lines(90, 230, _words(20, "lima"), size=11, leading=13)

    def more(p: Page) -> None:
        p.text(90, 80, "Appendixes", 14, "Times-Bold")
        p.text(90, 110, "Appendix. Data " + "." * 80 + " 9", 11)
        p.lines(90, 150, _words(20, "mike"), size=11, leading=13)

    text = ingest(build(tmp_path / "contents2.pdf", [page, more])).text
    assert "....." not in text and "Issues for Congress" not in text and "Appendix" not in text
    assert text.startswith("Introduction\n\nlima line 0") and "mike line 19" in text
