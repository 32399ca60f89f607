"""Where flow runs report: the Prefect API already configured (environment or profile), or a
local server this process starts and stops.

Prefect's own fallback, the temporary server, starts only when the first flow run asks for
it; the client then imports Prefect's whole server package (about 2.5 s here) and waits
about 4 s more for the server to answer, all before the first task. Started here instead,
the server boots in its own process while this one imports spaCy and loads the model, and a
command pays the start-up once, mostly on the other core.
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PrefectAPI:
    url: str
    process: subprocess.Popen | None = None   # None: a server someone else runs

    def wait_ready(self) -> str:
        """Block until the API answers; a local server that dies or never answers is an error."""
        if self.process is None:
            return self.url
        timeout = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", 90))
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/health", timeout=2)
                return self.url
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the local Prefect server did not start") from None
                time.sleep(0.1)


def _drain() -> None:
    """Send the logs and events Prefect still holds while the server is up; left to Prefect's
    exit hooks, they would fail against a stopped server ("Error logging to API")."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        with contextlib.suppress(Exception):
            worker.drain_all(timeout=10)


def _parent_death_signal():
    """On Linux, a function for the server's child process that asks the kernel to send it
    SIGTERM when the thread that started it ends: started from the main thread, when this
    process dies, even by SIGKILL, so a killed batch leaves no server behind. Bound here, in
    the parent: between fork and exec the child must not import anything."""
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return lambda: prctl(1, signal.SIGTERM)   # 1: PR_SET_PDEATHSIG


def _start_server(services: bool, scheduler_seconds: int) -> PrefectAPI:
    port = _free_port()
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    if not services:
        command += ["--no-services", "--no-ui"]
    # The UI asks the server where the API is: by default PREFECT_API_URL, else host and port
    # settings that `--port` does not change (4200), so the UI said "Can't connect to Server API".
    env = {**os.environ, "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": str(scheduler_seconds),
           "PREFECT_UI_API_URL": f"http://127.0.0.1:{port}/api",
           "PREFECT_SERVER_API_HOST": "127.0.0.1", "PREFECT_SERVER_API_PORT": str(port)}
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               preexec_fn=_parent_death_signal())
    return PrefectAPI(f"http://127.0.0.1:{port}/api", process)


# Seconds an interrupted command has to unwind (stop its Prefect server, close the store)
# before the process ends regardless: a document in the middle of pdfminer or spaCy holds a
# worker thread that no exception reaches, and waiting for it took minutes on a long PDF.
STOP_GRACE_SECONDS = 1.0


class Stopped(KeyboardInterrupt):
    """SIGTERM or Ctrl-C: raised in the main thread so the command unwinds as after Ctrl-C."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"stopped by {signal.Signals(signum).name}")


def _end_now(signum: int) -> None:
    """The watchdog's end: the in-flight document's transaction is never committed, so the
    store keeps its earlier records (SQLite and PostgreSQL roll back an unfinished one)."""
    os.write(2, f"briefex: stopped by {signal.Signals(signum).name}; the document in flight "
                "was rolled back\n".encode())
    os._exit(128 + signum)


def stop(signum, frame) -> None:
    """Signal handler for SIGTERM and SIGINT: unwind now, and be gone within
    STOP_GRACE_SECONDS whatever the worker threads are doing."""
    timer = threading.Timer(STOP_GRACE_SECONDS, _end_now, args=(signum,))
    timer.daemon = True
    timer.start()
    raise Stopped(signum)


def _watch_signals(read_fd: int) -> None:
    """A watchdog independent of the main thread: Python runs signal handlers only in the main
    thread, between bytecodes, and a main thread waiting on an import lock (the model loading
    in another thread) runs its handler seconds late. The C-level handler writes the signal's
    number to the wakeup pipe at once; this thread reads it and ends the process after the
    grace period if the command has not ended by itself."""
    while True:
        try:
            data = os.read(read_fd, 64)
        except OSError:
            return
        if not data:
            return
        for signum in data:
            if signum in (signal.SIGTERM, signal.SIGINT):
                time.sleep(STOP_GRACE_SECONDS)
                _end_now(signum)


@contextlib.contextmanager
def stopping_promptly() -> Iterator[None]:
    """SIGTERM and Ctrl-C stop the command within about two seconds, at any stage."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    previous_fd = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    threading.Thread(target=_watch_signals, args=(read_fd,), daemon=True, name="briefex-stop").start()
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous_fd)
        os.close(write_fd)       # the watchdog reads the end, unless it is already counting down
        for sig, handler in previous.items():
            signal.signal(sig, handler)


_exit_on_sigterm = stop


SERVER_STOP_SECONDS = 5   # then it is killed: its state is already in its database


def _stop(server: PrefectAPI) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=SERVER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@contextlib.contextmanager
def _sigterm_as_exit() -> Iterator[None]:
    """`kill` stops the command as Ctrl-C does, so the blocks below stop the server. Signal
    handlers belong to the main thread; elsewhere nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def prefect_api(services: bool = False, scheduler_seconds: int = 60) -> Iterator[PrefectAPI]:
    """Yield the configured API, or start a local server and point Prefect at it until the
    block ends. `services` runs the scheduler (deployments need it; plain flow runs do not),
    looking for due runs every `scheduler_seconds` (Prefect's default is 60). The server is
    starting, not yet ready, when the block begins: call `wait_ready()` before the first run.

    In a fresh process with no PREFECT_API_URL in the environment the server is started even
    before Prefect is imported (1.2 s sooner); if Prefect's profile then names an API after
    all, that server is stopped unused."""
    with _sigterm_as_exit():
        early = None
        if "prefect" not in sys.modules and not os.environ.get("PREFECT_API_URL"):
            early = _start_server(services, scheduler_seconds)
        try:
            from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

            configured = get_current_settings().api.url
        except BaseException:
            if early:
                _stop(early)
            raise
        if configured:
            if early:
                _stop(early)
            yield PrefectAPI(configured)
            return
        server = early or _start_server(services, scheduler_seconds)
        previous = os.environ.get("PREFECT_API_URL")
        os.environ["PREFECT_API_URL"] = server.url   # for child processes: Dask workers, served flow runs
        try:
            with temporary_settings({PREFECT_API_URL: server.url}):
                yield server
        finally:
            _drain()
            if previous is None:
                os.environ.pop("PREFECT_API_URL", None)
            else:
                os.environ["PREFECT_API_URL"] = previous
            _stop(server)
