"""The benchmark harness: `python bench/run.py [--sizes 10,100,500]` regenerates bench/RESULTS.md.

For each corpus size it builds varied copies of the sample papers (texts get a sentence of
their own, PDFs a metadata field of their own, so every file has new bytes and no cache or
skip hides work) and measures, in the same run:

- briefex: `briefex add` into a fresh SQLite store, as a user runs it (a subprocess, with the
  local Prefect server it starts): wall time, pages/s, words/s, peak RSS of the process tree;
- time per stage: the plain stage functions (ingest, extract, store) over the same files;
- the bare baseline: pdfplumber `extract_text()` plus spaCy `nlp.pipe` with the same model;
- `briefex reprocess --changed` on the unchanged store, against the first run;
- `--dask-local 2` against `--dask-local 1` (largest size only);
- adding one document to an existing store, with a running Prefect server and without.

`python bench/run.py --corpus DIR [--before REF]` instead measures PDF reading alone on a folder of
real papers (`briefex.sources.ingest` over every PDF in one fresh process: pages/s, CPU seconds,
peak RSS), for this checkout and, with `--before`, for the code at a git ref (exported with
`git archive`, the working tree untouched), and puts that table in RESULTS.md under its own
heading, keeping the scaling series.
Timings live here, never in tests.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
RESULTS = Path(__file__).with_name("RESULTS.md")
BRIEFEX = [sys.executable, "-m", "briefex"]
STAGE_PROFILE_MAX = 100   # documents: the per-stage pass is a second full run; larger sizes scale


def build_corpus(folder: Path, size: int) -> Path:
    """`size` files cycling through the samples, each with bytes of its own."""
    from pypdf import PdfReader, PdfWriter

    folder.mkdir(parents=True)
    samples = sorted(EXAMPLES.iterdir())
    for i in range(size):
        source = samples[i % len(samples)]
        target = folder / f"{source.stem}_{i:04d}{source.suffix}"
        if source.suffix == ".pdf":
            writer = PdfWriter(clone_from=PdfReader(source))
            writer.add_metadata({"/Subject": f"benchmark copy {i}"})
            with target.open("wb") as fh:
                writer.write(fh)
        else:
            target.write_text(source.read_text() + f"\n\nIn {1990 + i % 30} copy {i} was filed.\n")
    return folder


class PeakRSS:
    """Samples the resident memory of a process and all its descendants (bytes)."""

    def __init__(self, pid: int, every: float = 0.1) -> None:
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                root = psutil.Process(self.pid)
                total = sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            time.sleep(self.every)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def timed_cli(*args: str, env: dict | None = None) -> tuple[float, int, int]:
    """(wall seconds, peak RSS of the process tree, exit code) of one briefex command."""
    start = time.perf_counter()
    child = subprocess.Popen([*BRIEFEX, *args], env=env or os.environ.copy(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    meter = PeakRSS(child.pid)
    code = child.wait()
    return time.perf_counter() - start, meter.stop(), code


def corpus_stats(folder: Path) -> tuple[int, int]:
    """(pages, words) as briefex reads them."""
    from briefex.sources import ingest

    pages = words = 0
    for path in sorted(folder.iterdir()):
        document = ingest(path)
        pages += document.page_count
        words += len(document.text.split())
    return pages, words


def stage_times(folder: Path, db: Path) -> dict[str, float]:
    """Seconds spent in each plain stage function over the corpus, without Prefect."""
    from briefex.output.store import Store
    from briefex.pipeline.extract import extract
    from briefex.pipeline.nlp import load_nlp
    from briefex.pipeline.version import pipeline_version
    from briefex.sources import ingest

    load_nlp()
    store, version = Store(str(db)), pipeline_version()
    times = {"ingest": 0.0, "extract": 0.0, "store": 0.0}
    for path in sorted(folder.iterdir()):
        t0 = time.perf_counter()
        document = ingest(path)
        t1 = time.perf_counter()
        result = extract(document)
        t2 = time.perf_counter()
        registration = store.register(path.read_bytes(), path)
        store.write_results(registration, document, result.records, result.rejected, version, None,
                            result.sentences, result.misses)
        t3 = time.perf_counter()
        times["ingest"] += t1 - t0
        times["extract"] += t2 - t1
        times["store"] += t3 - t2
    return times


BASELINE = """
import sys, time, pdfplumber, spacy
from pathlib import Path
from briefex.pipeline.nlp import MODEL_NAME
start = time.perf_counter()
nlp = spacy.load(MODEL_NAME)   # the model as it comes: tagger, parser, lemmatizer, NER
def texts():
    for path in sorted(Path(sys.argv[1]).iterdir()):
        if path.suffix == ".pdf":
            with pdfplumber.open(path) as pdf:
                yield "\\n".join(page.extract_text() or "" for page in pdf.pages)
        else:
            yield path.read_text()
