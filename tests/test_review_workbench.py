"""The review workbench below the browser: reasons, bulk, undo, notes, edit history, snapping,
misses answered, quality numbers, readable figures, actors renamed everywhere, `briefex stats`."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from briefex.output import quality as q
from briefex.output.review import Review, ReviewError, readable, snap
from briefex.output.web.app import create_app

from .test_review import PAPER, first, stored  # noqa: F401  (the fixture)


def test_reject_reason_bulk_and_undo(stored):  # noqa: F811
    store, *_ = stored
    review = Review(store)
    event, figure = first(review, "event"), first(review, "figure")
    rejected = review.decide(event.id, "reject", "ana", 0, reason="wrong date")
    assert (rejected.status, rejected.reason) == ("rejected", "wrong date")
    done, refused = review.decide_many([(figure.id, 0), (event.id, 0)], "accept", "ana")
    assert [i.id for i in done] == [figure.id] and "was changed by ana" in refused[0]
    assert review.undo("ana") == figure.id and review.item(figure.id).status == "pending"
    assert review.undo("ana") == event.id and review.item(event.id).status == "pending"
    with pytest.raises(ReviewError, match="no decision left to undo"):
        review.undo("ana")
    with pytest.raises(ReviewError, match="unknown action"):
        review.decide(event.id, "maybe", "ana", 0)


def test_undo_returns_to_the_decision_before(stored):  # noqa: F811
    store, *_ = stored
    review = Review(store)
    event = first(review, "event")
    review.decide(event.id, "accept", "ana", 0)
    review.edit(event.id, {"event_type": "meeting"}, "ana", 1)
    review.undo("ana")
    back = review.item(event.id)
    assert back.status == "accepted" and back.record.event_type == event.record.event_type
    assert [h["action"] for h in review.changes(event.id)] == ["accept", "edit", "undo"]


def test_history_shows_what_an_edit_changed_and_notes_keep_a_record_pending(stored):  # noqa: F811
    store, *_ = stored
    review = Review(store)
    figure = first(review, "figure")
    noted = review.set_note(figure.id, "check the annex", "ana")
    assert (noted.status, noted.note) == ("pending", "check the annex")
    review.edit(figure.id, {"qualifier": "about", "value": 4100.0}, "ana", noted.version)
    edit = review.changes(figure.id)[-1]
    assert ("qualifier", figure.record.qualifier, "about") in edit["changes"]
    assert ("value", f"{figure.record.value:g}", "4100") in edit["changes"]
    assert review.item(figure.id).note == "check the annex"


def test_selection_snaps_to_whole_words():
    text = "Arms sales reached 2.1 billion USD in 2018."
    start = text.index("ales")
    assert text[slice(*snap(text, start, start + 8))] == "sales reached"
    assert snap(text, 0, 6) == (0, 10) and snap(text, 0, 5) == (0, 4)


def test_misses_dismissed_and_converted_are_counted(stored):  # noqa: F811
    store, registration, document, result = stored
    (a, b), (c, d) = result.sentences[1], result.sentences[2]
    kept = [r for r in result.records if r.kind == "actor" or r.evidence.start not in (a, c)]
    misses = [{"start": a, "end": b, "cues": ["count"]}, {"start": c, "end": d, "cues": ["money"]}]
    store.write_results(registration, document, kept, [], "v1", None, result.sentences, misses)
    review = Review(store)
    assert [m["state"] for m in q.miss_states(review)] == ["open", "open"]
    q.dismiss(review, registration.document_id, a, b, "ana")
    start = document.text.index("2.1 billion USD")
    review.add(registration.document_id, "figure", start, start + 15, {"value": 2.1e9, "unit": "USD"}, "ana")
    assert [m["state"] for m in q.miss_states(review)] == ["dismissed", "converted"]
    report = q.quality(review)
    assert report["misses"] == {"total": 2, "open": 0, "dismissed": 1, "converted": 1}
    assert report["recall"]["missed_share_of_reviewed_misses"] == 0.5
    q.dismiss(review, registration.document_id, a, b, "ana", undo=True)
    assert q.quality(review)["misses"]["dismissed"] == 0


def test_quality_estimates(stored):  # noqa: F811
    store, registration, document, _ = stored
    review = Review(store)
    events = review.items(kind="event")
    review.decide(events[0].id, "accept", "ana", 0)
    review.decide(events[1].id, "reject", "ana", 0)
    start = document.text.index("4.000 sailors")
    review.add(registration.document_id, "figure", start, start + 13, {"value": 4000.0, "unit": "sailors"}, "ana")
    report = q.quality(review)
    kind = next(r for r in report["precision"] if (r["by"], r["value"]) == ("kind", "event"))
    assert (kind["accepted"], kind["reviewed"], kind["precision"]) == (1, 2, 0.5)
    assert report["recall"] == {**report["recall"], "found": 1, "added": 1, "estimate": 0.5}


def test_figures_read_as_analysts_write_them():
    def figure(value, value_max=None, unit="USD", qualifier=None):
        return SimpleNamespace(kind="figure", value=value, value_max=value_max, unit=unit, qualifier=qualifier)
    assert readable(figure(9.2e12)) == "9.2 trillion USD"
    assert readable(figure(34, 60, "percent")) == "34-60 %"
    assert readable(figure(300000, unit="troops", qualifier="over")) == "over 300,000 troops"
    assert readable(figure(2.1e9, 3e9)) == "2.1-3 billion USD"


def test_actor_renamed_everywhere(stored):  # noqa: F811
    store, *_ = stored
    review = Review(store)
    actors = review.actors()
    name = actors[0]["name"]
    assert review.rename_actor(name, "Renamed State", None, "ana") == actors[0]["records"]
    assert "Renamed State" in {a["name"] for a in review.actors()}
    assert all(i.status == "edited" for i in review.items(kind="actor", actor="Renamed State"))


def test_web_routes_answer_fetch_calls_with_json(stored):  # noqa: F811
    store, *_ = stored
    client = TestClient(create_app(store.url, reviewer="ana"), base_url="http://127.0.0.1:8765")
    own = {"origin": "http://127.0.0.1:8765", "x-briefex": "fetch"}
    review = Review(store)
    event, figure = first(review, "event"), first(review, "figure")
    answer = client.post(f"/records/{event.id}/decision", data={"action": "reject", "version": 0,
                                                               "reason": "duplicate"}, headers=own)
    assert answer.json() == {"id": event.id, "status": "rejected", "version": 1, "reason": "duplicate",
                             "flagged": False}
    bulk = client.post("/records/bulk", data={"action": "accept", "ids": [f"{figure.id}:0"]}, headers=own)
    assert bulk.json()["decided"][0]["status"] == "accepted"
    assert client.post("/undo", headers=own).json()["status"] == "pending"
    for path in ("/quality", "/actors", "/misses?state=all", "/timeline?actor=India;Russia"):
        assert client.get(path).status_code == 200, path
    page = client.get(f"/documents/{event.document_id}").text
    assert 'class="rec k-event' in page and 'class="pagebreak"' in page


def test_stats_command(stored, tmp_path):  # noqa: F811
    from typer.testing import CliRunner

    from briefex.cli import app

    store, *_ = stored
    review = Review(store)
    review.decide(first(review, "event").id, "accept", "ana", 0)
    result = CliRunner().invoke(app, ["--db", store.url.removeprefix("sqlite:///"), "stats", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["statuses"]["accepted"] == 1


def test_one_paper_two_files(stored, tmp_path):  # noqa: F811
    from briefex.pipeline.extract import extract
    from briefex.sources import ingest

    from .conftest import make_pdf

    store, registration, *_ = stored
    # the same paper as a PDF (another media type: a second source, not a new version)
    lines = [(72, 72 + 14 * n, s + ".") for n, s in enumerate((PAPER + " The talks ended").split(". "))]
    for name, text in (("paper copy.pdf", None), ("other.txt", "Nothing alike at all here.")):
        path = tmp_path / name
        if text is None:
            make_pdf(path, [lines])
        else:
            path.write_text(text)
        again = store.register(path.read_bytes(), path)
        document = ingest(path)
        result = extract(document)
        store.write_results(again, document, result.records, [], "v1", None, result.sentences, result.misses)
    review = Review(store)
    papers, names = review.papers(), {n: d for d, n in review.document_names().items()}
    assert papers[names["paper copy.pdf"]] == papers[names["paper.txt"]] != papers[names["other.txt"]]
    assert review.items(document="paper copy.pdf") and review.items(document="paper.txt")
