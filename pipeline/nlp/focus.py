"""The pair of states a paper is about, if it is about a pair.

Papers on a relationship ("China-Russia security cooperation") name both states in their
opening (title and first lines) and then mention them far more than any other state. A paper
on one state's policy, or on a topic, has no pair: its events get only the participants their
sentences name.
"""
from __future__ import annotations

from collections import Counter

from .mentions import ActorMention

OPENING = 400          # characters: the title and first lines
MIN_MENTIONS = 3       # the second state of the pair is mentioned at least this often
SHARE = 0.4            # and the two together make at least this share of state mentions


def focal_pair(actors: list[ActorMention], opening_end: int = OPENING) -> tuple[str, ...]:
    counts = Counter(m.name for m in actors if m.type == "state")
    top = counts.most_common(2)
    if len(top) < 2 or top[1][1] < MIN_MENTIONS or top[0][1] + top[1][1] < SHARE * sum(counts.values()):
        return ()
    opening = {m.name for m in actors if m.type == "state" and m.start < opening_end}
    pair = (top[0][0], top[1][0])
    return pair if set(pair) <= opening else ()
