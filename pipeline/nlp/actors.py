"""Actor mentions from gazetteer matches and NER, with one canonical name per actor.

The gazetteer (EntityRuler, JSONL patterns) gives canonical names for the actors analysts
follow. NER brings persons and organisations it lacks; those are kept only when they look
like an actor. What briefing papers title-case without naming an actor, and so NER mistakes
for one, is left out:

- headings: a short title-cased line standing alone as its own paragraph;
- titles of documents, reports, laws, programmes, phases and systems: a name whose last word
  is a document or programme noun ("... Reports", "... Act", "... System"), a phase label
  ("Milestone C", "Division A") or a phrase made only of ordinary English words with no
  institution noun at its head ("Detailed Design", "Trade Relations");
- titles quoted as sources (“... Leaders & Dignitaries,”) and author lines ("Specialist in
  ...", "Analyst in ...").

Persons are cleaned of titles ("Director of National Intelligence Tulsi Gabbard" -> "Tulsi
Gabbard"), monarchs keep their regnal name ("Queen Elizabeth II" -> "Elizabeth II", "King
Hussein of Jordan" -> "Hussein of Jordan"), "Chance B. Saltzman" keeps his initial, and a
lone surname merges with the full name used elsewhere in the paper. A legislature or ministry
named without its state ("Congress", "the Ministry of Defence") takes the state the paper is
about, when one state dominates its mentions.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from . import gazetteer
from .gazetteer import ACTOR_LABELS
from .mentions import ActorMention

NER_EXTRACTOR = "ner"

# --- words of English --------------------------------------------------------------------
# Titles and offices written before a name; "of/for ..." after an office title is its remit.
TITLE_WORDS = (
    r"President|Vice[- ]President|Prime Minister|Deputy Prime Minister|Premier|Chancellor|"
    r"Chairman|Chairwoman|Chair|General|Lieutenant General|Major General|Brigadier General|"
    r"Lt\.? Gen\.?|Maj\.? Gen\.?|Gen\.?|Adm\.?|Col\.?|Colonel|Admiral|Vice Admiral|Rear Admiral|"
    r"Marshal|Field Marshal|Captain|Capt\.?|Commander|Minister|Foreign Minister|Defen[cs]e Minister|"
    r"Ambassador|Secretary(?:-General| General)?|Under ?[Ss]ecretary|Deputy Secretary|"
    r"Assistant Secretary|Director|Deputy Director|Administrator|Senator|Sen\.?|Representative|"
    r"Rep\.?|Congressman|Congresswoman|Speaker|Majority Leader|Minority Leader|Leader|Governor|"
    r"Gov\.?|Mayor|Judge|Justice|Chief Justice|Chief|Spokes(?:man|person|woman)|Envoy|"
    r"Special Envoy|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Prof\.?|Professor|Sir|Dame|Lord|Lady|"
    r"Crown Prince|Supreme Leader|Ayatollah|Sheikh|Sheik|His Majesty|Her Majesty|His Excellency|"
    r"Her Excellency|His Highness|Her Highness|Majesty|Excellency|Highness")
_TITLE_PREFIX = re.compile(
    rf"^(?:(?:the|former|then|late|acting|interim|incoming|outgoing|[A-Z][a-z]+(?:’s|'s)|"
    rf"US|U\.S\.|[A-Z][a-z]+n|[A-Z][a-z]+ese|[A-Z][a-z]+i|British|French|Dutch|Senate|House)\s+)*"
    rf"(?:(?:{TITLE_WORDS})\s+)+")
_HONORIFIC_ONLY = re.compile(rf"^(?:(?:{TITLE_WORDS}|King|Queen)\s*)+$")
MONARCH = re.compile(r"^(?:(?:His|Her) (?:Royal )?(?:Majesty|Highness)\s+)?(King|Queen|Emperor|Empress|"
                     r"Sultan|Emir|Amir|Shah|Tsar|Grand Duke|Grand Duchess)\s+(.+)$")
ROMAN = re.compile(r"^(?:I{1,3}|IV|VI{0,3}|IX|XI{0,3}|X)[a-z]?$")   # "Ib": a footnote letter glued on
# A monarch's title and regnal name anywhere in the text, e.g. in a table row NER skips.
_MONARCH_IN_TEXT = re.compile(r"\b(?:King|Queen|Emperor|Empress|Sultan|Emir|Shah|Tsar)\s+"
                              r"([A-Z][a-z]+(?=[\s’',.;:|)]|$)(?:\s+(?:I{1,3}|IV|VI{0,3}|IX|XI{0,3}|X)[a-z]?\b)?)")
# The realm after a monarch: "of Jordan", "of the Hashemite Kingdom of Jordan", or the next
# table cell "| Kingdom of the Netherlands".
_REALM = re.compile(r"^\s*(?:of\s+|\|\s*|\s)(?:the\s+)?(?:(?:Hashemite|United)\s+)?(?:(?:Kingdom|Empire|"
                    r"Sultanate|Emirate|Principality|Grand Duchy)\s+of\s+(?:the\s+)?)?"
                    r"([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})")
# An office held "of" something: "Director of National Intelligence", "Secretary of State".
_OFFICE_BEFORE = re.compile(rf"(?:{TITLE_WORDS})\s+(?:of|for)\s+(?:the\s+)?$")
# Author lines of briefing papers: "Name, Specialist in X", "Analyst in X", "U.S. Army Fellow".
AUTHOR_ROLE = re.compile(r"\b(?:Specialist|Analyst|Fellow|Research Assistant|Researcher|"
                         r"Legislative Attorney|Section Research Manager|Senior Fellow|Associate)"
                         r"(?:\s+(?:in|on|for)\b|\s*$)")
# Nouns that name a document, a law, a series or a title; plural too ("CRS Reports").
DOCUMENT_WORDS = re.compile(
    r"\b(?:Strategy|Treaty|Declaration|Paper|Report|Doctrine|Database|Act|Law|Charter|Agreement|"
    r"Initiative|Concept|Review|Communiqu[eé]|Statement|Resolution|Protocol|Convention|Thought|"
    r"Plan|Programme|Program|Memorandum|Accord|Pact|Index|Yearbook|Survey|Code|Order|Bill|"
    r"Amendment|Regulation|Directive|Proclamation|Assessment|Guidance|Budget|Appropriations|"
    r"Estimate|Posture|Outlook|Brief|Summary|Overview|Background|Relations|Rule|Title|Section|"
    r"Subpart|Chapter|Article|Clause|Primer|Sidebar|Insight|Explainer|Backgrounder|Factsheet|"
    r"Analysis|Analyses|Study|Studies|Appendix|Record|History|Model|Data|Reauthorization)s?\b")
# Last words of place names NER reads as persons ("Acadia Parish").
PLACE_NOUNS = {"parish", "county", "province", "district", "city", "island", "islands", "valley",
               "river", "bay", "state", "states", "region", "oblast", "prefecture", "township"}
# Words naming a person's office, not a body: "EPA Administrator", "Commerce Secretary".
OFFICE_NOUNS = {"administrator", "secretary", "director", "minister", "chairman", "chairwoman", "chair",
                "spokesman", "spokeswoman", "spokesperson", "ambassador", "commissioner", "official",
                "officials", "officer", "officers", "president", "governor", "mayor", "adviser",
                "advisor", "envoy", "leader", "leaders", "head", "chief"}
# Nouns that name a programme, a phase or a thing built rather than a body that acts.
PROGRAMME_HEADS = {
    "system", "systems", "vehicle", "vehicles", "missile", "missiles", "aircraft", "platform",
    "capability", "capabilities", "design", "phase", "milestone", "test", "testing", "build",
    "development", "research", "launch", "project", "projects", "technology", "technologies",
    "network", "architecture", "weapon", "weapons", "satellite", "satellites", "fund", "trade",
    "finance", "security", "policy", "production", "issues", "considerations", "dignitaries",
    "meetings", "meeting", "training", "readiness", "infantry", "combat"}
# Nouns at the head of a body that acts: "... Agency", "Department of ...", "... Command".
INSTITUTION_HEADS = {
    "agency", "department", "ministry", "office", "command", "council", "commission", "committee",
    "service", "bureau", "administration", "corps", "force", "forces", "army", "navy", "guard",
    "marines", "congress", "senate", "parliament", "assembly", "court", "bank", "institute",
    "institution", "university", "college", "center", "centre", "organization", "organisation",
    "association", "union", "party", "group", "company", "corporation", "division", "regiment",
    "brigade", "battalion", "fleet", "squadron", "wing", "headquarters", "foundation",
    "authority", "board", "secretariat", "alliance", "league", "federation", "coalition", "front",
    "movement", "community", "staff", "cabinet", "government", "directorate", "inspectorate",
    "laboratory", "laboratories", "academy", "society", "chamber", "tribunal", "police", "embassy",
    "mission", "delegation", "caucus", "house", "commonwealth", "conference", "forum", "kingdom",
    "republic", "emirate", "sultanate", "junta", "militia", "brigades", "consortium", "enterprises",
    "industries", "defense", "defence", "dynamics", "aerospace", "shipbuilding", "motors", "labs",
    "technologies", "holdings", "pharmaceuticals", "minerals", "metals", "foods"}
COMPANY_SUFFIX = re.compile(r"(?:,\s*|\s+)(?:Inc|LLC|L\.L\.C|L\.P|LP|Ltd|Limited|Corp|Co|plc|PLC|"
                            r"GmbH|AG|S\.A|SA|N\.V|NV|JSC|PJSC|OAO|Pty)\.?$")
SMALL_WORDS = {"of", "for", "and", "the", "on", "in", "to", "at", "&", "de", "du", "des", "la",
               "le", "al", "el", "bin", "ibn", "von", "van", "der", "den", "y"}
WEAPON_LIKE = re.compile(r"\b[A-Z][A-Za-z]*-?\d|\d")
ORDINAL_UNIT = re.compile(r"^(\d+)(?:st|nd|rd|th)?\s+((?:[A-Z][a-z]+\s+){0,3}"
                          r"(?:Division|Brigade|Regiment|Battalion|Fleet|Army|Corps|Squadron|Wing|"
                          r"Group|Command|Infantry Division|Cavalry Division|Airborne Division))$")
_ACRONYM_DEFINITION = re.compile(
    r"([A-Z][\w’'-]*(?:\s+(?:of|for|and|the|on|in|[A-Z][\w’'-]*))+)\s+\(([A-Z][A-Za-z]{1,7})\)")
_MIDDLE_INITIAL = re.compile(r"\b([A-Z][a-z]+) ([A-Z])\. ([A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)?)\b")
_LOCATIVE = re.compile(r"\b(?:in|at|near|to|from|into|outside|around)\s+$", re.IGNORECASE)
# States whose English name takes "the" ("Juliana of the Netherlands").
_THE_STATES = {"Netherlands", "United Kingdom", "United States", "Philippines", "Bahamas",
               "Gambia", "Czech Republic", "Dominican Republic", "Central African Republic",
               "Democratic Republic of the Congo", "Republic of the Congo", "United Arab Emirates",
               "Maldives", "Comoros", "Seychelles", "Marshall Islands", "Solomon Islands"}
# British monarchs are named without their realm ("Elizabeth II", not "... of the United Kingdom").
_REALM_UNNAMED = {"United Kingdom"}


@functools.lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Lower-case words of English (WordNet's index, shipped with the spaCy model's
    lemmatizer): a title-cased phrase made only of these is not a proper name by itself."""
    from spacy.lookups import Lookups
    from spacy.util import get_package_path

    from .model import MODEL_NAME

    try:
        root = get_package_path(MODEL_NAME)
        folder = next(root.glob("*/lemmatizer/lookups"))
        index = Lookups().from_disk(folder).get_table("lemma_index")
    except (StopIteration, OSError, KeyError, ValueError):
        return frozenset()
    return frozenset(w for words in index.values() for w in words if w.isalpha())


