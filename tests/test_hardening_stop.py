"""SIGTERM and Ctrl-C stop a batch within 2 s at any stage, the document in flight rolled back
(issue 13 item 15): tested while a long PDF is being read, where a worker thread sits in
pdfminer and no exception reaches it."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from .conftest import make_pdf

LINE = "In March {year} Russia and India held naval drills near Goa, as the page {page} report says."


def _long_pdf(path, pages: int = 300):
    return make_pdf(path, [[(50, 40 + 12 * n, LINE.format(year=1990 + (p + n) % 30, page=p)) for n in range(60)]
                           for p in range(pages)])


def _running(db) -> bool:
    if not db.exists():
        return False
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone()[0] > 0
    except sqlite3.Error:
        return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_add_within_two_seconds_while_a_long_pdf_is_read(tmp_path, prefect_api_url, signum):
    pdf = _long_pdf(tmp_path / "long.pdf")
    db = tmp_path / "store.db"
    env = {**os.environ, "PREFECT_API_URL": prefect_api_url}
    proc = subprocess.Popen([sys.executable, "-m", "briefex", "--db", str(db), "add", str(pdf)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not _running(db) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(3)                       # the flow is under way: the PDF is being read
        assert proc.poll() is None, proc.communicate()
        sent = time.monotonic()
        proc.send_signal(signum)
        proc.wait(timeout=10)
        stopped_after = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
    _, stderr = proc.communicate()
    assert stopped_after < 2, stderr
    assert proc.returncode == 128 + signum and "Traceback" not in stderr
    assert f"stopped by {signal.Signals(signum).name}" in stderr
    with sqlite3.connect(db) as conn:       # the document in flight left nothing behind
        assert conn.execute("SELECT count(*) FROM records").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM processing WHERE status = 'ok'").fetchone()[0] == 0
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
