"""Figures in the language of security briefings, and the numbers that are not figures."""
from __future__ import annotations

import pytest

from briefex.pipeline.nlp.figures import find_figures, parse_number


def figs(text: str, hint: str | None = None):
    return [(f.value, f.value_max, f.unit, f.qualifier) for f in find_figures(text, currency_hint=hint)]


@pytest.mark.parametrize("raw, value", [("300.000", 300000), ("1,200", 1200), ("3.1", 3.1),
                                        ("2.500.000", 2500000), ("ten", 10), ("1.234,5", 1234.5)])
def test_parse_number(raw, value):
    assert parse_number(raw) == value


@pytest.mark.parametrize("text, expected", [
    ("Exports reached 4.5 billion USD last year.", (4.5e9, None, "USD", None)),
    ("The deal is worth $2.3bn over ten years.", (2.3e9, None, "USD", None)),
    ("Its share grew to 12–15 per cent of the market.", (12, 15, "percent", None)),
    ("Roughly 40% of sales went to India.", (40, None, "percent", "roughly")),
    ("Moscow deployed over 150.000 troops near the border.", (150000, None, "troops", "over")),
    ("The navy sent up to 12 warships.", (12, None, "warships", "up to")),
    ("Nearly 2,000 soldiers took part.", (2000, None, "soldiers", "nearly")),
])
def test_figures(text, expected):
    assert figs(text)[0] == expected


def test_currency_from_context():
    assert figs("Arms sales fell to 0.8 billion in 2019.", hint="USD")[0][:3] == (0.8e9, None, "USD")


def test_number_word_with_of_which_takes_the_antecedent():
    assert figs("It ordered 24 Su-35 fighters, six of which arrived in 2019.")[-1][:3] == (6, None, "Su-35 fighters")


@pytest.mark.parametrize("text", [
    "The S-400 and Su-35 and J-20 and Dongfeng-21D entered service.",
    "Article 5 of the treaty applies.",
    "Both sides marked the 21st anniversary.",
    "The two countries agreed.",
    "A 70-year anniversary was held.",
])
def test_not_figures(text):
    assert figs(text) == []


@pytest.mark.parametrize("text", [
    "The rule was amended (82 Federal Register 7149).",
    "Federal law has long barred tolls (39 Stat. 355).",
    "See 45 C.F.R. 46 and 52 U.S.C. §20981 note.",
    "H.R. 4016 would have provided funds.",
    "The 10-20-30 provision applies.",
    "See roll call votes 2 through 4.",
])
def test_citations_bill_numbers_and_codes_are_not_figures(text):
    assert figs(text) == []
