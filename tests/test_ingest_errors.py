"""Bad input: every kind gets one line naming the file and the cause, never a traceback."""
from __future__ import annotations

import pytest

from briefex.models import IngestError
from briefex.sources import ingest

from .conftest import EXAMPLES

PARAGRAPH = "Russia and China signed a defence agreement in 2001. " * 3


def _encrypted(path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(EXAMPLES / "000_867b3136689200c6.pdf"))
    writer.encrypt(user_password="secret", owner_password="owner")
    with open(path, "wb") as fh:
        writer.write(fh)


def _image_only(path, pages=3):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        c.rect(50, 50, 400, 600, fill=1)  # a scan: ink but no text layer
        c.showPage()
    c.save()


CASES = {
    "empty.pdf": (lambda p: p.write_bytes(b""), "empty file (0 bytes)"),
    "empty.txt": (lambda p: p.write_bytes(b""), "empty file (0 bytes)"),
    "truncated.pdf": (lambda p: p.write_bytes((EXAMPLES / "003_1e981d18ea43cc1d.pdf").read_bytes()[:3000]),
                      "damaged PDF"),
    "encrypted.pdf": (_encrypted, "encrypted, a password is required"),
    "garbage.pdf": (lambda p: p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20), "damaged PDF"),
    "notes.pdf": (lambda p: p.write_text("just some notes, not a PDF"), "not a PDF"),
    "picture.pdf": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100), "PNG image"),
    "scan.pdf": (_image_only, "no text layer on any of 3 pages (OCR is not supported)"),
    "binary.txt": (lambda p: p.write_bytes(b"\x00\x01\x02\xff" * 200), "binary data, not text"),
    "noise.txt": (lambda p: p.write_bytes(bytes(range(1, 32)) * 50), "binary data, not text"),
    "blank.txt": (lambda p: p.write_text("  \n\n\t \n"), "no text: the file holds only white space"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_one_clear_line(tmp_path, name):
    make, expected = CASES[name]
    path = tmp_path / name
    make(path)
    with pytest.raises(IngestError) as caught:
        ingest(path)
    message = str(caught.value)
    assert message.startswith(f"{name}: ")
    assert expected in message
    assert "\n" not in message


def test_missing_file(tmp_path):
    with pytest.raises(IngestError, match="missing.txt: file not found"):
        ingest(tmp_path / "missing.txt")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "cp1252", "utf-8-sig"])
def test_valid_encodings_are_read_not_rejected(tmp_path, encoding):
    text = "Russia’s “strategic” partnership with China was signed in 2001 — café communiqué.\n"
    if encoding == "cp1252":
        text = text.replace("’", "'")  # keep to characters cp1252 has
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    document = ingest(path)
    assert "partnership with China was signed in 2001" in document.text
    assert "communiqué" in document.text


def test_pdf_named_txt_is_read_as_pdf(tmp_path):
    path = tmp_path / "mislabelled.txt"
    path.write_bytes((EXAMPLES / "000_867b3136689200c6.pdf").read_bytes())
    assert ingest(path).media_type == "application/pdf"
