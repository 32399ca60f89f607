"""Actor rules on sentences written for the genre, the Phoenix converter and office holders."""
from __future__ import annotations

import json

import pytest

from briefex.pipeline.nlp import gazetteer, load_nlp, offices
from briefex.pipeline.nlp.actors import _Paper, _person, actor_mentions, organisation_name
from briefex.pipeline.nlp.patterns import build_phoenix


def names(text: str) -> dict[str, str]:
    return {m.name: m.type for m in actor_mentions(load_nlp()(text))}


# --- not actors ---------------------------------------------------------------------------
def test_an_organisation_named_in_a_sentence_stands():
    found = names("Officials of the Northland Fisheries Organization met Norway in Oslo on May 3, 2021.")
    assert found.get("Norway") == "state"
    assert "Northland Fisheries Organization" in found


def test_a_heading_only_is_dropped():
    found = names("Baltic Fisheries Organization\n\nNorway and Sweden agreed on quotas in 2021.")
    assert "Baltic Fisheries Organization" not in found
    assert {"Norway", "Sweden"} <= set(found)


def test_titles_of_reports_and_laws_are_no_actors():
    found = names("See the Allied Planning Reports and the Coastal Defense Act. The Allied Planning "
                  "Agency approved the budget in 2020.")
    assert not any("Reports" in n or "Act" in n for n in found)
    assert "Allied Planning Agency" in found


def test_phases_and_programmes_are_no_actors():
    found = names("The program reached Milestone C in 2020 and Detailed Design began in 2021 under the "
                  "Future Combat System, while Oshkosh Defense built prototypes.")
    assert not {"Milestone C", "Detailed Design", "Future Combat System"} & set(found)
    assert "Oshkosh Defense" in found


def test_author_lines_are_no_actors_but_their_authors_are():
    found = names("The review was written in 2024.\n\nMaria T. Lindqvist, Specialist in Naval Affairs")
    assert "Maria T. Lindqvist" in found
    assert not any("Specialist" in n or n == "Naval Affairs" for n in found)


def test_a_quoted_source_title_is_no_actor():
    found = names("Source: Office of the Historian, “Visits to the Capital by Foreign Leaders & "
                  "Dignitaries,” 2019. Canada sent a delegation.")
    assert "Foreign Leaders & Dignitaries" not in found
    assert "Canada" in found


def test_phoenix_discards_are_no_actors():
    assert gazetteer.discarded("World Cup")
    assert not gazetteer.discarded("World Bank")


# --- persons ------------------------------------------------------------------------------
def test_an_office_title_is_stripped_from_the_person():
    found = names("Director of Central Planning Ilona Varga testified on May 2, 2024, that Chile "
                  "had agreed.")
    assert found.get("Ilona Varga") == "person"
    assert not any("Central Planning" in n for n in found)


def test_the_body_an_office_heads_stands():
    found = names("The Director of the Central Intelligence Agency told Congress in 2019 that Iran "
                  "and the United States had talked.")
    assert "Central Intelligence Agency" in found


def test_a_state_name_written_in_full_heads_its_institution_as_written():
    found = names("The China Coast Guard blocked a Philippine vessel in 2024.")
    assert "China Coast Guard" in found


def test_an_office_without_a_person_gives_no_person():
    found = names("The Director of Central Planning testified on May 2, 2024, that Chile had agreed.")
    assert not [n for n, t in found.items() if t == "person"]


def test_regnal_names_survive_with_their_realm():
    found = names("King Harald of Norway and Queen Elizabeth II met in London in 1994.")
    assert found.get("Harald of Norway") == "person"
    assert found.get("Elizabeth II") == "person"


def test_a_bare_royal_title_is_no_person():
    found = names("The King addressed Parliament in 1994, and Norway welcomed it.")
    assert not [n for n, t in found.items() if t == "person"]


def test_a_middle_initial_keeps_the_full_name():
    found = names("Chief of Staff Anders K. Holmqvist briefed Congress in 2023.")
    assert "Anders K. Holmqvist" in found
    assert "Anders K" not in found


def test_a_letter_and_full_stop_between_sentences_is_no_name():
    found = names("The army kept Plan B. Officials in Sweden disagreed in 2020.")
    assert not [n for n, t in found.items() if t == "person"]