for doc in nlp.pipe(texts(), batch_size=16):
    pass
"""


def baseline(folder: Path) -> tuple[float, int]:
    """The bare work a user would otherwise do: pdfplumber text plus spaCy over every file."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", BASELINE, str(folder)])
    meter = PeakRSS(child.pid)
    child.wait()
    return time.perf_counter() - start, meter.stop()


def running_server(home: Path):
    """Start `prefect server start` on a free port; return (process, API URL)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/api"
    for _ in range(240):
        try:
            urllib.request.urlopen(url + "/health", timeout=2)
            return server, url
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("prefect server did not start")


def measure(size: int, work: Path, with_dask: bool) -> dict:
    folder = build_corpus(work / f"corpus-{size}", size)
    pages, words = corpus_stats(folder)
    db = work / f"store-{size}.db"
    add_s, add_rss, code = timed_cli("--db", str(db), "add", str(folder))
    assert code == 0, f"briefex add failed on the {size}-document corpus"
    again_s, _, _ = timed_cli("--db", str(db), "reprocess", "--changed")
    base_s, base_rss = baseline(folder)
    stages = stage_times(folder, work / f"stages-{size}.db") if size <= STAGE_PROFILE_MAX else None
    row = {"size": size, "pages": pages, "words": words, "add_s": add_s, "add_rss": add_rss,
           "reprocess_s": again_s, "baseline_s": base_s, "baseline_rss": base_rss, "stages": stages}
    if with_dask:
        row["dask1_s"], _, _ = timed_cli("--db", str(work / f"dask1-{size}.db"), "add", str(folder),
                                         "--dask-local", "1")
        row["dask2_s"], row["dask2_rss"], _ = timed_cli("--db", str(work / f"dask2-{size}.db"), "add",
                                                        str(folder), "--dask-local", "2")
    return row


def one_document(work: Path) -> dict:
    """One new document into an existing store: with a running server, and with the local one
    the command starts."""
    store_dir = build_corpus(work / "one-base", 4)
    db = work / "one.db"
    timed_cli("--db", str(db), "add", str(store_dir))
    fresh = build_corpus(work / "one-new", 8)
    new_files = sorted(p for p in fresh.iterdir() if int(p.stem[-4:]) >= 4)  # bytes not yet stored
    ephemeral = [timed_cli("--db", str(db), "add", str(new_files[i]))[0] for i in (0, 1)]
    server, url = running_server(work / "prefect-home")
    try:
        env = {**os.environ, "PREFECT_API_URL": url}
        timed_cli("--db", str(db), "add", str(new_files[2]), env=env)            # warm the server
        running = [timed_cli("--db", str(db), "add", str(new_files[3]), env=env)[0]]
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"ephemeral_s": min(ephemeral), "running_s": min(running)}


def report(rows: list[dict], single: dict, command: str) -> str:
    mb = 1024 * 1024
    lines = [
        "# Benchmarks", "",
        f"Command: `{command}`  ",
        f"Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC  ",
        f"Machine: {platform.machine()}, {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 1024 ** 3:.0f} GB, Python {platform.python_version()}, "
        f"{platform.platform(terse=True)}", "",
        "Corpora are varied copies of the four sample papers (half PDF, half text). `briefex add`",
        "runs as a user runs it: a fresh process with the local Prefect server it starts, into a fresh",
        "SQLite store. The baseline is pdfplumber `extract_text()` plus spaCy `nlp.pipe` with the",
        "same model and components, in one process. Peak RSS covers the process and its children.", "",
        "| documents | pages | words | briefex add (s) | pages/s | words/s | baseline (s) | briefex / baseline | peak RSS briefex (MB) | peak RSS baseline (MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['size']} | {r['pages']} | {r['words']} | {r['add_s']:.1f} | {r['pages'] / r['add_s']:.1f} | "
                     f"{r['words'] / r['add_s']:.0f} | {r['baseline_s']:.1f} | {r['add_s'] / r['baseline_s']:.2f} | "
                     f"{r['add_rss'] / mb:.0f} | {r['baseline_rss'] / mb:.0f} |")
    lines += ["", "Time per stage (plain functions, no Prefect, same files; seconds):", "",
              "| documents | ingest | extract | store | sum | briefex add wall | wall − stages (Prefect, start-up, glue) |",
              "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in (r for r in rows if r["stages"]):
        s = r["stages"]
        total = sum(s.values())
        lines.append(f"| {r['size']} | {s['ingest']:.1f} | {s['extract']:.1f} | {s['store']:.1f} | {total:.1f} | "
                     f"{r['add_s']:.1f} | {r['add_s'] - total:.1f} |")
    lines += ["", "Unchanged reprocess (`briefex reprocess --changed` on the store just filled):", "",
              "| documents | first run (s) | reprocess --changed (s) | speed-up |", "|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['size']} | {r['add_s']:.1f} | {r['reprocess_s']:.2f} | {r['add_s'] / r['reprocess_s']:.0f}x |")
    dask = [r for r in rows if "dask2_s" in r]
    if dask:
        lines += ["", "Dask (`--dask-local N`, fresh store each):", "",
                  "| documents | 1 worker (s) | 2 workers (s) | speed-up | peak RSS 2 workers (MB) |",
                  "|---:|---:|---:|---:|---:|"]
        for r in dask:
            lines.append(f"| {r['size']} | {r['dask1_s']:.1f} | {r['dask2_s']:.1f} | "
                         f"{r['dask1_s'] / r['dask2_s']:.2f}x | {r['dask2_rss'] / mb:.0f} |")
    lines += ["", "One document added to an existing store (wall time of `briefex add FILE`):", "",
              "| Prefect API | seconds |", "|---|---:|",
              f"| running server (`PREFECT_API_URL` set) | {single['running_s']:.1f} |",
              f"| local server started by the command | {single['ephemeral_s']:.1f} |", ""]
    lines += targets(rows, single)
    return "\n".join(lines)


def targets(rows: list[dict], single: dict) -> list[str]:
    """The benchmark issue's targets against this run's numbers, met or not."""
    largest = max(rows, key=lambda r: r["size"])
    rss = " / ".join(f"{r['add_rss'] / 2 ** 20:.0f}" for r in rows)
    sizes = " / ".join(str(r["size"]) for r in rows)
    checks = [
        (f"full pipeline ≤ 1.3x the bare baseline at {largest['size']} documents",
         f"{largest['add_s'] / largest['baseline_s']:.2f}x", largest["add_s"] / largest["baseline_s"] <= 1.3),
        ("unchanged reprocess ≥ 50x faster than the first run",
         f"{largest['add_s'] / largest['reprocess_s']:.0f}x at {largest['size']}",
         largest["add_s"] / largest["reprocess_s"] >= 50),
        ("peak RSS ≤ 1 GB whatever the corpus size (default runner)", f"{rss} MB at {sizes}",
         all(r["add_rss"] <= 2 ** 30 for r in rows)),
    ]
    if "dask2_s" in largest:
        checks.append((f"two Dask workers ≥ 1.7x one at {largest['size']} documents",
                       f"{largest['dask1_s'] / largest['dask2_s']:.2f}x",
                       largest["dask1_s"] / largest["dask2_s"] >= 1.7))
    checks.append(("one document added, running Prefect server, ≤ 3 s", f"{single['running_s']:.1f} s",
                   single["running_s"] <= 3))
    lines = ["## Targets (from the benchmark issue)", "", "| target | result | met |", "|---|---|---|"]
    lines += [f"| {name} | {result} | {'yes' if met else 'no'} |" for name, result, met in checks]
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,500", help="corpus sizes, comma separated")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask comparison")
    parser.add_argument("--corpus", type=Path, help="measure PDF reading alone on the PDFs in this folder")
    parser.add_argument("--before", help="with --corpus: also measure the code at this git ref")
    args = parser.parse_args()
    if args.corpus:
        measure_corpus(args.corpus, args.before)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    work = Path(tempfile.mkdtemp(prefix="briefex-bench-"))
    try:
        rows = []
        for size in sizes:
            print(f"measuring {size} documents ...", flush=True)
            rows.append(measure(size, work, with_dask=not args.no_dask and size == max(sizes)))
        print("measuring one-document adds ...", flush=True)
        single = one_document(work)
        command = "python bench/run.py " + " ".join(sys.argv[1:])
        text = report(rows, single, command.strip())
        kept = corpus_section(RESULTS.read_text()) if RESULTS.exists() else None
        if kept:
            text = with_corpus_section(text, kept)
        RESULTS.write_text(text + RESULTS_NOTES.read_text() if RESULTS_NOTES.exists() else text)
        print(f"results in {RESULTS}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


RESULTS_NOTES = Path(__file__).with_name("NOTES.md")
CORPUS_START, CORPUS_END = "<!-- corpus -->", "<!-- /corpus -->"

INGEST = """
import sys
if sys.argv[1]:
    sys.path.insert(0, sys.argv[1])
