"""Checks of the administrative part of a request (the form, the API)."""

from __future__ import annotations

from typing import Any

from virage.sdk import InvalidInput, directory
from virage_orientation.catalog import CONSENTS, CRITERIA, MOBILITY, MODULES, OFFERS, URGENCIES
from virage_orientation.models import RequestIn


def validate(db, data: RequestIn) -> dict[str, Any]:
    if data.module not in MODULES:
        raise InvalidInput("module : grand_age, domicile ou handicap.")
    offer = OFFERS.get(data.offer)
    if offer is None or offer.module != data.module:
        choices = ", ".join(o.code for o in OFFERS.values() if o.module == data.module)
        raise InvalidInput(
            f"offer : choisissez une offre du module {MODULES[data.module]} ({choices})."
        )
    if data.module == "handicap" and not (data.decision_ref or "").strip():
        raise InvalidInput(
            "decision_ref : une orientation handicap demande la référence de la décision "
            "d'orientation (CDAPH/MDPH)."
        )
    unknown = [c for c in data.criteria if c not in CRITERIA]
    if unknown:
        raise InvalidInput(f"criteria : besoin inconnu ({', '.join(unknown)}).")
    if data.urgency not in URGENCIES:
        raise InvalidInput("urgency : normale ou urgente.")
    if data.consent not in CONSENTS:
        raise InvalidInput(
            "consent : indiquez qui a consenti à la demande (personne ou representant)."
        )
    if data.consent == "representant" and not (data.consent_by or "").strip():
        raise InvalidInput("consent_by : indiquez le nom du représentant qui a consenti.")
    if data.mobility and data.mobility not in MOBILITY:
        raise InvalidInput(f"mobility : {', '.join(MOBILITY)}.")
    commune = directory.resolve_commune(db, data.commune)
    if commune.get("lat") is None:
        raise InvalidInput(f"commune : la position de {commune['name']} n'est pas connue.")
    return {
        "module": data.module,
        "offer": data.offer,
        "decision_ref": (data.decision_ref or "").strip() or None,
        "criteria": sorted(set(data.criteria)),
        "gir": data.gir,
        "mobility": data.mobility,
        "commune_code": commune["code"],
        "commune_label": f"{commune['name']} ({commune.get('postcode') or commune['code']})",
        "lat": commune["lat"],
        "lon": commune["lon"],
        "radius_km": data.radius_km,
        "wished_date": data.wished_date.isoformat() if data.wished_date else None,
        "urgency": data.urgency,
        "consent": data.consent,
        "consent_by": (data.consent_by or "").strip() or None,
        "admin_notes": data.admin_notes.strip(),
    }
