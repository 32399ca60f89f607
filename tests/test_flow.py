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


def test_each_document_is_one_task_with_its_stages_nested_beneath(prefect_server, tmp_path):
    """The UI shows a document's ingest, extract and store runs under its own task run, and a
    failing document leaves its error on the stage that failed."""
    import time

    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.sorting import TaskRunSort

    from briefex.output.store import Store
    from briefex.pipeline.flows import process_flow
    from briefex.pipeline.version import pipeline_version

    store = Store(str(tmp_path / "store.db"))
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    paper = EXAMPLES / "000_867b3136689200c6.txt"
    jobs = [store.register(p.read_bytes(), p) for p in (paper, bad)]
    state = process_flow(jobs, store.url, pipeline_version(), return_state=True)
    summary = state.result()
    assert summary.documents == 1 and [name for name, _ in summary.failed] == ["broken.pdf"]

    flow_run = FlowRunFilter(id=FlowRunFilterId(any_=[state.state_details.flow_run_id]))
    expected = {"document", "ingest-version", "extract", "store", "record-failure"}
    with get_client(sync_client=True) as client:
        deadline = time.monotonic() + 60
        while True:   # the server records task runs from events, a moment after they happen
            # limit and sort given: this server refuses the client's defaults (None) with a 422
            runs = client.read_task_runs(flow_run_filter=flow_run, limit=50, sort=TaskRunSort.ID_DESC)
            if {r.name.rsplit("-", 1)[0] for r in runs} >= expected or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    by_name: dict[str, list] = {}
    for run in runs:
        by_name.setdefault(run.name.rsplit("-", 1)[0], []).append(run)
    assert set(by_name) >= expected
    assert len(by_name["document"]) == 2
    parents = {r.id for r in by_name["document"]}
    for stage in ("ingest-version", "extract", "store"):
        for run in by_name[stage]:
            assert {i.id for i in run.task_inputs.get("__parents__", [])} <= parents
            assert run.task_inputs.get("__parents__"), f"{stage} is not nested under a document task"
    failed_ingest = [r for r in by_name["ingest-version"] if r.state and r.state.is_failed()]
    assert len(failed_ingest) == 1
