"""Shared fixtures: the sample papers, one Prefect test server per session, a factory for the
malformed files the ingest tests feed in, and a review server in a thread with a real browser."""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EXAMPLE_PAPERS = sorted(p for p in EXAMPLES.iterdir() if p.is_file())   # the papers, not examples/gold/
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


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser():
    """Debian's Chromium driven by Playwright (skipped where it is missing; .ci/run installs it)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    return browser.new_page()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(app, port: int | None = None, host: str = "127.0.0.1"):
    """The ASGI app served by uvicorn in a thread; yields its loopback address."""
    import uvicorn

    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


HOSTILE = ("Russia and China held drills in 2017 <script>window.pwned = 1</script> and "
           "<img src=x onerror=\"window.pwned = 2\"> signed a pact in 2019 worth 2 billion USD.")


@pytest.fixture
def served(prefect_server, tmp_path, browser):
    """A store holding a sample paper and a hostile one, its review page served: (store, url)."""
    from briefex.output.store import Store
    from briefex.output.web.app import create_app
    from briefex.pipeline.batch import plan_add, run

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLES / "000_867b3136689200c6.txt", folder)
    (folder / "hostile.txt").write_text(HOSTILE)
    store = Store(str(tmp_path / "store.db"))
    run(store, plan_add(store, [folder]), "add")
    with serving(create_app(store.url, reviewer="ana")) as url:
        yield store, url


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


@pytest.fixture(scope="session")
def prefect_api_url(prefect_server) -> str:
    """The session's Prefect API, for CLI subprocesses (so each skips the 10 s server start)."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


def _postgres_bin() -> Path | None:
    import shutil

    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return versions[-1].parent if versions else None


@pytest.fixture(scope="session")
def postgres_url():
    """A real PostgreSQL server on a loopback port for this session (Debian's postgresql
    package; .ci/run installs it). Outside CI, a machine without it skips these tests."""
    import shutil
    import socket
    import subprocess
    import tempfile

    bin_dir = _postgres_bin()
    if bin_dir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed; .ci/run should have installed it")
        pytest.skip("PostgreSQL binaries not installed")
    home = Path(tempfile.mkdtemp(prefix="briefex-pg-"))  # not pytest's tmp: that is root-only
    data = home / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: run the server as postgres
        as_user = ["runuser", "-u", "postgres", "--"]
        home.chmod(0o777)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run([*as_user, str(bin_dir / "initdb"), "-D", str(data), "-U", "briefex", "--auth=trust"],
                   check=True, capture_output=True)
    log = data.parent / "server.log"
    subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-o",
                    f"-p {port} -k {data.parent} -c listen_addresses=127.0.0.1", "start"],
                   check=True, capture_output=True)
    try:
        subprocess.run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "briefex",
                        "briefex"], check=True, capture_output=True)
        yield f"postgresql://briefex@127.0.0.1:{port}/briefex"
    finally:
        subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                       capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


def store_paper(store, path):
    """Register, ingest, extract and store one paper, as `briefex add` does without the flow:
    (registration, document, extraction)."""
    from briefex.pipeline.extract import extract
    from briefex.sources import ingest

    registration = store.register(path.read_bytes(), path)
    document = ingest(path)
    result = extract(document)
    store.write_results(registration, document, result.records, [], "v1", None, result.sentences,
                        result.misses)
    return registration, document, result


def stored_text(tmp_path, text: str, name: str = "store.db"):
    """A SQLite store under `tmp_path` holding one paper with `text`, extracted:
    (store, registration, document, extraction)."""
    from briefex.output.store import Store

    path = tmp_path / "paper.txt"
    path.write_text(text)
    store = Store(str(tmp_path / name))
    return (store, *store_paper(store, path))