def _stems(word: str) -> list[str]:
    w = word.lower().strip(".,;:’'\"()")
    w = re.sub(r"(?:’|')s$", "", w)
    out = [w]
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ing", ""), ("ing", "e"), ("ed", ""),
                         ("ed", "e"), ("d", "")):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            out.append(w[: -len(suffix)] + repl)
    return out


def is_common(word: str, lowercase_in_doc: frozenset[str] = frozenset()) -> bool:
    """An ordinary English word (or used in lower case by the paper itself), not a name."""
    if word.lower() in SMALL_WORDS or len(word) <= 1:
        return True
    if word.isupper() and len(word) >= 2:
        return False   # an acronym
    vocabulary = english_words()
    return any(s in vocabulary or s in lowercase_in_doc for s in _stems(word))


# --- the paper as a whole ------------------------------------------------------------------
@dataclass(frozen=True)
class PaperContext:
    """What rules read across the whole document, whichever piece of it spaCy is given: the
    whole text, the words it uses in lower case, the acronyms it defines, and the gazetteer's
    state mentions (document offsets), from which the paper's own state and its focal pair are
    counted. A long document is analysed in pieces (pipeline/extract.py); each piece's Doc
    carries its document's context in ``doc._.paper``."""

    text: str
    lowercase: frozenset[str]
    acronyms: dict[str, str]
    states: tuple[ActorMention, ...]


