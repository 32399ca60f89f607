"""Review: decisions, optimistic locking, and decisions that survive reprocessing."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from briefex.output.review import Review, ReviewError
from briefex.output.web.app import create_app

from .conftest import stored_text

PAPER = ("Russia and India signed a defence pact in 2016. In March 2019 the Indian Navy held drills "
         "with over 4.000 sailors. Arms sales reached 2.1 billion USD in 2018.")


@pytest.fixture
def stored(tmp_path):
    return stored_text(tmp_path, PAPER)


def first(review: Review, kind: str):
    return next(i for i in review.items(kind=kind))


def test_decisions_keep_reviewer_time_and_history(stored):
    store, *_ = stored
    review = Review(store)
    item = first(review, "event")
    done = review.decide(item.id, "accept", "ana", item.version)
    assert (done.status, done.reviewer, done.version) == ("accepted", "ana", 1) and done.decided_at
    assert [h.action for h in review.history(item.id)] == ["accept"]
    with pytest.raises(ReviewError, match="needs a reviewer name"):
        review.decide(item.id, "reject", "", done.version)


def test_the_second_of_two_concurrent_saves_is_refused(stored):
    store, *_ = stored
    review = Review(store)
    item = first(review, "figure")
    review.decide(item.id, "accept", "ana", item.version)            # both opened version 0
    with pytest.raises(ReviewError, match=f"record {item.id} was changed by ana"):
        review.decide(item.id, "reject", "ben", item.version)
    assert review.item(item.id).status == "accepted"


def test_edits_are_validated_by_the_models(stored):
    store, *_ = stored
    review = Review(store)
    item = first(review, "event")
    with pytest.raises(ReviewError, match="date_end .* comes before date"):
        review.edit(item.id, {"date_end": "1999"}, "ana", item.version)
    edited = review.edit(item.id, {"event_type": "meeting"}, "ana", item.version)
    assert (edited.status, edited.record.event_type) == ("edited", "meeting")


def test_decisions_survive_reprocessing(stored):
    store, registration, document, result = stored
    review = Review(store)
    events = [i for i in review.items(kind="event")]
    kept, moved, gone = events[0], events[1], events[2]
    review.decide(kept.id, "accept", "ana", 0)
    review.edit(moved.id, {"actors": ["India"]}, "ana", 0)
    review.decide(gone.id, "accept", "ana", 0)

    rereading = {r.id: r for r in result.records}
    new = rereading[moved.id].model_copy(update={"date": "2020"})
    new.id = "f" * 16                                             # another reading, same evidence
    records = [r for r in result.records if r.id not in (moved.id, gone.id)] + [new]
    store.write_results(registration, document, records, [], "v2", None, result.sentences, result.misses)

    assert review.item(kept.id).status == "accepted"
    assert review.item(gone.id).status == "orphaned"
    flagged = review.item(new.id)
    assert flagged.flagged and flagged.status == "edited" and flagged.record.actors == ["India"]
    assert "2020" in flagged.flag_reason and flagged.record.date != "2020"   # the reviewer's value stands
    assert review.items(kind="event", status="pending") == []


def test_added_records_and_misses(stored):
    store, registration, document, _ = stored
    review = Review(store)
    start = document.text.index("2.1 billion USD")
    added = review.add(registration.document_id, "figure", start, start + len("2.1 billion USD"),
                       {"value": 2.1e9, "unit": "USD"}, "ana")
    assert added.status == "accepted" and added.origin == "added"
    assert added.record.evidence.text.startswith("Arms sales")
    with pytest.raises(ReviewError, match="does not validate"):
        review.add(registration.document_id, "figure", start, start + 3, {"value": -1, "unit": "USD"}, "ana")


def test_state_changes_need_this_origin(stored, tmp_path):
    store, *_ = stored
    client = TestClient(create_app(store.url, reviewer="ana"), base_url="http://127.0.0.1:8765")
    item = first(Review(store), "figure")
    refused = client.post(f"/records/{item.id}/decision", data={"action": "accept", "version": 0},
                          headers={"origin": "http://evil.example"})
    assert refused.status_code == 403
    accepted = client.post(f"/records/{item.id}/decision", data={"action": "accept", "version": 0},
                           headers={"origin": "http://127.0.0.1:8765"}, follow_redirects=False)
    assert accepted.status_code == 303
    assert Review(store).item(item.id).status == "accepted"
