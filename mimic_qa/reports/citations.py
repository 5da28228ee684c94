"""Citations of a release: the spec's plain-text references, and BibTeX entries derived from them.

The spec holds each citation once, as the text PhysioNet asks for plus its DOI. BibTeX fields
(authors, year, title, journal ...) are parsed from that text, so there is no second hand-written
copy of the facts; a citation whose text no longer parses fails loudly in the tests.
"""

from __future__ import annotations

from collections.abc import Sequence

import re
from dataclasses import dataclass

from mimic_qa.spec import Release, Spec

# "Authors (2024). Title. Rest" (APA, as PhysioNet writes it)
_APA = re.compile(r"^(?P<authors>.+?) \((?P<year>\d{4})\)\. (?P<title>.+?)\. (?P<rest>.+)$")
# "Authors et al. Title. Journal 10, 1 (2023). https://doi.org/..." (Nature style)
_NATURE = re.compile(
    r"^(?P<authors>.+? et al\.) (?P<title>.+?)\. (?P<journal>.+?) (?P<volume>\d+), (?P<pages>\S+) \((?P<year>\d{4})\)\."
)
# APA rest for a journal article: "Circulation [Online]. 101 (23), pp. e215-e220."
_JOURNAL = re.compile(r"^(?P<journal>.+?)(?: \[Online\])?\. (?P<volume>\d+) \((?P<number>\d+)\), pp\. (?P<pages>[\w-]+)\.?$")
# APA rest for a data set: "PhysioNet. https://doi.org/..."
_PUBLISHER = re.compile(r"^(?P<publisher>[^.]+)\. https://doi\.org/\S+$")

ROLES: dict[str, str] = {
    "dataset": "The data set",
    "paper": "The original publication",
    "physionet": "PhysioNet (standard citation for its resources)",
}


@dataclass(frozen=True)
class Reference:
    """One work to cite: the text to paste, its DOI, and its BibTeX entry parts."""

    role: str  # dataset | paper | physionet
    key: str  # BibTeX key
    text: str
    doi: str
    entry_type: str  # BibTeX entry type
    fields: tuple[tuple[str, str], ...]  # BibTeX fields in order (unescaped)

    @property
    def label(self) -> str:
        return ROLES[self.role]

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}"


def _authors(text: str) -> list[str]:
    """'Johnson, A., Celi, L. A., & Mark, R.' -> ['Johnson, A.', 'Celi, L. A.', 'Mark, R.'] (+ 'others')."""
    others = text.endswith(" et al.")
    if others:
        text = text[: -len(" et al.")]
    tokens = [t.strip() for t in text.split(", ")]
    if len(tokens) % 2:
        raise ValueError(f"cannot split the author list {text!r} into 'Last, Initials' pairs")
    names: list[str] = []
    for last, initials in zip(tokens[::2], tokens[1::2], strict=True):
        last = last.removeprefix("& ")
        if last.startswith("..."):  # authors left out: BibTeX can only say "and others", at the end
            others = True
            break
        names.append(f"{last}, {initials}")
    return names + (["others"] if others else [])


def _key(authors: list[str], year: str, title: str) -> str:
    first_word = re.sub(r"[^a-z0-9]", "", title.split()[0].lower())
    return f"{authors[0].split(',')[0].lower()}{year}{first_word}"


def _with_doi(text: str, doi: str) -> str:
    return text if doi in text else f"{text} https://doi.org/{doi}"


def _parse(role: str, text: str, doi: str, *, key: str | None = None, url: str | None = None,
           version: str | None = None) -> Reference:
    if m := _NATURE.match(text):
        authors = _authors(m["authors"])
        fields = [("author", " and ".join(authors)), ("title", m["title"]), ("journal", m["journal"]),
                  ("volume", m["volume"]), ("pages", m["pages"]), ("year", m["year"])]
        entry_type = "article"
    elif (m := _APA.match(text)) and (j := _JOURNAL.match(m["rest"])):
        authors = _authors(m["authors"])
        fields = [("author", " and ".join(authors)), ("title", m["title"]), ("journal", j["journal"]),
                  ("volume", j["volume"]), ("number", j["number"]), ("pages", j["pages"].replace("-", "--")),
                  ("year", m["year"])]
        entry_type = "article"
    elif (m := _APA.match(text)) and (p := _PUBLISHER.match(m["rest"])):
        authors = _authors(m["authors"])
        fields = [("author", " and ".join(authors)), ("title", m["title"]), ("publisher", p["publisher"]),
                  ("year", m["year"])]
        if version:
            fields.append(("version", version))
        entry_type = "misc"
    else:
        raise ValueError(f"citation text for {role} is in no known format: {text!r}")
    fields.append(("doi", doi))
    fields.append(("url", url or f"https://doi.org/{doi}"))
    return Reference(role, key or _key(authors, m["year"], m["title"]), _with_doi(text, doi), doi, entry_type,
                     tuple(fields))


def dataset_key(spec: Spec, release: Release) -> str:
    """BibTeX key of a release, e.g. ``mimiciv-3.1``, ``mimiciv-demo-2.2``."""
    return re.sub(r"[^a-z0-9]", "", spec.dataset.lower()) + "-" + release.key


def cited_release(spec: Spec, key: str) -> str:
    """The release whose citation stands for ``key``: its own, else (a demo PhysioNet gives no citation text for)
    its project's default release."""
    if spec.release(key).citation:
        return key
    return spec.projects[spec.release(key).project].default_release


def references(spec: Spec, release_keys: str | Sequence[str]) -> list[Reference]:
    """What to cite for a copy of one or several projects' releases: each data set, the original publication
    and PhysioNet."""
    keys = [release_keys] if isinstance(release_keys, str) else list(release_keys)
    datasets = []
    for key in dict.fromkeys(cited_release(spec, k) for k in keys):
        release = spec.release(key)
        if not release.citation:
            raise ValueError(f"the spec has no citation text for release {key!r}")
        datasets.append(_parse("dataset", release.citation, release.doi, key=dataset_key(spec, release),
                               url=release.url, version=release.version))
    return datasets + [
        _parse("paper", spec.citations["paper"].text, spec.citations["paper"].doi),
        _parse("physionet", spec.citations["physionet"].text, spec.citations["physionet"].doi),
    ]


_BIB_SPECIAL = re.compile(r"([&%$#_])")


def bibtex_escape(value: str) -> str:
    """Escape the characters BibTeX/LaTeX treat specially in ordinary fields."""
    return _BIB_SPECIAL.sub(r"\\\1", value)