def paper_context(text: str, gazetteer_docs: Iterable[tuple[int, Doc]]) -> PaperContext:
    """The context of a document from its text and Docs of its pieces (each with its offset)
    that have only been through the gazetteer, which matches on the tokens alone."""
    states = tuple(replace(m, start=offset + m.start, end=offset + m.end)
                   for offset, doc in gazetteer_docs for m in gazetteer_actors(doc) if m.type == "state")
    return PaperContext(text, frozenset(re.findall(r"\b[a-z][a-z’'-]+\b", text)), _defined_acronyms(text), states)


def _state_counts(doc: Doc) -> Counter:
    context: PaperContext | None = doc._.paper
    if context is not None:
        return Counter(m.name for m in context.states if m.extractor == "gazetteer:state")
    return Counter(e.ent_id_ for e in doc.ents if e.label_ == "STATE" and e.ent_id_)


class _Paper:
    """What rules need to know about the whole document: its lines, lower-case words,
    defined acronyms and the state it is about."""

    def __init__(self, doc: Doc) -> None:
        self.text = doc.text
        context: PaperContext | None = doc._.paper
        self.whole_text = context.text if context else self.text
        self.lowercase = context.lowercase if context else frozenset(re.findall(r"\b[a-z][a-z’'-]+\b", self.text))
        self.acronyms = context.acronyms if context else _defined_acronyms(self.text)
        counts = _state_counts(doc)
        self.state_counts = counts
        top = counts.most_common(2)
        total = sum(counts.values())
        self.state = None
        if top and top[0][1] >= 3 and top[0][1] >= 0.4 * total and (
                len(top) == 1 or top[0][1] >= 1.5 * top[1][1]):
            self.state = top[0][0]

    def line(self, start: int, end: int) -> str:
        lo = self.text.rfind("\n", 0, start) + 1
        hi = self.text.find("\n", end)
        return self.text[lo:hi if hi >= 0 else len(self.text)]

    def alone_on_line(self, start: int, end: int) -> bool:
        """The span is its line (a heading, a caption or a title), give or take an article, a
        number or a "Figure 2." label."""
        line = self.line(start, end).strip()
        rest = line.replace(" ".join(self.text[start:end].split()), "", 1)
        rest = re.sub(r"\b(?:the|The)\b", "", rest).strip(" .:;,-–—")
        return not rest or bool(re.fullmatch(r"(?:\d+\.?|[IVX]+\.|(?:Figure|Table) \d+\.?)", rest))


def _defined_acronyms(text: str) -> dict[str, str]:
    """'Energy Negotiators Forum (ENF)' defines ENF; only such acronyms pass as NER actors."""
    found = {}
    for long_form, acronym in _ACRONYM_DEFINITION.findall(text):
        words = long_form.split()
        for i in range(len(words)):   # the shortest tail of the phrase whose initials spell it
            tail = words[-1 - i:]
            if "".join(w[0] for w in tail if w[0].isupper()) == acronym.upper():
                found[acronym] = " ".join(tail)
                break
    return found


