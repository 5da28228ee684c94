"""Shared lexicons for the cue-based recognizers: name tokens, stop tokens, name lists from Faker."""

from __future__ import annotations

from functools import lru_cache

# A capitalised or all-caps word, or an initial ("J."); hyphens and apostrophes inside names.
NAME_TOKEN = r"(?:[A-Z]{2,}(?:[-'][A-Z]+)?|[A-Z][a-z]*(?:[A-Z][a-z]+)?(?:[-'][A-Z]?[a-z]+)?|[A-Z]\.)(?![A-Za-z])"
NAME = rf"{NAME_TOKEN}(?:[ \t]+{NAME_TOKEN}){{0,2}}"

# Tokens that end or precede a name but are never part of it (compared in lower case).
STOP_TOKENS = frozenset("""
a an the and or at on in to of by for with from per via as is was were be been has had have will would
am pm hrs hr h min mins today tonight yesterday tomorrow now re cc x
mon tue tues wed thu thur thurs fri sat sun dr mr mrs ms miss prof doctor rn md np pa
""".split())

US_STATES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH "
    "OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR"
).split()
US_STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|"
    "Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|"
    "Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|"
    "North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|"
    "Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|Puerto Rico"
)
STATE = rf"(?:{'|'.join(US_STATES)}|{US_STATE_NAMES})"


@lru_cache(maxsize=1)
def name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """Lower-case first and last names of Faker's English locales (data, loaded on first use)."""
    from faker.providers.person.en_GB import Provider as GB
    from faker.providers.person.en_US import Provider as US

    first: set[str] = set()
    last: set[str] = set()
    for provider in (US, GB):
        for attr in ("first_names", "first_names_male", "first_names_female"):
            first.update(n.lower() for n in getattr(provider, attr, ()))
        last.update(n.lower() for n in provider.last_names)
    return frozenset(first), frozenset(last)
