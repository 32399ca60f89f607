"""Batch runs over a real SQLite store with a real Prefect flow: add, reprocess, export."""
from __future__ import annotations

import json
import shutil

import jsonschema
from typer.testing import CliRunner

from briefex.cli import app
from briefex.output.store import Store

from .conftest import EXAMPLE_PAPERS, EXAMPLES

runner = CliRunner()


def cli(db, *args):
    result = runner.invoke(app, ["--db", str(db), *map(str, args)])
    return result


def export_rows(db, tmp_path, *extra) -> list[dict]:
    out = tmp_path / "export.jsonl"
    result = cli(db, "export", "--out", out, *extra)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text().splitlines()]


def test_add_then_reprocess_changed_skips_everything(prefect_server, tmp_path):
    db = tmp_path / "store.db"
    result = cli(db, "add", EXAMPLES)
    assert result.exit_code == 0, result.output
    before = export_rows(db, tmp_path)
    assert {r["document"] for r in before} == {p.name for p in EXAMPLE_PAPERS}
    assert len({r["id"] for r in before}) == len(before)             # no duplicates

    again = cli(db, "reprocess", "--changed")
    assert again.exit_code == 0, again.output
    assert again.output.count("unchanged content and pipeline version") == 4
    assert export_rows(db, tmp_path) == before

    schema = json.loads(cli(db, "schema").stdout)
    for row in before:
        jsonschema.validate(row, schema)

    forced = cli(db, "reprocess", "--all", "--force", "--diff")
    assert forced.exit_code == 0, forced.output
    assert "\n+ " not in forced.stdout and "\n- " not in forced.stdout   # same records, same ids
    assert sorted(r["id"] for r in export_rows(db, tmp_path)) == sorted(r["id"] for r in before)


def test_a_changed_file_is_a_new_version_and_the_diff_says_what_changed(prefect_server, tmp_path):
    db = tmp_path / "store.db"
    paper = tmp_path / "paper.txt"
    paper.write_text("China and Russia held joint naval drills in July 2017.")
    assert cli(db, "add", paper).exit_code == 0
    paper.write_text("China and Russia held joint naval drills in July 2018.")
    result = cli(db, "reprocess", "--changed", "--diff")
    assert result.exit_code == 0, result.output
    assert "+ paper.txt event" in result.stdout and "2018-07 exercise" in result.stdout
    assert "- paper.txt event" in result.stdout and "2017-07 exercise" in result.stdout
    rows = export_rows(db, tmp_path, "--kind", "event")
    assert [r["date"] for r in rows] == ["2018-07"]


def test_a_bad_file_is_recorded_and_the_batch_goes_on(prefect_server, tmp_path):
    db = tmp_path / "store.db"
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLES / "000_867b3136689200c6.txt", folder)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 40)
    result = cli(db, "add", folder)
    assert result.exit_code == 1
    assert "broken.pdf: damaged PDF" in result.output
    store = Store(str(db))
    assert store.failures() == [("broken.pdf", store.failures()[0][1])]
    assert store.counts()["event"] > 0


def test_export_filters_and_csv(prefect_server, tmp_path):
    db = tmp_path / "store.db"
    assert cli(db, "add", EXAMPLES / "000_867b3136689200c6.txt").exit_code == 0
    figures = export_rows(db, tmp_path, "--kind", "figure", "--document", "000_867b3136689200c6.txt")
    assert figures and {r["kind"] for r in figures} == {"figure"}
    out = tmp_path / "figures.csv"
    assert cli(db, "export", "--format", "csv", "--kind", "figure", "--out", out).exit_code == 0
    header = out.read_text().splitlines()[0].split(",")
    assert {"id", "value", "unit", "evidence_text", "evidence_start"} <= set(header)


def test_export_refuses_a_corrupted_row_by_its_id(prefect_server, tmp_path):
    from sqlalchemy import update

    from briefex.output.tables import records

    db = tmp_path / "store.db"
    assert cli(db, "add", EXAMPLES / "000_867b3136689200c6.txt").exit_code == 0
    rows = export_rows(db, tmp_path, "--kind", "figure")
    victim = rows[0]
    victim["value"] = -5
    with Store(str(db)).engine.begin() as conn:
        conn.execute(update(records).where(records.c.id == victim["id"]).values(data=json.dumps(victim)))
    out = tmp_path / "after.jsonl"
    result = cli(db, "export", "--kind", "figure", "--out", out)
    assert result.exit_code == 1
    assert f"record {victim['id']} failed validation" in result.output
    assert len(out.read_text().splitlines()) == len(rows) - 1


def test_export_accepted_applies_edits_and_every_row_has_id_fingerprint_status(prefect_server, tmp_path):
    db = tmp_path / "store.db"
    assert cli(db, "add", EXAMPLES / "000_867b3136689200c6.txt").exit_code == 0
    rows = export_rows(db, tmp_path, "--kind", "figure")
    assert all(r["id"] == r["fingerprint"] and r["status"] == "pending" for r in rows)
    assert cli(db, "records", "accept", rows[0]["id"], "--reviewer", "ana").exit_code == 0
    edit = cli(db, "records", "edit", rows[1]["id"], "--set", "value=77", "--reviewer", "ana")
    assert edit.exit_code == 0, edit.output
    accepted = export_rows(db, tmp_path, "--status", "accepted")
    assert {(r["id"], r["status"]) for r in accepted} == {(rows[0]["id"], "accepted"), (rows[1]["id"], "edited")}
    assert next(r for r in accepted if r["id"] == rows[1]["id"])["value"] == 77
    listed = cli(db, "records", "list", "--status", "edited")
    assert rows[1]["id"] in listed.stdout
