"""Events from the dependency parse: each rule on sentences made up for the test."""
from __future__ import annotations

import pytest

from briefex.models import IngestedDocument
from briefex.pipeline.extract import analyse


def events(text: str, published: str | None = None):
    document = IngestedDocument(path="t.txt", name="t.txt", sha256="0" * 64, media_type="text/plain",
                                text=text, pages=[],
                                publication_date=published)
    return [(e.date.date, e.event_type, e.trigger, e.actors) for e in analyse(document)._.events]


def test_date_attaches_to_the_verb_that_governs_it():
    found = events("On 3 May 2019, Japan signed a defence agreement with India.")
    assert found == [("2019-05-03", "agreement", "signed", ("Japan", "India"))]


def test_a_reporting_verb_is_a_statement_and_its_clause_is_no_event():
    found = events("The minister testified on 4 March 2021 that Brazil had not acquired submarines.")
    assert [(d, t, w) for d, t, w, _ in found] == [("2021-03-04", "statement", "testified")]


def test_a_negated_predicate_is_no_happening():
    assert events("Peru has not ratified the convention since 2011.") == []


def test_conjoined_predicates_each_get_an_event():
    found = events("In 2014, Chile signed a treaty with Peru and held joint naval exercises.")
    assert [(d, t) for d, t, _, _ in found] == [("2014", "agreement"), ("2014", "exercise")]
    assert found[1][3][0] == "Chile"   # the conjoined verb shares its subject


def test_one_date_is_not_lent_to_every_verb_of_a_long_sentence():
    found = events("After talks that lasted for weeks, Norway deployed two frigates in 2020, "
                   "which analysts said would deter Russia.")
    assert [(d, w) for d, _, w, _ in found] == [("2020", "deployed")]


def test_verbs_of_measure_are_no_happening_unless_their_subject_is_one():
    assert events("Exports from Kenya grew by 4% in 2022.") == []
    assert [(d, t) for d, t, _, _ in events("Arms sales to Peru reached $2 billion in 2018.")] == \
        [("2018", "arms_transfer")]


def test_a_date_naming_a_document_or_a_validity_period_is_no_event():
    assert events("The 2015 Defence Strategy states that deterrence matters.") == []
    assert events("Ghana adopted a plan for the years 2017-2020.") == [] or \
        all(d != "2017" for d, *_ in events("Ghana adopted a plan for the years 2017-2020."))


def test_an_event_noun_carries_the_date_it_is_modified_by():
    found = events("Delegates prepared for the July 2016 summit in Warsaw.")
    assert [(d, t, w) for d, t, w, _ in found] == [("2016-07", "meeting", "summit")]


def test_a_temporal_clause_dates_its_main_clause():
    found = events("When Mali left the bloc in 2023, Niger recalled its ambassador.")
    assert {w for _, _, w, _ in found} == {"left", "recalled"}


@pytest.mark.parametrize("sentence", [
    "Canada sent observers to Estonia in 2018.",
    "In 2018, Canada sent observers to Estonia.",
])
def test_participants_come_from_the_arguments(sentence):
    [(_, _, _, actors)] = events(sentence)
    assert set(actors) == {"Canada", "Estonia"}


def test_sources_are_not_participants():
    [(_, _, _, actors)] = events("According to Germany, Turkey launched strikes in March 2020.")
    assert actors == ("Turkey",)


def test_table_rows_are_sentences_and_each_dated_cell_an_event():
    text = "Step | First | Second\n\nTreaty signed | May 4, 2001 | June 9, 2005\n\nAfter."
    found = events(text)
    assert [(d, t) for d, t, _, _ in found] == [("2001-05-04", "agreement"), ("2005-06-09", "agreement")]


def test_a_row_led_by_its_date_takes_the_kind_of_its_table_caption():
    text = ("Table 2. Visits by Heads of State\n\nDate | Guest | Country\n\n"
            "March 3, 1999 | Queen Anna | Kingdom of Oslandia\n\nLater text.")
    assert [(d, t) for d, t, _, _ in events(text)] == [("1999-03-03", "meeting")]


def test_a_header_row_names_columns_not_happenings():
    assert events("Table 3. Tariff actions\n\n | Steel (2017) | Copper (2025)\n\nEnd.") == []


def test_a_year_inside_a_proper_name_and_a_document_line_are_no_events():
    assert events("Tariffs were raised under the Trade Act of 1974.") == []
    assert events("Updated April 21, 2026\n\nThe report follows.") == []
    assert events("Source: a photograph at the ministry's site, accessed February 3, 2021.") == []


def test_an_office_named_without_its_holder_resolves_for_the_event_date():
    [(_, _, _, actors)] = events("France and Germany held talks. In May 2015, the French foreign minister "
                                 "visited Berlin.")
    assert "Laurent Fabius" in actors and "France" in actors


def test_a_long_text_is_analysed_in_pieces_with_offsets_kept():
    from briefex.pipeline.extract import extract, pieces_of

    paragraph = "Japan signed a defence agreement with India in 2014. Exports reached 40% in 2015."
    text = "\n\n".join([paragraph] * 6)
    assert [b - a for a, b in pieces_of(text, 200)][:1] == [text.index("\n\n", 100) + 2]
    document = IngestedDocument(path="t.txt", name="t.txt", sha256="0" * 64, media_type="text/plain",
                                text=text, pages=[])
    whole, cut = extract(document), extract(document, piece_chars=200)
    def facts(extraction):
        return sorted((r.kind, r.evidence.start, r.evidence.end, r.evidence.sentence, r.evidence.span_start)
                      for r in extraction.records if r.kind != "actor")
    assert facts(cut) == facts(whole) and len(facts(whole)) == 12
    assert all(text[r.evidence.start:r.evidence.end] == r.evidence.text for r in cut.records)


def test_briefex_load_shows_each_stage_on_the_doc():
    import briefex

    doc = briefex.load()("In March 2019, Chile bought 12 frigates from Spain.")
    assert [s._.date.date for s in doc.spans["dates"]] == ["2019-03"]
    assert [(s._.figure.value, s._.figure.unit) for s in doc.spans["figures"]] == [(12, "frigates")]
    assert {s._.actor.name for s in doc.spans["actors"]} == {"Chile", "Spain"}
    assert [(e.event_type, e.actors) for e in doc._.events] == [("arms_transfer", ("Chile", "Spain"))]


def test_a_row_led_by_a_year_under_a_caption_naming_no_happening_is_statistics():
    text = "Table 4. Counties in Poverty by Year\n\nYear | Counties | Share\n\n2015 | 386 | 12%\n\nEnd."
    assert events(text) == []


def test_a_table_label_a_few_lines_up_is_the_caption_of_rows_after_loose_header_cells():
    text = ("Table 5. Visits by Heads of State\n\nDate\n\nGuest\n\nMarch 3, 1999 Queen Anna\n\n"
            "May 4, 2001 | King Bo | Kingdom of Oslandia\n\nLater text.")
    assert ("2001-05-04", "meeting") in [(d, t) for d, t, _, _ in events(text)]