def dominant_state(doc: Doc) -> str | None:
    """The state a paper is about: the most mentioned, with a clear lead over the next."""
    return _Paper(doc).state


# --- persons ------------------------------------------------------------------------------
def _strip_titles(text: str) -> str:
    text = text.strip()
    previous = None
    while previous != text:
        previous = text
        text = _TITLE_PREFIX.sub("", text)
    return re.sub(r"[’']s$", "", text).strip(" ,.")


def _trailing_name(words: list[str], paper: _Paper) -> str | None:
    """The person at the end of "<office> <Firstname> [X.] <Surname>": the last two words (three
    with a middle initial) when the surname is no ordinary word."""
    if len(words) < 3:
        return None
    k = 3 if len(words) >= 4 and re.fullmatch(r"[A-Z]\.", words[-2]) else 2
    name = words[-k:]
    if not all(w[:1].isupper() for w in name) or is_common(name[-1], paper.lowercase) \
            or name[0].lower() in INSTITUTION_HEADS:
        return None
    return " ".join(name)


def _realm(after: str) -> str | None:
    """The state named right after a monarch ("of Jordan", "| Kingdom of Nepal")."""
    m = _REALM.match(after)
    if not m:
        return None
    words = m.group(1).split()
    states = _state_names()
    for i in range(len(words), 0, -1):
        if " ".join(words[:i]) in states:
            return states[" ".join(words[:i])]
    return None


@functools.lru_cache(maxsize=1)
def _state_names() -> dict[str, str]:
    return {r["pattern"]: r["id"] for r in gazetteer.rows()
            if r["label"] == "STATE" and isinstance(r["pattern"], str)}


def _regnal(text: str, after: str) -> str | None:
    """'Queen Elizabeth II' -> 'Elizabeth II'; 'King Hussein I of Jordan' -> 'Hussein of Jordan';
    'King Bhumibol Adulyadej' -> 'Bhumibol Adulyadej'. A one-word regnal name takes its realm
    ("of Jordan") when the text names it right after; an ordinal I alone is dropped, as are
    footnote letters glued to an ordinal ("Ib")."""
    m = MONARCH.match(re.sub(r"[’']s?$", "", text.strip()))
    if not m:
        return None
    words = [w for w in m.group(2).split() if w]
    if not words or not all(w[:1].isupper() for w in words):
        return None
    ordinal = words[-1] if ROMAN.match(words[-1]) else None
    names = words[:-1] if ordinal else words
    if not names:
        return None
    ordinal = ordinal.rstrip("abcdefghijklmnopqrstuvwxyz") if ordinal else None
    if ordinal == "I":
        ordinal = None
    base = " ".join(names + ([ordinal] if ordinal else []))
    state = _realm(after) if len(names) == 1 else None
    if state and state not in _REALM_UNNAMED:
        return f"{base} of {'the ' if state in _THE_STATES else ''}{state}"
    return base


def _sentence_break(first: str, last: str) -> bool:
    """'Plan B. Officials': a word, a letter with a full stop and a plural common noun are the
    end of one sentence and the start of the next, not a name with its middle initial."""
    vocabulary = english_words()
    return first.lower() in vocabulary and last.endswith("s") and last[:-1].lower() in vocabulary \
        and last.lower() not in vocabulary


def _used_in_lower_case(word: str, paper: _Paper) -> bool:
    return any(stem in paper.lowercase for stem in _stems(word))


def _person(text: str, paper: _Paper) -> str | None:
    """A clean person name from an NER span, or None when the span is no person."""
    text = re.split(r"\s*(?:,|\(|\s[-–—]\s)", text.strip())[0]
    initial = re.fullmatch(r"(\w+) [A-Z]\. (\w+)", text)
    if initial and _sentence_break(initial.group(1), initial.group(2)):
        return None
    name = _strip_titles(text)
    if AUTHOR_ROLE.search(name):
        name = AUTHOR_ROLE.split(name)[0].strip(" ,")
    words = name.split()
    if not (1 <= len(words) <= 4) or not all(w[:1].isupper() for w in words):
        return None
    if _HONORIFIC_ONLY.match(name):
        return None
    if any(len(w.strip(".")) >= 2 and w.isupper() and not ROMAN.match(w) for w in words):
        return None   # "Patrick SFB", "Generative AI": an acronym is no part of a person's name
    if words[-1].lower() in PLACE_NOUNS:
        return None   # "Acadia Parish": a place
    if any(DOCUMENT_WORDS.fullmatch(w) for w in words[1:] + words[:1] if w != "Bill") \
            or words[-1].lower() in PROGRAMME_HEADS or len(words) > 1 and re.fullmatch(r"[A-Z]", words[-1]):
        return None   # "Legal Sidebar", "Subpart C": a title, a thing or a label
    if all(w.lower() in english_words() or w.lower() in SMALL_WORDS or is_common(w) for w in words) and \
            any(_used_in_lower_case(w, paper) for w in words[1:]):
        return None   # "Tenant Space", "Grant Decisions": ordinary words the paper also writes in lower case
    if words[-1].lower() in INSTITUTION_HEADS and len(words) > 1:
        return None   # "Oshkosh Defense", "Readiness Command" are bodies, read as organisations
    return name


# --- organisations -----------------------------------------------------------------------
def _head(words: list[str]) -> str:
    """The head noun of a name: the last word before "of ..." ("Department of State" ->
    Department), else the last word."""
    lowered = [w.lower() for w in words]
    for i, w in enumerate(lowered[1:], start=1):
        if w in ("of", "for"):
            return lowered[i - 1]
    return lowered[-1]


