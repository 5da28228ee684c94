"""Words real MIMIC text uses that are never PHI on their own, from resources the package installs (nothing is
downloaded), in the manner of philter's safe lists:

* the demo's dictionaries that ``mimic_qa.synth`` ships (ODbL): lab items and fluids, ICU items and their
  abbreviations, ICD-9/10 diagnosis and procedure titles, HCPCS descriptions;
* drug names and their brands and synonyms (``drug-named-entity-recognition``: DrugBank's open vocabulary,
  MeSH, NHS and MedlinePlus names);
* the curated eponyms, organisms and clinical words of :mod:`mimic_qa.phi.vocabulary`.

A source's own dictionaries add to these when it has them (``Vocabulary.build``).
"""

from __future__ import annotations

import bz2
import importlib.util
import pickle
import re
from functools import lru_cache
from pathlib import Path

from mimic_qa.phi.lexicon import ascii_fold

_WORD = re.compile(r"[^\W\d_]+")
# shipped dictionary tables and the columns whose words count
SHIPPED: dict[str, tuple[str, ...]] = {
    "d_labitems": ("label", "fluid", "category"),
    "d_items": ("label", "abbreviation", "category", "unitname"),
    "d_icd_diagnoses": ("long_title",),
    "d_icd_procedures": ("long_title",),
    "d_hcpcs": ("short_description",),
}


def words_of(text: str) -> set[str]:
    """Lower-case, accent-folded words of two letters or more."""
    return {w for w in _WORD.findall(ascii_fold(text).lower()) if len(w) > 1}


def _dictionaries_dir() -> Path:
    spec = importlib.util.find_spec("mimic_qa.synth")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "data" / "dictionaries"


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str]:
    """Words of the demo's dictionary tables shipped with the package."""
    import duckdb

    from mimic_qa.sources.csv_loader import csv_read

    folder, con = _dictionaries_dir(), duckdb.connect()
    out: set[str] = set()
    try:
        for table, columns in SHIPPED.items():
            path = folder / f"{table}.csv.gz"
            if not path.is_file():
                continue
            relation = csv_read(path)  # every column as text
            present = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()}
            for column in columns:
                if column in present:
                    out.update(w for (w,) in con.execute(
                        f"SELECT DISTINCT unnest(regexp_split_to_array(lower(strip_accents(\"{column}\")), "
                        f"'[^a-z]+')) FROM {relation}").fetchall() if w and len(w) > 1)
    finally:
        con.close()
    return frozenset(out)


@lru_cache(maxsize=1)
def drug_words() -> frozenset[str]:
    """Words of drug names, brands and synonyms (``drug-named-entity-recognition``'s dictionary)."""
    spec = importlib.util.find_spec("drug_named_entity_recognition")
    if spec is None or spec.origin is None:
        return frozenset()
    with bz2.open(Path(spec.origin).parent / "drug_ner_dictionary.pkl.bz2") as fh:
        data = pickle.load(fh)  # the package's own data file, as the package itself loads it
    out: set[str] = set()
    for variant in data.get("drug_variant_to_canonical", {}):
        out |= words_of(variant)
    return frozenset(out)


@lru_cache(maxsize=1)
def medical_words() -> frozenset[str]:
    """Every safe word above (dictionaries and drugs; the curated lists are added by ``Vocabulary``)."""
    return dictionary_words() | drug_words()
