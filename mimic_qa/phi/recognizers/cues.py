"""US states and their postal codes, shared by the place, ZIP and gate logic."""

from __future__ import annotations

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

# a postcode written before its town: four to seven digits in one or two groups, a country letter or two before
# them ("62857", "430 96", "H-1963", "16999-978")
POSTCODE = r"(?:[A-Z]{1,2}-)?\d{2,3}[ ]?\d{2,3}(?:-\d{3,4})?"
