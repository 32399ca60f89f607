"""Dates as policy papers write them, normalised with precision and a reason."""
from __future__ import annotations

import re

import pytest

from briefex.pipeline.nlp.dates import find_dates


def dates(text: str, publication: str | None = None):
    sentences = [(m.start(), m.end()) for m in re.finditer(r".+?(?:\.(?=\s|$)|$)", text)]
    return [(d.text, d.date, d.date_end, d.precision) for d in find_dates(text, sentences, publication)]


@pytest.mark.parametrize("text, expected", [
    ("NATO enlarged in 2004.", ("2004", None, "year")),
    ("The summit took place on 9 July 2016.", ("2016-07-09", None, "day")),
    ("It was ratified on March 3, 2011.", ("2011-03-03", None, "day")),
    ("Sanctions followed in August 2014.", ("2014-08", None, "month")),
    ("The base opened in the spring of 2017.", ("2017-03", "2017-05", "season")),
    ("Patrols began in the late 1990s.", ("1997", "1999", "decade")),
    ("Sales rose in the early 2010s.", ("2010", "2013", "decade")),
    ("The programme ran from 2011 to 2015.", ("2011", "2015", "range")),
    ("The plan covers 2021–2025.", ("2021", "2025", "range")),
    ("Budgets grew between 1999 and 2006.", ("1999", "2006", "range")),
])
def test_explicit_dates(text, expected):
    assert dates(text)[0][1:] == expected


def test_model_names_and_decimals_are_not_years():
    assert dates("The Zapad-2021 drills and the 2015.5 figure and $2010 cost.") == []


def test_relative_dates_use_the_nearest_preceding_date():
    found = dates("The crisis began in March 2014. In the same year, sanctions came. In September, talks resumed.")
    assert found[1][1] == "2014" and found[2][1] == "2014-09"


def test_this_year_needs_a_publication_date():
    assert dates("Deliveries are due this year.", publication="2019-05")[0][1] == "2019"
    assert dates("Deliveries are due this year.")[0][1:] == (None, None, "unresolved")


def test_years_later():
    assert dates("The pact was signed in 2008. Two years later it lapsed.")[1][1] == "2010"


def test_reason_names_the_anchor():
    text = "The talks began in 2015. In May, a deal came."
    sentences = [(0, 24), (25, len(text))]
    found = find_dates(text, sentences)
    assert "nearest preceding date '2015'" in found[1].reason
    assert found[0].reason.startswith("stated")


def test_modal_may_is_not_a_month():
    assert dates("Russia may agree to sell more.") == []
