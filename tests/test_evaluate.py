"""briefex evaluate: scoring against gold files an analyst wrote for their own paper."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from briefex.cli import app
from briefex.pipeline.evaluate import evaluate

PAPER = ("India and France signed a defence pact in 2016. In March 2019 the Indian Navy and the "
         "French Navy held drills off Goa with over 4.000 sailors.")
GOLD = {
    "document": "paper.txt",
    "actors": [{"name": "India", "aliases": ["Indian"]}, {"name": "France", "aliases": ["French"]},
               {"name": "Pakistan"}],
    "events": [{"date": "2016", "type": "agreement", "actors": ["India", "France"],
                "evidence": "India and France signed a defence pact in 2016"},
               {"date": "2019-03", "type": "exercise", "actors": ["India", "France"],
                "evidence": "held drills off Goa"}],
    "figures": [{"value": 4000, "unit": "sailors", "evidence": "with over 4.000 sailors"}],
}


def record(kind, **fields):
    sentence = PAPER.split(". ")[1] if kind != "actor" else PAPER
    return {"kind": kind, "document": "paper.txt", "evidence": {"text": sentence, "start": 0,
                                                                   "end": len(sentence)}, **fields}


def test_scores_per_kind(tmp_path):
    (tmp_path / "paper.json").write_text(json.dumps(GOLD))
    records = [record("actor", name="India"), record("actor", name="French"), record("actor", name="Spain"),
               record("event", date="2019-03", event_type="exercise", actors=["India", "France"]),
               record("figure", value=4000, unit="sailors"), record("figure", value=2, unit="navies")]
    report, missing = evaluate(records, tmp_path)
    assert missing == []
    assert (report.kinds["actor"].tp, report.kinds["actor"].fp, report.kinds["actor"].fn) == (2, 1, 1)
    assert (report.kinds["event"].tp, report.kinds["event"].fn) == (1, 1)
    assert (report.kinds["figure"].tp, report.kinds["figure"].fp) == (1, 1)
    assert report.event_dates_exact == 1 and report.event_types_right == 1


def test_scores_each_document_as_well_as_the_totals(tmp_path):
    (tmp_path / "paper.json").write_text(json.dumps(GOLD))
    (tmp_path / "other.json").write_text(json.dumps({**GOLD, "document": "other.txt"}))
    records = [record("actor", name="India"),
               {**record("actor", name="Pakistan"), "document": "other.txt"}]
    report, _ = evaluate(records, tmp_path)
    assert set(report.documents) == {"paper", "other"}
    assert report.documents["paper"].kinds["actor"].tp == 1
    assert report.documents["other"].kinds["actor"].fn == 2
    assert report.kinds["actor"].tp == 2 and report.kinds["actor"].fn == 4


def test_cli_extracts_and_scores(tmp_path, prefect_server):
    (tmp_path / "paper.txt").write_text(PAPER)
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "paper.json").write_text(json.dumps(GOLD))
    result = CliRunner().invoke(app, ["evaluate", "--gold", str(gold), str(tmp_path / "paper.txt")])
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.count("│") > 3}
    assert {"actor", "event", "figure"} <= set(rows)
    assert "1.000" in rows["figure"]
    assert "per document" in result.stdout and any(line.split("│")[1].strip() == "paper"
                                                   for line in result.stdout.splitlines() if "│" in line)


def test_united_states_is_us_inside_longer_names(tmp_path):
    gold = {**GOLD, "actors": [{"name": "U.S. Department of Energy", "aliases": []}]}
    (tmp_path / "paper.json").write_text(json.dumps(gold))
    report, _ = evaluate([record("actor", name="United States Department of Energy")], tmp_path)
    assert report.kinds["actor"].tp == 1 and report.kinds["actor"].fp == 0
