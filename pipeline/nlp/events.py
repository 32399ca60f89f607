"""Events: one record per dated happening, read off the dependency parse.

Each date expression attaches to the predicate that governs it: walking up the parse from
the date, the first verb, or an event noun met on the way ("the July 2016 summit", "a
November 2024 report"). That predicate, with its object, is the happening, and its type comes
from PETRARCH2's CAMEO verb dictionary (`verbs.py`). Predicates conjoined with it ("signed a
treaty and held exercises") are happenings of the same date; so is the main clause of a
dated temporal clause ("When X came to power in 2013, he chose ..."). A negated predicate
("has not ratified") is no happening, nor is a verb of measure or state ("grew by 2% in
2025", "remained"), nor a date that only names a document ("the 2015 Strategy states") or a
period of validity ("a plan for 2017-2020").

Participants are the actors in the predicate's arguments (subject, objects, the agent of a
passive, prepositional objects) and their conjuncts; clauses inside those arguments tell
other happenings and are left out. Forces, ministries and leaders take part under their own
names, and their state with them; a statement also with the actors of the clause it reports.
Sources ("according to X") and venues ("at the Valdai forum") are not participants. When the
sentence names nobody (or one side of a joint happening) in a paper about a pair of states,
the pair is added with `inferred` set and the reason given.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from . import offices, verbs
from .mentions import ActorMention, DateMention

EXTRACTOR = "parse:events"
SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
OBJECTS = {"dobj", "dative", "oprd", "attr", "pobj"}
CLAUSES = {"ccomp", "advcl", "relcl", "acl", "parataxis", "csubj", "xcomp", "conj"}
# Classes of verbs (hand-kept, patterns/verb_classes.json says why each exists)
NON_EVENT_VERBS = verbs.verb_class("state_or_measure")
OCCURRENCE_VERBS = verbs.verb_class("occurrence")
ENABLING_VERBS = verbs.verb_class("enabling")
DOCUMENT_VERBS = verbs.verb_class("document")
PARTICIPIAL_PREPOSITIONS = verbs.verb_class("participial_prepositions")
TEMPORAL_MARKS = {"when", "after", "once", "as", "while", "following"}
BILATERAL_TYPES = {"agreement", "exercise", "arms_transfer"}
_BILATERAL_WORDS = re.compile(r"\b(?:joint(?:ly)?|bilateral|two countries|both countries|the parties|"
                              r"both sides|the two sides|each other|two states)\b", re.IGNORECASE)
_DOCUMENT_YEAR = re.compile(
    r"^\s*(?:[A-Z][\w-]*\s+){0,3}(?:Strategy|Doctrine|White Paper|Report|Review|Concept|Paper)\s+"
    r"(?:states|says|notes|stresses|stipulates|emphasi[sz]es|argues|outlines|declares|reads)\b")
# "for the years 2017-2020", "until 2030": how long something holds, not when it happened
_VALIDITY = re.compile(r"\b(?:(?:for|to|until|through|till)\s+(?:the\s+)?(?:years?|period)(?:\s+of)?|"
                       r"for|until|through|till|to)\s*$|\bFY\s*$", re.IGNORECASE)   # and fiscal years
_NOT_PARTICIPANT = {"according", "at", "near", "off", "over", "despite", "like", "than", "since", "until"}
_LOCATIVE = {"in", "at", "near", "off", "over", "into"}
_PRONOUNS = {"he", "she", "his", "her", "him"}


@dataclass(frozen=True)
class EventMention:
    date: DateMention
    event_type: str
    trigger: str | None
    trigger_span: tuple[int, int] | None      # document offsets of the predicate
    actors: tuple[str, ...]
    location: str | None
    cluster: str
    pattern: str = ""                         # the verb pattern or noun that gave the type
    inferred: tuple[str, ...] = ()            # participants the sentence does not name
    inferred_reason: str | None = None


@dataclass
class Context:
    """What events need to know beyond the sentence."""

    affiliation: dict[str, str]
    focus: tuple[str, ...] = ()     # the pair of states the paper is about, if it is about a pair
    places: list[tuple[int, int, str]] = field(default_factory=list)
    home: str | None = None         # the state the paper mentions most: whose "the President"
    roles: list[offices.RoleMention] = field(default_factory=list)   # document offsets


def cluster_id(event_type: str, date: str | None, date_end: str | None, actors: tuple[str, ...]) -> str:
    key = "|".join([event_type, date or "", date_end or "", *sorted(actors)])
    return hashlib.sha1(key.encode()).hexdigest()[:12]


# --- the predicate a date belongs to ------------------------------------------------------

def governing(anchor: Token) -> tuple[Token | None, Token | None]:
    """(verb, event noun) governing a date token: the first verb up the parse, and the event
    noun the date modifies on the way there, if any ("the 2018 summit" -> summit). A
    participle used as a preposition ("Starting May 1, X imposed") or modifying a noun ("the
    award of contracts using open procedures on May 1") is passed over; a copula
    heading its clause ("which has been in service since 1981") tells a state: no verb."""
    nominal = None
    token = anchor
    while token.head.i != token.i:
        token = token.head
        if token.pos_ == "VERB" and (token.lower_ in PARTICIPIAL_PREPOSITIONS or token.tag_ == "VBG") \
                and token.dep_ in ("prep", "advcl", "acl", "npadvmod", "amod"):
            noun = _modified_noun(token)
            if nominal is None and token.dep_ in ("acl", "amod") and _noun_kind(noun):
                return None, noun   # "Executive Order 14347, dated September 5": the order
            continue
        if token.pos_ == "VERB":
            return token, nominal
        if token.pos_ == "AUX" and token.dep_ not in ("aux", "auxpass"):
            return None, nominal
        if nominal is None and token.pos_ in ("NOUN", "PROPN") and verbs.noun_type(token.lemma_.lower()):
            nominal = token
    return None, nominal


def _modified_noun(participle: Token) -> Token:
    """The noun a participle like "dated" describes: the noun phrase right before it ("Order
    14347 dated May 5"), which the parser sometimes attaches elsewhere."""
    before = participle.doc[participle.i - 1] if participle.i > 0 else participle.head
    while before.is_punct and before.i > 0:
        before = before.doc[before.i - 1]
    if before.pos_ == "NUM" and before.dep_ == "nummod":
        before = before.head
    return before if before.pos_ in ("NOUN", "PROPN") else participle.head


def is_negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children) or \
        any(c.dep_ == "neg" for a in verb.children if a.dep_ in ("aux", "auxpass") for c in a.children)


def _phrase_lemmas(noun: Token) -> list[str]:
    """'joint military exercises' -> ['exercise', 'military exercise', 'joint military exercise']."""
    mods = [c for c in noun.children if c.dep_ in ("compound", "amod") and c.i < noun.i]
    words = [noun.lemma_.lower()]
    phrases = [words[0]]
    for mod in reversed(mods):
        words.insert(0, mod.lemma_.lower())
        phrases.append(" ".join(words))
    return phrases


def _resolve_relative(noun: Token) -> Token:
    """'the base, which was opened in 2017': which -> base."""
    if noun.tag_ in ("WDT", "WP") and noun.head.dep_ == "relcl":
        return noun.head.head
    return noun


def _object(verb: Token) -> Token | None:
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass", "dative", "attr")), None)
    return _resolve_relative(obj) if obj is not None else None


def _subject(verb: Token) -> Token | None:
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None and verb.dep_ == "xcomp":   # "the address is scheduled to occur": the address
        subj = next((c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None and verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head     # "the first patrol, which took place in 2019"; "sales falling to ..."
    return _resolve_relative(subj) if subj is not None else None


def _noun_kind(noun: Token | None) -> str | None:
    """An event noun's type, reading its compounds too ("missile test", "war game")."""
    if noun is None:
        return None
    for phrase in reversed(_phrase_lemmas(noun)):
        kind = verbs.noun_type(phrase)
        if kind:
            return kind
    return None


def event_type(verb: Token | None, nominal: Token | None, depth: int = 0) -> tuple[str, str] | None:
    """(event type, the pattern or noun that decided it); None when no happening is told.

    In order: for verbs of occurrence, the event noun in their subject ("the patrol took
    place"); a verb pattern that names the object or preposition ("sign ... agreement"); the
    event noun the date modifies; the verb's complement ("agreed to sell arms"); the event
    noun in the object of a light verb, a verb of saying or of enabling; the event noun in
    the subject of a verb without object or of measure ("arms sales peaked"); the verb's own
    code; else "other" for a verb that tells a happening, and None for one of state."""
    if verb is None:
        kind = _noun_kind(nominal)
        return (kind, f"noun:{nominal.lemma_.lower()}") if kind else None
    lemma = verb.lemma_.lower()
    particle = next((c.lemma_.lower() for c in verb.children if c.dep_ == "prt"), None)
    phrasal = f"{lemma}_{particle}" if particle else lemma
    if lemma == "take" and any(c.lower_ == "place" for c in verb.children if c.dep_ == "dobj"):
        phrasal = "take_place"
    obj = _object(verb)
    if phrasal in OCCURRENCE_VERBS:   # "the first joint patrol took place in 2019"
        subject = _subject(verb)
        kind = _noun_kind(subject)
        return (kind, f"noun:{subject.lemma_.lower()} + {phrasal}") if kind else ("other", phrasal)
    objects = _phrase_lemmas(obj) if obj is not None else []
    heads = [*verb.children, *(obj.children if obj is not None else [])]
    preps = [(c.lemma_.lower(), phrase) for c in heads if c.dep_ in ("prep", "agent")
             for p in c.children if p.dep_ == "pobj" for phrase in _phrase_lemmas(p)]
    found = verbs.verb_type(lemma, objects, preps, particle)
    if found is not None and found.specific:
        return found.event_type, found.pattern
    nominal_kind = _noun_kind(nominal)
    if nominal_kind:
        return nominal_kind, f"noun:{nominal.lemma_.lower()}"
    complement = next((c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
    if complement is not None and depth < 2:
        inner = event_type(complement, None, depth + 1)
        if inner is not None and inner[0] != "other":
            return inner[0], f"{lemma} to {inner[1]}"
    object_kind = _noun_kind(obj)
    if object_kind and (found is None or found.code == "extra" or lemma in ENABLING_VERBS
                        or found.event_type == "statement" and object_kind != "meeting"):
        # a light verb takes its object's type ("held talks"), as does a verb whose own type
        # is only a hand-kept default ("established a joint venture") and a verb of saying
        # ("announced the creation of") or of enabling ("authorized the establishment of"),
        # unless the object is its audience ("addressed the summit")
        return object_kind, f"{lemma} + noun:{obj.lemma_.lower()}"
    subject = _subject(verb) if obj is None or lemma in NON_EVENT_VERBS else None
    subject_kind = _noun_kind(subject)
    if subject_kind:   # "the first deliveries arrived", "arms sales reached $2 billion"
        return subject_kind, f"noun:{subject.lemma_.lower()} + {lemma}"
    if lemma in NON_EVENT_VERBS or lemma in DOCUMENT_VERBS:
        return None
    if found is not None:
        return found.event_type, found.pattern
    for _, phrase in preps:   # "scheduled for delivery", "participated in operations"
        kind = verbs.noun_type(phrase)
        if kind:
            return kind, f"{lemma} + noun:{phrase}"
    return "other", lemma


# --- participants -------------------------------------------------------------------------

def _argument_tokens(verb: Token) -> set[int]:
    """Token indices of the predicate's arguments, without the clauses inside them."""
    keep: set[int] = set()

    def walk(token: Token) -> None:
        keep.add(token.i)
        for child in token.children:
            if child.dep_ in CLAUSES and child.pos_ in ("VERB", "AUX"):
                continue
            if child.dep_ == "prep" and child.lower_ in _NOT_PARTICIPANT:
                continue
            walk(child)

    for child in verb.children:
        if child.dep_ in SUBJECTS | OBJECTS | {"agent"}:
            walk(child)
        elif child.dep_ == "prep" and child.lower_ not in _NOT_PARTICIPANT:
            walk(child)
        elif child.dep_ == "xcomp":   # "decided to impose X on Y": X and Y take part too
            keep.update(_argument_tokens(child))
    if verb.dep_ == "conj" and not any(c.dep_ in SUBJECTS for c in verb.children):
        for subject in (c for c in verb.head.children if c.dep_ in SUBJECTS):
            walk(subject)   # conjoined verbs share their subject: "X signed A and ratified B"
    return keep


def _said_about(verb: Token) -> set[int]:
    """What a statement is about: the arguments of the clause it reports ("the agency assessed
    that Iran was not building a weapon": Iran)."""
    return {i for clause in verb.children if clause.dep_ == "ccomp" for i in _argument_tokens(clause)}


def _nominal_tokens(noun: Token) -> set[int]:
    return {t.i for t in noun.subtree}


def participants(doc: Doc, tokens: set[int], mentions: list[ActorMention], context: Context,
                 people: list[ActorMention], date: DateMention | None = None) -> list[str]:
    """Canonical actors named in the argument tokens; an office named without its holder
    ("the President", "Russia's defence minister") stands for whoever held it on the event's
    date; a 'he' or 'she' stands for the person last named before it, when no person is named."""
    names: list[str] = []
    person_named = False
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not any(t.i in tokens for t in span) or m.type == "other":
            continue
        person_named = person_named or m.type == "person"
        state = context.affiliation.get(m.name)
        names.append(m.name)
        if state:
            names.append(state)
    if date is not None and date.date:
        names.extend(_office_holders(doc, tokens, context, date.date, person_named))
    pronoun = next((doc[i] for i in sorted(tokens) if doc[i].lower_ in _PRONOUNS), None)
    if not person_named and pronoun is not None:
        earlier = [p for p in people if p.end <= pronoun.idx]
        if earlier:
            person = earlier[-1]
            names[:0] = [person.name, *[s for s in [context.affiliation.get(person.name)] if s]]
    return list(dict.fromkeys(names))


def _office_holders(doc: Doc, tokens: set[int], context: Context, date: str, person_named: bool) -> list[str]:
    """Holders of the offices named in the arguments without a name of their own; an office
    with no state named is the paper's own state's ("the President" in a paper on the US)."""
    found = []
    for role in context.roles:
        span = doc.char_span(role.start, role.end, alignment_mode="expand")
        if span is None or not any(t.i in tokens for t in span) or role.named or person_named:
            continue
        state = role.state or context.home
        person = offices.holder(state, role.role, date) if state else None
        if person:
            found.extend([person, state])
    return found


def _in_locative(span: Span) -> bool:
    """'in the Baltic Sea', 'off Crete': the place is the object of a locative preposition."""
    noun = span.root
    while noun.dep_ in ("compound", "amod", "nmod", "det") and noun.head.i != noun.i:
        noun = noun.head
    return noun.dep_ == "pobj" and noun.head.lemma_.lower() in _LOCATIVE


def _location(doc: Doc, tokens: set[int], context: Context) -> str | None:
    for start, end, name in context.places:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and span.root.i in tokens and _in_locative(span):
            return name
    return None


def _with_focus(names: list[str], kind: str, text: str,
                context: Context) -> tuple[list[str], tuple[str, ...], str | None]:
    """The paper's pair joins a happening that names nobody, or one side of a joint one:
    (participants, those added, why)."""
    if not context.focus:
        return names, (), None
    named = {n for n in names if n in context.focus}
    bilateral = kind in BILATERAL_TYPES or _BILATERAL_WORDS.search(text)
    if not names or (bilateral and len(named) == 1):
        added = tuple(s for s in context.focus if s not in names)
        why = (f"the paper is about {' and '.join(context.focus)}; the sentence names "
               f"{'one side' if names else 'nobody'}")
        return names + list(added), added, why
    return names, (), None


# --- events of one sentence ---------------------------------------------------------------

def _kept(dates: list[DateMention], sentence: Span) -> list[DateMention]:
    """Dates that may stand for a happening: not a document's name-year, not a validity period."""
    text, offset = sentence.text, sentence.start_char
    return [d for d in sorted(dates, key=lambda d: d.start)
            if not _DOCUMENT_YEAR.match(text[d.end - offset:])
            and not _VALIDITY.search(text[:max(0, d.start - offset)])]


def _names_a_year(span: Span) -> bool:
    """'the Trade Act of 1974', 'the Class of 2020': a year inside a proper name."""
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ == "PROPN"


def _dated_verbs(doc: Doc, dates: list[DateMention]) -> set[int]:
    verbs_with_dates = set()
    for d in dates:
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is not None:
            verb, _ = governing(span.root)
            if verb is not None:
                verbs_with_dates.add(verb.i)
    return verbs_with_dates


_OWN_TIME = {"then", "later", "afterwards", "subsequently", "since", "now", "today", "thereafter",
             "previously"}


def _companions(verb: Token, dated: set[int]) -> list[Token]:
    """Predicates sharing this verb's date: its conjuncts with no time of their own ("and
    since then bought" has one), and the main clause of a dated temporal clause ("When X
    did Y in 2013, Z did W")."""
    found = [c for c in verb.conjuncts if c.pos_ == "VERB" and c.i not in dated and c.i > verb.i
             and not any(t.lower_ in _OWN_TIME for t in c.children
                         if t.dep_ in ("advmod", "prep", "npadvmod"))]
    if verb.dep_ == "advcl" and verb.head.pos_ == "VERB" and verb.head.i not in dated and \
            any(c.dep_ in ("mark", "advmod") and c.lower_ in TEMPORAL_MARKS for c in verb.children):
        found.append(verb.head)
    return found


def table_row(sentence: Span) -> bool:
    return " | " in sentence.text


def _first_cell(sentence: Span) -> str:
    """The row's text up to its first cell boundary ("" when the row opens on one)."""
    return re.split(r"\s*\|", sentence.text, maxsplit=1)[0]


def _list_items(doc: Doc, after: int, end: int) -> list[tuple[Token, str, str, set[int]]]:
    """'in 2018: joint forums, strategic dialogues and a large exercise': each comma- or
    semicolon-separated item after the colon is a happening of that date, one per event noun
    of a distinct type in it. (predicate, type, pattern, tokens) per item event."""
    span = doc.char_span(after, end, alignment_mode="contract")
    if span is None:
        return []
    items, current = [], []
    for token in span:
        if token.text in (",", ";") and token.dep_ != "nummod":
            items.append(current)
            current = []
        else:
            current.append(token)
    items.append(current)
    found = []
    for item in items:
        kinds: set[str] = set()
        for token in item:
            kind = _noun_kind(token) if token.pos_ in ("NOUN", "PROPN") else None
            if kind and kind not in kinds:
                kinds.add(kind)
                found.append((token, kind, f"list item noun:{token.lemma_.lower()}", {t.i for t in item}))
    return found


def _row_event(sentence: Span) -> tuple[Token | None, tuple[str, str]]:
    """A table row holds no sentence to parse: its first cell names what the row's dates are
    the dates of, by its verb ("Report submitted") or else its event noun ("Summit")."""
    limit = sentence.start_char + len(_first_cell(sentence))
    cell = [t for t in sentence if t.idx < limit]
    verb = next((t for t in cell if t.pos_ == "VERB"), None)
    typed = event_type(verb, None) if verb is not None else None
    if typed is not None and typed[0] != "other":
        return verb, typed
    for token in cell:
        kind = verbs.noun_type(token.lemma_.lower())
        if kind:
            return token, (kind, f"noun:{token.lemma_.lower()}")
    return verb, typed or ("other", "table row")


def caption_type(caption: Span | None) -> tuple[str, str] | None:
    """The type a table's caption gives its rows ("Table 1. Addresses by Kings and Queens").
    Captions are noun phrases the tagger often reads as verbs: every word is tried as a noun."""
    for token in caption if caption is not None else ():
        kind = verbs.noun_type(verbs.norm(token.text))
        if kind:
            return kind, f"table caption noun:{verbs.norm(token.text)}"
    return None


def sentence_events(doc: Doc, sentence: Span, dates: list[DateMention], actors: list[ActorMention],
                    context: Context, people: list[ActorMention], caption: Span | None = None
                    ) -> list[EventMention]:
    """Events in one sentence; dates and actors carry document offsets; `caption` is the
    caption of the table the sentence is a row of."""
    kept = _kept(dates, sentence)
    if not kept:
        return []
    dated = _dated_verbs(doc, dates)
    events: list[EventMention] = []
    row = table_row(sentence)
    if row:
        first_cell = _first_cell(sentence)
        if not first_cell.strip():
            return []   # a header row ("| Steel (2017) | Copper (2025)") names columns, not happenings
        row_predicate, row_type = _row_event(sentence)
    for number, date in enumerate(kept):
        span = doc.char_span(date.start, date.end, alignment_mode="expand")
        if span is None:
            continue
        if _names_a_year(span):
            continue
        colon = re.match(r"\s*:", sentence.text[date.end - sentence.start_char:])
        if row:
            predicate, typed = row_predicate, row_type
            if predicate is None and date.start - sentence.start_char < len(first_cell):
                # a row led by its date is an entry of its caption's kind; led by a bare year
                # under a caption that names no happening, it is a row of statistics
                typed = caption_type(caption) or (typed if date.precision == "day" else None)
                if typed is None:
                    continue
            heads = [(predicate, typed, {t.i for t in sentence})]
        elif colon:
            end = kept[number + 1].start if number + 1 < len(kept) else sentence.end_char
            heads = [(token, (kind, pattern), tokens)
                     for token, kind, pattern, tokens in _list_items(doc, date.end + colon.end(), end)]
        else:
            verb, nominal = governing(span.root)
            if verb is not None and is_negated(verb):
                continue
            typed = event_type(verb, nominal)
            if typed is None:
                continue
            if verb is None or (nominal is not None and typed[1].startswith("noun:")):
                tokens = _nominal_tokens(nominal) | (_argument_tokens(verb) if verb is not None else set())
                heads = [(nominal, typed, tokens)]
            else:
                tokens = _argument_tokens(verb) | (_said_about(verb) if typed[0] == "statement" else set())
                heads = [(verb, typed, tokens)]
            for other in _companions(verb, dated) if verb is not None and nominal is None else []:
                other_type = event_type(other, None)   # "other" ("started to show") is no second happening
                if other_type and other_type[0] != "other" and not is_negated(other):
                    heads.append((other, other_type, _argument_tokens(other)))
        for predicate, (kind, pattern), tokens in heads:
            tokens = tokens - {t.i for t in span}
            names = participants(doc, tokens, actors, context, people, date)
            names, inferred, why = _with_focus(names, kind, sentence.text, context)
            trigger_span = None if predicate is None else (predicate.idx, predicate.idx + len(predicate.text))
            events.append(EventMention(
                date, kind, predicate.text if predicate is not None else None, trigger_span, tuple(names),
                _location(doc, tokens, context), cluster_id(kind, date.date, date.date_end, tuple(names)),
                pattern, inferred, why))
    return _one_per_predicate(events)


def _one_per_predicate(events: list[EventMention]) -> list[EventMention]:
    """Two dates on one predicate ("from 2001 to 2005", "in May and in June") are each kept;
    the same date read twice for one predicate is one event."""
    seen, kept = set(), []
    for e in events:
        key = (e.date.start, e.trigger_span)
        if key not in seen:
            seen.add(key)
            kept.append(e)
    return kept