def organisation_name(name: str, paper: _Paper) -> bool:
    """Whether a title-cased phrase names a body (an institution, a company, a group)."""
    words = name.split()
    if not words:
        return False
    if COMPANY_SUFFIX.search(name):
        return True
    if re.search(r"[’']s? (?:and|&) |^[A-Z]{2,} (?:and|&) [A-Z]{2,}$", name):
        return False   # "Uber’s and Lyft", "EAC & GSA": two names, not one
    if words[-1].lower() in SMALL_WORDS or re.search(r"[\[\](){}]| v\. ", name):
        return False   # "Office of the Secretary of": cut short; "Smith v. Jones": a case
    if "," in name and words[-1].lower() not in ("committee", "subcommittee", "commission"):
        return False   # "Agriculture, Rural Development, Food and Drug Administration": a list
    if len(words) >= 2 and (re.fullmatch(r"[A-Z]|[IVX]+|\d+", words[-1]) or
                            re.fullmatch(r"[A-Z]", words[0])):
        return False   # "Milestone C", "Division A", "Phase II": a label within a sequence
    head = _head(words)
    last = words[-1].lower().strip(".,")
    if head != last and head in INSTITUTION_HEADS:
        return True    # "Office of Technology Assessment": the remit may be any noun
    if last in PROGRAMME_HEADS or last in OFFICE_NOUNS or DOCUMENT_WORDS.search(name):
        return False
    if head in INSTITUTION_HEADS:
        return True
    # A proper name's own word ("Oshkosh", "Rheinmetall"); an acronym before ordinary words
    # ("NIH Obligations", "DOE Funding") names a topic or a table, not a body.
    return any(not is_common(w, paper.lowercase) and not w.isupper() for w in words
               if w.lower() not in SMALL_WORDS)


def _in_quoted_title(ent: Span, paper: _Paper) -> bool:
    """Inside a quoted title (“Joint Meeting ... by Foreign Leaders & Dignitaries,”): most of the
    quoted words are capitalised, as in a title, not as in quoted speech."""
    text = paper.text
    open_at = max(text.rfind("“", max(0, ent.start_char - 200), ent.start_char),
                  text.rfind('"', max(0, ent.start_char - 200), ent.start_char))
    if open_at < 0:
        return False
    close_at = min([i for i in (text.find("”", ent.end_char, ent.end_char + 200),
                                text.find('"', ent.end_char, ent.end_char + 200)) if i >= 0] or [-1])
    if close_at < 0 or "\n\n" in text[open_at:close_at]:
        return False
    if text.rfind("”", open_at, ent.start_char) >= 0:
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w’'-]*", text[open_at:close_at])]
    significant = [w for w in words if w.lower() not in SMALL_WORDS and w.lower() not in
                   {"a", "an", "by", "with", "before", "from", "after", "its", "their"}]
    return len(significant) >= 3 and sum(w[0].isupper() for w in significant) >= 0.8 * len(significant)


def _is_heading(ent: Span, paper: _Paper) -> bool:
    """A short title-cased line standing alone: a section heading or a caption."""
    end = ent.start_char + len(ent.text.rstrip())
    line = paper.line(ent.start_char, end).strip()
    words = line.split()
    if not words or len(words) > 10 or not paper.alone_on_line(ent.start_char, end):
        return False
    return sum(w[:1].isupper() for w in words if w.lower() not in SMALL_WORDS) >= \
        0.8 * len([w for w in words if w.lower() not in SMALL_WORDS])


def _organisation(ent: Span, paper: _Paper) -> tuple[str, str] | None:
    """(name, type) for an NER organisation worth keeping."""
    text = re.sub(r"^the\s+", "", ent.text.strip(), flags=re.IGNORECASE).strip(" ,.")
    text = re.sub(r"[’']s$", "", text)
    text = re.split(r"\s*\(", text)[0].strip()
    owner = re.match(r"^(.+?)(?:’s|'s|s’|s')\s+[A-Z]", text)
    if owner and owner.group(1).split()[-1].lower() + ("s" if text[owner.end(1)] == "s" else "") \
            in INSTITUTION_HEADS:
        text = text[:owner.end(1)] + ("s" if text[owner.end(1)] == "s" else "")   # "Supreme Court’s Olmstead"
    if not text:
        return None
    unit = ORDINAL_UNIT.match(text)
    if unit:
        n = int(unit.group(1))
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix} {unit.group(2)}", "military"
    if WEAPON_LIKE.search(text) or AUTHOR_ROLE.search(text):
        return None
    if text.isupper() and len(text) <= 8:
        long_form = paper.acronyms.get(text)
        return (text, "organisation") if long_form and organisation_name(long_form, paper) else None
    words = text.split()
    if len(words) == 1:
        return _institution_of_state(text, paper)
    if not (2 <= len(words) <= 8) or not words[0][:1].isupper():
        return None
    if not organisation_name(text, paper):
        return None
    generic = _institution_of_state(text, paper)
    return generic or (text, "organisation")


