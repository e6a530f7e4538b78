"""Records of the ANS FINESS JSON flux « Structures »: one legal entity (``pmej[]`` item) and its
geographic establishments (``ege[]``) turned into directory records.

A registry file may be damaged or hand-edited: every field is read for what it is (a text where a
text is expected, a list of objects where a list is expected, anything else counts as missing), so
that an odd record becomes a rejected line of the report, never a crash. The state of an entry
(``etatObjet``) must be « A » (active) or « I » (inactive): a record without it is rejected, not
taken as closed, since the file does not say that the entry closed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from virage.sdk import Item, Rejected, StructureRecord

#: FINESS street types (« typeVoie ») and how they are written in full.
STREET_TYPES = {
    "R": "RUE",
    "AV": "AVENUE",
    "BD": "BOULEVARD",
    "PL": "PLACE",
    "CHE": "CHEMIN",
    "RTE": "ROUTE",
    "ALL": "ALLÉE",
    "IMP": "IMPASSE",
    "CRS": "COURS",
    "SQ": "SQUARE",
    "FG": "FAUBOURG",
    "PASS": "PASSAGE",
    "RPT": "ROND-POINT",
    "SEN": "SENTIER",
    "HAM": "HAMEAU",
    "MTE": "MONTÉE",
    "QU": "QUAI",
    "QUAI": "QUAI",
    "LD": "LIEU-DIT",
    "PRV": "PARVIS",
    "ESP": "ESPLANADE",
    "PROM": "PROMENADE",
    "RES": "RÉSIDENCE",
    "CITE": "CITÉ",
    "CHS": "CHAUSSÉE",
    "TRA": "TRAVERSE",
    "VLA": "VILLA",
}

STATES = {"A": True, "I": False}


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value) if isinstance(value, str | int | float) and value != "" else None
    except ValueError:
        return None


def _address(addresses: list[dict[str, Any]]) -> dict[str, Any]:
    if not addresses:
        return {}
    # The address of the establishment itself (usage 03) or of the entity (02); else the first.
    chosen = next((a for a in addresses if a.get("coordonneesGeographique")), None) or addresses[0]
    line = _text(chosen.get("ligneQuatre"))
    if not line:
        street_type = _text(chosen.get("typeVoie")) or ""
        parts = [
            _text(chosen.get("numeroVoie")),
            _text(chosen.get("complementVoie")),
            STREET_TYPES.get(street_type, street_type),
            _text(chosen.get("libelleVoie")),
        ]
        line = " ".join(p for p in parts if p)
    extra = " ".join(
        p
        for p in (_text(chosen.get("complementPointGeographique")), _text(chosen.get("lieuDit")))
        if p
    )
    coords = _dict(chosen.get("coordonneesGeographique"))
    return {
        "address_line": line or None,
        "address_extra": extra or None,
        "postcode": _text(chosen.get("codePostal")),
        "city": _text(chosen.get("ligneAcheminement")),
        "commune_code": _text(chosen.get("cogCommune")),
        "lat": _float(coords.get("directionLatitude")),
        "lon": _float(coords.get("directionLongitude")),
    }


def _contact(contacts: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for contact in contacts:
        telecom = _dict(contact.get("telecom"))
        out.setdefault("phone", _text(telecom.get("telephone")))
        out.setdefault("fax", _text(telecom.get("telecopie")))
        out.setdefault("email", _text(telecom.get("courriel")))
    return {k: v for k, v in out.items() if v}


def _state(item: dict[str, Any]) -> bool | None:
    value = item.get("etatObjet")
    return STATES.get(value) if isinstance(value, str) else None


def _bad_state(item: dict[str, Any]) -> str:
    value = item.get("etatObjet")
    shown = f"« {str(value)[:20]} »" if value is not None else "absent"
    return f"état « etatObjet » {shown} : « A » (actif) ou « I » (fermé) attendu"


def records_of_entity(pmej: dict[str, Any], line: int, ege_lines: list[int]) -> Iterator[Item]:
    """The legal entity and its establishments, as directory records (or rejected lines)."""
    info = pmej.get("informationsGeneralesPMEJ")
    if not isinstance(info, dict):
        yield Rejected(line, "entité juridique sans « informationsGeneralesPMEJ »")
        return
    ej = _text(info.get("numFinessPm"))
    status = _text(info.get("statutJuridique"))
    is_open = _state(pmej)
    if is_open is None:
        yield Rejected(line, _bad_state(pmej), ej, listed=True)
    else:
        yield StructureRecord(
            finess=ej or "",
            kind="EJ",
            name=_text(info.get("denominationPm")) or "",
            line=line,
            long_name=_text(info.get("denominationLonguePmSmsse")),
            legal_status_code=status,
            siret=None,
            opened_on=_text(info.get("dateCreation")),
            closed_on=_text(info.get("dateFermeture")),
            open=is_open,
            source_updated=_text(pmej.get("dateDerniereMaj")),
            **_address(_dicts(pmej.get("adresse"))),
            **_contact(_dicts(pmej.get("contact"))),
        )
    establishments = pmej.get("ege")
    if establishments is not None and not isinstance(establishments, list):
        yield Rejected(line, "« ege » n'est pas une liste d'établissements", ej)
        return
    for index, ege in enumerate(establishments or []):
        ege_line = ege_lines[index] if index < len(ege_lines) else line
        general = ege.get("informationsGeneralesEGE") if isinstance(ege, dict) else None
        if not isinstance(general, dict):
            yield Rejected(ege_line, "établissement sans « informationsGeneralesEGE »", ej)
            continue
        finess = _text(general.get("numFinessEge"))
        is_open = _state(ege)
        if is_open is None:
            yield Rejected(ege_line, _bad_state(ege), finess, listed=True)
            continue
        name = _text(general.get("nomEgeCourt")) or _text(general.get("nomEgeLong")) or ""
        complement = _text(general.get("complementDenominationEg"))
        if complement:
            name = f"{name} {complement}"
        yield StructureRecord(
            finess=finess or "",
            kind="ET",
            name=name,
            line=ege_line,
            long_name=_text(general.get("nomEgeLong")),
            ej_finess=ej,
            category_code=_text(ege.get("categorieentiteGeographiqueExercice")),
            legal_status_code=status,
            siret=_text(general.get("siret")),
            opened_on=_text(general.get("dateOuverture")),
            closed_on=_text(general.get("dateFermeture")),
            open=is_open,
            source_updated=_text(ege.get("dateDerniereMaj")),
            **_address(_dicts(ege.get("adresse"))),
            **_contact(_dicts(ege.get("contact"))),
        )
