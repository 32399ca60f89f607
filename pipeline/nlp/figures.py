"""Figures: money, percentages and counts, with qualifier, unit and what they count.

Numbers are read as briefing papers write them: "3.1 billion USD", "34–60 per cent",
"over 300.000 troops" (a European thousands separator), "ten of which were delivered".
Years, ordinals, article and page numbers, footnote markers and model names (S-400, Su-35,
J-20, Dongfeng-21D) are never figures.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

EXTRACTOR = "rules:figures"
# "one" is left out on purpose: "one China", "one step", "in one basket" are not counts.
WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
                "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12,
                "dozens": 24, "hundreds": 200, "thousands": 2000}
SCALES = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
          "b": 1e9, "trillion": 1e12, "tn": 1e12}
CURRENCIES = {"usd": "USD", "us$": "USD", "$": "USD", "dollars": "USD", "dollar": "USD",
              "us dollars": "USD", "eur": "EUR", "€": "EUR", "euros": "EUR", "euro": "EUR",
              "rub": "RUB", "roubles": "RUB", "rubles": "RUB", "yuan": "CNY", "rmb": "CNY",
              "cny": "CNY", "renminbi": "CNY", "£": "GBP", "gbp": "GBP", "pounds": "GBP"}
QUALIFIERS = ["more than", "less than", "fewer than", "up to", "at least", "at most", "as many as",
              "as much as", "some", "about", "around", "approximately", "roughly", "nearly", "almost",
              "over", "under", "below", "above", "close to", "an estimated", "estimated"]
# Nouns that follow a count without being what it counts ("the two countries" is a reference)
REFERENCE_NOUNS = {"countries", "sides", "parties", "states", "nations", "powers", "leaders",
                   "governments", "presidents", "men", "events", "areas", "factors", "elements",
                   "points", "reasons", "ways", "things", "forms", "cases", "times", "examples",
                   "years", "decades", "months", "weeks", "days", "hours", "of"}
STOP_UNIT = {"and", "or", "as", "to", "in", "of", "for", "with", "by", "at", "on", "from", "the", "a",
             "through", "were", "was", "is", "are", "which", "that", "than", "per", "each", "more", "new"}

_NUM = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_WORDS = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
_QUAL = "|".join(sorted(QUALIFIERS, key=len, reverse=True))
_SCALE = r"thousand|million|billion|trillion|bn|mn|tn"
_CUR_BEFORE = r"US\$|\$|€|£|USD|EUR|RUB"
_CUR_AFTER = r"USD|US dollars|dollars|EUR|euros|RUB|roubles|rubles|yuan|RMB|CNY|renminbi|GBP|pounds"
_PERCENT = r"%|per\s*cent|percent"
FIGURE = re.compile(
    rf"(?:\b(?P<qual>{_QUAL})\s+)?"
    rf"(?P<cur1>{_CUR_BEFORE})?\s?"
    rf"(?P<num>{_NUM}|\b(?:{_WORDS})\b)"
    rf"(?:\s*(?:[-–—]|to|and)\s*(?P<num2>{_NUM})(?!\d))?"
    rf"(?:\s*(?P<scale>{_SCALE})\b)?"
    rf"(?:\s*(?P<pct>{_PERCENT}))?"
    rf"(?:\s*(?P<cur2>{_CUR_AFTER})\b)?", re.IGNORECASE)
_MODEL_NAME = re.compile(r"[A-Za-z]+-?$")               # S-400, Su-35, J-20: letters right before
_REFERENCE = re.compile(r"(?:\b(?:Article|Section|Chapter|Figure|Table|page|p\.|pp\.|No\.|Paragraph|Annex|"
                        r"Resolution|number|G|Group of|H\.R\.|S\.|P\.L\.)|§+|"
                        r"(?-i:\b(?:[A-Z]\.){2,}[A-Z]?))\s*$",
                        re.IGNORECASE)
# "82 Federal Register 7149", "39 Stat. 355", "45 C.F.R. 46": volume, title, page of a citation
_CITATION_TEXT = re.compile(r"^\s+(?:[A-Z][\w.]*\.?\s+){1,3}§*\s*\d")
_CODE = re.compile(r"\d[-–]$")                          # "10-20-30": a code, not a range
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b|^-(?:year|month|day|week|strong|fold|point|member)")
_OF_WHICH = re.compile(r"^\s+of\s+(?:which|them|these|those)\b")


@dataclass(frozen=True)
class FigureMention:
    start: int              # offsets in the text given
    end: int
    text: str
    value: float
    value_max: float | None
    unit: str
    qualifier: str | None
    counts: str | None
    extractor: str


def parse_number(raw: str) -> float | None:
    """'300.000' and '300,000' are 300000; '3.1' is 3.1; 'ten' is 10."""
    raw = raw.strip().lower()
    if raw in WORD_NUMBERS:
        return float(WORD_NUMBERS[raw])
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", raw):
        return float(re.sub(r"[.,]", "", raw))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+\.\d+", raw):
        return float(raw.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+", raw):
        return float(raw.replace(".", "").replace(",", "."))
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        return None


def _unit_after(text: str, end: int) -> tuple[str | None, int]:
    """The noun phrase a count counts: up to three words, stopping at a function word."""
    words = []
    position = end
    for m in re.finditer(r"\s*([A-Za-z][A-Za-z’'-]*)", text[end:end + 60]):
        if m.start() != position - end:
            break
        word = m.group(1)
        if word.lower() in STOP_UNIT or (words and word[0].isupper() and not words[-1][0].isupper()):
            break
        words.append(word)
        position = end + m.end()
        if len(words) == 3 or word.lower().endswith("s") and len(word) > 3:
            break
    return (" ".join(words) if words else None), position


def _antecedent(text: str, start: int) -> str | None:
    """'Su-35 fighter jets, ten of which': the plural noun phrase before the comma."""
    m = re.search(r"((?:[A-Za-z][\w-]*\s+)?[A-Za-z][\w-]*s)\s*,\s*$", text[:start])
    return m.group(1) if m else None


def find_figures(text: str, exclude: list[tuple[int, int]] = (), currency_hint: str | None = None
                 ) -> list[FigureMention]:
    """Figures in one sentence. `exclude` holds date spans (years are not figures);
    `currency_hint` is the currency last named in the document, for "0.6 billion"."""
    found: list[FigureMention] = []
    for m in FIGURE.finditer(text):
        if m["num"] is None or any(s < m.end("num") and m.start("num") < e for s, e in exclude):
            continue
        before, after = text[:m.start("num")], text[m.end("num"):]
        if m["cur1"] is None and (_MODEL_NAME.search(before) or _REFERENCE.search(before)
                                  or _CODE.search(before) or _CITATION_TEXT.match(after)):
            continue
        if _ORDINAL_AFTER.match(after) or (re.match(r"^[A-Za-z]", after) and not (m["scale"] or m["pct"])):
            continue  # 21st, 10km, 3rd
        value = parse_number(m["num"])
        if value is None:
            continue
        value_max = parse_number(m["num2"]) if m["num2"] else None
        scale = SCALES.get((m["scale"] or "").lower(), 1.0)
        value *= scale
        value_max = value_max * scale if value_max is not None else None
        currency = CURRENCIES.get((m["cur1"] or m["cur2"] or "").lower().replace(" ", " "))
        qualifier = m["qual"].lower() if m["qual"] else None
        end = m.end()
        counts = None
        if m["pct"]:
            unit = "percent"
        elif currency:
            unit = currency
        elif m["scale"] and m["scale"].lower() in ("billion", "million", "trillion", "bn", "mn", "tn") \
                and currency_hint and _no_noun_after(text, m.end()):
            unit = currency_hint
        else:
            if _OF_WHICH.match(after):
                unit = _antecedent(text, m.start("num"))
                counts = unit
            else:
                unit, end = _unit_after(text, m.end())
                if (unit is None or unit.split()[0].lower().endswith("ed")) and found:
                    unit, end = found[-1].unit, m.end()  # "the remaining four scheduled": jets again
                counts = unit
            if unit is not None:
                unit = " ".join(re.sub(r"[’']s?$", "", w) for w in unit.split())  # "countries’ positions"
            if unit is None or len(unit) < 2 or unit.split()[0].lower() in REFERENCE_NOUNS \
                    or unit.split()[-1].lower() in REFERENCE_NOUNS:
                continue
            if value_max is None and m["num"].isdigit() and 1800 <= value <= 2100:
                continue  # a year that the date rules did not claim
        if value_max is not None and value_max < value:
            continue
        found.append(FigureMention(m.start(), end, text[m.start():end].strip(), value, value_max,
                                   unit, qualifier, counts, EXTRACTOR))
    return found


def _no_noun_after(text: str, end: int) -> bool:
    nxt = re.match(r"\s*([A-Za-z]+)", text[end:])
    return nxt is None or nxt.group(1).lower() in STOP_UNIT


def currency_in(text: str) -> str | None:
    """The last currency a sentence names, to carry to a bare '0.6 billion' later on."""
    hits = re.findall(rf"(?:{_CUR_BEFORE})|\b(?:{_CUR_AFTER})\b", text, re.IGNORECASE)
    return CURRENCIES.get(hits[-1].lower()) if hits else None


_CITATION = re.compile(r"^(?:[A-Z]\.){3,}$|^§")     # 19 U.S.C., 42 C.F.R. 1.2, § 1862
_QUALIFIER_WORDS = {w for q in QUALIFIERS for w in q.split()}


def _is_label(number, sentence_start: int) -> bool:
    """'Phase 2', 'Executive Order 14186', 'Division 3': a number right after a capitalised
    word names the thing; it counts nothing. A statute citation ('19 U.S.C.') neither."""
    doc = number.doc
    following = doc[number.i + 1] if number.i + 1 < len(doc) else None
    if following is not None and _CITATION.match(following.text):
        return True
    if number.i == 0 or number.i - 1 < sentence_start:
        return False
    previous = doc[number.i - 1]
    word = previous.text
    # a sentence's first word is capitalised anyway: there it names the thing only as a noun
    # ("Phase 1 consists of ...", not "About 50 ..." or "All 27 members")
    opening_noun = not previous.is_sent_start or previous.pos_ in ("NOUN", "PROPN")
    return word.isalpha() and (word.istitle() or word.isupper()) and previous.lower_ not in _QUALIFIER_WORDS \
        and opening_noun and previous.ent_type_ not in ("DATE", "GPE", "NORP")


def _counted_noun(number):
    """The noun the number modifies in the parse ("13 reciprocal free trade agreements" ->
    "free trade agreements"), with the nouns compounded onto it."""
    head = number.head
    while head.dep_ in ("nummod", "quantmod") and head.pos_ == "NUM" and head.i != head.head.i:
        head = head.head   # "2.5 million troops": million -> troops
    if number.dep_ not in ("nummod", "quantmod", "compound") or head.pos_ != "NOUN" or head.i < number.i:
        return None
    compounds = [c for c in head.lefts if c.dep_ == "compound" and c.i > number.i]
    return " ".join([*(c.text for c in compounds), head.text]), head


def refine_with_parse(doc, sentence: str, offset: int, found: list[FigureMention]) -> list[FigureMention]:
    """The parse decides whether a count is a figure and what it counts; money and
    percentages keep the units they state. `sentence` is the text at `offset` in the Doc;
    the figures' offsets stay relative to it."""
    kept = []
    for fig in found:
        if fig.unit == "percent" or fig.unit in CURRENCIES.values() or fig.counts is None:
            kept.append(fig)
            continue
        span = doc.char_span(offset + fig.start, offset + fig.end, alignment_mode="expand")
        number = next((t for t in span if t.like_num), None) if span is not None else None
        if number is None:
            kept.append(fig)
            continue
        if _is_label(number, number.sent.start):
            continue
        counted = _counted_noun(number)
        if counted is not None and counted[0] != fig.unit:
            noun, head = counted
            end = max(head.idx + len(head.text) - offset, fig.end)
            fig = FigureMention(fig.start, end, sentence[fig.start:end].strip(), fig.value,
                                fig.value_max, noun, fig.qualifier, noun, fig.extractor)
        kept.append(fig)
    return kept