# --- institutions -------------------------------------------------------------------------
def test_congress_is_the_legislature_of_the_state_the_paper_names():
    found = names("The United States raised tariffs in 2019. Congress debated U.S. trade policy, and "
                  "the United States consulted Canada.")
    assert found.get("United States Congress") == "organisation"


def test_congress_without_any_state_is_left_alone():
    found = names("Congress debated the matter at length in 2019.")
    assert "United States Congress" not in found


def test_a_state_name_heads_the_institution_it_prefixes():
    found = names("According to the U.S. Geological Survey, imports rose in 2025.")
    assert "United States Geological Survey" in found
    assert "United States Geological" not in found


def test_a_state_inside_a_longer_name_heads_nothing():
    found = names("In 2020 the Help America Vote Foundation gave grants.")
    assert "America Vote Foundation" not in found and "United States Vote Foundation" not in found


def test_a_state_adjective_before_ordinary_words_is_only_the_state():
    found = names("U.S. officials said in 2025 that imports rose.")
    assert set(found) == {"United States"}


def test_a_name_cut_at_its_and_is_one_organisation():
    found = names("In 2022 the Fleet Training and Logistics Command opened a school in Norway.")
    assert "Fleet Training and Logistics Command" in found
    assert "Logistics Command" not in found


def test_a_short_acronym_is_an_armed_group_only_where_the_paper_names_it():
    assert "Moro Islamic Liberation Front" not in names("The MILF office opened in 2020 in Norway.")
    found = names("The Moro Islamic Liberation Front (MILF) signed a deal in 2014; the MILF then disarmed.")
    assert found.get("Moro Islamic Liberation Front") == "organisation"


def test_a_typographic_apostrophe_matches_the_gazetteer():
    found = names("The People’s Republic of China tested a weapon in 2007.")
    assert "China" in found and "Taiwan" not in found


def test_a_capital_inside_a_name_is_no_state():
    assert "France" not in names("In 2019 the historian Jean Paris wrote a book.")
    assert "France" in names("In 2019 Paris and Berlin agreed on a plan.")


def test_a_kingdom_the_gazetteer_lacks_is_a_state():
    found = names("In 1850 the Kingdom of Sardinia signed a treaty with France.")
    assert found.get("Kingdom of Sardinia") == "state"


def paper(text: str = "The review was written in 2024.") -> _Paper:
    return _Paper(load_nlp()(text))


@pytest.mark.parametrize("name, body", [
    ("Office of the Secretary of", False), ("Office of the Secretary of Energy", True),
    ("Smith v. Jones Holdings", False), ("Jones Holdings", True),
    ("Agriculture, Rural Development, Food and Drug Administration", False),
    ("Agriculture, Nutrition and Forestry Committee", True),
    ("NIH Obligations", False), ("Rheinmetall Landsysteme", True),
    ("EPA Administrator", False), ("Environmental Protection Agency", True),
    ("Future Combat System", False), ("Office of Technology Assessment", True),
    ("Current Funding for Each Agency", False), ("Agency for International Development", True)])
def test_what_names_a_body(name, body):
    assert organisation_name(name, paper()) is body


@pytest.mark.parametrize("name, person", [
    ("Acadia Parish", None), ("Acadia Lindqvist", "Acadia Lindqvist"),
    ("Patrick SFB", None), ("Patrick Holmqvist", "Patrick Holmqvist"),
    ("Legal Sidebar", None), ("Subpart C", None), ("Benigno Aquino III", "Benigno Aquino III"),
    ("Corrie E. Lindqvist", "Corrie E. Lindqvist")])
def test_what_names_a_person(name, person):
    assert _person(name, paper()) == person


def test_a_byline_alone_on_its_line_is_a_person():
    found = names("Sea Power in the North\n\nJonathan Whitfield\n\nNorway expanded its fleet in 2021.")
    assert found.get("Jonathan Whitfield") == "person"


def test_a_footnote_letter_glued_to_a_name_is_the_same_person():
    found = names("Representative Robert H. Michel spoke in 1990.\n\nRobert H. Michelc | 1989")
    assert [n for n, t in found.items() if t == "person"] == ["Robert H. Michel"]


def test_the_soviet_union_is_a_state_of_its_own():
    found = names("The Soviet Union and the United States tested weapons in 1985; Russia did in 2021.")
    assert {"Soviet Union", "United States", "Russia"} <= set(found)


