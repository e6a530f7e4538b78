"""Ranking of the structures that fit a request, from the directory (public functions only).

A candidate must be open, of a category compatible with the offer, within the radius, must not
have set the offer aside in its settings, and must not say "non" for a criterion asked for. Its score then adds: closeness, declared places, criteria
met; regional rules (hook ``orientation_score``) adjust it. Each candidate carries the reasons of
its rank, in French ("à 8 km, unité protégée, 2 places déclarées").
"""

from __future__ import annotations

import json
from typing import Any

from virage.sdk import PluginHost, directory
from virage.sdk.directory import fold
from virage_orientation import network
from virage_orientation.catalog import CRITERIA, OFFERS

MAX_CANDIDATES = 5000
PUBLIC_REQUEST_KEYS = (
    "module",
    "offer",
    "criteria",
    "gir",
    "mobility",
    "commune_code",
    "lat",
    "lon",
    "radius_km",
    "urgency",
    "wished_date",
)


def criterion_state(extra: dict[str, Any], code: str) -> bool | None:
    """True when the network's fields show the criterion, False when they deny it, else None."""
    keywords = CRITERIA[code].keywords
    found: bool | None = None
    for key, value in extra.items():
        k, v = fold(str(key)).lower(), fold(str(value)).lower()
        if any(w in k for w in keywords):
            if v.startswith("non") or v in ("0", "aucune", "aucun"):
                return False
            found = True
        elif any(w in v for w in keywords):
            found = True
    return found


def _distance_reason(km: float) -> str:
    return "à moins d'1 km" if km < 1 else f"à {round(km):.0f} km"


def candidates(db, request: dict[str, Any]) -> list[dict[str, Any]]:
    """Open structures of a compatible category within the radius, nearest first."""
    offer = OFFERS[request["offer"]]
    params = directory.SearchParams(
        categories=list(offer.categories),
        near=f"{request['lat']},{request['lon']}",
        radius_km=request["radius_km"],
        sort="distance",
        per_page=directory.MAX_PER_PAGE,
        kind="ET",
    )
    return directory.structures_matching(db, params, MAX_CANDIDATES)


def rank(db, plugins: PluginHost | None, request: dict[str, Any]) -> list[dict[str, Any]]:
    """The proposals for ``request``, best first, each with ``score`` and ``reasons``."""
    rows = candidates(db, request)
    # A structure that said, in its settings, it does not take this offer is not proposed.
    closed = network.closed_for(db, [r["id"] for r in rows], request["offer"])
    rows = [r for r in rows if r["id"] not in closed]
    places = network.places_for(db, [r["id"] for r in rows], request["offer"])
    public = {k: request.get(k) for k in PUBLIC_REQUEST_KEYS}
    out = []
    for row in rows:
        full = directory.structure(db, row["id"]) or {}
        extra = json.loads(full.get("extra") or "{}")
        km = row.get("distance_km") or 0.0
        score = 100.0 - km
        reasons = [_distance_reason(km)]
        excluded = False
        for code in request.get("criteria") or []:
            state = criterion_state(extra, code)
            if state is False:
                excluded = True
                break
            if state:
                score += 10
                reasons.append(CRITERIA[code].reason)
            else:
                score -= 20
                reasons.append(f"{CRITERIA[code].reason} : non renseigné")
        if excluded:
            continue
        declared = places.get(row["id"])
        if declared is None:
            reasons.append("places non déclarées")
        elif declared["places"] > 0:
            score += 30
            n = declared["places"]
            reasons.append(f"{n} place{'s' if n > 1 else ''} déclarée{'s' if n > 1 else ''}")
        else:
            score -= 30
            reasons.append("aucune place déclarée (liste d'attente)")
        out.append(
            {
                "id": row["id"],
                "finess": row["finess"],
                "name": row["name"],
                "category_code": row["category_code"],
                "category_label": row["category_label"],
                "city": row["city"],
                "departement": row["departement"],
                "commune_code": row["commune_code"],
                "distance_km": round(km, 1),
                "places": declared["places"] if declared else None,
                "extra": extra,
                "score": score,
                "reasons": reasons,
            }
        )
    if plugins is not None:
        for cand in out:
            for result in plugins.call("orientation_score", request=public, candidate=dict(cand)):
                delta, reason = result if isinstance(result, tuple) else (result, None)
                cand["score"] += float(delta)
                if reason:
                    cand["reasons"].append(reason)
    out.sort(key=lambda c: (-c["score"], c["distance_km"], c["name"]))
    for cand in out:
        cand["score"] = round(cand["score"], 1)
        cand["reason"] = ", ".join(cand["reasons"])
    return out
