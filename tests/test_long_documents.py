"""Long documents (issue 13): a text far past spaCy's max_length and a 300-page PDF come out as
records, in pieces, with memory bounded (peak RSS of a fresh process, megabytes), and the
progress bar hears of every page."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from briefex.models import IngestedDocument
from briefex.pipeline.extract import extract, pieces_of

MEMORY_BAR_MB = 1024
STATES = ["Japan", "India", "France", "Germany", "Brazil", "Chile", "Spain", "Turkey", "Egypt", "Kenya"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
# Long words: many characters for few tokens, so two million characters parse in seconds.
FILLER = ("Notwithstanding interdepartmental counterintelligence responsibilities, "
          "intergovernmental telecommunications infrastructure modernisation considerations "
          "overwhelmingly characterised institutionalised decisionmaking. ")


def _facts(i: int) -> str:
    a, b = STATES[i % len(STATES)], STATES[(i * 7 + 3) % len(STATES)]
    b = b if b != a else STATES[(i + 1) % len(STATES)]
    return (f"In {MONTHS[i % 12]} {1990 + i % 30}, {a} signed a defence agreement with {b}. "
            f"Exports reached {10 + i % 80}% of its trade that year.")


def long_text(chars: int) -> str:
    parts, n, i = [], 0, 0
    while n < chars:
        part = _facts(i) if i % 10 == 0 else FILLER * 6
        parts.append(part)
        n, i = n + len(part) + 2, i + 1
    return "\n\n".join(parts)


def long_pdf(path: Path, pages: int) -> Path:
    """`pages` pages of two paragraphs each, typeset like a brief's body."""
    c = canvas.Canvas(str(path), pagesize=letter)
    for number in range(pages):
        top = 72
        for k in range(2):
            paragraph = _facts(2 * number + k) + " " + FILLER * 2
            for line in textwrap.wrap(paragraph, 95):
                c.setFont("Times-Roman", 10)
                c.drawString(72, letter[1] - top, line)
                top += 12
            top += 12
        c.showPage()
    c.save()
    return path


_MEASURE = """
import json, resource, sys
from briefex.pipeline.extract import extract
from briefex.sources import ingest
pages = []
sys.modules["briefex.sources.pdf"].PAGE_PROGRESS.set(lambda done, total: pages.append(done))
kinds = {}
for path in sys.argv[1:]:
    for record in extract(ingest(path)).records:
        kinds[record.kind] = kinds.get(record.kind, 0) + 1
print(json.dumps({"kinds": kinds, "pages": len(pages),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def test_a_long_text_and_a_long_pdf_come_out_with_memory_under_the_bar(tmp_path):
    text = tmp_path / "long.txt"
    text.write_text(long_text(2_000_000), encoding="utf-8")
    assert len(text.read_text(encoding="utf-8")) >= 2_000_000
    pdf = long_pdf(tmp_path / "long.pdf", 300)
    run = subprocess.run([sys.executable, "-c", _MEASURE, str(text), str(pdf)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    found = json.loads(run.stdout.strip().splitlines()[-1])
    assert found["pages"] == 300                       # the progress hook heard every page
    assert found["kinds"].get("event", 0) >= 300 and found["kinds"].get("figure", 0) >= 300
    assert found["peak_mb"] < MEMORY_BAR_MB, found


def test_pieces_end_where_sentences_end():
    text = long_text(100_000)
    pieces = pieces_of(text, 20_000)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(b - a <= 20_000 and text[b - 2:b] == "\n\n" for a, b in pieces[:-1])
    one_paragraph = "Japan signed a treaty in 2014. " * 2_000      # no paragraph break at all
    assert all(one_paragraph[b - 2:b] == ". " for _, b in pieces_of(one_paragraph, 20_000)[:-1])


def test_pieces_give_the_records_of_the_whole():
    text = "\n\n".join(_facts(i) for i in range(60))
    document = IngestedDocument(path="t.txt", name="t.txt", sha256="0" * 64, media_type="text/plain",
                                text=text, pages=[])
    calls = []
    whole, cut = extract(document, piece_chars=len(text)), extract(document, 1_000, lambda *a: calls.append(a))
    def records(extraction):   # the same records; each piece lists its own in turn
        return sorted((r.model_dump() for r in extraction.records), key=lambda r: r["id"])
    assert records(cut) == records(whole)
    assert cut.sentences == whole.sentences and calls[-1][0] == calls[-1][1] > 1


def test_a_piece_reads_the_whole_documents_context():
    """An acronym defined in an earlier piece, and the pair of states the paper is about (counted
    over the whole paper and named in its opening), reach the records of a later piece."""
    opening = ("Russia-China Security Cooperation\n\nRussia and China have deepened their ties. "
               "The Shanghai Energy Negotiators Forum (SENF) met in Beijing.")
    middle = "\n\n".join(f"Russia and China held talks in {1990 + i}." for i in range(40))
    text = "\n\n".join([opening, middle, "In March 2019, SENF held joint naval drills."])
    document = IngestedDocument(path="t.txt", name="t.txt", sha256="0" * 64, media_type="text/plain",
                                text=text, pages=[])
    whole, cut = extract(document, piece_chars=len(text)), extract(document, 600)
    assert len(pieces_of(text, 600)) >= 3

    def last_event(extraction):
        return next(r for r in reversed(extraction.records) if r.kind == "event")
    assert last_event(whole).date == "2019-03"
    assert last_event(cut).model_dump(exclude={"id"}) == last_event(whole).model_dump(exclude={"id"})
    assert "SENF" in last_event(cut).actors or set(last_event(cut).actors) >= {"Russia", "China"}


def test_the_progress_bar_moves_by_pages_within_a_document(prefect_server, tmp_path):
    from briefex.pipeline.flows import extract_flow, progress_reporting

    pdf = long_pdf(tmp_path / "five.pdf", 5)
    done, within = [], []
    with progress_reporting(lambda name, outcome: done.append(outcome),
                            lambda name, share, doing: within.append((share, doing))):
        extract_flow([str(pdf)], str(tmp_path / "out.jsonl"))
    assert [doing for _, doing in within][:5] == [f"page {n}/5" for n in range(1, 6)]
    assert within[-1] == (1.0, "extracting 1/1") and done == ["done"]
    assert [share for share, _ in within] == sorted(share for share, _ in within)
