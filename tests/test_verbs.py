"""Event types from the CAMEO verb patterns, the hand-kept extras and the event nominals.

Every phrase here is made up for the test ("Country A signed a peace agreement with Country B").
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from briefex.pipeline.nlp import verbs
from briefex.pipeline.nlp.verbs import noun_type, verb_type

PATTERNS = Path(verbs.__file__).with_name("patterns")


def _load_builder():
    """patterns/ is a data folder, not a package: the builder is loaded from its path."""
    spec = importlib.util.spec_from_file_location("build_cameo", PATTERNS / "build_cameo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build_cameo = _load_builder()


def kind(*args, **kwargs) -> str | None:
    found = verb_type(*args, **kwargs)
    return found.event_type if found else None


def test_sign_agreement_is_agreement():
    # "Country A signed a peace agreement with Country B."
    found = verb_type("sign", ["agreement", "peace agreement"], [("with", "country b")])
    assert found.event_type == "agreement"
    assert found.pattern


def test_meet_is_meeting():
    assert kind("meet") == "meeting"          # "The two ministers met in the capital."


def test_criticize_is_statement():
    assert kind("criticize") == "statement"   # "The foreign ministry criticized the decision."


def test_impose_sanctions_and_tariffs_are_political():
    assert kind("impose", ["sanction", "new sanction"]) == "political"
    assert kind("impose", ["tariff"]) == "political"    # "The government imposed tariffs."


def test_attack_is_military():
    assert kind("attack") == "military"       # "Rebels attacked the garrison."


def test_sell_missiles_is_arms_transfer():
    assert kind("sell", ["missile", "cruise missile"]) == "arms_transfer"
    assert kind("sold", ["tank"]) == "arms_transfer"    # an irregular form comes back to its lemma


def test_generic_verbs_give_none():
    for lemma in ("be", "have", "make", "take", "give", "increase"):
        assert verb_type(lemma) is None, lemma
    assert verb_type("frobnicate") is None


def test_phrasal_verb():
    # "Forces carried out an attack"; "the talks were called off"
    assert kind("carry", ["attack"], particle="out") == "military"
    assert kind("call", particle="off") == "political"
    assert verb_type("carry", ["box"]) is None
    # the parser may attach the particle as a preposition: the row still applies
    assert kind("call", preps=[("off", "")]) == "political"


def test_pattern_beats_default():
    assert verb_type("withdraw").code == "080"                      # yield: political
    found = verb_type("withdraw", ["troop"])                        # "withdrew its troops"
    assert (found.event_type, found.code) == ("military", "0874")


def test_extra_rows_beat_cameo():
    # CAMEO codes "ratify a treaty" as intent to cooperate; the extras say agreement
    found = verb_type("ratify", ["treaty"])
    assert (found.event_type, found.code) == ("agreement", "extra")
    assert kind("enter", preps=[("into", "force")]) == "agreement"
    assert kind("award", ["contract"]) == "arms_transfer"
    assert kind("hold", ["exercise", "joint exercise"]) == "exercise"
    assert kind("testify") == "statement"


def test_nouns():
    assert noun_type("summit") == "meeting"
    assert noun_type("drills") == "exercise"
    assert noun_type("Sanctions") == "political"
    assert noun_type("delivery") == "arms_transfer"
    assert noun_type("weather") is None


SNIPPET = """\
&TREATY
+TREATY
+PACT
+WRITTEN_AGREEMENT

&WEAPON
+MISSILE
+KNIFE_

####### VERB PATTERNS #######

---  SIGN   [---]  ---
SIGN
INK
- * &TREATY (WITH +)                    [057]   # SIGN
- $ * {PEACE DEAL}                      [057:057]
- * (TO {BANNED PARTIES}) $             [1722]
- * ACCESS                              [---]

---  SELL   [061]  ---
SELL  {SELLS SOLD SELLING }
GIVE {GIVES GAVE GIVEN}
- * &WEAPON                             [062]
- * TRUCKS                              [061]

---  CARRY_OUT   [---]  ---
+CARRY_OUT {+CARRIES_OUT +CARRIED_OUT +CARRYING_OUT } [180]
WIRE_+TAP [171]
+KILLED_AND {}
- * {&WEAPON ATTACK}                    [190]

~ a (a b ATTACK) SAY = a b 015
"""


def test_builder_parses_a_snippet():
    rows = build_cameo.convert(SNIPPET)
    by = {(r["verb"], r["particle"], json.dumps(r["object"]), json.dumps(r["prep"])): r for r in rows}
    treaty = by[("sign", None, json.dumps(["treaty", "pact", "written agreement"]),
                 json.dumps([["with", None]]))]
    assert (treaty["code"], treaty["type"]) == ("057", "agreement")
    assert by[("ink", None, json.dumps(["peace deal"]), "null")]["type"] == "agreement"
    banned = by[("sign", None, "null", json.dumps([["to", ["banned party"]]]))]
    assert (banned["code"], banned["type"]) == ("1722", "political")
    # null code, no row; a verb whose only code is "---" gets no bare row
    assert not any(r["object"] == ["access"] for r in rows)
    assert not any(r["verb"] == "sign" and not r["object"] and not r["prep"] for r in rows)
    # block default and irregular forms; weapons sold are an arms transfer
    bare_sell = by[("sell", None, "null", "null")]
    assert (bare_sell["code"], bare_sell["type"]) == ("061", "agreement")
    assert "sold" in next(r for r in rows if r["verb"] == "sell")["forms"]
    assert by[("sell", None, json.dumps(["missile", "knife"]), "null")]["type"] == "arms_transfer"
    # a light verb gets its patterns but not the block's vague default
    assert ("give", None, "null", "null") not in by
    assert by[("give", None, json.dumps(["missile", "knife"]), "null")]["type"] == "arms_transfer"
    # multi-word verb: lemma + particle; own code; words before the verb and AND entries skipped
    assert by[("carry", "out", "null", "null")]["code"] == "180"
    attack = by[("carry", "out", json.dumps(["missile attack", "knife attack"]), "null")]
    assert attack["type"] == "military"
    assert not any(r["verb"] in {"tap", "wire", "killed", "kill"} for r in rows)


def test_builder_writes_jsonl(tmp_path):
    source = tmp_path / "CAMEO.txt"
    source.write_text(SNIPPET, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert build_cameo.main([str(source), str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows and all(set(r) >= {"verb", "code", "type", "object", "prep", "particle"} for r in rows)


@pytest.mark.parametrize("name", ["cameo_verbs.jsonl", "verbs_extra.jsonl"])
def test_shipped_verb_rows_carry_one_of_the_nine_types(name):
    lines = (PATTERNS / name).read_text(encoding="utf-8").splitlines()
    assert lines
    for line in lines:
        row = json.loads(line)
        assert row["type"] in verbs.EVENT_TYPES, line
        assert row["verb"] and row["verb"] == row["verb"].lower(), line
        assert row["code"] == "extra" if name == "verbs_extra.jsonl" else row["code"].isdigit(), line


def test_shipped_noun_rows_carry_one_of_the_nine_types():
    lines = (PATTERNS / "event_nouns.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines
    assert all(json.loads(line)["type"] in verbs.EVENT_TYPES for line in lines)


def test_licence_and_attribution_ship_with_the_data():
    text = (PATTERNS / "LICENSE.petrarch2").read_text(encoding="utf-8")
    assert "MIT License" in text and "cameo_verbs.jsonl" in text
