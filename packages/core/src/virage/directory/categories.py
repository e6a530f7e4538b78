"""Reference lists of the directory: FINESS establishment categories, legal statuses, professions.

Labels follow the ANS nomenclatures (TRE_R66 for categories, TRE_G15 for health professions). Only
the codes most used in the social and medico-social sector are listed; an unknown code is shown as
« Catégorie FINESS NNN » until a source provides its label.
"""

from __future__ import annotations

#: Code system of FINESS establishment categories (ANS nomenclature TRE_R66).
CATEGORY_SYSTEM = "https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement"
#: Code system of health professions (ANS nomenclature TRE_G15).
PROFESSION_SYSTEM = (
    "https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante"
)

# code: (label, acronym used in searches)
CATEGORIES: dict[str, tuple[str, str]] = {
    "101": ("Centre Hospitalier Régional (C.H.R.)", "CHR CHU"),
    "106": ("Centre hospitalier, ex Hôpital local", "CH"),
    "109": ("Établissement de santé privé autorisé en SSR", "SSR SMR"),
    "114": ("Hôpital des armées", ""),
    "124": ("Centre de Santé", ""),
    "127": ("Hospitalisation à Domicile", "HAD"),
    "128": ("Établissement de Soins Chirurgicaux", "clinique"),
    "129": ("Établissement de Soins Médicaux", "clinique"),
    "131": ("Centre de Lutte Contre Cancer", "CLCC"),
    "141": ("Centre de dialyse", ""),
    "146": ("Structure d'Alternative à la dialyse en centre", ""),
    "156": ("Centre Médico-Psychologique (C.M.P.)", "CMP"),
    "161": ("Maison de Santé pour Maladies Mentales", "psychiatrie"),
    "165": ("Appartement de Coordination Thérapeutique (A.C.T.)", "ACT"),
    "178": (
        "Centre d'Accueil et d'Accompagnement à la Réduction des Risques (C.A.A.R.U.D.)",
        "CAARUD",
    ),
    "180": ("Lits Halte Soins Santé (L.H.S.S.)", "LHSS"),
    "182": ("Service d'Éducation Spéciale et de Soins à Domicile", "SESSAD"),
    "183": ("Institut Médico-Éducatif (I.M.E.)", "IME"),
    "186": ("Institut Thérapeutique Éducatif et Pédagogique (I.T.E.P.)", "ITEP"),
    "188": ("Établissement pour Enfants ou Adolescents Polyhandicapés", "EEAP"),
    "189": ("Centre Médico-Psycho-Pédagogique (C.M.P.P.)", "CMPP"),
    "190": ("Centre d'Action Médico-Sociale Précoce (C.A.M.S.P.)", "CAMSP"),
    "192": ("Institut d'éducation motrice", "IEM"),
    "194": ("Institut pour Déficients Visuels", ""),
    "195": ("Institut pour Déficients Auditifs", ""),
    "196": ("Institut d'Éducation Sensorielle Sourd-Aveugle", ""),
    "197": (
        "Centre de soins, d'accompagnement et de prévention en addictologie (C.S.A.P.A.)",
        "CSAPA",
    ),
    "202": ("Résidences autonomie", "foyer logement"),
    "207": ("Centre de Jour pour Personnes Âgées", "accueil de jour"),
    "209": ("Service autonomie aide et soins (SAAS, ex-SPASAD)", "SAAS SPASAD"),
    "214": ("Centre d'Hébergement et de Réinsertion Sociale (C.H.R.S.)", "CHRS"),
    "238": ("Centre d'Accueil Familial Spécialisé", "CAFS"),
    "246": ("Établissement et Service d'Aide par le Travail (E.S.A.T.)", "ESAT"),
    "252": ("Foyer Hébergement Adultes Handicapés", "foyer"),
    "255": ("Maison d'Accueil Spécialisée (M.A.S.)", "MAS"),
    "292": ("Centre Hospitalier Spécialisé lutte Maladies Mentales", "CHS psychiatrie"),
    "354": ("Service de Soins Infirmiers À Domicile (S.S.I.A.D)", "SSIAD"),
    "355": ("Centre Hospitalier (C.H.)", "CH hôpital"),
    "362": ("Établissement de Soins Longue Durée", "USLD"),
    "365": ("Établissement de Soins Pluridisciplinaire", "clinique"),
    "382": ("Foyer de Vie pour Adultes Handicapés", "foyer de vie"),
    "437": ("Foyer d'Accueil Médicalisé pour Adultes Handicapés (F.A.M.)", "FAM"),
    "445": ("Service d'accompagnement médico-social adultes handicapés", "SAMSAH"),
    "446": ("Service d'Accompagnement à la Vie Sociale (S.A.V.S.)", "SAVS"),
    "448": ("Établissement d'Accueil Médicalisé en tout ou partie personnes handicapées", "EAM"),
    "449": ("Établissement d'Accueil Non Médicalisé pour personnes handicapées", "EANM"),
    "460": ("Service autonomie aide (SAA, ex-SAAD)", "SAAD SAA aide à domicile"),
    "461": ("Centre de Ressources S.A.I.", "centre ressources"),
    "462": ("Lieux de vie et d'accueil", "LVA"),
    "463": ("Centre Local d'Information et de Coordination (C.L.I.C.)", "CLIC"),
    "500": (
        "Établissement d'hébergement pour personnes âgées dépendantes",
        "EHPAD maison de retraite",
    ),
    "501": ("EHPA percevant des crédits d'assurance maladie", "EHPA"),
    "502": ("EHPA ne percevant pas des crédits d'assurance maladie", "EHPA"),
    "603": ("Maison de santé (L.6223-3)", "MSP maison de santé"),
    "620": ("Pharmacie d'Officine", "pharmacie"),
    "640": ("Service d'aide et d'accompagnement à domicile aux familles (SAADF)", "SAADF"),
}