from briefex.sources import ingest
print(sum(ingest(path).page_count for path in sys.argv[2:]))
"""


def read_corpus(files: list[Path], root: Path | None) -> dict:
    """Pages, wall seconds, CPU seconds and peak RSS of one process reading every file."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", INGEST, str(root or ""), *map(str, files)],
                             stdout=subprocess.PIPE, text=True)
    meter = PeakRSS(child.pid)
    out, _ = child.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert child.returncode == 0, "reading the corpus failed"
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"pages": int(out.strip().splitlines()[-1]), "wall_s": wall, "cpu_s": cpu, "rss": meter.stop()}


def checkout(ref: str, work: Path) -> Path:
    """The code at a git ref as an importable `briefex` package under work/ref/."""
    root = work / "ref"
    package = root / "briefex"
    package.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(package)], input=archive, check=True)
    return root


def corpus_report(folder: Path, rows: list[tuple[str, dict]], command: str) -> str:
    mb = 1024 * 1024
    lines = [CORPUS_START, "## PDF reading on real papers", "",
             f"Command: `{command}`  ",
             f"Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC  ",
             f"Corpus: `{folder}` ({len(list(folder.glob('*.pdf')))} PDFs); `briefex.sources.ingest` over "
             "every PDF in one fresh process (interpreter and imports included).", "",
             "| code | pages | wall (s) | CPU (s) | pages/s (CPU) | ms/page (CPU) | peak RSS (MB) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, r in rows:
        per_page = 1000 * r["cpu_s"] / r["pages"]
        lines.append(f"| {name} | {r['pages']} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | "
                     f"{r['pages'] / r['cpu_s']:.1f} | {per_page:.0f} | {r['rss'] / mb:.0f} |")
    return "\n".join(lines + ["", CORPUS_END, ""])


def with_corpus_section(text: str, section: str) -> str:
    """RESULTS.md with its real-corpus section replaced (or added after the scaling tables)."""
    if CORPUS_START in text and CORPUS_END in text:
        head, rest = text.split(CORPUS_START, 1)
        return head + section.rstrip("\n") + rest.split(CORPUS_END, 1)[1]
    marker = "## Targets"
    if marker in text:
        head, rest = text.split(marker, 1)
        return head + section + "\n" + marker + rest
    return text.rstrip("\n") + "\n\n" + section


def corpus_section(text: str) -> str | None:
    if CORPUS_START in text and CORPUS_END in text:
        return CORPUS_START + text.split(CORPUS_START, 1)[1].split(CORPUS_END, 1)[0] + CORPUS_END + "\n"
    return None


def measure_corpus(folder: Path, before: str | None) -> None:
    files = sorted(folder.glob("*.pdf"))
    rows = []
    work = Path(tempfile.mkdtemp(prefix="briefex-bench-corpus-"))
    try:
        if before:
            print(f"reading {len(files)} PDFs with the code at {before} ...", flush=True)
            rows.append((f"before (`{before}`)", read_corpus(files, checkout(before, work))))
        print(f"reading {len(files)} PDFs with this checkout ...", flush=True)
        rows.append(("after (this checkout)", read_corpus(files, None)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    command = "python bench/run.py " + " ".join(sys.argv[1:])
    old = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n"
    RESULTS.write_text(with_corpus_section(old, corpus_report(folder, rows, command.strip())))
    print(f"results in {RESULTS}")

if __name__ == "__main__":
    main()
