"""The review server's security and validation (issue 13 items 7-10): Host check against DNS
rebinding, local-only redirects, a page with the error and a 4xx for every bad form value,
calendar dates."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from briefex.output.review import Review
from briefex.output.web.app import create_app

from .hardening_helpers import stored_paper

OWN = "http://127.0.0.1:8765"


@pytest.fixture
def served(tmp_path):
    store, registration, *_ = stored_paper(tmp_path)
    client = TestClient(create_app(store.url, reviewer="ana", hosts=["127.0.0.1:8765"]), base_url=OWN)
    return client, Review(store), registration


def post(client, path, data, **kw):
    return client.post(path, data=data, headers={"origin": OWN, **kw.pop("headers", {})}, follow_redirects=False, **kw)


def test_dns_rebinding_a_foreign_host_is_refused_even_with_a_matching_origin(served):
    client, review, registration = served
    item = next(iter(review.items()))
    evil = "evil.example:8765"
    refused = client.post(f"/records/{item.id}/decision", data={"action": "accept", "version": 0},
                          headers={"host": evil, "origin": f"http://{evil}"}, follow_redirects=False)
    assert refused.status_code == 400
    assert review.item(item.id).status == "pending"
    page = client.get(f"/documents/{registration.document_id}", headers={"host": evil})
    assert page.status_code == 400 and "Russia" not in page.text
    assert client.get("/", headers={"host": "localhost:8765"}).status_code == 200
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("back", ["//evil.example/phish", "https://evil.example/", "/\\evil.example", "javascript:x"])
def test_redirects_go_only_to_local_paths(served, back):
    client, *_ = served
    answer = post(client, "/reviewer", {"name": "ana", "back": back})
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert post(client, "/reviewer", {"name": "ana", "back": "/records?kind=event"}).headers["location"] == \
        "/records?kind=event"


def test_bad_form_values_give_the_page_with_the_error_and_a_4xx(served):
    client, review, _ = served
    item = next(iter(review.items(kind="event")))
    cases = [("/records/0123456789abcdef/edit", {"date": "2017", "version": 0}, "not found"),
             (f"/records/{item.id}/edit", {"date": "2017", "version": "abc"}, "version"),
             (f"/records/{item.id}/decision", {"action": "delete", "version": 0}, "unknown action"),
             (f"/records/{item.id}/decision", {"action": "accept", "version": "abc"}, "version"),
             (f"/records/{item.id}/decision", {"version": 0}, "action"),
             (f"/documents/{item.document_id}/records", {"kind": "event", "start": "", "end": ""}, "select the words")]
    for path, data, words in cases:
        answer = post(client, path, data)
        assert 400 <= answer.status_code < 500, (path, data, answer.status_code)
        assert answer.headers["content-type"].startswith("text/html"), (path, answer.text[:200])
        assert words in answer.text, (path, data)
    assert review.item(item.id).status == "pending"


@pytest.mark.parametrize("date", ["2099-13", "2019-02-31", "0000", "9999"])
def test_page_edits_with_impossible_dates_are_refused_inline(served, date):
    client, review, _ = served
    item = next(iter(review.items(kind="event")))
    answer = post(client, f"/records/{item.id}/edit", {"date": date, "version": item.version, "reviewer_name": "ana"})
    assert answer.status_code == 422 and "date:" in answer.text and "<form" in answer.text
    assert review.item(item.id).status == "pending"
    ok = post(client, f"/records/{item.id}/edit", {"date": "2016-02-29", "version": item.version,
                                                    "reviewer_name": "ana"})
    assert ok.status_code == 303


def test_added_records_with_impossible_dates_are_refused(served):
    client, review, registration = served
    answer = post(client, f"/documents/{registration.document_id}/records",
                  {"kind": "event", "start": 0, "end": 6, "date": "2019-02-31", "event_type": "agreement",
                   "reviewer_name": "ana"})
    assert answer.status_code == 422 and "not a day of the calendar" in answer.text
