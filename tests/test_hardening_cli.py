"""One-line errors everywhere (issue 13 items 10-13): every CLI failure is `briefex: what
failed: why` with a non-zero exit, never a traceback; `-` is standard output."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from briefex.output.review import Review
from briefex.output.store import Store

from .hardening_helpers import assert_one_line_failure, cli, stored_paper


@pytest.fixture
def db(tmp_path):
    stored_paper(tmp_path)
    return tmp_path / "store.db"


def test_export_to_a_missing_folder_a_folder_or_an_unwritable_path_is_one_line(db, tmp_path):
    assert_one_line_failure(cli("export", "--out", tmp_path / "no" / "x.jsonl", db=db), "does not exist")
    assert_one_line_failure(cli("export", "--out", tmp_path, db=db), "it is a folder")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if os.geteuid() != 0:                       # root writes anywhere
        assert_one_line_failure(cli("export", "--out", locked / "x.jsonl", db=db), "Permission denied")


def test_export_dash_means_standard_output(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("export", "--out", "-", db=db)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all("fingerprint" in r for r in rows)
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("command", [["records", "list", "--status", "bogus"], ["records", "list", "--kind", "bogus"],
                                     ["export", "--out", "-", "--status", "bogus"],
                                     ["export", "--out", "-", "--kind", "bogus"]])
def test_unknown_status_or_kind_is_an_error_listing_the_valid_ones(db, command):
    line = assert_one_line_failure(cli(*command, db=db), "bogus", "choose one of")
    assert "pending" in line or "event" in line


def test_editing_an_unknown_field_is_refused_and_leaves_the_status(db):
    review = Review(Store(str(db)))
    item = next(i for i in review.items(kind="event"))
    line = assert_one_line_failure(cli("records", "edit", item.id, "--set", "bogusfield=1", "--reviewer", "ana",
                                       db=db), "bogusfield cannot be edited", "date, date_end")
    assert line
    assert review.item(item.id).status == "pending"


@pytest.mark.parametrize("date", ["2099-13", "2019-02-31", "0000", "20190", "2101"])
def test_impossible_dates_are_refused_by_records_edit(db, date):
    review = Review(Store(str(db)))
    item = next(i for i in review.items(kind="event"))
    assert_one_line_failure(cli("records", "edit", item.id, "--set", f"date={date}", "--reviewer", "ana", db=db),
                            "date:")
    assert review.item(item.id).status == "pending"
    ok = cli("records", "edit", item.id, "--set", "date=2016-02-29", "--reviewer", "ana", db=db)
    assert ok.exit_code == 0, ok.output


def test_an_unknown_record_is_one_line(db):
    assert_one_line_failure(cli("records", "show", "0123456789abcdef", db=db), "not found")
    assert_one_line_failure(cli("records", "accept", "0123456789abcdef", "--reviewer", "ana", db=db), "not found")


def test_a_dead_dask_scheduler_fails_within_five_seconds(tmp_path):
    paper = tmp_path / "paper.txt"
    paper.write_text("Russia and India signed a defence pact in 2016.")
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "briefex", "--db", str(tmp_path / "s.db"), "add", str(paper),
                           "--dask-address", "tcp://127.0.0.1:1"], capture_output=True, text=True, timeout=60)
    assert time.monotonic() - started < 5
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("briefex: ")]
    assert lines[-1].startswith("briefex: cannot reach the Dask scheduler at tcp://127.0.0.1:1")


def test_review_checks_the_port_before_printing_its_url(db):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("review", "--port", port, db=db)
    assert "http://" not in result.stdout
    assert_one_line_failure(result, f"127.0.0.1:{port}", "--port")


def test_no_command_above_prints_a_traceback_when_run_as_users_run_it(tmp_path):
    """The same failures through `python -m briefex`, as a user's shell sees them."""
    for args in (["--db", str(tmp_path / "no" / "x.db"), "records", "list"],
                 ["--db", str(tmp_path / "x.db"), "export", "--out", "-"]):
        proc = subprocess.run([sys.executable, "-m", "briefex", *args], capture_output=True, text=True, timeout=60)
        assert proc.returncode != 0 and "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and proc.stderr.startswith("briefex: ")
