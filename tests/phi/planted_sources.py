"""Hand-written surrogate PHI for the planted evaluation, kept in the tests only: no recognizer reads it.

Every list comes in two disjoint halves: ``dev`` (looked at while tuning the recognizers) and ``heldout``
(only for the reported figures). Places have a third part, ``sealed``: towns, facilities and phrasings written
before the place rules of issue 16's follow-up were changed and run for the first time on the final rules (written
by the engineer who then wrote those rules, so it tests their generality, not an outsider's phrasing). The names
mix common and rare US surnames, Irish, Italian, Portuguese, Haitian, Hispanic, African, Arabic, South and East
Asian origins; towns are New England and other US places of every size; facilities are hospitals, clinics, outside
labs, nursing homes and police.
"""

from __future__ import annotations

FIRST = {
    "dev": """Margaret Dennis Latoya Giuseppe Mei Rajesh Siobhan Terrence Guadalupe Oksana Kwame Brigid Desmond
Yolanda Ahmed Colleen Thanh Esperanza Wendell Priya Lorraine Cornelius Ingrid Marisol Darnell Bernadette Hiroshi
Fatima Everett Rosalind Tomasz Imani Fergus Lucinda Augustin Nadia Clement Shanice Evangeline Osvaldo Winifred
Dmitri Kerry-Ann Jean-Claude Maeve Reginald Annunziata Tobias Delphine Ezekiel""".split(),
    "heldout": """Dorothea Lamar Consuelo Alessandro Ying Sanjay Niamh Cedric Xiomara Bohdan Chiamaka Eamon Tatiana
Jerome Soraya Maureen Duc Araceli Hollis Deepa Geraldine Thaddeus Solveig Yesenia Tyrone Philomena Kenji Layla
Ambrose Rosemarie Wojciech Nia Declan Henrietta Bartholomew Samira Lionel Tanisha Marguerite Rigoberto Ottilie
Anatoly Mary-Kate Jean-Pierre Grainne Montgomery Carmela Ignatius Fabienne Jedediah""".split(),
}

LAST = {
    "dev": """Kowalczyk Fitzgerald Nguyen Pellegrino Okonkwo Haddad Ramirez O'Sullivan Schwartzman Tran Medeiros
Jean-Baptiste Goldberg Abernathy Castellano Whitfield Ferreira Lindqvist McNamara Venkataraman Dubois Szymanski
Mahoney Okafor Delacroix Brennan Vasquez-Ortiz Yamamoto Papadopoulos Greenbaum Thibodeau Rosenthal Achebe Quintero
Halvorsen O'Donnell Marchetti Abdelrahman Pemberton Callahan Bui DaSilva Lachance Weatherby Zielinski MacLeod
Tavares Okoro Sorensen Villanueva""".split(),
    "heldout": """Wojcik Donoghue Pham Lombardi Adeyemi Khoury Gutierrez O'Callaghan Finkelstein Huynh Carvalho
Pierre-Louis Steinberg Ashworth Benedetti Blackwood Pacheco Bergstrom McGillicuddy Subramanian Lefebvre Nowakowski
Flanagan Nwosu Beauchamp Gallagher Navarro-Reyes Takahashi Konstantinou Rubinstein Boudreau Lowenstein Mensah Echeverria
Gundersen O'Halloran Castiglione Mahmoud Worthington Monahan Truong DeSouza Gagnon Hollingsworth Jankowski MacPherson
Furtado Eze Lindgren Esposito""".split(),
}

TOWNS = {
    "dev": [t.replace("_", " ") for t in """Framingham Chelsea Revere Malden Dedham Brockton Quincy Attleboro
Fitchburg Gloucester Haverhill Natick Somerville Woburn Marlborough Nashua Pawtucket Worcester Leominster
Norwood Saugus Hingham Methuen Burlington
Springfield Providence Hartford Portland Bangor Lowell East_Boston Hyde_Park
Reading Arlington Bedford Franklin Sharon Canton Hudson Clinton Douglas Dover Hull Gardner Palmer Webster Spencer
Lincoln Bath Orange Ware Florence Marion Shirley Newton Winthrop Sterling Holden Brunswick Derry Acton Medford
Brookline Watertown Roxbury Mattapan Brighton Charlestown Jamaica_Plain Woonsocket Lewiston Keene Falmouth Mansfield
Easton Athol""".split()],
    "heldout": [t.replace("_", " ") for t in """Everett Dorchester Lynn Braintree Taunton Chicopee Peabody Beverly
Newburyport Amesbury Andover Weymouth Milton Stoughton Randolph Holyoke Manchester Warwick Cranston Waltham
Billerica Tewksbury Danvers Needham
Wellesley Plymouth Fall_River New_Bedford Lawrence Concord""".split()],
}

