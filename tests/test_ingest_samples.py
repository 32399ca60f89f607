"""Acceptance: each sample PDF reads in the same order as its text version."""
from __future__ import annotations

import difflib
import re

import pytest

from briefex.sources import ingest

from .conftest import EXAMPLES

THRESHOLDS = {"000_867b3136689200c6": 0.95, "003_1e981d18ea43cc1d": 0.90}


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


@pytest.mark.parametrize("stem", sorted(THRESHOLDS))
def test_pdf_reads_in_the_order_of_its_text(stem):
    from_pdf = ingest(EXAMPLES / f"{stem}.pdf")
    from_txt = ingest(EXAMPLES / f"{stem}.txt")
    ratio = difflib.SequenceMatcher(None, words(from_pdf.text), words(from_txt.text), autojunk=False).ratio()
    assert ratio >= THRESHOLDS[stem], ratio


@pytest.mark.parametrize("stem", sorted(THRESHOLDS))
def test_no_running_header_or_page_number_in_body(stem):
    document = ingest(EXAMPLES / f"{stem}.pdf")
    paragraphs = document.text.split("\n\n")
    assert not any("BRIEFING PAPER 226" in p for p in paragraphs)
    assert not any(re.fullmatch(r"\d{1,3}", p.strip()) for p in paragraphs)


@pytest.mark.parametrize("name", [f"{s}.{ext}" for s in sorted(THRESHOLDS) for ext in ("pdf", "txt")])
def test_no_word_left_split_by_a_line_end_hyphen(name):
    document = ingest(EXAMPLES / name)
    assert not re.search(r"[a-z]-\s*\n", document.text)
    assert "strategic" in document.text.lower()


def test_real_hyphens_are_kept():
    text = ingest(EXAMPLES / "003_1e981d18ea43cc1d.pdf").text
    for word in ("Sino-Russian", "S-400", "non-interference", "so-called"):
        assert word in text


def test_pages_map_offsets_back_to_pages():
    document = ingest(EXAMPLES / "003_1e981d18ea43cc1d.pdf")
    assert document.page_count == 5
    assert document.pages[0].start == 0 and document.pages[-1].end == len(document.text)
    offset = document.text.index("Tian’anmen")
    assert document.page_at(offset) == 3


def test_metadata_title_and_publication_date_from_running_header():
    document = ingest(EXAMPLES / "003_1e981d18ea43cc1d.pdf")
    assert document.title and "Russia" in document.title
    assert document.publication_date == "2018"
    assert len(document.sha256) == 64


def test_footnotes_leave_the_body_and_are_kept_as_notes():
    for name in ("003_1e981d18ea43cc1d.pdf", "003_1e981d18ea43cc1d.txt"):
        document = ingest(EXAMPLES / name)
        assert "Feng, Zhongping" not in document.text
        assert any("Feng, Zhongping" in note.text for note in document.notes)
        assert "As only one veto would be enough to block" in document.text
