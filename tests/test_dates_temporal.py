"""Date expressions as a temporal tagger finds them: span, TimeML value and precision, each
resolved against the publication date or the text's own dates (sentences written for this
test, in the style of news and briefing papers)."""
from __future__ import annotations

import re

import pytest

from briefex.pipeline.nlp.dates import find_dates, timexes

PUB = "2026-04-22"   # a Wednesday


def sentences_of(text: str) -> list[tuple[int, int]]:
    """Sentence offsets: a full stop before a capital ends one, unless it ends "Feb."."""
    bounds, start = [], 0
    for m in re.finditer(r"(?<!\b[A-Z][a-z]{2}\.)(?<!\bSept\.)(?<=[.!?])\s+(?=[A-Z\[])", text):
        bounds.append((start, m.start()))
        start = m.end()
    return bounds + [(start, len(text))]


def found(text: str, publication: str | None = PUB):
    return [(d.text, d.value, d.precision_name) for d in timexes(find_dates(text, sentences_of(text), publication))]


# (sentence, publication date, expected (span, value, precision) among what is found)
CASES = [
    # stated calendar dates
    ("NATO enlarged in 2004.", PUB, ("2004", "2004", "year")),
    ("The summit took place on 9 July 2016.", PUB, ("9 July 2016", "2016-07-09", "day")),
    ("It was ratified on March 3, 2011.", PUB, ("March 3, 2011", "2011-03-03", "day")),
    ("The memo is dated Feb. 13, 1998.", PUB, ("Feb. 13, 1998", "1998-02-13", "day")),
    ("The memo is dated Sept. 4, 2001.", PUB, ("Sept. 4, 2001", "2001-09-04", "day")),
    ("The plan was announced on Tuesday, March 3, 2015.", PUB, ("Tuesday, March 3, 2015", "2015-03-03", "day")),
    ("The order took effect 2019-03-05.", PUB, ("2019-03-05", "2019-03-05", "day")),
    ("Sanctions followed in August 2014.", PUB, ("August 2014", "2014-08", "month")),
    ("Talks resumed in Dec. 2019.", PUB, ("Dec. 2019", "2019-12", "month")),
    ("The base opened in the spring of 2017.", PUB, ("spring of 2017", "2017-SP", "season")),
    ("The army withdrew in winter 2015.", PUB, ("winter 2015", "2015-WI", "season")),
    ("Patrols began in the late 1990s.", PUB, ("late 1990s", "199", "decade")),
    ("Sales rose in the early 2010s.", PUB, ("early 2010s", "201", "decade")),
    ("The doctrine dates from the '80s.", PUB, ("'80s", "198", "decade")),
    ("Arms races marked the 20th century.", PUB, ("the 20th century", "19", "century")),
    ("Empires fell in the nineteenth century.", PUB, ("the nineteenth century", "18", "century")),
    ("Growth slowed in the first quarter of 2014.", PUB, ("the first quarter of 2014", "2014-Q1", "quarter")),
    ("Growth slowed in Q3 2019.", PUB, ("Q3 2019", "2019-Q3", "quarter")),
    ("Exports grew in the second half of 2018.", PUB, ("the second half of 2018", "2018-H2", "half")),
    ("The FY2027 request adds troops.", PUB, ("FY2027", "FY2027", "year")),
    ("Congress funded it in fiscal year 2025.", PUB, ("fiscal year 2025", "FY2025", "year")),
    ("Funds lapse in FY27.", PUB, ("FY27", "FY2027", "year")),
    ("Deliveries start in fiscal 2028.", PUB, ("fiscal 2028", "FY2028", "year")),
    ("Deliveries slip to the first quarter of fiscal 2027.", PUB, ("the first quarter of fiscal 2027", "2026-Q4", "quarter")),
    # modifiers stay in the span
    ("Growth was strong in early 2011.", PUB, ("early 2011", "2011", "year")),
    ("The force reached full strength by mid-2015.", PUB, ("mid-2015", "2015", "year")),
    ("The treaty expired at the end of 2019.", PUB, ("the end of 2019", "2019", "year")),
    ("Troops left in late August 2021.", PUB, ("late August 2021", "2021-08", "month")),
    ("Reform began at the beginning of 2020.", PUB, ("the beginning of 2020", "2020", "year")),
    # weekdays, today and present references
    ("The ministers met on Friday.", PUB, ("Friday", "2026-04-17", "day")),
    ("The ministers will meet on Friday.", PUB, ("Friday", "2026-04-24", "day")),
    ("The vote took place last Monday.", PUB, ("last Monday", "2026-04-20", "day")),
    ("The council meets next Tuesday.", PUB, ("next Tuesday", "2026-04-28", "day")),
    ("Today the council meets.", PUB, ("Today", "2026-04-22", "day")),
    ("The envoy arrived yesterday.", PUB, ("yesterday", "2026-04-21", "day")),
    ("The envoy leaves tomorrow.", PUB, ("tomorrow", "2026-04-23", "day")),
    ("Russia is now the largest supplier.", PUB, ("now", "PRESENT_REF", "present")),
    ("China currently holds the chair.", PUB, ("currently", "PRESENT_REF", "present")),
    ("At present, no talks are planned.", PUB, ("present", "PRESENT_REF", "present")),
    ("Such deals failed in the past.", PUB, ("the past", "PAST_REF", "present")),
    ("Talks may resume in the near future.", PUB, ("the near future", "FUTURE_REF", "present")),
    ("At the time, Moscow objected.", PUB, ("the time", "PAST_REF", "present")),
    ("Several years ago, the pact lapsed.", PUB, ("Several years ago", "PAST_REF", "present")),
    # relative days, weeks, months, quarters, years, seasons, decades, centuries
    ("Talks stalled last week.", PUB, ("last week", "2026-W16", "week")),
    ("They resume this week.", PUB, ("this week", "2026-W17", "week")),
    ("Ministers meet next week.", PUB, ("next week", "2026-W18", "week")),
    ("Talks resume in the second half of the year.", PUB, ("the second half of the year", "2026-H2", "half")),
    ("Protests grew last weekend.", PUB, ("last weekend", "2026-W16-WE", "week")),
    ("This month the summit opens.", PUB, ("This month", "2026-04", "month")),
    ("Last month's summit failed.", PUB, ("Last month", "2026-03", "month")),
    ("Elections come next month.", PUB, ("next month", "2026-05", "month")),
    ("Prices rise in the coming month.", PUB, ("the coming month", "2026-05", "month")),
    ("Output fell last quarter.", PUB, ("last quarter", "2026-Q1", "quarter")),
    ("Output rises this quarter.", PUB, ("this quarter", "2026-Q2", "quarter")),
    ("The third quarter brought losses.", PUB, ("The third quarter", "2026-Q3", "quarter")),
    ("Losses were booked in the fourth quarter.", PUB, ("the fourth quarter", "2025-Q4", "quarter")),
    ("Deliveries are due this year.", PUB, ("this year", "2026", "year")),
    ("Spending fell last year.", PUB, ("last year", "2025", "year")),
    ("Elections are due next year.", PUB, ("next year", "2027", "year")),
    ("The drills were held earlier this year.", PUB, ("earlier this year", "2026", "year")),
    ("Exports grew early this year.", PUB, ("early this year", "2026", "year")),
    ("The budget grew this fiscal year.", PUB, ("this fiscal year", "FY2026", "year")),
    ("Cuts come next fiscal year.", PUB, ("next fiscal year", "FY2027", "year")),
    ("The base opens by the end of the year.", PUB, ("the end of the year", "2026", "year")),
    ("A deal may come by the end of next year.", PUB, ("the end of next year", "2027", "year")),
    ("Troops deployed last summer.", PUB, ("last summer", "2025-SU", "season")),
    ("Exercises resume this fall.", PUB, ("this fall", "2026-FA", "season")),
    ("Talks resume next spring.", PUB, ("next spring", "2027-SP", "season")),
    ("This decade has seen rearmament.", PUB, ("This decade", "202", "decade")),
    ("Borders were redrawn last century.", PUB, ("last century", "19", "century")),
    ("The pact lapsed two years ago.", PUB, ("two years ago", "2024", "year")),
    ("The ban took effect three months ago.", PUB, ("three months ago", "2026-01", "month")),
    ("The envoy arrived five days ago.", PUB, ("five days ago", "2026-04-17", "day")),
    ("Troops left two weeks ago.", PUB, ("two weeks ago", "2026-W15", "week")),
    ("The border was drawn a decade ago.", PUB, ("a decade ago", "2016", "year")),
    ("The base closes ten years from now.", PUB, ("ten years from now", "2036", "year")),
    # months without a year, abbreviated months
    ("In August, Congress passed the bill.", PUB, ("August", "2025-08", "month")),
    ("In August, Congress will vote on the bill.", PUB, ("August", "2026-08", "month")),
    ("In March, prices rose.", PUB, ("March", "2026-03", "month")),
    ("The deal was signed last June.", PUB, ("last June", "2025-06", "month")),
    ("It was ratified in late last July.", PUB, ("late last July", "2025-07", "month")),
    ("Elections come next March.", PUB, ("next March", "2027-03", "month")),
    ("In early December, talks resumed.", PUB, ("early December", "2025-12", "month")),
    ("The plan runs through June.", PUB, ("June", "2026-06", "month")),
    ("Sales fell on Feb. 28.", PUB, ("Feb. 28", "2026-02-28", "day")),
    ("The accord was signed on August 5.", PUB, ("August 5", "2025-08-05", "day")),
    ("Fighting has continued since mid-January.", PUB, ("mid-January", "2026-01", "month")),
    # year ranges: each year findable
    ("Spending rose in 2009-2010.", PUB, ("2010", "2010", "year")),
    ("Budgets grew between 1999 and 2006.", PUB, ("1999", "1999", "year")),
    # a season without a year, and the year's end, from the publication date (2026-04-22)
    ("A summit is planned for the spring.", PUB, ("the spring", "2026-SP", "season")),
    ("The army was withdrawn in the winter.", PUB, ("the winter", "2025-WI", "season")),
    ("Troops will leave by year-end.", PUB, ("year-end", "2026", "year")),
    ("Supplies last until spring.", PUB, ("spring", "2026-SP", "season")),
    ("Monitors reported shelling over the weekend.", PUB, ("the weekend", "2026-W16-WE", "week")),
    ("Unions called a protest for this weekend.", PUB, ("this weekend", "2026-W17-WE", "week")),
    ("Crowds gathered for New Year's Eve.", PUB, ("New Year's Eve", "2025-12-31", "day")),
    # vague references, a day before its month, holidays, looking back from "since"
    ("Costs will climb in the coming months.", PUB, ("the coming months", "FUTURE_REF", "present")),
    ("Arms sales have doubled in recent years.", PUB, ("recent years", "PAST_REF", "present")),
    ("The ceasefire held until Christmas.", PUB, ("Christmas", "2025-12-25", "day")),
    ("The runoff falls on 7 June.", PUB, ("7 June", "2026-06-07", "day")),
    ("The blockade has lasted since November.", PUB, ("November", "2025-11", "month")),
    ("She led the polls as recently as March.", PUB, ("March", "2026-03", "month")),
    ("Stocks run out by the end of the third quarter.", PUB, ("the end of the third quarter", "2026-Q3", "quarter")),
    ("The envoys talked late into the night, and again last night.", PUB, ("last night", "2026-04-21TNI", "day")),
    ("Ministers met this morning.", PUB, ("this morning", "2026-04-22TMO", "day")),
    ("The envoy left yesterday afternoon.", PUB, ("yesterday afternoon", "2026-04-21TAF", "day")),
    ("The council will vote Thursday evening.", PUB, ("Thursday evening", "2026-04-23TEV", "day")),
    ("Fighting has eased recently.", PUB, ("recently", "PAST_REF", "present")),
    ("Output fell in the final quarter of 2008.", PUB, ("the final quarter of 2008", "2008-Q4", "quarter")),
    ("The parties meet on Monday, Dec. 14.", "2015-12-09", ("Monday, Dec. 14", "2015-12-14", "day")),
    ("A review is due by mid-decade.", PUB, ("mid-decade", "202", "decade")),
]