def _institution_of_state(name: str, paper: _Paper) -> tuple[str, str] | None:
    """'Congress', 'the Ministry of Defence': the institution of the state the paper is about.
    A legislature's own name points to few states ("Congress": the United States, Mexico,
    the Philippines...): the one the paper mentions most. A ministry's generic name fits every
    state: only the state that dominates the paper's mentions."""
    candidates = gazetteer.institutions_named(name)
    if not candidates:
        return None
    if paper.state in candidates:
        return candidates[paper.state][0], "organisation"
    legislatures = {s: c for s, (c, kind) in candidates.items() if kind == "legislature"
                    and paper.state_counts.get(s)}
    if not legislatures:
        return None
    best = max(legislatures, key=lambda s: paper.state_counts[s])
    return legislatures[best], "organisation"


# --- the mentions -------------------------------------------------------------------------
def _ner_actor(ent: Span, paper: _Paper) -> tuple[str, str] | None:
    """(name, type) for an NER span worth keeping, None for junk."""
    text = ent.text.strip()
    if not text or text.endswith("-") or "\n\n" in text:
        return None
    text = " ".join(text.split())
    if ent.label_ not in ("PERSON", "ORG"):
        return _polity(ent) if ent.label_ == "GPE" else None
    if gazetteer.discarded(text):
        return None
    if ent.label_ == "ORG" and (_is_heading(ent, paper) or _in_quoted_title(ent, paper)):
        return None   # a person's name alone on its line is a byline, and in a cited title still a person
    before = paper.text[max(0, ent.start_char - 60):ent.start_char]
    if re.search(r"\b(?:Specialist|Analyst|Fellow)\s+(?:in|on)\s+$", before):
        return None   # "Specialist in Military Ground Forces": an author line
    after = paper.text[ent.end_char:ent.end_char + 80]
    regnal = _regnal(text, after)
    if regnal is None and re.search(r"\b(?:His|Her) (?:Royal )?(?:Majesty|Highness)\s+$", before) is None \
            and MONARCH.match(text) is None and re.fullmatch(r"(?:Majesty|Highness) (?:King|Queen)", text):
        return None
    if regnal:
        return regnal, "person"
    if _OFFICE_BEFORE.search(before) or re.match(rf"(?:{TITLE_WORDS})\s", text):
        person = _trailing_name(text.split(), paper)
        if person:
            return person, "person"
        # else "Director of [National Intelligence]" is a remit, no body, and fails the tests
        # below, while "Director of [the Central Intelligence Agency]" passes them
    if DOCUMENT_WORDS.search(text) and ent.label_ == "ORG":
        return None
    if re.match(r",\s+[A-Z][a-z]+,?\s+(?:and|&)\s+[A-Z]", after):
        return None   # "Nuclear Command, Control, and Communications": the first item of a longer title
    if ent.label_ == "PERSON" and ent[-1].tag_ == "NNS":
        return None   # "Plan B. Officials": a sentence ends at the letter, the next begins
    if ent.label_ == "PERSON":
        name = _person(text, paper)
        if name:
            return name, "person"
        words = text.split()
        if len(words) > 1 and words[0][:1].isupper() and words[-1].lower() in INSTITUTION_HEADS \
                and organisation_name(text, paper):
            return text, "organisation"
        return None
    return _organisation(ent, paper)


def _polity(ent: Span) -> tuple[str, str] | None:
    """'the Kingdom of Hawaii': a polity the gazetteer lacks, named by its form of state."""
    text = re.sub(r"^the\s+", "", ent.text.strip(), flags=re.IGNORECASE)
    if re.fullmatch(r"(?:Kingdom|Empire|Sultanate|Emirate|Principality|Grand Duchy|Khanate|Caliphate)"
                    r" of (?:the )?[A-Z][a-z]+(?: [A-Z][a-z]+)?", text):
        return text, "state"
    return None


def _middle_initial_people(doc: Doc, paper: _Paper, taken: list[tuple[int, int]]) -> list[ActorMention]:
    """'Chance B. Saltzman' NER missed or cut at the initial: a first name, an initial and a
    surname that is no ordinary word."""
    text = doc.text   # Doc.text joins every token: read it once
    found = []
    for m in _MIDDLE_INITIAL.finditer(text):
        first, _, last = m.groups()
        if is_common(last, paper.lowercase) or first.lower() in paper.lowercase \
                or re.fullmatch(TITLE_WORDS, first) or first.lower() in INSTITUTION_HEADS:
            continue
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        if _sentence_break(first, last):
            continue
        found.append(ActorMention(m.start(), m.end(), m.group(0), m.group(0), "person",
                                  f"{NER_EXTRACTOR}:initial"))
    return found


_STATE_BODY_HEADS = INSTITUTION_HEADS - {"kingdom", "republic", "government", "defense", "defence",
                                         "dynamics", "aerospace", "industries", "house"} | {"survey"}
_RUN = re.compile(r"^[ \t]*\n?[ \t]*((?:[A-Z][\w&]*(?:-[A-Z][\w&]*)*\.?|of|for|and|the|on)"
                  r"(?:[ \t]+(?:[A-Z][\w&]*(?:-[A-Z][\w&]*)*|of|for|and|the|on)){0,7})")


