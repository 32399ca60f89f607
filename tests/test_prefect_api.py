"""The Prefect API a command reports to: the configured one, or a local server it starts early
and stops cleanly, with Prefect's logs sent before it stops."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from briefex.output.store import Store

from .conftest import EXAMPLES


def test_a_configured_api_is_used_as_it_is(prefect_server):
    from prefect.settings import PREFECT_API_URL

    from briefex.pipeline.prefect_api import prefect_api

    with prefect_api() as api:
        assert api.process is None
        assert api.wait_ready() == PREFECT_API_URL.value()


def test_add_without_an_api_runs_on_a_local_server_and_stops_it_cleanly(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "paper.txt").write_text((EXAMPLES / "000_867b3136689200c6.txt").read_text())
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 40)   # logs an error
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    db = tmp_path / "store.db"
    result = subprocess.run([sys.executable, "-m", "briefex", "--db", str(db), "add", str(folder)],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr[-2000:]          # 1: broken.pdf failed, as it should
    assert "broken.pdf: damaged PDF" in result.stderr
    assert "Error logging to API" not in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert Store(str(db)).counts()["event"] > 0
    assert not _servers_of(env["PREFECT_HOME"]), "the local Prefect server outlived the command"


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_command_leaves_no_server_behind(tmp_path, how):
    import psutil

    folder = tmp_path / "in"
    folder.mkdir()
    paper = (EXAMPLES / "003_1e981d18ea43cc1d.txt").read_text()
    for i in range(6):
        (folder / f"paper_{i}.txt").write_text(paper + f"\n{i}\n")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    child = subprocess.Popen([sys.executable, "-m", "briefex", "--db", str(tmp_path / "store.db"), "add",
                              str(folder)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (servers := _servers_of(env["PREFECT_HOME"])):
        assert child.poll() is None, "the command ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.1)
    child.send_signal(how)
    child.wait(timeout=60)
    gone, alive = psutil.wait_procs(servers, timeout=30)
    assert not alive, f"the local Prefect server outlived a command stopped by {how.name}"
    if how == signal.SIGTERM:
        assert child.returncode == 128 + signal.SIGTERM


def _servers_of(prefect_home: str) -> list:
    import psutil

    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if "server" in (process.info["cmdline"] or []) and \
                    process.environ().get("PREFECT_HOME") == prefect_home:
                found.append(process)
        except psutil.Error:
            continue
    return found
