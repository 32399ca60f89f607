"""`briefex dates`: one line per date expression, offsets into the text `briefex ingest` prints,
and the spaCy component's tense and spans behind it."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from briefex.cli import app
from briefex.pipeline.nlp.dates import read_dates

runner = CliRunner()
TEXT = ("Published April 22, 2026\n\nThe ministers met on Friday. Last month's summit failed.\n\n"
        "In 2009-2010 spending rose. Now the FY2027 request is due by the end of the year.\n")


def _rows(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_json_lines_with_offsets_into_the_ingested_text(tmp_path):
    path = tmp_path / "brief.txt"
    path.write_text(TEXT, encoding="utf-8")
    rows = _rows(runner.invoke(app, ["dates", "--json", str(path)]))
    text = runner.invoke(app, ["ingest", str(path)]).stdout
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)
    assert set(rows[0]) == {"document", "start", "end", "text", "date", "date_end", "precision", "mod", "reason"}
    got = {r["text"]: (r["date"], r["precision"]) for r in rows}
    assert got["Friday"] == ("2026-04-17", "day")
    assert got["Last month"] == ("2026-03", "month")
    assert got["2009"] == ("2009", "year") and got["2010"] == ("2010", "year")
    assert got["Now"] == ("PRESENT_REF", "present")
    assert got["FY2027"] == ("FY2027", "year")
    end = next(r for r in rows if r["text"] == "the end of the year")
    assert (end["date"], end["mod"]) == ("2026", "END")


def test_anchor_stands_in_for_the_publication_date(tmp_path):
    path = tmp_path / "brief.txt"
    path.write_text("The ministers met last week.\n", encoding="utf-8")
    rows = _rows(runner.invoke(app, ["dates", "--json", "--anchor", "1998-02-16", str(path)]))
    assert [(r["text"], r["date"], r["precision"]) for r in rows] == [("last week", "1998-W07", "week")]
    assert "1998-02-16" in rows[0]["reason"]


def test_no_publication_date_no_anchor_says_so(tmp_path):
    path = tmp_path / "brief.txt"
    path.write_text("The ministers met last week.\n", encoding="utf-8")
    row, = _rows(runner.invoke(app, ["dates", "--json", str(path)]))
    assert row["date"] is None and "does not state" in row["reason"]


def test_table_and_bad_anchor(tmp_path):
    path = tmp_path / "brief.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = runner.invoke(app, ["dates", str(path)])
    assert result.exit_code == 0 and "precision" in result.stdout and "PRESENT_REF" in result.stdout
    assert runner.invoke(app, ["dates", "--anchor", "April 1", str(path)]).exit_code == 2
    impossible = runner.invoke(app, ["dates", "--anchor", "2026-13-01", str(path)])
    assert impossible.exit_code == 2 and "no month 13" in impossible.output


def test_the_parse_tells_the_tense():
    text = "In August, the council adopted the plan. In August, the council will vote again."
    got = [(m.text, m.value) for m in read_dates(text, "2026-04-22")]
    assert got == [("August", "2025-08"), ("August", "2026-08")]


def test_present_and_infinitives_look_ahead_participles_back():
    """Published on a Wednesday: a present-tense clause or an infinitive under "expected"
    points ahead; a participle modifying a noun looks back, unless it sets a target ("for")."""
    text = ("The summit opens on Friday. Ministers are expected to meet on Monday. "
            "The talks, held on Monday, failed. A vote scheduled for March was postponed. "
            "The law passed in March has lapsed. The agency has grown since February.")
    got = [(m.text, m.value, m.reason.split(", ")[-1]) for m in read_dates(text, "2026-04-22")]
    assert got == [("Friday", "2026-04-24", "present-tense clause"),
                   ("Monday", "2026-04-27", "future-tense clause"),
                   ("Monday", "2026-04-20", "past-tense clause"),
                   ("March", "2027-03", "future-tense clause"),
                   ("March", "2026-03", "past-tense clause"),
                   ("February", "2026-02", "perfect-tense clause")]


def test_a_date_in_a_present_clause_tells_no_story():
    text = "The plan sets a goal for 2030. It replaced a strategy that was adopted in October."
    assert [(m.text, m.value) for m in read_dates(text, "2026-04-22")][-1] == ("October", "2025-10")


def test_a_date_after_for_schedules_a_happening():
    text = "The president called an election for March 15. The treaty, due to expire on Feb. 5, was discussed."
    got = [(m.text, m.value) for m in read_dates(text, "2026-04-22")]
    assert got == [("March 15", "2027-03-15"), ("Feb. 5", "2027-02-05")]
