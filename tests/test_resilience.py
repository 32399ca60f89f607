"""Batches that are killed, scaled out or left watching a folder end with the same store."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner

from briefex.cli import app
from briefex.output.store import Store
from briefex.output.tables import documents, processing

from .conftest import EXAMPLE_PAPERS, EXAMPLES

runner = CliRunner()


def corpus(folder: Path, copies: int) -> Path:
    """Varied copies of the sample papers: each has bytes of its own, so none is skipped."""
    folder.mkdir()
    for i in range(copies):
        for source in EXAMPLES.glob("*.txt"):
            text = source.read_text() + f"\n\nAddendum {i}: Russia and India signed a memorandum in {2000 + i}.\n"
            (folder / f"{source.stem}_{i}.txt").write_text(text)
    return folder


def exported(db: Path, tmp_path: Path) -> list[str]:
    out = tmp_path / f"{db.stem}.jsonl"
    result = runner.invoke(app, ["--db", str(db), "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return sorted(out.read_text().splitlines())


def count(db: Path, table) -> int:
    with Store(str(db), create=False).engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_kill_9_midway_then_rerun_equals_a_clean_run(prefect_api_url, tmp_path):
    folder = corpus(tmp_path / "in", copies=4)
    total = len(list(folder.iterdir()))
    clean = tmp_path / "clean.db"
    assert runner.invoke(app, ["--db", str(clean), "add", str(folder)]).exit_code == 0

    killed = tmp_path / "killed.db"
    Store(str(killed))  # create the schema before the child starts writing
    env = {**os.environ, "PREFECT_API_URL": prefect_api_url}
    child = subprocess.Popen([sys.executable, "-m", "briefex", "--db", str(killed), "add", str(folder)],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while count(killed, processing) < 1:
        assert child.poll() is None, "the batch ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    done_when_killed = count(killed, processing)
    assert done_when_killed < total, "killed too late to test anything"

    again = runner.invoke(app, ["--db", str(killed), "add", str(folder)])
    assert again.exit_code == 0, again.output
    assert again.output.count("unchanged content and pipeline version") == done_when_killed
    assert exported(killed, tmp_path) == exported(clean, tmp_path)
    assert count(killed, documents) == total


def test_two_dask_workers_give_the_records_of_the_default_runner(prefect_server, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for source in EXAMPLE_PAPERS:
        shutil.copy(source, folder)
    default, dask = tmp_path / "default.db", tmp_path / "dask.db"
    assert runner.invoke(app, ["--db", str(default), "add", str(folder)]).exit_code == 0
    result = runner.invoke(app, ["--db", str(dask), "add", str(folder), "--dask-local", "2"])
    assert result.exit_code == 0, result.output
    assert exported(dask, tmp_path) == exported(default, tmp_path)


def test_watch_adds_new_files_on_its_interval(tmp_path):
    folder = tmp_path / "watched"
    folder.mkdir()
    shutil.copy(EXAMPLES / "000_867b3136689200c6.txt", folder)
    db = tmp_path / "store.db"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    child = subprocess.Popen([sys.executable, "-m", "briefex", "--db", str(db), "watch", str(folder),
                              "--interval", "5"], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, start_new_session=True)
    try:
        def stored(n: int) -> bool:
            try:
                return count(db, documents) >= n and count(db, processing) >= n
            except OperationalError:
                return False  # the file exists a moment before its tables do

        def wait_for(n: int) -> None:
            deadline = time.monotonic() + 240
            while not (db.exists() and stored(n)):
                assert child.poll() is None, child.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, f"watch did not add {n} documents in time"
                time.sleep(1)
        wait_for(1)
        shutil.copy(EXAMPLES / "003_1e981d18ea43cc1d.txt", folder)
        wait_for(2)
    finally:
        os.killpg(child.pid, signal.SIGINT)   # what Ctrl-C sends: serve shuts down cleanly
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    names = {json.loads(line)["document"] for line in exported(db, tmp_path)}
    assert names == {"000_867b3136689200c6.txt", "003_1e981d18ea43cc1d.txt"}
