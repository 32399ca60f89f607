"""The end-to-end flow on a real (temporary) Prefect server: records in the export contract,
and a bad file reported while the rest of the batch goes on."""
from __future__ import annotations

import json

from briefex.pipeline.flows import extract_flow

from .conftest import EXAMPLES


def test_flow_writes_contract_records_and_goes_on_after_a_bad_file(prefect_server, tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    out = tmp_path / "records.jsonl"
    paths = [str(bad), str(EXAMPLES / "000_867b3136689200c6.txt"), str(EXAMPLES / "000_867b3136689200c6.pdf")]
    summary = extract_flow(paths, str(out))
    assert summary.documents == 2 and summary.pages == 4
    assert [p for p, _ in summary.failed] == [str(bad)]
    assert summary.failed[0][1].startswith("broken.pdf: damaged PDF")
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert {r["kind"] for r in rows} == {"actor", "event", "figure"}
    for row in rows:
        assert row["document"] in {"000_867b3136689200c6.txt", "000_867b3136689200c6.pdf"}
        assert {"text", "start", "end"} <= set(row["evidence"])
        assert row["extractor"] and row["pipeline_version"]
    events = [r for r in rows if r["kind"] == "event"]
    assert all(e["event_type"] and "date" in e and "actors" in e for e in events)
    assert not (tmp_path / "records.jsonl.tmp").exists()
