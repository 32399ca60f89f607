"""Sharing the review page (issue 14): off loopback every request needs the token (`?token=` once,
then an HttpOnly SameSite=Strict cookie, or `Authorization: Bearer`); loopback stays tokenless
unless --token is given; --reviewer defaults to the OS user name."""
from __future__ import annotations

import getpass
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from briefex.output.review import Review
from briefex.output.web.app import create_app
from briefex.output.web.security import allowed_hosts, is_loopback

from .conftest import free_port, serving
from .hardening_helpers import cli, stored_paper

LAN = "192.0.2.10:8765"          # a documentation address: the bound non-loopback host
TOKEN = "s3cret-token_for-tests"


@pytest.fixture
def shared(tmp_path):
    store, registration, *_ = stored_paper(tmp_path)
    client = TestClient(create_app(store.url, reviewer="ana", hosts=[LAN], token=TOKEN),
                        base_url=f"http://{LAN}")
    return client, Review(store), store


def test_without_the_token_every_request_is_refused(shared):
    client, review, _ = shared
    item = next(iter(review.items()))
    for path in ("/", "/records", f"/records/{item.id}", f"/records/{item.id}/mentions"):
        assert client.get(path, follow_redirects=False).status_code == 401
    assert client.get("/?token=wrong", follow_redirects=False).status_code == 401
    refused = client.post(f"/records/{item.id}/decision", data={"action": "accept", "version": 0},
                          headers={"origin": f"http://{LAN}"}, follow_redirects=False)
    assert refused.status_code == 401 and review.item(item.id).status == "pending"


def test_token_in_the_address_sets_a_strict_httponly_cookie(shared):
    client, review, _ = shared
    first = client.get(f"/records?kind=actor&token={TOKEN}", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/records?kind=actor"
    cookie = first.headers["set-cookie"]
    assert f"briefex_token={TOKEN}" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert client.get("/records").status_code == 200          # the cookie, from now on
    item = next(iter(review.items()))
    done = client.post(f"/records/{item.id}/decision", data={"action": "accept", "version": 0},
                       headers={"origin": f"http://{LAN}"}, follow_redirects=False)
    assert done.status_code == 303 and review.item(item.id).status == "accepted"


def test_bearer_token_for_scripts_and_host_check_still_holds(shared):
    client, review, _ = shared
    auth = {"authorization": f"Bearer {TOKEN}"}
    assert client.get("/", headers=auth).status_code == 200
    assert client.get("/", headers={"authorization": "Bearer nope"}).status_code == 401
    assert client.get("/", headers={**auth, "host": "evil.example:8765"}).status_code == 400


def test_loopback_stays_tokenless_and_wildcard_answers_the_machine_names():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.10")
    assert "192.0.2.10:8765" in allowed_hosts([LAN])
    wildcard = allowed_hosts(["0.0.0.0:9000"])
    assert f"{socket.gethostname().lower()}:9000" in wildcard and "127.0.0.1:9000" in wildcard
    assert "evil.example:9000" not in wildcard


@contextmanager
def _serve(args: list[str], db: str):
    """`briefex review` in its own process, serving; yields the line it printed with its address."""
    env = {k: v for k, v in os.environ.items() if k not in ("BRIEFEX_REVIEW_TOKEN", "BRIEFEX_REVIEWER")}
    proc = subprocess.Popen([sys.executable, "-m", "briefex.cli", "--db", db, "review", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        line = next((line for line in proc.stdout if line.startswith("briefex review:")), None)
        assert line is not None, f"briefex review did not start (exit {proc.wait()})"
        time.sleep(0.5)
        yield line
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _get(url: str, headers: dict | None = None) -> int:
    try:
        return urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10).status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_cli_off_loopback_prints_a_generated_token_and_requires_it(tmp_path):
    store, *_ = stored_paper(tmp_path)
    port = free_port()
    with _serve(["--host", "0.0.0.0", "--port", str(port)], str(tmp_path / "store.db")) as line:
        token = re.search(r"\?token=([\w-]+)", line).group(1)
        assert len(token) >= 32, line
        assert _get(f"http://127.0.0.1:{port}/") == 401
        assert _get(f"http://127.0.0.1:{port}/", {"Authorization": f"Bearer {token}"}) == 200


def test_cli_loopback_is_tokenless_unless_token_given(tmp_path):
    stored_paper(tmp_path)
    db = str(tmp_path / "store.db")
    port = free_port()
    with _serve(["--port", str(port)], db) as line:
        assert "token" not in line and line.strip().endswith(f"127.0.0.1:{port}/")
        assert _get(f"http://127.0.0.1:{port}/") == 200
    port = free_port()
    with _serve(["--port", str(port), "--token", TOKEN], db) as line:
        assert f"?token={TOKEN}" in line
        assert _get(f"http://127.0.0.1:{port}/") == 401
        assert _get(f"http://127.0.0.1:{port}/", {"Authorization": f"Bearer {TOKEN}"}) == 200


def test_reviewer_defaults_to_the_os_user(tmp_path, monkeypatch):
    monkeypatch.delenv("BRIEFEX_REVIEWER", raising=False)
    store, *_ = stored_paper(tmp_path)
    review = Review(store)
    first, second = list(review.items())[:2]
    db = str(tmp_path / "store.db")
    assert cli("records", "accept", first.id, db=db).exit_code == 0
    assert review.item(first.id).reviewer == getpass.getuser()
    assert cli("records", "reject", second.id, "--reviewer", "ana", db=db).exit_code == 0
    assert review.item(second.id).reviewer == "ana"


def test_shared_page_in_a_real_browser(tmp_path, browser):
    store, *_ = stored_paper(tmp_path)
    review = Review(store)
    port = free_port()
    app = create_app(store.url, reviewer="ana", hosts=[f"0.0.0.0:{port}"], token=TOKEN)
    with serving(app, port, host="0.0.0.0") as url:
        stranger = browser.new_page()
        assert stranger.goto(url + "/records").status == 401
        page = browser.new_page()
        page.goto(f"{url}/records?kind=figure&token={TOKEN}")
        assert page.url == f"{url}/records?kind=figure"            # the token left the address bar
        cookie = next(c for c in page.context.cookies() if c["name"] == "briefex_token")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert page.evaluate("document.cookie").find("briefex_token") == -1
        first = page.locator("tr[data-id]").first.get_attribute("data-id")
        page.keyboard.press("j")
        page.keyboard.press("a")                                   # a fetch POST, with the cookie
        page.wait_for_function("document.querySelector('.status').textContent === 'accepted'")
        assert review.item(first).status == "accepted"
