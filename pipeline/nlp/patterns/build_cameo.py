"""Convert PETRARCH2's CAMEO verb dictionary into cameo_verbs.jsonl, the project's verb patterns.

Run by hand when the dictionary changes (build time only; nothing reads ../shared at run time)::

    python -m briefex.pipeline.nlp.patterns.build_cameo /work/shared/vendor/petrarch2/CAMEO.2.0.txt
    python pipeline/nlp/patterns/build_cameo.py /work/shared/vendor/petrarch2/CAMEO.2.0.txt

Source and licence: CAMEO.2.0.txt from PETRARCH2 (github.com/openeventdata/petrarch2, commit
676801cd9cb2924bbbad09f86d15c9323e7097bf, petrarch2/data/dictionaries/), Copyright (c) 2014-2015
Open Event Data (Alliance), MIT licence; the full text is in LICENSE.petrarch2 beside this file.
cameo_verbs.jsonl is derived from it and carries the same licence.

What the converter does with the dictionary (format in PETRARCH2's dictionaries.rst):

- A block (``--- NAME [code] ---``) is a verb synonym set; each verb line is a lemma, with
  irregular forms in ``{...}`` (kept as ``forms`` on the verb's first row) and an optional own
  code in ``[...]``. Every pattern of the block applies to every verb of the block.
- Multi-word verbs (``+CARRY_OUT``, ``+ASK_FOR``, ``+TAKE_LEAVE``): the ``+`` word is the verb
  (inflected primaries such as ``+ANGERED_BY`` are brought back to the lemma); a following particle
  becomes ``particle``, a preposition a ``prep`` with any object, a noun the ``object``. Entries
  with words before the verb (``WIRE_+TAP``) or joined by AND/OR (``+KILLED_AND``) are skipped:
  they are parser workarounds, not English verbs.
- Patterns ``- [pre-verb nouns] * [post-verb nouns] [(PREP noun)...] [code]``: ``{A B}`` is a noun
  phrase with head B, ``&SET`` a synonym set (expanded), ``(PREP X)`` a prepositional phrase,
  ``(PREP)`` one with any object, ``A/B`` alternatives. Source/target/skip markers ``$ + % ^`` are dropped (a
  preposition whose object is only a marker takes any object). Pre-verb nouns become ``subject``.
  Bare words after ``*``: a particle word first (OUT, UP, OFF...) is the ``particle``; a bare
  preposition opens a prepositional phrase; other consecutive bare words form a noun phrase.
  Nouns are stored singular (verbs.norm), as spaCy lemmas are.
- Codes: ``[A:B]`` takes A (else B); the null code ``---`` yields no row, and neither does a
  verb whose only code is ``---`` or a vague block default given to a light verb (GENERIC_VERBS):
  for those verbs only a matching pattern gives a type. Transformations (``~``) are ignored.
- Types: TYPE_BY_CODE below, refined by the object where CAMEO's code is coarser than the nine
  types (refine()): exercises, weapons changing hands, troops sent as military aid.
"""
from __future__ import annotations

import importlib.util
import itertools
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "cameo_verbs.jsonl"


