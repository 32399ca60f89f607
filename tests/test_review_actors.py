"""Actors reviewed once (issue 14): one record per actor and document with every mention in it;
the list shows the count and expands to each mention; a rename on the actors page reaches the
events that name the actor; exports carry each mention with its actor's decision."""
from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from briefex.output.review import Review
from briefex.output.web.app import create_app

from .conftest import serving, stored_text
from .hardening_helpers import cli

PAPER = ("Russia and China signed a defence pact in 2016. In March 2019 Russia held drills with China "
         "near Vladivostok. Moscow sold 24 fighter jets to Beijing in 2018 for 2 billion USD.")
OWN = "http://127.0.0.1:8765"


@pytest.fixture
def stored(tmp_path):
    store, _, _, result = stored_text(tmp_path, PAPER)
    return store, Review(store), result


def _actor(review: Review, name: str):
    return next(i for i in review.items(kind="actor") if i.record.name == name)


def test_one_record_per_actor_lists_every_mention(stored):
    _, review, result = stored
    russia = [r for r in result.records if r.kind == "actor" and r.name == "Russia"]
    assert len(russia) == 1
    mentions = russia[0].mentions
    assert [m.text for m in mentions][:2] == ["Russia", "Russia"] and len(mentions) >= 3   # Moscow too
    assert mentions[0].start == russia[0].evidence.span_start                             # first = evidence
    for m in mentions:
        assert PAPER[m.start:m.end] == m.text and m.sentence_start <= m.start < m.end <= m.sentence_end


def test_list_and_api_show_count_and_every_mention(stored):
    store, review, _ = stored
    client = TestClient(create_app(store.url, reviewer="ana"), base_url=OWN)
    russia = _actor(review, "Russia")
    page = client.get("/records?kind=actor")
    row = page.text.split(f'data-id="{russia.id}"')[1].split("</tr>")[0]
    count = len(russia.record.mentions)
    assert f"{count} mentions" in row and row.count("<li>") == count and "<mark" in row
    api = client.get(f"/records/{russia.id}/mentions").json()
    assert api["count"] == count and api["name"] == "Russia" and api["type"] == "state"
    assert [m["text"] for m in api["mentions"]] == [m.text for m in russia.record.mentions]
    assert all(m["sentence"] for m in api["mentions"])
    assert api["first_evidence"] == russia.record.evidence.text
    detail = client.get(f"/records/{russia.id}")
    assert f"{count} mentions in this document" in detail.text


def test_rename_reaches_event_actors_without_deciding_them(stored, tmp_path):
    store, review, _ = stored
    events = [i for i in review.items(kind="event") if "Russia" in i.record.actors]
    assert events
    decided = review.decide(events[0].id, "reject", "bo", events[0].version)
    client = TestClient(create_app(store.url, reviewer="ana"), base_url=OWN)
    done = client.post("/actors/rename", data={"name": "Russia", "new_name": "Russian Federation", "type": ""},
                       headers={"origin": OWN}, follow_redirects=False)
    assert done.status_code == 303
    assert _actor(review, "Russian Federation").status == "edited"
    for before in events:
        after = review.item(before.id)
        assert "Russia" not in after.record.actors and "Russian Federation" in after.record.actors
        assert after.status == ("rejected" if before.id == decided.id else "pending")
    # a decision after the rename keeps the new name; the history says what happened
    pending = next(i for i in (review.item(e.id) for e in events) if i.status == "pending")
    review.decide(pending.id, "accept", "ana", pending.version)
    assert review.item(pending.id).record.actors.count("Russian Federation") == 1
    assert any(h.action == "actor renamed" for h in review.history(pending.id))
    # the merge: renaming into a name the event already has leaves one entry
    client.post("/actors/rename", data={"name": "China", "new_name": "Russian Federation", "type": ""},
                headers={"origin": OWN})
    assert all(review.item(e.id).record.actors.count("Russian Federation") == 1 for e in events)


def test_exports_carry_mentions_with_the_actor_decision(stored, tmp_path):
    store, review, _ = stored
    russia = _actor(review, "Russia")
    review.decide(russia.id, "accept", "ana", russia.version)
    db = str(tmp_path / "store.db")
    out = tmp_path / "out.jsonl"
    assert cli("export", "--format", "jsonl", "--kind", "actor", "--status", "accepted", "--out", out,
               db=db).exit_code == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 1 and rows[0]["status"] == "accepted" and rows[0]["name"] == "Russia"
    assert len(rows[0]["mentions"]) == len(russia.record.mentions)
    out_csv = tmp_path / "out.csv"
    assert cli("export", "--format", "csv", "--kind", "actor", "--out", out_csv, db=db).exit_code == 0
    row = next(r for r in csv.DictReader(io.StringIO(out_csv.read_text())) if r["name"] == "Russia")
    assert json.loads(row["mentions"].split("; ")[0])["text"] == "Russia"


def test_mentions_expand_in_a_real_browser(stored, page):
    store, review, _ = stored
    russia = _actor(review, "Russia")
    with serving(create_app(store.url, reviewer="ana")) as url:
        page.goto(f"{url}/records?kind=actor")
        row = page.locator(f'tr[data-id="{russia.id}"]')
        items = row.locator("details.mentions li")
        assert not items.first.is_visible()
        row.locator("details.mentions summary").click()
        assert items.count() == len(russia.record.mentions) and items.first.is_visible()
        # a decision on the row is the actor's, for all its mentions
        page.keyboard.press("j")
        rows = page.locator("tr[data-id]").evaluate_all("rs => rs.map(r => r.dataset.id)")
        for _ in range(rows.index(russia.id)):
            page.keyboard.press("j")
        page.keyboard.press("a")
        row.locator(".status", has_text="accepted").wait_for()
        assert review.item(russia.id).status == "accepted"
        # the actors page: a rename reaches the events
        page.goto(f"{url}/actors")
        form = page.locator('tr[data-actor="Russia"] form')
        form.locator("input[name=new_name]").fill("Russian Federation")
        with page.expect_navigation():
            form.locator("button").click()
        assert any("Russian Federation" in e.record.actors for e in review.items(kind="event"))
