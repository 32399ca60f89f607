"""Reading order on the real development set (../shared/corpus/real): a quality threshold, not a
timing. Runs `briefex ingest` through ../shared/eval/reading_order.py's own reader and scorer
(about a minute for the 56 papers, 727 pages), and pdfminer's own layout analysis over the same
papers (another minute) for the per-paper comparison.

Some references differ from their PDF. The reports' HTML contents lists are left out of their
references (the PDF's contents page is not body text); the other differences are listed in
REFERENCE_DIFFERS with the reason and scored as they are, rather than tuning the reader to them.
"""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SCRIPT = SHARED / "eval" / "reading_order.py"
CORPUS = SHARED / "corpus" / "real"
BRIEFEX = Path(sys.executable).with_name("briefex")

RECALL_BAR = 0.985        # word-weighted order recall, references as listed below
RAW_RECALL_FLOOR = 0.97   # the same against the references exactly as published
PRECISION_BAR = 0.85
BEHIND_PDFMINER = 0.01    # no paper further behind pdfminer's layout analysis than this
PAPER_BAR = 0.95          # and none under this where pdfminer reaches it

# Every report (R..., RL...) reference opens with the HTML page's own contents list ("# Contents",
# "# Figures", "# Tables" with their entries). The PDF's contents page is not body text (issue 10),
# so those lists are left out of the reference: 3,496 of the 233,777 reference words.
CONTENTS_LISTS = re.compile(r"^# (?:Contents|Figures|Tables|Appendixes|Contacts)\s*$")
REFERENCE_DIFFERS = {
    "LSB11421.1.pdf": "the reference holds 30 words: the archive's HTML page lost the body",
    "LSB11417.1.pdf": "a link whose URL holds unbalanced parentheses makes the scorer's link stripper "
                      "swallow about 60 words of body text",
    "IN12679.1.pdf": "figure notes are multi-line cells of the reference's figure tables, so their "
                     "second lines count as body text there",
    "IF11286.9.pdf": "the HTML sets a table's source note and a heading letter-spaced ('T hreat A ddressed')",
    "R45100.21.pdf": "the reference's tables have multi-line cells, whose later lines count as body text "
                     "there (about 600 words of table cells); pdfminer reads the cells as text",
    "R46646.17.pdf": "the same: multi-line cells of the reference's grant-program table count as body text",
    "R48908.2.pdf": "the reference opens with the HTML contents list; pdfminer reads the PDF's contents "
                    "page, which is not body text (this report has no summary before it)",
    "R48911.1.pdf": "the same: the HTML contents list, matched by pdfminer's reading of the contents page",
    "R48905.2.pdf": "the reference gives the summary twice (723 words)",
}


def _without_contents_lists(body: str) -> str:
    kept, in_list = [], False
    for line in body.splitlines():
        if CONTENTS_LISTS.match(line):
            in_list = True
            continue
        if in_list and (line.startswith("- ") or not line.strip()):
            continue
        in_list = False
        kept.append(line)
    return "\n".join(kept)


@pytest.fixture(scope="module")
def reading_order():
    if not (SCRIPT.exists() and (CORPUS / "pdf").is_dir()):
        pytest.skip("the shared real corpus and its yardstick are not here")
    spec = importlib.util.spec_from_file_location("reading_order", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_real_papers_read_in_order(reading_order):
    pairs = list(reading_order.pair(CORPUS / "pdf", CORPUS / "reference"))
    assert set(REFERENCE_DIFFERS) <= {p.name for p, _ in pairs}  # the list names papers still there
    pdfs = [p for p, _ in pairs]
    texts = reading_order.read_briefex(str(BRIEFEX), pdfs)
    baseline = reading_order.read_pdfminer(pdfs)
    raw = adjusted = precision = words = adjusted_words = 0.0
    behind = []
    for pdf, md in pairs:
        assert pdf.name in texts, f"briefex ingest failed on {pdf.name}"
        body = reading_order.md_body(md.read_text())
        recall, _, n, prec = reading_order.score(texts[pdf.name], body)
        raw += recall * n
        precision += prec * n
        words += n
        fair_recall, _, fair_n, _ = reading_order.score(texts[pdf.name], _without_contents_lists(body))
        adjusted += fair_recall * fair_n
        adjusted_words += fair_n
        theirs = reading_order.score(baseline[pdf.name], body)[0]
        if pdf.name not in REFERENCE_DIFFERS and (
                recall < theirs - BEHIND_PDFMINER or (recall < PAPER_BAR <= theirs)):
            behind.append((pdf.name, round(recall, 3), round(theirs, 3)))
    assert not behind, f"behind pdfminer's layout analysis: {behind}"
    assert precision / words >= PRECISION_BAR
    assert raw / words >= RAW_RECALL_FLOOR
    assert adjusted / adjusted_words >= RECALL_BAR, adjusted / adjusted_words