@pytest.mark.parametrize("text, publication, expected", CASES, ids=[c[0][:40] for c in CASES])
def test_expression(text, publication, expected):
    got = found(text, publication)
    assert expected in got, got


def test_how_many_cases():
    assert len(CASES) >= 80


@pytest.mark.parametrize("text", [
    "Russia may agree to sell more.", "He will march on the capital.", "The Zapad-2021 drills.",
    "The future of NATO is at stake.", "Spending grew over the past two years.",
    "Spending grew over the past year.", "Spending will grow over the next decade.",
    "The present study finds little.", "It cost $2010.", "The summer offensive stalled.",
    "Tickets for the Winter Olympics sold out.", "Christmas Island is Australian.",
])
def test_not_dates(text):
    assert found(text) == []


def test_spans_leave_the_preposition_out():
    text = "In early December, talks resumed."
    (span, *_), = found(text)
    assert span == "early December"


def test_modifiers_are_kept_as_mod():
    mentions = find_dates("Exports grew early this year and late last July, and by mid-2011.",
                          [(0, 65)], PUB)
    assert [m.mod for m in mentions] == ["START", "END", "MID"]


def test_a_month_takes_the_year_of_a_date_stated_in_its_paragraph():
    text = "The crisis began in March 2014. In September, talks resumed."
    assert found(text)[1] == ("September", "2014-09", "month")


