"""Actors and events through the real spaCy pipeline, on sentences written for the genre."""
from __future__ import annotations

import pytest

from briefex.models import IngestedDocument, Page
from briefex.pipeline.extract import extract


def run(text: str, publication: str | None = None):
    document = IngestedDocument(path="t.txt", name="t.txt", sha256="0" * 64, media_type="text/plain",
                                text=text, pages=[Page(number=1, start=0, end=len(text))],
                                publication_date=publication)
    result = extract(document)
    assert not result.rejected
    return result.records


def kind(records, k):
    return [r for r in records if r.kind == k]


def test_aliases_resolve_to_canonical_names():
    records = run("Beijing and Moscow deepened ties while Washington watched. Sino-Indian talks stalled.")
    names = {a.name for a in kind(records, "actor")}
    assert {"China", "Russia", "United States", "India"} <= names


def test_surname_merges_with_full_name_and_titles_are_dropped():
    records = run("Prime Minister Anders Halvorsen visited Oslo in 2019. Later Halvorsen spoke again.")
    people = [a for a in kind(records, "actor") if a.type == "person"]
    assert [p.name for p in people] == ["Anders Halvorsen"]


def test_no_junk_actors():
    records = run("The S-400 system and the 2015 Military Strategy were discussed in 2016 by NATO.")
    names = {a.name for a in kind(records, "actor")}
    assert not any(ch.isdigit() for n in names for ch in n)
    assert "North Atlantic Treaty Organization" in names


def test_two_dates_two_events_with_types():
    records = run("India and Russia signed the contract in 2018 and the first deliveries arrived in 2021.")
    events = kind(records, "event")
    assert [(e.date, e.event_type) for e in events] == [("2018", "agreement"), ("2021", "arms_transfer")]
    assert set(events[0].actors) == {"India", "Russia"}


def test_document_year_is_not_an_event():
    records = run("The 2019 Defence White Paper states that deterrence matters.")
    assert kind(records, "event") == []


def test_event_after_a_connective_takes_the_preceding_date():
    records = run("North Korea tested a missile in July 2017. After the launch, China and Russia issued a joint statement.")
    statement = [e for e in kind(records, "event") if e.event_type == "statement"]
    assert statement and statement[0].date == "2017-07"
    assert "nearest preceding date" in statement[0].date_reason


def test_evidence_is_the_sentence_with_offsets():
    text = "Background. China and Russia held naval drills in the Baltic Sea in July 2017."
    records = run(text)
    event = kind(records, "event")[0]
    assert event.event_type == "exercise"
    assert text[event.evidence.start:event.evidence.end] == event.evidence.text
    assert event.evidence.text.startswith("China and Russia")
    assert event.location and "Baltic" in event.location


@pytest.mark.parametrize("sentence, unit", [("Russia sent 3 frigates to the drills in 2016.", "frigates")])
def test_figures_carry_their_date(sentence, unit):
    figure = kind(run(sentence), "figure")[0]
    assert figure.unit == unit and figure.date == "2016"


@pytest.mark.parametrize("sentence, counted", [
    ("Phase 1 consists of market research and requirements.", []),
    ("Tier 2 covers the remaining partners.", []),
    ("About 50 advisers arrived in 2016.", ["advisers"]),
    ("All 27 members signed the statement.", ["members"]),
])
def test_a_capitalised_noun_opening_a_sentence_names_the_number_after_it(sentence, counted):
    assert [f.unit for f in kind(run(sentence), "figure")] == counted


def events_of(text: str):
    return [(e.date, e.event_type, tuple(sorted(e.actors))) for e in kind(run(text), "event")]


def test_a_date_opening_a_list_gives_one_event_per_item():
    found = events_of("Cooperation grew fast. In 2019: a naval exercise off Crete, new arms sales and a summit.")
    assert {t for _, t, _ in found} == {"exercise", "arms_transfer", "meeting"}
    assert all(d == "2019" for d, _, _ in found)


def test_a_subordinate_clause_holds_a_second_happening():
    found = events_of("When Narendra Modi was elected in 2014, he chose Japan for his first state visit.")
    assert [t for _, t, _ in found] == ["political", "meeting"]
    assert "India" in found[1][2] and "Japan" in found[1][2]


def test_forces_and_agencies_take_part_with_their_state():
    found = events_of("In March 2021 the Indian Navy held drills with the Japan Self-Defense Forces.")
    assert found == [("2021-03", "exercise", ("India", "Indian Armed Forces", "Japan", "Japan Self-Defense Forces"))]


def test_a_statement_takes_part_with_what_it_is_about():
    found = events_of("On March 4, 2026, the IAEA said that Iran had blocked inspectors.")
    assert found == [("2026-03-04", "statement", ("International Atomic Energy Agency", "Iran"))]


def test_sources_and_venues_are_not_participants():
    found = events_of("According to Anna Keller, Joe Biden gave a speech at the Munich Security Conference in February 2021.")
    assert found[0][1] == "statement"
    assert "Anna Keller" not in found[0][2] and "Munich Security Conference" not in found[0][2]


def test_delivering_a_speech_is_not_an_arms_delivery():
    assert events_of("In May 2019 Emmanuel Macron delivered his speech on Europe.")[0][1] == "statement"


def test_quoted_text_tells_no_happening():
    found = events_of("Russia and India signed the accord in 2005, which says: “the parties shall hold consultations and exercises”.")
    assert [t for _, t, _ in found] == ["agreement"]