def _state_institutions(doc: Doc, paper: _Paper, taken: list[tuple[int, int]]) -> list[ActorMention]:
    """'U.S. Geological Survey', 'American Rheinmetall Vehicles, LLC': a state's name or
    adjective heading a longer name the gazetteer split off. The shortest run of capitalised
    words after it that ends on an institution noun ("Department of ..." with all its remit),
    or that a company suffix follows, is one organisation; after an abbreviated state name it
    is named with the canonical one ("United States Geological Survey"), else as written
    ("American Rheinmetall Vehicles", "China Coast Guard")."""
    text = doc.text   # Doc.text joins every token: read it once
    found = []
    for ent in doc.ents:
        if ent.label_ != "STATE" or not ent.ent_id_:
            continue
        if ent.start > 0 and doc[ent.start - 1].text[:1].isupper() and not doc[ent.start - 1].is_sent_start:
            continue   # "Help America Vote Foundation": the name began before the state's
        m = _RUN.match(text[ent.end_char:ent.end_char + 120])
        if not m:
            continue
        words = m.group(1).split()
        name = None
        if len(words) > 2 and words[0].lower() in _STATE_BODY_HEADS and words[1] in ("of", "for"):
            while words and words[-1].lower() in SMALL_WORDS:   # "Department of Homeland Security"
                words = words[:-1]
            if len(words) > 2 and not DOCUMENT_WORDS.search(" ".join(words)):
                name = " ".join(words)
        for i in range(1, len(words) + 1 if name is None else 0):   # the shortest: "U.S. Space Force"
            candidate = words[:i]
            if candidate[-1].lower() in SMALL_WORDS:
                continue
            rest = text[ent.end_char + m.start(1):ent.end_char + 200]
            rest = rest[len(" ".join(candidate)):] if rest.startswith(" ".join(candidate)) else ""
            company = bool(re.match(r",?\s+(?:Inc|LLC|L\.L\.C|Ltd|Corp|Co|plc|GmbH|AG)\b", rest))
            if _head(candidate) in _STATE_BODY_HEADS and not rest.lstrip().startswith("of ") or company:
                name = " ".join(candidate)
                break
        if not name or DOCUMENT_WORDS.search(" ".join(name.split()[:-1])) or is_common(name) and \
                len(name.split()) == 1 and name.lower() not in INSTITUTION_HEADS:
            continue
        name = re.sub(r"[’']s?$", "", name)
        start = ent.start_char
        end = ent.end_char + m.start(1) + len(name)
        overlaps = any(s < end and start < e and (s, e) != (ent.start_char, ent.end_char) for s, e in taken)
        if "\n\n" in text[start:end] or overlaps:
            continue
        abbreviated = bool(re.fullmatch(r"[A-Z.]{2,6}", ent.text.strip()))
        canonical = gazetteer.institution(ent.ent_id_, f"{ent.text.strip()} {name}") or (
            f"{ent.ent_id_} {name}" if abbreviated else f"{ent.text.strip()} {name}")
        found.append(ActorMention(start, end, text[start:end], " ".join(canonical.split()),
                                  "organisation", f"{NER_EXTRACTOR}:state-institution"))
    return found


_LEFT_CONJUNCT = re.compile(r"(?:^|(?<=\bthe )|(?<=\bThe )|(?<=\())((?:[A-Z][a-z]+\s+){1,3})(?:and|&)\s+$")


def _inside_a_name(ent: Span) -> bool:
    """A capital city's name with a capitalised word joined to it, as in a person's surname
    ("George Washington") or an organisation's name ("the Washington Post")."""
    doc = ent.doc
    before = doc[ent.start - 1] if ent.start > 0 else None
    after = doc[ent.end] if ent.end < len(doc) else None
    joined_before = before is not None and before.text[:1].isupper() and before.is_alpha \
        and not before.is_sent_start and before.lower_ not in SMALL_WORDS and not before.ent_type_ \
        and not before.whitespace_ == ""
    joined_after = after is not None and after.text[:1].isupper() and after.is_alpha \
        and not after.ent_type_ and ent[-1].whitespace_ == " " and after.lower_ not in SMALL_WORDS
    return joined_before or joined_after


def _coordinated_names(doc: Doc) -> list[tuple[Span, Span]]:
    """'Space Training and Readiness Command': NER cut one name at its "and" into a
    headless part and a part with the institution noun (or left the first part untagged);
    the two are one name."""
    text = doc.text   # Doc.text joins every token: read it once
    pairs = []
    ents = list(doc.ents)
    for b in ents:
        if b.label_ != "ORG" or _head(b.text.split()) not in INSTITUTION_HEADS:
            continue
        m = _LEFT_CONJUNCT.search(text[max(0, b.start_char - 60):b.start_char])
        if not m:
            continue
        start = b.start_char - (len(m.group(0)))
        left = doc.char_span(start, start + len(m.group(1).rstrip()), alignment_mode="expand")
        if left is None or any(t.ent_type_ for t in left) or _head(m.group(1).split()) in INSTITUTION_HEADS:
            continue
        pairs.append((left, b))
    for a, b in zip(ents, ents[1:], strict=False):
        if a.label_ not in ("PERSON", "ORG") or b.label_ != "ORG":
            continue
        if text[a.end_char:b.start_char] not in (" and ", " & "):
            continue
        a_words, b_words = a.text.split(), b.text.split()
        if DOCUMENT_WORDS.search(a.text) or any(ROMAN.match(w) or len(w) == 1 for w in a_words):
            continue
        if len(a_words) < 2 or len(b_words) < 2 or _head(b_words) not in INSTITUTION_HEADS \
                or _head(a_words) in INSTITUTION_HEADS or not all(w[:1].isupper() for w in a_words + b_words):
            continue
        pairs.append((a, b))
    return pairs


def _monarchs(doc: Doc, taken: list[tuple[int, int]]) -> list[ActorMention]:
    """'Queen Juliana | Kingdom of the Netherlands' in a table row NER leaves untagged."""
    text = doc.text   # Doc.text joins every token: read it once
    found = []
    for m in _MONARCH_IN_TEXT.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        name = _regnal(m.group(0), text[m.end():m.end() + 80])
        if name:
            found.append(ActorMention(m.start(), m.end(), m.group(0), name, "person",
                                      f"{NER_EXTRACTOR}:monarch"))
    return found


