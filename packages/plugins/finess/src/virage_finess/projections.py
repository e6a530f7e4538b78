"""Conversion of FINESS coordinates to WGS84 (latitude, longitude) with pyproj.

The Etalab extract gives, for each establishment, X/Y coordinates and a ``sourcecoordet`` text
whose last element names the projection: ``LAMBERT_93`` in mainland France and Corsica, UTM zones
overseas (``UTM_N20`` Guadeloupe and Martinique, ``UTM_N22`` Guyane, ``UTM_S40`` La Réunion,
``UTM_S38`` Mayotte, ``UTM_N21`` Saint-Pierre-et-Miquelon…).
"""

from __future__ import annotations

import re
from functools import cache

from pyproj import Transformer

#: Projection names found in ``sourcecoordet`` → EPSG code of the French official system.
PROJECTIONS = {
    "LAMBERT_93": 2154,
    "LAMBERT93": 2154,
    "RGF93": 2154,
    "LAMBERT_II_ETENDU": 27572,
    "LAMBERT_2_ETENDU": 27572,
    "UTM_N20": 5490,  # RGAF09 / UTM 20N (Guadeloupe, Martinique, Saint-Martin, Saint-Barthélemy)
    "UTM_N21": 4467,  # RGSPM06 / UTM 21N (Saint-Pierre-et-Miquelon)
    "UTM_N22": 2972,  # RGFG95 / UTM 22N (Guyane)
    "UTM_S38": 4471,  # RGM04 / UTM 38S (Mayotte)
    "UTM_S40": 2975,  # RGR92 / UTM 40S (La Réunion)
    "WGS84": 4326,
    "WGS_84": 4326,
}
_UTM = re.compile(r"^UTM_?([NS])_?(\d{1,2})$")


class ProjectionError(Exception):
    """The projection named by the file is unknown (message in French)."""


def epsg_of(source: str) -> int:
    """EPSG code of the projection named in a ``sourcecoordet`` text."""
    tokens = [t.strip().upper().replace(" ", "_") for t in re.split(r"[,;]", source or "")]
    for token in reversed([t for t in tokens if t]):
        if token in PROJECTIONS:
            return PROJECTIONS[token]
        match = _UTM.match(token)
        if match:  # another UTM zone: WGS 84 / UTM (sub-metre difference with local datums)
            zone = int(match.group(2))
            if 1 <= zone <= 60:
                return (32600 if match.group(1) == "N" else 32700) + zone
    if not (source or "").strip():
        return 2154  # no source given: the extract's default, Lambert 93
    raise ProjectionError(f"projection inconnue « {source.strip()[:80]} » : coordonnées ignorées")


@cache
def _transformer(epsg: int) -> Transformer:
    return Transformer.from_crs(f"EPSG:{epsg}", "EPSG:4326", always_xy=True)


def to_wgs84(x: float, y: float, source: str) -> tuple[float, float]:
    """(latitude, longitude) in WGS84, rounded to 6 decimals (about 10 cm)."""
    epsg = epsg_of(source)
    if epsg == 4326:
        return round(y, 6), round(x, 6)
    lon, lat = _transformer(epsg).transform(x, y)
    return round(lat, 6), round(lon, 6)