def test_a_month_in_a_new_paragraph_takes_the_publication_year():
    text = "The 2009-2010 budget rose.\n\nIn early December, talks resumed."
    assert found(text, "2012-03-01")[-1] == ("early December", "2011-12", "month")


def test_a_target_year_tells_no_story():
    text = "Spending must reach 2 percent by 2030. A strategy was adopted in October."
    assert found(text)[1] == ("October", "2025-10", "month")


def test_a_month_in_a_future_clause_is_not_the_storys():
    text = "The crisis began in March 2014. In September, talks will resume."
    assert found(text)[1] == ("September", "2026-09", "month")


def test_a_sentence_about_now_takes_its_month_from_the_publication_date():
    text = "NATO was founded in 1949. It now has 32 members, since Sweden joined in March."
    assert found(text)[-1] == ("March", "2026-03", "month")


def test_at_the_time_is_the_date_told_as_told():
    text = "Defence budgets shrank in the 1990s. At the time, few objected."
    assert found(text)[-1] == ("the time", "199", "decade")


def test_later_counts_from_the_text():
    text = "The pact was signed in 2008. Two years later it lapsed. The following year it was revived."
    assert found(text)[1:] == [("Two years later", "2010", "year"), ("The following year", "2011", "year")]


def test_the_day_before_counts_from_the_text():
    text = "The vote was held on 3 March 2014. The day before, troops had moved in."
    assert found(text)[1] == ("The day before", "2014-03-02", "day")