def test_a_national_security_council_is_not_the_un_security_council():
    found = names("The National Security Council met in 2020, and the UN Security Council in 2021.")
    assert {"National Security Council", "UN Security Council"} <= set(found)


# --- the Phoenix converter ----------------------------------------------------------------
SNIPPET_INTERNATIONAL = """\
# comment line
NORTH_SEA_FISHERIES_COMMISSION_ [IGOWEUFSH]
+NSFC
+THE_NORTH_SEA_COMMISSION
UN_ENVOY_	[IGOUNO]
"""
SNIPPET_ARMED = """\
NORTHERN_LIBERATION_FRONT_(NLF)_ [XXXREB] # added
+NORTHERN_FRONT_
BLACK_STAR_ [GRCREB]
"""
SNIPPET_COUNTRIES = """\
# Presidents of Freedonia
RUFUS_T._FIREFLY_  # CountryInfo.txt
+PRESIDENT_FIREFLY_
	[FRDELI 600101-900101]
	[FRDGOV 900101-990630]
TRENTINO_AMBASSADOR_  # CountryInfo.txt
	[FRDGOVMIL >990701]
"""


def test_phoenix_converter_on_a_snippet(tmp_path):
    (tmp_path / "i.txt").write_text(SNIPPET_INTERNATIONAL)
    (tmp_path / "a.txt").write_text(SNIPPET_ARMED)
    (tmp_path / "c.txt").write_text(SNIPPET_COUNTRIES)
    english = frozenset({"black", "star", "envoy"})
    orgs = build_phoenix.organisation_rows(
        build_phoenix.read_actors(tmp_path / "i.txt"), "ORGANISATION", {}, english,
        keep=lambda e: any(c.startswith("IGO") for c, _, _ in e.codes))
    assert {(r["pattern"], r["id"]) for r in orgs} == {
        ("North Sea Fisheries Commission", "North Sea Fisheries Commission"),
        ("NSFC", "North Sea Fisheries Commission"),
        ("North Sea Commission", "North Sea Fisheries Commission")}
    armed = build_phoenix.organisation_rows(build_phoenix.read_actors(tmp_path / "a.txt"), "ARMED_GROUP",
                                            {}, english, keep=lambda e: bool(e.codes))
    assert {r["pattern"] for r in armed} == {"Northern Liberation Front", "NLF", "Northern Front"}
    holders = build_phoenix.officeholder_rows(build_phoenix.read_actors(tmp_path / "c.txt"),
                                              {"FRD": "Freedonia"}, {})
    president = [h for h in holders if h["person"] == "Rufus T. Firefly"]
    assert [(h["role"], h["start"], h["end"]) for h in president] == [
        ("president", "1990-01-01", "1999-06-30")]
    minister = [h for h in holders if h["person"] == "Trentino Ambassador"]
    assert minister and minister[0]["sector"] == "defence" and minister[0]["end"] is None


def test_phoenix_files_are_generated_and_precise():
    rows = [json.loads(line) for line in
            (gazetteer.PATTERNS_DIR / "phoenix_organisations.jsonl").read_text().splitlines()]
    assert rows and all(len(r["pattern"]) > 2 for r in rows)
    assert len(gazetteer.ruler_patterns()) < 20000


# --- office holders -----------------------------------------------------------------------
@pytest.mark.parametrize("date, person", [
    ("2017-01-19", "Barack Obama"), ("2017-01-20", "Donald Trump"), ("2017", "Donald Trump"),
    ("2016-11", "Barack Obama"), ("1995", "Bill Clinton")])
def test_holder_across_a_term_boundary(date, person):
    assert offices.holder("United States", "president", date) == person


def test_holder_is_none_when_nobody_held_most_of_the_period():
    assert offices.holder("China", "defence_minister", "2023-11") is None   # between two ministers
    assert offices.holder("Atlantis", "president", "2020") is None


def test_role_mentions_with_their_states():
    found = offices.find_roles("Russia's defence minister met the Chinese foreign minister, and "
                               "Secretary of State Marco Rubio called the Deputy Prime Minister.")
    assert [(r.role, r.state) for r in found] == [
        ("defence_minister", "Russia"), ("foreign_minister", "China"),
        ("foreign_minister", "United States")]
    assert found[2].named == "Marco Rubio"


def test_generic_agents_have_sectors():
    assert offices.agent_sector("troops") == "military"
    assert offices.agent_sector("foreign minister") == "government"
    assert offices.agent_sector("teapot") is None
