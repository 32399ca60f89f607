"""The store's data safety (issue 13 items 3-6): a mistyped path is an error, not a new empty
store; the .db file alone is complete after a command; backups while others write; the
quarantine can be seen; any number of processes may open a new store at once."""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, select, text

from briefex.output.review import Review
from briefex.output.store import Store, StoreError
from briefex.output.tables import quarantine

from .hardening_helpers import assert_one_line_failure, cli, stored_paper


# -- item 4: mistyped stores ----------------------------------------------------------------
def test_a_store_in_a_missing_folder_is_an_error_naming_the_path(tmp_path):
    db = tmp_path / "nonexistent" / "dir" / "x.db"
    line = assert_one_line_failure(cli("records", "list", db=db), str(db.parent), "does not exist")
    assert line.startswith(f"briefex: cannot open the store {db}")
    assert not db.parent.exists()
    with pytest.raises(StoreError, match="does not exist"):
        Store(str(db))


@pytest.mark.parametrize("command", [["records", "list"], ["export", "--out", "-"], ["quarantine", "list"],
                                     ["backup", "copy.db"], ["records", "show", "0123456789abcdef"]])
def test_reading_commands_refuse_a_store_that_does_not_exist(tmp_path, command):
    db = tmp_path / "mistyped.db"
    assert_one_line_failure(cli(*command, db=db), "no store at")
    assert not db.exists()


def test_a_new_store_in_an_existing_folder_is_made_and_said_once(tmp_path):
    from briefex.cli import _store  # noqa: F401  (the command path below uses it)

    db = tmp_path / "new.db"
    path = tmp_path / "missing.txt"
    first = cli("add", path, db=db)       # no such file: the store is still made, and said so
    assert db.exists() and first.stderr.count("created a new store") == 1
    second = cli("records", "list", db=db)
    assert second.exit_code == 0 and "created a new store" not in second.stderr


# -- item 5: WAL checkpoint and backup ------------------------------------------------------
def test_after_a_command_the_db_file_alone_is_a_complete_copy(tmp_path):
    store, *_ = stored_paper(tmp_path)
    record_id = next(i.id for i in Review(store).items())
    proc = subprocess.run([sys.executable, "-m", "briefex", "--db", str(tmp_path / "store.db"), "records",
                           "accept", record_id, "--reviewer", "ana"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    wal = tmp_path / "store.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    (tmp_path / "copy").mkdir()
    shutil.copy(tmp_path / "store.db", tmp_path / "copy" / "store.db")   # the .db file only
    with sqlite3.connect(tmp_path / "copy" / "store.db") as copy:
        assert copy.execute("SELECT status FROM reviews WHERE record_id = ?", (record_id,)).fetchone() == ("accepted",)
        assert copy.execute("SELECT count(*) FROM records").fetchone()[0] > 0


def test_backup_copies_a_store_while_another_connection_writes(tmp_path):
    store, *_ = stored_paper(tmp_path)
    writer = sqlite3.connect(tmp_path / "store.db")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO runs (command, pipeline_version, started_at, status) VALUES ('x', 'v', 'now', 'running')")
    result = cli("backup", tmp_path / "backup.db", db=tmp_path / "store.db")   # while the write is open
    writer.commit()
    writer.close()
    assert result.exit_code == 0, result.output
    with sqlite3.connect(tmp_path / "backup.db") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM records").fetchone()[0] > 0
    again = cli("backup", tmp_path / "backup.db", db=tmp_path / "store.db")
    assert_one_line_failure(again, "already exists")


# -- item 6: the quarantine -----------------------------------------------------------------
def _quarantined_store(tmp_path):
    store, registration, document, result = stored_paper(tmp_path)
    event = next(r for r in result.records if r.kind == "event")
    raw = event.model_dump(mode="json")
    raw.pop("kind")                          # the builder's raw dict: no kind before validation
    raw["date_end"] = "1900"
    store.write_results(registration, document, result.records, [(raw, "date_end 1900 is before date")],
                        "v1", None, result.sentences, result.misses)
    store.close()
    return store, event


def test_quarantined_records_keep_their_kind_and_can_be_listed_and_shown(tmp_path):
    store, event = _quarantined_store(tmp_path)
    with store.engine.connect() as conn:
        assert conn.execute(select(quarantine.c.kind)).scalars().all() == ["event"]
    listed = cli("quarantine", "list", "--json", db=tmp_path / "store.db")
    assert listed.exit_code == 0, listed.output
    (row,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert row["kind"] == "event" and "before date" in row["reason"]
    assert row["evidence"]["text"] == event.evidence.text
    shown = json.loads(cli("quarantine", "show", row["id"], db=tmp_path / "store.db").stdout)
    assert shown["data"]["date_end"] == "1900"
    assert_one_line_failure(cli("quarantine", "show", "999", db=tmp_path / "store.db"), "999 not found")


def test_an_old_row_stored_with_kind_none_reads_back_with_its_kind(tmp_path):
    store, _ = _quarantined_store(tmp_path)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE quarantine SET kind = 'None'"))
    assert [r["kind"] for r in store.quarantined()] == ["event"]


def test_the_review_server_lists_the_quarantine(tmp_path):
    from fastapi.testclient import TestClient

    from briefex.output.web.app import create_app

    store, event = _quarantined_store(tmp_path)
    page = TestClient(create_app(store.url, reviewer="ana")).get("/quarantine")
    assert page.status_code == 200
    assert "before date" in page.text and "<td>event</td>" in page.text and event.evidence.text in page.text


# -- item 3: first use by many processes at once --------------------------------------------
OPEN = "import sys; from briefex.output.store import Store; Store(sys.argv[1]); print('ok')"


def _open_at_once(url: str, processes: int = 4) -> list[subprocess.CompletedProcess]:
    running = [subprocess.Popen([sys.executable, "-c", OPEN, url], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(processes)]
    return [subprocess.CompletedProcess(p.args, p.wait(timeout=180), *p.communicate()) for p in running]


def test_many_processes_can_make_a_new_sqlite_store_at_once(tmp_path):
    for proc in _open_at_once(str(tmp_path / "fresh.db")):
        assert proc.returncode == 0, proc.stderr


def test_many_processes_can_make_a_new_postgresql_store_at_once(postgres_url):
    admin = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS first_use"))
        conn.execute(text("CREATE DATABASE first_use"))
    admin.dispose()
    url = postgres_url.rsplit("/", 1)[0] + "/first_use"
    for proc in _open_at_once(url):
        assert proc.returncode == 0, proc.stderr
    assert Store(url).counts()["documents"] == 0