def test_the_day_before_passes_over_a_coarser_date():
    text = "The test was carried out on 9 October 2006, the first since a moratorium of the spring of 1999. " \
           "A warning came the day before."
    assert found(text)[-1] == ("the day before", "2006-10-08", "day")


def test_the_next_day_needs_a_day():
    text = "The ceasefire was signed on 3 March 2014. The next day, fighting resumed."
    assert found(text)[1] == ("The next day", "2014-03-04", "day")


def test_without_a_publication_date_relative_dates_stay_unresolved():
    mention, = find_dates("Talks stalled last week.", [(0, 24)], None)
    assert mention.value is None and mention.date is None and mention.precision == "unresolved"
    assert "does not state" in mention.reason


def test_a_publication_year_alone_cannot_give_a_week():
    mention, = find_dates("Talks stalled last week.", [(0, 24)], "2019")
    assert mention.value is None and "not precise enough" in mention.reason


def test_every_resolution_says_why():
    text = "The pact was signed in 2008. Two years later it lapsed. Last month it was revived. Now it holds."
    reasons = [m.reason for m in find_dates(text, sentences_of(text), PUB)]
    assert reasons[0] == "stated (year)"
    assert reasons[1] == "nearest preceding date '2008'"
    assert reasons[2].startswith("relative to publication date 2026-04-22")
    assert "present reference" in reasons[3]


def test_events_get_iso_dates_and_skip_references():
    text = "Troops deployed last week. Now the talks go on. The FY2027 request grew. Budgets fell in 2009-2010."
    mentions = find_dates(text, sentences_of(text), PUB)
    for_events = [(m.text, m.date, m.date_end, m.precision) for m in mentions if m.for_events]
    assert for_events == [("last week", "2026-04-13", "2026-04-19", "range"),
                          ("2009-2010", "2009", "2010", "range")]


def test_a_spelled_out_fiscal_year_is_a_plain_year_for_events():
    text = "The Act for Fiscal Year 2026 authorized more troops."
    mentions = find_dates(text, [(0, len(text))], PUB)
    assert [(m.text, m.date, m.for_events) for m in mentions] == [
        ("Fiscal Year 2026", "2026", False), ("2026", "2026", True)]
    assert [m.text for m in timexes(mentions)] == ["Fiscal Year 2026"]
