"""Regenerate states.jsonl (EntityRuler patterns for every country) from pycountry and countryinfo.

Run by hand when those packages update: ``python pipeline/nlp/patterns/build_states.py``.
Names, official names, demonyms and capitals come from the packages, not from typing; what
analysts add by hand (adjective prefixes such as "Sino-", metonyms such as "the Kremlin",
non-member polities) lives in states_extra.jsonl, which this script never touches.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pycountry
from countryinfo import CountryInfo

OUT = Path(__file__).with_name("states.jsonl")
# Capitals that are more often something else in English prose; never read as a state.
AMBIGUOUS_CAPITALS = {"Victoria", "Kingston", "Georgetown", "Castries", "Roseau", "Palikir", "Apia",
                      "Funafuti", "Saint John's", "Basseterre", "Kingstown", "Avarua", "Alofi",
                      "Ngerulmud", "Melekeok", "Majuro", "Tarawa", "Yaren", "Honiara", "Port Louis",
                      "Victoria City", "Jerusalem", "San Jose", "Praia", "Male", "Nassau", "Belmopan"}
# Short codes worth matching; others (CN, RU, IT...) collide with ordinary words or never appear.
KEPT_CODES = {"US", "USA", "UK", "PRC", "DPRK", "ROK", "UAE", "ROC", "KSA"}
# The names analysts use, where the packages give a formal or reordered one.
PREFERRED = {"KR": "South Korea", "KP": "North Korea", "RU": "Russia", "US": "United States",
             "GB": "United Kingdom", "IR": "Iran", "SY": "Syria", "VN": "Vietnam", "TW": "Taiwan",
             "LA": "Laos", "MD": "Moldova", "TZ": "Tanzania", "BO": "Bolivia", "VE": "Venezuela",
             "CZ": "Czech Republic", "MK": "North Macedonia", "FM": "Micronesia", "PS": "Palestine",
             "CD": "Democratic Republic of the Congo", "CG": "Republic of the Congo", "BN": "Brunei",
             "CV": "Cape Verde", "SZ": "Eswatini", "TR": "Turkey", "VA": "Vatican City"}


def _clean(name: str) -> str | None:
    name = re.sub(r"\s*\(.*?\)", "", name).strip()
    name = name.replace(", D.C.", "")
    if not name or not re.fullmatch(r"[A-Za-z][A-Za-z .,'’&-]+", name) or "," in name:
        return None
    return name


def _info(alpha2: str) -> dict:
    try:
        return CountryInfo(alpha2).info() or {}
    except Exception:  # countryinfo lacks some territories
        return {}


def states() -> list[dict]:
    rows = []
    for country in pycountry.countries:
        info = _info(country.alpha_2)
        canonical = PREFERRED.get(country.alpha_2) or _clean(getattr(country, "common_name", "")) \
            or _clean(info.get("name", "")) or _clean(country.name)
        if canonical is None:
            continue
        names = {canonical, country.name, getattr(country, "official_name", ""),
                 getattr(country, "common_name", ""), info.get("name", "")}
        names.update(s for s in info.get("altSpellings", []) if len(s) > 3 or s in KEPT_CODES)
        names.update(c for c in (country.alpha_3, country.alpha_2) if c in KEPT_CODES)
        demonym = info.get("demonym")
        capital = info.get("capital")
        kinds = [(n, "name") for n in names] + [(demonym, "demonym")]
        if capital and capital not in AMBIGUOUS_CAPITALS:
            kinds.append((capital, "capital"))
        seen = set()
        for name, kind in kinds:
            clean = _clean(name or "") if kind != "name" or name in KEPT_CODES else _clean(name or "")
            if not clean or clean in seen:
                continue
            seen.add(clean)
            rows.append({"label": "STATE", "pattern": clean, "id": canonical, "source": kind,
                         "population": info.get("population") or 0})
    return _one_state_per_pattern(rows)


def _one_state_per_pattern(rows: list[dict]) -> list[dict]:
    """'Chinese' is the demonym of China and of Macau: a name beats a demonym or a capital,
    then the more populous state wins."""
    rank = {"name": 0, "demonym": 1, "capital": 2}
    best: dict[str, dict] = {}
    for row in rows:
        key = row["pattern"]
        current = best.get(key)
        if current is None or (rank[row["source"]], -row["population"]) < (
                rank[current["source"]], -current["population"]):
            best[key] = row
    return [{**{k: v for k, v in row.items() if k != "population"},
             "label": "CAPITAL" if row["source"] == "capital" else "STATE"} for row in best.values()]


if __name__ == "__main__":
    rows = states()
    with OUT.open("w", encoding="utf-8") as fh:
        for row in sorted(rows, key=lambda r: (r["id"], r["pattern"])):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} patterns for {len({r['id'] for r in rows})} states -> {OUT}")