def _load_verbs_module():
    """verbs.py (pure Python) by path, so this runs as a module or as a plain script alike."""
    spec = importlib.util.spec_from_file_location("_briefex_verbs", HERE.parent / "verbs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module   # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


norm = _load_verbs_module().norm

# CAMEO code -> event type. The longest matching prefix wins, so a sub-code can override its
# family. Decisions beyond the coarse map (01-03, 10-13 statement; 04 meeting; 05-06
# agreement; 15, 18-20 military; 14, 16, 17 political):
# - 051 praise, 052 defend verbally, 055 apologise, 056 forgive are things said: statement;
#   054 diplomatic recognition is a change of status: political.
# - 07 provide aid: there is no aid type; general, economic and humanitarian aid and asylum are
#   "other"; 072 military aid is arms_transfer (arms, equipment, funding for them; troops sent
#   as aid become military in refine()); 074 military protection and peacekeeping is military.
# - 08 yield: easing sanctions or restrictions, concessions, releases, admitting inspectors and
#   peacekeepers are political; 087 de-escalation (ceasefire, lifting a blockade, demobilising,
#   retreat) is military.
# - 09 investigate: political.
TYPE_BY_CODE = {
    "01": "statement", "02": "statement", "03": "statement",
    "04": "meeting",
    "05": "agreement", "051": "statement", "052": "statement", "054": "political",
    "055": "statement", "056": "statement", "057": "agreement",
    "06": "agreement",
    "07": "other", "072": "arms_transfer", "074": "military",
    "08": "political", "087": "military",
    "09": "political",
    "10": "statement", "11": "statement", "12": "statement", "13": "statement",
    "14": "political",
    "15": "military",
    "16": "political", "17": "political",
    "18": "military", "19": "military", "20": "military",
}

# Verbs whose bare CAMEO default says nothing by itself: light verbs ("give" is in the GRANT
# [060] block, "join" in ASSEMBLE [040]) and the broad synonyms a block lends its code to
# ("increase", "lead", "conduct" under 060; "study" under 090; "think" under 040). For these only
# a matching pattern gives a type. A statement about English, reviewed block by block.
GENERIC_VERBS = frozenset("""
be have do make take give get go come put set keep hold bring add issue provide see look use run
turn move show place post stage pose position situate base format arrange consider introduce hear
enter continue accord assemble gather join unite cluster link boost enact influence disclose
prepare signal open start begin act seek leave appear seem remain become
admit confess affect impact tempt rejoice exuberate exult triumph back promote advertise advertize
support organise organize associate correlate conform concert integrate assist benefit serve
allocate allot apportion assign task amplify augment compound deepen enhance enlarge escalate
exaggerate expand heighten increase intensify magnify redouble constitute establish found institute
re-establish enlist enroll abate ameliorate appease assuage better ease expediate facilitate improve
mitigate simplify bequeath endow entrust lend loan supply award grant bestow attach bind chain connect
relate blend coalesce combine conflate fuse merge unify administer command conduct control dictate
direct enjoin govern handle head lead manage oversee prescribe regulate rule steer supervise supervize
exchange swap trade invest pay sponsor underwrite bankroll finance fund import buy purchase equip
attire gear outfit render stock tender furnish
search allow permit enable empower tolerate countenance clear verify pass fill bide abide submit bow
loosen tease undo untie disentangle detach disconnect disengage recede retire retract study examine
analyse analyze research explore check scan sweep mine dig rake comb skim unearth ascertain contain
enclose force impel reinforce bill inflict moderate extract pluck pull catch grab snatch overturn
revolutionise revolutionize appropriate pirate remove agitate agonise agonize annoy badger bother
discomfit disconcert disquiet disturb irk irritate pester plague rag torment upset vex arouse
enkindle provoke march disarray disorder
die match pit ring circle best master overshadow dominate overcome surmount ruin spoil mar tarnish
vitiate corrupt contaminate crack tear rip impair hurt abuse engage struggle conflict compete reside
inhabit infest tend ward garner rally parade break beat hit target blow
think reason weigh ponder meditate mull muse ruminate speculate contemplate excogitate reconsider
learn acquaint innovate insert elicit brave face confront encounter depart egress embark promulgate
count figure gauge measure score sum tally total calculate spread scatter disperse dissipate
distribute diffuse dispense propagate notice saw view watch witness involve concern anticipate await
expect copy echo imitate mimic intrude obtrude pry trespass mean plan gear groom ready train ensure
certify resurrect resuscitate revive endeavor endeavour strive reward value prize esteem toast clap
cheer prefer favor favour spur need want necessitate press push compensate contrast differ
counterbalance debase defile degrade prevent remit table retard inhibit endanger risk aim
""".split())

# Nouns that make a CAMEO code's coarse type finer (heads of the object phrase).
EXERCISE_HEADS = frozenset({"exercise", "drill", "manoeuvre", "maneuver", "maneuvre", "wargame",
                            "war game", "fight game"})
WEAPON_HEADS = frozenset({
    "weapon", "arm", "armament", "missile", "rocket", "munition", "ammunition", "bomb", "tank",
    "aircraft", "jet", "fighter", "bomber", "helicopter", "drone", "warship", "frigate",
    "submarine", "destroyer", "corvette", "artillery", "howitzer", "rifle", "gun", "launcher",
    "interceptor", "fighter-bomber", "warplane", "plane", "uav",
})
TRANSFER_VERBS = frozenset({
    "sell", "buy", "purchase", "procure", "acquire", "import", "export", "supply", "deliver",
    "ship", "transfer", "provide", "give", "lend", "donate", "send", "grant", "finance", "fund",
    "rush", "expedite", "airlift", "order", "trade", "furnish", "arm",
})
PERSONNEL_HEADS = frozenset({"troop", "soldier", "force", "army", "marine", "military",
                             "armed force", "armed service", "ground force", "reserve",
                             "peacekeeper", "police"})

PARTICLES = frozenset({"up", "down", "out", "off", "away", "back", "forward", "forth", "aside",
                       "apart", "together", "over", "in", "on", "through", "around", "along",
                       "behind", "about", "ahead"})
ALWAYS_PARTICLES = frozenset({"away", "back", "forward", "forth", "aside", "apart", "together",
                              "ahead", "out", "up", "down", "off"})
PREPOSITIONS = frozenset({"to", "into", "toward", "towards", "for", "of", "from", "with", "at",
                          "by", "against", "upon", "after", "under", "during", "as", "onto",
                          "within", "without", "between", "among", "amid", "across", "before",
                          "behind", "beyond", "near", "over", "in", "on", "through", "around",
                          "along", "about", "like", "since", "until", "despite", "via", "per"})
MARKERS = frozenset({"$", "+", "^", "%"})
MAX_ALTERNATIVES = 150
IRREGULAR_PRIMARY = {"is": "be", "are": "be", "was": "be", "shot": "shoot"}


def event_type(code: str) -> str | None:
    for length in (4, 3, 2):
        if code[:length] in TYPE_BY_CODE and len(code) >= length:
            return TYPE_BY_CODE[code[:length]]
    return None


def _head(phrase: str) -> str:
    return phrase.rsplit(" ", 1)[-1]


def refine(verb: str, code: str, objects: list[str] | None,
           preps: list[list] | None) -> str | None:
    """The type for a row: TYPE_BY_CODE, made finer by what the object names."""
    kind = event_type(code)
    if kind is None:
        return None
    nouns = list(objects or [])
    for prep, alts in preps or ():
        if prep == "of" and alts:
            nouns.extend(alts)   # "delivery of tanks", "(OF &WEAPON)"
    heads = {_head(n) for n in nouns} | set(nouns)
    family = code[:2]
    if heads & EXERCISE_HEADS and family in {"04", "05", "06", "15"}:
        return "exercise"
    if verb in TRANSFER_VERBS and heads & WEAPON_HEADS and family in {"03", "05", "06", "07"}:
        return "statement" if family == "03" else "arms_transfer"
    if code.startswith("072") and heads & PERSONNEL_HEADS and not heads & WEAPON_HEADS:
        return "military"
    return kind


def parse_code(text: str) -> str | None:
    """'[057:057]' -> '057'; '[:173]' -> '173'; '[---]' -> None."""
    first, _, second = text.strip("[] ").partition(":")
    for part in (first, second):
        digits = re.match(r"\d{2,4}", part.strip())
        if digits:
            return digits.group(0)
        if part.strip() == "---":
            return None
    return None


# ---------------------------------------------------------------------------- reading the file

def read_synsets(lines: list[str]) -> dict[str, list[str]]:
    synsets: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if line.startswith("&"):
            current = synsets.setdefault(line.rstrip("_").upper(), [])
        elif line.startswith("+") and current is not None:
            current.append(norm(line[1:].rstrip("_").replace("_", " ")))
        elif line.startswith("---") or line.startswith("- "):
            current = None
    return {k: list(dict.fromkeys(v)) for k, v in synsets.items()}


def _tokens(text: str) -> list[str]:
    return re.findall(r"[(){}]|[^\s(){}]+", text)


def _phrase_alternatives(words: list[str], synsets: dict[str, list[str]]) -> list[str] | None:
    """Words of one noun phrase (head last) -> its alternatives; None if only markers.

    ``{&FOOD AND &CURRENCY}`` is two phrases. Where synonym sets in modifier places would multiply
    past MAX_ALTERNATIVES ({&MILITARY &AIRCRAFT}), those modifiers are dropped and the head's
    alternatives kept: the pattern then asks less than CAMEO's, never something else.
    """
    words = [w for w in words if w not in MARKERS]
    if any(w.upper() in {"AND", "OR"} for w in words):
        parts, current = [], []
        for word in words:
            if word.upper() in {"AND", "OR"}:
                parts.append(current)
                current = []
            else:
                current.append(word)
        parts.append(current)
        merged = [alt for part in parts for alt in (_phrase_alternatives(part, synsets) or [])]
        return list(dict.fromkeys(merged)) or None
    slots: list[tuple[bool, list[str]]] = []
    for word in words:
        if word.startswith("&"):
            members = synsets.get(word.upper().rstrip("_"))
            if members is None:
                raise KeyError(word)   # an undefined synset: PETRARCH ignores the pattern
            slots.append((True, members))
        else:
            slots.append((False, [norm(word.replace("_", " "))]))
    if not slots:
        return None
    size = 1
    for _, members in slots:
        size *= len(members)
    if size > MAX_ALTERNATIVES:
        slots = [slot for slot in slots[:-1] if not slot[0]] + slots[-1:]
    return list(dict.fromkeys(" ".join(p) for p in itertools.product(*(m for _, m in slots))))


def parse_pattern(body: str, synsets: dict[str, list[str]]) -> dict | None:
    """'* &TREATY (ON &DEFENSE)' -> {"particle", "object", "prep", "subject"}; None if unusable."""
    if "*" not in body:
        return None
    before, after = body.split("*", 1)
    try:
        subject_words = [w for w in _tokens(before) if w not in "(){}"]
        # Pre-verb prepositional phrases qualify the subject; only its nouns are kept.
        subject_words = subject_words[:1] if subject_words else []
        subject = _phrase_alternatives(subject_words, synsets) if subject_words else None
        particle: str | None = None
        objects: list[str] | None = None
        preps: list[list] = []
        tokens = _tokens(after)
        i, bare, open_prep = 0, [], None

        def flush() -> None:
            nonlocal bare, objects, open_prep
            if not bare:
                return
            alts = _phrase_alternatives(bare, synsets)
            bare = []
            if alts is None:
                return
            if open_prep is not None and open_prep[1] is None:
                open_prep[1] = alts
            elif objects is None:
                objects = alts
            open_prep = None

        while i < len(tokens):
            tok = tokens[i]
            low = tok.lower()
            if tok == "(":
                flush()
                end = tokens.index(")", i) if ")" in tokens[i:] else len(tokens)
                inner = [t for t in tokens[i + 1:end] if t not in "{}"]
                i = end + 1
                if not inner:
                    continue
                word = inner[0].lower()
                rest = _phrase_alternatives(inner[1:], synsets) if inner[1:] else None
                if word in ALWAYS_PARTICLES and word not in PREPOSITIONS and particle is None:
                    particle = word   # "(ASIDE RIFT)": set aside a rift
                    if rest and objects is None:
                        objects = rest
                    continue
                entry = [word, rest]
                preps.append(entry)
                open_prep = entry if rest is None else None
                continue
            if tok == "{":
                flush()
                end = tokens.index("}", i) if "}" in tokens[i:] else len(tokens)
                bare = [t for t in tokens[i + 1:end] if t not in "()"]
                i = end + 1
                flush()
                continue
            i += 1
            if tok in ")}":
                continue
            if tok in MARKERS:
                flush()
                continue
            if particle is None and (low in ALWAYS_PARTICLES or low in PARTICLES and objects is None
                                     and not bare and not preps and low not in PREPOSITIONS):
                flush()   # "SET * OUT VIEWS", "GRAB * &WEAPON OUT"
                particle = low
                continue
            if low in PREPOSITIONS and not bare:
                entry = [low, None]
                preps.append(entry)
                open_prep = entry
                continue
            if low in PREPOSITIONS:
                flush()
                entry = [low, None]
                preps.append(entry)
                open_prep = entry
                continue
            bare.append(tok)
        flush()
    except KeyError:
        return None
    return {"particle": particle, "object": objects, "prep": preps or None, "subject": subject}


def _lemma_of_primary(word: str, known: set[str]) -> str:
    word = word.lower()
    if word in IRREGULAR_PRIMARY:
        return IRREGULAR_PRIMARY[word]
    if word.endswith("ed"):
        for stem in (word[:-2], word[:-1], word[:-3]):
            if stem in known:
                return stem
    return word


def parse_verb_line(line: str, block_code: str | None, known: set[str]) -> dict | None:
    """'+CARRY_OUT {+CARRIES_OUT ...} [180]' -> verb, particle, object, prep, code, forms."""
    code = block_code
    own = re.search(r"\[([^\]]*)\]", line)
    if own:
        code = parse_code(own.group(0))
        line = line[:own.start()] + line[own.end():]
    forms: list[str] = []
    braces = re.search(r"\{([^}]*)\}", line)
    if braces:
        forms = [f for f in re.split(r"[\s,]+", braces.group(1)) if f]
        line = line[:braces.start()] + line[braces.end():]
    primary = line.strip().split()[0] if line.strip() else ""
    if not primary:
        return None
    words = primary.split("_")
    if primary.startswith("+"):
        words[0] = words[0][1:]
    elif len(words) > 1 and any(w.startswith("+") for w in words):
        return None   # WIRE_+TAP: words before the verb
    elif len(words) > 1 and primary.upper().startswith("RE_"):
        words = ["re-" + words[1]]   # RE_ADMIT is re-admit
    words = [w.lower() for w in words if w]
    if any(w in {"and", "or"} for w in words):
        return None
    verb = _lemma_of_primary(words[0], known)
    particle, objects, preps = None, None, None
    rest = words[1:]
    if rest and rest[0] in PARTICLES and (rest[0] in ALWAYS_PARTICLES or rest[0] not in PREPOSITIONS
                                          or len(rest) == 1 and rest[0] in {"in", "on", "over"}):
        particle, rest = rest[0], rest[1:]
    if rest and rest[0] in PREPOSITIONS:
        preps = [[rest[0], [norm(" ".join(rest[1:]))] if rest[1:] else None]]
    elif rest:
        objects = [norm(rest[0])]
        if rest[1:] and rest[1] in PREPOSITIONS:
            preps = [[rest[1], [norm(" ".join(rest[2:]))] if rest[2:] else None]]
    form_words = []
    for form in forms:
        parts = [p for p in form.lstrip("+").split("_") if p]
        if parts and parts[0].lower() != verb:
            form_words.append(parts[0].lower())
    return {"verb": verb, "particle": particle, "object": objects, "prep": preps, "code": code,
            "forms": list(dict.fromkeys(form_words)), "primary": primary.lstrip("+").upper()}


def _expand_slashes(body: str) -> list[str]:
    """'(BY/WITH &WEAPON)' -> '(BY &WEAPON)', '(WITH &WEAPON)': a slash lists alternatives."""
    found = re.search(r"[^\s(){}]+/[^\s(){}]+", body)
    if not found or "&" in found.group(0):
        return [body]
    return [expanded for option in found.group(0).split("/")
            for expanded in _expand_slashes(body[:found.start()] + option + body[found.end():])]


def _pattern_text(verb_entry: dict, body: str) -> str:
    text = re.sub(r"\s+", " ", body.strip())
    return text.replace("*", verb_entry["primary"].replace("_", " "), 1)


def convert(text: str) -> list[dict]:
    """The whole dictionary text -> rows for cameo_verbs.jsonl (in dictionary order)."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("####### VERB PATTERNS")), None)
    if start is None:
        start = next((i for i, line in enumerate(lines) if line.startswith("---")), len(lines))
    synsets = read_synsets(lines[:start])
    known = {
        line.split()[0].lstrip("+").split("_")[0].lower()
        for line in lines[start:] if re.match(r"^\+?[A-Z]", line)
    }
    blocks: list[tuple[str | None, list[str], list[tuple[str, str | None]]]] = []
    for raw in lines[start:]:
        stripped = raw.strip()
        if not stripped or stripped.startswith("#") or stripped.startswith("~"):
            continue
        if stripped.startswith("---"):
            header = re.search(r"\[[^\]]*\]", stripped)
            blocks.append((parse_code(header.group(0)) if header else None, [], []))
            continue
        if not blocks:
            continue
        content = stripped.split("#", 1)[0].strip()
        if stripped.startswith("- ") or stripped == "-":
            code_match = re.search(r"\[[^\]]*\]", content)
            if not code_match:
                continue
            blocks[-1][2].append((content[1:code_match.start()], parse_code(code_match.group(0))))
        elif re.match(r"^\+?[A-Za-z]", content):
            blocks[-1][1].append(content)

    rows: list[dict] = []
    seen: set[str] = set()
    forms_given: set[tuple[str, str | None]] = set()

    def emit(entry: dict, row: dict) -> None:
        key = json.dumps([row[k] for k in ("verb", "particle", "object", "prep", "subject")])
        if key in seen:
            return   # the first of duplicate patterns wins, as in PETRARCH's reading order
        seen.add(key)
        ident = (entry["verb"], entry["particle"])
        if entry["forms"] and ident not in forms_given:
            forms_given.add(ident)
            row["forms"] = entry["forms"]
        rows.append(row)

    for block_code, verb_lines, patterns in blocks:
        entries = [e for e in (parse_verb_line(v, block_code, known) for v in verb_lines) if e]
        parsed = []
        for original, code in patterns:
            for body in _expand_slashes(original):
                pattern = parse_pattern(body, synsets)
                if pattern is not None and code is not None:
                    parsed.append((body, code, pattern))
        for entry in entries:
            for body, code, pattern in parsed:
                objects = pattern["object"] or entry["object"]
                preps = (entry["prep"] or []) + (pattern["prep"] or []) or None
                particle = entry["particle"] or pattern["particle"]
                kind = refine(entry["verb"], code, objects, preps)
                if kind is None or not (objects or preps or pattern["subject"] or particle):
                    continue
                emit(entry, {"verb": entry["verb"], "particle": particle, "object": objects,
                             "prep": preps, "subject": pattern["subject"], "code": code,
                             "type": kind, "pattern": _pattern_text(entry, body)})
            code = entry["code"]
            own_code = code != block_code
            if code is None or (entry["verb"] in GENERIC_VERBS and not own_code
                                and not entry["particle"] and not entry["object"]):
                continue
            kind = refine(entry["verb"], code, entry["object"], entry["prep"])
            if kind is None:
                continue
            emit(entry, {"verb": entry["verb"], "particle": entry["particle"],
                         "object": entry["object"], "prep": entry["prep"], "subject": None,
                         "code": code, "type": kind, "pattern": entry["primary"].replace("_", " ")})
    return rows


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (1, 2):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        print("usage: build_cameo.py CAMEO.2.0.txt [OUT.jsonl]", file=sys.stderr)
        return 2
    source = Path(args[0])
    out = Path(args[1]) if len(args) == 2 else OUT
    rows = convert(source.read_text(encoding="utf-8", errors="replace"))
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
    verbs = {r["verb"] for r in rows}
    print(f"{out}: {len(rows)} rows, {len(verbs)} verbs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
