"""Searching the directory as a person expects it.

- Full text, accent- and case-insensitive: « ehpad saint etienne » finds « EHPAD Saint-Étienne »
  and « EHPAD ST ETIENNE » (common abbreviations are expanded);
- the last word is a prefix while typing (« ehpad sai »); when nothing matches, every word is
  tried as a prefix;
- small words (« de », « la », « à »…) are not required;
- filters (category, département, commune, open only), distance from a point or a commune
  (bounding box on indexed coordinates, then exact great-circle distance), sort by relevance,
  distance or name, pagination.

Every bad parameter raises ``InvalidInput`` with a French message saying what to fix.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from virage.db import Database
from virage.directory import normalize, storage
from virage.errors import InvalidInput

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MAX_PER_PAGE = 100
MAX_RADIUS_KM = 300.0
DEFAULT_RADIUS_KM = 20.0

STOP_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "d",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "sur",
        "un",
        "une",
        "pour",
        "par",
    ]
)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "saint": ("st",),
    "st": ("saint",),
    "sainte": ("ste",),
    "ste": ("sainte",),
    "centre": ("ctre",),
    "hopital": ("hospitalier", "ch"),
    "residence": ("res",),
}
SORTS = {
    "relevance": "relevance",
    "pertinence": "relevance",
    "distance": "distance",
    "name": "name",
    "nom": "name",
}


def terms_of(text: str) -> list[str]:
    """Words of a query, folded like the index does (no accents, lower case)."""
    return normalize.fold(text).lower().split()


def search_terms(text: str, *, all_prefix: bool = False) -> tuple[storage.Term, ...]:
    """What a person typed, as words for the storage's full-text search: folded, without stop
    words, with their synonyms; the last word is a word start while it is being typed (every
    word with ``all_prefix``)."""
    terms = terms_of(text)
    if not terms:
        return ()
    meaningful = [t for t in terms if t not in STOP_WORDS]
    terms = (meaningful or terms)[:MAX_TERMS]
    typing = not text[-1:].isspace()
    return tuple(
        storage.Term(
            (term, *SYNONYMS.get(term, ())),
            prefix=all_prefix or (typing and i == len(terms) - 1),
        )
        for i, term in enumerate(terms)
    )


@dataclass
class SearchParams:
    """What a search may ask for (API query parameters and web form fields map onto it)."""

    q: str | None = None
    categories: list[str] = field(default_factory=list)
    professions: list[str] = field(default_factory=list)
    departement: str | None = None
    commune: str | None = None
    open_only: bool = True
    near: str | None = None  # "lat,lon"
    near_commune: str | None = None  # name, INSEE code or postcode
    radius_km: float | None = None
    sort: str | None = None
    page: int = 1
    per_page: int = 20
    kind: str | None = None  # ET, EJ or None (both)


@dataclass
class SearchResult:
    results: list[dict[str, Any]]
    total: int
    page: int
    per_page: int
    sort: str
    center: dict[str, Any] | None = None
    radius_km: float | None = None
    fallback: bool = False
    total_exact: bool = True

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _point(text: str) -> tuple[float, float]:
    match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*[,; ]\s*(-?\d+(?:\.\d+)?)\s*", text or "")
    if not match:
        raise InvalidInput(
            f"Position « {text} » illisible : indiquez « latitude,longitude » en degrés décimaux, "
            "par exemple 46.2052,5.2255."
        )
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput(
            "Position hors limites : la latitude va de -90 à 90 et la longitude de -180 à 180."
        )
    return lat, lon


def resolve_commune(db: Database, text: str) -> dict[str, Any]:
    """The commune a person means by a name, an INSEE code or a postcode (or a clear error)."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Indiquez une commune (nom, code postal ou code INSEE).")
    if len(text) > 100:
        raise InvalidInput("Nom de commune trop long (100 caractères au plus).")
    found = storage.find_communes(db, text, limit=5)
    if not found:
        raise InvalidInput(
            f"Commune « {text} » inconnue de l'annuaire : essayez son code postal, son code "
            "INSEE, ou une position « latitude,longitude »."
        )
    key = normalize.fold(text)
    exact = [
        c
        for c in found
        if c["name_key"] == key or c["code"] == text.upper() or c["postcode"] == text
    ]
    if len(exact) == 1 or (exact and text.isdigit()):
        return exact[0]
    if not exact and len(found) == 1:
        return found[0]
    names = ", ".join(f"{c['name']} ({c['postcode'] or c['code']})" for c in (exact or found)[:5])
    raise InvalidInput(
        f"Plusieurs communes correspondent à « {text} » : {names}. Précisez le code postal."
    )