def _gazetteer_actor(ent: Span, text: str, whole_text: str) -> list[ActorMention]:
    """The actor a gazetteer entity names, or none: a capital read as a place or inside a
    longer name, a short armed-group acronym the paper never spells out."""
    if ent.label_ == "CAPITAL" and _LOCATIVE.search(text[max(0, ent.start_char - 12):ent.start_char]):
        return []  # "the embassy in Belgrade" is a place; "Beijing views" is the state
    if ent.label_ == "CAPITAL" and _inside_a_name(ent):
        return []  # "George Washington", "the Washington Post": part of a longer name
    if ent.label_ == "ARMED_GROUP" and len(ent.text) <= 4 and ent.text.isupper() \
            and ent.ent_id_ not in whole_text:
        return []  # a short acronym names an armed group only where the paper names it in full
    return [ActorMention(ent.start_char, ent.end_char, ent.text, ent.ent_id_, ACTOR_LABELS[ent.label_],
                         f"gazetteer:{ent.label_.lower()}")]


def gazetteer_actors(doc: Doc) -> list[ActorMention]:
    """The actors the gazetteer names in a Doc, as `actor_mentions` reads them."""
    text = doc.text
    return [m for ent in doc.ents if ent.label_ in ACTOR_LABELS and ent.ent_id_
            for m in _gazetteer_actor(ent, text, text)]


def actor_mentions(doc: Doc, ner_extractor: str = NER_EXTRACTOR) -> list[ActorMention]:
    """Every actor mention in document order, canonical names resolved within the document."""
    text = doc.text   # Doc.text joins every token: read it once
    paper = _Paper(doc)
    mentions: list[ActorMention] = []
    cut_initials: list[tuple[int, int]] = []
    joined = _coordinated_names(doc)
    for first, second in joined:
        name = " ".join(text[first.start_char:second.end_char].split())
        name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
        mentions.append(ActorMention(first.start_char, second.end_char, name, name, "organisation",
                                     ner_extractor))
    for ent in doc.ents:
        if any(ent.start == a.start and ent.end == a.end for pair in joined for a in pair):
            continue
        if ent.label_ in ACTOR_LABELS and ent.ent_id_:
            mentions.extend(_gazetteer_actor(ent, text, paper.whole_text))
            continue
        if ent.label_ == "PERSON" and re.search(r"\s[A-Z]$", ent.text.strip()) \
                and text[ent.end_char:ent.end_char + 1] == ".":
            cut_initials.append((ent.start_char, ent.end_char))
            continue   # "Michael A" cut at the initial's full stop: read whole below
        found = _ner_actor(ent, paper)
        if found:
            mentions.append(ActorMention(ent.start_char, ent.end_char, ent.text, found[0], found[1],
                                         ner_extractor))
    taken = [(m.start, m.end) for m in mentions]
    extra = _middle_initial_people(doc, paper, taken)
    extra += _monarchs(doc, taken + [(m.start, m.end) for m in extra])
    extra += _state_institutions(doc, paper, taken)
    mentions = sorted(mentions + [ActorMention(m.start, m.end, m.text, m.name, m.type, ner_extractor)
                                  for m in extra], key=lambda m: m.start)
    return _merge_names(mentions, {m.name for m in extra if m.extractor.endswith(":monarch")} |
                        {m.name for m in mentions if MONARCH.match(m.text.strip())})


def _merge_names(mentions: list[ActorMention], regnal: set[str] = frozenset()) -> list[ActorMention]:
    """'Putin' -> 'Vladimir Putin' when the document names him in full; a lone surname that
    no full name explains is dropped (NER's single-word persons are often wrong). A monarch
    named with the realm once ("Juliana of the Netherlands") is so named throughout."""
    full_people = {m.name for m in mentions if m.type == "person" and len(m.name.split()) > 1}
    canonical_of: dict[str, str] = {}
    for name in sorted(full_people, key=len, reverse=True):
        if " of " in name:
            canonical_of.setdefault(name.split(" of ")[0], name)
    for name in full_people:
        if " of " in name:
            continue
        words = name.split()
        canonical_of.setdefault(words[-1], name)
        canonical_of.setdefault(words[0], name)
        canonical_of.setdefault(" ".join(words[:1] + words[-1:]), name)
        if len(words) == 3 and not words[1].endswith("."):
            canonical_of.setdefault(" ".join(words[:2]), name)   # "Ketanji Brown" -> "... Jackson"
    people = {m.name for m in mentions if m.type == "person"}
    for name in people:   # "Kalakauaa", "Robert H. Michelc": a footnote letter glued to a name
        if name[-1].islower() and name[:-1] in people:
            canonical_of.setdefault(name, canonical_of.get(name[:-1], name[:-1]))
    merged = []
    for m in mentions:
        if m.type == "person":
            full = canonical_of.get(m.name)
            if len(m.name.split()) == 1 and full is None and not m.extractor.startswith("gazetteer") \
                    and m.name not in regnal:
                continue
            if full and full != m.name and (len(m.name.split()) == 1 or full.startswith(m.name + " of ")
                                            or len(full.split()) == 3 or m.name in regnal
                                            or full == m.name[:-1]):
                m = ActorMention(m.start, m.end, m.text, full, m.type, m.extractor)
        merged.append(m)
    return merged
