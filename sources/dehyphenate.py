"""Join words split by a line-end hyphen ("strate-" + "gic") and keep real hyphens.

The document itself is the dictionary: a split word whose joined form appears elsewhere in it
is joined, one whose hyphenated form appears is kept. Otherwise a capital or digit after the
hyphen (Sino-Russian, S-400) or a prefix that takes a hyphen (self-, non-) keeps it, and
anything else is a typesetter's break and is joined.
"""
from __future__ import annotations

import re
from collections import Counter

# Prefixes that keep their hyphen before a lower-case word ("self-reliance", "non-interference");
# short list on purpose: "state-", "low-" or "pre-" at a line end are mostly "statement", "lower",
# "prevent". A common suffix after the break ("-ly", "-ing") always joins.
KEEP_HYPHEN_PREFIXES = frozenset({"self", "non", "quasi", "so", "well"})
_SUFFIXES = ("ly", "er", "ers", "ing", "ed", "es", "s", "ment", "ments", "age", "tion", "tions",
             "ness", "est", "ity", "ies", "al")
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_SPLIT_END = re.compile(r"([A-Za-z]+(?:-[A-Za-z]+)*)-$")
_HEAD = re.compile(r"^([A-Za-z]+)")


def vocabulary(texts: list[str]) -> Counter:
    """Lower-cased words and hyphenated compounds seen anywhere in the document."""
    counts: Counter = Counter()
    for text in texts:
        for word in _WORD.findall(text):
            counts[word.lower()] += 1
    return counts


def join_lines(first: str, second: str, vocab: Counter) -> str:
    """Join two consecutive lines of one paragraph, repairing a line-end hyphen if needed."""
    first, second = first.rstrip(), second.lstrip()
    if not first:
        return second
    if not second:
        return first
    split = _SPLIT_END.search(first)
    if split is None:
        if first.endswith(("-", "–", "—", "/")) and not first.endswith((" -", " –", " —")):
            return first + second  # "34–" + "60 per cent", a URL wrapped at a slash
        return f"{first} {second}"
    head = _HEAD.match(second)
    if head is None or not head.group(1)[0].islower():
        return first + second  # Sino- + Russian, S- + 400: the hyphen is real
    left = split.group(1).split("-")[-1]
    right = head.group(1)
    joined, hyphenated = (left + right).lower(), f"{left}-{right}".lower()
    if vocab[joined] > vocab[hyphenated]:
        return first[:-1] + second
    if right.lower() in _SUFFIXES:
        return first[:-1] + second
    if vocab[hyphenated] > 0 or left.lower() in KEEP_HYPHEN_PREFIXES:
        return first + second
    return first[:-1] + second
