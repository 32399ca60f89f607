"""Shared fixtures: the sample papers, one Prefect test server per session, and a factory
for the malformed files the ingest tests feed in."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SAMPLE_STEMS = ["000_867b3136689200c6", "003_1e981d18ea43cc1d"]

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")


@pytest.fixture(scope="session")
def examples() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def prefect_server():
    """One temporary Prefect API for the whole session (about 10 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


def make_pdf(path: Path, pages: list[list[tuple]], font_size: float = 10) -> Path:
    """A PDF whose pages hold text drawn at (x, y-from-top[, size]) points: a layout under test control."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    height = A4[1]
    for page in pages:
        for x, y, text, *size in page:
            c.setFont("Helvetica", size[0] if size else font_size)
            c.drawString(x, height - y, text)
        c.showPage()
    c.save()
    return path


@pytest.fixture
def pdf_factory(tmp_path):
    def build(name: str, pages, font_size: float = 10) -> Path:
        return make_pdf(tmp_path / name, pages, font_size)
    return build