def _common(db: Database, p: SearchParams) -> tuple[storage.SearchQuery, dict | None]:
    q = storage.SearchQuery()
    text = (p.q or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidInput(f"Recherche trop longue ({MAX_QUERY_LENGTH} caractères au plus).")
    if text:
        q.terms = search_terms(p.q or "")
        if q.match is None:
            raise InvalidInput(
                f"La recherche « {text} » ne contient aucun mot : tapez un nom, une catégorie, "
                "une commune ou un numéro FINESS."
            )
    if p.page < 1:
        raise InvalidInput("Le numéro de page commence à 1.")
    if not 1 <= p.per_page <= MAX_PER_PAGE:
        raise InvalidInput(f"Le nombre de résultats par page va de 1 à {MAX_PER_PAGE}.")
    if p.page * p.per_page > 10_000:
        raise InvalidInput("Page trop lointaine : affinez la recherche avec des filtres.")
    q.limit, q.offset = p.per_page, (p.page - 1) * p.per_page
    q.open_only = p.open_only
    if p.departement:
        q.departement = normalize.departement(p.departement)
        if q.departement is None:
            raise InvalidInput(
                f"Département « {p.departement} » inconnu : indiquez son numéro (01 à 95, 2A, 2B, "
                "971 à 976…)."
            )
    if p.commune:
        q.commune_code = resolve_commune(db, p.commune)["code"]
    center = None
    if p.near and p.near_commune:
        raise InvalidInput("Indiquez soit une position, soit une commune de départ, pas les deux.")
    if p.near:
        lat, lon = _point(p.near)
        center = {"label": f"{lat:.5f}, {lon:.5f}", "lat": lat, "lon": lon}
    elif p.near_commune:
        commune = resolve_commune(db, p.near_commune)
        if commune["lat"] is None:
            raise InvalidInput(
                f"La position de {commune['name']} n'est pas connue : indiquez des coordonnées."
            )
        center = {
            "label": f"{commune['name']} ({commune['postcode'] or commune['code']})",
            "lat": commune["lat"],
            "lon": commune["lon"],
            "commune": commune["code"],
        }
    if p.radius_km is not None and not 0 < p.radius_km <= MAX_RADIUS_KM:
        raise InvalidInput(f"Le rayon va de 1 à {MAX_RADIUS_KM:.0f} km.")
    if center:
        q.center = (center["lat"], center["lon"])
        q.radius_km = p.radius_km or DEFAULT_RADIUS_KM
    elif p.radius_km is not None:
        raise InvalidInput("Un rayon demande un point de départ : une commune ou une position.")
    sort = SORTS.get((p.sort or "").strip().lower()) if p.sort else None
    if p.sort and sort is None:
        raise InvalidInput("Tri inconnu : pertinence, distance ou nom.")
    if sort == "distance" and center is None:
        raise InvalidInput("Le tri par distance demande un point de départ (commune ou position).")
    if sort == "relevance" and not q.match:
        sort = "distance" if center else "name"
    q.sort = sort or ("distance" if center else "relevance" if q.match else "name")
    return q, center


def _run(db, p: SearchParams, q: storage.SearchQuery, center, search) -> SearchResult:
    rows, total = search(db, q)
    fallback = False
    if total == 0 and q.match and len(terms_of(p.q or "")) > 1:
        q.terms = search_terms(p.q or "", all_prefix=True)
        rows, total = search(db, q)
        fallback = True
    for r in rows:
        r.pop("rank", None)
        if r.get("distance_km") is not None:
            r["distance_km"] = round(r["distance_km"], 2)
    exact = total <= storage.COUNT_CAP or center is not None
    return SearchResult(
        rows,
        total if exact else storage.COUNT_CAP,
        p.page,
        p.per_page,
        q.sort,
        center,
        q.radius_km if center else None,
        fallback,
        exact,
    )


def structure_query(db: Database, p: SearchParams) -> tuple[storage.SearchQuery, dict | None]:
    """Validate ``p`` and translate it into the storage query (and the distance centre)."""
    q, center = _common(db, p)
    for code in p.categories:
        if not re.fullmatch(r"\d{3}", code or ""):
            raise InvalidInput(f"Catégorie « {code} » invalide : un code FINESS à 3 chiffres.")
    q.categories = tuple(p.categories)
    if p.kind:
        kind = p.kind.strip().upper()
        if kind not in ("ET", "EJ"):
            raise InvalidInput("Type de structure inconnu : ET (établissement) ou EJ (entité).")
        q.kinds = (kind,)
    return q, center


def search_structures(db: Database, p: SearchParams) -> SearchResult:
    q, center = structure_query(db, p)
    return _run(db, p, q, center, storage.search_structures)


def professional_query(db: Database, p: SearchParams) -> tuple[storage.SearchQuery, dict | None]:
    q, center = _common(db, p)
    for code in p.professions:
        if not re.fullmatch(r"\d{2}", code or ""):
            raise InvalidInput(f"Profession « {code} » invalide : un code à 2 chiffres.")
    q.professions = tuple(p.professions)
    return q, center


def search_professionals(db: Database, p: SearchParams) -> SearchResult:
    q, center = professional_query(db, p)
    result = _run(db, p, q, center, storage.search_professionals)
    for r in result.results:
        r["specialties"] = json.loads(r.get("specialties") or "[]")
    return result
