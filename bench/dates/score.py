"""Score `briefex dates` against the hand-annotated gold in gold.json (TempEval-style).

    python bench/dates/score.py [FOLDER] [--show-misses] [--briefex PATH]

FOLDER holds gold.json and the documents it names (default: this script's folder).

Span F1: a find matches a gold TIMEX3 it overlaps, each gold matched at most once.
Value F1: a find is correct if it is matched to a gold span and has the gold's value;
precision = correct / found, recall = correct / gold. Value accuracy = correct / matched.
Finds that overlap only an `ignore` span (DURATION/SET) are not scored.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(cmd: list[str]) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return done.stdout


def locate(text: str, spans: list[str], ordered: bool) -> list[tuple[int, int]]:
    """Character offsets of each span as a whole word, in order of appearance when `ordered`."""
    out, pos = [], 0
    for span in spans:
        m = re.compile(rf"(?<!\w){re.escape(span)}(?!\w)").search(text, pos if ordered else 0)
        if m is None:
            sys.exit(f"gold span {span!r} not in the ingested text")
        out.append(m.span())
        pos = m.end() if ordered else 0
    return out


def score_doc(briefex: str, folder: Path, name: str, doc: dict) -> dict:
    path = str(folder / name)
    text = json.loads(run([briefex, "ingest", "--json", path]))["text"]
    out = run([briefex, "dates", "--anchor", doc["anchor"], "--json", path])
    finds = [json.loads(line) for line in out.splitlines() if line.strip()]
    golds = [dict(g, span=s) for g, s in zip(doc["timexes"], locate(text, [g["text"] for g in doc["timexes"]], True))]
    ignore = locate(text, [g["text"] for g in doc.get("ignore", [])], False)

    def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return a[0] < b[1] and b[0] < a[1]

    used: set[int] = set()
    pairs = []
    for g in golds:
        cands = [i for i, f in enumerate(finds) if i not in used and overlaps(g["span"], (f["start"], f["end"]))]
        cands.sort(key=lambda i: finds[i]["date"] != g["value"])   # a same-valued find first
        if cands:
            used.add(cands[0])
        pairs.append((g, finds[cands[0]] if cands else None))
    rest = [f for i, f in enumerate(finds) if i not in used]
    spurious = [f for f in rest if not any(overlaps((f["start"], f["end"]), s) for s in ignore)]
    on_ignored = [f for f in rest if f not in spurious]
    return {"name": name, "pairs": pairs, "spurious": spurious, "on_ignored": on_ignored,
            "found": len(finds) - len(on_ignored)}


def prf(tp: int, found: int, gold: int) -> tuple[float, float, float]:
    p, r = tp / found if found else 0.0, tp / gold if gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", type=Path, default=HERE,
                    help="folder with gold.json and the documents (default: %(default)s)")
    ap.add_argument("--show-misses", action="store_true", help="list misses, wrong values and spurious finds")
    ap.add_argument("--briefex", default=shutil.which("briefex") or str(HERE.parents[1] / ".venv/bin/briefex"))
    ap.add_argument("--jobs", type=int, default=4)
    args = ap.parse_args()
    folder = args.folder.resolve()
    gold = json.loads((folder / "gold.json").read_text())["docs"]
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda kv: score_doc(args.briefex, folder, *kv), sorted(gold.items())))

    n_gold = sum(len(r["pairs"]) for r in results)
    n_found = sum(r["found"] for r in results)
    matched = sum(f is not None for r in results for _, f in r["pairs"])
    correct = sum(f is not None and f["date"] == g["value"] for r in results for g, f in r["pairs"])
    print(f"{len(results)} documents, {n_gold} gold TIMEX3, {n_found} found "
          f"({sum(len(r['on_ignored']) for r in results)} more on DURATION/SET spans, not scored)\n")
    print(f"{'':14}{'P':>7}{'R':>7}{'F1':>7}")
    for label, tp in (("span (overlap)", matched), ("value", correct)):
        p, r, f = prf(tp, n_found, n_gold)
        print(f"{label:14}{p:7.3f}{r:7.3f}{f:7.3f}")
    exact = sum(f is not None and f["text"] == g["text"] for r in results for g, f in r["pairs"])
    print(f"\nvalue accuracy on matched spans: {correct}/{matched} = {correct / matched if matched else 0:.3f}")
    print(f"matched spans with exactly the gold extent: {exact}/{matched}")

    if not args.show_misses:
        return
    for r in results:
        lines = []
        for g, f in r["pairs"]:
            if f is None:
                lines.append(f"  MISS      {g['text']!r} = {g['value']}")
            elif f["date"] != g["value"]:
                lines.append(f"  WRONG     {g['text']!r} gold {g['value']}, found {f['text']!r} = {f['date']}"
                             f"  [{f['reason']}]")
            elif f["text"] != g["text"]:
                lines.append(f"  EXTENT    {g['text']!r} found as {f['text']!r} (value right)")
        for f in r["spurious"]:
            lines.append(f"  SPURIOUS  {f['text']!r} = {f['date']}  [{f['reason']}]")
        for f in r["on_ignored"]:
            lines.append(f"  (ignored) {f['text']!r} = {f['date']} on a DURATION/SET span")
        if lines:
            anchor = gold[r["name"]]["anchor"]
            print(f"\n{r['name']} (anchor {anchor})", *lines, sep="\n")


if __name__ == "__main__":
    main()