# written on 2026-12-03 before any place rule of that follow-up was changed; places only
TOWNS["sealed"] = [t.replace("_", " ") for t in """Marshfield Scituate Duxbury Kingston Cohasset Pembroke Bridgewater
Foxborough Norfolk Hopkinton Westborough Lunenburg Townsend Pepperell Georgetown Salisbury Hamilton Essex Rockport
Nahant Lynnfield Lexington Belmont Weston Stow Littleton Carlisle Wilmington Ipswich North_Reading""".split()]

STATES = {"dev": ["MA", "NH", "RI", "ME", "Massachusetts", "CT"], "heldout": ["MA", "NH", "RI", "VT", "New Hampshire",
                                                                          "CT"]}

FACILITIES = {
    "dev": ["Mount Auburn Hospital", "Lahey Clinic", "Quest Diagnostics", "South Shore Hospital",
            "Brockton Police Department", "Cambridge Health Alliance", "Hebrew Rehabilitation Center",
            "Saint Vincent Hospital", "Emerson Hospital", "Brigham and Women's Hospital", "Spaulding Rehab",
            "Melrose-Wakefield Hospital", "Framingham Union Hospital", "Newton-Wellesley Hospital",
            "Dana-Farber Cancer Institute", "Atrius Health", "Winchester Hospital", "Lowell General Hospital",
            "Boston Medical Center", "Tufts Medical Center", "Mayo Clinic", "Anna Jaques Hospital",
            "Holy Family Hospital", "Sturdy Memorial Hospital", "Hallmark Health", "Cooley Dickinson Hospital",
            "Milford Regional Medical Center", "St. Elizabeth's Medical Center", "Cataldo Ambulance", "Boston EMS",
            "Arbour Hospital", "Joslin Diabetes Center", "Marlborough Hospital", "Jordan Hospital"],
    "heldout": ["Faulkner Hospital", "Lawrence General Hospital", "LabCorp", "Milton Hospital",
                "Quincy Police Department", "Beverly Hospital", "Kindred Hospital", "Caritas Carney Hospital",
                "Norwood Hospital", "Massachusetts General Hospital", "Steward Good Samaritan Medical Center",
                "Harrington Memorial Hospital", "Heywood Hospital", "Cape Cod Hospital", "Baystate Medical Center",
                "Harvard Vanguard", "Salem Hospital", "Saints Medical Center", "Lemuel Shattuck Hospital",
                "Boston Children's Hospital", "Cleveland Clinic", "Addison Gilbert Hospital",
                "Whittier Rehabilitation Hospital", "Morton Hospital", "Signature Healthcare"],
}

FACILITIES["sealed"] = ["Shriners Hospital", "Whidden Memorial Hospital", "Sancta Maria Nursing Facility",
                         "Youville Hospital", "New England Baptist Hospital", "MetroWest Medical Center",
                         "Leonard Morse Hospital", "Mercy Medical Center", "Berkshire Medical Center", "Southcoast Health",
                         "ARUP Laboratories", "Mayo Medical Laboratories", "Brewster Ambulance", "Pro EMS",
                         "Lowell Community Health Center"]

STREETS = {
    "dev": ["Elm St", "Beacon Street", "Washington Ave", "Main Street", "Chestnut Hill Rd", "Pleasant St",
            "Commonwealth Avenue", "Dorchester Ave", "Blue Hill Ave", "Centre Street", "Harrison Ave",
            "Tremont St", "Broadway", "Maple Avenue", "Summer Street", "Highland Ave"],
    "heldout": ["Oak St", "Boylston Street", "Massachusetts Ave", "School Street", "Warren Rd", "Prospect St",
                "Huntington Avenue", "Columbia Road", "Hyde Park Ave", "Cambridge Street", "Dudley St",
                "Columbus Ave", "Western Ave", "Bay State Road", "Winter Street", "Salem Turnpike"],
}

EMAIL_DOMAINS = {"dev": ["gmail.com", "comcast.net", "yahoo.com", "partners.org"],
                 "heldout": ["aol.com", "verizon.net", "hotmail.com", "bu.edu"]}
WEB_DOMAINS = {"dev": ["mychart-portal.org", "lahey.org", "questdiagnostics.com", "patientgateway.net"],
               "heldout": ["labcorp.com", "caringbridge.org", "atriushealth.org", "steward.org"]}
