"""PDF layout and text cleanup on documents built here, not the samples."""
from __future__ import annotations

from briefex.sources import ingest
from briefex.sources.assemble import assemble
from briefex.sources.dehyphenate import join_lines, vocabulary
from briefex.sources.text import text_lines

LEFT = ["Left column opens the argument about", "the treaty that both states signed",
        "in 2001 after long talks."]
RIGHT = ["Right column continues with the", "exercises that followed in 2005", "and again in 2007."]


def _two_column_page(header: str, number: int):
    rows = [(60, 40, header), (290, 800, str(number))]
    for i, (left, right) in enumerate(zip(LEFT, RIGHT, strict=True)):
        rows.append((60, 100 + 14 * i, left))
        rows.append((320, 100 + 14 * i, right))
    return rows


def test_two_columns_read_left_then_right(pdf_factory):
    pdf = pdf_factory("columns.pdf", [_two_column_page("DEFENCE BRIEF · 2019", n) for n in (1, 2, 3)])
    document = ingest(pdf)
    text = document.text
    assert (text.index("Left column opens") < text.index("in 2001 after long talks")
            < text.index("Right column"))
    assert "Left column opens the argument about the treaty" in text
    assert "DEFENCE BRIEF" not in text                      # running header dropped
    assert document.publication_date == "2019"             # ... but read for the date
    assert document.page_count == 3


def test_single_column_is_not_split(pdf_factory):
    rows = [(60, 100 + 14 * i, f"Line {i} of a single wide column of body text that runs across the page.")
            for i in range(20)]
    document = ingest(pdf_factory("single.pdf", [rows]))
    assert "Line 0 of a single wide column" in document.text
    assert document.text.index("Line 1 ") < document.text.index("Line 2 ")


def test_dehyphenation_uses_the_document_as_dictionary():
    vocab = vocabulary(["The multipolar world", "a self-reliant state"])
    assert join_lines("a strate-", "gic choice", vocab) == "a strate-gic choice".replace("-", "")
    assert join_lines("the Sino-", "Russian treaty", vocab) == "the Sino-Russian treaty"
    assert join_lines("the S-", "400 system", vocab) == "the S-400 system"
    assert join_lines("a multi-", "polar world", vocab) == "a multipolar world"
    assert join_lines("a self-", "reliant state", vocab) == "a self-reliant state"
    assert join_lines("non-", "interference", vocabulary([])) == "non-interference"
    assert join_lines("34–", "60 per cent", vocab) == "34–60 per cent"


def test_text_debris_is_cleaned():
    raw = ("CHINA AND RUSSIA\n•\n\nThe two states signed a treaty of friend-\nship in 2001 and held\n"
           "12\nexercises in 2005 with many of their units taking part in\nthe drills.\n")
    text, pages, _ = assemble(text_lines(raw))
    assert "friendship in 2001 and held exercises in 2005" in text
    assert "•" not in text and "\n12\n" not in text
    assert text.startswith("CHINA AND RUSSIA\n\n")


def test_form_feeds_are_page_breaks(tmp_path):
    path = tmp_path / "paged.txt"
    path.write_text("First page text.\fSecond page text.\fThird page text.")
    document = ingest(path)
    assert document.page_count == 3
    assert document.page_at(document.text.index("Third")) == 3


def test_small_type_under_the_body_is_a_footnote(pdf_factory):
    body = [(60, 100 + 14 * i, f"Body line {i} says the accord was signed in 2001 by both")
            for i in range(12)]
    body.append((60, 100 + 14 * 12, "parties.3 It entered into force later."))
    page = body + [(60, 760, "3 Smith, John. 2019. The Accord. Accessed 1 May 2020.", 7),
                   (60, 770, "https://example.org/accord", 7)]
    document = ingest(pdf_factory("notes.pdf", [page, page]))
    assert "Smith, John" not in document.text
    assert "signed in 2001 by both parties. It entered" in document.text
    assert [(n.page, n.marker) for n in document.notes] == [(1, "3"), (2, "3")]
    assert document.notes[0].text.startswith("Smith, John. 2019.")
    assert "example.org/accord" in document.notes[0].text