#: Short names shown in lists and filters (what people say in the field).
SHORT_NAMES: dict[str, str] = {
    "354": "SSIAD",
    "460": "SAAD (SAA)",
    "209": "SPASAD (SAAS)",
    "500": "EHPAD",
    "202": "Résidence autonomie",
    "355": "Centre hospitalier",
    "106": "Centre hospitalier (ex-hôpital local)",
    "127": "HAD",
    "156": "CMP",
    "183": "IME",
    "182": "SESSAD",
    "255": "MAS",
    "437": "FAM",
    "445": "SAMSAH",
    "446": "SAVS",
    "603": "Maison de santé",
    "620": "Pharmacie",
    "124": "Centre de santé",
}

#: FINESS legal statuses (« statut juridique »), the most frequent ones.
LEGAL_STATUSES: dict[str, str] = {
    "01": "État",
    "03": "Département",
    "04": "Commune",
    "10": "Établissement public national à caractère administratif",
    "13": "Établissement public communal d'hospitalisation",
    "14": "Établissement public intercommunal d'hospitalisation",
    "17": "Centre communal d'action sociale (CCAS)",
    "18": "Centre intercommunal d'action sociale (CIAS)",
    "21": "Établissement social et médico-social communal",
    "22": "Établissement social et médico-social intercommunal",
    "26": "Établissement social et médico-social départemental",
    "40": "Régime général de sécurité sociale",
    "60": "Association loi 1901 non reconnue d'utilité publique",
    "61": "Association loi 1901 reconnue d'utilité publique",
    "62": "Association de droit local",
    "63": "Fondation",
    "65": "Congrégation",
    "70": "Personne physique",
    "71": "Société en nom collectif (SNC)",
    "72": "Société à responsabilité limitée (SARL)",
    "73": "Société anonyme (SA)",
    "75": "Société par actions simplifiée (SAS)",
    "95": "Société d'exercice libéral (SEL)",
}

#: Health and social professions (TRE_G15 codes for health professions).
PROFESSIONS: dict[str, str] = {
    "10": "Médecin",
    "21": "Pharmacien",
    "40": "Chirurgien-dentiste",
    "50": "Sage-femme",
    "60": "Infirmier",
    "70": "Masseur-kinésithérapeute",
    "80": "Pédicure-podologue",
    "91": "Orthophoniste",
    "92": "Orthoptiste",
    "94": "Ergothérapeute",
    "95": "Psychomotricien",
    "96": "Manipulateur ERM",
    "93": "Psychologue",
}
#: Codes of PROFESSIONS that belong to TRE_G15 (exported with that code system in FHIR).
G15_CODES = frozenset({"10", "21", "40", "50", "60", "70", "80", "91", "92", "94", "95", "96"})


def category_label(code: str | None) -> str | None:
    if not code:
        return None
    known = CATEGORIES.get(code)
    return known[0] if known else f"Catégorie FINESS {code}"


def category_keywords(code: str | None) -> str:
    known = CATEGORIES.get(code or "")
    return known[1] if known else ""


def short_category(code: str | None, label: str | None) -> str | None:
    return SHORT_NAMES.get(code or "") or label
