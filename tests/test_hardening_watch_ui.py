"""The Prefect UI address `watch` prints opens a working UI (issue 13 item 14): the UI finds
its API at the port the local server really listens on, checked in real headless Chromium."""
from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time


def _ui_address(child, timeout_seconds: float = 150) -> str:
    selector = selectors.DefaultSelector()
    selector.register(child.stderr, selectors.EVENT_READ)
    deadline, seen = time.monotonic() + timeout_seconds, ""
    while time.monotonic() < deadline:
        if selector.select(timeout=1):
            line = child.stderr.readline()
            seen += line
            found = re.search(r"Prefect UI: (http://\S+)", line)
            if found:
                return found.group(1)
        if child.poll() is not None:
            break
    raise AssertionError(f"no UI address printed: {seen}")


def test_the_prefect_ui_address_printed_by_watch_opens_a_working_ui(tmp_path, page):
    folder = tmp_path / "watched"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    child = subprocess.Popen([sys.executable, "-m", "briefex", "--db", str(tmp_path / "store.db"), "watch",
                              str(folder), "--interval", "60"], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        address = _ui_address(child)
        page.goto(address, wait_until="networkidle", timeout=60_000)
        page.wait_for_timeout(3000)
        body = page.inner_text("body")
        assert "Can't connect to Server API" not in body and "can't connect" not in body.lower(), body[:500]
        page.goto(address.rstrip("/") + "/deployments", wait_until="networkidle", timeout=60_000)
        page.wait_for_selector("text=briefex-watch", timeout=30_000)
    finally:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=30)
