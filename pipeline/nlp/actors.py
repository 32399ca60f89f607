"""Actor mentions from gazetteer matches and NER, with one canonical name per actor.

The gazetteer (EntityRuler, JSONL patterns) gives canonical names for the actors analysts
follow. NER brings persons and organisations it lacks; those are cleaned of titles, merged
within the document ("President Putin", "Putin" -> the full name used elsewhere) and kept
only when they look like an actor: no dates, numbers, weapon systems or document titles.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from .gazetteer import ACTOR_LABELS
from .mentions import ActorMention

TITLES = re.compile(
    r"^(?:(?:the|former|then|late|US|U\.S\.|Russian|Chinese)\s+)*"
    r"(?:President|Vice[- ]President|Prime Minister|Premier|Chairman|General|Lieutenant General|"
    r"Colonel|Admiral|Marshal|Minister|Foreign Minister|Defen[cs]e Minister|Ambassador|"
    r"Secretary(?: of State| of Defense| General)?|Chancellor|Senator|Spokes(?:man|person|woman)|"
    r"Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Prof\.?|King|Queen|Crown Prince|Supreme Leader|Commander)\s+")
DOCUMENT_WORDS = re.compile(
    r"\b(?:Strategy|Treaty|Declaration|Paper|Report|Doctrine|Database|Act|Law|Charter|Agreement|"
    r"Initiative|Concept|Review|Communiqu[eé]|Statement|Resolution|Protocol|Convention|Thought|"
    r"Plan|Programme|Program|Memorandum|Accord|Pact|Index|Yearbook|Survey)\b")
WEAPON_LIKE = re.compile(r"\b[A-Z][A-Za-z]*-?\d|\d")
_ACRONYM_DEFINITION = re.compile(
    r"([A-Z][\w’'-]*(?:\s+(?:of|for|and|the|on|in|[A-Z][\w’'-]*))+)\s+\(([A-Z]{2,8})\)")
NER_EXTRACTOR = "ner"
_LOCATIVE = re.compile(r"\b(?:in|at|near|to|from|into|outside|around)\s+$", re.IGNORECASE)


def _clean_person(text: str) -> str:
    text = TITLES.sub("", text.strip())
    return re.sub(r"[’']s$", "", text).strip(" ,.")


def _defined_acronyms(text: str) -> set[str]:
    """'Energy Negotiators Forum (ENF)' defines ENF; only such acronyms pass as NER actors."""
    return {acronym for long_form, acronym in _ACRONYM_DEFINITION.findall(text)
            if "".join(w[0] for w in long_form.split() if w[0].isupper()).endswith(acronym)}


def _ner_actor(ent, acronyms: set[str]) -> tuple[str, str] | None:
    """(name, type) for an NER span worth keeping, None for junk."""
    text = ent.text.strip()
    if (not text or "\n" in text or text.endswith("-") or WEAPON_LIKE.search(text)
            or DOCUMENT_WORDS.search(text)):
        return None
    if ent.label_ == "PERSON":
        name = _clean_person(text)
        words = name.split()
        if not (1 <= len(words) <= 4) or not all(w[:1].isupper() for w in words):
            return None
        return name, "person"
    if ent.label_ == "ORG":
        name = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE).strip(" ,.")
        name = re.sub(r"[’']s$", "", name)
        if name.isupper() and len(name) <= 8:
            return (name, "organisation") if name in acronyms else None
        words = name.split()
        if not (2 <= len(words) <= 8) or not words[0][:1].isupper():
            return None
        return name, "organisation"
    return None


def actor_mentions(doc: Doc, ner_extractor: str = NER_EXTRACTOR) -> list[ActorMention]:
    """Every actor mention in document order, canonical names resolved within the document."""
    acronyms = _defined_acronyms(doc.text)
    mentions: list[ActorMention] = []
    for ent in doc.ents:
        if ent.label_ == "CAPITAL" and _LOCATIVE.search(doc.text[max(0, ent.start_char - 12):ent.start_char]):
            continue  # "the embassy in Belgrade" is a place; "Beijing views" is the state
        if ent.label_ in ACTOR_LABELS and ent.ent_id_:
            mentions.append(ActorMention(ent.start_char, ent.end_char, ent.text, ent.ent_id_,
                                         ACTOR_LABELS[ent.label_], f"gazetteer:{ent.label_.lower()}"))
            continue
        found = _ner_actor(ent, acronyms)
        if found:
            mentions.append(ActorMention(ent.start_char, ent.end_char, ent.text, found[0], found[1],
                                         ner_extractor))
    return _merge_names(mentions)


def _merge_names(mentions: list[ActorMention]) -> list[ActorMention]:
    """'Putin' -> 'Vladimir Putin' when the document names him in full; a lone surname that
    no full name explains is dropped (NER's single-word persons are often wrong)."""
    full_people = {m.name for m in mentions if m.type == "person" and len(m.name.split()) > 1}
    canonical_of: dict[str, str] = {}
    for name in full_people:
        canonical_of.setdefault(name.split()[-1], name)
        canonical_of.setdefault(name.split()[0], name)
    merged = []
    for m in mentions:
        if m.type == "person" and len(m.name.split()) == 1:
            full = canonical_of.get(m.name)
            if full is None:
                continue
            m = ActorMention(m.start, m.end, m.text, full, m.type, m.extractor)
        merged.append(m)
    return merged
